// @ts-check
/**
 * One contender of the streaming-JSON-parser comparison (bench/run.js, section "parsers"): it
 * tokenizes `file` and prints one JSON line with its time and peak RSS. Run in a fresh process
 * per measurement, so that peaks do not mix:
 *   node bench/json-parsers.js <read | stream-json | streamparser | json-parse> <file>
 * `read` only reads the file (the floor); `json-parse` is JSON.parse of the whole text.
 */
import { createReadStream, readFileSync } from 'node:fs'

const [mode, file] = process.argv.slice(2)
if (file == null) throw new Error('usage: node bench/json-parsers.js <mode> <file>')

/** @type {Record<string, () => Promise<number>>} every one returns how many tokens (or bytes) it saw */
const contenders = {
  async read() {
    let bytes = 0
    for await (const chunk of createReadStream(file, { highWaterMark: 64 * 1024 })) {
      bytes += /** @type {Buffer} */ (chunk).length
    }
    return bytes
  },
  // The action's choice: the bare tokenizer, strings in chunks of at most 256 characters.
  async 'stream-json'() {
    const { jsonParser } = await import('stream-json/core/parser.js')
    const { getManyValues, none } = await import('stream-chain/defs.js')
    const tokenize = jsonParser({
      packKeys: true,
      packStrings: false,
      packNumbers: true,
      streamKeys: false,
      streamNumbers: false
    })
    let tokens = 0
    /** @param {unknown} result */
    const count = result => {
      if (result !== none) tokens += getManyValues(/** @type {any} */ (result)).length
    }
    for await (const text of createReadStream(file, {
      encoding: 'utf8',
      highWaterMark: 64 * 1024
    })) {
      count(tokenize(/** @type {string} */ (text)))
    }
    count(tokenize(/** @type {any} */ (none)))
    return tokens
  },
  // Its Tokenizer builds every string whole before it hands it over; there is no chunked mode.
  async streamparser() {
    const { Tokenizer } = await import('@streamparser/json')
    const tokenizer = new Tokenizer()
    let tokens = 0
    tokenizer.onToken = () => void tokens++
    for await (const chunk of createReadStream(file, { highWaterMark: 64 * 1024 })) {
      tokenizer.write(/** @type {Buffer} */ (chunk))
    }
    tokenizer.end()
    return tokens
  },
  async 'json-parse'() {
    return Object.keys(JSON.parse(readFileSync(file, 'utf8'))).length
  }
}

const contender = contenders[mode ?? '']
if (contender == null) throw new Error(`unknown contender ${mode}`)
const started = performance.now()
const seen = await contender()
const ms = performance.now() - started
process.stdout.write(
  `${JSON.stringify({ mode, ms, seen, maxRssKiB: process.resourceUsage().maxRSS })}\n`
)
