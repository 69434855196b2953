/**
 * The comment's body. After its marker line (./marker.ts) it is one raw HTML block, as the job
 * summary is (../summary.ts), made with the summary's own escaping (`text`, `paragraph`,
 * `escaped`, `link`): whatever a notebook or a server said stays text, no value can end the
 * block, open a comment or add markup, and the only links go where the action points them (the
 * notebook on the `host`, the artifact and the page on GitHub, the workflow run). Two things
 * differ from the summary:
 * - A comment notifies: every `@` and `#` of the text is made unable to mention anyone or
 *   reference anything (./mentions.ts).
 * - GitHub refuses a body of more than 65,536 characters. A body here is at most
 *   MAX_COMMENT_CHARACTERS, counted as GitHub counts them (characters: code points), secrets
 *   redacted; at most 4 bytes each, that is also under the 256 KiB GitHub has been measured to
 *   take. What does not fit is left out, a table row at a time, and a closing line says how
 *   many and points to the job summary, which has them all.
 *
 * A run's comment: the result in the summary's words, links, why it failed (the cell, its
 * error, the last lines of the traceback), then its values as a `TableSection`, and a line
 * naming the workflow run that wrote it. A step's comment (`comment-per: step`): the result, a
 * row per run, why the first failed runs failed, and each run's values folded.
 *
 * The values section is where the comparison plugs in: given `changes`, a `TableSection` of
 * values with their change against the baseline (changed rows in `open`, the rest in
 * `folded`), the body shows it in place of the plain values.
 */
import { redact } from '../log.js'
import { cellLabel, errorLine, NotebookError, tracebackLines } from '../notebook/explain.js'
import { writeJson } from '../notebook/json-value.js'
import { CONCLUSIONS_WORST_FIRST, ManyOutcome, NamedOutcome, Outcome } from '../outcome.js'
import { HEADLINES, MANY_ICONS, manyHeadline, RESULTS, runRow } from '../summary.js'
import { escaped, link, paragraph, text } from '../summary-html.js'
import { markerLine, Stamp } from './marker.js'
import { withoutMentions } from './mentions.js'

/** What the action writes at most; GitHub takes 65,536. */
export const MAX_COMMENT_CHARACTERS = 60_000
/** Bytes of a problem as written (the summary allows as much). */
const MAX_PROBLEM = 4_000
const MAX_NO_BASELINE = 1_000
const MAX_FAILED_CELLS = 3
/** "A few lines" of a traceback: the last ones, where the error is. */
const TRACEBACK_LINES = 8
const MAX_TRACEBACK = 2_000
/** Failed runs of a step explained under its table. */
const MAX_EXPLAINED_RUNS = 5
/** A run's values shown before the rest are folded. */
const OPEN_VALUES = 10
const RUNS_HEADER =
  '<tr><th>Result</th><th>Notebook</th><th>Run ID</th><th>Duration</th><th>Failed cell or error</th><th>Artifact</th></tr>'

/**
 * A table of the body whose rows may be left out: `open` rows shown, then `folded` rows under
 * `<details>`. Every row is HTML made with the summary's helpers, one `<tr>` each.
 */
export interface TableSection {
  /** HTML before the table (a heading); none when the table needs no heading. */
  heading?: string
  /** The header row, repeated in the folded table. */
  header: string
  open: readonly string[]
  folded: readonly string[]
  /** The folded rows' `<summary>`, for the count shown. */
  foldedSummary(count: number): string
}

/** Who writes the comment, and where its reader finds the rest. */
export interface CommentContext {
  stamp: Stamp
  /** The page of this workflow run (its attempt): its job summary has everything. */
  runUrl: string
  /** The commit the run tested (the pull request's head). */
  sha?: string
}

/** Code points: what GitHub counts in a body. */
export function characters(text: string): number {
  return text.length - (text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0)
}

/**
 * The body's blocks, each a line of it, kept while they fit: a block whole or not at all, a
 * table row by row. Each is measured as sent: mentions made inert, secrets redacted.
 */
class CommentBlocks {
  private readonly kept: string[]
  private used: number
  private rowsLeftOut = 0
  private blocksLeftOut = 0
  /** The closing lines (who wrote it, what was left out), at their longest. */
  private static readonly CLOSING_ROOM = 800

  constructor(
    marker: string,
    private readonly max = MAX_COMMENT_CHARACTERS
  ) {
    this.kept = [marker]
    this.used = characters(marker) + 1
  }

  private get room(): number {
    return this.max - CommentBlocks.CLOSING_ROOM - this.used
  }

  private keep(block: string): void {
    this.kept.push(block)
    this.used += characters(block) + 1
  }

  add(html: string | undefined): void {
    if (html == null) return
    const block = ready(html)
    if (characters(block) + 1 > this.room) this.blocksLeftOut++
    else this.keep(block)
  }

  /** The section's rows while they fit, open ones first; the rest counted. */
  table(section: TableSection): void {
    const heading = section.heading == null ? [] : [ready(section.heading)]
    const header = ready(section.header)
    const total = section.open.length + section.folded.length
    const openWrap = `<table>${header}</table>`
    const foldWrap = `<details><summary>${ready(section.foldedSummary(section.folded.length))}</summary><table>${header}</table></details>`
    let room =
      this.room -
      heading.reduce((sum, h) => sum + characters(h) + 1, 0) -
      (section.open.length > 0 ? characters(openWrap) + 1 : 0) -
      (section.folded.length > 0 ? characters(foldWrap) + 1 : 0)
    const fit = (rows: readonly string[]): string[] => {
      const shown: string[] = []
      for (const row of rows) {
        const html = ready(row)
        const size = characters(html)
        if (size > room) break
        room -= size
        shown.push(html)
      }
      return shown
    }
    const open = fit(section.open)
    const folded = open.length === section.open.length ? fit(section.folded) : []
    this.rowsLeftOut += total - open.length - folded.length
    if (open.length + folded.length === 0) return
    const lines = [...heading]
    if (open.length > 0) lines.push(`<table>${header}${open.join('')}</table>`)
    if (folded.length > 0) {
      const summary = ready(section.foldedSummary(folded.length))
      lines.push(
        `<details><summary>${summary}</summary><table>${header}${folded.join('')}</table></details>`
      )
    }
    for (const line of lines) this.keep(line)
  }

  /** The body: the blocks kept, who wrote it, and what was left out. */
  body(context: CommentContext): string {
    const { stamp, runUrl, sha } = context
    const attempt = stamp.attempt > 1 ? `, attempt ${stamp.attempt}` : ''
    const commit = sha == null ? '' : `, commit <code>${text(sha.slice(0, 7))}</code>`
    const closing = [
      `<p><sub>Kept up to date by datalore-run-action: written by ${link(runUrl, `workflow run ${text(stamp.runId)}`)}${attempt}${commit}.</sub></p>`
    ]
    if (this.rowsLeftOut + this.blocksLeftOut > 0) {
      const rows = this.rowsLeftOut > 0 ? [`${this.rowsLeftOut} row(s)`] : []
      const parts = this.blocksLeftOut > 0 ? [`${this.blocksLeftOut} part(s)`] : []
      closing.unshift(
        `<p>... and ${[...rows, ...parts].join(' and ')} more, left out: a comment holds at most ${MAX_COMMENT_CHARACTERS.toLocaleString('en-US')} characters. The job summary of ${link(runUrl, 'the workflow run')} has everything.</p>`
      )
    }
    return [...this.kept, ...closing.map(ready)].join('\n')
  }
}

/** A block as it is sent: no secret, no mention in its text. */
function ready(html: string): string {
  return withoutMentions(redact(html))
}

/** The comment of one run (a step of one, or a run of several, by its key). */
export function runComment(
  outcome: Outcome,
  name: string,
  context: CommentContext,
  changes?: TableSection
): string {
  const blocks = new CommentBlocks(markerLine(context.stamp))
  const conclusion = outcome.conclusion ?? 'failure'
  const headline = HEADLINES[conclusion] ?? RESULTS[conclusion] ?? HEADLINES.failure
  blocks.add(`<h3>${headline}: <code>${text(name)}</code></h3>`)
  blocks.add(linksOf(outcome, context.runUrl))
  explain(blocks, outcome)
  const values = changes ?? valuesSection(outcome, '<h4>Values</h4>', OPEN_VALUES)
  if (values != null) blocks.table(values)
  return blocks.body(context)
}

/** The one comment of a step of several runs (`comment-per: step`). */
export function stepComment(
  outcome: ManyOutcome,
  context: CommentContext,
  changesOf: (run: NamedOutcome) => TableSection | undefined = () => undefined
): string {
  const blocks = new CommentBlocks(markerLine(context.stamp))
  const icon = MANY_ICONS[outcome.conclusion ?? 'failure'] ?? MANY_ICONS.failure
  blocks.add(`<h3>${icon} ${manyHeadline(outcome)}</h3>`)
  blocks.add(`<p>${link(context.runUrl, 'Workflow run')}</p>`)
  if (outcome.problem != null) blocks.add(`<p>${paragraph(outcome.problem, MAX_PROBLEM)}</p>`)
  const rank = (run: NamedOutcome): number =>
    CONCLUSIONS_WORST_FIRST.indexOf(run.conclusion ?? 'failure')
  const ordered = [...outcome.runs].sort((a, b) => rank(a) - rank(b))
  blocks.table({
    header: RUNS_HEADER,
    open: ordered.map(runRow),
    folded: [],
    foldedSummary: count => `${count} more run(s)`
  })
  const explained = ordered.filter(r => r.conclusion !== 'success' && r.conclusion !== 'submitted')
  for (const run of explained.slice(0, MAX_EXPLAINED_RUNS)) {
    blocks.add(`<h4>${text(run.name)}</h4>`)
    explain(blocks, run)
  }
  for (const run of outcome.runs) {
    const label = `Values of ${text(run.name)}`
    const values = changesOf(run) ?? valuesSection(run, undefined, 0, label)
    if (values != null) blocks.table(values)
  }
  return blocks.body(context)
}

/** Links to where the run is: the notebook in Datalore, its executed page, its artifact, the workflow run. */
function linksOf(outcome: Outcome, runUrl: string): string {
  const links: string[] = []
  if (outcome.notebookUrl != null) links.push(link(outcome.notebookUrl, 'Notebook in Datalore'))
  const page = (outcome.pages ?? []).find(p => p.artifact?.url != null)
  if (page?.artifact?.url != null) links.push(link(page.artifact.url, 'Executed notebook'))
  const artifact = outcome.uploaded?.url
  if (artifact != null) {
    links.push(link(artifact, `Artifact <code>${text(outcome.artifactName ?? '')}</code>`))
  }
  links.push(link(runUrl, 'Workflow run'))
  return `<p>${links.join(' · ')}</p>`
}

/** What went wrong: the step's problem, why there is no baseline, why the notebook failed. */
function explain(blocks: CommentBlocks, outcome: Outcome): void {
  if (outcome.problem != null) blocks.add(`<p>${paragraph(outcome.problem, MAX_PROBLEM)}</p>`)
  const none = outcome.baseline?.none
  if (none != null && !outcome.problem?.includes(none)) {
    blocks.add(`<p>${text(none, MAX_NO_BASELINE)}</p>`)
  }
  const errors = outcome.notebookErrors ?? []
  const several = new Set(errors.map(e => e.notebook)).size > 1
  errors.slice(0, MAX_FAILED_CELLS).forEach((error, index) => {
    const heading = index === 0 ? '<h4>Why it failed</h4>\n' : ''
    blocks.add(`${heading}${failedCell(error, several)}`)
  })
  if (errors.length > MAX_FAILED_CELLS) {
    blocks.add(`<p>... and ${errors.length - MAX_FAILED_CELLS} more: see the step's log.</p>`)
  }
}

/** A failed cell: where, its error, the last lines of its traceback. */
function failedCell(error: NotebookError, several: boolean): string {
  const where = `<p>In ${text(cellLabel(error, several))}: <code>${text(errorLine(error), 1_000)}</code></p>`
  const lines = tracebackLines(error)
  const last = lines.slice(-TRACEBACK_LINES)
  if (last.length === 0) return where
  const cut = last.length < lines.length ? ['...'] : []
  return `${where}\n<pre>${escaped([...cut, ...last].join('\n'), MAX_TRACEBACK, '&#10;')}</pre>`
}

/** The run's values as the summary shows them: the first `openCount` open, the rest folded. */
function valuesSection(
  outcome: Outcome,
  heading: string | undefined,
  openCount: number,
  label = 'Values'
): TableSection | undefined {
  const entries = outcome.values?.entries ?? []
  if (entries.length === 0) return undefined
  const rows = entries.map(
    ([name, value]) =>
      `<tr><td>${text(name)}</td><td><code>${text(writeJson(value))}</code></td></tr>`
  )
  return {
    heading,
    header: '<tr><th>Name</th><th>Value</th></tr>',
    open: rows.slice(0, openCount),
    folded: rows.slice(openCount),
    foldedSummary: count =>
      openCount > 0
        ? `${count} more value(s)`
        : `${label} (${count === rows.length ? count : `${count} of ${rows.length}`})`
  }
}
