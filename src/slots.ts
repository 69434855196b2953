/**
 * A fixed number of slots shared by tasks that run at once: runs in flight on Datalore, and
 * downloads and uploads across all the runs of a step. First come, first served.
 */
export class Slots {
  private readonly waiting: Array<() => void> = []
  private free: number

  constructor(readonly size: number) {
    this.free = size
  }

  /** Waits for a free slot; the returned function gives it back (once). Rejects on abort. */
  async take(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted()
    if (this.free > 0) {
      this.free--
    } else {
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          const index = this.waiting.indexOf(granted)
          if (index >= 0) this.waiting.splice(index, 1)
          reject(signal?.reason)
        }
        const granted = (): void => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        }
        this.waiting.push(granted)
        signal?.addEventListener('abort', onAbort, { once: true })
      })
    }
    let given = false
    return () => {
      if (given) return
      given = true
      const next = this.waiting.shift()
      if (next != null) next()
      else this.free++
    }
  }

  /** Runs `work` in a slot. */
  async use<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.take(signal)
    try {
      return await work()
    } finally {
      release()
    }
  }
}
