/**
 * How a step of several runs ends, run as the runner runs the bundled action against the
 * Datalore simulator: the conclusion is the worst of its runs, in the order the README gives
 * (`cancelled`, `timed_out`, `failure`, `skipped`, `submitted`, `success`).
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { DataloreSimulator, startDataloreSimulator } from '../simulator/datalore.js'
import { errorsOf, leaksOf, runAction, runsOutput } from './support/action.js'

let sim: DataloreSimulator

beforeAll(async () => {
  sim = await startDataloreSimulator()
  sim.addNotebook('team/broken', { durationMs: 200, success: false })
  sim.addNotebook('team/forever', { durationMs: Infinity, statuses: ['RUNNING'] })
})
afterAll(() => sim.close())

it('concludes timed_out when one run fails and another times out', async () => {
  // Seen red against outcome.ts with `timed_out` and `failure` swapped in the worst-first
  // order (the step concluded `failure`).
  const result = await runAction({
    host: sim.url,
    token: sim.token,
    notebooks: '- team/broken\n- team/forever',
    'poll-interval-seconds': '0.2',
    'timeout-minutes': '0.05',
    artifacts: 'none'
  })
  expect(leaksOf(result, sim.token)).toEqual([])
  expect(result.code).toBe(1)
  expect(runsOutput(result).map(r => [r.name, r.conclusion])).toEqual([
    ['team/broken', 'failure'],
    ['team/forever', 'timed_out']
  ])
  expect(result.outputs.conclusion).toBe('timed_out')
  expect(errorsOf(result).join('\n')).toMatch(/team\/broken/)
})
