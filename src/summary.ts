/**
 * The job summary: the result first, then what ran, with what, and what it produced.
 *
 * It is HTML that GitHub's Markdown renderer passes through as it is: every line starts with a
 * tag of ours, and no value from outside may end a block (a blank line would, and `\r` counts
 * as a line break) or add markup. So every outside value goes through `text` (./summary-html.ts).
 * The one exception is ours: the charts of a comparison with the baseline, each a ```mermaid
 * fence between blank lines, whose every character the action chose (compare/mermaid.ts).
 *
 * GitHub drops a step's summary over 1 MiB entirely, so sizes are counted as written: escaped
 * (`"` is six bytes as `&quot;`), in UTF-8 bytes. Each value is cut to a size of its own as
 * escaped HTML, each list to MAX_LIST_BYTES, and the summary is assembled from whole blocks
 * (an element on a line of its own) while they fit under MAX_SUMMARY_BYTES: what does not fit
 * is left out whole and counted in a closing note. Nothing is ever cut inside a tag.
 */
import { appendFile } from 'node:fs/promises'
import { EOL } from 'node:os'
import { listOf, log, redact } from './log.js'
import { cellLabel, errorLine, NotebookError, tracebackLines } from './notebook/explain.js'
import { writeJson } from './notebook/json-value.js'
import {
  CONCLUSIONS_WORST_FIRST,
  durationSeconds,
  ManyOutcome,
  NamedOutcome,
  Outcome,
  StepOutcome
} from './outcome.js'
import { formatBytes, formatDuration } from './format.js'
import { changesSection } from './summary-changes.js'
import { escaped, link, paragraph, row, SummaryBlocks, table, text } from './summary-html.js'

export { MAX_SUMMARY_BYTES, SummaryBlocks } from './summary-html.js'

export const HEADLINES: Record<string, string> = {
  success: '✅ Datalore run succeeded',
  failure: '❌ Datalore run failed',
  timed_out: '⏱️ Datalore run timed out',
  cancelled: '⏹️ Waiting for the Datalore run was cancelled',
  submitted: '📨 Datalore run submitted'
}

/** Enough rows to be useful; the `artifacts` output has them all. */
const MAX_ARTIFACT_ROWS = 200
const MAX_PARAMETER_ROWS = 100
const MAX_PROBLEM = 4_000
/** The line that says why a run has no baseline (it names a branch, a workflow, an artifact). */
const MAX_NO_BASELINE = 1_000

/** Renders the summary as HTML (what GitHub's job summary shows best for tables). */
export function renderSummary(outcome: StepOutcome): string {
  const blocks = new SummaryBlocks()
  if (outcome.mode === 'many') renderMany(outcome, blocks)
  else renderOne(outcome, blocks)
  return blocks.html()
}

function renderOne(outcome: Outcome, blocks: SummaryBlocks): void {
  const headline = HEADLINES[outcome.conclusion ?? 'failure'] ?? HEADLINES.failure
  blocks.add(`<h2>${headline}</h2>`)
  const pageLinks = renderPageLinks(outcome)
  if (pageLinks != null) blocks.add(pageLinks)
  if (outcome.problem != null) blocks.add(`<p>${paragraph(outcome.problem, MAX_PROBLEM)}</p>`)
  const noBaseline = outcome.baseline?.none
  // Unless the step failed for it, and the problem above says so already.
  if (noBaseline != null && !outcome.problem?.includes(noBaseline)) {
    blocks.add(`<p>${text(noBaseline, MAX_NO_BASELINE)}</p>`)
  }
  if (outcome.notebookErrors != null && outcome.notebookErrors.length > 0) {
    blocks.section(whyItFailed(outcome.notebookErrors, true))
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
  blocks.add(`<table>${rows.join('')}</table>`)
  if (outcome.comparison != null) {
    changesSection(outcome.comparison, blocks, {
      rest: "see the step's <code>changes</code> output",
      charts: { drawn: 0 }
    })
  }

  if (outcome.values != null && outcome.values.entries.length > 0) {
    const { entries } = outcome.values
    const valueRow = (index: number): string => {
      const [name, value] = entries[index] ?? ['', null]
      return `<tr><td>${text(name)}</td><td><code>${text(writeJson(value))}</code></td></tr>`
    }
    blocks.add(
      `<h3>Values</h3>\n${table(
        '<tr><th>Name</th><th>Value</th></tr>',
        entries.length,
        valueRow,
        MAX_PARAMETER_ROWS,
        "see the step's <code>values</code> output",
        blocks.room
      )}`
    )
  }

  if (outcome.parameters != null && outcome.parameters.length > 0) {
    const { parameters } = outcome
    const parameterRow = (index: number): string => {
      const p = parameters[index] ?? { name: '', value: '' }
      const value = typeof p.value === 'string' ? p.value : String(JSON.stringify(p.value))
      return `<tr><td>${text(p.name)}</td><td><code>${text(value)}</code></td></tr>`
    }
    blocks.add(
      `<h3>Parameters</h3>\n${table(
        '<tr><th>Name</th><th>Value</th></tr>',
        parameters.length,
        parameterRow,
        MAX_PARAMETER_ROWS,
        "see the step's <code>parameters</code> input",
        blocks.room
      )}`
    )
  }
  if (outcome.artifactsPath != null) blocks.add(renderArtifacts(outcome, blocks.room))
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
/** Bytes of one source or traceback as written. */
const MAX_BLOCK = 16 * 1024

/**
 * Lines of outside text as a `<pre>` block that stays on one line of the summary: a line
 * break is written as `&#10;`, which the browser shows as one, so no blank line can end the
 * summary's HTML block.
 */
function preformatted(lines: readonly string[]): string {
  return `<pre>${escaped(lines.join('\n'), MAX_BLOCK, '&#10;')}</pre>`
}

/** "Why it failed": a block per failing cell shown (the first under the heading, if any). */
function whyItFailed(errors: readonly NotebookError[], heading: boolean): string[] {
  const several = new Set(errors.map(e => e.notebook)).size > 1
  const cells = errors.slice(0, MAX_FAILED_CELLS).map(error => {
    const lines = tracebackLines(error)
    const shown = lines.slice(-MAX_TRACEBACK_LINES)
    const parts = [
      `<p>In ${text(cellLabel(error, several))}: <code>${text(errorLine(error), 1_000)}</code></p>`
    ]
    if (error.source.length > 0) parts.push(preformatted(error.source))
    parts.push(preformatted([...(shown.length < lines.length ? ['...'] : []), ...shown]))
    return parts.join('\n')
  })
  if (heading && cells.length > 0) cells[0] = `<h3>Why it failed</h3>\n${cells[0]}`
  if (errors.length > MAX_FAILED_CELLS) {
    cells.push(`<p>... and ${errors.length - MAX_FAILED_CELLS} more: see the step's log.</p>`)
  }
  return cells
}

function renderArtifacts(outcome: Outcome, room: number): string {
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
  const head = parts.join('\n')
  parts.push(
    table(
      '<tr><th>Name</th><th>Size</th><th>sha256</th></tr>',
      failed.length + artifacts.length,
      artifactRow,
      MAX_ARTIFACT_ROWS,
      "see the step's <code>artifacts</code> output",
      room - Buffer.byteLength(head)
    )
  )
  return parts.join('\n')
}

export const RESULTS: Record<string, string> = {
  success: '✅ succeeded',
  failure: '❌ failed',
  timed_out: '⏱️ timed out',
  cancelled: '⏹️ cancelled',
  submitted: '📨 submitted',
  skipped: '⏭️ not submitted'
}
export const MANY_ICONS: Record<string, string> = {
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
function renderMany(outcome: ManyOutcome, blocks: SummaryBlocks): void {
  const { runs } = outcome
  const icon = MANY_ICONS[outcome.conclusion ?? 'failure'] ?? MANY_ICONS.failure
  blocks.add(`<h2>${icon} ${manyHeadline(outcome)}</h2>`)
  if (outcome.problem != null) blocks.add(`<p>${paragraph(outcome.problem, MAX_PROBLEM)}</p>`)
  const noBaseline = noBaselines(runs)
  if (noBaseline != null) blocks.add(noBaseline)
  const rank = (run: NamedOutcome): number =>
    CONCLUSIONS_WORST_FIRST.indexOf(run.conclusion ?? 'failure')
  // Worst first; entry order within each kind of result (the sort is stable).
  const ordered = [...runs].sort((a, b) => rank(a) - rank(b))
  blocks.add(
    table(
      '<tr><th>Result</th><th>Notebook</th><th>Run ID</th><th>Duration</th><th>Failed cell or error</th><th>Artifact</th></tr>',
      ordered.length,
      index => runRow(ordered[index] as NamedOutcome),
      MAX_RUN_ROWS,
      "see the step's <code>runs</code> output",
      blocks.room
    )
  )
  const explained = ordered.filter(r => r.conclusion !== 'success' && r.conclusion !== 'submitted')
  for (const run of explained.slice(0, MAX_EXPLAINED_RUNS)) {
    if (run.problem == null && run.notebookErrors == null) continue
    const cells =
      run.notebookErrors != null && run.notebookErrors.length > 0
        ? whyItFailed(run.notebookErrors, false)
        : []
    // The heading goes with what follows it, never alone.
    const head = [
      `<h3>${text(run.name)}</h3>`,
      run.problem == null ? undefined : `<p>${paragraph(run.problem, MAX_PROBLEM)}</p>`,
      cells[0]
    ]
    blocks.section([head.filter(part => part != null).join('\n'), ...cells.slice(1)])
  }
  if (explained.length > MAX_EXPLAINED_RUNS) {
    blocks.add(
      `<p>... and ${explained.length - MAX_EXPLAINED_RUNS} more: see the step's log, where each line starts with its run's name.</p>`
    )
  }
  // Each run's comparison in entry order; the charts are shared, six at most for the step.
  const charts = { drawn: 0 }
  for (const run of runs) {
    if (run.comparison == null) continue
    changesSection(run.comparison, blocks, {
      run: run.name,
      rest: "see the <code>changes</code> of the run in the step's <code>runs</code> output",
      charts
    })
  }
}

/** Reasons told for runs without a baseline; the log has each run's. */
const MAX_NO_BASELINE_REASONS = 5

/**
 * Several runs: one paragraph for the runs without a baseline, those with the same reason
 * together (usually all of them: the first run on a branch, a token without `actions: read`).
 */
function noBaselines(runs: readonly NamedOutcome[]): string | undefined {
  const byReason = new Map<string, string[]>()
  for (const run of runs) {
    const none = run.baseline?.none
    if (none != null) byReason.set(none, [...(byReason.get(none) ?? []), run.name])
  }
  if (byReason.size === 0) return undefined
  const reasons = [...byReason].slice(0, MAX_NO_BASELINE_REASONS).map(([none, names]) => {
    const listed = listOf(names, 10)
    return `${text(listed, MAX_NO_BASELINE)}: ${text(none, MAX_NO_BASELINE)}`
  })
  const more = byReason.size - reasons.length
  const rest = more > 0 ? ` And ${more} more reason(s): see the step's log.` : ''
  return `<p>${reasons.join(' ')}${rest}</p>`
}

export function runRow(run: NamedOutcome): string {
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
