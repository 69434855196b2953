/**
 * Server-given artifact names become file names that are safe to write and to upload: never
 * outside the target folder, free of what the artifact service refuses, unique (also on
 * case-insensitive file systems), never empty, and the same for the same list of names.
 */

/** Refused by the artifact service in file paths, plus control characters. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must go
const FORBIDDEN = /[":<>|*?\\/\u0000-\u001f\u007f]/g
/** Half a UTF-16 surrogate pair cannot be written as a file name; Node would replace it silently. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g
/** Windows cannot create these, whatever the extension. */
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i
/** Room for " (12345)" within the usual 255-byte limit of a file name. */
const MAX_BYTES = 200
const FALLBACK = 'artifact'

/** One safe name: the path's parts joined, so "reports/q1.csv" stays readable as "reports_q1.csv". */
export function safeFileName(name: string): string {
  const parts = name
    .replace(LONE_SURROGATE, '_')
    .split(/[\\/]+/)
    .map(part => part.replace(FORBIDDEN, '_').replace(/^[\s.]+|[\s.]+$/g, ''))
    .filter(part => part !== '')
  let result = parts.join('_')
  if (RESERVED.test(result)) result = `_${result}`
  result = truncate(result, MAX_BYTES)
  return result === '' ? FALLBACK : result
}

/**
 * Safe names for a run's whole list, in order; a later duplicate gets " (2)", " (3)", ...
 * `existing` names files already in the folder, which are never overwritten.
 */
export function safeFileNames(names: readonly string[], existing: Iterable<string> = []): string[] {
  const taken = new Set([...existing].map(name => name.toLowerCase()))
  return names.map(name => {
    const base = safeFileName(name)
    let candidate = base
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = withSuffix(base, ` (${n})`)
    taken.add(candidate.toLowerCase())
    return candidate
  })
}

function withSuffix(name: string, suffix: string): string {
  const dot = name.lastIndexOf('.')
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, '']
  return `${stem}${suffix}${extension}`
}

/** Cuts to `max` UTF-8 bytes, keeping a short extension, never splitting a character. */
function truncate(name: string, max: number): string {
  if (Buffer.byteLength(name) <= max) return name
  const dot = name.lastIndexOf('.')
  const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : ''
  const chars = [...name.slice(0, name.length - extension.length)]
  while (chars.length > 0 && Buffer.byteLength(chars.join('') + extension) > max) chars.pop()
  return chars.join('').replace(/[\s.]+$/, '') + extension
}
