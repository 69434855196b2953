/**
 * The hidden marker that makes a comment one of the action's: the body's first line, an HTML
 * comment GitHub does not show, naming the key and the workflow run (ID and attempt) that wrote
 * it:
 *
 *   <!-- datalore-run-action:comment key="sales-EU" run="12000000001" attempt="2" -->
 *
 * Only a body that starts with exactly this shape is marked: a value the body shows further down
 * can never be taken for it (nor write one: every `<` of a value is escaped). The key is written
 * with every character but letters, digits and `._~+-` percent-encoded, so no key can end the
 * attribute or the comment. A person who quotes a marker in a comment of their own is not its
 * author, and ./deliver.ts counts only the comments of the token's user.
 *
 * Which run is newer is decided by the workflow run ID, then the attempt: GitHub gives runs
 * increasing IDs, and a re-run keeps its ID with the next attempt. A re-run of an older run is
 * still older than a run started after it (a later push): it leaves that run's comment alone.
 */

/** Who wrote a marked comment: the key and the workflow run. */
export interface Stamp {
  key: string
  /** The workflow run ID, as decimal digits (GitHub's IDs have passed 2^32; compared as text). */
  runId: string
  attempt: number
}

const PREFIX = 'datalore-run-action:comment'
const MARKER =
  /^<!-- datalore-run-action:comment key="([A-Za-z0-9._~+%-]{1,600})" run="([1-9][0-9]{0,19})" attempt="([1-9][0-9]{0,5})" -->(?:\r?\n|$)/
const KEPT = /[A-Za-z0-9._~+-]/

/** The key as the marker holds it. */
export function encodeKey(key: string): string {
  let encoded = ''
  for (const character of key) {
    encoded += KEPT.test(character)
      ? character
      : [...Buffer.from(character, 'utf8')]
          .map(byte => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
          .join('')
  }
  return encoded
}

/** The marker line of a comment (without its line break). */
export function markerLine(stamp: Stamp): string {
  return `<!-- ${PREFIX} key="${encodeKey(stamp.key)}" run="${stamp.runId}" attempt="${stamp.attempt}" -->`
}

/** The stamp of a comment's body, when it starts with a marker; undefined otherwise. */
export function readMarker(body: string): Stamp | undefined {
  const match = MARKER.exec(body.slice(0, 800))
  if (match == null) return undefined
  const [, key = '', runId = '', attempt = ''] = match
  try {
    return { key: decodeURIComponent(key), runId, attempt: Number(attempt) }
  } catch {
    // A percent sign this action never writes: no marker of its own.
    return undefined
  }
}

/** Whether `stamp` was written by a newer workflow run (or a later attempt) than `than`. */
export function isNewer(stamp: Stamp, than: Stamp): boolean {
  const byRun = compareDigits(stamp.runId, than.runId)
  return byRun > 0 || (byRun === 0 && stamp.attempt > than.attempt)
}

/** Decimal numbers without leading zeros, compared exactly whatever their size. */
function compareDigits(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length
  return a < b ? -1 : a > b ? 1 : 0
}
