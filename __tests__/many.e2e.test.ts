/**
 * Several notebooks in one step, run as the runner runs the bundled action: against the Datalore
 * simulator, the fake results service and Azurite. One runner waits for all of them; every run
 * is collected and uploaded as its own artifact; the step is the worst of its runs and names
 * every run that failed or keeps going.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { artifactSha256, DataloreSimulator, startDataloreSimulator } from '../simulator/datalore.js'
import { ResultsService, startResultsService } from '../simulator/github-results.js'
import { notebookArtifact } from '../simulator/notebooks.js'
import { zipDigests } from '../harness/zip.js'
import {
  ActionResult,
  errorsOf,
  leaksOf,
  runAction,
  RunOptions,
  runsOutput
} from './support/action.js'
import { useAzurite } from './support/azurite.js'

let sim: DataloreSimulator
let results: ResultsService
const GITHUB = { GITHUB_REPOSITORY: 'acme/reports', GITHUB_RUN_ID: '55' }

beforeAll(async () => {
  const azurite = await useAzurite()
  results = await startResultsService({ blobBaseUrl: azurite.url })
  sim = await startDataloreSimulator()
  sim.addNotebook('team/sales', {
    durationMs: 300,
    artifacts: [notebookArtifact('success-values'), { name: 'sales.csv', content: 'a,b\n1,2\n' }]
  })
  sim.addNotebook('team/churn', {
    durationMs: 500,
    success: false,
    artifacts: [notebookArtifact('failure-deep'), { name: 'log.txt', content: 'churn log' }]
  })
  sim.addNotebook('team/costs', {
    durationMs: 200,
    artifacts: [{ name: 'costs.bin', size: 100_000, seed: 'costs' }]
  })
  sim.addNotebook('team/quick', { durationMs: 300 })
  sim.addNotebook('team/broken', { durationMs: 200, success: false })
  sim.addNotebook('team/forever', { durationMs: Infinity, statuses: ['RUNNING'] })
  sim.addNotebook('team/forever2', { durationMs: Infinity, statuses: ['RUNNING'] })
  sim.addNotebook('team/controls', { durationMs: 100, controls: ['Region', 'Limit', 'Year'] })
  for (const id of ['team/slow1', 'team/slow2', 'team/slow3']) {
    sim.addNotebook(id, { durationMs: 3_000 })
  }
})
afterAll(async () => {
  await sim.close()
  await results.close()
})
afterEach(() => {
  sim.requests.length = 0
  sim.faults.clear()
  results.faults.clear()
})

async function run(
  inputs: Record<string, string>,
  options: RunOptions = {}
): Promise<ActionResult> {
  const result = await runAction(
    { host: sim.url, token: sim.token, 'poll-interval-seconds': '0.2', ...inputs },
    { env: { ...results.env, ...GITHUB }, masked: () => results.masked(), ...options }
  )
  expect(leaksOf(result, sim.token)).toEqual([])
  return result
}

/** The runs the simulator started, oldest first. */
function started(notebookId?: string) {
  return [...sim.runs.values()].filter(r => notebookId == null || r.notebookId === notebookId)
}

describe('three notebooks, one of which fails', () => {
  let result: ActionResult
  beforeAll(async () => {
    result = await run({
      notebooks: '- team/sales\n- notebook-id: team/churn\n  name: churn EU\n- team/costs\n'
    })
  })

  it('fails the step, naming the failed run, after collecting all three', () => {
    expect(result.code).toBe(1)
    const churnRun = started('team/churn').at(-1)?.runId
    expect(errorsOf(result)[0]).toBe(`1 of 3 run(s) failed: "churn EU (run ${churnRun})".`)
    // The run's own annotation, titled with its name, from its executed notebook.
    expect(result.commands).toContainEqual(
      expect.objectContaining({
        name: 'error',
        properties: expect.objectContaining({ title: 'churn EU: Datalore run failed in cell 3' })
      })
    )
    expect(result.outputs).toMatchObject({ conclusion: 'failure', success: 'false' })
    // The single-run outputs stay empty.
    expect(result.outputs['run-id']).toBeUndefined()
    expect(result.outputs['notebook-url']).toBeUndefined()
  })

  it('sets `runs` in entry order, complete', () => {
    const runs = runsOutput(result)
    const ids = ['team/sales', 'team/churn', 'team/costs'].map(id => started(id).at(-1)?.runId)
    expect(runs.map(r => [r.name, r['run-id'], r.conclusion, r.success])).toEqual([
      ['team/sales', ids[0], 'success', true],
      ['churn EU', ids[1], 'failure', false],
      ['team/costs', ids[2], 'success', true]
    ])
    for (const entry of runs) {
      expect(entry).toMatchObject({
        'notebook-url': `${sim.url}/notebook/${String(entry['notebook-id'])}`,
        'start-time': expect.stringMatching(/^\d{4}-/),
        'end-time': expect.stringMatching(/^\d{4}-/),
        'duration-seconds': expect.any(Number),
        'artifact-id': expect.any(Number),
        'artifact-url': expect.stringContaining('/artifacts/')
      })
    }
    expect(runs[1]).toMatchObject({ 'failed-cell': 3, error: expect.stringMatching(/^\w+Error: /) })
    // The values the executed notebook glued, with their JSON types, in order.
    expect(Object.entries(runs[0]?.values ?? {})).toEqual([
      ['accuracy', 0.93],
      ['rows', 3],
      ['region', 'EU'],
      ['months', ['2026-10', '2026-11', '2026-12']],
      ['thresholds', { min: 0.8, note: null, ok: true }],
      ['report', 'Revenue grew 18% over the quarter.']
    ])
  })

  it('uploads every run as its own workflow artifact, byte for byte, files under <path>/<run-id>/', async () => {
    const entries = runsOutput(result)
    expect(entries).toHaveLength(3)
    const base = result.outputs['artifacts-path'] ?? ''
    expect(base).toBe(`${result.workDir}/datalore`)
    for (const entry of entries) {
      const runId = entry['run-id'] ?? ''
      const record = results.finalized().find(a => a.id === entry['artifact-id'])
      if (record == null) throw new Error(`no finalized artifact for run ${runId}`)
      expect(record.name).toBe(
        `datalore-${String(entry['notebook-id']).replace('/', '-')}-${runId}`
      )
      const zip = await zipDigests(await results.downloadArtifactZip(record))
      const spec = sim.runs.get(runId)?.spec.artifacts ?? []
      expect(spec.length).toBeGreaterThan(0)
      expect([...zip.keys()].sort()).toEqual(spec.map(a => a.name).sort())
      for (const artifact of spec) {
        // In the zip and in the run's own folder, with the bytes Datalore served.
        const sha256 = await artifactSha256(artifact)
        expect(zip.get(artifact.name)?.sha256).toBe(sha256)
        const file = readFileSync(join(base, runId, artifact.name))
        expect(createHash('sha256').update(file).digest('hex')).toBe(sha256)
      }
    }
  })

  it('writes one summary table, the failure first, then why it failed', () => {
    const rows = result.summary.match(/<tr><td>.*?<\/tr>/g) ?? []
    expect(rows.map(r => /<td>(.*?)<\/td>/.exec(r)?.[1])).toEqual([
      '❌ failed',
      '✅ succeeded',
      '✅ succeeded'
    ])
    expect(rows[0]).toContain('churn EU')
    expect(result.summary).toContain('<h2>❌ 1 of 3 Datalore runs failed</h2>')
    expect(result.summary).toMatch(/<h3>churn EU<\/h3>[\s\S]*<pre>/)
  })

  it("starts every line a run prints with its name, the artifact client's own lines too", () => {
    const churnRun = started('team/churn').at(-1)?.runId ?? ''
    expect(result.stdout).toContain(`[churn EU] Run ${churnRun} submitted`)
    expect(result.stdout).toContain(`[team/sales] Downloading 2 artifact(s)`)
    const lines = result.stdout.split('\n').filter(line => line.includes(churnRun))
    expect(lines.length).toBeGreaterThan(2)
    // The artifact client's own lines too; workflow commands stay commands.
    expect(result.stdout).toContain(
      `[churn EU] Uploading artifact: datalore-team-churn-${churnRun}.zip`
    )
    for (const line of lines.filter(l => !l.startsWith('::'))) {
      expect(line).toMatch(/^\[churn EU\] /)
    }
  })
})

it("sends each entry's parameters over the step's, by name", async () => {
  const result = await run({
    parameters: 'Region: EU\nLimit: "10"',
    notebooks: JSON.stringify([
      { 'notebook-id': 'team/controls', name: 'default' },
      { 'notebook-id': 'team/controls', name: 'us', parameters: { Region: 'US', Year: '2026' } },
      { 'notebook-id': 'team/controls', name: 'raw', parameters: '[{"name": "Limit", "value": 3}]' }
    ])
  })
  expect(result.code).toBe(0)
  const bodies = sim.requestsTo('submit').map(r => JSON.parse(r.body) as { parameters: unknown })
  const byRegion = (p: unknown) => JSON.stringify(p)
  expect(bodies.map(b => byRegion(b.parameters)).sort()).toEqual(
    [
      [
        { name: 'Region', value: 'EU' },
        { name: 'Limit', value: '10' }
      ],
      [
        { name: 'Limit', value: '10' },
        { name: 'Region', value: 'US' },
        { name: 'Year', value: '2026' }
      ],
      [
        { name: 'Region', value: 'EU' },
        { name: 'Limit', value: 3 }
      ]
    ]
      .map(byRegion)
      .sort()
  )
})

describe('artifact names across the step', () => {
  // `report`'s page would be `report.html`, the name `report.html` gives its zip. Seen red
  // against the names made per run: one upload of the two was refused (409), and the first
  // page was lost with a warning that blamed the artifact service.
  it('keeps colliding page names apart: the name the workflow gave wins, the page gives way, both survive', async () => {
    const result = await run({
      notebooks: [
        '- notebook-id: team/sales',
        '  name: first',
        '  artifact-name: report',
        '- notebook-id: team/sales',
        '  name: second',
        '  artifact-name: report.html'
      ].join('\n')
    })
    expect(result.code).toBe(0)
    expect(result.commands.filter(c => c.name === 'warning')).toEqual([])
    const runs = runsOutput(result)
    const live = results.finalized()
    const byName = (name: string) => live.find(a => a.name === name)
    // Zips by the names the workflow gave; pages by names of their own, deterministic.
    const expected: Array<[string, string, string]> = [
      ['first', 'report', 'report-2.html'],
      ['second', 'report.html', 'report.html.html']
    ]
    for (const [name, zip, page] of expected) {
      const entry = runs.find(r => r.name === name)
      const zipRecord = byName(zip)
      const pageRecord = byName(page)
      expect(entry?.['artifact-id']).toBe(zipRecord?.id)
      expect(entry?.['notebook-page-url']).toBe(
        `https://github.com/acme/reports/actions/runs/55/artifacts/${pageRecord?.id}`
      )
      expect(pageRecord?.mimeType).toBe('text/html')
      const html = (await results.downloadArtifactZip(pageRecord ?? '')).toString('utf8')
      expect(html).toContain(`Datalore run ${entry?.['run-id']}`)
    }
    expect(result.stdout).toContain(
      '[first] The page "report.html" is uploaded as "report-2.html": another workflow artifact of this step has that name.'
    )
  })
})

it('with `max-parallel: 1`, submits the next run only when the one before has finished', async () => {
  const before = started().length
  const result = await run({
    notebooks: '- team/quick\n- team/costs\n- team/sales',
    'max-parallel': '1',
    artifacts: 'none'
  })
  expect(result.code).toBe(0)
  const runs = started().slice(before)
  expect(runs.map(r => r.notebookId)).toEqual(['team/quick', 'team/costs', 'team/sales'])
  for (let i = 1; i < runs.length; i++) {
    const previous = runs[i - 1]
    const ended = (previous?.startedAt ?? 0) + (previous?.spec.durationMs ?? 0)
    expect(runs[i]?.startedAt).toBeGreaterThanOrEqual(ended)
  }
})

it('without a limit that binds, runs them side by side: three runs of 3 s overlap', async () => {
  const before = started().length
  const result = await run({
    notebooks: '- team/slow1\n- team/slow2\n- team/slow3',
    artifacts: 'none'
  })
  expect(result.code).toBe(0)
  const runs = started().slice(before)
  expect(runs).toHaveLength(3)
  const spread = Math.max(...runs.map(r => r.startedAt)) - Math.min(...runs.map(r => r.startedAt))
  // The last was submitted before the first had finished: all three were on Datalore at once.
  expect(spread).toBeLessThan(3_000)
})

it('with `fail-fast: true`, submits nothing after the first failure and names the run still going', async () => {
  const quickBefore = started('team/quick').length
  const result = await run({
    notebooks: '- team/broken\n- team/forever\n- team/quick',
    'max-parallel': '2',
    'fail-fast': 'true',
    artifacts: 'none'
  })
  expect(result.code).toBe(1)
  expect(result.durationMs).toBeLessThan(10_000)
  const runs = runsOutput(result)
  const forever = started('team/forever').at(-1)?.runId
  expect(runs.map(r => [r.name, r.conclusion])).toEqual([
    ['team/broken', 'failure'],
    ['team/forever', 'submitted'],
    ['team/quick', 'skipped']
  ])
  expect(runs[1]?.['run-id']).toBe(forever)
  expect(runs[2]?.['run-id']).toBeUndefined()
  expect(started('team/quick')).toHaveLength(quickBefore)
  const [stepError] = errorsOf(result)
  expect(stepError).toContain('1 of 3 run(s) failed: "team/broken (run ')
  expect(stepError).toContain(
    `These runs keep going on Datalore (there is no API to cancel a run): "team/forever (run ${forever})".`
  )
  expect(stepError).toContain('Not submitted: "team/quick".')
  expect(result.outputs.conclusion).toBe('failure')
})

it('on timeout, names every run that keeps going, and what was never submitted', async () => {
  const result = await run({
    notebooks: '- team/forever\n- team/forever2\n- team/quick',
    'max-parallel': '2',
    'timeout-minutes': '0.02',
    artifacts: 'none'
  })
  expect(result.code).toBe(1)
  expect(result.durationMs).toBeLessThan(6_000)
  expect(result.outputs.conclusion).toBe('timed_out')
  const ids = ['team/forever', 'team/forever2'].map(id => started(id).at(-1)?.runId)
  const runs = runsOutput(result)
  expect(runs.map(r => [r.conclusion, r['run-id']])).toEqual([
    ['timed_out', ids[0]],
    ['timed_out', ids[1]],
    ['skipped', undefined]
  ])
  const [stepError] = errorsOf(result)
  expect(stepError).toContain(
    `These runs keep going on Datalore (there is no API to cancel a run): "team/forever (run ${ids[0]})", "team/forever2 (run ${ids[1]})".`
  )
  expect(stepError).toContain('Not submitted: "team/quick".')
})

it('on SIGTERM, names every run that keeps going and exits within 2 s', async () => {
  let signalledAt = 0
  let stdout = ''
  const result = await run(
    { notebooks: '- team/forever\n- team/forever2', artifacts: 'none' },
    {
      onStdout: (text, child) => {
        stdout += text
        // Both runs known: signalled once the second one's submit was answered.
        if (
          signalledAt === 0 &&
          /\[team\/forever\] Run \S+ submitted/.test(stdout) &&
          /\[team\/forever2\] Run \S+ submitted/.test(stdout)
        ) {
          signalledAt = Date.now()
          child.kill('SIGTERM')
        }
      }
    }
  )
  expect(signalledAt).toBeGreaterThan(0)
  expect(result.exitedAt - signalledAt).toBeLessThan(2_000)
  expect(result.code).toBe(1)
  expect(result.outputs.conclusion).toBe('cancelled')
  const runs = runsOutput(result)
  expect(runs).toHaveLength(2)
  expect(runs.every(r => r.conclusion === 'cancelled' && r['run-id'] != null)).toBe(true)
  expect(errorsOf(result)[0]).toContain(
    `These runs keep going on Datalore (there is no API to cancel a run): "team/forever (run ${runs[0]?.['run-id']})", "team/forever2 (run ${runs[1]?.['run-id']})".`
  )
})

it('submits now with `wait: false`, and collects all the runs later from the `runs` output', async () => {
  const submitted = await run({
    notebooks: '- team/sales\n- notebook-id: team/broken\n  name: broken one',
    wait: 'false'
  })
  expect(submitted.code).toBe(0)
  expect(submitted.outputs.conclusion).toBe('submitted')
  expect(submitted.outputs.success).toBeUndefined()
  const list = runsOutput(submitted)
  expect(list.map(r => r.conclusion)).toEqual(['submitted', 'submitted'])
  sim.requests.length = 0

  const collected = await run({ 'run-id': submitted.outputs.runs ?? '' })
  expect(sim.requestsTo('submit')).toHaveLength(0)
  expect(collected.code).toBe(1)
  const runs = runsOutput(collected)
  expect(runs.map(r => [r.name, r['run-id'], r.conclusion])).toEqual([
    ['team/sales', list[0]?.['run-id'], 'success'],
    ['broken one', list[1]?.['run-id'], 'failure']
  ])
  expect(runs[0]?.['artifact-id']).toEqual(expect.any(Number))
  expect(errorsOf(collected)[0]).toBe(
    `1 of 2 run(s) failed: "broken one (run ${list[1]?.['run-id']})".`
  )
})

it('collecting a list of runs, a run Datalore does not know fails as such, and the others are collected', async () => {
  const known = await run({ notebooks: '- team/quick', wait: 'false' })
  const [quick] = runsOutput(known)
  const list = JSON.stringify([quick, { name: 'gone', 'run-id': 'run-that-never-was' }])
  const result = await run({ 'run-id': list, artifacts: 'none' })
  expect(result.code).toBe(1)
  expect(runsOutput(result).map(r => [r.name, r['run-id'], r.conclusion])).toEqual([
    ['team/quick', quick?.['run-id'], 'success'],
    ['gone', 'run-that-never-was', 'failure']
  ])
  expect(errorsOf(result)[0]).toBe('1 of 2 run(s) failed: "gone (run run-that-never-was)".')
})

describe('refuses bad input before any request, naming the entry and the key', () => {
  const many = '- team/quick\n- team/sales'
  it.each([
    [
      'an unknown key',
      { notebooks: '- team/quick\n- notebook-id: team/sales\n  paramters: {a: b}' },
      'Input `notebooks` entry #2 ("team/sales") has an unknown key "paramters"'
    ],
    [
      'a missing notebook-id',
      { notebooks: '- team/quick\n- name: sales' },
      'Input `notebooks` entry #2 ("sales") has no `notebook-id`'
    ],
    [
      'two entries with the same name',
      { notebooks: '- team/quick\n- team/quick' },
      'Input `notebooks` has the name "team/quick" twice: entry #1 and entry #2 ("team/quick")'
    ],
    [
      'two entries with the same artifact-name',
      {
        notebooks:
          '- notebook-id: team/quick\n  artifact-name: out\n- notebook-id: team/sales\n  artifact-name: out'
      },
      'Input `notebooks` has the artifact-name "out" twice: entry #1 and entry #2 ("team/sales")'
    ],
    [
      'two artifact-names that differ only in case',
      {
        notebooks:
          '- notebook-id: team/quick\n  artifact-name: Out\n- notebook-id: team/sales\n  artifact-name: out'
      },
      'Input `notebooks` has the artifact-names "Out" and "out", which differ only in case'
    ],
    ['an empty list', { notebooks: '[]' }, 'Input `notebooks` is an empty list'],
    [
      'more than 256 entries',
      { notebooks: JSON.stringify(Array.from({ length: 257 }, (_, i) => `team/n${i}`)) },
      'Input `notebooks` has 257 entries; one step takes at most 256'
    ],
    [
      '`notebooks` with `notebook-id`',
      { notebooks: many, 'notebook-id': 'team/quick' },
      'Input `notebook-id` is set together with `notebooks`'
    ],
    [
      'a bad notebook ID in an entry',
      { notebooks: '- team/quick\n- notebook-id: not an id\n  name: x' },
      'Input `notebooks` entry #2 ("x"): `notebook-id` must be "ownerId/notebookId"'
    ],
    [
      'bad parameters in an entry',
      { notebooks: '- notebook-id: team/quick\n  parameters: {a: {b: c}}' },
      'Input `notebooks` entry #1 ("team/quick"): `parameters` has a nested mapping under "a"'
    ],
    [
      'a step-level artifact-name',
      { notebooks: many, 'artifact-name': 'one' },
      'Input `artifact-name` names one workflow artifact, but several runs make one each'
    ],
    [
      'max-parallel out of range',
      { notebooks: many, 'max-parallel': '0' },
      'Input `max-parallel` must be a whole number from 1 to 256, got "0"'
    ],
    [
      'a `runs` list without run IDs',
      { 'run-id': '[{"name": "a"}]' },
      'Input `run-id` is a list in which no entry has a run ID'
    ],
    [
      'parameters with a `runs` list',
      { 'run-id': '["run-1"]', parameters: 'a: b' },
      'Input `parameters` has no effect with `run-id`: the run was already submitted'
    ]
  ])('%s', async (_name, inputs, message) => {
    const result = await run(inputs)
    expect(result.code).toBe(1)
    expect(errorsOf(result)[0]).toContain(message)
    expect(errorsOf(result)[0]).toContain('For example:')
    expect(sim.requests).toEqual([])
  })
})

it('keeps names from the workflow inert: in the log, the annotations, the summary and `runs`', async () => {
  const names = [
    '::error::pwned',
    '<img src=x onerror=alert(1)>',
    "a'; rm -rf / #",
    '%0A::warning::x'
  ]
  const result = await run({
    notebooks: names
      .map(
        (name, i) =>
          `- notebook-id: team/${i % 2 === 0 ? 'quick' : 'broken'}\n  name: ${JSON.stringify(name)}`
      )
      .join('\n'),
    artifacts: 'none'
  })
  // runAction itself fails on any workflow command the action did not mean, and on a summary
  // that is not one HTML block.
  expect(result.code).toBe(1)
  expect(result.stdout).toContain('[::error::pwned] Run ')
  expect(result.summary).not.toContain('<img')
  expect(result.outputs.runs).not.toMatch(/['`$;&|<>()]/)
  expect(runsOutput(result).map(r => r.name)).toEqual(names)
})

it("warns before starting when the runs could pass GitHub's 500 artifacts per job", async () => {
  const entries = Array.from({ length: 251 }, (_, i) => ({
    'notebook-id': 'team/quick',
    name: `n${i}`
  }))
  const result = await run({ notebooks: JSON.stringify(entries), wait: 'false' })
  expect(result.code).toBe(0)
  expect(result.commands).toContainEqual(
    expect.objectContaining({
      name: 'warning',
      data: expect.stringMatching(
        /^251 runs may upload up to 502 workflow artifacts \(a zip and a page each\), and GitHub keeps at most 500 per job/
      )
    })
  )
})
