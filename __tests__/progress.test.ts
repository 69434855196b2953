import { expect, it } from '@jest/globals'
import { Outcome, recordStatus } from '../src/outcome.js'
import { reportProgress } from '../src/progress.js'

it('logs each status change verbatim, then a heartbeat at most once a minute', () => {
  let t = 0
  const clock = { now: () => t, sleep: async () => undefined }
  const lines: string[] = []
  const events = reportProgress(clock, line => lines.push(line))
  const running = (status: string) =>
    events.status?.({ runId: 'r1', status, startTime: 'S', artifacts: [] })

  running('queued: 3 ahead')
  for (t = 10_000; t <= 150_000; t += 10_000) running('RUNNING')
  t = 155_000
  events.status?.({ runId: 'r1', startTime: 'S', endTime: 'E', success: true, artifacts: [] })

  expect(lines).toEqual([
    'Run r1: status "queued: 3 ahead"',
    'Run r1: status "RUNNING"',
    'Run r1 still running after 1m 10s',
    'Run r1 still running after 2m 10s',
    'Run r1 finished at E: success=true'
  ])
})

it('records what a status says: the start kept, the last status, the end once it comes', () => {
  const outcome: Outcome = { host: 'h', mode: 'run', updateReport: 'never' }
  recordStatus(outcome, { runId: 'r1', status: 'QUEUED', startTime: 'S', artifacts: [] })
  recordStatus(outcome, { runId: 'r1', status: 'RUNNING', artifacts: [] })
  expect(outcome).toMatchObject({ startTime: 'S', status: 'RUNNING' })
  expect(outcome.endTime).toBeUndefined()
  recordStatus(outcome, { runId: 'r1', startTime: 'S', endTime: 'E', artifacts: [] })
  expect(outcome).toMatchObject({ startTime: 'S', endTime: 'E', status: 'RUNNING' })
})
