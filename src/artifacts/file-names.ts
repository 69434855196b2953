/**
 * Server-given artifact names become file names that are safe to write and to upload: never
 * outside the target folder, free of what the artifact service refuses and of what the runner
 * would read as a command when a library prints them, unique also on case-insensitive and
 * normalising file systems (macOS, Windows), never empty, and the same for the same list of
 * names. Every step is linear in the length of the names: a server may send absurd ones.
 */

import { redact } from '../log.js'

/** Refused by the artifact service in file paths, plus control characters. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must go
const FORBIDDEN = /[":<>|*?\\/\u0000-\u001f\u007f]/g
/** Half a UTF-16 surrogate pair cannot be written as a file name; Node would replace it silently. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g
/** Invisible characters: they make a name look like another, and hide `##[` from a reader. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}]/gu
/** The runner's legacy command marker, anywhere in a line that a library may print. */
const LEGACY_COMMAND = /##\[/g
/** Windows cannot create these, whatever the extension. */
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i
/** Room for " (12345)" within the usual 255-byte limit of a file name. */
const MAX_BYTES = 200
const FALLBACK = 'artifact'

/**
 * One safe name: the path's parts joined, so "reports/q1.csv" stays readable as "reports_q1.csv".
 * A name that echoes the token does not become a file name that holds it.
 */
export function safeFileName(name: string): string {
  const parts = redact(name)
    .replace(LONE_SURROGATE, '_')
    .replace(INVISIBLE, '_')
    .split(/[\\/]+/)
    .map(part => trimDotsAndSpaces(part.replace(FORBIDDEN, '_')))
    .filter(part => part !== '')
  let result = parts.join('_').replace(LEGACY_COMMAND, '##_')
  if (RESERVED.test(result)) result = `_${result}`
  result = truncate(result, MAX_BYTES)
  return result === '' ? FALLBACK : result
}

/**
 * The form two names share when a file system would take them for the same file: Unicode
 * normalisation (NFC and NFD are one name on macOS) and case (also `ß` and `SS`). Folding a
 * little more than a file system does only costs a " (2)".
 */
export function sameFileKey(name: string): string {
  return name.normalize('NFD').toUpperCase().toLowerCase().normalize('NFC')
}

/**
 * Safe names for a run's whole list, in order; a later duplicate gets " (2)", " (3)", ...
 * `existing` names files already in the folder, which are never overwritten.
 */
export function safeFileNames(names: readonly string[], existing: Iterable<string> = []): string[] {
  const taken = new Set<string>()
  for (const name of existing) taken.add(sameFileKey(name))
  // Where the search for a free suffix of each base name goes on: linear however many repeat.
  const nextSuffix = new Map<string, number>()
  return names.map(name => {
    const base = safeFileName(name)
    const baseKey = sameFileKey(base)
    let candidate = base
    let key = baseKey
    let n = nextSuffix.get(baseKey) ?? 2
    while (taken.has(key)) {
      candidate = withSuffix(base, ` (${n++})`)
      key = sameFileKey(candidate)
    }
    nextSuffix.set(baseKey, n)
    taken.add(key)
    return candidate
  })
}

/** `suffix` before the name's extension: `report.html` with `-2` is `report-2.html`. */
export function withSuffix(name: string, suffix: string): string {
  const dot = name.lastIndexOf('.')
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, '']
  return `${stem}${suffix}${extension}`
}

const isDotOrSpace = (char: string): boolean => char === '.' || /\s/.test(char)

/** Without dots and white space at either end (a regex for the end would be quadratic). */
function trimDotsAndSpaces(part: string): string {
  let start = 0
  let end = part.length
  while (start < end && isDotOrSpace(part.charAt(start))) start++
  while (end > start && isDotOrSpace(part.charAt(end - 1))) end--
  return part.slice(start, end)
}

/** Cuts to `max` UTF-8 bytes, keeping a short extension, never splitting a character. */
function truncate(name: string, max: number): string {
  if (Buffer.byteLength(name) <= max) return name
  const dot = name.lastIndexOf('.')
  const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : ''
  const budget = max - Buffer.byteLength(extension)
  let stem = ''
  let bytes = 0
  for (const char of name.slice(0, name.length - extension.length)) {
    bytes += Buffer.byteLength(char)
    if (bytes > budget) break
    stem += char
  }
  return trimDotsAndSpaces(stem) + extension
}
