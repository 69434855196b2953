/** Time as a dependency: the wait loop and the retries take a clock, so tests can pass their own. */
import { setTimeout as delay } from 'node:timers/promises'

export interface Clock {
  /** Monotonic milliseconds: immune to the wall clock being changed while we wait. */
  now(): number
  /** Resolves after `ms`, or rejects with the signal's reason when it is aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

/**
 * Node fires a timer of more than 2^31-1 ms (about 24.8 days) at once, with only a warning:
 * `timeout-minutes` allows 30 days, so longer waits are made of several timers.
 */
const MAX_TIMER_MS = 2 ** 31 - 1

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: async (ms, signal) => {
    const end = performance.now() + Math.max(0, ms)
    try {
      do {
        await delay(Math.min(MAX_TIMER_MS, Math.max(0, end - performance.now())), undefined, {
          signal
        })
      } while (performance.now() < end)
    } catch (error) {
      throw signal?.aborted ? signal.reason : error
    }
  }
}

/** Calls `callback` once `ms` have passed, however long that is; `cancel` stops it. */
export function after(ms: number, callback: () => void): { cancel(): void } {
  const end = performance.now() + Math.max(0, ms)
  let timer: NodeJS.Timeout
  const arm = (): void => {
    const left = end - performance.now()
    timer = setTimeout(
      left > MAX_TIMER_MS ? arm : callback,
      Math.max(0, Math.min(MAX_TIMER_MS, left))
    )
  }
  arm()
  return { cancel: () => clearTimeout(timer) }
}
