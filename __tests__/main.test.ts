/**
 * `run()` in process, as actions/typescript-action tests it: inputs, environment, clock and
 * cancel signal are injected, Datalore is the simulator over real sockets, so a change to
 * `src/` is tested without `npm run build`. (The bundle's end-to-end suites prove `dist/`.)
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { parseOutputs } from '../scripts/runner-files.js'
import { DataloreSimulator, startDataloreSimulator } from '../simulator/datalore.js'
import { ResultsService, startResultsService } from '../simulator/github-results.js'
import type { Clock } from '../src/clock.js'
import { CancelledError } from '../src/errors.js'
import { run } from '../src/main.js'
import { holdsItsShape } from './support/summary-shape.js'
import { foreignCommands, parseWorkflowCommands } from './support/workflow-commands.js'

let sim: DataloreSimulator
let results: ResultsService

beforeAll(async () => {
  sim = await startDataloreSimulator()
  results = await startResultsService({ blobStorage: 'builtin' })
  sim.addNotebook('team/quick', {
    artifacts: [
      { name: 'analysis.ipynb', content: '{"cells": []}' },
      { name: 'out/data.csv', content: 'a,b\n1,2\n' }
    ]
  })
  sim.addNotebook('team/broken', { success: false })
  sim.addNotebook('team/forever', { durationMs: Infinity, statuses: ['RUNNING'] })
})
afterAll(async () => {
  await sim.close()
  await results.close()
})
afterEach(() => {
  sim.requests.length = 0
  sim.faults.clear()
  process.exitCode = undefined
})

/** Time that passes only when the action sleeps: hours of waiting take milliseconds. */
function virtualClock(): Clock & { slept: number[] } {
  let now = 0
  const slept: number[] = []
  return {
    slept,
    now: () => now,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted()
      slept.push(ms)
      now += ms
      await new Promise(resolve => setImmediate(resolve))
      signal?.throwIfAborted()
    }
  }
}

interface InProcessResult {
  exitCode: number | undefined
  stdout: string
  outputs: Record<string, string>
  summary: string
  errors: string[]
  workDir: string
}

/** Runs `run()` with these inputs, as a runner would give them, and reads what it left. */
async function runInProcess(
  inputs: Record<string, string>,
  options: { clock?: Clock; signal?: AbortSignal; env?: NodeJS.ProcessEnv } = {}
): Promise<InProcessResult> {
  const workDir = mkdtempSync(join(tmpdir(), 'datalore-main-'))
  const files = { output: join(workDir, 'output'), summary: join(workDir, 'summary') }
  writeFileSync(files.output, '')
  writeFileSync(files.summary, '')
  // @actions/core writes outputs and the summary where the runner's variables say.
  const runnerEnv = {
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    ...options.env
  }
  const saved = Object.keys(runnerEnv).map(name => [name, process.env[name]] as const)
  Object.assign(process.env, runnerEnv)
  const all = { host: sim.url, token: sim.token, 'poll-interval-seconds': '0.2', ...inputs }
  const write = process.stdout.write.bind(process.stdout)
  let stdout = ''
  process.stdout.write = ((chunk: string | Uint8Array): boolean => {
    stdout += String(chunk)
    return true
  }) as typeof process.stdout.write
  try {
    await run({
      getInput: name => all[name as keyof typeof all] ?? '',
      env: { RUNNER_TEMP: workDir, ...options.env },
      signal: options.signal ?? new AbortController().signal,
      ...(options.clock ? { clock: options.clock } : {})
    })
  } finally {
    process.stdout.write = write
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
  const summary = readFileSync(files.summary, 'utf8')
  expect(foreignCommands(stdout, [sim.token, ...results.masked()])).toEqual([])
  expect(stdout.split(`::add-mask::${sim.token}`).join('')).not.toContain(sim.token)
  expect(holdsItsShape(summary)).toBe(true)
  return {
    exitCode: typeof process.exitCode === 'number' ? process.exitCode : undefined,
    stdout,
    outputs: parseOutputs(readFileSync(files.output, 'utf8')),
    summary,
    errors: parseWorkflowCommands(stdout)
      .filter(c => c.name === 'error')
      .map(c => c.data),
    workDir
  }
}

describe('the three stories', () => {
  it('submits, waits, downloads and uploads: every output set', async () => {
    const result = await runInProcess(
      { 'notebook-id': 'team/quick', parameters: 'Region: EU' },
      { env: { ...results.env, GITHUB_REPOSITORY: 'acme/app', GITHUB_RUN_ID: '7' } }
    )
    expect(result.exitCode).toBeUndefined()
    expect(result.errors).toEqual([])
    const runId = [...sim.runs.keys()].at(-1) ?? ''
    expect(JSON.parse(sim.requestsTo('submit')[0]?.body ?? '{}')).toEqual({
      notebookId: 'team/quick',
      updateReport: 'never',
      parameters: [{ name: 'Region', value: 'EU' }]
    })
    expect(result.outputs).toMatchObject({
      'run-id': runId,
      conclusion: 'success',
      success: 'true',
      'artifacts-path': join(result.workDir, 'datalore', runId),
      'artifact-id': expect.stringMatching(/^\d+$/)
    })
    expect(JSON.parse(result.outputs.artifacts ?? '[]')).toEqual([
      expect.objectContaining({ name: 'analysis.ipynb', file: 'analysis.ipynb', size: 13 }),
      expect.objectContaining({ name: 'out/data.csv', file: 'out_data.csv', size: 8 })
    ])
    expect(results.finalized().map(a => a.name)).toContain(`datalore-team-quick-${runId}`)
    expect(result.summary).toContain('✅ Datalore run succeeded')
  })

  it('submits without waiting, then collects the same run by run-id', async () => {
    const submitted = await runInProcess({
      'notebook-id': 'team/quick',
      wait: 'false',
      artifacts: 'download'
    })
    const runId = submitted.outputs['run-id'] ?? ''
    expect(submitted.outputs).toEqual({
      'run-id': runId,
      'notebook-url': `${sim.url}/notebook/team/quick`,
      conclusion: 'submitted'
    })
    expect(sim.requestsTo('status')).toHaveLength(0)

    const collected = await runInProcess({ 'run-id': runId, artifacts: 'download' })
    expect(collected.exitCode).toBeUndefined()
    expect(sim.requestsTo('submit')).toHaveLength(1)
    expect(collected.outputs).toMatchObject({ 'run-id': runId, conclusion: 'success' })
    expect(collected.outputs['notebook-url']).toBeUndefined()
  })

  it('runs a notebook in place in interactive mode', async () => {
    const result = await runInProcess({ 'notebook-id': 'team/quick', mode: 'interactive' })
    expect(result.exitCode).toBeUndefined()
    expect(sim.requestsTo('interactive').map(r => JSON.parse(r.body))).toEqual([
      { notebookId: 'team/quick' }
    ])
    expect(result.outputs).toEqual({
      'notebook-url': `${sim.url}/notebook/team/quick`,
      conclusion: 'submitted'
    })
  })
})

describe('how it ends', () => {
  it('fails the step when the notebook fails, and still collects its artifacts', async () => {
    const result = await runInProcess({ 'notebook-id': 'team/broken', artifacts: 'download' })
    expect(result.exitCode).toBe(1)
    expect(result.outputs).toMatchObject({ conclusion: 'failure', success: 'false' })
    expect(result.errors).toEqual([
      expect.stringMatching(/^The notebook run failed \(Datalore run \S+\): see http/)
    ])
  })

  it('refuses a bad input before any request', async () => {
    const result = await runInProcess({ 'notebook-id': 'team/quick', 'timeout-minutes': 'soon' })
    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([expect.stringMatching(/^Input `timeout-minutes` must be/)])
    expect(sim.requests).toEqual([])
  })

  it('times out after two hours of waiting, on an injected clock, in a fraction of a second', async () => {
    const clock = virtualClock()
    const result = await runInProcess(
      { 'notebook-id': 'team/forever', 'poll-interval-seconds': '60' },
      { clock }
    )
    expect(result.exitCode).toBe(1)
    expect(result.outputs.conclusion).toBe('timed_out')
    expect(result.errors).toEqual([
      expect.stringMatching(
        /did not finish within `timeout-minutes` \(2h 0m 0s\)\. Its last status was "RUNNING"/
      )
    ])
    expect(clock.now()).toBeGreaterThanOrEqual(120 * 60_000)
    // Fast at first, then at most a minute apart.
    expect(clock.slept[0]).toBe(1_000)
    expect(Math.max(...clock.slept)).toBeLessThanOrEqual(60_000)
    expect(sim.requestsTo('status').length).toBeLessThan(200)
    expect(result.summary).toContain('Last status')
  })

  it('reports a cancelled job with the run that keeps going', async () => {
    const controller = new AbortController()
    const clock = virtualClock()
    const waiting = setInterval(() => {
      if (sim.requestsTo('status').length >= 3) controller.abort(new CancelledError('SIGTERM'))
    }, 1)
    const result = await runInProcess(
      { 'notebook-id': 'team/forever' },
      { clock, signal: controller.signal }
    ).finally(() => clearInterval(waiting))
    expect(result.exitCode).toBe(1)
    expect(result.outputs.conclusion).toBe('cancelled')
    expect(result.errors).toEqual([
      expect.stringMatching(
        /^The job was cancelled \(SIGTERM\)\. The Datalore run \S+ keeps running/
      )
    ])
  })
})

/**
 * Time that runs `factor` times faster than the real one. Several runs sleep at once, so time
 * cannot be the sum of their sleeps (as `virtualClock` makes it); it must pass for all alike.
 */
function fastClock(factor: number): Clock {
  const start = performance.now()
  return {
    now: () => (performance.now() - start) * factor,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted()
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, ms / factor)
        signal?.addEventListener('abort', () => {
          clearTimeout(timer)
          reject(signal.reason)
        })
      })
    }
  }
}

describe('several notebooks', () => {
  it('waits for all of them with one heartbeat for the step, on a clock 200 times as fast', async () => {
    const clock = fastClock(200)
    const result = await runInProcess(
      {
        notebooks: '- team/forever\n- notebook-id: team/forever\n  name: again\n- team/quick',
        'timeout-minutes': '10',
        'poll-interval-seconds': '30',
        artifacts: 'none'
      },
      { clock }
    )
    expect(result.exitCode).toBe(1)
    expect(result.outputs.conclusion).toBe('timed_out')
    const beats = result.stdout.split('\n').filter(line => line.startsWith('Still waiting after'))
    expect(beats.length).toBeGreaterThan(0)
    // Only what still runs: the quick one finished long before.
    expect(beats[0]).toMatch(
      /^Still waiting after \d+m \d+s for 2 run\(s\): "team\/forever \(run \S+, RUNNING\)", "again \(run \S+, RUNNING\)"$/
    )
    // A minute apart: ten minutes make about ten.
    expect(beats.length).toBeGreaterThanOrEqual(3)
    expect(beats.length).toBeLessThanOrEqual(11)
    // No run has a heartbeat of its own.
    expect(result.stdout).not.toContain('still running after')
    // The runs' own annotations are titled with their names, after the step's.
    expect(result.errors[0]).toMatch(/^These runs keep going on Datalore/)
    expect(result.errors.slice(1)).toEqual([
      expect.stringMatching(/^Run \S+ did not finish within `timeout-minutes` \(10m 0s\)/),
      expect.stringMatching(/^Run \S+ did not finish within `timeout-minutes` \(10m 0s\)/)
    ])
    expect(JSON.parse(result.outputs.runs ?? '[]')).toMatchObject([
      { name: 'team/forever', conclusion: 'timed_out' },
      { name: 'again', conclusion: 'timed_out' },
      { name: 'team/quick', conclusion: 'success', success: true }
    ])
  })
})
