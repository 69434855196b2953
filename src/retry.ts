/**
 * When to try again, and how long to wait first: one set of rules for every idempotent
 * request (status polls and artifact downloads), and a stricter one for submitting a run.
 */
import type { Clock } from './clock.js'
import { HttpStatusError, NetworkError } from './errors.js'

/** Idempotent requests: network failures, timeouts, 5xx and 429 may pass. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof NetworkError) return !error.permanent
  if (error instanceof HttpStatusError) return error.status >= 500 || error.status === 429
  return false
}

/**
 * Submitting a run is not idempotent: sending it again could start a second run. Only retry
 * when the request provably never arrived, or the server said it did not take it.
 */
export function isSafeToResubmit(error: unknown): boolean {
  if (error instanceof NetworkError) return !error.mayHaveReachedServer && !error.permanent
  if (error instanceof HttpStatusError) return error.status === 429 || error.status === 503
  return false
}

const FIRST_RETRY_DELAY_MS = 1_000

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so retries
 * spread out but never collapse to zero. `failures` counts from 1. A server's Retry-After
 * may ask for longer, even longer than `capMs`, but never for less: `0`, a date in the past or
 * a garbled value would otherwise mean hammering the server. The caller's deadline caps it.
 */
export function retryDelay(
  failures: number,
  capMs: number,
  error: unknown,
  random: () => number = Math.random
): number {
  const step = Math.min(capMs, FIRST_RETRY_DELAY_MS * 2 ** Math.min(failures - 1, 20))
  const backoff = step / 2 + (random() * step) / 2
  const retryAfter = error instanceof HttpStatusError ? error.retryAfterMs : undefined
  return Math.max(backoff, retryAfter ?? 0)
}

/** A day: more than any deadline a Retry-After could matter for, and a safe number. */
const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000

/**
 * Retry-After is either delay-seconds or an HTTP date (RFC 9110). Anything else (a negative or
 * fractional number, garbage) is no answer at all; a date in the past is a wait of 0.
 */
export function parseRetryAfter(
  header: string | string[] | undefined,
  nowMs: number
): number | undefined {
  const text = (Array.isArray(header) ? header[0] : header)?.trim()
  if (text == null || text === '') return undefined
  if (/^\d+$/.test(text)) return Math.min(MAX_RETRY_AFTER_MS, Number(text) * 1000)
  // An HTTP date names its day or month in letters; Date.parse alone reads "-1" or "1.5" as dates.
  if (!/^[A-Za-z]{3}/.test(text)) return undefined
  const date = Date.parse(text)
  if (Number.isNaN(date)) return undefined
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, date - nowMs))
}

export interface RetryOptions {
  shouldRetry: (error: unknown) => boolean
  maxAttempts: number
  /** Longest wait between attempts (a server's Retry-After may ask for more). */
  capMs: number
  /** Monotonic time after which no new attempt starts. */
  deadline: number
  clock: Clock
  signal?: AbortSignal
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void
}

/** Runs `attempt` until it succeeds, fails for good, runs out of attempts or of time. */
export async function retrying<T>(
  attempt: (number: number) => Promise<T>,
  options: RetryOptions
): Promise<T> {
  const { clock } = options
  for (let number = 1; ; number++) {
    try {
      return await attempt(number)
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason
      if (number >= options.maxAttempts || !options.shouldRetry(error)) throw error
      const wait = retryDelay(number, options.capMs, error)
      if (clock.now() + wait >= options.deadline) throw error
      options.onRetry?.(error, number, wait)
      await clock.sleep(wait, options.signal)
    }
  }
}
