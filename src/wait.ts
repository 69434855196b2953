/**
 * Waiting for a run: poll its status until `endTime` appears, the deadline passes, or the job
 * is cancelled. A failed poll that may pass (network, timeout, 5xx, 429) counts as "still
 * running"; anything else ends the wait at once.
 */
import type { Clock } from './clock.js'
import type { FinishedRun, RunStatus } from './datalore/api.js'
import { GarbledAnswerError, TimeoutError, errorMessage } from './errors.js'
import { formatDuration } from './format.js'
import { isRetryable, retryDelay } from './retry.js'

/** Gaps start at about a second and grow with the time already waited, up to the cap. */
const FIRST_POLL_MS = 1_000
const GROWTH = 0.4
/** Even the last poll, at the deadline, gets this long to answer: the step may overrun by it. */
const MIN_REQUEST_MS = 1_000
/**
 * A status answer that is not JSON may have been garbled on the way: it is retried like a 5xx.
 * This many in a row is something else answering in Datalore's place (a proxy's sign-in page):
 * the step fails quickly with what to check.
 */
const GARBLED_LIMIT = 3

/**
 * The gap before the next status request: short at first so quick runs are noticed within
 * a second, then a fixed share of the time waited so far, so a long run costs few requests.
 */
export function pollDelay(elapsedMs: number, capMs: number): number {
  return Math.min(capMs, Math.max(FIRST_POLL_MS, elapsedMs * GROWTH))
}

export interface WaitEvents {
  /** Every status read, finished or not. */
  status?(status: RunStatus): void
  /** A poll failed in a way that may pass; the next one comes after `retryInMs`. */
  pollFailed?(error: unknown, retryInMs: number): void
}

export interface WaitOptions {
  runId: string
  /** Reads the run's status; gets the time left before the deadline, to bound the request. */
  getRun: (timeoutMs: number) => Promise<RunStatus>
  clock: Clock
  /** Monotonic time at which to give up. */
  deadline: number
  /** The configured `timeout-minutes`, for the message when it passes. */
  timeoutMs: number
  pollCapMs: number
  /** Poll at once (resuming a run that may be over) rather than after the first gap. */
  pollNow: boolean
  signal?: AbortSignal
  events?: WaitEvents
  random?: () => number
}

export async function waitForRun(options: WaitOptions): Promise<FinishedRun> {
  const { clock, deadline, pollCapMs, signal, events } = options
  const started = clock.now()
  let failures = 0
  let garbled = 0
  let lastFailure: unknown
  let lastStatus: RunStatus | undefined
  let wait = options.pollNow ? 0 : Math.min(FIRST_POLL_MS, pollCapMs)

  for (;;) {
    await clock.sleep(Math.min(wait, Math.max(0, deadline - clock.now())), signal)
    try {
      const status = await options.getRun(Math.max(MIN_REQUEST_MS, deadline - clock.now()))
      failures = 0
      garbled = 0
      lastStatus = status
      events?.status?.(status)
      if (status.endTime != null) return status as FinishedRun
      wait = pollDelay(clock.now() - started, pollCapMs)
    } catch (error) {
      if (signal?.aborted) throw signal.reason
      const mayPass =
        isRetryable(error) || (error instanceof GarbledAnswerError && ++garbled < GARBLED_LIMIT)
      if (!mayPass) throw error
      failures++
      lastFailure = error
      wait = Math.min(
        Math.max(0, deadline - clock.now()),
        retryDelay(failures, pollCapMs, error, options.random)
      )
      if (clock.now() < deadline) events?.pollFailed?.(error, wait)
    }
    if (clock.now() >= deadline) {
      const last =
        failures > 0
          ? ` The last status request failed: ${errorMessage(lastFailure)}.`
          : lastStatus?.status != null
            ? ` Its last status was "${lastStatus.status}".`
            : ''
      throw new TimeoutError(
        `Run ${options.runId} did not finish within \`timeout-minutes\` (${formatDuration(options.timeoutMs)}).${last} The run keeps going on Datalore: there is no API to cancel it. Collect it later with \`run-id: ${options.runId}\`, or raise \`timeout-minutes\`.`
      )
    }
  }
}
