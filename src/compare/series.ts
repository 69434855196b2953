/**
 * Each number's history: its value in the runs before this one (the history the values artifact
 * carries, ../baseline/values-file.ts, the baseline's own numbers the newest), then this run's,
 * as points to draw. A history entry's number is this run's value when its path writes the same
 * text (./paths.ts). What the summary charts (./mermaid.ts) and the page's sparklines draw.
 *
 * Points are doubles (JsonNumber `.value`): a chart draws, it does not compare. A point that is
 * not finite (NaN, an infinity, a literal past a double's range) is left out; a value whose own
 * number this run is not finite has no series (its line would end elsewhere). A series has at
 * most MAX_POINTS points, the newest; a value with fewer than MIN_POINTS has no history to draw.
 */
import { JsonNumber } from '../notebook/json-value.js'
import { pathText } from './paths.js'
import type { RunComparison } from './run.js'
import type { ChangeStatus } from './values.js'

/** A series to draw: at least the baseline, one run before it, and this run. */
export const MIN_POINTS = 3
export const MAX_POINTS = 100
/** Charts in a summary at most: each is a picture GitHub renders in the browser. */
export const MAX_CHARTS = 6

export interface Point {
  /** The run's commit, seven hexadecimal digits, or `this run`; `?` when the file gave no commit. */
  label: string
  value: number
}

export interface Series {
  path: string
  status: ChangeStatus
  /** Oldest first, this run's last. */
  points: Point[]
}

const HEX_SHA = /^[0-9a-f]{7,64}$/i

/** The series of each number of this run that has a history to draw, by path. */
export function seriesByPath(comparison: RunComparison): Map<string, Series> {
  const numbers = comparison.changes.filter(change => numberOf(change.value) != null)
  const series = new Map<string, Series>()
  if (numbers.length === 0 || comparison.history.length === 0) return series
  const wanted = new Set(numbers.map(change => change.path))
  const earlier = comparison.history.slice(-(MAX_POINTS - 1)).map(entry => {
    const byPath = new Map<string, number>()
    for (const leaf of entry.values) {
      const path = pathText(leaf.path)
      if (wanted.has(path)) byPath.set(path, leaf.value.value)
    }
    const sha = entry.workflowRun.sha
    return { label: HEX_SHA.test(sha) ? sha.slice(0, 7).toLowerCase() : '?', byPath }
  })
  for (const change of numbers) {
    // This run is the last point: a value it could not give a number has no line to end.
    const value = numberOf(change.value)
    if (value == null || !Number.isFinite(value)) continue
    const points: Point[] = []
    for (const entry of earlier) {
      const earlierValue = entry.byPath.get(change.path)
      if (earlierValue != null && Number.isFinite(earlierValue)) {
        points.push({ label: entry.label, value: earlierValue })
      }
    }
    points.push({ label: 'this run', value })
    if (points.length >= MIN_POINTS) {
      series.set(change.path, { path: change.path, status: change.status, points })
    }
  }
  return series
}

/**
 * The values charted, at most `max`: the changed ones first (as the table lists them), then
 * those with the longest history, the notebook's order among equals.
 */
export function chartedSeries(comparison: RunComparison, max = MAX_CHARTS): Series[] {
  const all = [...seriesByPath(comparison).values()]
  const rank = (s: Series): number => (s.status === 'changed' ? 0 : 1)
  return all
    .map((s, index) => ({ s, index }))
    .sort(
      (a, b) =>
        rank(a.s) - rank(b.s) ||
        (rank(a.s) === 0 ? 0 : b.s.points.length - a.s.points.length) ||
        a.index - b.index
    )
    .slice(0, Math.max(0, max))
    .map(({ s }) => s)
}

function numberOf(data: unknown): number | undefined {
  if (data instanceof JsonNumber) return data.value
  return typeof data === 'number' ? data : undefined
}
