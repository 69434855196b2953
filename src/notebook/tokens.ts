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
