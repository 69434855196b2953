/** JSON for the step's outputs: what a shell cannot act on, measured as GitHub measures an output. */
import { writeJson } from './notebook/json-value.js'

/**
 * GitHub keeps at most 1 MB of outputs per job, the size "approximated based on UTF-16
 * encoding" (two bytes a character, so an ASCII megabyte counts twice): a list is cut to what
 * fits that measure, and says so, so that it can be mapped into a job output as it is.
 */
export const MAX_OUTPUT_BYTES = 1_000_000

/** An output's size as GitHub approximates it: measure the text as written, escapes included. */
export function utf16Bytes(text: string): number {
  return text.length * 2
}

/**
 * JSON that `fromJSON` reads exactly as written, with the characters a shell acts on written as
 * `\uXXXX` escapes (they only ever occur inside strings here): a workflow that pastes
 * `${{ steps.x.outputs.artifacts }}` into a script cannot be made to run a server's artifact
 * name. (Passing outputs through `env:` is still the way to use them in scripts.) Numbers a
 * notebook glued are written as the notebook wrote them (see notebook/json-value.ts).
 */
export function shellInertJson(value: unknown): string {
  return shellInert(writeJson(value))
}

/** JSON text with those characters escaped; they only ever occur inside its strings. */
export function shellInert(json: string): string {
  return json.replace(
    /['`$;&|<>()]/g,
    char => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}
