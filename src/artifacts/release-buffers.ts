/**
 * Releases the socket buffers of a download as it streams, so that memory stays flat however
 * large the artifact. It flips a process-wide V8 flag, which is why it has a room of its own.
 *
 * Why it is needed: every chunk a socket reads is a fresh Buffer that dies at once, but its
 * memory lives outside V8's heap and is returned only when V8 collects garbage. The JS objects
 * a download makes are few, so the young generation seldom fills; V8 then collects only once
 * some 64 MiB of external memory has piled up. At loopback speed a large download lifts the
 * process's RSS by about that much, whatever the file size. The memory test in
 * __tests__/artifacts.e2e.test.ts (peak RSS downloading 256 MiB against 1 MiB) measured, three
 * runs each on 2026-11-26: without this +75 MiB (69 -> 144 MiB, and the test fails), with it
 * +25 to +34 MiB. Smaller stream buffers do not help: the chunks are the socket's, not ours.
 *
 * What it does: a young-generation collection (a scavenge, well under a millisecond) after
 * every 8 MiB streamed. `gc` is exposed at run time (`--expose-gc` set from inside, the way
 * Jest does it for --logHeapUsage), since a runner starts the action with plain `node`. Where
 * that fails, nothing is collected early: only the footprint changes, never the result.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/** V8's `gc`: a young-generation collection with `{ type: 'minor' }`, a full one without. */
type Collect = (options?: { type: 'minor' }) => void

let collect: Collect | undefined | null = null

function collector(): Collect | undefined {
  if (collect === null) {
    try {
      setFlagsFromString('--expose-gc')
      collect = runInNewContext('gc') as Collect
    } catch {
      collect = undefined
    }
  }
  return collect
}

const EVERY_BYTES = 8 * 1024 * 1024
let sinceLast = 0

/** Counts streamed bytes; collects the young generation after every 8 MiB. */
export function releaseStreamedBuffers(bytes: number): void {
  sinceLast += bytes
  if (sinceLast < EVERY_BYTES) return
  sinceLast = 0
  collector()?.({ type: 'minor' })
}

/**
 * After one of several uploads: a full collection. The artifact client allocates its buffers
 * afresh for every upload, however small (an 8 MiB block buffer, and for a page an 8 MiB read
 * buffer), and they die with it; V8 returns them only at a collection, which the little JS an
 * upload makes seldom triggers, so with many runs they pile up. Measured on 2026-11-26, 20 runs
 * in one step (a zip and a page each, two uploads at a time), peak RSS: 189-198 MiB without,
 * 136-163 MiB with (one run alone: 117 MiB); a young-generation collection alone changed
 * nothing (191 MiB), as the buffers outlive it; collecting only above 48 MiB of buffers kept
 * 172-188 MiB. The price is CPU: 100 runs of 3 s took 15 s instead of 12 (see BENCHMARKS.md).
 */
export function releaseUploadBuffers(): void {
  collector()?.()
}
