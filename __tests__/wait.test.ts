import { describe, expect, it } from '@jest/globals'
import type { Clock } from '../src/clock.js'
import type { RunStatus } from '../src/datalore/api.js'
import {
  CancelledError,
  HttpStatusError,
  NetworkError,
  ProtocolError,
  TimeoutError
} from '../src/errors.js'
import { pollDelay, waitForRun, WaitOptions } from '../src/wait.js'

/** A clock that only moves when the code under test sleeps, or when a request "takes time". */
function fakeClock(): Clock & { sleeps: number[]; t: number } {
  const clock = {
    t: 0,
    sleeps: [] as number[],
    now: () => clock.t,
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) throw signal.reason
      clock.sleeps.push(ms)
      clock.t += ms
    }
  }
  return clock
}

/** A run that finishes at `endsAt` ms of the fake clock. */
function runEndingAt(clock: { now(): number }, endsAt: number, success = true) {
  const polls: number[] = []
  const getRun = async (): Promise<RunStatus> => {
    polls.push(clock.now())
    return clock.now() >= endsAt
      ? { runId: 'r1', endTime: '2026-01-01T00:00:10Z', success, artifacts: [] }
      : { runId: 'r1', status: clock.now() < endsAt / 2 ? 'QUEUED' : 'RUNNING', artifacts: [] }
  }
  return { polls, getRun }
}

function options(clock: Clock, overrides: Partial<WaitOptions>): WaitOptions {
  return {
    runId: 'r1',
    getRun: async () => ({ runId: 'r1', artifacts: [] }),
    clock,
    deadline: 3_600_000,
    timeoutMs: 3_600_000,
    pollCapMs: 10_000,
    pollNow: false,
    random: () => 0.5,
    ...overrides
  }
}

describe('the poll schedule', () => {
  it('starts at a second and grows with the time waited, up to the cap', () => {
    expect(
      [0, 1_000, 2_000, 3_000, 4_000, 10_000, 24_000, 25_000, 600_000].map(t =>
        pollDelay(t, 10_000)
      )
    ).toEqual([1_000, 1_000, 1_000, 1_200, 1_600, 4_000, 9_600, 10_000, 10_000])
    expect(pollDelay(0, 200)).toBe(200)
  })

  it.each([
    [3_000, 1_000, 8],
    [20_000, 5_000, 10],
    [60_000, 5_000, 14]
  ])(
    'notices a %i ms run within %i ms, in at most %i requests',
    async (duration, lateness, requests) => {
      const clock = fakeClock()
      const run = runEndingAt(clock, duration)
      await waitForRun(options(clock, { getRun: run.getRun }))
      expect(clock.now() - duration).toBeLessThanOrEqual(lateness)
      expect(run.polls.length).toBeLessThanOrEqual(requests)
    }
  )

  it('polls at once when resuming a run that may be over', async () => {
    const clock = fakeClock()
    const run = runEndingAt(clock, 0)
    await waitForRun(options(clock, { getRun: run.getRun, pollNow: true }))
    expect(run.polls).toEqual([0])
  })
})

it('reports every status and returns the finished run', async () => {
  const clock = fakeClock()
  const run = runEndingAt(clock, 4_000, false)
  const seen: Array<string | undefined> = []
  const finished = await waitForRun(
    options(clock, { getRun: run.getRun, events: { status: s => seen.push(s.status) } })
  )
  expect(finished).toMatchObject({ endTime: '2026-01-01T00:00:10Z', success: false })
  expect(seen).toEqual(['QUEUED', 'RUNNING', 'RUNNING', undefined])
})

describe('failed polls', () => {
  it('counts a retryable failure as still running, backing off up to the cap', async () => {
    const clock = fakeClock()
    let calls = 0
    const failures: number[] = []
    const getRun = async (): Promise<RunStatus> => {
      calls++
      if (calls <= 5) throw new NetworkError('reset', 'ECONNRESET', true)
      return { runId: 'r1', endTime: 'x', success: true, artifacts: [] }
    }
    await waitForRun(
      options(clock, {
        getRun,
        pollCapMs: 5_000,
        events: { pollFailed: (_e, ms) => failures.push(ms) }
      })
    )
    // Equal jitter with random() = 0.5: three quarters of 1 s, 2 s, 4 s, then the 5 s cap.
    expect(failures).toEqual([750, 1_500, 3_000, 3_750, 3_750])
    expect(calls).toBe(6)
  })

  it("waits as long as the server's Retry-After asks", async () => {
    const clock = fakeClock()
    let calls = 0
    const getRun = async (): Promise<RunStatus> => {
      if (++calls === 1) throw new HttpStatusError('slow down', 429, 7_000)
      return { runId: 'r1', endTime: 'x', success: true, artifacts: [] }
    }
    await waitForRun(options(clock, { getRun, pollNow: true }))
    expect(clock.sleeps).toEqual([0, 7_000])
  })

  it.each([
    new HttpStatusError('gone', 404, undefined),
    new HttpStatusError('no', 401, undefined),
    new ProtocolError('bad shape'),
    new NetworkError('certificate', 'CERT_HAS_EXPIRED', false, true)
  ])('stops at once on %p', async error => {
    const clock = fakeClock()
    let calls = 0
    const getRun = async (): Promise<RunStatus> => {
      calls++
      throw error
    }
    await expect(waitForRun(options(clock, { getRun }))).rejects.toBe(error)
    expect(calls).toBe(1)
  })
})

describe('the deadline', () => {
  it('times out with the run ID and the last status, never sleeping past it', async () => {
    const clock = fakeClock()
    const run = runEndingAt(clock, Infinity)
    const waiting = waitForRun(
      options(clock, { getRun: run.getRun, deadline: 30_000, timeoutMs: 30_000 })
    )
    await expect(waiting).rejects.toThrow(TimeoutError)
    await expect(waiting).rejects.toThrow(
      /^Run r1 did not finish within `timeout-minutes` \(30s\)\. Its last status was "QUEUED"\. The run keeps going on Datalore.*`run-id: r1`/
    )
    expect(clock.now()).toBe(30_000)
    expect(run.polls.at(-1)).toBe(30_000)
  })

  it('names the last failure when polls were failing', async () => {
    const clock = fakeClock()
    const getRun = async (): Promise<RunStatus> => {
      throw new NetworkError('no answer from h within 30 s', 'ETIMEDOUT', true)
    }
    await expect(waitForRun(options(clock, { getRun, deadline: 10_000 }))).rejects.toThrow(
      /The last status request failed: no answer from h within 30 s\./
    )
    expect(clock.now()).toBe(10_000)
  })

  it('bounds each status request by the time left, giving the last one a second', async () => {
    const clock = fakeClock()
    const limits: number[] = []
    const getRun = async (timeoutMs: number): Promise<RunStatus> => {
      limits.push(timeoutMs)
      return { runId: 'r1', artifacts: [] }
    }
    await expect(waitForRun(options(clock, { getRun, deadline: 2_500 }))).rejects.toThrow(
      TimeoutError
    )
    expect(limits).toEqual([1_500, 1_000, 1_000])
  })
})

it('stops when cancelled, with the cancel as the reason', async () => {
  const clock = fakeClock()
  const controller = new AbortController()
  const getRun = async (): Promise<RunStatus> => {
    controller.abort(new CancelledError('SIGTERM'))
    throw new NetworkError('aborted', 'ECONNRESET', true)
  }
  await expect(waitForRun(options(clock, { getRun, signal: controller.signal }))).rejects.toThrow(
    CancelledError
  )
})

describe('a status without endTime', () => {
  it('does not end the wait, whatever else it says', async () => {
    // Head on: seen red against wait.ts ending the wait once `success` is set, and once the
    // status lists artifacts (each a mutation of its condition).
    const clock = fakeClock()
    const finished: RunStatus = {
      runId: 'r1',
      endTime: '2026-01-01T00:00:10Z',
      success: true,
      artifacts: []
    }
    const answers: RunStatus[] = [
      { runId: 'r1', artifacts: [] },
      { runId: 'r1', status: 'SUCCESS', artifacts: [] },
      { runId: 'r1', status: 'FINISHED', success: true, artifacts: [] },
      { runId: 'r1', success: false, artifacts: [{ name: 'a.ipynb', path: '/a.ipynb' }] },
      finished
    ]
    let polls = 0
    const getRun = async (): Promise<RunStatus> => answers[polls++] ?? finished
    await expect(waitForRun(options(clock, { getRun }))).resolves.toBe(finished)
    expect(polls).toBe(answers.length)
  })
})
