/**
 * The executed notebook handed back as a page: uploaded as a non-zipped workflow artifact (the
 * fake results service keeps the bytes it received), written next to the files with
 * `artifacts: download`, and a warning, nothing worse, where the service takes zips only. And
 * the page of a hostile notebook as the action writes it: no link away, no anchor of the page
 * taken, the whole Content-Security-Policy; nesting and size that would take minutes to clean,
 * and a step whose time runs out, or that is cancelled, while the page is being written.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { DataloreSimulator, startDataloreSimulator } from '../simulator/datalore.js'
import { ResultsService, startResultsService } from '../simulator/github-results.js'
import { executedNotebook, NotebookFixture } from '../simulator/notebooks.js'
import { listZip } from '../harness/zip.js'
import { ActionResult, errorsOf, runAction } from './support/action.js'
import { useAzurite } from './support/azurite.js'
import { codeCell, display, error, markdownCell, notebookOf } from './support/notebook-json.js'
import {
  anchorProblems,
  anchorsOf,
  contentSecurityPolicyOf,
  targetOf
} from './support/page-anchors.js'

const GITHUB = { GITHUB_REPOSITORY: 'acme/app', GITHUB_RUN_ID: '77' }
let sim: DataloreSimulator
let results: ResultsService
let zipOnly: ResultsService
let notebooks = 0

beforeAll(async () => {
  const azurite = await useAzurite()
  results = await startResultsService({ blobBaseUrl: azurite.url })
  zipOnly = await startResultsService({ blobBaseUrl: azurite.url, zipOnly: true })
  sim = await startDataloreSimulator()
})
afterAll(async () => {
  await sim.close()
  await results.close()
  await zipOnly.close()
})

function notebookWith(fixture: NotebookFixture): string {
  const id = `pages/n${++notebooks}`
  sim.addNotebook(id, {
    durationMs: 100,
    success: !fixture.startsWith('failure'),
    artifacts: [
      { name: 'analysis.ipynb', content: executedNotebook(fixture) },
      { name: 'data.csv', content: 'a,b\n1,2\n' }
    ]
  })
  return id
}

async function run(
  inputs: Record<string, string>,
  service: ResultsService = results
): Promise<ActionResult> {
  return runAction(
    { host: sim.url, token: sim.token, 'poll-interval-seconds': '0.2', ...inputs },
    { env: { ...service.env, ...GITHUB }, masked: () => service.masked() }
  )
}

describe('with artifacts: upload', () => {
  it('uploads the page as its own non-zipped artifact, links it, and leaves the zip as it was', async () => {
    const result = await run({ 'notebook-id': notebookWith('failure-deep') })
    expect(result.code).toBe(1)
    const runId = result.outputs['run-id'] ?? ''
    const zipName = `datalore-pages-n${notebooks}-${runId}`
    const pageRecord = results.finalized().find(a => a.name === `${zipName}.html`)
    expect(pageRecord?.mimeType).toBe('text/html')
    // Byte for byte what the artifact client read from the page the action wrote (and then
    // removed: the harness checks that nothing is left behind).
    const received = await results.downloadArtifactZip(pageRecord ?? '')
    expect(
      createHash('sha256')
        .update(received as Buffer)
        .digest('hex')
    ).toBe(pageRecord?.digest)
    expect(received.toString()).toMatch(/^<!doctype html>/)
    expect(received.toString()).toContain('<section class="cell failed" id="cell-3">')

    const zip = results.finalized().find(a => a.name === zipName)
    const entries = await listZip((await results.downloadArtifactZip(zip ?? '')) as Buffer)
    expect(entries.map(e => e.name).sort()).toEqual(['analysis.ipynb', 'data.csv'])

    const pageUrl = `https://github.com/acme/app/actions/runs/77/artifacts/${pageRecord?.id}`
    expect(result.outputs).toMatchObject({
      'notebook-page-url': pageUrl,
      'notebook-page-id': String(pageRecord?.id)
    })
    const listed = JSON.parse(result.outputs.artifacts ?? '[]')
    expect(listed[0]).toMatchObject({
      name: 'analysis.ipynb',
      page: { artifact: `${zipName}.html`, id: pageRecord?.id, url: pageUrl }
    })
    expect(listed[1].page).toBeUndefined()
    // The first line after the result.
    expect(result.summary.split('\n').slice(0, 2)).toEqual([
      '<h2>❌ Datalore run failed</h2>',
      `<p><a href="${pageUrl}">Open the executed notebook</a></p>`
    ])
  })

  it('makes no page with notebook-page: false', async () => {
    const result = await run({
      'notebook-id': notebookWith('success-values'),
      'notebook-page': 'false'
    })
    expect(result.code).toBe(0)
    expect(
      results
        .finalized()
        .filter(a => a.name.endsWith('.html') && a.name.includes(result.outputs['run-id'] ?? '-'))
    ).toEqual([])
    expect(result.outputs['notebook-page-url']).toBeUndefined()
    expect(result.summary).not.toContain('Open the executed notebook')
  })
})

describe('with artifacts: download', () => {
  it('writes the page next to the downloaded files', async () => {
    const result = await run({
      'notebook-id': notebookWith('success-values'),
      artifacts: 'download'
    })
    expect(result.code).toBe(0)
    const dir = result.outputs['artifacts-path'] ?? ''
    expect(readdirSync(dir).sort()).toEqual(['analysis.html', 'analysis.ipynb', 'data.csv'])
    const page = readFileSync(join(dir, 'analysis.html'), 'utf8')
    expect(page).toContain('<h2>Values</h2>')
    expect(JSON.parse(result.outputs.artifacts ?? '[]')[0].page).toEqual({ file: 'analysis.html' })
    expect(result.summary).toContain(
      `<p>The executed notebook as a page: <code>${join(dir, 'analysis.html')}</code></p>`
    )
  })
})

describe('a service that takes zipped artifacts only', () => {
  it('warns, uploads the zip, and leaves the step as it was', async () => {
    const result = await run({ 'notebook-id': notebookWith('success-values') }, zipOnly)
    expect(result.code).toBe(0)
    expect(errorsOf(result)).toEqual([])
    const warnings = result.commands.filter(c => c.name === 'warning')
    expect(warnings.map(w => w.properties.title)).toEqual(['Notebook page not uploaded'])
    expect(warnings[0]?.data).toMatch(
      /mime_type text\/html is not supported.*take zipped artifacts only/
    )
    expect(result.outputs['artifact-id']).toMatch(/^\d+$/)
    expect(result.outputs['notebook-page-url']).toBeUndefined()
    expect(result.outputs['notebook-page-id']).toBeUndefined()
  })
})

/** A notebook of the test's own making, served as the run's executed notebook. */
function notebookServing(content: string, success = true): string {
  const id = `pages/n${++notebooks}`
  sim.addNotebook(id, {
    durationMs: 100,
    success,
    artifacts: [
      { name: 'analysis.ipynb', content },
      { name: 'data.csv', content: 'a,b\n1,2\n' }
    ]
  })
  return id
}

/** Inputs that write the page next to the files, in a folder of the test's own. */
function downloadTo(): Record<string, string> {
  return {
    artifacts: 'download',
    'artifacts-path': mkdtempSync(join(tmpdir(), 'page-e2e-'))
  }
}

const pageIn = (result: ActionResult): string =>
  readFileSync(join(result.outputs['artifacts-path'] ?? '', 'analysis.html'), 'utf8')

/** As the fault suites allow: the process ends within `timeout-minutes` and this. */
const MARGIN_MS = 4_000

describe('the page of a hostile notebook, as the action writes it', () => {
  // Seen red against the old src/page (ansi_up's link was live; the output's id="cell-3" came
  // first and took the header's link), and against page/template.ts with `img-src data: https:`.
  it('holds OSC 8 links as text, keeps its anchors, and has the whole policy', async () => {
    const notebookId = notebookServing(
      notebookOf([
        codeCell([
          display({
            'text/html':
              '<p id="cell-3">captured</p><a name="cell-2">n</a><a href="../../settings">settings</a>'
          })
        ]),
        markdownCell('[away](https://evil.example/) <span id="cell-1">md</span> [up](#cell-1)'),
        codeCell([
          error(
            [
              '\u001b[0;31m---------------------------------------------------------------------------\u001b[0m',
              '\u001b]8;;https://evil.example/x\u001b\\click me\u001b]8;;\u001b\\ \u001b]8;;../../settings\u0007or me\u001b]8;;\u0007'
            ],
            'ValueError',
            'bad'
          )
        ])
      ]),
      false
    )
    const result = await run({ 'notebook-id': notebookId, ...downloadTo() })
    expect(result.code).toBe(1)
    const page = pageIn(result)
    const notebookUrl = `${sim.url}/notebook/${notebookId}`
    expect(anchorProblems(page, notebookUrl)).toEqual([])
    const anchors = anchorsOf(page)
    // The only link away is the action's own, in the header; the terminal's links are text.
    expect(anchors.links.filter(l => !l.href.startsWith('#')).map(l => l.href)).toEqual([
      notebookUrl
    ])
    expect(page).toMatch(
      /<pre class="error"><span style="color:rgb\(187,0,0\)">-+<\/span>\nclick me or me<\/pre>/
    )
    // "failed in cell 3" goes to cell 3, whatever the outputs named themselves.
    expect(page).toContain('in <a href="#cell-3">cell 3</a>')
    for (const cell of ['cell-1', 'cell-2', 'cell-3']) {
      expect(targetOf(anchors, cell)?.node.attribs?.class).toMatch(/^cell\b/)
    }
    // Pinned whole: a looser policy (say `img-src data: https:`) would let an image leave.
    expect(contentSecurityPolicyOf(page)).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
    )
  })
})

/** 150,000 nested tags, closed (1.6 MB) and left open (750 KB). */
const NESTED = notebookOf([
  codeCell([
    display({ 'text/html': `${'<div>'.repeat(150_000)}closed${'</div>'.repeat(150_000)}` }),
    display({
      'text/html': `${'<div>'.repeat(150_000)}left open`,
      'text/plain': 'the plain text of the open one'
    })
  ]),
  markdownCell('# After the deep outputs')
])

/**
 * Markdown that takes markdown-it long (about 3 ms a KiB), each piece under the 64 KiB it
 * renders: with 300 of them, the page takes tens of seconds to write, each piece a fraction of
 * one. First, the nested tags, which took sanitize-html 10-15 s in one piece.
 */
const SLOW = notebookOf([
  codeCell([
    display({ 'text/html': `${'<div>'.repeat(150_000)}closed${'</div>'.repeat(150_000)}` })
  ]),
  ...Array.from({ length: 300 }, (_, i) =>
    codeCell([display({ 'text/markdown': `${'!['.repeat(30_000)} ${i}` })])
  )
])

describe('a page whose notebook would take long to write', () => {
  // Seen red against the old src/page: the page was written after minutes, with the nested
  // outputs in it and no note.
  it('names the outputs nested too deep or too large, and shows the rest', async () => {
    const result = await run({ 'notebook-id': notebookServing(NESTED), ...downloadTo() })
    expect(result.code).toBe(0)
    const page = pageIn(result)
    expect(page).toContain(
      '<p class="note">This text/html output is too large to show here; the notebook in the zip has it.</p>'
    )
    expect(page).toContain(
      '<p class="note">This text/html output is not shown: it nests elements more than 512 deep; the notebook in the zip has it.</p><pre class="text">the plain text of the open one</pre>'
    )
    expect(page).toContain('<h1>After the deep outputs</h1>')
    expect(page).not.toMatch(/closed|left open/)
  })

  // Seen red against the old src/page: sanitize-html held the process for minutes, past the
  // runner's patience.
  it('ends within timeout-minutes with its outputs and summary, 150,000 nested tags or not', async () => {
    const result = await run({
      'notebook-id': notebookServing(NESTED),
      'timeout-minutes': '0.05'
    })
    expect(result.durationMs).toBeLessThan(3_000 + MARGIN_MS)
    expect(result.outputs).toMatchObject({
      'run-id': expect.any(String),
      conclusion: expect.any(String)
    })
    expect(result.summary).toMatch(/^<h2>/)
  })

  // Seen red against the old collect.ts, which gave the pages the cancel signal alone: the page
  // went on being written for a minute after timeout-minutes, and a part of it was left.
  it('stops writing the page when timeout-minutes runs out, with a warning, outputs and summary', async () => {
    const result = await run({
      'notebook-id': notebookServing(SLOW),
      'timeout-minutes': '0.05',
      ...downloadTo()
    })
    expect(result.durationMs).toBeLessThan(3_000 + MARGIN_MS)
    expect(result.outputs).toMatchObject({ 'run-id': expect.any(String), conclusion: 'success' })
    const warnings = result.commands.filter(c => c.name === 'warning')
    expect(warnings.map(w => [w.properties.title, w.data])).toEqual([
      [
        'Notebook page not written',
        expect.stringMatching(
          /"analysis\.ipynb": `timeout-minutes` ran out while writing the pages/
        )
      ]
    ])
    expect(readdirSync(result.outputs['artifacts-path'] ?? '').sort()).toEqual([
      'analysis.ipynb',
      'data.csv'
    ])
    expect(result.summary).toMatch(/^<h2>/)
  })

  // Seen red against the old src/page: SIGTERM came while sanitize-html held the event loop
  // with the nested tags, and the process ended 20 s later.
  it('ends at SIGTERM while the page is being written, with its outputs and summary', async () => {
    const inputs: Record<string, string> = { 'notebook-id': notebookServing(SLOW), ...downloadTo() }
    const page = join(inputs['artifacts-path'] ?? '', 'analysis.html')
    let signalledAt = 0
    let watch: NodeJS.Timeout | undefined
    const result = await runAction(
      { host: sim.url, token: sim.token, 'poll-interval-seconds': '0.2', ...inputs },
      {
        env: { ...results.env, ...GITHUB },
        masked: () => results.masked(),
        onStart: child => {
          let begun = 0
          // A second after the page has begun: well inside the nested tags for the old renderer,
          // well inside the markdown for the new one.
          watch = setInterval(() => {
            if (begun === 0 && existsSync(page) && statSync(page).size > 0) begun = Date.now()
            if (begun > 0 && signalledAt === 0 && Date.now() - begun > 1_000) {
              signalledAt = Date.now()
              child.kill('SIGTERM')
            }
          }, 10)
        }
      }
    )
    clearInterval(watch)
    expect(signalledAt).toBeGreaterThan(0)
    expect(result.exitedAt - signalledAt).toBeLessThan(2_000)
    expect(result.outputs).toMatchObject({ 'run-id': expect.any(String), conclusion: 'cancelled' })
    expect(result.summary).toMatch(/^<h2>/)
    expect(existsSync(page)).toBe(false)
  })
})
