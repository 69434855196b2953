import { describe, expect, it } from '@jest/globals'
import { HttpStatusError, NetworkError, ProtocolError } from '../src/errors.js'
import {
  isRetryable,
  isSafeToResubmit,
  parseRetryAfter,
  retryDelay,
  retrying
} from '../src/retry.js'

const refused = new NetworkError('refused', 'ECONNREFUSED', false)
const reset = new NetworkError('reset', 'ECONNRESET', true)
const tls = new NetworkError('tls', 'CERT_HAS_EXPIRED', false, true)
const status = (code: number) => new HttpStatusError(`HTTP ${code}`, code, undefined)

describe('what may be tried again', () => {
  it.each([
    [reset, true, false],
    [refused, true, true],
    [tls, false, false],
    [status(500), true, false],
    [status(502), true, false],
    [status(503), true, true],
    [status(504), true, false],
    [status(429), true, true],
    [status(400), false, false],
    [status(401), false, false],
    [status(403), false, false],
    [status(404), false, false],
    [new ProtocolError('x'), false, false],
    [new Error('x'), false, false]
  ])('%p: poll again %p, submit again %p', (error, poll, submit) => {
    expect(isRetryable(error)).toBe(poll)
    expect(isSafeToResubmit(error)).toBe(submit)
  })
})

describe('Retry-After', () => {
  const now = Date.parse('2026-11-25T10:00:00Z')
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('7', now)).toBe(7_000)
    expect(parseRetryAfter('Wed, 25 Nov 2026 10:00:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter('Wed, 25 Nov 2026 09:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter(undefined, now)).toBeUndefined()
    expect(parseRetryAfter('soon', now)).toBeUndefined()
  })
  it('refuses what is neither delay-seconds nor an HTTP date', () => {
    for (const text of ['-5', '1.5', '1e3', '0x10', ' ', 'soon']) {
      expect(parseRetryAfter(text, now)).toBeUndefined()
    }
    expect(parseRetryAfter('99999999999999999999', now)).toBe(24 * 60 * 60 * 1000)
  })
  it('wins over our own backoff when it asks for longer', () => {
    expect(retryDelay(1, 10_000, new HttpStatusError('x', 429, 42_000))).toBe(42_000)
  })
  it('never asks for less than our own backoff: 0 or a date in the past is not "at once"', () => {
    for (const asked of [0, 1, 200]) {
      expect(retryDelay(1, 10_000, new HttpStatusError('x', 429, asked), () => 0)).toBe(500)
    }
  })
})

it('backs off exponentially with jitter, capped', () => {
  expect([1, 2, 3, 4, 5].map(n => retryDelay(n, 10_000, reset, () => 0))).toEqual([
    500, 1_000, 2_000, 4_000, 5_000
  ])
  expect([1, 2, 3, 4, 5].map(n => retryDelay(n, 10_000, reset, () => 1))).toEqual([
    1_000, 2_000, 4_000, 8_000, 10_000
  ])
})

describe('retrying', () => {
  const clock = () => {
    let t = 0
    return { now: () => t, sleep: async (ms: number) => void (t += ms) }
  }

  it('stops after the attempts allowed, with the last error', async () => {
    let calls = 0
    const attempt = async () => {
      calls++
      throw refused
    }
    await expect(
      retrying(attempt, {
        shouldRetry: isSafeToResubmit,
        maxAttempts: 3,
        capMs: 1_000,
        deadline: 1e9,
        clock: clock()
      })
    ).rejects.toBe(refused)
    expect(calls).toBe(3)
  })

  it('never retries what may not be retried', async () => {
    let calls = 0
    const attempt = async () => {
      calls++
      throw reset
    }
    await expect(
      retrying(attempt, {
        shouldRetry: isSafeToResubmit,
        maxAttempts: 5,
        capMs: 1_000,
        deadline: 1e9,
        clock: clock()
      })
    ).rejects.toBe(reset)
    expect(calls).toBe(1)
  })

  it('does not start an attempt after the deadline', async () => {
    let calls = 0
    const attempt = async () => {
      calls++
      throw new HttpStatusError('later', 429, 60_000)
    }
    await expect(
      retrying(attempt, {
        shouldRetry: isSafeToResubmit,
        maxAttempts: 5,
        capMs: 1_000,
        deadline: 30_000,
        clock: clock()
      })
    ).rejects.toThrow('later')
    expect(calls).toBe(1)
  })
})
