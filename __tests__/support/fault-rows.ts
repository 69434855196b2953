/**
 * The fault-injection rows: one fault per row. `faults.e2e.test.ts` runs each against one
 * notebook, `faults-many.e2e.test.ts` against the same notebook and a healthy companion in one
 * step (`notebooks`), both checked against the invariants of ./fault-suite.ts.
 */
import { expect } from '@jest/globals'
import { artifactSha256, DataloreSimulator, NotebookSpec } from '../../simulator/datalore.js'
import { notebookArtifact } from '../../simulator/notebooks.js'
import { zipDigests } from '../../harness/zip.js'
import { ActionResult, errorsOf, runsOutput, warningsOf } from './action.js'
import {
  Context,
  freePort,
  gaps,
  isFile,
  listed,
  onDisk,
  runsOf,
  Scenario,
  servers,
  SMALL,
  statusFault,
  switchTo,
  TOKEN
} from './fault-suite.js'

const firstGap = (requests: Array<{ at: number }>): number => gaps(requests)[0] ?? 0

const MiB = 1024 * 1024
/** A call of the artifact service about a page (an uploaded `.html`), not a zip. */
const isPage = (call: { body?: { name?: unknown } }): boolean =>
  String(call.body?.name).endsWith('.html')
/** The usual notebook, with a data.bin of 2 MiB: a cut can come after 1 MiB is on disk. */
const LARGE: NotebookSpec = {
  artifacts: SMALL.map(a => (a.name === 'data.bin' ? { ...a, size: 2 * MiB } : a))
}

/**
 * The artifact `name` of the row's run is in the run's uploaded zip byte for byte (the sha256 of
 * what the simulator serves), whether the step ran one notebook or several.
 */
async function expectArrived(result: ActionResult, c: Context, name: string): Promise<void> {
  const [runId] = runsOf(c)
  const spec = c.notebook.artifacts?.find(a => a.name === name)
  const id =
    c.companion == null
      ? result.outputs['artifact-id']
      : runsOutput(result).find(r => r['run-id'] === runId)?.['artifact-id']
  const uploaded = servers.results.artifacts.find(a => String(a.id) === String(id))
  expect({ spec: spec != null, uploaded: uploaded != null }).toEqual({ spec: true, uploaded: true })
  if (spec == null || uploaded == null) return
  const zip = await zipDigests(await servers.results.downloadArtifactZip(uploaded))
  expect(zip.get(name)?.sha256).toBe(await artifactSha256(spec))
}

export const FAULT_ROWS: Scenario[] = [
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
    check: (_r, c) => expect(firstGap(c.sim.requestsTo('status'))).toBeGreaterThanOrEqual(1_900)
  },
  ((): Scenario => {
    // HTTP dates have whole seconds; the wait they ask for is measured from the 429 itself.
    let retryAt = 0
    return {
      name: 'status poll: 429 with Retry-After as an HTTP date',
      inputs: { 'timeout-minutes': '0.3' },
      setup: c => {
        // Far enough ahead that a slow start of the process still meets a wait to honour.
        retryAt = Math.floor((Date.now() + 8_000) / 1000) * 1000
        c.sim.fault({
          on: 'status',
          status: 429,
          headers: { 'retry-after': new Date(retryAt).toUTCString() }
        })
      },
      exit: 0,
      check: (_r, c) => {
        const [refused, next] = c.sim.requestsTo('status')
        const asked = retryAt - (refused?.at ?? 0)
        expect(asked).toBeGreaterThan(500)
        // Not before the date (the action's own clock may differ by a few milliseconds).
        expect((next?.at ?? 0) - (refused?.at ?? 0)).toBeGreaterThanOrEqual(asked - 50)
      }
    }
  })(),
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
  ((): Scenario => {
    // Head on: while endTime is absent or null, the run is going, whatever the status says.
    // Seen red against wait.ts ending the wait once a status lists artifacts (the step then
    // fetched /early/early.txt and failed on its 404).
    let polls = 0
    return {
      name: 'status poll: success, a status and artifacts, but endTime absent or null',
      notebook: { durationMs: 1_500, endTimeWhileRunning: 'null' },
      setup: statusFault({
        on: 'status',
        times: 100,
        rewrite: doc =>
          doc.endTime == null
            ? {
                ...doc,
                endTime: polls++ % 2 === 0 ? undefined : null,
                success: true,
                status: 'SUCCESS',
                artifacts: [{ name: 'early.txt', path: '/early/early.txt' }]
              }
            : doc
      }),
      exit: 0,
      conclusion: 'success',
      checkBoth: (_r, c) => {
        expect(polls).toBeGreaterThanOrEqual(2)
        expect(c.sim.requests.filter(r => r.path.startsWith('/early/'))).toEqual([])
      }
    }
  })(),
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
  // A fault on a body bites only once part of it is on disk: the rows below cut data.bin (2 MiB)
  // after 1 MiB reached the action's staging folder, and check the bytes that arrive.
  {
    // Seen red against the partial file of the failed attempt left in place (1.0.0 as prepared:
    // every retry failed with EEXIST and data.bin was lost), and when the simulator reset the
    // connection before the bytes were flushed (nothing reached the disk, the row passed).
    name: 'artifacts: a reset in the middle of a body, after 1 MiB reached the disk',
    notebook: LARGE,
    setup: c =>
      void c.sim.fault({
        on: 'artifact',
        action: 'truncate',
        bytes: MiB,
        when: isFile('data.bin'),
        holdUntil: onDisk(c, MiB)
      }),
    exit: 0,
    checkBoth: async (result, c) => {
      expect(c.cuts).toEqual([MiB])
      await expectArrived(result, c, 'data.bin')
    },
    check: (_r, c) =>
      expect(c.sim.requestsTo('artifact').filter(isFile('data.bin'))).toHaveLength(2)
  },
  {
    // Seen red against the EEXIST of the failed attempt's file (1.0.0 as prepared), and when the
    // simulator wrote the body before its headers (a parse error: nothing reached the disk).
    name: 'artifacts: Content-Length longer than the body, twice',
    notebook: LARGE,
    setup: c =>
      void c.sim.fault({
        on: 'artifact',
        action: 'long-content-length',
        when: isFile('data.bin'),
        times: 2,
        holdUntil: onDisk(c, 2 * MiB)
      }),
    exit: 0,
    checkBoth: async (result, c) => {
      expect(c.cuts).toEqual([2 * MiB, 2 * MiB])
      await expectArrived(result, c, 'data.bin')
    },
    check: (_r, c) =>
      expect(c.sim.requestsTo('artifact').filter(isFile('data.bin'))).toHaveLength(3)
  },
  {
    // Seen red against download.ts without its deadline for downloads in flight (the step then
    // waits for the 60 s idle limit: over the bounded time), and against downloadArtifacts
    // without removing its staging folder (the harness finds it left in RUNNER_TEMP).
    name: 'artifacts: a body that stalls after 1 MiB reached the disk, until timeout-minutes runs out',
    notebook: LARGE,
    setup: c =>
      void c.sim.fault({
        on: 'artifact',
        action: 'stall',
        bytes: MiB,
        when: isFile('data.bin'),
        holdUntil: onDisk(c, MiB)
      }),
    exit: 1,
    // Out of time, as the README says of `timeout-minutes`: not a failure of the run's own.
    conclusion: 'timed_out',
    error:
      /^Could not download 1 of 3 artifact\(s\) .*"data\.bin" \(`timeout-minutes` ran out before the download finished\)/,
    checkBoth: (_r, c) => expect(c.cuts).toEqual([MiB])
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
      /Could not download 1 of 5 artifact\(s\) .*"three\.csv" \(.*answered 404\)\. The other 4 were uploaded\./,
    // A 404 is an answer, not a hiccup: asked once. Seen red against isRetryable taking 404 as
    // retryable (5 requests).
    checkBoth: (_r, c) =>
      expect(c.sim.requestsTo('artifact').filter(isFile('three.csv'))).toHaveLength(1)
  },
  {
    // A failed run does not hide a missing artifact, nor the other way round. Seen red against
    // verdict.ts recording artifact problems only when the run succeeded.
    name: 'the notebook fails and one of its artifacts answers 404: both are named',
    notebook: { success: false },
    setup: c =>
      void c.sim.fault({ on: 'artifact', status: 404, when: isFile('data.bin'), times: 10 }),
    exit: 1,
    conclusion: 'failure',
    error: /The notebook run failed/,
    checkBoth: result =>
      expect(errorsOf(result)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/The notebook run failed/),
          expect.stringMatching(
            /Could not download 1 of 3 artifact\(s\) .*"data\.bin" \(.*answered 404\)\. The other 2 were uploaded\./
          )
        ])
      )
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
          path: `${servers.storage.url}/abs/elsewhere.bin`
        }
      ]
    }),
    setup: () => void servers.storage.addFile('/abs/elsewhere.bin', { size: 10_000, seed: 'abs' }),
    exit: 0,
    check: () =>
      expect(servers.storage.requests.filter(r => r.path === '/abs/elsewhere.bin')).toHaveLength(1)
  },
  {
    name: 'artifacts: a redirect chain of 3 hops ending on another origin',
    notebook: () => ({
      artifacts: [
        { name: 'chained.bin', size: 10_000, seed: 'chain', redirectTo: `${servers.sim.url}/hop/1` }
      ]
    }),
    setup: c => {
      c.sim.addFile('/hop/1', { redirectTo: `${servers.storage.url}/hop/2` })
      servers.storage.addFile('/hop/2', { redirectTo: `${servers.storage.url}/hop/3` })
      servers.storage.addFile('/hop/3', { size: 10_000, seed: 'chain' })
    },
    exit: 0,
    check: (_r, c) => {
      expect(c.sim.requestsTo('file').map(r => [r.path, r.headers.authorization])).toEqual([
        ['/hop/1', `Bearer ${TOKEN}`]
      ])
      expect(
        servers.storage.requests.filter(r => r.path.startsWith('/hop/')).map(r => r.path)
      ).toEqual(['/hop/2', '/hop/3'])
    }
  },
  {
    name: 'artifacts: a redirect loop',
    notebook: () => ({
      artifacts: [
        { name: 'loop.bin', content: 'never served', redirectTo: `${servers.sim.url}/loop/a` },
        { name: 'fine.txt', content: 'fine' }
      ]
    }),
    setup: c => {
      c.sim.addFile('/loop/a', { redirectTo: `${servers.storage.url}/loop/b` })
      servers.storage.addFile('/loop/b', { redirectTo: `${c.sim.url}/loop/a` })
    },
    exit: 1,
    error: /"loop\.bin" \(the download redirects in a loop .*\)\. The other 1 were uploaded/
  },
  {
    name: 'artifacts: an http:// URL from an https:// Datalore is refused',
    notebook: () => ({
      artifacts: [
        { name: 'plain.bin', content: 'x', path: `${servers.storage.url}/plain.bin` },
        { name: 'fine.txt', content: 'fine' }
      ]
    }),
    setup: c => {
      servers.storage.addFile('/plain.bin', { content: 'x' })
      switchTo(c, servers.tlsSim, { NODE_EXTRA_CA_CERTS: servers.ca.caFile })
    },
    exit: 1,
    error:
      /"plain\.bin" \(refusing to download http:\/\/127\.0\.0\.1:\d+\/plain\.bin over http:\/\/ when Datalore is on https:\/\//,
    check: () =>
      expect(servers.storage.requests.filter(r => r.path === '/plain.bin')).toHaveLength(0)
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
    name: 'SIGTERM while submitting, the answer coming within a second: the run is named, not lost',
    setup: c => void c.sim.fault({ on: 'submit', delayMs: 100 }),
    signalWhen: c => c.sim.requestsTo('submit').length > 0,
    exit: 1,
    conclusion: 'cancelled',
    error:
      /cancelled \(SIGTERM\)\. The Datalore run run-\S+ keeps running: there is no API to cancel it/,
    check: (result, c) => {
      // The run the submit started, by its ID: in the output and in the message.
      const started = runsOf(c)
      expect(started).toHaveLength(1)
      expect(result.outputs['run-id']).toBe(started[0])
      expect(errorsOf(result).join('\n')).toContain(`The Datalore run ${started[0]} keeps running`)
    }
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
    // Signalled once 1 MiB of the body is on disk, with the rest never coming. Seen red against
    // downloadArtifacts without removing its staging folder (the harness finds the half file),
    // and with that removal put off by 2.5 s (the exit backstop of cancel.ts comes first).
    name: 'SIGTERM while downloading, 1 MiB of the body on disk',
    notebook: { artifacts: [{ name: 'slow.bin', size: 2 * MiB, seed: 'slow' }] },
    setup: c =>
      void c.sim.fault({
        on: 'artifact',
        action: 'stall',
        bytes: MiB,
        when: isFile('slow.bin'),
        holdUntil: onDisk(c, MiB)
      }),
    signalWhen: c => c.cuts.length > 0,
    exit: 1,
    conclusion: 'cancelled',
    error:
      /cancelled \(SIGTERM\)\. The Datalore run \S+ had finished \(success: true\)\. These artifacts were not downloaded: "slow\.bin"\./,
    checkBoth: (_r, c) => expect(c.cuts).toEqual([MiB])
  },
  {
    name: 'SIGTERM while uploading',
    setup: () =>
      void servers.results.fault({ on: 'FinalizeArtifact', delayMs: 5_000, status: 400 }),
    signalWhen: () => servers.results.requestsTo('FinalizeArtifact').length > 0,
    exit: 1,
    conclusion: 'cancelled',
    error:
      /cancelled \(SIGTERM\)\. The Datalore run \S+ had finished \(success: true\)\. What was downloaded is in \S+\.$/
  },

  {
    // The page of the executed notebook is written to a scratch folder for its upload: a cancel
    // mid-upload removes it too. Seen red against pages.ts leaving that folder (1.0.0 as
    // prepared: <RUNNER_TEMP>/datalore/pages-<run-id>-XXXXXX stayed, uploaded or not), and
    // against collect.ts letting the cancelled page upload throw the whole report away (the
    // step named no artifact and no folder, though the zip was uploaded).
    name: 'SIGTERM while uploading the page of the executed notebook',
    notebook: {
      artifacts: [notebookArtifact('success-values', 'report.ipynb'), ...SMALL.slice(1)]
    },
    setup: () =>
      void servers.results.fault({
        on: 'FinalizeArtifact',
        when: isPage,
        delayMs: 5_000,
        status: 400
      }),
    signalWhen: () => servers.results.requestsTo('FinalizeArtifact').some(isPage),
    exit: 1,
    conclusion: 'cancelled',
    error: /cancelled \(SIGTERM\)\. The Datalore run \S+ had finished \(success: true\)\./
  },

  {
    // The page is a courtesy: its upload cut by `timeout-minutes` is a warning, and what was
    // collected (the zip's artifact) is still named. Seen red against collect.ts letting the
    // page's TimeoutError throw the whole report away (no `artifact-id`, a failed step); with
    // several runs, against many.ts concluding `timed_out` for a deadline that stopped no run;
    // and against index.ts without its exit after the outputs (the upload the artifact client
    // cannot stop held the process 21 s, past the bounded time).
    name: 'timeout-minutes runs out while the page of the executed notebook uploads',
    notebook: {
      artifacts: [notebookArtifact('success-values', 'report.ipynb'), ...SMALL.slice(1)]
    },
    inputs: { 'timeout-minutes': '0.1' },
    setup: () =>
      void servers.results.fault({
        on: 'FinalizeArtifact',
        when: isPage,
        delayMs: 12_000,
        status: 400
      }),
    exit: 0,
    conclusion: 'success',
    checkBoth: result =>
      expect(warningsOf(result).join('\n')).toMatch(
        /page of the executed notebook .*`timeout-minutes` ran out/
      ),
    check: result => expect(result.outputs['artifact-id']).toMatch(/^\d+$/)
  },

  // The artifact service
  {
    name: 'the artifact service answers 4xx on CreateArtifact',
    setup: () =>
      void servers.results.fault({ on: 'CreateArtifact', status: 403, msg: 'uploads are blocked' }),
    exit: 1,
    error: /workflow artifact .* failed: .*\(403\) Forbidden: uploads are blocked/
  },
  {
    name: 'the artifact service answers 4xx on FinalizeArtifact',
    setup: () =>
      void servers.results.fault({ on: 'FinalizeArtifact', status: 400, msg: 'size mismatch' }),
    exit: 1,
    error: /workflow artifact .* failed: .*\(400\) Bad Request: size mismatch/
  },

  // TLS
  {
    name: 'TLS: an On-Premises host with a private CA, trusted through NODE_EXTRA_CA_CERTS',
    setup: c => switchTo(c, servers.tlsSim, { NODE_EXTRA_CA_CERTS: servers.ca.caFile }),
    exit: 0
  },
  {
    name: 'TLS: a certificate that does not verify',
    setup: c => switchTo(c, servers.untrustedSim),
    exit: 1,
    error:
      /the TLS certificate of 127\.0\.0\.1:\d+ did not verify \(UNABLE_TO_VERIFY_LEAF_SIGNATURE.*set NODE_EXTRA_CA_CERTS/,
    check: (_r, c) => expect(c.sim.requestsTo('submit')).toHaveLength(0)
  }
]
