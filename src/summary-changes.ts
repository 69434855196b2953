/**
 * The job summary's section of a run compared with its baseline: a line linking the baseline
 * run, the counts per status, a table Value | Baseline | This run | Change (what changed first,
 * the unchanged rows folded in `<details>`), the values not compared, and charts of the numbers'
 * history (Mermaid, compare/mermaid.ts). Rows come from the model in compare/show.ts; every
 * name and value in them is a notebook's (or the baseline file's) and goes through `text`.
 */
import { mermaidChart } from './compare/mermaid.js'
import type { RunComparison } from './compare/run.js'
import { chartedSeries, MAX_CHARTS } from './compare/series.js'
import {
  baselineDate,
  changeRow,
  changeTable,
  countsLine,
  shortSha,
  STATUS_LABELS
} from './compare/show.js'
import type { ValueChange } from './compare/values.js'
import { link, SummaryBlocks, table, text } from './summary-html.js'

/** Rows of the table, and of the folded one; the `changes` output has them all. */
const MAX_ROWS = 100
/** Bytes of one side of a row as escaped HTML. */
const MAX_SIDE = 200
const MAX_NOT_COMPARED = 10
export const CHANGES_HEADER =
  '<tr><th>Value</th><th>Baseline</th><th>This run</th><th>Change</th></tr>'

export interface ChangesSection {
  /** With several runs, the run's name: the section is titled with it. */
  run?: string
  /** Where a reader finds every row: "see the step's <code>changes</code> output". */
  rest: string
  /** Charts the summary has drawn so far: at most MAX_CHARTS in all, numbered across sections. */
  charts: { drawn: number }
}

/** Adds the section's blocks, the head and the tables together, then each chart while it fits. */
export function changesSection(
  comparison: RunComparison,
  blocks: SummaryBlocks,
  section: ChangesSection
): void {
  const { baseline } = comparison
  const branch = `<code>${text(baseline.branch)}</code>`
  const title = section.run == null ? 'Compared with' : `${text(section.run)}: compared with`
  const runLink = link(baseline.url, `workflow run ${baseline.runId}`)
  const head = [
    `<h3>${title} ${branch}</h3>`,
    `<p>Baseline: ${runLink} on ${branch}, commit <code>${text(shortSha(baseline.sha))}</code>, ${text(baselineDate(baseline.createdAt))}.</p>`,
    `<p>${countsLine(comparison)}</p>`
  ].join('\n')
  const { shown, folded } = changeTable(comparison)
  const parts = [head]
  if (shown.length > 0) {
    parts.push(
      table(
        CHANGES_HEADER,
        shown.length,
        i => changeRowHtml(shown[i]),
        MAX_ROWS,
        section.rest,
        blocks.room
      )
    )
  }
  if (folded.length > 0) {
    const open = `<details><summary>${folded.length} unchanged</summary>`
    const inner = table(
      CHANGES_HEADER,
      folded.length,
      i => changeRowHtml(folded[i]),
      MAX_ROWS,
      section.rest,
      blocks.room - open.length - 20
    )
    parts.push(`${open}\n${inner}\n</details>`)
  }
  const { notCompared } = comparison
  if (notCompared.length > 0) {
    const listed = notCompared
      .slice(0, MAX_NOT_COMPARED)
      .map(({ name, why }) => `<code>${text(name)}</code> (${text(why)})`)
    const more =
      notCompared.length > MAX_NOT_COMPARED
        ? ` and ${notCompared.length - MAX_NOT_COMPARED} more`
        : ''
    parts.push(`<p>Not compared: ${listed.join('; ')}${more}.</p>`)
  }
  blocks.section(parts)
  const { charts } = section
  for (const series of chartedSeries(comparison, MAX_CHARTS - charts.drawn)) {
    const number = charts.drawn + 1
    const chart = mermaidChart(series, number)
    if (chart == null) continue
    const legend = `<p>${number}. <code>${text(series.path)}</code>, ${STATUS_LABELS[series.status]}: its last ${series.points.length} runs, this one last.</p>\n`
    if (blocks.add(legend + chart)) charts.drawn++
  }
}

/** One row of the table as HTML: the path, both sides and the change, each escaped and cut. */
export function changeRowHtml(change: ValueChange | undefined): string {
  if (change == null) return ''
  const row = changeRow(change, MAX_SIDE)
  const side = (json: string | undefined): string =>
    json == null ? '' : `<code>${text(json, MAX_SIDE)}</code>`
  return `<tr><td><code>${text(row.path)}</code></td><td>${side(row.baseline)}</td><td>${side(row.value)}</td><td>${text(row.change)}</td></tr>`
}
