/**
 * An executed notebook as a stream of JSON tokens (stream-json's bare tokenizer): strings come
 * in pieces of at most 256 characters, so nothing of the file, however large a string in it,
 * is ever held whole. Keys and numbers also arrive in pieces, and are put together here into
 * one `keyValue` or `numberValue` token each, up to MAX_PACKED characters: a longer one ends
 * the walk (TokenTooLong), so no token, however the file is made, holds more than that. The
 * reader and the page renderer both walk these tokens.
 */
import { createReadStream } from 'node:fs'
import { getManyValues, none } from 'stream-chain/defs.js'
import { jsonParser } from 'stream-json/core/parser.js'
import type { Token } from 'stream-json/core/parser.js'

export type { Token }

/**
 * The longest key or number put together, in characters: as much as the largest glued value
 * the reader keeps. No notebook writer makes a longer one (Python refuses to print an integer
 * of more than 4,300 digits); a file that holds one is refused, not read into memory.
 */
export const MAX_PACKED = 256 * 1024

/** A key or a number longer than MAX_PACKED: its message says which, for a person. */
export class TokenTooLong extends Error {
  constructor(what: 'key' | 'number') {
    super(
      `it holds a${what === 'key' ? ' key' : ' number'} of more than ${MAX_PACKED} characters, which no notebook writer makes`
    )
    this.name = 'TokenTooLong'
  }
}

/**
 * The tokens of `file`, a batch per 64 KiB read. Throws when the file is not JSON or is cut
 * short (at the end), TokenTooLong for a key or number past MAX_PACKED, and with the signal's
 * reason when it is aborted.
 */
export async function* notebookTokens(file: string, signal?: AbortSignal): AsyncGenerator<Token[]> {
  // Nothing packed by the tokenizer: it would hold a key or a number whole, however long.
  const tokenize = jsonParser({
    packKeys: false,
    packStrings: false,
    packNumbers: false,
    streamKeys: true,
    streamNumbers: true
  })
  const pack = packer()
  const batch = (result: ReturnType<typeof tokenize>): Token[] =>
    result === none ? [] : pack(getManyValues(result))
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

/**
 * Puts each key's and each number's pieces together into one token, across batches, as the
 * tokenizer's own packing would, but never past MAX_PACKED. Everything else passes as it is.
 */
function packer(): (tokens: Token[]) => Token[] {
  let packing: { what: 'key' | 'number'; pieces: string[]; length: number } | undefined
  return tokens => {
    const packed: Token[] = []
    for (const token of tokens) {
      switch (token.name) {
        case 'startKey':
        case 'startNumber':
          packing = { what: token.name === 'startKey' ? 'key' : 'number', pieces: [], length: 0 }
          continue
        case 'stringChunk':
        case 'numberChunk':
          if (packing == null) break
          packing.length += token.value.length
          if (packing.length > MAX_PACKED) throw new TokenTooLong(packing.what)
          packing.pieces.push(token.value)
          continue
        case 'endKey':
        case 'endNumber': {
          const value = packing?.pieces.join('') ?? ''
          packed.push(
            token.name === 'endKey' ? { name: 'keyValue', value } : { name: 'numberValue', value }
          )
          packing = undefined
          continue
        }
      }
      packed.push(token)
    }
    return packed
  }
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
