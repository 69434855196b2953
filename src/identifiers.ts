/**
 * What an identifier from outside (a run ID from Datalore or from an input, a part of a
 * notebook ID) must look like before it becomes part of a path, a file name, an artifact name
 * or a URL: one plain segment of a sane length, that cannot climb out of a folder.
 */
const SAFE_SEGMENT = /^[A-Za-z0-9._~-]+$/

export const MAX_SEGMENT_LENGTH = 200

export function isSafeSegment(text: string): boolean {
  return (
    text.length <= MAX_SEGMENT_LENGTH && SAFE_SEGMENT.test(text) && text !== '.' && text !== '..'
  )
}
