/**
 * The page header's comparison with the baseline: the same rows as the job summary's
 * (compare/show.ts: what changed first, the unchanged folded), each number with a sparkline of
 * its history (./sparkline.ts). Every name and value is a notebook's (or the baseline file's):
 * escaped, and cut to a size.
 */
import type { RunComparison } from '../compare/run.js'
import { seriesByPath, type Series } from '../compare/series.js'
import { baselineDate, changeRow, changeTable, countsLine, cut, shortSha } from '../compare/show.js'
import type { ValueChange } from '../compare/values.js'
import { escapeHtml } from '../html.js'
import { sparkline } from './sparkline.js'

/** Rows of each table; the step's `changes` output has them all. */
const MAX_ROWS = 200
const MAX_PATH = 300
const MAX_SIDE = 1_000
const HEADER =
  '<tr><th>Value</th><th>Baseline</th><th>This run</th><th>Change</th><th>History</th></tr>'

export function changesSection(comparison: RunComparison): string {
  const { baseline } = comparison
  const branch = `<code>${escapeHtml(cut(baseline.branch, 300))}</code>`
  const run = `workflow run ${baseline.runId}`
  const runLink = /^https?:\/\//i.test(baseline.url)
    ? `<a href="${escapeHtml(baseline.url)}">${run}</a>`
    : run
  const { shown, folded } = changeTable(comparison)
  const series = seriesByPath(comparison)
  const parts = [
    `<h2>Compared with ${branch}</h2>`,
    `<p>Baseline: ${runLink} on ${branch}, commit <code>${escapeHtml(cut(shortSha(baseline.sha), 10))}</code>, ${escapeHtml(cut(baselineDate(baseline.createdAt), 100))}. ${escapeHtml(countsLine(comparison))}</p>`
  ]
  if (shown.length > 0) parts.push(rowsTable(shown, series))
  if (folded.length > 0) {
    parts.push(
      `<details><summary>${folded.length} unchanged</summary>${rowsTable(folded, series)}</details>`
    )
  }
  return parts.join('\n')
}

function rowsTable(changes: readonly ValueChange[], series: Map<string, Series>): string {
  const rows = changes.slice(0, MAX_ROWS).map(change => {
    const row = changeRow(change, MAX_SIDE)
    const side = (json: string | undefined): string =>
      json == null ? '' : `<code>${escapeHtml(json)}</code>`
    const history = series.get(change.path)
    return `<tr><td><code>${escapeHtml(cut(row.path, MAX_PATH))}</code></td><td>${side(row.baseline)}</td><td>${side(row.value)}</td><td>${escapeHtml(row.change)}</td><td>${history == null ? '' : sparkline(history)}</td></tr>`
  })
  const more = changes.length - MAX_ROWS
  const note =
    more > 0
      ? `<p class="note">... and ${more} more: see the step's <code>changes</code> output.</p>`
      : ''
  return `<table>${HEADER}${rows.join('')}</table>${note}`
}
