/**
 * Nothing lost, nothing leaked, never hung. Each row injects one fault into a full run of the
 * bundled action (Datalore simulator, fake artifact service, Azurite), and after every row the
 * same five invariants are checked:
 *   1. exit is right: success exactly when the run succeeded and every artifact arrived;
 *      otherwise an error that names the cause;
 *   2. bounded time: the process ends within the timeout plus a small margin;
 *   3. nothing lost: every listed artifact is in the uploaded artifact byte for byte, or the
 *      step failed and named it (or kept it in artifacts-path and named the upload failure);
 *   4. no leak: the token is nowhere but in `::add-mask::`, and reached no origin but Datalore;
 *   5. outputs: run-id and conclusion are set whenever a run was started.
 */
import { createServer } from 'node:net'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
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
} from '../simulator/datalore.js'
import { ResultsService, startResultsService } from '../simulator/github-results.js'
import { ActionResult, errorsOf, leaksOf, runAction } from './support/action.js'
import { useAzurite } from './support/azurite.js'
import { makePrivateCa, PrivateCa } from './support/tls.js'
import { zipDigests } from './support/zip.js'

const TOKEN = `dl-${'7f3a'.repeat(8)}`
const MARGIN_MS = 4_000
const DEFAULT_TIMEOUT_MINUTES = '0.15'

let sim: DataloreSimulator
let storage: DataloreSimulator
let results: ResultsService
let ca: PrivateCa
let tlsSim: DataloreSimulator
let untrustedSim: DataloreSimulator

beforeAll(async () => {
  const azurite = await useAzurite()
  results = await startResultsService({ blobBaseUrl: azurite.url })
  sim = await startDataloreSimulator({ token: TOKEN })
  storage = await startDataloreSimulator({ token: 'storage-knows-no-datalore-token' })
  ca = makePrivateCa()
  tlsSim = await startDataloreSimulator({ token: TOKEN, tls: { key: ca.key, cert: ca.cert } })
  untrustedSim = await startDataloreSimulator({ token: TOKEN, tls: { key: ca.key, cert: ca.cert } })
})
afterAll(async () => {
  await Promise.all([sim, storage, tlsSim, untrustedSim].map(s => s.close()))
  await results.close()
})

interface Context {
  /** The Datalore the action talks to in this row. */
  sim: DataloreSimulator
  host: string
  notebookId: string
  notebook: NotebookSpec
  env: Record<string, string>
  cleanup: Array<() => Promise<void>>
}

interface Scenario {
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
  /** Further checks of this row. */
  check?: (result: ActionResult, context: Context) => void | Promise<void>
}

const SMALL: ArtifactSpec[] = [
  { name: 'report.ipynb', content: '{"cells": []}' },
  { name: 'data.bin', size: 200_000, seed: 'data' },
  { name: 'empty.txt', content: '' }
]

/** Points the action at another Datalore server, with the row's notebook on it. */
function switchTo(c: Context, server: DataloreSimulator, env: Record<string, string> = {}): void {
  server.addNotebook(c.notebookId, c.notebook)
  c.sim = server
  c.host = server.url
  Object.assign(c.env, env)
}

const statusFault = (fault: Parameters<DataloreSimulator['fault']>[0]) => (c: Context) =>
  void c.sim.fault(fault)

const scenarios: Scenario[] = [
  // Status polling
  ...[500, 502, 503, 504].map((status): Scenario => ({
    name: `status poll: a burst of ${status}`,
    setup: statusFault({ on: 'status', status, body: `{"error": "upstream ${status}"}`, times: 3 }),
    exit: 0,
    conclusion: 'success',
    check: (_r, c) => expect(c.sim.requestsTo('status').length).toBeGreaterThanOrEqual(4)
  })),
  {
    name: 'status poll: 429 with Retry-After in seconds',
    setup: statusFault({ on: 'status', status: 429, headers: { 'retry-after': '2' } }),
    exit: 0,
    check: (_r, c) =>
      expect(gapAfterFirst(c.sim.requestsTo('status'))).toBeGreaterThanOrEqual(1_900)
  },
  {
    name: 'status poll: 429 with Retry-After as an HTTP date',
    setup: c =>
      void c.sim.fault({
        on: 'status',
        status: 429,
        // HTTP dates have whole seconds: 3 s ahead is a wait of 2 to 3 s.
        headers: { 'retry-after': new Date(Date.now() + 3_000).toUTCString() }
      }),
    exit: 0,
    check: (_r, c) =>
      expect(gapAfterFirst(c.sim.requestsTo('status'))).toBeGreaterThanOrEqual(1_500)
  },
  {
    name: 'status poll: 429 asking for longer than the timeout',
    notebook: { durationMs: Infinity, statuses: ['RUNNING'] },
    setup: statusFault({ on: 'status', status: 429, headers: { 'retry-after': '3600' } }),
    inputs: { 'timeout-minutes': '0.05' },
    exit: 1,
    conclusion: 'timed_out',
    error: /did not finish within `timeout-minutes` \(3s\)\. Its last status was "RUNNING"/
  },
  {
    name: 'the run finishes just as timeout-minutes runs out: its artifacts are named, not lost',
    setup: statusFault({ on: 'status', status: 429, headers: { 'retry-after': '3600' } }),
    inputs: { 'timeout-minutes': '0.05' },
    exit: 1,
    error:
      /^Could not download 3 of 3 artifact\(s\) .*"report\.ipynb" \(`timeout-minutes` ran out before the download finished\)/
  },
  {
    name: 'status poll: connection reset',
    setup: statusFault({ on: 'status', action: 'reset', times: 2 }),
    exit: 0
  },
  {
    name: 'status poll: the server accepts and never answers',
    setup: statusFault({ on: 'status', action: 'hang', times: 100 }),
    inputs: { 'timeout-minutes': '0.05' },
    exit: 1,
    conclusion: 'timed_out',
    error:
      /did not finish within `timeout-minutes` \(3s\)\. The last status request failed: no answer from/
  },
  {
    name: 'status poll: a slow trickle of bytes',
    setup: statusFault({ on: 'status', action: 'trickle', bytes: 200 }),
    exit: 0
  },
  {
    name: 'status poll: one answer cut short into malformed JSON is a failed poll, retried',
    setup: statusFault({ on: 'status', status: 200, body: '{"runId": "r", "endTime": ' }),
    exit: 0,
    conclusion: 'success',
    check: result =>
      expect(result.stdout).toMatch(/Could not read the run's status: .*answered with something that is not JSON/)
  },
  {
    name: 'status poll: a sign-in page in place of every answer fails quickly',
    setup: statusFault({
      on: 'status',
      status: 200,
      headers: { 'content-type': 'text/html' },
      body: '<html><head><title>Sign in</title></head></html>',
      times: 100
    }),
    inputs: { 'timeout-minutes': '1' },
    exit: 1,
    conclusion: 'failure',
    error: /answered with something that is not JSON \(text\/html: .*Check that `host` points to the Datalore server itself/,
    check: (result, c) => {
      expect(c.sim.requestsTo('status')).toHaveLength(3)
      expect(result.durationMs).toBeLessThan(10_000)
    }
  },
  {
    name: 'status poll: a JSON array',
    setup: statusFault({ on: 'status', status: 200, body: '[{"success": true}]' }),
    exit: 1,
    error: /does not have the documented shape: it is not a JSON object/
  },
  {
    name: 'status poll: endTime without success',
    setup: statusFault({
      on: 'status',
      rewrite: doc => ({ ...doc, endTime: '2026-01-01T00:00:00Z', success: undefined })
    }),
    exit: 1,
    error: /"endTime" is set\) but "success" is missing/
  },
  {
    name: 'status poll: success as a string',
    setup: statusFault({
      on: 'status',
      rewrite: doc => ({ ...doc, endTime: '2026-01-01T00:00:00Z', success: 'true' })
    }),
    exit: 1,
    error: /"success" is "true" instead of true or false/
  },
  {
    name: 'status poll: artifacts not a list',
    setup: statusFault({
      on: 'status',
      times: 100,
      rewrite: doc => ({ ...doc, artifacts: { 'a.txt': '/x' } })
    }),
    exit: 1,
    error: /"artifacts" is not a list/
  },
  {
    name: 'status poll: a 50 MiB answer',
    setup: statusFault({
      on: 'status',
      status: 200,
      body: `{"x": "${'x'.repeat(50 * 1024 * 1024)}"}`
    }),
    exit: 1,
    error: /is larger than 32 MiB, far more than a Datalore API answer/
  },
  {
    name: 'status poll: the answer is about another run',
    setup: statusFault({ on: 'status', rewrite: doc => ({ ...doc, runId: 'someone-elses-run' }) }),
    exit: 1,
    error: /describes run "someone-elses-run", not the one asked for/
  },

  // Submission
  ...(
    [
      [401, '{"error": "Token expired"}', /401 "Token expired"\. Check `token`/],
      [
        403,
        '{"error": "Forbidden"}',
        /403 "Forbidden"\. The token was accepted but may not do this/
      ],
      [404, '{"error": "No such notebook"}', /404 "No such notebook"\. Check `notebook-id`/],
      [
        400,
        '{"error": "Unknown control: Regoin"}',
        /400 "Unknown control: Regoin"\. Datalore found the request invalid/
      ],
      [400, '{"message": "Malformed request"}', /400 "Malformed request"\./],
      [
        400,
        '<html><head><title>Bad Request</title></head></html>',
        /400 "an HTML page titled "Bad Request""/
      ]
    ] as const
  ).map(([status, body, error]): Scenario => ({
    name: `submit: ${status} with ${body.slice(0, 20)}`,
    setup: c => void c.sim.fault({ on: 'submit', status, body }),
    exit: 1,
    conclusion: 'failure',
    error,
    check: (_r, c) => {
      expect(c.sim.requestsTo('submit')).toHaveLength(1)
      expect(c.sim.requestsTo('status')).toHaveLength(0)
    }
  })),
  {
    name: 'submit: 429, then success, starting exactly one run',
    setup: c => void c.sim.fault({ on: 'submit', status: 429, headers: { 'retry-after': '1' } }),
    exit: 0,
    check: (_r, c) => {
      expect(c.sim.requestsTo('submit')).toHaveLength(2)
      expect(runsOf(c)).toHaveLength(1)
    }
  },
  {
    name: 'submit: 503, then success, starting exactly one run',
    setup: c => void c.sim.fault({ on: 'submit', status: 503, times: 2 }),
    exit: 0,
    check: (_r, c) => expect(runsOf(c)).toHaveLength(1)
  },
  {
    name: 'submit: connection refused, then success',
    inputs: { 'poll-interval-seconds': '0.5' },
    setup: async c => {
      const port = await freePort()
      const late = new DataloreSimulator({ token: TOKEN, port })
      switchTo(c, late)
      c.host = `http://127.0.0.1:${port}`
      setTimeout(() => void late.start(), 400)
      c.cleanup.push(() => late.close())
    },
    exit: 0,
    check: (result, c) => {
      expect(result.stdout).toMatch(
        /Could not submit the run \(attempt 1 of 5\): connection refused.*No run was started/
      )
      expect(runsOf(c)).toHaveLength(1)
    }
  },
  {
    name: 'submit: a connection reset is not retried (the run may have started)',
    setup: c => void c.sim.fault({ on: 'submit', action: 'reset' }),
    exit: 1,
    error: /connection reset by/,
    check: (_r, c) => expect(c.sim.requestsTo('submit')).toHaveLength(1)
  },
  {
    name: 'submit: a 200 without runId',
    setup: c => void c.sim.fault({ on: 'submit', status: 200, body: '{"id": "r1"}' }),
    exit: 1,
    error:
      /accepted the request to start the run but its answer has no runId.*A run may have started/,
    check: (_r, c) => expect(c.sim.requestsTo('submit')).toHaveLength(1)
  },

  // Artifacts
  {
    name: 'artifacts: a reset in the middle of a body',
    setup: c =>
      void c.sim.fault({
        on: 'artifact',
        action: 'truncate',
        bytes: 50_000,
        when: isFile('data.bin')
      }),
    exit: 0,
    check: (_r, c) =>
      expect(c.sim.requestsTo('artifact').filter(isFile('data.bin'))).toHaveLength(2)
  },
  {
    name: 'artifacts: Content-Length longer than the body',
    setup: c =>
      void c.sim.fault({
        on: 'artifact',
        action: 'long-content-length',
        when: isFile('data.bin'),
        times: 2
      }),
    exit: 0,
    check: (_r, c) =>
      expect(c.sim.requestsTo('artifact').filter(isFile('data.bin'))).toHaveLength(3)
  },
  {
    name: 'artifacts: 502 and 503, then the bytes',
    setup: c => {
      c.sim.fault({ on: 'artifact', status: 502, when: isFile('data.bin') })
      c.sim.fault({
        on: 'artifact',
        status: 503,
        when: isFile('data.bin'),
        headers: { 'retry-after': '1' }
      })
    },
    exit: 0,
    check: (_r, c) =>
      expect(c.sim.requestsTo('artifact').filter(isFile('data.bin'))).toHaveLength(3)
  },
  {
    name: 'artifacts: 404 for one of five',
    notebook: {
      artifacts: ['one', 'two', 'three', 'four', 'five'].map(n => ({
        name: `${n}.csv`,
        content: `${n}\n`
      }))
    },
    setup: c =>
      void c.sim.fault({ on: 'artifact', status: 404, when: isFile('three.csv'), times: 10 }),
    exit: 1,
    error:
      /Could not download 1 of 5 artifact\(s\) .*"three\.csv" \(.*answered 404\)\. The other 4 were uploaded\./
  },
  {
    name: 'artifacts: names that are "..", "/etc/passwd", empty, 300 characters, or only forbidden characters',
    notebook: {
      artifacts: ['..', '/etc/passwd', '', `${'n'.repeat(296)}.csv`, '"*:<>?|'].map((name, i) => ({
        name,
        content: `file ${i}`
      }))
    },
    exit: 0,
    check: result => {
      const files = listed(result).map(a => a.file)
      expect(files.slice(0, 3)).toEqual(['artifact', 'etc_passwd', 'artifact (2)'])
      expect(files[3]).toMatch(/^n{196}\.csv$/)
      expect(files[4]).toBe('_______')
    }
  },
  {
    name: 'artifacts: 1,000 small ones',
    notebook: {
      artifacts: Array.from({ length: 1000 }, (_, i) => ({
        name: `part-${i}.json`,
        content: `{"i": ${i}}`
      }))
    },
    exit: 0,
    check: result => expect(listed(result)).toHaveLength(1000)
  },
  {
    name: 'artifacts: an absolute URL on another origin',
    notebook: () => ({
      artifacts: [
        {
          name: 'elsewhere.bin',
          size: 10_000,
          seed: 'abs',
          path: `${storage.url}/abs/elsewhere.bin`
        }
      ]
    }),
    setup: () => void storage.addFile('/abs/elsewhere.bin', { size: 10_000, seed: 'abs' }),
    exit: 0,
    check: () =>
      expect(storage.requests.filter(r => r.path === '/abs/elsewhere.bin')).toHaveLength(1)
  },
  {
    name: 'artifacts: a redirect chain of 3 hops ending on another origin',
    notebook: () => ({
      artifacts: [
        { name: 'chained.bin', size: 10_000, seed: 'chain', redirectTo: `${sim.url}/hop/1` }
      ]
    }),
    setup: c => {
      c.sim.addFile('/hop/1', { redirectTo: `${storage.url}/hop/2` })
      storage.addFile('/hop/2', { redirectTo: `${storage.url}/hop/3` })
      storage.addFile('/hop/3', { size: 10_000, seed: 'chain' })
    },
    exit: 0,
    check: (_r, c) => {
      expect(c.sim.requestsTo('file').map(r => [r.path, r.headers.authorization])).toEqual([
        ['/hop/1', `Bearer ${TOKEN}`]
      ])
      expect(storage.requests.filter(r => r.path.startsWith('/hop/')).map(r => r.path)).toEqual([
        '/hop/2',
        '/hop/3'
      ])
    }
  },
  {
    name: 'artifacts: a redirect loop',
    notebook: () => ({
      artifacts: [
        { name: 'loop.bin', content: 'never served', redirectTo: `${sim.url}/loop/a` },
        { name: 'fine.txt', content: 'fine' }
      ]
    }),
    setup: c => {
      c.sim.addFile('/loop/a', { redirectTo: `${storage.url}/loop/b` })
      storage.addFile('/loop/b', { redirectTo: `${c.sim.url}/loop/a` })
    },
    exit: 1,
    error: /"loop\.bin" \(the download redirects in a loop .*\)\. The other 1 were uploaded/
  },
  {
    name: 'artifacts: an http:// URL from an https:// Datalore is refused',
    notebook: () => ({
      artifacts: [
        { name: 'plain.bin', content: 'x', path: `${storage.url}/plain.bin` },
        { name: 'fine.txt', content: 'fine' }
      ]
    }),
    setup: c => {
      storage.addFile('/plain.bin', { content: 'x' })
      switchTo(c, tlsSim, { NODE_EXTRA_CA_CERTS: ca.caFile })
    },
    exit: 1,
    error:
      /"plain\.bin" \(refusing to download http:\/\/127\.0\.0\.1:\d+\/plain\.bin over http:\/\/ when Datalore is on https:\/\//,
    check: () => expect(storage.requests.filter(r => r.path === '/plain.bin')).toHaveLength(0)
  },

  // The token echoed back
  {
    name: 'the server echoes the token in an error body',
    setup: c =>
      void c.sim.fault({
        on: 'submit',
        status: 400,
        body: JSON.stringify({ error: `bad token ${TOKEN}` })
      }),
    exit: 1,
    error: /400 "bad token \*\*\*"/
  },
  {
    name: 'the server echoes the token in a status string',
    notebook: { durationMs: 600 },
    setup: statusFault({
      on: 'status',
      times: 100,
      rewrite: doc => (doc.status ? { ...doc, status: `running for ${TOKEN}` } : doc)
    }),
    exit: 0,
    check: result => expect(result.stdout).toContain('status "running for ***"')
  },

  // Cancelled jobs
  {
    name: 'SIGTERM while submitting',
    setup: c => void c.sim.fault({ on: 'submit', delayMs: 5_000 }),
    signalWhen: c => c.sim.requestsTo('submit').length > 0,
    exit: 1,
    conclusion: 'cancelled',
    error:
      /cancelled \(SIGTERM\)\. If the request to start the run had already reached Datalore, a run may have started/
  },
  {
    name: 'SIGTERM while polling',
    notebook: { durationMs: Infinity },
    signalWhen: c => c.sim.requestsTo('status').length > 0,
    exit: 1,
    conclusion: 'cancelled',
    error: /cancelled \(SIGTERM\)\. The Datalore run \S+ keeps running/
  },
  {
    name: 'SIGTERM while downloading',
    notebook: { artifacts: [{ name: 'slow.bin', size: 100_000, seed: 'slow' }] },
    setup: c => void c.sim.fault({ on: 'artifact', action: 'trickle', bytes: 10_000 }),
    signalWhen: c => c.sim.requestsTo('artifact').length > 0,
    exit: 1,
    conclusion: 'cancelled',
    error:
      /cancelled \(SIGTERM\)\. The Datalore run \S+ had finished \(success: true\)\. These artifacts were not downloaded: "slow\.bin"\./
  },
  {
    name: 'SIGTERM while uploading',
    setup: () => void results.fault({ on: 'FinalizeArtifact', delayMs: 5_000, status: 400 }),
    signalWhen: () => results.requestsTo('FinalizeArtifact').length > 0,
    exit: 1,
    conclusion: 'cancelled',
    error:
      /cancelled \(SIGTERM\)\. The Datalore run \S+ had finished \(success: true\)\. What was downloaded is in \S+\.$/
  },

  // The artifact service
  {
    name: 'the artifact service answers 4xx on CreateArtifact',
    setup: () =>
      void results.fault({ on: 'CreateArtifact', status: 403, msg: 'uploads are blocked' }),
    exit: 1,
    error: /workflow artifact .* failed: .*\(403\) Forbidden: uploads are blocked/
  },
  {
    name: 'the artifact service answers 4xx on FinalizeArtifact',
    setup: () => void results.fault({ on: 'FinalizeArtifact', status: 400, msg: 'size mismatch' }),
    exit: 1,
    error: /workflow artifact .* failed: .*\(400\) Bad Request: size mismatch/
  },

  // TLS
  {
    name: 'TLS: an On-Premises host with a private CA, trusted through NODE_EXTRA_CA_CERTS',
    setup: c => switchTo(c, tlsSim, { NODE_EXTRA_CA_CERTS: ca.caFile }),
    exit: 0
  },
  {
    name: 'TLS: a certificate that does not verify',
    setup: c => switchTo(c, untrustedSim),
    exit: 1,
    error:
      /the TLS certificate of 127\.0\.0\.1:\d+ did not verify \(UNABLE_TO_VERIFY_LEAF_SIGNATURE.*set NODE_EXTRA_CA_CERTS/,
    check: (_r, c) => expect(c.sim.requestsTo('submit')).toHaveLength(0)
  }
]

let rows = 0

afterEach(() => {
  // A fault left over by one row (say, 100 hung polls) must not leak into the next.
  for (const server of [sim, storage, tlsSim, untrustedSim]) {
    server.faults.length = 0
    server.requests.length = 0
  }
  results.faults.length = 0
  results.requests.length = 0
})

describe.each(scenarios.map(s => [s.name, s] as const))('%s', (_name, scenario) => {
  it('holds all five invariants', async () => {
    const notebookId = `faults/row${++rows}`
    const specific =
      typeof scenario.notebook === 'function' ? scenario.notebook() : scenario.notebook
    const notebook: NotebookSpec = { durationMs: 300, artifacts: SMALL, ...specific }
    const context: Context = { sim, host: sim.url, notebookId, notebook, env: {}, cleanup: [] }
    sim.addNotebook(notebookId, notebook)
    try {
      await scenario.setup?.(context)
      const timeoutMinutes = scenario.inputs?.['timeout-minutes'] ?? DEFAULT_TIMEOUT_MINUTES
      let signalledAt = 0
      let watcher: NodeJS.Timeout | undefined
      const result = await runAction(
        {
          host: context.host,
          token: TOKEN,
          'notebook-id': notebookId,
          'poll-interval-seconds': '0.2',
          'timeout-minutes': timeoutMinutes,
          ...scenario.inputs
        },
        {
          env: {
            ...results.env,
            GITHUB_REPOSITORY: 'acme/faults',
            GITHUB_RUN_ID: '9',
            ...context.env
          },
          killAfterMs: Number(timeoutMinutes) * 60_000 + 30_000,
          masked: () => results.masked(),
          onStart: (child: ChildProcess) => {
            if (scenario.signalWhen == null) return
            watcher = setInterval(() => {
              if (signalledAt === 0 && scenario.signalWhen?.(context)) {
                signalledAt = Date.now()
                child.kill('SIGTERM')
              }
            }, 10)
          }
        }
      )
      clearInterval(watcher)
      const exitedAt = Date.now()

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
      expect(result.durationMs).toBeLessThan(Number(timeoutMinutes) * 60_000 + MARGIN_MS)
      if (scenario.signalWhen != null) {
        expect(signalledAt).toBeGreaterThan(0)
        expect(exitedAt - signalledAt).toBeLessThan(2_000)
      }

      // 3. Nothing lost.
      await expectNothingLost(result, context)

      // 4. No leak.
      expect(leaksOf(result, TOKEN)).toEqual([])
      expect(filesWithToken(result.workDir, result.outputs['artifacts-path'])).toEqual([])
      const elsewhere = [...storage.requests, ...results.requests].filter(r =>
        JSON.stringify(r).includes(TOKEN)
      )
      expect(elsewhere).toEqual([])

      // 5. Outputs whenever a run was started.
      const started = runsOf(context)
      if (started.length > 0) {
        expect(result.outputs['run-id']).toBe(started.at(-1))
        expect(result.outputs.conclusion).toEqual(expect.any(String))
      }

      await scenario.check?.(result, context)
    } finally {
      for (const step of context.cleanup) await step()
    }
  })
})

function runsOf(context: Context): string[] {
  return [...context.sim.runs.values()]
    .filter(r => r.notebookId === context.notebookId)
    .map(r => r.runId)
}

interface Listed {
  name: string
  file: string
  sha256: string
}

function listed(result: ActionResult): Listed[] {
  return JSON.parse(result.outputs.artifacts ?? '[]') as Listed[]
}

/**
 * Every artifact the finished run listed is in the uploaded zip byte for byte; or the step
 * failed and named it; or it is in artifacts-path and the step failed naming the upload.
 */
async function expectNothingLost(result: ActionResult, context: Context): Promise<void> {
  const [runId] = runsOf(context)
  const run = runId == null ? undefined : context.sim.statusDocument(runId)
  if (run?.endTime == null || result.outputs.success == null) return
  const errors = errorsOf(result).join('\n')
  const uploaded = results.artifacts.find(a => String(a.id) === result.outputs['artifact-id'])
  const zip = uploaded ? await zipDigests(await results.downloadArtifactZip(uploaded)) : new Map()
  const files = new Map(listed(result).map(a => [a.name, a]))
  const dir = result.outputs['artifacts-path'] ?? ''
  for (const spec of context.notebook.artifacts ?? []) {
    const expected = await artifactSha256(spec)
    const entry = files.get(spec.name)
    const inZip = entry != null && zip.get(entry.file)?.sha256 === expected
    const kept =
      entry != null &&
      existsSync(join(dir, entry.file)) &&
      sha256File(join(dir, entry.file)) === expected
    const named = errors.includes(JSON.stringify(spec.name))
    const uploadNamed =
      /workflow artifact/.test(errors) || result.outputs.conclusion === 'cancelled'
    expect({
      artifact: spec.name,
      safe: inZip || named || (kept && uploadNamed && result.code !== 0)
    }).toEqual({
      artifact: spec.name,
      safe: true
    })
  }
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

function isFile(name: string) {
  return (request: { path: string }) => request.path.endsWith(`/${name}`)
}

function gapAfterFirst(requests: Array<{ at: number }>): number {
  const [first, second] = requests
  return first && second ? second.at - first.at : 0
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise(resolve => server.close(resolve))
  return port
}

it('has at least 30 scenarios', () => {
  expect(scenarios.length).toBeGreaterThanOrEqual(30)
})
