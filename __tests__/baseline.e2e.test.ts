/**
 * `baseline`, run as the runner runs the bundled action: each step is a step of a workflow run
 * of the fake GitHub API (simulator/github-api.js), whose results service takes what the real
 * artifact client uploads as that run's artifacts, in Azurite behind a proxy that records every
 * request to storage. The notebooks run on the Datalore simulator and glue values.
 *
 * Each test names what it was seen red against: the product broken on purpose, the bundle
 * rebuilt, the test run, the product restored.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { getOctokit } from '@actions/github'
import { DataloreSimulator, startDataloreSimulator } from '../simulator/datalore.js'
import {
  type ApiFault,
  GitHubApi,
  missingPermission,
  secondaryRateLimit,
  startGitHubApi,
  tooManyRequests
} from '../simulator/github-api.js'
import type { WorkflowRun } from '../simulator/github-documents.js'
import { ActionResult, errorsOf, runsOutput } from './support/action.js'
import { useAzurite } from './support/azurite.js'
import { runStep } from './support/github-step.js'
import { gluingNotebook } from './support/notebooks.js'
import { RecordingProxy, startRecordingProxy } from './support/recording-proxy.js'

const OWNER = 'octo-org'
const REPO = 'notebooks'

let sim: DataloreSimulator
let github: GitHubApi
let storage: RecordingProxy
let notebooks = 0

beforeAll(async () => {
  const azurite = await useAzurite()
  const blob = new URL(azurite.url)
  storage = await startRecordingProxy(blob.origin)
  github = await startGitHubApi({
    repository: `${OWNER}/${REPO}`,
    blobBaseUrl: `${storage.url}${blob.pathname}`
  })
  sim = await startDataloreSimulator()
})
afterAll(async () => {
  await github?.close()
  await sim?.close()
  await storage?.close()
})
afterEach(() => {
  github.faults.clear()
})

/** The values each notebook glues: the literals as the notebook wrote them. */
const GLUED: Array<[string, string]> = [
  ['accuracy', '0.930'],
  ['rows', '18446744073709551617'],
  ['region', '"EU"'],
  ['metrics', '{"f1": 5.0e-1, "counts": [1, 2.50]}'],
  ['ok', 'true']
]

/** A notebook of its own on the simulator, gluing `values`; its ID. */
function notebookGluing(values: Array<[string, string]> = GLUED): string {
  const id = `nb/n${++notebooks}`
  sim.addNotebook(id, {
    durationMs: 50,
    artifacts: [{ name: 'analysis.ipynb', content: gluingNotebook(values) }]
  })
  return id
}

let workflows = 0

/**
 * Runs of a workflow of the test's own: the lookup looks at one workflow's runs, so that other
 * tests' runs are none of its business.
 */
function workflow(): {
  file: string
  add: (spec?: Parameters<GitHubApi['addRun']>[0]) => WorkflowRun
} {
  const file = `w${++workflows}.yml`
  return { file, add: spec => github.addRun({ workflow: file, ...spec }) }
}

/** The key of a notebook ID, as the action makes it by default. */
const keyOf = (notebookId: string): string => notebookId.replace('/', '-')

/** Runs the action as a step of `run`, and checks where each token went. */
function step(
  run: WorkflowRun,
  inputs: Record<string, string>,
  options: { token?: string } = {}
): Promise<ActionResult> {
  return runStep({ github, sim, storage }, run, inputs, options)
}

/** What an artifact of a run holds, fetched as a reader of the repository would. */
async function contentOf(run: WorkflowRun, name: string): Promise<string> {
  const artifact = github.artifactsOf(run).find(a => a.name === name)
  if (artifact == null) throw new Error(`run ${run.id} has no artifact ${name}`)
  const octokit = getOctokit(github.addToken({ kind: 'personal' }), { baseUrl: github.url })
  const download = await octokit.rest.actions.downloadArtifact({
    owner: OWNER,
    repo: REPO,
    artifact_id: artifact.id,
    archive_format: 'zip',
    request: { redirect: 'manual' }
  })
  return (await fetch(String(download.headers.location))).text()
}

/** A values file as the action writes it, for runs the test makes up. */
function valuesFile(run: WorkflowRun, key: string, values: string, more: object = {}): string {
  return JSON.stringify({
    schemaVersion: 1,
    key,
    notebook: { id: 'nb/x', dataloreRunId: 'r1' },
    workflowRun: {
      id: run.id,
      attempt: 1,
      sha: run.headSha,
      ref: 'refs/heads/main',
      event: 'push',
      url: 'https://github.com/x',
      time: '2026-01-01T00:00:00.000Z'
    },
    conclusion: 'success',
    values: JSON.parse(values) as unknown,
    history: [],
    ...more
  })
}

const warnings = (result: ActionResult) =>
  result.commands.filter(c => c.name === 'warning').map(c => c.data)

describe('a main-branch run', () => {
  // Seen red against a step that kept no values (keep() returning at once), one that wrote them
  // through Number (0.930 became 0.93, the big integer 18446744073709552000), one that gave
  // GitHub's client the Datalore token (GitHub saw it: the checks in `step`), and a main.ts that
  // did not mask `github-token` while the client printed it (stdout held it).
  it('uploads its values, numbers as the notebook wrote them; the first run says "no baseline" and passes', async () => {
    const runs = workflow()
    const notebook = notebookGluing()
    const run = runs.add({ branch: 'main' })
    const result = await step(run, { 'notebook-id': notebook, baseline: 'auto' })
    expect(result.code).toBe(0)
    expect(result.outputs['baseline-found']).toBe('false')
    expect(result.outputs['baseline-run-id']).toBeUndefined()
    expect(result.summary).toContain(
      `<p>No baseline: no successful run of workflow &quot;${runs.file}&quot; on &quot;main&quot; to compare with yet`
    )
    const name = `datalore-values-${keyOf(notebook)}.json`
    expect(github.artifactsOf(run).map(a => [a.name, a.zipped])).toEqual([[name, false]])
    const text = await contentOf(run, name)
    expect(text).toContain(
      '"values":{"accuracy":0.930,"rows":18446744073709551617,"region":"EU","metrics":{"f1":5.0e-1,"counts":[1,2.50]},"ok":true}'
    )
    const file = JSON.parse(text) as Record<string, unknown>
    const { env } = await github.step(run)
    expect(file).toMatchObject({
      schemaVersion: 1,
      key: keyOf(notebook),
      notebook: { id: notebook, url: `${sim.url}/notebook/${notebook}` },
      workflowRun: {
        id: run.id,
        attempt: 1,
        sha: run.headSha,
        ref: 'refs/heads/main',
        event: 'push',
        url: `https://github.com/${OWNER}/${REPO}/actions/runs/${run.id}`
      },
      conclusion: 'success',
      history: []
    })
    expect(env.GITHUB_SHA).toBe(run.headSha)
    expect(Date.parse(String((file.workflowRun as { time: string }).time))).toBeGreaterThan(
      Date.now() - 60_000
    )
  })
})

describe('a pull request', () => {
  // Seen red against selection rules without the event rule (a newer pull request's run was
  // taken) or without the fork rule (the fork's), a lookup that took the expired artifact (410:
  // a warning, no baseline), one that listed one page of runs only (no baseline), and a client
  // that fetched the file from storage with the token (the storage saw it).
  it('finds the last good run on its base branch, past a newer pull request, a fork, an expired artifact and a run without it, on the second page', async () => {
    const runs = workflow()
    const notebook = notebookGluing()
    const key = keyOf(notebook)
    const name = `datalore-values-${key}.json`
    const good = runs.add({ branch: 'main', createdAt: Date.now() - 100_000 })
    expect((await step(good, { 'notebook-id': notebook, baseline: 'auto' })).code).toBe(0)

    const without = runs.add({ branch: 'main', createdAt: Date.now() - 90_000 })
    const expired = runs.add({ branch: 'main', createdAt: Date.now() - 80_000 })
    await github.addArtifact(expired, {
      name,
      content: valuesFile(expired, key, '{"accuracy": 0.1}'),
      skipArchive: true,
      expired: true
    })
    const fork = runs.add({
      branch: 'main',
      headRepository: 'someone/notebooks',
      createdAt: Date.now() - 70_000
    })
    await github.addArtifact(fork, {
      name,
      content: valuesFile(fork, key, '{"accuracy": 0.2}'),
      skipArchive: true
    })
    // Runs of pull requests whose head is named main: newer, with the artifact, passed over.
    for (let i = 0; i < 10; i++) {
      const pr = runs.add({
        event: 'pull_request',
        branch: 'main',
        pullRequest: { head: 'main', base: 'release' },
        createdAt: Date.now() - 60_000 + i
      })
      await github.addArtifact(pr, {
        name,
        content: valuesFile(pr, key, '{"accuracy": 0.3}'),
        skipArchive: true
      })
    }
    const failed = runs.add({ branch: 'main', conclusion: 'failure' })
    await github.addArtifact(failed, {
      name,
      content: valuesFile(failed, key, '{"accuracy": 0.4}'),
      skipArchive: true
    })

    const pr = runs.add({
      event: 'pull_request',
      branch: 'feature',
      pullRequest: { head: 'feature', base: 'main' }
    })
    const before = github.requests.length
    const result = await step(pr, { 'notebook-id': notebook, baseline: 'auto' })
    expect(result.code).toBe(0)
    expect(warnings(result)).toEqual([])
    expect(result.outputs).toMatchObject({
      'baseline-found': 'true',
      'baseline-run-id': String(good.id),
      'baseline-sha': good.headSha
    })
    expect(result.stdout).toContain(`Baseline: workflow run ${good.id} on "main"`)
    const asked = github.requests.slice(before)
    const runPages = asked.filter(r => r.route === 'actions/list-workflow-runs')
    expect(runPages.map(r => [r.query.branch, r.query.status, r.query.page])).toEqual([
      ['main', 'success', '1'],
      ['main', 'success', '2']
    ])
    expect(
      asked.filter(r => r.route === 'actions/list-workflow-run-artifacts').map(r => r.path)
    ).toEqual(
      [expired, without, good].map(r => `/repos/${OWNER}/${REPO}/actions/runs/${r.id}/artifacts`)
    )
    expect(asked.filter(r => r.route === 'actions/download-artifact')).toHaveLength(1)
    // The file came from storage without any credential but the link's signature.
    const fetched = storage.calls.filter(c => c.method === 'GET' && c.url.includes('sig='))
    expect(fetched.length).toBeGreaterThan(0)
    for (const call of fetched) expect(call.headers.authorization).toBeUndefined()

    // The pull request keeps its own values, with the baseline's numbers as history, exact.
    const mine = await contentOf(pr, name)
    const history = (JSON.parse(mine) as { history: Array<{ workflowRun: { id: number } }> })
      .history
    expect(history.map(h => h.workflowRun.id)).toEqual([good.id])
    expect(mine).toMatch(
      /"history":\[\{"workflowRun":\{[^}]*\},"values":\[\[\["accuracy"\],0\.930\],\[\["rows"\],18446744073709551617\],\[\["metrics","f1"\],5\.0e-1\],\[\["metrics","counts",0\],1\],\[\["metrics","counts",1\],2\.50\]\]\}\]\}\n$/
    )
  })
})

describe('history', () => {
  // Seen red against a carriedHistory that dropped the baseline's own history (one entry each),
  // and one that ignored history-length (three entries in the fourth run's).
  it('carries over run after run, newest last, and history-length caps it', async () => {
    const runs = workflow()
    const notebook = notebookGluing([['score', '1']])
    const name = `datalore-values-${keyOf(notebook)}.json`
    const made: WorkflowRun[] = []
    for (const historyLength of ['50', '50', '50', '2']) {
      const run = runs.add({ branch: 'main' })
      made.push(run)
      const result = await step(run, {
        'notebook-id': notebook,
        baseline: 'main',
        'history-length': historyLength
      })
      expect(result.code).toBe(0)
    }
    const histories = await Promise.all(
      made.map(async run => {
        const file = JSON.parse(await contentOf(run, name)) as {
          history: Array<{ workflowRun: { id: number } }>
        }
        return file.history.map(h => h.workflowRun.id)
      })
    )
    const [r1, r2, r3] = made.map(r => r.id)
    expect(histories).toEqual([[], [r1], [r1, r2], [r2, r3]])
  })
})

describe('no baseline', () => {
  // Seen red against a step that ignored baseline-required (code 0), and one that threw for it
  // before keeping its values (its error did not say why the step failed).
  it('with baseline-required: true fails the step, after the outputs, the summary and the upload', async () => {
    const runs = workflow()
    const notebook = notebookGluing()
    const run = runs.add({ branch: 'main' })
    const result = await step(run, {
      'notebook-id': notebook,
      baseline: 'main',
      'baseline-required': 'true'
    })
    expect(result.code).toBe(1)
    expect(errorsOf(result)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^No baseline: no successful run of workflow "${runs.file}" on "main".*\`baseline-required\` is true\\.$`
        )
      )
    ])
    expect(result.outputs).toMatchObject({ 'baseline-found': 'false', conclusion: 'failure' })
    expect(result.outputs.values).toContain('"accuracy":0.930')
    expect(result.summary).toContain('No baseline: no successful run')
    expect(github.artifactsOf(run).map(a => a.name)).toEqual([
      `datalore-values-${keyOf(notebook)}.json`
    ])
  })

  // Seen red against a parser without the key check (another key's file was the baseline), one
  // that read schema 2 as 1, and a lookup that let the error of a file it could not read through
  // (the step failed: code 1).
  it.each([
    [
      'corrupt',
      () => '{"schemaVersion": 1, "key": ',
      /it is not JSON: the end came before a value/
    ],
    [
      'of another key',
      (run: WorkflowRun, key: string) => valuesFile(run, `${key}-other`, '{"a": 1}'),
      /it holds the values of the key ".*-other", not ".*"/
    ],
    [
      'of a newer schema',
      (run: WorkflowRun, key: string) => valuesFile(run, key, '{"a": 1}', { schemaVersion: 2 }),
      /it has schema version 2, written by a newer version of the action \(this one reads 1\)/
    ]
  ])(
    'a baseline file %s is a warning, and the step goes on without one',
    async (_, content, why) => {
      const runs = workflow()
      const notebook = notebookGluing()
      const key = keyOf(notebook)
      const main = runs.add({ branch: 'main', createdAt: Date.now() - 10_000 })
      await github.addArtifact(main, {
        name: `datalore-values-${key}.json`,
        content: content(main, key),
        skipArchive: true
      })
      const pr = runs.add({ event: 'pull_request', branch: 'f', pullRequest: { base: 'main' } })
      const result = await step(pr, { 'notebook-id': notebook, baseline: 'auto' })
      expect(result.code).toBe(0)
      expect(result.outputs['baseline-found']).toBe('false')
      const [warning, ...others] = result.commands.filter(c => c.name === 'warning')
      expect(others).toEqual([])
      expect(warning?.properties).toEqual({ title: 'Baseline not used' })
      expect(warning?.data).toMatch(why)
      expect(warning?.data).toContain(`of run ${main.id} cannot be the baseline`)
      expect(result.summary).toContain(
        `No baseline: the values &quot;datalore-values-${key}.json&quot; of run ${main.id} could not be used.`
      )
    }
  )
})

describe('permissions', () => {
  // Seen red against a client that did not read X-Accepted-GitHub-Permissions (the warning did
  // not name `actions: read`).
  it('a token without actions: read is a warning that names it; the step goes on and keeps its values', async () => {
    const runs = workflow()
    const notebook = notebookGluing()
    const run = runs.add({ branch: 'feature', permissions: { contents: 'read' } })
    const result = await step(run, { 'notebook-id': notebook, baseline: 'main' })
    expect(result.code).toBe(0)
    expect(warnings(result)).toEqual([
      expect.stringContaining(
        `The baseline could not be looked up: GitHub refused to list the runs of ${runs.file} on main (403 "Resource not accessible by integration"): the \`github-token\` needs \`actions: read\` (in the job's \`permissions\`). The step goes on without one.`
      )
    ])
    expect(result.outputs['baseline-found']).toBe('false')
    expect(github.artifactsOf(run).map(a => a.name)).toEqual([
      `datalore-values-${keyOf(notebook)}.json`
    ])
  })

  // Seen red against a reader that took an empty `baseline` for `auto` (requests were made).
  it('baseline: off (the default) makes no request to GitHub, also with a token that may do nothing', async () => {
    const runs = workflow()
    const notebook = notebookGluing()
    const run = runs.add({ branch: 'main', permissions: {} })
    const before = github.requests.length
    const result = await step(run, { 'notebook-id': notebook })
    expect(result.code).toBe(0)
    expect(github.requests.slice(before)).toEqual([])
    expect(warnings(result)).toEqual([])
    expect(result.outputs['baseline-found']).toBeUndefined()
    expect(github.artifactsOf(run)).toEqual([])
  })
})

describe('rate limits and failures', () => {
  const reset = (): number => Math.floor(Date.now() / 1000) + 3
  // Seen red against a client that ignored retry-after (it asked again within the backoff's
  // first second), one that did not read x-ratelimit-reset (that 403 was not retried: no
  // baseline), one that retried no rate-limited 403 (secondary and primary: no baseline), and one
  // that did not retry a 5xx (no baseline).
  it.each<[string, () => { fault: ApiFault; earliest: (firstAt: number) => number }]>([
    [
      '429 with retry-after',
      () => ({
        fault: tooManyRequests('actions/list-workflow-runs', { retryAfter: 2 }),
        earliest: at => at + 2_000
      })
    ],
    [
      'a secondary rate limit',
      () => ({
        fault: secondaryRateLimit('actions/list-workflow-runs', { retryAfter: 2 }),
        earliest: at => at + 2_000
      })
    ],
    [
      'the primary rate limit, spent until x-ratelimit-reset',
      () => {
        const at = reset()
        return {
          fault: {
            on: 'actions/list-workflow-runs',
            status: 403,
            message: 'API rate limit exceeded for installation ID 1.',
            headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(at) }
          },
          earliest: () => at * 1000
        }
      }
    ],
    [
      'a 502',
      () => ({ fault: { on: 'actions/list-workflow-runs', status: 502 }, earliest: at => at })
    ]
  ])('%s: asked again when GitHub says, then the baseline is found', async (_, make) => {
    const runs = workflow()
    const notebook = notebookGluing()
    const main = runs.add({ branch: 'main', createdAt: Date.now() - 10_000 })
    expect((await step(main, { 'notebook-id': notebook, baseline: 'main' })).code).toBe(0)
    const { fault, earliest } = make()
    github.fault(fault)
    const before = github.requests.length
    const pr = runs.add({ event: 'pull_request', branch: 'g', pullRequest: { base: 'main' } })
    const result = await step(pr, { 'notebook-id': notebook, baseline: 'auto' })
    expect(result.outputs['baseline-run-id']).toBe(String(main.id))
    expect(warnings(result)).toEqual([])
    const listed = github.requests
      .slice(before)
      .filter(r => r.route === 'actions/list-workflow-runs')
    expect(listed.map(r => r.status)).toEqual([fault.status, 200])
    const [first, again] = listed.map(r => r.at)
    // The clocks of the fake and of the action are one machine's, read to the millisecond.
    expect(again ?? 0).toBeGreaterThanOrEqual(earliest(first ?? 0) - 20)
  })

  // Seen red against a main.ts that did not stop the lookup when the step ended (the process
  // stayed for GitHub's whole minute).
  it("a step that ends early does not wait for the lookup's rate limit", async () => {
    const runs = workflow()
    github.fault(tooManyRequests('actions/list-workflow-runs', { retryAfter: 60 }))
    sim.fault({ on: 'submit', status: 400, body: '{"error": "no such notebook"}' })
    const before = github.requests.length
    const result = await step(runs.add({ branch: 'x' }), {
      'notebook-id': notebookGluing(),
      baseline: 'main'
    })
    expect(result.code).toBe(1)
    expect(result.durationMs).toBeLessThan(20_000)
    expect(github.requests.slice(before).map(r => r.status)).toEqual([429])
  })

  // Seen red against a client that took every 403 for a rate limit (it waited a minute to ask
  // again, and the test ran out of time), and one that did not read the permission.
  it('a 403 that is no rate limit is asked once', async () => {
    const runs = workflow()
    const notebook = notebookGluing()
    github.fault(missingPermission('actions/list-workflow-runs', 'actions=read'))
    const before = github.requests.length
    const run = runs.add({ branch: 'x' })
    const result = await step(run, { 'notebook-id': notebook, baseline: 'main' })
    expect(result.code).toBe(0)
    expect(github.requests.slice(before).map(r => r.route)).toEqual(['actions/list-workflow-runs'])
    expect(warnings(result)[0]).toContain('needs `actions: read`')
  })
})

describe('several notebooks', () => {
  // Seen red against a step whose runs each had a lookup of their own (three listings of runs),
  // one that gave every run the first entry's key (one values artifact for the two runs), and a
  // summary without the paragraph of runs without a baseline.
  it('each entry keeps and finds the values of its own key, with one listing of runs', async () => {
    const runs = workflow()
    const a = notebookGluing([['score', '1']])
    const b = notebookGluing([['score', '2']])
    const list = `- notebook-id: ${a}\n  name: sales EU\n- notebook-id: ${b}\n  name: churn\n`
    const main = runs.add({ branch: 'main', createdAt: Date.now() - 10_000 })
    const first = await step(main, { notebooks: list, baseline: 'auto', 'baseline-key': 'nightly' })
    expect(first.code).toBe(0)
    expect(
      github
        .artifactsOf(main)
        .map(x => x.name)
        .sort()
    ).toEqual(['datalore-values-nightly-churn.json', 'datalore-values-nightly-sales-EU.json'])
    expect(runsOutput(first).map(r => r['baseline-found'])).toEqual([false, false])
    // One paragraph for the runs without a baseline, the same reason told once.
    expect(first.summary).toContain(
      `<p>&quot;sales EU&quot;, &quot;churn&quot;: No baseline: no successful run of workflow &quot;${runs.file}&quot; on &quot;main&quot; to compare with yet (runs of pull requests and forks are not looked at).</p>`
    )

    const pr = runs.add({ event: 'pull_request', branch: 'h', pullRequest: { base: 'main' } })
    const before = github.requests.length
    const result = await step(pr, { notebooks: list, baseline: 'auto', 'baseline-key': 'nightly' })
    expect(result.code).toBe(0)
    expect(warnings(result)).toEqual([])
    expect(
      runsOutput(result).map(r => [r.name, r['baseline-found'], r['baseline-run-id']])
    ).toEqual([
      ['sales EU', true, main.id],
      ['churn', true, main.id]
    ])
    const asked = github.requests.slice(before).map(r => r.route)
    expect(asked.filter(r => r === 'actions/list-workflow-runs')).toHaveLength(1)
    expect(asked.filter(r => r === 'actions/list-workflow-run-artifacts')).toHaveLength(1)
    expect(asked.filter(r => r === 'actions/download-artifact')).toHaveLength(2)
    const kept = JSON.parse(await contentOf(pr, 'datalore-values-nightly-churn.json')) as {
      values: unknown
      history: Array<{ values: unknown }>
    }
    expect(kept.values).toEqual({ score: 2 })
    expect(kept.history.map(h => h.values)).toEqual([[[['score'], 2]]])
  })
})
