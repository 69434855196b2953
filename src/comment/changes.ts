/**
 * A run compared with its baseline, as the pull request's comment shows it: the baseline run,
 * the counts, what changed in the open, the unchanged rows folded. The rows are the job
 * summary's (../summary-changes.ts `changeRowHtml`, from the model in ../compare/show.ts): one
 * escaping for both, and the comment's body adds its own mention guard and budget.
 */
import type { RunComparison } from '../compare/run.js'
import { baselineDate, changeTable, countsLine, shortSha } from '../compare/show.js'
import { CHANGES_HEADER, changeRowHtml } from '../summary-changes.js'
import { link, text } from '../summary-html.js'
import type { TableSection } from './body.js'

/** The section of one run's comparison; `run` names it in a comment for the whole step. */
export function changesSection(comparison: RunComparison, run?: string): TableSection {
  const { baseline } = comparison
  const branch = `<code>${text(baseline.branch)}</code>`
  const title = run == null ? 'Compared with' : `${text(run)}: compared with`
  const { shown, folded } = changeTable(comparison)
  return {
    heading: [
      `<h4>${title} ${branch}</h4>`,
      `<p>Baseline: ${link(baseline.url, `workflow run ${baseline.runId}`)}, commit <code>${text(shortSha(baseline.sha))}</code>, ${text(baselineDate(baseline.createdAt))}. ${text(countsLine(comparison))}</p>`
    ].join('\n'),
    header: CHANGES_HEADER,
    open: shown.map(changeRowHtml),
    folded: folded.map(changeRowHtml),
    foldedSummary: count => `${count} unchanged`
  }
}
