/**
 * An executed notebook as a stream of JSON tokens (stream-json's bare tokenizer): strings come
 * in pieces of at most 256 characters, so nothing of the file, however large a string in it,
 * is ever held whole. The reader and the page renderer both walk these tokens.
 */
import { createReadStream } from 'node:fs'
import { getManyValues, none } from 'stream-chain/defs.js'
import { jsonParser } from 'stream-json/core/parser.js'
import type { Token } from 'stream-json/core/parser.js'

export type { Token }

/**
 * The tokens of `file`, a batch per 64 KiB read. Throws when the file is not JSON or is cut
 * short (at the end), and with the signal's reason when it is aborted.
 */
export async function* notebookTokens(file: string, signal?: AbortSignal): AsyncGenerator<Token[]> {
  const tokenize = jsonParser({
    packKeys: true,
    packStrings: false,
    packNumbers: true,
    streamKeys: false,
    streamNumbers: false
  })
  const batch = (result: ReturnType<typeof tokenize>): Token[] =>
    result === none ? [] : getManyValues(result)
  let first = true
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024, signal })
  for await (const chunk of stream) {
    const text = chunk as string
    // The tokenizer refuses a byte-order mark, which some editors write.
    yield batch(tokenize(first && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text))
    first = false
  }
  // Flushing with `none` ends the input: a document cut short fails here.
  yield batch(tokenize(none as unknown as string))
}

const opens = (token: Token): boolean =>
  token.name === 'startObject' || token.name === 'startArray' || token.name === 'startString'
const ends = (token: Token): boolean =>
  token.name === 'endObject' || token.name === 'endArray' || token.name === 'endString'

/**
 * What walking a notebook's tokens always takes: the key an object's next value belongs to,
 * the start of a value, the end of a container, and passing over a value (strings included,
 * piece by piece) by depth alone. A subclass says what a value means where it starts.
 */
export abstract class TokenWalker {
  protected key: string | undefined
  private skipping = 0

  /** A value starts: descend into it, keep it, or `skipValue` it. */
  protected abstract value(token: Token): void
  /** A container that the walker descended into ends. */
  protected abstract close(): void

  /** Is a value being passed over? Then this token is part of it. */
  protected skipped(token: Token): boolean {
    if (this.skipping === 0) return false
    if (opens(token)) this.skipping++
    if (ends(token)) this.skipping--
    return true
  }

  protected route(token: Token): void {
    switch (token.name) {
      case 'keyValue':
        this.key = token.value
        return
      case 'endObject':
      case 'endArray':
        return this.close()
      case 'startObject':
      case 'startArray':
      case 'startString':
      case 'numberValue':
      case 'nullValue':
      case 'trueValue':
      case 'falseValue':
        return this.value(token)
      default:
        return
    }
  }

  /** Passes over the value that starts with `token` (a scalar is over already). */
  protected skipValue(token: Token): void {
    if (opens(token)) this.skipping = 1
  }
}
