/**
 * The one way the action speaks HTTP: @actions/http-client (which honours HTTPS_PROXY and
 * NO_PROXY, as self-hosted runners need), with redirects, retries and timeouts decided here
 * rather than inside the client, because each of them touches where the token goes.
 */
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http'
import { HttpClient } from '@actions/http-client'
import { unlessAborted } from './cancel.js'
import { CancelledError, NetworkError, ProtocolError } from './errors.js'
import { formatSeconds } from './format.js'
import { log } from './log.js'

export interface HttpResponse {
  status: number
  headers: IncomingHttpHeaders
  body: IncomingMessage
  /** The URL that answered (after redirects). */
  url: string
}

export interface RequestSpec {
  method: 'GET' | 'POST'
  url: string
  headers?: OutgoingHttpHeaders
  body?: string
  /** How long to wait for the response headers. */
  timeoutMs: number
  signal?: AbortSignal
}

const SOCKET_IDLE_TIMEOUT_MS = 60_000
/**
 * Connections to one host at most: a step waiting for a hundred runs queues its status requests
 * instead of opening a hundred sockets (downloads take at most 8 of them; see `Slots`).
 */
const MAX_SOCKETS_PER_HOST = 16

export class HttpTransport {
  // One client per origin: an agent is bound to http or https, and disposing them all
  // is how a cancelled step drops the connections it still holds.
  private readonly clients = new Map<string, HttpClient>()

  constructor(private readonly userAgent: string) {}

  /** Sends one request; no redirects followed, no retries. */
  async send(spec: RequestSpec): Promise<HttpResponse> {
    const { signal } = spec
    if (signal?.aborted) throw signal.reason
    const client = this.clientFor(spec.url)
    let timer: NodeJS.Timeout | undefined
    const request = client.request(spec.method, spec.url, spec.body ?? null, { ...spec.headers })
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new NetworkError(
              `no answer from ${new URL(spec.url).host} within ${formatSeconds(spec.timeoutMs)}`,
              'ETIMEDOUT',
              true
            )
          ),
        spec.timeoutMs
      )
    })
    const started = Date.now()
    try {
      const response = await unlessAborted(Promise.race([request, timedOut]), signal)
      // Never the headers: they carry the token.
      log.debug(
        `${spec.method} ${withoutQuery(spec.url)} -> ${response.message.statusCode} in ${Date.now() - started} ms`
      )
      return {
        status: response.message.statusCode ?? 0,
        headers: response.message.headers,
        body: response.message,
        url: spec.url
      }
    } catch (error) {
      // A request we stopped waiting for may still answer later; make sure nobody waits
      // on that answer or on its socket.
      request.then(late => late.message.destroy()).catch(() => undefined)
      log.debug(
        `${spec.method} ${withoutQuery(spec.url)} failed after ${Date.now() - started} ms: ${String(error)}`
      )
      if (error instanceof NetworkError || error instanceof CancelledError) throw error
      throw toNetworkError(error, spec.url)
    } finally {
      clearTimeout(timer)
    }
  }

  /** Drops every connection, including requests still in flight. */
  close(): void {
    for (const client of this.clients.values()) client.dispose()
    this.clients.clear()
  }

  private clientFor(url: string): HttpClient {
    const origin = new URL(url).origin
    let client = this.clients.get(origin)
    if (client == null) {
      client = new HttpClient(this.userAgent, [], {
        allowRedirects: false,
        allowRetries: false,
        keepAlive: true,
        maxSockets: MAX_SOCKETS_PER_HOST,
        socketTimeout: SOCKET_IDLE_TIMEOUT_MS
      })
      this.clients.set(origin, client)
    }
    return client
  }
}

/** Node's error codes for certificates that do not verify. */
const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID'
])

/** Codes that prove the request never reached the server: safe to send again. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'])

export function toNetworkError(error: unknown, url: string): NetworkError {
  const code = (error as { code?: unknown })?.code
  const message = error instanceof Error ? error.message : String(error)
  const host = new URL(url).host
  if (typeof code === 'string' && TLS_CODES.has(code)) {
    return new NetworkError(
      `the TLS certificate of ${host} did not verify (${code}: ${message}). For an On-Premises server with a private certificate authority, set NODE_EXTRA_CA_CERTS on the runner to the CA's PEM file`,
      code,
      false,
      true
    )
  }
  if (typeof code === 'string') {
    return new NetworkError(
      `${describeCode(code)} ${host} (${message})`,
      code,
      !NOT_SENT_CODES.has(code)
    )
  }
  if (message.startsWith('Request timeout')) {
    return new NetworkError(`the connection to ${host} went silent`, 'ETIMEDOUT', true)
  }
  return new NetworkError(`request to ${host} failed: ${message}`, 'EUNKNOWN', true)
}

function describeCode(code: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused by'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'could not resolve the host name'
    case 'ECONNRESET':
    case 'EPIPE':
      return 'connection reset by'
    default:
      return 'request failed to'
  }
}

/**
 * Reads a whole (small) body as text, refusing more than `limitBytes` and giving up after
 * `timeoutMs`: a server that trickles bytes or sends a huge document cannot hold the step.
 * `expected` says, for the message, what the body should have been.
 */
export async function readText(
  response: HttpResponse,
  limitBytes: number,
  timeoutMs: number,
  signal?: AbortSignal,
  expected = 'a Datalore API answer; check that `host` points to Datalore'
): Promise<string> {
  const { body } = response
  const chunks: Buffer[] = []
  let size = 0
  let stopReason: Error | undefined
  const stop = (reason: Error): void => {
    stopReason = reason
    body.destroy()
  }
  const timer = setTimeout(
    () =>
      stop(
        new NetworkError(
          `the answer from ${new URL(response.url).host} did not arrive within ${formatSeconds(timeoutMs)}`,
          'ETIMEDOUT',
          true
        )
      ),
    timeoutMs
  )
  const onAbort = (): void => stop(signal?.reason)
  signal?.addEventListener('abort', onAbort, { once: true })
  try {
    for await (const chunk of body) {
      size += (chunk as Buffer).length
      if (size > limitBytes) {
        stop(
          new ProtocolError(
            `the answer to ${withoutQuery(response.url)} is larger than ${limitBytes / 1024 / 1024} MiB, far more than ${expected}`
          )
        )
        break
      }
      chunks.push(chunk as Buffer)
    }
  } catch (error) {
    throw stopReason ?? toNetworkError(error, response.url)
  } finally {
    clearTimeout(timer)
    signal?.removeEventListener('abort', onAbort)
  }
  if (stopReason) throw stopReason
  if (!body.complete) {
    throw new NetworkError(
      `the answer from ${new URL(response.url).host} was cut short`,
      'ECONNRESET',
      true
    )
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** Reads and drops a body we do not need, so that its connection can be reused. */
export function discard(response: HttpResponse): void {
  response.body.resume()
  response.body.on('error', () => undefined)
}

/** A URL fit to print: a signed storage URL carries its credentials in the query string. */
export function withoutQuery(url: string): string {
  const parsed = new URL(url)
  return `${parsed.origin}${parsed.pathname}`
}
