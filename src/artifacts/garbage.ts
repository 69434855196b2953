/**
 * Keeps memory flat while bytes stream through. Every chunk a socket reads is a fresh Buffer
 * that dies at once, but V8 returns that off-heap memory only when it collects garbage, which
 * it starts for external memory only after some 64 MiB have piled up: at loopback speed a large
 * download would lift the process's RSS by about that much, whatever the file size. A young-
 * generation collection (a scavenge, well under a millisecond) every few MiB frees them early.
 *
 * `gc` is exposed at run time the way Jest does it for --logHeapUsage. Where that fails,
 * nothing is collected early and only the footprint changes, never the result.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

type Collect = (options: { type: 'minor' }) => void

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
export function streamed(bytes: number): void {
  sinceLast += bytes
  if (sinceLast < EVERY_BYTES) return
  sinceLast = 0
  collector()?.({ type: 'minor' })
}
