/**
 * Starting a run. It is not idempotent: a request that reached Datalore may have started a run
 * even when no answer came back, so it is sent again only when it provably did not start one
 * (connection refused, `429`, `503`), at most a few times, and never past the deadline.
 */
import type { Clock } from './clock.js'
import type { RunRequest } from './datalore/api.js'
import { DataloreClient, SUBMIT_TIMEOUT_MS } from './datalore/client.js'
import { errorMessage, TimeoutError } from './errors.js'
import { formatDuration } from './format.js'
import type { SubmitStory } from './inputs/config.js'
import { notebookPath } from './inputs/notebook-id.js'
import { listOf, log } from './log.js'
import { isSafeToResubmit, retrying } from './retry.js'

/** Submitting is retried only when it provably did not start a run; this many times at most. */
const SUBMIT_ATTEMPTS = 5
/**
 * A cancel lets a request to start a run go on this long: its answer names a run that would
 * otherwise keep going unknown. Well within the cancel's exit backstop (src/cancel.ts).
 */
const SUBMIT_GRACE_MS = 1_000

export interface SubmitOptions {
  host: string
  clock: Clock
  deadline: number
  /** `timeout-minutes`, for the message when it runs out. */
  timeoutMs: number
  /** The longest wait between attempts. */
  retryCapMs: number
  signal?: AbortSignal
}

/** Starts a run of the story's notebook; returns its run ID. */
export async function submitRun(
  datalore: DataloreClient,
  story: SubmitStory,
  options: SubmitOptions
): Promise<string> {
  const { clock, deadline, signal } = options
  const request: RunRequest = {
    notebookId: notebookPath(story.notebook),
    updateReport: story.updateReport,
    ...(story.directFileStorageWrite ? { directFileStorageWrite: true as const } : {}),
    ...(story.parameters != null ? { parameters: story.parameters } : {})
  }
  const names = story.parameters && listOf(story.parameters.map(p => p.name))
  log.info(
    `Starting a run of notebook ${request.notebookId} on ${options.host}${names ? ` with parameters ${names}` : ''} (update report: ${story.updateReport})`
  )
  const attempt = async (): Promise<string> => {
    const timeoutMs = requestTimeout(deadline, clock, 'the run could be submitted')
    try {
      return await datalore.startRun(request, timeoutMs, withGrace(signal, SUBMIT_GRACE_MS))
    } catch (error) {
      if (signal?.aborted || clock.now() < deadline) throw error
      throw new TimeoutError(
        `\`timeout-minutes\` (${formatDuration(options.timeoutMs)}) ran out while submitting the run (${errorMessage(error)}). If the request had reached Datalore, a run may have started: check the notebook's run history.`
      )
    }
  }
  return retrying(attempt, {
    shouldRetry: isSafeToResubmit,
    maxAttempts: SUBMIT_ATTEMPTS,
    capMs: options.retryCapMs,
    deadline,
    clock,
    signal,
    onRetry: (error, number, delayMs) =>
      log.warning(
        `Could not submit the run (attempt ${number} of ${SUBMIT_ATTEMPTS}): ${errorMessage(error)}. No run was started; trying again in ${formatDuration(delayMs)}.`
      )
  })
}

/** How long a request to start a run may take: at most the time left, and never past the deadline. */
export function requestTimeout(deadline: number, clock: Clock, what: string): number {
  const left = deadline - clock.now()
  if (left <= 0) throw new TimeoutError(`\`timeout-minutes\` ran out before ${what}.`)
  return Math.min(SUBMIT_TIMEOUT_MS, left)
}

/** A signal aborted `graceMs` after `signal` is, for the same reason. */
function withGrace(signal: AbortSignal | undefined, graceMs: number): AbortSignal | undefined {
  if (signal == null) return undefined
  const graced = new AbortController()
  const abortLater = (): void => {
    setTimeout(() => graced.abort(signal.reason), graceMs).unref()
  }
  if (signal.aborted) abortLater()
  else signal.addEventListener('abort', abortLater, { once: true })
  return graced.signal
}
