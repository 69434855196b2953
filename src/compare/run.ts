/**
 * One run compared with its baseline: made once, as soon as the run's values are read and its
 * baseline found (before its page is rendered), and kept in the run's outcome. The summary, the
 * page, the outputs and `fail-on-change` all show or judge this one object.
 */
import type { Baseline } from '../baseline/baseline.js'
import { carriedHistory, type HistoryEntry } from '../baseline/values-file.js'
import type { ToleranceRule } from './tolerance.js'
import { compareValues, type Comparison, type ValueSet } from './values.js'

/** The run compared with, as the summary links it. */
export type BaselineRun = Pick<
  Baseline,
  'key' | 'runId' | 'runAttempt' | 'sha' | 'branch' | 'url' | 'createdAt'
>

export interface RunComparison extends Comparison {
  baseline: BaselineRun
  /**
   * The numbers of the runs before this one, oldest first, the baseline's own the newest: the
   * history this run carries on (`history-length`), and what its charts draw before this run.
   */
  history: readonly HistoryEntry[]
}

export function compareRun(
  baseline: Baseline,
  values: ValueSet,
  rules: readonly ToleranceRule[],
  historyLength: number
): RunComparison {
  const { key, runId, runAttempt, sha, branch, url, createdAt } = baseline
  return {
    baseline: { key, runId, runAttempt, sha, branch, url, createdAt },
    ...compareValues(baseline.values, values, rules),
    history: carriedHistory(baseline.file, historyLength)
  }
}
