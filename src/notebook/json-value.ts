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

/** Why a text is not JSON `readJson` takes: what was found, and where. */
export class JsonSyntaxError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'JsonSyntaxError'
  }
}

/**
 * `text` read as JSON, the inverse of `writeJson`: as `JSON.parse` reads it, but each number a
 * `JsonNumber` (its literal kept) and each object without a prototype (`"__proto__"` is a key
 * like any other), at most `maxDepth` levels deep. Every step is a scan of the text, linear in
 * its length, with no regular expression that could backtrack: the text may come from outside.
 */
export function readJson(text: string, maxDepth = 100): unknown {
  const reader = new JsonReader(text, maxDepth)
  const value = reader.value(0)
  reader.space()
  if (reader.at < text.length) reader.fail('more after the value')
  return value
}

const isDigit = (code: number): boolean => code >= 48 && code <= 57

class JsonReader {
  at = 0

  constructor(
    private readonly text: string,
    private readonly maxDepth: number
  ) {}

  fail(what: string): never {
    throw new JsonSyntaxError(`not JSON: ${what} at character ${this.at + 1}`)
  }

  space(): void {
    const { text } = this
    while (this.at < text.length) {
      const c = text.charCodeAt(this.at)
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return
      this.at++
    }
  }

  value(depth: number): unknown {
    this.space()
    const c = this.text[this.at]
    if (c === '{' || c === '[') {
      if (depth >= this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth} levels`)
      return c === '{' ? this.object(depth + 1) : this.array(depth + 1)
    }
    if (c === '"') return this.string()
    if (c === 't') return this.word('true', true)
    if (c === 'f') return this.word('false', false)
    if (c === 'n') return this.word('null', null)
    if (c === '-' || (c != null && isDigit(c.charCodeAt(0)))) return this.number()
    return this.fail(c == null ? 'the end came before a value' : `${JSON.stringify(c)} found`)
  }

  private word<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.at)) this.fail('a word that is not true, false or null')
    this.at += word.length
    return value
  }

  private digits(): number {
    const start = this.at
    while (this.at < this.text.length && isDigit(this.text.charCodeAt(this.at))) this.at++
    return this.at - start
  }

  private number(): JsonNumber {
    const { text } = this
    const start = this.at
    if (text[this.at] === '-') this.at++
    if (text[this.at] === '0') this.at++
    else if (this.digits() === 0) this.fail('a number without digits')
    if (text[this.at] === '.') {
      this.at++
      if (this.digits() === 0) this.fail('a number without digits after "."')
    }
    if (text[this.at] === 'e' || text[this.at] === 'E') {
      this.at++
      if (text[this.at] === '+' || text[this.at] === '-') this.at++
      if (this.digits() === 0) this.fail('a number without digits in its exponent')
    }
    return new JsonNumber(text.slice(start, this.at))
  }

  private string(): string {
    const { text } = this
    const start = this.at
    this.at++
    for (;;) {
      const c = text.charCodeAt(this.at)
      if (Number.isNaN(c)) this.fail('a string that never ends')
      if (c === 34) break
      if (c < 32) this.fail('a control character inside a string')
      if (c === 92) {
        const next = text[this.at + 1] ?? ''
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(this.at + 2, this.at + 6))) {
            this.fail('a \\u escape without four hex digits')
          }
          this.at += 6
          continue
        }
        if (!'"\\/bfnrt'.includes(next) || next === '') this.fail('an unknown escape')
        this.at += 2
        continue
      }
      this.at++
    }
    this.at++
    // The literal is checked: the native reader decodes its escapes.
    return JSON.parse(text.slice(start, this.at)) as string
  }

  private array(depth: number): unknown[] {
    this.at++
    const items: unknown[] = []
    this.space()
    if (this.text[this.at] === ']') {
      this.at++
      return items
    }
    for (;;) {
      items.push(this.value(depth))
      this.space()
      const c = this.text[this.at++]
      if (c === ']') return items
      if (c !== ',') this.fail('a list item not followed by "," or "]"')
    }
  }

  private object(depth: number): Record<string, unknown> {
    this.at++
    const members = Object.create(null) as Record<string, unknown>
    this.space()
    if (this.text[this.at] === '}') {
      this.at++
      return members
    }
    for (;;) {
      this.space()
      if (this.text[this.at] !== '"') this.fail('a key that is not a string')
      const key = this.string()
      this.space()
      if (this.text[this.at++] !== ':') this.fail('a key not followed by ":"')
      members[key] = this.value(depth)
      this.space()
      const c = this.text[this.at++]
      if (c === '}') return members
      if (c !== ',') this.fail('a member not followed by "," or "}"')
    }
  }
}
