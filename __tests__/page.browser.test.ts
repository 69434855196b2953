/**
 * The notebook pages in a real browser: headless Chromium (Debian's `chromium`; `.ci/run`
 * installs it when it is missing) opens the pages of the real-kernel notebooks over file://
 * with every request recorded. No request leaves the page, no script runs (one notebook's
 * outputs try `<script>`, `onerror=`, a `javascript:` link, an SVG with a script, an iframe,
 * an object, a form and remote images), the cells, tables and traceback are visible, and
 * every image decodes; the comparison with the baseline in the header draws its sparklines
 * (inline SVG) under the page's own policy. `SCREENSHOTS=docs` also writes the README's
 * screenshots.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { HtmlRenderer, Parser } from 'commonmark'
import { Browser, chromium } from 'playwright-core'
import type { NotebookFixture } from '../simulator/notebooks.js'
import { readExecutedNotebook } from '../src/notebook/read.js'
import { valuesOf } from '../src/notebook/explain.js'
import { renderPage } from '../src/page/render.js'
import { renderSummary } from '../src/summary.js'
import { ROOT } from './support/action.js'
import { comparisonOf } from './support/comparison.js'
import { codeCell, display, error, markdownCell, notebookOf } from './support/notebook-json.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const NOTEBOOK_URL = 'https://datalore.jetbrains.com/notebook/team/sales-forecast'
/** The page's whole policy, as the browser must read it. */
const POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
const SHOTS = process.env.SCREENSHOTS === 'docs' ? join(ROOT, 'docs') : undefined
const work = mkdtempSync(join(tmpdir(), 'page-browser-'))
let browser: Browser

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: install it (apt-get install chromium, as .ci/run does) or set CHROMIUM_PATH`
    )
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // As root in a container, and without the background connections a closed network refuses.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync'
    ]
  })
})
afterAll(async () => {
  await browser?.close()
})

/** Renders a fixture's page the way the action does, and returns its path. */
async function pageOf(fixture: NotebookFixture, success: boolean): Promise<string> {
  const notebook = join(ROOT, 'simulator', 'notebooks', `${fixture}.ipynb`)
  const read = await readExecutedNotebook(notebook)
  const page = join(work, `${fixture}.html`)
  const written = await renderPage(notebook, page, {
    name: `${fixture}.ipynb`,
    notebookId: 'team/sales-forecast',
    notebookUrl: NOTEBOOK_URL,
    runId: 'run-8f2c1a',
    success,
    startTime: '2026-11-26T09:00:00Z',
    endTime: '2026-11-26T09:02:14Z',
    durationSeconds: 134,
    parameters: [{ name: 'Region', value: 'EU' }],
    reading: 'reading' in read ? read.reading : undefined
  })
  expect(written).toEqual({ written: true })
  return page
}

interface Visit {
  requests: string[]
  dialogs: string[]
  title: string
  text: string
  images: number[]
  csp: string | null
  /** Every link's target, as the browser resolved it. */
  links: string[]
  /** The page's own URL. */
  url: string
}

async function visit(file: string, screenshot?: { path: string; dark: boolean }): Promise<Visit> {
  const context = await browser.newContext({
    colorScheme: screenshot?.dark ? 'dark' : 'light',
    viewport: { width: 1000, height: 1200 }
  })
  const page = await context.newPage()
  const requests: string[] = []
  const dialogs: string[] = []
  page.on('request', request => requests.push(request.url()))
  page.on('dialog', dialog => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  const url = pathToFileURL(file).href
  await page.goto(url, { waitUntil: 'load' })
  if (screenshot) await page.screenshot({ path: screenshot.path, fullPage: false })
  const result: Visit = {
    url,
    // A link that would run something when clicked would show here as javascript: (or data:).
    links: await page.$$eval('a[href]', links =>
      links.map(a => (a as unknown as { href: string }).href)
    ),
    requests: requests.filter(r => r !== url && !r.startsWith('data:')),
    dialogs,
    title: await page.title(),
    text: await page.innerText('body'),
    images: await page.$$eval('img', images =>
      images.map(i => (i as unknown as { naturalWidth: number }).naturalWidth)
    ),
    csp:
      (await (
        await page.$('meta[http-equiv="Content-Security-Policy"]')
      )?.getAttribute('content')) ?? null
  }
  await context.close()
  return result
}

const shot = (name: string): string => {
  const dir = SHOTS ?? join(work, 'shots')
  mkdirSync(dir, { recursive: true })
  return join(dir, name)
}

describe('a page in the browser', () => {
  it('shows a successful notebook: cells, the HTML table, the plot, the values', async () => {
    const page = await pageOf('success-values', true)
    for (const dark of [false, true]) {
      const seen = await visit(page, { path: shot(`page-${dark ? 'dark' : 'light'}.png`), dark })
      expect(seen.requests).toEqual([])
      expect(seen.csp).toBe(POLICY)
      expect(seen.text).toContain('Sales forecast')
      expect(seen.text).toMatch(/2026-11\s+1340/)
      expect(seen.text).toContain('Revenue grew 18% over the quarter.')
      expect(seen.images).toHaveLength(1)
      expect(seen.images.every(width => width > 0)).toBe(true)
    }
  })

  it('shows a failed notebook with its traceback, the failing cell marked and linked', async () => {
    const seen = await visit(await pageOf('failure-deep', false))
    expect(seen.requests).toEqual([])
    expect(seen.text).toContain('failed in cell 3')
    expect(seen.text).toContain('This cell failed.')
    expect(seen.text).toContain('Traceback (most recent call last)')
    expect(seen.text).toContain('ValueError: revenue must not be negative, got -5')
    expect(seen.text).not.toContain('\u001b')
  })

  it('runs no script and makes no request, whatever the outputs try', async () => {
    const seen = await visit(await pageOf('hostile-outputs', true))
    expect(seen.requests).toEqual([])
    expect(seen.dialogs).toEqual([])
    // The fixture's javascript: link is gone: every link left is a place in this page, or the
    // notebook the header names.
    expect(seen.links.length).toBeGreaterThan(0)
    expect(
      seen.links.filter(href => !href.startsWith(`${seen.url}#`) && href !== NOTEBOOK_URL)
    ).toEqual([])
    expect(seen.title).toBe('hostile-outputs.ipynb · Datalore run run-8f2c1a')
    expect(seen.text).toContain('a table cell')
    expect(seen.text).toContain('bold text')
    expect(seen.text).toContain('Not shown: application/javascript')
    // The SVG is an image (scripts in an image never run); the remote images are gone.
    expect(seen.images).toHaveLength(1)
    expect(seen.images[0]).toBeGreaterThan(0)
  })

  // Seen red against the old src/page: Chromium went to the output's <p id="cell-3"> in cell 1,
  // and the traceback's OSC 8 link was a live https link.
  it('goes to the failing cell from the header, whatever ids the outputs carry, and follows no terminal link', async () => {
    const notebook = join(work, 'anchors.ipynb')
    writeFileSync(
      notebook,
      notebookOf([
        codeCell([
          display({ 'text/html': '<p id="cell-3">captured</p><a name="cell-3">named</a>' })
        ]),
        markdownCell('<h2 id="cell-2">taken?</h2>'),
        codeCell([error(['\u001b]8;;https://evil.example/\u001b\\click me\u001b]8;;\u001b\\'])])
      ])
    )
    const file = join(work, 'anchors.html')
    const written = await renderPage(notebook, file, {
      name: 'anchors.ipynb',
      notebookUrl: NOTEBOOK_URL,
      runId: 'run-8f2c1a',
      success: false,
      reading: {
        cells: 3,
        errorCount: 1,
        errors: [{ cell: 3, ename: 'ValueError', evalue: 'bad', traceback: [], source: [] }],
        glued: []
      }
    })
    expect(written).toEqual({ written: true })
    const context = await browser.newContext()
    const page = await context.newPage()
    const requests: string[] = []
    page.on('request', request => requests.push(request.url()))
    const url = pathToFileURL(file).href
    await page.goto(url, { waitUntil: 'load' })
    await page.click('header a[href="#cell-3"]')
    const target = await page.$eval(':target', element => ({
      tag: element.tagName,
      id: element.id
    }))
    const links = await page.$$eval('a[href]', links =>
      links.map(a => (a as unknown as { href: string }).href)
    )
    const text = await page.innerText('pre.error')
    await context.close()
    expect(target).toEqual({ tag: 'SECTION', id: 'cell-3' })
    expect(links.filter(href => !href.startsWith(`${url}#`) && href !== NOTEBOOK_URL)).toEqual([])
    expect(text).toBe('click me')
    expect(requests.filter(r => r !== url && !r.startsWith(`${url}#`))).toEqual([])
  })

  // Inline <svg> is markup of the page, not a resource it fetches: the policy's
  // `default-src 'none'` has nothing to say about it, which Chromium confirms here (no violation,
  // the lines drawn). Seen red against a page whose style hid the sparklines (`display: none`:
  // 0 by 0) and a sparkline whose coordinates were not numbers (NaN: no point drawn).
  it("draws the comparison's sparklines under the page's policy, fetching nothing", async () => {
    const notebook = join(ROOT, 'simulator', 'notebooks', 'success-values.ipynb')
    const read = await readExecutedNotebook(notebook)
    const file = join(work, 'compared.html')
    const before = '{"accuracy": 0.93, "rows": 3, "region": "EU"}'
    const written = await renderPage(notebook, file, {
      name: 'sales-forecast.ipynb',
      notebookUrl: NOTEBOOK_URL,
      runId: 'run-8f2c1a',
      success: true,
      reading: 'reading' in read ? read.reading : undefined,
      comparison: comparisonOf({
        before,
        after: '{"accuracy": 0.87, "rows": 3, "region": "US"}',
        history: [
          { sha: 'a'.repeat(40), values: '{"accuracy": 0.95, "rows": 3}' },
          { sha: 'b'.repeat(40), values: before }
        ]
      })
    })
    expect(written).toEqual({ written: true })
    const context = await browser.newContext({ viewport: { width: 1000, height: 1200 } })
    const page = await context.newPage()
    const requests: string[] = []
    page.on('request', request => requests.push(request.url()))
    const violations: string[] = []
    page.on('console', message => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text())
    })
    const url = pathToFileURL(file).href
    await page.goto(url, { waitUntil: 'load' })
    const csp = await page.$eval('meta[http-equiv="Content-Security-Policy"]', meta =>
      meta.getAttribute('content')
    )
    // The table's rows in the browser: the changed first, each number's line drawn.
    const rows = await page.$$eval('header h2 + p + table tr', trs =>
      trs.map(tr => (tr as unknown as { innerText: string }).innerText.split('\t')[0])
    )
    // The unchanged rows are folded: opened, their sparklines draw too.
    await page.click('header details > summary')
    const sparks = await page.$$eval('header svg.spark', svgs =>
      svgs.map(svg => {
        const box = svg.getBoundingClientRect()
        const line = svg.querySelector('polyline') as unknown as {
          points: { numberOfItems: number }
        }
        return { width: box.width, height: box.height, points: line.points.numberOfItems }
      })
    )
    if (SHOTS != null) await page.screenshot({ path: shot('page-compared.png') })
    await context.close()
    expect(csp).toBe(POLICY)
    expect(rows).toEqual(['Value', 'accuracy', 'region'])
    expect(sparks).toEqual([
      { width: 120, height: 24, points: 3 },
      { width: 120, height: 24, points: 3 }
    ])
    expect(requests.filter(r => r !== url)).toEqual([])
    expect(violations).toEqual([])
  })

  it('shows a job summary as GitHub renders Markdown, with the link to the page', async () => {
    const read = await readExecutedNotebook(
      join(ROOT, 'simulator', 'notebooks', 'failure-deep.ipynb')
    )
    const reading = 'reading' in read ? read.reading : undefined
    const summary = renderSummary({
      host: 'https://datalore.jetbrains.com',
      mode: 'run',
      notebookId: 'team/data-quality-checks',
      notebookUrl: 'https://datalore.jetbrains.com/notebook/team/data-quality-checks',
      runId: 'run-8f2c1a',
      conclusion: 'failure',
      success: false,
      startTime: '2026-11-26T09:00:00Z',
      endTime: '2026-11-26T09:02:14Z',
      updateReport: 'never',
      reportUpdated: false,
      problem:
        'The notebook run failed in cell 3 (Datalore run run-8f2c1a): ValueError: revenue must not be negative, got -5. See https://datalore.jetbrains.com/notebook/team/data-quality-checks for the notebook.',
      notebookErrors: (reading?.errors ?? []).map(e => ({
        ...e,
        notebook: 'data-quality-checks.ipynb'
      })),
      failedCell: 3,
      values: reading ? valuesOf([{ name: 'x.ipynb', reading }]) : undefined,
      pages: [
        {
          notebook: 'data-quality-checks.ipynb',
          artifact: {
            id: 42,
            name: 'datalore-team-data-quality-checks-run-8f2c1a.html',
            url: 'https://github.com/acme/app/actions/runs/1/artifacts/42'
          }
        }
      ]
    })
    const html = new HtmlRenderer().render(new Parser().parse(summary))
    const file = join(work, 'summary.html')
    writeFileSync(
      file,
      `<!doctype html><meta charset="utf-8"><style>body{font:14px -apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:60rem;margin:1rem auto;color:#1f2328}table{border-collapse:collapse}th,td{border:1px solid #d1d9e0;padding:4px 10px;text-align:left}pre{background:#f6f8fa;padding:8px;overflow:auto}</style>${html}`
    )
    const seen = await visit(file, { path: shot('summary.png'), dark: false })
    expect(seen.text).toContain('Open the executed notebook')
    expect(seen.text).toContain('Why it failed')
  })
})
