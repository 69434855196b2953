/**
 * A glued value as the notebook wrote it. JavaScript numbers are doubles: read with `Number`,
 * `18446744073709551617` would reach the outputs as `18446744073709552000`, and `1.0` as `1`.
 * So a number keeps its literal text, and the action writes JSON itself instead of through
 * `JSON.stringify` (`JSON.rawJSON` would do the same, but only from Node 21 on).
 */

/** A JSON number: its text as written, its value for comparing. */
export class JsonNumber {
  constructor(readonly text: string) {}

  /** The nearest double, as `JSON.parse` would give it. */
  get value(): number {
    return Number(this.text)
  }

  /** The exact value of an integer literal (no fraction, no exponent); undefined otherwise. */
  get integer(): bigint | undefined {
    return /^-?\d+$/.test(this.text) ? BigInt(this.text) : undefined
  }

  toString(): string {
    return this.text
  }
}

/**
 * `value` as JSON, as `JSON.stringify` writes it but for a `JsonNumber`, which is written as its
 * text. Members that are undefined are left out of objects, as `JSON.stringify` does. Glued
 * values are at most 64 levels deep (the reader's limit), so recursion is safe here.
 */
export function writeJson(value: unknown): string {
  if (value instanceof JsonNumber) return value.text
  if (Array.isArray(value)) {
    return `[${value.map(item => (item === undefined ? 'null' : writeJson(item))).join(',')}]`
  }
  if (value != null && typeof value === 'object') {
    const members: string[] = []
    for (const [key, member] of Object.entries(value)) {
      if (member !== undefined) members.push(`${JSON.stringify(key)}:${writeJson(member)}`)
    }
    return `{${members.join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}
