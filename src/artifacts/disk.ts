/**
 * A download cannot fill the runner's disk. A server may send a body without Content-Length
 * that never ends, or declare terabytes; the runner (and, on a self-hosted machine, everything
 * else on it) needs its disk. So downloads keep a margin of free space on the file system that
 * holds `artifacts-path`, checked before each download and every few MiB while it streams.
 */
import { statfs } from 'node:fs/promises'
import { formatBytes } from '../format.js'

/** Left free for the runner and its logs, whatever the artifacts need. */
export const MIN_FREE_BYTES = 256 * 1024 * 1024
/** How often a running download asks the file system again. */
const CHECK_EVERY_BYTES = 16 * 1024 * 1024

export class DiskFullError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DiskFullError'
  }
}

export class DiskGuard {
  private sinceCheck = 0

  constructor(private readonly dir: string) {}

  /** Refuses to start a download of `bytes` (when declared) that would eat into the margin. */
  async beforeDownload(bytes: number | undefined): Promise<void> {
    await this.check(bytes ?? 0)
  }

  /** Counts streamed bytes; every few MiB, makes sure the margin is still there. */
  async streamed(bytes: number): Promise<void> {
    this.sinceCheck += bytes
    if (this.sinceCheck < CHECK_EVERY_BYTES) return
    this.sinceCheck = 0
    // What may arrive before the next check must fit too.
    await this.check(CHECK_EVERY_BYTES)
  }

  private async check(upcoming: number): Promise<void> {
    const free = await freeBytes(this.dir)
    if (free == null || free - upcoming >= MIN_FREE_BYTES) return
    throw new DiskFullError(
      `the disk holding ${this.dir} has ${formatBytes(free)} free${upcoming > 0 ? ` and the download needs ${formatBytes(upcoming)} more` : ''}; the action keeps at least ${formatBytes(MIN_FREE_BYTES)} free for the runner. Free some space, or point \`artifacts-path\` at a larger disk`
    )
  }
}

/** Free bytes for an unprivileged writer; undefined where the file system cannot say. */
async function freeBytes(dir: string): Promise<number | undefined> {
  try {
    const stats = await statfs(dir)
    return stats.bavail * stats.bsize
  } catch {
    return undefined
  }
}
