/**
 * Nothing lost, nothing leaked, never hung. Each row of a fault suite injects one fault into a
 * full run of the bundled action (Datalore simulator, fake artifact service, Azurite), and
 * after every row the same five invariants are checked:
 *   1. exit is right: success exactly when the run succeeded and every artifact arrived;
 *      otherwise an error that names the cause;
 *   2. bounded time: the process ends within the timeout plus a small margin;
 *   3. nothing lost: every listed artifact is in the uploaded artifact byte for byte, or the
 *      step failed and named it (or counted it among "and N more"), or kept it in
 *      artifacts-path and named the upload failure;
 *   4. no leak: the token is nowhere but in `::add-mask::`, and reached no origin but Datalore;
 *   5. outputs: run-id and conclusion are set whenever a run was started.
 * And, as in every end-to-end run (./action.ts): stdout holds no command the action did not
 * mean, and the job summary is one HTML block under 1 MiB.
 */
import { createServer } from 'node:net'
import { Dirent, existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { join, relative } from 'node:path'
import { ChildProcess } from 'node:child_process'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import {
  ArtifactSpec,
  artifactSha256,
  DataloreSimulator,
  NotebookSpec,
  startDataloreSimulator
} from '../../simulator/datalore.js'
import { ResultsService, startResultsService } from '../../simulator/github-results.js'
import { ActionResult, errorsOf, leaksOf, runAction, RunOptions, runsOutput } from './action.js'
import { useAzurite } from './azurite.js'
import { makePrivateCa, PrivateCa } from './tls.js'
import { zipDigests } from '../../harness/zip.js'

export const TOKEN = `dl-${'7f3a'.repeat(8)}`
const MARGIN_MS = 4_000
const DEFAULT_TIMEOUT_MINUTES = '0.15'

/** The servers of one suite, running once its `beforeAll` has run. */
export interface Servers {
  /** The Datalore the rows talk to unless they switch. */
  sim: DataloreSimulator
  /** Object storage elsewhere: knows no Datalore token. */
  storage: DataloreSimulator
  results: ResultsService
  ca: PrivateCa
  /** Datalore on https with a private CA, trusted through NODE_EXTRA_CA_CERTS. */
  tlsSim: DataloreSimulator
  /** The same, but the action is not told about the CA. */
  untrustedSim: DataloreSimulator
}

export const servers = {} as Servers

export interface Context {
  /** The Datalore the action talks to in this row. */
  sim: DataloreSimulator
  host: string
  notebookId: string
  notebook: NotebookSpec
  /** With several runs: the healthy notebook run beside the row's, in one step. */
  companion?: string
  env: Record<string, string>
  /** Inputs a row's setup learns (a run ID, a folder), over the scenario's own. */
  inputs: Record<string, string>
  /** Options for running the action, e.g. `nodeArgs` to preload a fault. */
  run: RunOptions
  cleanup: Array<() => Promise<void>>
  /** RUNNER_TEMP of the action's process, once it started. */
  workDir?: string
  /** At each cut of a body that `onDisk` held: how many bytes of it were on disk by then. */
  cuts: number[]
}

export interface Scenario {
  name: string
  /** A function when it needs the servers' URLs, known only once they run. */
  notebook?: NotebookSpec | (() => NotebookSpec)
  inputs?: Record<string, string>
  /** Injects the fault; may point the action at another server. */
  setup?: (context: Context) => void | Promise<void>
  /** Sends SIGTERM the moment this becomes true. */
  signalWhen?: (context: Context) => boolean
  exit: 0 | 1
  conclusion?: string
  /** One of the error annotations must match. */
  error?: RegExp
  /** Further checks of this row, with one run (they may count that run's requests). */
  check?: (result: ActionResult, context: Context) => void | Promise<void>
  /** Further checks that hold with one run and with several alike. */
  checkBoth?: (result: ActionResult, context: Context) => void | Promise<void>
}

export const SMALL: ArtifactSpec[] = [
  { name: 'report.ipynb', content: '{"cells": []}' },
  { name: 'data.bin', size: 200_000, seed: 'data' },
  { name: 'empty.txt', content: '' }
]

/** The healthy notebook beside a row's, when a suite runs several notebooks in one step. */
const COMPANION: NotebookSpec = {
  durationMs: 300,
  artifacts: [
    { name: 'companion.ipynb', content: '{"cells": [], "companion": true}' },
    { name: 'companion.bin', size: 100_000, seed: 'companion' }
  ]
}

/** Points the action at another Datalore server, with the row's notebook on it. */
export function switchTo(
  c: Context,
  server: DataloreSimulator,
  env: Record<string, string> = {}
): void {
  server.addNotebook(c.notebookId, c.notebook)
  if (c.companion != null) server.addNotebook(c.companion, COMPANION)
  c.sim = server
  c.host = server.url
  Object.assign(c.env, env)
}

export const statusFault = (fault: Parameters<DataloreSimulator['fault']>[0]) => (c: Context) =>
  void c.sim.fault(fault)

/**
 * Registers the suite's servers and one test per row, each checked against the invariants.
 * `several`: each row runs its notebook and a healthy companion in one step (`notebooks`).
 */
export function faultSuite(
  suite: string,
  scenarios: Scenario[],
  options: { several?: boolean } = {}
): void {
  beforeAll(async () => {
    const azurite = await useAzurite()
    servers.results = await startResultsService({ blobBaseUrl: azurite.url })
    servers.sim = await startDataloreSimulator({ token: TOKEN })
    servers.storage = await startDataloreSimulator({ token: 'storage-knows-no-datalore-token' })
    servers.ca = makePrivateCa()
    const tls = { key: servers.ca.key, cert: servers.ca.cert }
    servers.tlsSim = await startDataloreSimulator({ token: TOKEN, tls })
    servers.untrustedSim = await startDataloreSimulator({ token: TOKEN, tls })
  })
  afterAll(async () => {
    const { sim, storage, tlsSim, untrustedSim, results } = servers
    await Promise.all([sim, storage, tlsSim, untrustedSim].map(s => s.close()))
    await results.close()
  })
  afterEach(() => {
    // A fault left over by one row (say, 100 hung polls) must not leak into the next.
    const { sim, storage, tlsSim, untrustedSim, results } = servers
    for (const server of [sim, storage, tlsSim, untrustedSim]) {
      server.faults.clear()
      server.requests.length = 0
    }
    results.faults.clear()
    results.requests.length = 0
  })

  let rows = 0
  describe.each(scenarios.map(s => [s.name, s] as const))('%s', (_name, scenario) => {
    it('holds all five invariants', async () => {
      const { sim } = servers
      const notebookId = `${suite}/row${++rows}`
      const specific =
        typeof scenario.notebook === 'function' ? scenario.notebook() : scenario.notebook
      const notebook: NotebookSpec = { durationMs: 300, artifacts: SMALL, ...specific }
      const context: Context = {
        sim,
        host: sim.url,
        notebookId,
        notebook,
        companion: options.several === true ? `${notebookId}-companion` : undefined,
        env: {},
        inputs: {},
        run: {},
        cleanup: [],
        cuts: []
      }
      sim.addNotebook(notebookId, notebook)
      if (context.companion != null) sim.addNotebook(context.companion, COMPANION)
      try {
        await scenario.setup?.(context)
        await runRow(scenario, context)
      } finally {
        for (const step of context.cleanup) await step()
      }
    })
  })
}

/** Runs the action as a row does: against the row's Datalore, with the artifact service. */
export function runActionAgainst(
  context: Context,
  inputs: Record<string, string>,
  options: RunOptions = {}
): Promise<ActionResult> {
  const { results } = servers
  const timeoutMinutes = inputs['timeout-minutes'] ?? DEFAULT_TIMEOUT_MINUTES
  const which: Record<string, string> =
    context.companion == null
      ? { 'notebook-id': context.notebookId }
      : { notebooks: `- ${context.notebookId}\n- ${context.companion}` }
  return runAction(
    {
      host: context.host,
      token: TOKEN,
      ...which,
      'poll-interval-seconds': '0.2',
      'timeout-minutes': timeoutMinutes,
      ...inputs
    },
    {
      ...context.run,
      env: {
        ...results.env,
        GITHUB_REPOSITORY: 'acme/faults',
        GITHUB_RUN_ID: '9',
        ...context.env
      },
      killAfterMs: Math.min(Number(timeoutMinutes) * 60_000, 90_000) + 30_000,
      masked: () => results.masked(),
      ...options,
      onStart: (child, workDir) => {
        context.workDir = workDir
        options.onStart?.(child, workDir)
      }
    }
  )
}

async function runRow(scenario: Scenario, context: Context): Promise<void> {
  const { results, storage } = servers
  const inputs = { ...scenario.inputs, ...context.inputs }
  const timeoutMs = Number(inputs['timeout-minutes'] ?? DEFAULT_TIMEOUT_MINUTES) * 60_000
  let signalledAt = 0
  let watcher: NodeJS.Timeout | undefined
  const result = await runActionAgainst(context, inputs, {
    onStart: (child: ChildProcess) => {
      if (scenario.signalWhen == null) return
      watcher = setInterval(() => {
        if (signalledAt === 0 && scenario.signalWhen?.(context)) {
          signalledAt = Date.now()
          child.kill('SIGTERM')
        }
      }, 10)
    }
  }).finally(() => clearInterval(watcher))
  const { exitedAt } = result

  // 1. Exit is right, and a failure names its cause.
  expect({ code: result.code, errors: errorsOf(result) }).toEqual({
    code: scenario.exit,
    errors:
      scenario.exit === 0
        ? []
        : expect.arrayContaining([expect.stringMatching(scenario.error ?? /./)])
  })
  if (scenario.conclusion != null) expect(result.outputs.conclusion).toBe(scenario.conclusion)

  // 2. Bounded time.
  expect(result.durationMs).toBeLessThan(timeoutMs + MARGIN_MS)
  if (scenario.signalWhen != null) {
    expect(signalledAt).toBeGreaterThan(0)
    expect(exitedAt - signalledAt).toBeLessThan(2_000)
  }

  // 3. Nothing lost.
  if (context.companion == null) await expectNothingLost(result, context, inputs)
  else await expectNothingLostOfAny(result, context, inputs)

  // 4. No leak.
  expect(leaksOf(result, TOKEN)).toEqual([])
  expect(filesWithToken(result.workDir, result.outputs['artifacts-path'])).toEqual([])
  const elsewhere = [...storage.requests, ...results.requests].filter(r =>
    JSON.stringify(r).includes(TOKEN)
  )
  expect(elsewhere).toEqual([])

  await scenario.checkBoth?.(result, context)

  // 5. Outputs whenever a run was started.
  const started = runsOf(context)
  if (context.companion != null) {
    // One entry per notebook, always; every run started is in `runs`, with how it ended.
    const runs = runsOutput(result)
    expect(runs).toHaveLength(2)
    const startedIds = [...started, ...runsOf(context, context.companion)]
    const unknown = startedIds.filter(runId => !runs.some(r => r['run-id'] === runId))
    for (const runId of startedIds.filter(id => !unknown.includes(id))) {
      expect(runs.find(r => r['run-id'] === runId)).toMatchObject({
        conclusion: expect.any(String)
      })
    }
    // A run whose submit was cut off by a cancel before its answer came: the step cannot know
    // its ID, and must say that a run may have started, for an entry left without one.
    if (unknown.length > 0) {
      expect(result.outputs.conclusion).toBe('cancelled')
      expect(runs.filter(r => r['run-id'] == null).length).toBeGreaterThanOrEqual(unknown.length)
      expect(errorsOf(result).join('\n')).toContain('a run may have started')
    }
    expect(result.outputs.conclusion).toEqual(expect.any(String))
    // The row's own checks count one run's requests and read single-run outputs.
    return
  }
  if (started.length > 0) {
    expect(result.outputs['run-id']).toBe(started.at(-1))
    expect(result.outputs.conclusion).toEqual(expect.any(String))
  }

  await scenario.check?.(result, context)
}

/**
 * Nothing lost, run by run, for several runs in one step. Driven by what the simulator ran, not
 * by what the step says: every run of the row's notebook and the companion that finished on
 * Datalore, and that the step saw finish, must be in `runs`; each of its artifacts must be in
 * that run's own workflow artifact (by its bytes), or in the run's folder when the upload was
 * named as failed (or the job cancelled) or with `artifacts: download`, or named in an error
 * about that run, or counted among that run's "and N more".
 */
async function expectNothingLostOfAny(
  result: ActionResult,
  context: Context,
  inputs: Record<string, string>
): Promise<void> {
  const { results } = servers
  const errors = errorsOf(result)
  const uploadNamed =
    /workflow artifact/.test(errors.join('\n')) || result.outputs.conclusion === 'cancelled'
  const runs = runsOutput(result)
  const finished = [context.notebookId, context.companion ?? '']
    .flatMap(notebookId => runsOf(context, notebookId))
    .filter(runId => context.sim.statusDocument(runId)?.endTime != null)
  for (const runId of finished) {
    const entry = runs.find(r => r['run-id'] === runId)
    // A cancel can cut off the answer that names a run: invariant 5 holds the step to saying so.
    if (entry == null && result.outputs.conclusion === 'cancelled') continue
    expect({ runId, listed: entry != null }).toEqual({ runId, listed: true })
    if (entry?.success == null) continue
    const aboutRun = errors.filter(error => error.includes(runId)).join('\n')
    const counted = [...aboutRun.matchAll(/and (\d+) more/g)].reduce((n, m) => n + Number(m[1]), 0)
    const uploaded = results.artifacts.find(a => a.id === entry['artifact-id'])
    const zip = uploaded ? await zipDigests(await results.downloadArtifactZip(uploaded)) : new Map()
    const inZip = new Set([...zip.values()].map(d => d.sha256 as string))
    const dir = join(result.outputs['artifacts-path'] ?? '', runId)
    const inFolder = new Set(
      existsSync(dir)
        ? readdirSync(dir)
            .filter(file => statSync(join(dir, file)).isFile())
            .map(file => sha256File(join(dir, file)))
        : []
    )
    const unaccounted: string[] = []
    for (const artifact of context.sim.runs.get(runId)?.spec.artifacts ?? []) {
      const expected = await artifactSha256(artifact)
      const kept = inFolder.has(expected)
      const delivered = inZip.has(expected) || (kept && inputs.artifacts === 'download')
      const named = aboutRun.includes(JSON.stringify(artifact.name))
      if (!(delivered || named || (kept && uploadNamed && result.code !== 0))) {
        unaccounted.push(artifact.name)
      }
    }
    expect({ runId, unaccounted: unaccounted.length }).toEqual({
      runId,
      unaccounted: result.code === 0 ? 0 : Math.min(unaccounted.length, counted)
    })
  }
}

export function runsOf(context: Context, notebookId = context.notebookId): string[] {
  return [...context.sim.runs.values()].filter(r => r.notebookId === notebookId).map(r => r.runId)
}

interface Listed {
  name: string
  file: string
  sha256: string
}

export function listed(result: ActionResult): Listed[] {
  return JSON.parse(result.outputs.artifacts ?? '[]') as Listed[]
}

/**
 * Every artifact the finished run listed is in the uploaded zip byte for byte; or the step
 * failed and named it, or counted it among the "and N more" it could not download; or it is
 * in artifacts-path, where `artifacts: download` puts it or where the step said it kept it when
 * the upload failed.
 */
async function expectNothingLost(
  result: ActionResult,
  context: Context,
  inputs: Record<string, string>
): Promise<void> {
  const { results } = servers
  const [runId] = runsOf(context)
  const run = runId == null ? undefined : context.sim.statusDocument(runId)
  if (run?.endTime == null || result.outputs.success == null) return
  const errors = errorsOf(result).join('\n')
  const uploaded = results.artifacts.find(a => String(a.id) === result.outputs['artifact-id'])
  const zip = uploaded ? await zipDigests(await results.downloadArtifactZip(uploaded)) : new Map()
  const files = new Map(listed(result).map(a => [a.name, a]))
  const dir = result.outputs['artifacts-path'] ?? ''
  const counted = Number(/and (\d+) more/.exec(errors)?.[1] ?? 0)
  // The `artifacts` output holds at most 1 MB: past it, the folder itself is searched.
  let inFolder: Set<string> | undefined
  const isInFolder = (sha256: string): boolean => {
    inFolder ??= new Set(
      existsSync(dir) ? readdirSync(dir).map(file => sha256File(join(dir, file))) : []
    )
    return inFolder.has(sha256)
  }
  const unaccounted: string[] = []
  for (const spec of context.notebook.artifacts ?? []) {
    const expected = await artifactSha256(spec)
    const entry = files.get(spec.name)
    const inZip = entry != null && zip.get(entry.file)?.sha256 === expected
    const kept =
      entry != null
        ? existsSync(join(dir, entry.file)) && sha256File(join(dir, entry.file)) === expected
        : dir !== '' && isInFolder(expected)
    const named = errors.includes(JSON.stringify(spec.name))
    const uploadNamed =
      /workflow artifact/.test(errors) || result.outputs.conclusion === 'cancelled'
    // With `artifacts: download`, the folder is where they belong.
    const delivered = inZip || (kept && inputs.artifacts === 'download')
    if (!(delivered || named || (kept && uploadNamed && result.code !== 0))) {
      unaccounted.push(spec.name)
    }
  }
  // What is neither there nor named must be no more than the failure says it left out.
  expect(result.code === 0 ? unaccounted : unaccounted.slice(counted)).toEqual([])
}

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

/** Files under the runner's folders, outside artifacts-path, that contain the token. */
function filesWithToken(dir: string, artifactsPath: string | undefined): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map(path => join(dir, path))
    .filter(path => artifactsPath == null || relative(artifactsPath, path).startsWith('..'))
    .filter(path => statSync(path).isFile() && readFileSync(path, 'utf8').includes(TOKEN))
}

/**
 * The most bytes any download of the action holds on disk now, in its staging folders under
 * RUNNER_TEMP (where unfinished downloads are until complete).
 */
export function stagedBytes(c: Context): number {
  if (c.workDir == null) return 0
  const sizes = [0]
  const visit = (dir: string, staging: boolean): void => {
    let entries: Dirent[]
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch {
      return // gone meanwhile: the action moved a file in, or cleaned up
    }
    for (const entry of entries) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) visit(path, staging || entry.name.startsWith('.datalore-partial-'))
      else if (staging && entry.isFile()) sizes.push(sizeOf(path))
    }
  }
  visit(c.workDir, false)
  return Math.max(...sizes)
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}

/**
 * For a body fault's `holdUntil`: the cut waits until a download holds at least `bytes` on
 * disk, so that it comes after them (or for 20 s at most); each cut is recorded in `c.cuts`
 * with what was on disk, for the row to check that its fault bit.
 */
export function onDisk(c: Context, bytes: number): () => Promise<void> {
  return async () => {
    const until = Date.now() + 20_000
    let seen = stagedBytes(c)
    while (seen < bytes && Date.now() < until) {
      await sleep(10)
      seen = stagedBytes(c)
    }
    c.cuts.push(seen)
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms))
}

export function isFile(name: string) {
  return (request: { path: string }) => request.path.endsWith(`/${name}`)
}

/** The gaps between consecutive requests, in milliseconds. */
export function gaps(requests: Array<{ at: number }>): number[] {
  return requests.slice(1).map((request, i) => request.at - (requests[i]?.at ?? request.at))
}

export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise(resolve => server.close(resolve))
  return port
}
