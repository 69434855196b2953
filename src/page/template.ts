/**
 * The page around the cells: a Content-Security-Policy that lets it load nothing but its own
 * inline styles and `data:` images, a header with the run, and styles for light and dark mode
 * and narrow screens. No script at all.
 */
import { formatDuration } from '../format.js'
import { writeJson } from '../notebook/json-value.js'
import { changesSection } from './changes.js'
import type { PageFacts } from './facts.js'
import { escapeHtml } from './safe-html.js'

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

const MAX_PARAMETERS = 100

const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --bg: #ffffff; --muted: #59636e; --line: #d1d9e0;
  --code: #f6f8fa; --bad: #cf222e; --bad-bg: #ffebe9; --link: #0969da; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #f0f6fc; --bg: #0d1117; --muted: #9198a1; --line: #3d444d; --code: #151b23;
    --bad: #ff7b72; --bad-bg: #2d1214; --link: #4493f8; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 70rem; padding: 1rem; color: var(--fg); background: var(--bg);
  font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
a { color: var(--link); }
header { border-bottom: 1px solid var(--line); margin-bottom: 1rem; }
h1 { font-size: 1.4rem; margin: 0.2rem 0 0.6rem; overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: 0.5rem 0; display: block; overflow-x: auto; max-width: 100%; }
th, td { border: 1px solid var(--line); padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
pre, code { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: var(--code); padding: 0.6rem; overflow-x: auto; margin: 0.3rem 0; white-space: pre; }
.cell { display: flex; flex-direction: column; border-left: 3px solid transparent; padding-left: 0.6rem; margin: 1rem 0; }
.cell .source { order: 0; } .cell .outputs { order: 1; }
.cell.failed { border-left-color: var(--bad); }
.prompt { color: var(--muted); font: 12px ui-monospace, monospace; text-decoration: none; }
.failed-mark { color: var(--bad); font-weight: 600; margin: 0.2rem 0; }
.output img { max-width: 100%; height: auto; background: #fff; }
.stderr { background: var(--bad-bg); }
pre.error { background: var(--bad-bg); }
.note { color: var(--muted); font-size: 0.85rem; }
.ok { color: #1a7f37; font-weight: 600; } .bad { color: var(--bad); font-weight: 600; }
.markdown img, .html img { max-width: 100%; }
svg.spark { display: block; color: var(--link); }
details > summary { cursor: pointer; color: var(--muted); }
`

/** The page up to its cells. */
export function pageHead(facts: PageFacts): string {
  const title = `${facts.name} · Datalore run ${facts.runId}`
  const name = escapeHtml(facts.notebookId ?? facts.name)
  const notebook =
    facts.notebookUrl != null && /^https?:\/\//i.test(facts.notebookUrl)
      ? `<a href="${escapeHtml(facts.notebookUrl)}">${name}</a>`
      : name
  const rows = headerRows(facts).map(([key, value]) => `<tr><th>${key}</th><td>${value}</td></tr>`)
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<header><h1>${escapeHtml(facts.name)}</h1>`,
    `<table><tr><th>Notebook</th><td>${notebook}</td></tr>${rows.join('')}</table>`,
    facts.comparison == null ? '' : changesSection(facts.comparison),
    parametersTable(facts),
    valuesTable(facts),
    '</header>'
  ].join('\n')
}

export function pageFoot(): string {
  return '\n<footer class="note">Written by the Datalore run action from the executed notebook. Outputs that need a script (widgets, JavaScript) are named, not shown.</footer></body></html>\n'
}

function headerRows(facts: PageFacts): Array<[string, string]> {
  const rows: Array<[string, string]> = [['Run ID', `<code>${escapeHtml(facts.runId)}</code>`]]
  const firstFailure = facts.reading?.errors[0]
  const result = facts.success
    ? '<span class="ok">succeeded</span>'
    : '<span class="bad">failed</span>'
  const where =
    firstFailure == null
      ? ''
      : ` in <a href="#cell-${firstFailure.cell}">cell ${firstFailure.cell}</a>: <code>${escapeHtml(shorten(`${firstFailure.ename}: ${firstFailure.evalue}`, 300))}</code>`
  rows.push(['Result', `${result}${facts.success ? '' : where}`])
  if (facts.startTime) rows.push(['Started', escapeHtml(facts.startTime)])
  if (facts.endTime) rows.push(['Ended', escapeHtml(facts.endTime)])
  if (facts.durationSeconds != null) {
    rows.push(['Duration', formatDuration(facts.durationSeconds * 1000)])
  }
  return rows
}

function parametersTable(facts: PageFacts): string {
  const parameters = facts.parameters ?? []
  if (parameters.length === 0) return ''
  const rows = parameters.slice(0, MAX_PARAMETERS).map(p => {
    const value = typeof p.value === 'string' ? p.value : String(JSON.stringify(p.value))
    return `<tr><td>${escapeHtml(shorten(p.name, 300))}</td><td><code>${escapeHtml(shorten(value, 1000))}</code></td></tr>`
  })
  const more = parameters.length - MAX_PARAMETERS
  const note = more > 0 ? `<p class="note">... and ${more} more parameters.</p>` : ''
  return `<h2>Parameters</h2><table><tr><th>Name</th><th>Value</th></tr>${rows.join('')}</table>${note}`
}

/** Characters of a value shown in the page's header, its "..." included. */
const MAX_VALUE_SHOWN = 1000
const MAX_VALUES = 200

/** At most `max` characters, the mark of a cut included, and no character split in two. */
function shorten(text: string, max: number): string {
  if (text.length <= max) return text
  let end = max - CUT.length
  if (/[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end--
  return `${text.slice(0, end)}${CUT}`
}

const CUT = '...'

/** The glued values as the notebook wrote them: numbers exact (see notebook/json-value.ts). */
function valuesTable(facts: PageFacts): string {
  const latest = new Map<string, unknown>()
  for (const glued of facts.reading?.glued ?? []) {
    if (glued.leftOut == null) latest.set(glued.name, glued.data)
  }
  if (latest.size === 0) return ''
  const rows = [...latest].slice(0, MAX_VALUES).map(([name, value]) => {
    const json = writeJson(value)
    return `<tr><td>${escapeHtml(shorten(name, 300))}</td><td><code>${escapeHtml(shorten(json, MAX_VALUE_SHOWN))}</code></td></tr>`
  })
  const more = latest.size - MAX_VALUES
  const note =
    more > 0
      ? `<p class="note">... and ${more} more values: see the step's <code>values</code> output.</p>`
      : ''
  return `<h2>Values</h2><table><tr><th>Name</th><th>Value</th></tr>${rows.join('')}</table>${note}`
}
