import { expect, it } from '@jest/globals'
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
