/**
 * The bundled action, run as a process against the Datalore simulator: the story of the README,
 * and the ways it ends.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { DataloreSimulator, startDataloreSimulator } from '../simulator/datalore.js'
import { ActionResult, errorsOf, leaksOf, NODES, runAction, RunOptions } from './support/action.js'
import { startProxy } from './support/proxy.js'

let sim: DataloreSimulator

beforeAll(async () => {
  sim = await startDataloreSimulator()
  sim.addNotebook('team/quick', { durationMs: 300 })
  sim.addNotebook('team/broken', { durationMs: 300, success: false })
  sim.addNotebook('team/forever', { durationMs: Infinity, statuses: ['RUNNING'] })
  sim.addNotebook('team/controls', {
    durationMs: 0,
    controls: ['Region', 'Threshold', 'Columns', 'When']
  })
})
afterAll(() => sim.close())
afterEach(() => {
  sim.requests.length = 0
  sim.faults.clear()
})

/** Runs the action against the simulator; every run is checked for a leaked token. */
async function run(inputs: Record<string, string>, options?: RunOptions): Promise<ActionResult> {
  const result = await runAction(
    { host: sim.url, token: sim.token, 'poll-interval-seconds': '0.2', ...inputs },
    options
  )
  expect(leaksOf(result, sim.token)).toEqual([])
  return result
}

function submitted(): Record<string, unknown>[] {
  return sim.requestsTo('submit').map(r => JSON.parse(r.body) as Record<string, unknown>)
}

describe.each(NODES)('on %s', (_label, node) => {
  it('runs a notebook, waits, and sets every output', async () => {
    const result = await run({ 'notebook-id': 'team/quick' }, { node })

    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(sim.requestsTo('submit')).toHaveLength(1)
    const runId = [...sim.runs.keys()].at(-1) ?? ''
    expect(result.outputs).toEqual({
      'run-id': runId,
      'notebook-url': `${sim.url}/notebook/team/quick`,
      conclusion: 'success',
      success: 'true',
      'start-time': expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      'end-time': expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      'duration-seconds': '0.3',
      'report-updated': 'false',
      'artifacts-path': `${result.workDir}/datalore/${runId}`,
      artifacts: '[]'
    })
    expect(submitted()).toEqual([{ notebookId: 'team/quick', updateReport: 'never' }])
    const [submit] = sim.requestsTo('submit')
    expect(submit?.headers.authorization).toBe(`Bearer ${sim.token}`)
    expect(submit?.headers['content-type']).toBe('application/json')
    expect(result.summary).toContain('Datalore run succeeded')
    expect(result.summary).toContain(`<code>${runId}</code>`)
    expect(result.summary).toContain(`<a href="${sim.url}/notebook/team/quick">team/quick</a>`)
  })
})

it('masks the token before printing anything', async () => {
  const result = await run({ 'notebook-id': 'team/quick' })
  expect(result.stdout.split('\n')[0]).toBe(`::add-mask::${sim.token}`)
})

it('fails the step when the notebook fails, with outputs set and the notebook linked', async () => {
  const result = await run({ 'notebook-id': 'team/broken' })

  expect(result.code).toBe(1)
  expect(result.outputs).toMatchObject({
    'run-id': expect.stringMatching(/^run-/),
    conclusion: 'failure',
    success: 'false',
    'end-time': expect.any(String)
  })
  expect(errorsOf(result)).toEqual([
    `The notebook run failed (Datalore run ${result.outputs['run-id']}): see ${sim.url}/notebook/team/broken for the cells' output.`
  ])
  expect(result.stdout).toContain('::error title=Datalore run failed::')
  expect(result.summary).toContain('Datalore run failed')
})

it('lets the step succeed on a failed notebook when fail-on-run-failure is false', async () => {
  const result = await run({ 'notebook-id': 'team/broken', 'fail-on-run-failure': 'false' })

  expect(result.code).toBe(0)
  expect(result.outputs).toMatchObject({ conclusion: 'failure', success: 'false' })
  expect(errorsOf(result)).toEqual([])
  expect(result.stdout).toMatch(/::warning title=Datalore run failed::.*fail-on-run-failure/)
})

it('submits without waiting, then collects the run in a second step with run-id', async () => {
  sim.addNotebook('team/later', { durationMs: 500 })
  const first = await run({ 'notebook-id': 'team/later', wait: 'false' })

  expect(first.code).toBe(0)
  expect(first.outputs).toEqual({
    'run-id': expect.stringMatching(/^run-/),
    'notebook-url': `${sim.url}/notebook/team/later`,
    conclusion: 'submitted'
  })
  expect(sim.requestsTo('status')).toHaveLength(0)

  const second = await run({ 'notebook-id': 'team/later', 'run-id': first.outputs['run-id'] ?? '' })
  expect(second.code).toBe(0)
  expect(second.outputs).toMatchObject({
    'run-id': first.outputs['run-id'],
    conclusion: 'success',
    success: 'true'
  })
  expect(sim.requestsTo('submit')).toHaveLength(1)
  expect(
    sim.requestsTo('status').every(r => r.path === `/api/run/v1/${first.outputs['run-id']}`)
  ).toBe(true)
})

it('collects a run by run-id alone, without the notebook', async () => {
  const first = await run({ 'notebook-id': 'team/quick', wait: 'false' })
  const second = await runAction({
    host: sim.url,
    token: sim.token,
    'run-id': first.outputs['run-id'] ?? ''
  })
  expect(second.code).toBe(0)
  expect(second.outputs).toMatchObject({ 'run-id': first.outputs['run-id'], conclusion: 'success' })
  expect(second.outputs['notebook-url']).toBeUndefined()
})

it('runs a notebook in interactive mode', async () => {
  const result = await run({ 'notebook-id': 'team/quick', mode: 'interactive' })

  expect(result.code).toBe(0)
  expect(sim.requests.map(r => [r.method, r.path, r.body])).toEqual([
    ['POST', '/api/computation/v1/notebook', JSON.stringify({ notebookId: 'team/quick' })]
  ])
  expect(result.outputs).toEqual({
    'notebook-url': `${sim.url}/notebook/team/quick`,
    conclusion: 'submitted'
  })
})

it('times out, names the run that keeps running, and sets the outputs', async () => {
  const result = await run({ 'notebook-id': 'team/forever', 'timeout-minutes': '0.02' })

  expect(result.code).toBe(1)
  const runId = result.outputs['run-id']
  expect(result.outputs).toMatchObject({
    conclusion: 'timed_out',
    'run-id': expect.stringMatching(/^run-/)
  })
  expect(result.outputs.success).toBeUndefined()
  expect(errorsOf(result)[0]).toMatch(
    new RegExp(
      `^Run ${runId} did not finish within .timeout-minutes. \\(1s\\)\\. Its last status was "RUNNING"\\. The run keeps going on Datalore`
    )
  )
  // 1.2 s of timeout; the process itself must not add much.
  expect(result.durationMs).toBeLessThan(1200 + 2000)
  expect(result.summary).toContain('timed out')
})

describe('what reaches Datalore', () => {
  it('sends a parameter mapping as name/value pairs of strings, as written', async () => {
    const result = await run({
      'notebook-id': 'team/controls',
      parameters: 'Region: EU\nThreshold: 0.50\nColumns: [revenue, 10]\nWhen: 2026-01-01'
    })
    expect(result.code).toBe(0)
    expect(submitted()[0]?.parameters).toEqual([
      { name: 'Region', value: 'EU' },
      { name: 'Threshold', value: '0.50' },
      { name: 'Columns', value: ['revenue', '10'] },
      { name: 'When', value: '2026-01-01' }
    ])
  })

  it('passes a JSON array of parameters through exactly', async () => {
    const parameters =
      '[{"name": "Threshold", "value": 0.5}, {"name": "Region", "value": {"nested": [1, true, null]}}]'
    const result = await run({ 'notebook-id': 'team/controls', parameters })
    expect(result.code).toBe(0)
    expect(submitted()[0]?.parameters).toEqual(JSON.parse(parameters))
  })

  it('sends update-report as "on success" and reports the refresh', async () => {
    const result = await run({ 'notebook-id': 'team/quick', 'update-report': 'on-success' })
    expect(submitted()).toEqual([{ notebookId: 'team/quick', updateReport: 'on success' }])
    expect(result.outputs['report-updated']).toBe('true')
  })

  it('sends direct-file-storage-write only when true', async () => {
    await run({ 'notebook-id': 'team/quick', 'direct-file-storage-write': 'false' })
    await run({ 'notebook-id': 'team/quick', 'direct-file-storage-write': 'true' })
    expect(submitted()).toEqual([
      { notebookId: 'team/quick', updateReport: 'never' },
      { notebookId: 'team/quick', updateReport: 'never', directFileStorageWrite: true }
    ])
  })

  it('takes the host from a notebook URL', async () => {
    const result = await runAction({
      'notebook-id': `${sim.url}/notebook/team/quick/`,
      token: sim.token
    })
    expect(result.code).toBe(0)
    expect(result.outputs['notebook-url']).toBe(`${sim.url}/notebook/team/quick`)
  })
})

describe('failing fast', () => {
  it('stops at a 401 after one request, saying to check the token', async () => {
    const result = await runAction({
      host: sim.url,
      token: 'not-the-token',
      'notebook-id': 'team/quick'
    })
    expect(result.code).toBe(1)
    expect(sim.requests).toHaveLength(1)
    expect(errorsOf(result)).toEqual([
      expect.stringMatching(
        /^Datalore could not start the run: 401 "Invalid or expired API token"\. Check `token`: .*not expired/
      )
    ])
    expect(result.outputs).toEqual({
      conclusion: 'failure',
      'notebook-url': `${sim.url}/notebook/team/quick`
    })
  })

  it('stops at a 404 after one request, saying to check notebook-id', async () => {
    const result = await run({ 'notebook-id': 'team/missing' })
    expect(result.code).toBe(1)
    expect(sim.requests).toHaveLength(1)
    expect(errorsOf(result)).toEqual([
      expect.stringMatching(
        /^Datalore could not start the run: 404 "Notebook team\/missing not found"\. Check `notebook-id` \(team\/missing\)/
      )
    ])
  })

  it('refuses a bad input before any request, naming it and showing a good value', async () => {
    const result = await run({ 'notebook-id': 'team/quick', 'timeout-minutes': 'soon' })
    expect(result.code).toBe(1)
    expect(sim.requests).toHaveLength(0)
    expect(errorsOf(result)).toEqual([
      'Input `timeout-minutes` must be a number from 0.01 to 43200, got "soon". For example: `timeout-minutes: 30`'
    ])
    expect(result.stdout).toContain('::error title=Invalid input timeout-minutes::')
  })
})

it('rides out a status poll that answers 503 twice', async () => {
  sim.fault({ on: 'status', status: 503, body: '{"error": "busy"}', times: 2 })
  const result = await run({ 'notebook-id': 'team/quick' })

  expect(result.code).toBe(0)
  expect(result.outputs.conclusion).toBe('success')
  const statuses = sim.requestsTo('status')
  expect(statuses).toHaveLength(3)
  expect(result.stdout).toContain(
    'Could not read the run\'s status: Datalore could not read the run status: 503 "busy"'
  )
})

it('on SIGTERM while polling, writes outputs and summary as cancelled and exits within 2 s', async () => {
  let signalledAt = 0
  const result = await run(
    { 'notebook-id': 'team/forever' },
    {
      onStdout: (text, child) => {
        if (signalledAt === 0 && text.includes('status "RUNNING"')) {
          signalledAt = Date.now()
          child.kill('SIGTERM')
        }
      }
    }
  )
  const exitedAfter = result.exitedAt - signalledAt

  expect(signalledAt).toBeGreaterThan(0)
  expect(exitedAfter).toBeLessThan(2000)
  expect(result.code).toBe(1)
  const runId = result.outputs['run-id']
  expect(result.outputs).toMatchObject({
    conclusion: 'cancelled',
    'run-id': expect.stringMatching(/^run-/)
  })
  expect(errorsOf(result)).toEqual([
    `The job was cancelled (SIGTERM). The Datalore run ${runId} keeps running: there is no API to cancel it. Collect it later with \`run-id: ${runId}\`.`
  ])
  expect(result.summary).toContain('cancelled')
})

describe('behind a proxy, as on a self-hosted runner', () => {
  // A name only the proxy can resolve: the run can only succeed through it.
  const host = () => `http://datalore.test:${new URL(sim.url).port}`

  it('sends every request through HTTPS_PROXY / HTTP_PROXY', async () => {
    const proxy = await startProxy({ 'datalore.test': '127.0.0.1' })
    try {
      const result = await run(
        { host: host(), 'allow-insecure-http': 'true', 'notebook-id': 'team/quick' },
        { env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url } }
      )
      expect(result.code).toBe(0)
      expect(result.outputs.conclusion).toBe('success')
      expect(proxy.connects.length).toBeGreaterThan(0)
      expect(new Set(proxy.connects)).toEqual(new Set([`datalore.test:${new URL(sim.url).port}`]))
    } finally {
      await proxy.close()
    }
  })

  it('bypasses the proxy for hosts in NO_PROXY', async () => {
    const proxy = await startProxy({ 'datalore.test': '127.0.0.1' })
    try {
      const result = await run(
        {
          host: host(),
          'allow-insecure-http': 'true',
          'notebook-id': 'team/quick',
          'timeout-minutes': '0.05'
        },
        { env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: 'datalore.test' } }
      )
      expect(result.code).toBe(1)
      expect(proxy.connects).toEqual([])
      expect(errorsOf(result)[0]).toMatch(/could not resolve the host name datalore\.test/)
    } finally {
      await proxy.close()
    }
  })
})
