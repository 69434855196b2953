/**
 * Comparisons made to measure for unit tests of what shows them: the real comparison
 * (src/compare/values.ts) of glued values written as JSON text (numbers kept as written), with a
 * history made of earlier sets the way the values artifact keeps it (src/baseline/values-file.ts
 * `numericLeaves`).
 */
import { numericLeaves } from '../../src/baseline/values-file.js'
import type { RunComparison } from '../../src/compare/run.js'
import { parseTolerance } from '../../src/compare/tolerance.js'
import { compareValues } from '../../src/compare/values.js'
import { readJson } from '../../src/notebook/json-value.js'

/** A set of glued values from a JSON object's text, as the notebook reader gives them. */
export function glued(json: string): Array<[string, unknown]> {
  return Object.entries(readJson(json) as Record<string, unknown>)
}

export interface Made {
  before: string
  after: string
  /** Earlier runs, oldest first, the baseline's own last: their commit and their values. */
  history?: Array<{ sha: string; values: string }>
  tolerance?: string
}

export function comparisonOf(made: Made): RunComparison {
  const { before, after, history = [], tolerance = '' } = made
  return {
    baseline: {
      key: 'team-sales',
      runId: 12_000_000_042,
      runAttempt: 1,
      sha: '0123456789abcdef0123456789abcdef01234567',
      branch: 'main',
      url: 'https://github.com/octo-org/notebooks/actions/runs/12000000042',
      createdAt: '2026-03-04T05:06:07Z'
    },
    ...compareValues(glued(before), glued(after), parseTolerance(tolerance)),
    history: history.map((entry, index) => ({
      workflowRun: { id: index + 1, attempt: 1, sha: entry.sha, time: '2026-01-01T00:00:00Z' },
      values: numericLeaves(glued(entry.values))
    }))
  }
}
