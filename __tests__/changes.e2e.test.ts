/**
 * A run compared with the last good run on main, as the runner runs the bundled action: steps of
 * workflow runs of the fake GitHub API (simulator/github-api.js), their artifacts uploaded by the
 * real artifact client into Azurite, the notebooks run on the Datalore simulator gluing values.
 * A main-branch run (or two, for a history) keeps its values; a pull request's run of the same
 * notebook, which glues other values, finds them and shows what changed: in the job summary, the
 * outputs, the page of the executed notebook, and with `fail-on-change` the step's verdict.
 *
 * Each test names what it was seen red against: the product broken on purpose, the bundle
 * rebuilt, the test run, the product restored.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { HtmlRenderer, Parser } from 'commonmark'
import { DataloreSimulator, startDataloreSimulator } from '../simulator/datalore.js'
import { GitHubApi, startGitHubApi } from '../simulator/github-api.js'
import type { WorkflowRun } from '../simulator/github-documents.js'
import {
  ActionResult,
  errorsOf,
  leaksOf,
  runAction,
  runsOutput,
  warningsOf
} from './support/action.js'
import { useAzurite } from './support/azurite.js'
import { readComment } from './support/comment-shape.js'
import { HOSTILE_NAMES } from './support/hostile.js'
import { gluingNotebook } from './support/notebooks.js'
import { summaryCharts } from './support/summary-shape.js'

let sim: DataloreSimulator
let github: GitHubApi
let workflows = 0
let notebooks = 0

beforeAll(async () => {
  const azurite = await useAzurite()
  github = await startGitHubApi({ repository: 'octo-org/notebooks', blobBaseUrl: azurite.url })
  sim = await startDataloreSimulator()
})
afterAll(async () => {
  await github?.close()
  await sim?.close()
})

type Glued = Array<[string, string]>

/** A notebook of its own whose glued values the test sets before each step. */
function notebook(): { id: string; glue: (values: Glued) => void } {
  const id = `changes/n${++notebooks}`
  return {
    id,
    glue: values =>
      sim.addNotebook(id, {
        durationMs: 50,
        artifacts: [{ name: 'analysis.ipynb', content: gluingNotebook(values) }]
      })
  }
}

/** Runs of a workflow of the test's own, so that other tests' runs are none of its business. */
function workflow(): (spec?: Parameters<GitHubApi['addRun']>[0]) => WorkflowRun {
  const file = `c${++workflows}.yml`
  return spec => github.addRun({ workflow: file, ...spec })
}

/** Runs the action as a step of `run`; each token goes where it belongs and nowhere else. */
async function step(run: WorkflowRun, inputs: Record<string, string>): Promise<ActionResult> {
  const { env, token } = await github.step(run)
  const result = await runAction(
    {
      host: sim.url,
      token: sim.token,
      'poll-interval-seconds': '0.2',
      artifacts: 'none',
      baseline: 'auto',
      'github-token': token,
      ...inputs
    },
    { env }
  )
  expect(leaksOf(result, sim.token, { files: true })).toEqual([])
  expect(leaksOf(result, token, { files: true })).toEqual([])
  return result
}

/** Main's runs, oldest first, each a successful step that keeps `values`. */
async function onMain(
  runs: ReturnType<typeof workflow>,
  nb: ReturnType<typeof notebook>,
  inputs: Record<string, string>,
  values: Glued[]
): Promise<WorkflowRun[]> {
  const made: WorkflowRun[] = []
  for (const [index, glued] of values.entries()) {
    nb.glue(glued)
    const run = runs({ branch: 'main', createdAt: Date.now() - 100_000 + index * 1000 })
    const result = await step(run, inputs)
    expect(result.code).toBe(0)
    made.push(run)
  }
  return made
}

const pullRequest = (runs: ReturnType<typeof workflow>): WorkflowRun =>
  runs({ event: 'pull_request', branch: 'feature', pullRequest: { head: 'feature', base: 'main' } })

/** The summary as GitHub shows it: what the Markdown renderer makes of it. */
const rendered = (summary: string): string => new HtmlRenderer().render(new Parser().parse(summary))

const MAIN: Glued = [
  ['accuracy', '0.930'],
  ['rows', '18446744073709551617'],
  ['region', '"EU"'],
  ['metrics', '{"f1": 5.0e-1, "counts": [1, 2.50]}']
]
/** The pull request's: accuracy changed, rows within the default tolerance (1 in 2^64). */
const CHANGED: Glued = [
  ['accuracy', '0.870'],
  ['rows', '18446744073709551618'],
  ['region', '"EU"'],
  ['metrics', '{"f1": 5.0e-1, "counts": [1, 2.50]}']
]

describe('a pull request that changed one value', () => {
  // Seen red against a step that gave collection no comparison to make (no `changes`), a summary
  // without the section, and a page rendered without the comparison (no "Compared with" on it).
  it('shows the comparison in the summary, the outputs and the page', async () => {
    const runs = workflow()
    const nb = notebook()
    const [first, baseline] = await onMain(runs, nb, { 'notebook-id': nb.id }, [MAIN, MAIN])
    nb.glue(CHANGED)
    const result = await step(pullRequest(runs), { 'notebook-id': nb.id, artifacts: 'download' })
    expect(result.code).toBe(0)
    expect(errorsOf(result)).toEqual([])
    expect(result.outputs['changed-count']).toBe('1')
    expect(result.outputs.changes).toBe(
      '[{"name":"accuracy","path":"accuracy","status":"changed","baseline":0.930,"value":0.870,"change":-0.06,"relative":-0.06451612903225806},' +
        '{"name":"rows","path":"rows","status":"within-tolerance","baseline":18446744073709551617,"value":18446744073709551618,"change":1,"relative":5.421010862427522e-20},' +
        '{"name":"region","path":"region","status":"unchanged","baseline":"EU","value":"EU","change":null,"relative":null},' +
        '{"name":"metrics","path":"metrics.f1","status":"unchanged","baseline":5.0e-1,"value":5.0e-1,"change":0,"relative":0},' +
        '{"name":"metrics","path":"metrics.counts[0]","status":"unchanged","baseline":1,"value":1,"change":0,"relative":0},' +
        '{"name":"metrics","path":"metrics.counts[1]","status":"unchanged","baseline":2.50,"value":2.50,"change":0,"relative":0}]'
    )
    const { summary } = result
    const sha = baseline?.headSha.slice(0, 7) ?? ''
    expect(summary).toContain(
      [
        '<h3>Compared with <code>main</code></h3>',
        `<p>Baseline: <a href="https://github.com/octo-org/notebooks/actions/runs/${baseline?.id}">workflow run ${baseline?.id}</a> on <code>main</code>, commit <code>${sha}</code>, `
      ].join('\n')
    )
    expect(summary).toContain(
      '<p>1 changed · 0 removed · 0 added · 1 within tolerance · 4 unchanged</p>\n<table><tr><th>Value</th><th>Baseline</th><th>This run</th><th>Change</th></tr>' +
        '<tr><td><code>accuracy</code></td><td><code>0.930</code></td><td><code>0.870</code></td><td>changed: -0.06 (-6.45%)</td></tr>' +
        '<tr><td><code>rows</code></td><td><code>18446744073709551617</code></td><td><code>18446744073709551618</code></td><td>within tolerance: +1 (+5.42e-18%)</td></tr></table>\n' +
        '<details><summary>4 unchanged</summary>\n<table>'
    )
    // Main's two runs and this one: a chart of each number, the changed one first.
    const firstSha = first?.headSha.slice(0, 7) ?? ''
    expect(summaryCharts(summary)[0]).toBe(
      `xychart-beta\n  title "1. accuracy"\n  x-axis ["${firstSha}", "${sha}", "this run"]\n  y-axis "value"\n  line [0.93, 0.93, 0.87]\n`
    )
    expect(summaryCharts(summary)).toHaveLength(5)
    // The page of the executed notebook shows the same comparison, written before it.
    const page = readFileSync(join(result.outputs['artifacts-path'] ?? '', 'analysis.html'), 'utf8')
    expect(page).toContain('<h2>Compared with <code>main</code></h2>')
    expect(page).toContain(
      '<tr><td><code>accuracy</code></td><td><code>0.930</code></td><td><code>0.870</code></td><td>changed: -0.06 (-6.45%)</td><td><svg class="spark"'
    )
  })

  // Seen red against MIN_POINTS 2: the baseline alone taken for a history (a chart of two points).
  it('draws no chart when there is no history yet', async () => {
    const runs = workflow()
    const nb = notebook()
    await onMain(runs, nb, { 'notebook-id': nb.id }, [MAIN])
    nb.glue(CHANGED)
    const result = await step(pullRequest(runs), { 'notebook-id': nb.id, artifacts: 'download' })
    expect(result.summary).toContain('<h3>Compared with <code>main</code></h3>')
    expect(summaryCharts(result.summary)).toEqual([])
    const page = readFileSync(join(result.outputs['artifacts-path'] ?? '', 'analysis.html'), 'utf8')
    expect(page).toContain('<h2>Compared with <code>main</code></h2>')
    expect(page).not.toContain('<svg')
  })
})

describe('fail-on-change', () => {
  // Seen red against a gate that threw before the run's baseline was settled (its own
  // annotation, no `baseline-found`, no values artifact) and one that did not fail (code 0).
  it('fails the step after the outputs, the summary and every upload, naming the value and both numbers', async () => {
    const runs = workflow()
    const nb = notebook()
    await onMain(runs, nb, { 'notebook-id': nb.id }, [MAIN])
    nb.glue(CHANGED)
    const pr = pullRequest(runs)
    const result = await step(pr, {
      'notebook-id': nb.id,
      artifacts: 'upload',
      'fail-on-change': 'true'
    })
    expect(result.code).toBe(1)
    expect(errorsOf(result)).toEqual([
      expect.stringMatching(
        /^1 value\(s\) changed or removed beyond their tolerance since the baseline \(workflow run \d+ on "main", commit [0-9a-f]{7}\), and `fail-on-change` is true:\naccuracy: 0\.930 -> 0\.870, -0\.06 \(-6\.45%\)$/
      )
    ])
    expect(result.commands.find(c => c.name === 'error')?.properties).toEqual({
      title: 'Values changed'
    })
    expect(result.outputs).toMatchObject({
      conclusion: 'failure',
      success: 'true',
      'changed-count': '1',
      'baseline-found': 'true'
    })
    expect(JSON.parse(result.outputs.changes ?? '[]')).toHaveLength(6)
    expect(result.summary).toContain('<h2>❌ Datalore run failed</h2>')
    expect(result.summary).toContain(
      '<p>1 value(s) changed or removed beyond their tolerance (`fail-on-change`): &quot;accuracy&quot;.</p>'
    )
    expect(result.summary).toContain('<h3>Compared with <code>main</code></h3>')
    const uploaded = github.artifactsOf(pr).map(a => a.name)
    expect(uploaded).toEqual(
      expect.arrayContaining([
        `datalore-values-${nb.id.replace('/', '-')}.json`,
        `datalore-changes-${nb.id.split('/')[1]}-${result.outputs['run-id']}`,
        `datalore-changes-${nb.id.split('/')[1]}-${result.outputs['run-id']}.html`
      ])
    )
    expect(uploaded).toHaveLength(3)
  })

  // Seen red against a step of several runs that compared each run with the first entry's
  // baseline, and one whose `runs` had no `changes`.
  it('with several notebooks: each entry of runs has its own changes; the changed run fails the step', async () => {
    const runs = workflow()
    const sales = notebook()
    const churn = notebook()
    const list = `- notebook-id: ${sales.id}\n  name: sales\n- notebook-id: ${churn.id}\n  name: churn\n`
    sales.glue(MAIN)
    churn.glue([['score', '1']])
    const main = runs({ branch: 'main', createdAt: Date.now() - 10_000 })
    expect((await step(main, { notebooks: list })).code).toBe(0)
    sales.glue(CHANGED)
    const result = await step(pullRequest(runs), { notebooks: list, 'fail-on-change': 'true' })
    expect(result.code).toBe(1)
    const entries = runsOutput(result)
    expect(entries.map(r => [r.name, r.conclusion, r['changed-count']])).toEqual([
      ['sales', 'failure', 1],
      ['churn', 'success', 0]
    ])
    const changes = entries.map(r =>
      (r.changes as Array<{ path: string; status: string; baseline: unknown }>).map(c => [
        c.path,
        c.status
      ])
    )
    expect(changes[0]?.slice(0, 2)).toEqual([
      ['accuracy', 'changed'],
      ['rows', 'within-tolerance']
    ])
    expect(changes[1]).toEqual([['score', 'unchanged']])
    // Exact in `runs` too: the integer past 2^53 as the notebook wrote it.
    expect(result.outputs.runs).toContain(
      '"baseline":18446744073709551617,"value":18446744073709551618,"change":1'
    )
    expect(result.commands.filter(c => c.name === 'error').map(c => c.properties.title)).toEqual(
      expect.arrayContaining(['sales: Values changed'])
    )
    expect(result.summary).toContain('<h3>sales: compared with <code>main</code></h3>')
    expect(result.summary).toContain('<h3>churn: compared with <code>main</code></h3>')
  })
})

describe('tolerance', () => {
  // Seen red against a step that compared without the rules (a and b changed, c listed).
  it('rtol, atol and ignore, as the input says, first match winning', async () => {
    const runs = workflow()
    const nb = notebook()
    const inputs = {
      'notebook-id': nb.id,
      tolerance: 'a: rtol=0.01\nb: atol=0.5\nc*: ignore\n*: rtol=0.01',
      'fail-on-change': 'true'
    }
    await onMain(runs, nb, inputs, [
      [
        ['a', '1.0'],
        ['b', '10'],
        ['c_timing', '5'],
        ['d', '1']
      ]
    ])
    nb.glue([
      ['a', '1.01'],
      ['b', '10.5'],
      ['c_timing', '60'],
      ['d', '1.02']
    ])
    const result = await step(pullRequest(runs), inputs)
    expect(result.code).toBe(1)
    const changes = JSON.parse(result.outputs.changes ?? '') as Array<Record<string, unknown>>
    expect(changes.map(c => [c.path, c.status, c.change])).toEqual([
      ['a', 'within-tolerance', 0.01],
      ['b', 'within-tolerance', 0.5],
      ['d', 'changed', 0.02]
    ])
    expect(errorsOf(result)[0]).toMatch(/\nd: 1 -> 1\.02, \+0\.02 \(\+2%\)$/)
    expect(result.summary).toContain(
      '<p>1 changed · 0 removed · 0 added · 2 within tolerance · 0 unchanged · 1 ignored</p>'
    )
  })

  // Seen red against a reader that did not parse tolerance (the step ran and asked both servers).
  it('a tolerance that does not parse is refused before any request', async () => {
    const runs = workflow()
    const simBefore = sim.requests.length
    const githubBefore = github.requests.length
    const result = await step(runs({ branch: 'main' }), {
      'notebook-id': notebook().id,
      tolerance: 'metrics.*: rtol=lots'
    })
    expect(result.code).toBe(1)
    expect(errorsOf(result)[0]).toContain('line 1 ')
    expect(result.commands.find(c => c.name === 'error')?.properties.title).toBe(
      'Invalid input tolerance'
    )
    expect(sim.requests.length).toBe(simBefore)
    expect(github.requests.length).toBe(githubBefore)
  })
})

describe("the pull request's comment", () => {
  const hosts = (): string[] => [new URL(sim.url).host, 'github.com']

  // Seen red against a comment step with no comparison (its changes section missing, and
  // `on-failure-or-change` blind to a change: no comment at all) and against a comparison that
  // counted nothing as changed for the comment (when.ts changedCount returning 0).
  it('is written when a value changed, and shows what changed; not when nothing did', async () => {
    const runs = workflow()
    const nb = notebook()
    const inputs = { 'notebook-id': nb.id, comment: 'on-failure-or-change' }
    await onMain(runs, nb, { 'notebook-id': nb.id }, [MAIN])
    nb.glue(MAIN)
    const same = pullRequest(runs)
    const quiet = await step(same, inputs)
    expect(quiet.code).toBe(0)
    expect(github.commentsOf(same.pullRequest?.number ?? 0)).toEqual([])
    expect(quiet.outputs['comment-id']).toBeUndefined()

    nb.glue(CHANGED)
    const moved = pullRequest(runs)
    const result = await step(moved, inputs)
    expect(result.code).toBe(0)
    const [comment] = github.commentsOf(moved.pullRequest?.number ?? 0)
    expect(result.outputs['comment-id']).toBe(String(comment?.id))
    const { problems, text } = readComment(comment?.body ?? '', hosts())
    expect(problems).toEqual([])
    expect(text).toContain('Compared with main')
    expect(text).toContain('1 changed · 0 removed · 0 added · 1 within tolerance · 4 unchanged')
    const body = comment?.body ?? ''
    // What changed is open; the unchanged rows are folded.
    const changedRow = body.indexOf('<td><code>accuracy</code></td>')
    expect(changedRow).toBeGreaterThan(0)
    expect(changedRow).toBeLessThan(body.indexOf('<details><summary>4 unchanged</summary>'))
    expect(body).toContain('<code>0.930</code>')
    expect(body).toContain('<code>0.870</code>')
  })
})

describe('hostile names and values', () => {
  const names = HOSTILE_NAMES
  /** Every third value changes to a number, every third to a name, every third stays. */
  const changed = (i: number): string =>
    [String(i + 1), JSON.stringify(names[(i + 3) % names.length]), String(i)][i % 3] ?? ''
  const set = (value: (i: number) => string): Glued =>
    names.map((name, i) => [name, value(i)] as [string, string])

  // Seen red against the summary's rows written without escaping, a chart title that kept the
  // name (mermaid.ts drew no chart, its own shape check refusing it), and the page's rows
  // written without escaping.
  it('stay inert in the summary, its charts, the annotation, the outputs and the page', async () => {
    const runs = workflow()
    const nb = notebook()
    const inputs = { 'notebook-id': nb.id }
    const before = set(i => String(i))
    await onMain(runs, nb, inputs, [before, before])
    nb.glue(set(changed))
    const request = pullRequest(runs)
    const result = await step(request, {
      ...inputs,
      artifacts: 'download',
      'fail-on-change': 'true',
      comment: 'always'
    })
    // The pull request's comment: the same rows, no mention, link, image or markup from them.
    const [comment] = github.commentsOf(request.pullRequest?.number ?? 0)
    expect(readComment(comment?.body ?? '', [new URL(sim.url).host, 'github.com'])).toMatchObject({
      problems: []
    })
    expect(comment?.body).toContain('Compared with')
    // runAction has checked the summary's shape (HTML and the action's charts only) and that
    // nothing printed acts as a command the action did not mean.
    expect(result.code).toBe(1)
    expect(result.outputs['changed-count']).toBe('7')
    const html = rendered(result.summary)
    expect(html).not.toMatch(/<img|<h1|<!--|href="javascript|tracker\.example\/p\.png"|<script/)
    expect(result.summary.match(/<\/details>/g)).toHaveLength(1)
    expect(summaryCharts(result.summary)).toHaveLength(6)
    for (const chart of summaryCharts(result.summary)) expect(chart).not.toMatch(/[%`:;"]{2}/)
    // Shell-inert: what a shell acts on is written as \uXXXX escapes.
    expect(result.outputs.changes).not.toMatch(/[$`'<>();&|]/)
    expect(JSON.parse(result.outputs.changes ?? '').map((c: { name: string }) => c.name)).toEqual(
      names
    )
    const [error] = errorsOf(result)
    expect(error).toContain('\n["</details>"]: 0 -> 1, +1\n')
    expect(error).toContain(`\n["@org/team"]: 4 -> ${JSON.stringify(names[7])}\n`)
    const page = readFileSync(join(result.outputs['artifacts-path'] ?? '', 'analysis.html'), 'utf8')
    const section = page.slice(page.indexOf('<h2>Compared with'), page.indexOf('</header>'))
    expect(section).not.toMatch(/<img|<script|<!--|<\/details><\/td>/)
    expect(section).toContain('<code>[&quot;&lt;/details&gt;&quot;]</code>')
    expect(warningsOf(result)).toEqual([])
  })
})

describe('10,000 changed leaves', () => {
  // Seen red against a summary table without its limit of rows (it filled its byte budget
  // instead of pointing to the output), and a `changes` output written whole (over 1 MB).
  it('keep the summary within its budget and shape, and the changes output within 1 MB', async () => {
    const runs = workflow()
    const nb = notebook()
    const list = (offset: number): string =>
      `[${Array.from({ length: 10_000 }, (_, i) => i + offset).join(', ')}]`
    await onMain(runs, nb, { 'notebook-id': nb.id }, [[['m', list(0)]]])
    nb.glue([['m', list(0.5)]])
    const result = await step(pullRequest(runs), { 'notebook-id': nb.id })
    expect(result.code).toBe(0)
    expect(result.outputs['changed-count']).toBe('10000')
    expect(result.summary).toContain(
      '<p>10000 changed · 0 removed · 0 added · 0 within tolerance · 0 unchanged</p>'
    )
    expect(result.summary).toContain(
      "<p>... and 9900 more: see the step's <code>changes</code> output.</p>"
    )
    const changes = result.outputs.changes ?? ''
    expect(changes.length * 2).toBeLessThanOrEqual(1_000_000)
    const kept = JSON.parse(changes) as Array<{ path: string }>
    expect(kept.map(c => c.path)).toEqual(Array.from({ length: kept.length }, (_, i) => `m[${i}]`))
    expect(warningsOf(result)).toEqual([
      expect.stringMatching(
        new RegExp(`^The \`changes\` output leaves out ${10_000 - kept.length} changed entries`)
      )
    ])
  })
})
