/**
 * The job summary: the result first, then what ran, with what, and what it produced.
 *
 * It is HTML, one block that GitHub's Markdown renderer passes through as it is: every line
 * starts with a tag of ours, and no value from outside may end the block (a blank line would,
 * and `\r` counts as a line break) or add markup. So every outside value goes through `text`,
 * and the whole summary stays well under GitHub's limit of 1 MiB per step (over it, GitHub
 * drops the summary entirely): long values are cut and long lists say "and N more".
 */
import { appendFile } from 'node:fs/promises'
import { EOL } from 'node:os'
import { escapeHtml } from './html.js'
import { clip, LINE_BREAKS, log, redact } from './log.js'
import { cellLabel, errorLine, NotebookError, tracebackLines } from './notebook/explain.js'
import {
  CONCLUSIONS_WORST_FIRST,
  durationSeconds,
  ManyOutcome,
  NamedOutcome,
  Outcome,
  StepOutcome
} from './outcome.js'
import { formatBytes, formatDuration } from './format.js'

const HEADLINES: Record<string, string> = {
  success: '✅ Datalore run succeeded',
  failure: '❌ Datalore run failed',
  timed_out: '⏱️ Datalore run timed out',
  cancelled: '⏹️ Waiting for the Datalore run was cancelled',
  submitted: '📨 Datalore run submitted'
}

/** Enough rows to be useful; the `artifacts` output has them all. */
const MAX_ARTIFACT_ROWS = 200
const MAX_PARAMETER_ROWS = 100
/** What one list may add to the summary, whatever its rows hold. */
const MAX_LIST_BYTES = 256 * 1024
/** Characters of one value from outside (a name, a status); a problem may say more. */
const MAX_VALUE = 300
const MAX_PROBLEM = 4_000

/** Outside text as HTML: clipped, on one line, escaped. */
function text(value: string, max = MAX_VALUE): string {
  return escapeHtml(clip(value, max).replace(LINE_BREAKS, ' '))
}

/** Outside text that may span lines: each line break becomes `<br>`. */
function paragraph(value: string, max: number): string {
  return clip(value, max)
    .split(LINE_BREAKS)
    .map(line => escapeHtml(line))
    .join('<br>')
}

/** A link only to an http(s) URL; anything else is shown as text. */
function link(url: string, labelHtml: string): string {
  return /^https?:\/\//i.test(url) ? `<a href="${text(url, 2_000)}">${labelHtml}</a>` : labelHtml
}

function row(name: string, valueHtml: string): string {
  return `<tr><th align="left">${name}</th><td>${valueHtml}</td></tr>`
}

/**
 * A table of at most `maxRows` rows and `MAX_LIST_BYTES`, then a line saying how many more
 * there are and where to find them. Rows are made only as far as they are shown.
 */
function table(
  header: string,
  count: number,
  rowAt: (index: number) => string,
  maxRows: number,
  rest: string
): string {
  const shown: string[] = []
  let bytes = 0
  for (let index = 0; index < Math.min(count, maxRows); index++) {
    const tableRow = rowAt(index)
    bytes += Buffer.byteLength(tableRow)
    if (bytes > MAX_LIST_BYTES) break
    shown.push(tableRow)
  }
  const parts = [`<table>${header}${shown.join('')}</table>`]
  if (count > shown.length) {
    parts.push(`<p>... and ${count - shown.length} more: ${rest}.</p>`)
  }
  return parts.join('\n')
}

/** Renders the summary as HTML (what GitHub's job summary shows best for tables). */
export function renderSummary(outcome: StepOutcome): string {
  return outcome.mode === 'many' ? renderMany(outcome) : renderOne(outcome)
}

function renderOne(outcome: Outcome): string {
  const parts: string[] = []
  const headline = HEADLINES[outcome.conclusion ?? 'failure'] ?? HEADLINES.failure
  parts.push(`<h2>${headline}</h2>`)
  const pageLinks = renderPageLinks(outcome)
  if (pageLinks != null) parts.push(pageLinks)
  if (outcome.problem != null) parts.push(`<p>${paragraph(outcome.problem, MAX_PROBLEM)}</p>`)
  if (outcome.notebookErrors != null && outcome.notebookErrors.length > 0) {
    parts.push(renderWhyItFailed(outcome.notebookErrors))
  }

  const rows: string[] = []
  const notebookName = text(outcome.notebookId ?? 'unknown (pass `notebook-id` for a link)')
  rows.push(
    row(
      'Notebook',
      outcome.notebookUrl == null ? notebookName : link(outcome.notebookUrl, notebookName)
    )
  )
  if (outcome.mode === 'interactive')
    rows.push(row('Mode', 'interactive (no run ID, status or artifacts)'))
  if (outcome.runId != null) rows.push(row('Run ID', `<code>${text(outcome.runId)}</code>`))
  if (outcome.status != null && outcome.endTime == null)
    rows.push(row('Last status', `<code>${text(outcome.status)}</code>`))
  if (outcome.startTime != null) rows.push(row('Started', text(outcome.startTime)))
  if (outcome.endTime != null) rows.push(row('Ended', text(outcome.endTime)))
  const seconds = durationSeconds(outcome)
  if (seconds != null) rows.push(row('Duration', formatDuration(seconds * 1000)))
  if (outcome.mode === 'run') {
    const updated =
      outcome.reportUpdated == null
        ? ''
        : outcome.reportUpdated
          ? ' (refreshed)'
          : ' (not refreshed)'
    rows.push(row('Update report', text(outcome.updateReport) + updated))
  }
  parts.push(`<table>${rows.join('')}</table>`)

  if (outcome.values != null && outcome.values.entries.length > 0) {
    const { entries } = outcome.values
    const valueRow = (index: number): string => {
      const [name, value] = entries[index] ?? ['', null]
      return `<tr><td>${text(name)}</td><td><code>${text(String(JSON.stringify(value)))}</code></td></tr>`
    }
    parts.push('<h3>Values</h3>')
    parts.push(
      table(
        '<tr><th>Name</th><th>Value</th></tr>',
        entries.length,
        valueRow,
        MAX_PARAMETER_ROWS,
        "see the step's <code>values</code> output"
      )
    )
  }

  if (outcome.parameters != null && outcome.parameters.length > 0) {
    parts.push('<h3>Parameters</h3>')
    const { parameters } = outcome
    const parameterRow = (index: number): string => {
      const p = parameters[index] ?? { name: '', value: '' }
      const value = typeof p.value === 'string' ? p.value : String(JSON.stringify(p.value))
      return `<tr><td>${text(p.name)}</td><td><code>${text(value)}</code></td></tr>`
    }
    parts.push(
      table(
        '<tr><th>Name</th><th>Value</th></tr>',
        parameters.length,
        parameterRow,
        MAX_PARAMETER_ROWS,
        "see the step's <code>parameters</code> input"
      )
    )
  }
  if (outcome.artifactsPath != null) parts.push(renderArtifacts(outcome))
  return parts.join('\n')
}

/** The executed notebooks as pages: one click from the summary to the browser. */
function renderPageLinks(outcome: Outcome): string | undefined {
  const pages = outcome.pages ?? []
  const several = pages.length > 1
  const links = pages.slice(0, 10).map(page => {
    const label = several ? `Open ${text(page.notebook)}` : 'Open the executed notebook'
    if (page.artifact?.url != null) return link(page.artifact.url, label)
    if (page.artifact != null)
      return `${label}: the workflow artifact <code>${text(page.artifact.name)}</code>`
    return `The executed notebook as a page: <code>${text(page.path ?? '', 1_000)}</code>`
  })
  return links.length === 0 ? undefined : `<p>${links.join(' · ')}</p>`
}

/** Cells shown under "Why it failed"; the log and the annotations have the rest. */
const MAX_FAILED_CELLS = 3
const MAX_TRACEBACK_LINES = 60
const MAX_BLOCK = 16 * 1024

/**
 * Lines of outside text as a `<pre>` block that stays on one line of the summary: a line
 * break is written as `&#10;`, which the browser shows as one, so no blank line can end the
 * summary's HTML block.
 */
function preformatted(lines: readonly string[]): string {
  return `<pre>${clip(lines.join('\n'), MAX_BLOCK).split(LINE_BREAKS).map(escapeHtml).join('&#10;')}</pre>`
}

function renderWhyItFailed(errors: readonly NotebookError[], heading = true): string {
  const several = new Set(errors.map(e => e.notebook)).size > 1
  const parts = heading ? ['<h3>Why it failed</h3>'] : []
  for (const error of errors.slice(0, MAX_FAILED_CELLS)) {
    const lines = tracebackLines(error)
    const shown = lines.slice(-MAX_TRACEBACK_LINES)
    parts.push(
      `<p>In ${text(cellLabel(error, several))}: <code>${text(errorLine(error), 1_000)}</code></p>`
    )
    if (error.source.length > 0) parts.push(preformatted(error.source))
    parts.push(preformatted([...(shown.length < lines.length ? ['...'] : []), ...shown]))
  }
  if (errors.length > MAX_FAILED_CELLS) {
    parts.push(`<p>... and ${errors.length - MAX_FAILED_CELLS} more: see the step's log.</p>`)
  }
  return parts.join('\n')
}

function renderArtifacts(outcome: Outcome): string {
  const artifacts = outcome.artifacts ?? []
  const failed = outcome.failedArtifacts ?? []
  const parts = ['<h3>Artifacts</h3>']
  const { uploaded } = outcome
  if (uploaded != null) {
    const name = text(outcome.artifactName ?? '')
    const label = uploaded.url == null ? `<code>${name}</code>` : link(uploaded.url, name)
    const digest = uploaded.digest == null ? '' : `, digest <code>${text(uploaded.digest)}</code>`
    parts.push(
      `<p>Uploaded as the workflow artifact ${label} (${artifacts.length} file(s)${digest}).</p>`
    )
  } else if (artifacts.length > 0) {
    parts.push(
      `<p>Downloaded to <code>${text(outcome.artifactsPath ?? '', 1_000)}</code>; not uploaded.</p>`
    )
  }
  if (artifacts.length === 0 && failed.length === 0) {
    parts.push('<p>The run listed no artifacts.</p>')
    return parts.join('\n')
  }
  // Failures first: they are what a reader needs to see.
  const artifactRow = (index: number): string => {
    const f = failed[index]
    if (f != null) {
      return `<tr><td>${text(f.name)}</td><td></td><td>❌ not downloaded: ${text(f.error)}</td></tr>`
    }
    const a = artifacts[index - failed.length]
    if (a == null) return ''
    const savedAs = a.file === a.name ? '' : ` saved as <code>${text(a.file)}</code>`
    return `<tr><td>${text(a.name)}</td><td align="right">${formatBytes(a.size)}</td><td><code>${text(a.sha256.slice(0, 12))}</code>${savedAs}</td></tr>`
  }
  parts.push(
    table(
      '<tr><th>Name</th><th>Size</th><th>sha256</th></tr>',
      failed.length + artifacts.length,
      artifactRow,
      MAX_ARTIFACT_ROWS,
      "see the step's <code>artifacts</code> output"
    )
  )
  return parts.join('\n')
}

const RESULTS: Record<string, string> = {
  success: '✅ succeeded',
  failure: '❌ failed',
  timed_out: '⏱️ timed out',
  cancelled: '⏹️ cancelled',
  submitted: '📨 submitted',
  skipped: '⏭️ not submitted'
}
const MANY_ICONS: Record<string, string> = {
  success: '✅',
  failure: '❌',
  timed_out: '⏱️',
  cancelled: '⏹️',
  submitted: '📨'
}

/** How a step of several runs ended, in words: the summary's heading, the step's annotation. */
export function manyHeadline(outcome: ManyOutcome): string {
  const { runs } = outcome
  switch (outcome.conclusion) {
    case 'success':
      return `All ${runs.length} Datalore runs succeeded`
    case 'submitted':
      return `${runs.length} Datalore runs submitted`
    case 'timed_out':
      return 'Datalore runs timed out'
    case 'cancelled':
      return 'Waiting for the Datalore runs was cancelled'
    default: {
      const failed = runs.filter(r => r.conclusion === 'failure').length
      return `${failed} of ${runs.length} Datalore runs failed`
    }
  }
}

/** Failed runs explained in full under the table; the log has every one. */
const MAX_EXPLAINED_RUNS = 5
const MAX_RUN_ROWS = 256

/** Several runs: one table, a row per run, failures first, then what made each fail. */
function renderMany(outcome: ManyOutcome): string {
  const { runs } = outcome
  const icon = MANY_ICONS[outcome.conclusion ?? 'failure'] ?? MANY_ICONS.failure
  const parts = [`<h2>${icon} ${manyHeadline(outcome)}</h2>`]
  if (outcome.problem != null) parts.push(`<p>${paragraph(outcome.problem, MAX_PROBLEM)}</p>`)
  const rank = (run: NamedOutcome): number =>
    CONCLUSIONS_WORST_FIRST.indexOf(run.conclusion ?? 'failure')
  // Worst first; entry order within each kind of result (the sort is stable).
  const ordered = [...runs].sort((a, b) => rank(a) - rank(b))
  parts.push(
    table(
      '<tr><th>Result</th><th>Notebook</th><th>Run ID</th><th>Duration</th><th>Failed cell or error</th><th>Artifact</th></tr>',
      ordered.length,
      index => runRow(ordered[index] as NamedOutcome),
      MAX_RUN_ROWS,
      "see the step's <code>runs</code> output"
    )
  )
  const explained = ordered.filter(r => r.conclusion !== 'success' && r.conclusion !== 'submitted')
  for (const run of explained.slice(0, MAX_EXPLAINED_RUNS)) {
    if (run.problem == null && run.notebookErrors == null) continue
    parts.push(`<h3>${text(run.name)}</h3>`)
    if (run.problem != null) parts.push(`<p>${paragraph(run.problem, MAX_PROBLEM)}</p>`)
    if (run.notebookErrors != null && run.notebookErrors.length > 0) {
      parts.push(renderWhyItFailed(run.notebookErrors, false))
    }
  }
  if (explained.length > MAX_EXPLAINED_RUNS) {
    parts.push(
      `<p>... and ${explained.length - MAX_EXPLAINED_RUNS} more: see the step's log, where each line starts with its run's name.</p>`
    )
  }
  return parts.join('\n')
}

function runRow(run: NamedOutcome): string {
  const name = text(run.name)
  const notebook = run.notebookUrl == null ? name : link(run.notebookUrl, name)
  const runId = run.runId == null ? '' : `<code>${text(run.runId)}</code>`
  const seconds = durationSeconds(run)
  const duration = seconds == null ? '' : formatDuration(seconds * 1000)
  const why =
    run.failedCell != null
      ? `cell ${run.failedCell}: <code>${text(run.error ?? '', 200)}</code>`
      : run.conclusion === 'success'
        ? ''
        : text(run.problem ?? '', 200)
  const links: string[] = []
  if (run.uploaded != null) {
    const artifact = text(run.artifactName ?? 'artifact')
    links.push(
      run.uploaded.url == null ? `<code>${artifact}</code>` : link(run.uploaded.url, artifact)
    )
  }
  const [page] = (run.pages ?? []).filter(p => p.artifact?.url != null)
  if (page?.artifact?.url != null) links.push(link(page.artifact.url, 'page'))
  const result = RESULTS[run.conclusion ?? 'failure'] ?? RESULTS.failure
  return `<tr><td>${result}</td><td>${notebook}</td><td>${runId}</td><td>${duration}</td><td>${why}</td><td>${links.join(' · ')}</td></tr>`
}

/**
 * Appends the summary to the step's summary file. Written directly rather than through
 * `core.summary`, which remembers the first file it wrote to for the life of the process.
 */
export async function writeSummary(html: string): Promise<void> {
  const file = process.env.GITHUB_STEP_SUMMARY
  if (!file) {
    log.debug('No job summary file (GITHUB_STEP_SUMMARY is not set); skipping the summary.')
    return
  }
  try {
    await appendFile(file, `${redact(html)}${EOL}`, 'utf8')
  } catch (error) {
    log.warning(
      `Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`
    )
  }
}
