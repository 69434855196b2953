// @ts-check
/**
 * Can the artifact client's public `uploadArtifact` archive files that are still arriving?
 * Two ways it could, tried for real against the results service (run by bench/run.js):
 *
 *   node bench/probe.js '{"mode": "fifo" | "growing", "dir": ..., "artifactName": ...}'
 *
 * - fifo: the file is a named pipe that a writer fills while the client reads it;
 * - growing: the file exists with its first MiB when uploadArtifact is called, and the rest
 *   (63 MiB more) is appended while the upload runs, as a download still in flight would be.
 *
 * Prints one line of JSON: what the client did, and what the zip entry should have held.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { closeSync, constants, createWriteStream, openSync, writeFileSync } from 'node:fs'
import { appendFile } from 'node:fs/promises'
import { join } from 'node:path'

const MiB = 1024 * 1024
const spec = JSON.parse(process.argv[2] ?? '{}')
const { DefaultArtifactClient } = await import('@actions/artifact')
const client = new DefaultArtifactClient()
const file = join(spec.dir, 'arriving.bin')
const block = Buffer.alloc(MiB)
for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((i * 2654435761) >>> 0, i)
const hash = createHash('sha256')

/** @type {Record<string, unknown>} */
const outcome = { mode: spec.mode }
process.on('uncaughtException', error => {
  outcome.uncaught = error.message
  finish()
})

/** @param {number} ms */
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

/** @type {Promise<unknown>} */
let writing
if (spec.mode === 'fifo') {
  const made = spawnSync('mkfifo', [file])
  if (made.status !== 0) throw new Error(`mkfifo: ${made.stderr}`)
  // The writer blocks in open() until a reader opens the pipe, so it starts in the background.
  writing = new Promise(resolve => {
    const out = createWriteStream(file)
    let left = 16
    const more = () => {
      while (left > 0) {
        left--
        hash.update(block)
        if (!out.write(block)) return void out.once('drain', more)
      }
      out.end(resolve)
    }
    out.on('open', more)
    out.on('error', () => resolve(undefined))
  })
  outcome.expectedBytes = 16 * MiB
} else {
  writeFileSync(file, block)
  hash.update(block)
  writing = (async () => {
    for (let i = 1; i < 64; i++) {
      await sleep(20)
      await appendFile(file, block)
      hash.update(block)
    }
  })()
  outcome.expectedBytes = 64 * MiB
}

const timer = setTimeout(() => {
  outcome.result = 'no answer within 20 s'
  finish()
}, 20_000)

try {
  const result = await client.uploadArtifact(spec.artifactName, [file], spec.dir, {
    compressionLevel: 0
  })
  outcome.result = 'uploaded'
  outcome.artifactId = result.id
  outcome.zipBytes = result.size
} catch (error) {
  outcome.result = 'error'
  outcome.error = error instanceof Error ? error.message : String(error)
}
if (spec.mode === 'fifo') {
  // If nobody read the pipe, its writer is still blocked in open(): open it once to let it go.
  try {
    closeSync(openSync(file, constants.O_RDONLY | constants.O_NONBLOCK))
  } catch {
    // it was opened already
  }
}
await Promise.race([writing, sleep(5000)])
outcome.expectedSha256 = hash.digest('hex')
finish()

function finish() {
  clearTimeout(timer)
  process.stdout.write(`${JSON.stringify(outcome)}\n`)
  process.exit(0)
}
