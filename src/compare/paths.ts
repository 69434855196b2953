/**
 * Where a leaf is inside the glued values, written as text: the one way the comparison
 * (./values.ts), the `tolerance` rules (./tolerance.ts) and the history of the values artifact
 * (../baseline/values-file.ts, which keeps a path as its parts) name it. A history entry's
 * number and this run's leaf are the same value exactly when their paths write the same text.
 *
 * A path is the value's name, then `.key` for a key of letters, digits, `_` and `-`,
 * `["key"]` (the key as a JSON string) for any other key, and `[i]` for a list's items:
 * `metrics.f1`, `matrix[0][1]`, `metrics["a.b"]`, `["name with spaces"]`.
 */

/** A leaf's place as parts: its name, then member keys and list indices. */
export type LeafPath = ReadonlyArray<string | number>

const PLAIN_KEY = /^[\p{L}\p{N}_-]+$/u

/** A member key, as it continues a path. */
export function keyPart(key: string): string {
  return PLAIN_KEY.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`
}

/** A name starts the path as a key does, without its dot. */
export function namePart(name: string): string {
  return PLAIN_KEY.test(name) ? name : `[${JSON.stringify(name)}]`
}

/** A list index, as it continues a path. */
export function indexPart(index: number): string {
  return `[${index}]`
}

/** The path's text: its name, then each key or index as it continues the path. */
export function pathText(path: LeafPath): string {
  let text = ''
  for (const [at, part] of path.entries()) {
    if (typeof part === 'number') text += indexPart(part)
    else text += at === 0 ? namePart(part) : keyPart(part)
  }
  return text
}
