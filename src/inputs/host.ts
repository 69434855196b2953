import { InputError } from '../errors.js'
import { quote } from '../log.js'

export const CLOUD_HOST = 'https://datalore.jetbrains.com'
const HOST_EXAMPLE =
  '`host: https://datalore.example.com` (Datalore Cloud is https://datalore.jetbrains.com)'

/**
 * Parses a Datalore base URL (Cloud, or an On-Premises server, possibly under a path prefix)
 * into its canonical form without a trailing slash, e.g. `https://datalore.example.com/datalore`.
 */
export function parseHost(input: string, text: string, allowInsecureHttp: boolean): string {
  const example =
    input === 'host' ? HOST_EXAMPLE : `\`${input}: ${CLOUD_HOST}/notebook/ownerId/notebookId\``
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new InputError(input, `must be a URL starting with https://, got ${quote(text)}`, example)
  }
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new InputError(input, `is not a valid URL: ${quote(text)}`, example)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(input, `must be an https:// URL, got "${url.protocol}//"`, example)
  }
  if (url.username !== '' || url.password !== '') {
    // The URL itself is a secret now; never echo it back.
    throw new InputError(
      input,
      'must not contain a user name or password (pass the API token as `token` instead)',
      example
    )
  }
  if (url.search !== '' || url.hash !== '') {
    throw new InputError(
      input,
      `must not contain a query string or fragment (found after ${quote(`${url.origin}${url.pathname}`)})`,
      `\`${input}: ${url.origin}${url.pathname.replace(/\/+$/, '')}\``
    )
  }
  if (url.protocol === 'http:' && !allowInsecureHttp && !isLoopback(url.hostname)) {
    throw new InputError(
      input,
      `uses http://, which would send the API token unencrypted to ${url.host}; use https://, or set \`allow-insecure-http: true\` if this network is trusted`,
      `\`${input}: https://${url.host}${url.pathname.replace(/\/+$/, '')}\``
    )
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  )
}
