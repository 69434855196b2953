/** Time as a dependency: the wait loop and the retries take a clock, so tests can pass their own. */
import { setTimeout as delay } from 'node:timers/promises'

export interface Clock {
  /** Monotonic milliseconds: immune to the wall clock being changed while we wait. */
  now(): number
  /** Resolves after `ms`, or rejects with the signal's reason when it is aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: async (ms, signal) => {
    try {
      await delay(Math.max(0, ms), undefined, { signal })
    } catch (error) {
      throw signal?.aborted ? signal.reason : error
    }
  }
}
