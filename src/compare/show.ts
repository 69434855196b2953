/**
 * A comparison as people read it, apart from where it is shown: which rows come first, what each
 * cell says, how the counts read. The job summary (../summary-changes.ts) and the page of the
 * executed notebook (../page/changes.ts) render this model, each with its own escaping; so will
 * a pull request's comment. Every cell is plain text from a notebook or from the baseline's file:
 * untrusted, for the renderer to escape and cut.
 */
import { JsonNumber, writeJson } from '../notebook/json-value.js'
import type { Comparison, ChangeStatus, ValueChange } from './values.js'
import { countByStatus, STATUSES } from './values.js'

export const STATUS_LABELS: Record<ChangeStatus, string> = {
  changed: 'changed',
  removed: 'removed',
  added: 'added',
  'within-tolerance': 'within tolerance',
  unchanged: 'unchanged'
}

export interface ChangeTable {
  /** Changed, removed, added, within tolerance: in that order, each in the notebook's order. */
  shown: ValueChange[]
  /** Unchanged: folded away under the table. */
  folded: ValueChange[]
  counts: Record<ChangeStatus, number>
}

/** The rows of a comparison in the order they are shown: what needs a look first. */
export function changeTable(comparison: Comparison): ChangeTable {
  const byStatus = new Map<ChangeStatus, ValueChange[]>(STATUSES.map(status => [status, []]))
  for (const change of comparison.changes) byStatus.get(change.status)?.push(change)
  return {
    shown: STATUSES.filter(s => s !== 'unchanged').flatMap(s => byStatus.get(s) ?? []),
    folded: byStatus.get('unchanged') ?? [],
    counts: countByStatus(comparison.changes)
  }
}

/** One row as text: the path, both sides (JSON as the notebook wrote them), the change. */
export interface ChangeRow {
  path: string
  /** Absent when the value was added. */
  baseline?: string
  /** Absent when the value was removed. */
  value?: string
  /** The status, and for two numbers how much: `changed: -0.06 (-6.45%)`. */
  change: string
}

/** The row of one change; a side's JSON is cut to `maxValue` characters (plus its mark). */
export function changeRow(change: ValueChange, maxValue = 1_000): ChangeRow {
  const side = (value: unknown): string => cut(writeJson(value), maxValue)
  const delta = numberChange(change)
  return {
    path: change.path,
    baseline: change.status === 'added' ? undefined : side(change.baseline),
    value: change.status === 'removed' ? undefined : side(change.value),
    change:
      delta == null ? STATUS_LABELS[change.status] : `${STATUS_LABELS[change.status]}: ${delta}`
  }
}

/** For two numbers that differ: the change, signed, and how much of the baseline it is. */
export function numberChange(change: ValueChange): string | undefined {
  if (!(change.change instanceof JsonNumber) || change.status === 'unchanged') return undefined
  const text = change.change.text
  const signed = text.startsWith('-') || text === '0' ? text : `+${text}`
  return change.relative == null ? signed : `${signed} (${percent(change.relative)})`
}

/** A relative change as a person reads it, three significant digits: `-6.45%`. */
export function percent(relative: number): string {
  const value = relative * 100
  const text =
    Math.abs(value) >= 1e6 || (value !== 0 && Math.abs(value) < 1e-4)
      ? value.toExponential(2)
      : String(Number(value.toPrecision(3)))
  return `${value > 0 ? '+' : ''}${text}%`
}

/** `2 changed · 1 removed · 0 added · 3 within tolerance · 40 unchanged · 1 ignored`. */
export function countsLine(comparison: Comparison): string {
  const counts = countByStatus(comparison.changes)
  const parts = STATUSES.map(status => `${counts[status]} ${STATUS_LABELS[status]}`)
  if (comparison.ignored > 0) parts.push(`${comparison.ignored} ignored`)
  if (comparison.notCompared.length > 0) parts.push(`${comparison.notCompared.length} not compared`)
  return parts.join(' · ')
}

/** When the baseline ran, to the minute, in UTC; the text as GitHub gave it when unreadable. */
export function baselineDate(createdAt: string): string {
  const time = Date.parse(createdAt)
  if (!Number.isFinite(time)) return createdAt
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

/** A commit as a person names it: its first seven characters. */
export function shortSha(sha: string): string {
  return sha.slice(0, 7)
}

/** At most `max` characters, the mark of a cut after them, and no character split in two. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max
  return `${text.slice(0, end)}...`
}
