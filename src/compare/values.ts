/**
 * What changed between the glued values of the baseline run and of this run: a pure function
 * from two sets of values and the `tolerance` rules (./tolerance.ts) to one entry per leaf.
 *
 * The two sets are `Iterable<[name, value]>`: a Map, or the `entries` of `valuesOf`
 * (notebook/explain.ts), the last of a repeated name winning as there. A value is JSON as the
 * notebook reader builds it: objects (with or without a prototype), arrays, strings, booleans,
 * null, and numbers as `JsonNumber` (notebook/json-value.ts) or plain `number`, both accepted on
 * either side, since the baseline comes back from a file.
 *
 * - Leaves are compared by path, written as ./paths.ts writes it: the value's name, then `.key`
 *   for a key of letters, digits, `_` and `-`, `["key"]` (the key as a JSON string) for any
 *   other key, and `[i]` for a list's items: `metrics.f1`, `matrix[0][1]`, `metrics["a.b"]`.
 *   An empty list or mapping is a leaf itself (otherwise its removal would go unseen).
 * - Numbers (integers and floats alike) are equal within the rule when
 *   `|a - b| <= max(rtol * max(|a|, |b|), atol)`; NaN equals NaN and an infinity the same
 *   infinity. `unchanged` means exactly equal as decimals (`1` and `1.0` are; two integers of
 *   any size are compared digit for digit); `within-tolerance`, not exactly but within the
 *   rule. Strings, booleans and null must be equal; a change of type (number to string, list to
 *   mapping, ...) is `changed`, and so is a list of another length: one entry at the list's
 *   path, not one per item. A name or key only in this run is `added` (each leaf below it),
 *   only in the baseline `removed`.
 * - For two numbers, `change` is this run's minus the baseline's, exact for decimals of up to
 *   EXACT_DIGITS digits (`0.87 - 0.93` is `-0.06`, not `-0.06000000000000005`; the rule is
 *   tested on that exact difference), else as doubles; `relative` is `change / |baseline|`.
 *   Both are null where they have no finite value: a NaN or an infinity on either side, and
 *   `relative` when the baseline is 0.
 * - A leaf an `ignore` rule matches is left out, whatever its status: it is not compared, so it
 *   can never count as changed. `ignored` says how many parts were left out that way. A rule
 *   before the `ignore` still wins for the leaves it matches inside an ignored value; a change
 *   of the ignored value's own shape (its type, a list's length) is left out with it.
 * - Order: this run's names in its order (the notebook's), then the names only the baseline
 *   has, in its order; within a value, its leaves as the document lists them, this run's keys
 *   first. The presentation sorts as it shows them (changed rows first).
 *
 * Bounded, since anyone who can push to the base branch writes the baseline: a value deeper
 * than MAX_DEPTH levels (the reader's limit, so never a run's own), or one that would take
 * the comparison past MAX_LEAVES leaves of either set or MAX_PATH_CHARS characters of paths in
 * all, is not compared, and is listed in `notCompared` with why; after a value that went past
 * a limit, no other is walked (so the work stays within the limits). A run's own values never
 * reach MAX_LEAVES: the `values` output holds at most 512 KiB, as GitHub counts it, which is
 * at most 131,072 leaves (`0,` each, two bytes a character).
 */
import { JsonNumber } from '../notebook/json-value.js'
import { indexPart, keyPart, namePart } from './paths.js'
import {
  ToleranceMatcher,
  type Scope,
  type NumberTolerance,
  type ToleranceRule
} from './tolerance.js'

export type ChangeStatus = 'unchanged' | 'within-tolerance' | 'changed' | 'added' | 'removed'
/** Every status, in the order a summary lists them: what needs a look first. */
export const STATUSES: readonly ChangeStatus[] = [
  'changed',
  'removed',
  'added',
  'within-tolerance',
  'unchanged'
]

export interface ValueChange {
  /** The glued value's name, as the notebook glued it. */
  name: string
  /** Where the leaf is in it (see above); the name, written as a path, for a whole value. */
  path: string
  status: ChangeStatus
  /**
   * The leaves as read (a number as JsonNumber or number); a whole list or mapping where its
   * length or its type changed, or where it is empty. Absent on the side that lacks it.
   */
  baseline?: unknown
  value?: unknown
  /** For two numbers: this run's minus the baseline's; null when not finite. */
  change?: JsonNumber | null
  /** For two numbers: `change / |baseline|`; null when the baseline is 0 or it is not finite. */
  relative?: number | null
}

export interface Comparison {
  changes: ValueChange[]
  /** How many values or parts of values `ignore` rules left out (a mapping left out is one). */
  ignored: number
  /** Values not compared at all, with why (see the limits above). */
  notCompared: Array<{ name: string; why: string }>
}

export type ValueSet = Iterable<readonly [string, unknown]>

export const MAX_DEPTH = 64
export const MAX_LEAVES = 200_000
export const MAX_PATH_CHARS = 16_000_000
/** Decimals of up to this many digits (exponents aside) get an exact `change`. */
export const EXACT_DIGITS = 100

export function compareValues(
  baseline: ValueSet,
  current: ValueSet,
  rules: readonly ToleranceRule[] = []
): Comparison {
  const before = new Map(baseline)
  const after = new Map(current)
  const walk = new Walk(new ToleranceMatcher(rules))
  const names = [...after.keys(), ...[...before.keys()].filter(name => !after.has(name))]
  const notCompared: Comparison['notCompared'] = []
  for (const name of names) {
    if (walk.stopped != null) {
      notCompared.push({ name, why: walk.stopped })
      continue
    }
    const kept = walk.changes.length
    const ignored = walk.ignored
    try {
      walk.value(name, before, after)
    } catch (error) {
      if (!(error instanceof Limit)) throw error
      // A value is compared whole or not at all.
      walk.changes.length = kept
      walk.ignored = ignored
      notCompared.push({ name, why: error.message })
      if (error.stops) walk.stopped = `the comparison stopped before it: ${error.message}`
    }
  }
  return { changes: walk.changes, ignored: walk.ignored, notCompared }
}

/**
 * The `changed-count` output: the entries (leaves, or lists of another length) changed or
 * removed beyond their tolerance. Added ones never count, nor ignored ones (they are not listed).
 */
export function changedCount(changes: readonly ValueChange[]): number {
  return changes.filter(c => c.status === 'changed' || c.status === 'removed').length
}

/** How many entries have each status, every status present. */
export function countByStatus(changes: readonly ValueChange[]): Record<ChangeStatus, number> {
  const counts = Object.fromEntries(STATUSES.map(status => [status, 0])) as Record<
    ChangeStatus,
    number
  >
  for (const change of changes) counts[change.status]++
  return counts
}

/** A limit reached; `stops` when the walk must go no further (it spent what it may). */
class Limit extends Error {
  constructor(
    message: string,
    readonly stops: boolean
  ) {
    super(message)
  }
}

/** Deeper than a run's own values can be: not compared, but the walk goes on. */
function tooDeep(): Limit {
  return new Limit(`it is nested deeper than ${MAX_DEPTH} levels`, false)
}

type Kind = 'number' | 'string' | 'boolean' | 'null' | 'list' | 'mapping'

function kindOf(value: unknown): Kind {
  if (value instanceof JsonNumber) return 'number'
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return 'number'
    case 'string':
      return 'string'
    case 'boolean':
      return 'boolean'
    case 'undefined':
      return 'null'
    case 'object':
      return value === null ? 'null' : Array.isArray(value) ? 'list' : 'mapping'
    default:
      throw new TypeError(`a glued value holds a ${typeof value}, which JSON has not`)
  }
}

/** Where the walk is: the value's name, the path, how deep, and the tolerance rules' state. */
interface At {
  name: string
  path: string
  depth: number
  scope: Scope
}

/** An entry of both sides. */
function entry(at: At, status: ChangeStatus, baseline: unknown, value: unknown): ValueChange {
  return { name: at.name, path: at.path, status, baseline, value }
}

class Walk {
  readonly changes: ValueChange[] = []
  ignored = 0
  /** Why no more values are walked, once one went past a limit that spends the budget. */
  stopped: string | undefined
  private leavesBefore = 0
  private leavesAfter = 0
  private pathChars = 0

  constructor(private readonly matcher: ToleranceMatcher) {}

  value(name: string, before: Map<string, unknown>, after: Map<string, unknown>): void {
    const part = namePart(name)
    const at = { name, path: part, depth: 0, scope: this.matcher.enter(this.matcher.top, part) }
    if (!before.has(name)) this.oneSide(after.get(name), at, 'added')
    else if (!after.has(name)) this.oneSide(before.get(name), at, 'removed')
    else this.both(before.get(name), after.get(name), at)
  }

  private both(baseline: unknown, value: unknown, at: At): void {
    const tolerance = this.matcher.toleranceAt(at.scope)
    const kind = kindOf(value)
    if (tolerance.ignore) {
      if (!this.rulesBelow(at, baseline, value, kind)) return void this.ignored++
      return kind === 'list'
        ? this.lists(baseline as unknown[], value as unknown[], at)
        : this.mappings(baseline as Record<string, unknown>, value as Record<string, unknown>, at)
    }
    if (kind !== kindOf(baseline)) return this.leaf(at, entry(at, 'changed', baseline, value))
    if (kind === 'number') return this.leaf(at, compareNumbers(at, baseline, value, tolerance))
    if (kind === 'list') return this.lists(baseline as unknown[], value as unknown[], at)
    if (kind === 'mapping') {
      return this.mappings(
        baseline as Record<string, unknown>,
        value as Record<string, unknown>,
        at
      )
    }
    const equal = kind === 'null' || baseline === value
    this.leaf(at, entry(at, equal ? 'unchanged' : 'changed', baseline, value))
  }

  private lists(baseline: unknown[], value: unknown[], at: At): void {
    if (baseline.length !== value.length) {
      return this.leaf(at, entry(at, 'changed', baseline, value))
    }
    if (value.length === 0) return this.leaf(at, entry(at, 'unchanged', baseline, value))
    this.checkDepth(at)
    for (let i = 0; i < value.length; i++)
      this.both(baseline[i], value[i], this.below(at, indexPart(i)))
  }

  private mappings(
    baseline: Record<string, unknown>,
    value: Record<string, unknown>,
    at: At
  ): void {
    const keys = Object.keys(value)
    const baselineKeys = Object.keys(baseline)
    if (keys.length === 0 && baselineKeys.length === 0) {
      return this.leaf(at, entry(at, 'unchanged', baseline, value))
    }
    this.checkDepth(at)
    for (const key of keys) {
      const below = this.below(at, keyPart(key))
      if (Object.hasOwn(baseline, key)) this.both(baseline[key], value[key], below)
      else this.oneSide(value[key], below, 'added')
    }
    for (const key of baselineKeys) {
      if (!Object.hasOwn(value, key)) {
        this.oneSide(baseline[key], this.below(at, keyPart(key)), 'removed')
      }
    }
  }

  /**
   * An ignored part is walked on only where a rule before the `ignore` may still match below it
   * (first match wins over every path of a leaf), and only when both sides have the same shape
   * with parts in it: a change of shape is a change of the ignored part itself.
   */
  private rulesBelow(at: At, baseline: unknown, value: unknown, kind: string): boolean {
    if (this.matcher.settled(at.scope) || kind !== kindOf(baseline)) return false
    if (kind === 'list') {
      const [before, after] = [baseline as unknown[], value as unknown[]]
      return after.length > 0 && before.length === after.length
    }
    return kind === 'mapping' && Object.keys(value as object).length > 0
  }

  /** Every leaf of a value or part that only one side has. */
  private oneSide(data: unknown, at: At, status: 'added' | 'removed'): void {
    const kind = kindOf(data)
    const items = kind === 'list' ? (data as unknown[]) : []
    const members = kind === 'mapping' ? (data as Record<string, unknown>) : {}
    const keys = Object.keys(members)
    const ignored = this.matcher.toleranceAt(at.scope).ignore
    const partsBelow = items.length > 0 || keys.length > 0
    if (ignored && (this.matcher.settled(at.scope) || !partsBelow)) return void this.ignored++
    if (items.length === 0 && keys.length === 0) {
      const { name, path } = at
      return this.leaf(
        at,
        status === 'added'
          ? { name, path, status, value: data }
          : { name, path, status, baseline: data }
      )
    }
    this.checkDepth(at)
    for (let i = 0; i < items.length; i++)
      this.oneSide(items[i], this.below(at, indexPart(i)), status)
    for (const key of keys) this.oneSide(members[key], this.below(at, keyPart(key)), status)
  }

  private below(at: At, part: string): At {
    return {
      name: at.name,
      path: at.path + part,
      depth: at.depth + 1,
      scope: this.matcher.enter(at.scope, part)
    }
  }

  /**
   * Before the items of a list or mapping at `at` are walked. A container's depth is how many
   * enclose it, as the reader counts (0 to 63 kept): the recursion stays that shallow.
   */
  private checkDepth(at: At): void {
    if (at.depth >= MAX_DEPTH) throw tooDeep()
  }

  /**
   * One entry. What it holds counts against the limits: a whole list or mapping (of another
   * length or type) is written out with it, so its leaves count, and it must not be deeper
   * than a value may be (whoever writes the entry out recurses into it).
   */
  private leaf(at: At, entry: ValueChange): void {
    if (entry.status !== 'added') {
      this.leavesBefore += this.leavesOf(entry.baseline, at.depth, this.leavesBefore)
    }
    if (entry.status !== 'removed') {
      this.leavesAfter += this.leavesOf(entry.value, at.depth, this.leavesAfter)
    }
    this.pathChars += at.path.length
    if (Math.max(this.leavesBefore, this.leavesAfter) > MAX_LEAVES) {
      throw new Limit(`the comparison takes at most ${MAX_LEAVES} leaves of each run`, true)
    }
    if (this.pathChars > MAX_PATH_CHARS) {
      throw new Limit(`the comparison takes at most ${MAX_PATH_CHARS} characters of paths`, true)
    }
    this.changes.push(entry)
  }

  /**
   * 1 for a leaf; for a list or mapping at `depth`, its leaves, counted only until they take
   * the total (`counted` so far) past MAX_LEAVES.
   */
  private leavesOf(data: unknown, depth: number, counted: number): number {
    const kind = kindOf(data)
    if (kind !== 'list' && kind !== 'mapping') return 1
    const items = kind === 'list' ? (data as unknown[]) : Object.values(data as object)
    if (items.length === 0) return 1
    if (depth >= MAX_DEPTH) throw tooDeep()
    let leaves = 0
    for (const item of items) {
      leaves += this.leavesOf(item, depth + 1, counted + leaves)
      if (counted + leaves > MAX_LEAVES) break
    }
    return leaves
  }
}

// ─── numbers ───

const ZERO = new JsonNumber('0')

/** A number as JSON writes it: a JsonNumber's text, a number's shortest round-trip form. */
function textOf(data: unknown): string {
  return data instanceof JsonNumber ? data.text : String(data)
}

interface NumberLeaf {
  value: number
  decimal: Decimal | undefined
}

function compareNumbers(
  at: At,
  baselineData: unknown,
  valueData: unknown,
  tolerance: NumberTolerance
): ValueChange {
  const numbers = (status: ChangeStatus, change: JsonNumber | null, relative: number | null) => {
    const { name, path } = at
    return { name, path, status, baseline: baselineData, value: valueData, change, relative }
  }
  const baselineText = textOf(baselineData)
  const valueText = textOf(valueData)
  const a = Number(baselineText)
  const b = Number(valueText)
  if (!Number.isFinite(a) || !Number.isFinite(b)) {
    // NaN equals NaN, an infinity the same infinity; nothing else equals either.
    return numbers(Object.is(a, b) ? 'unchanged' : 'changed', null, null)
  }
  // Most leaves: the same text (`1.5` read back from a file is the number `1.5`, written so).
  if (baselineText === valueText) return numbers('unchanged', ZERO, a === 0 ? null : 0)
  const baseline = { value: a, decimal: decimalOf(baselineText) }
  const value = { value: b, decimal: decimalOf(valueText) }
  if (sameDecimal(baseline, value)) return numbers('unchanged', ZERO, a === 0 ? null : 0)
  const change = difference(baseline, value)
  const size = change == null ? Math.abs(b - a) : Math.abs(change.value)
  const within =
    size <= Math.max(tolerance.rtol * Math.max(Math.abs(a), Math.abs(b)), tolerance.atol)
  const relative = change == null || a === 0 ? null : change.value / Math.abs(a)
  return numbers(
    within ? 'within-tolerance' : 'changed',
    change,
    relative != null && Number.isFinite(relative) ? relative : null
  )
}

/** A decimal's exact value: `digits` (no leading or trailing zeros; empty for 0) × 10^exponent. */
interface Decimal {
  negative: boolean
  digits: string
  exponent: number
}

const LITERAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,15}))?$/

function decimalOf(text: string): Decimal | undefined {
  const match = LITERAL.exec(text)
  if (match == null) return undefined
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match
  if (whole === '' && fraction === '') return undefined
  const all = whole + fraction
  let start = 0
  while (start < all.length && all.charCodeAt(start) === 48) start++
  let end = all.length
  while (end > start && all.charCodeAt(end - 1) === 48) end--
  const digits = all.slice(start, end)
  if (digits === '') return { negative: false, digits: '', exponent: 0 }
  return {
    negative: sign === '-',
    digits,
    exponent: Number(exponent) - fraction.length + (all.length - end)
  }
}

function sameDecimal(a: NumberLeaf, b: NumberLeaf): boolean {
  if (a.decimal == null || b.decimal == null) return a.value === b.value
  return (
    a.decimal.negative === b.decimal.negative &&
    a.decimal.exponent === b.decimal.exponent &&
    a.decimal.digits === b.decimal.digits
  )
}

/** `value - baseline`: exact when both are short decimals of near exponents, else as doubles. */
function difference(baseline: NumberLeaf, value: NumberLeaf): JsonNumber | null {
  const a = baseline.decimal
  const b = value.decimal
  if (
    a != null &&
    b != null &&
    a.digits.length <= EXACT_DIGITS &&
    b.digits.length <= EXACT_DIGITS &&
    Math.abs(a.exponent - b.exponent) <= EXACT_DIGITS
  ) {
    const exponent = Math.min(a.exponent, b.exponent)
    const scaled = (d: Decimal): bigint =>
      (d.negative ? -1n : 1n) * BigInt(d.digits || '0') * 10n ** BigInt(d.exponent - exponent)
    const exact = new JsonNumber(decimalText(scaled(b) - scaled(a), exponent))
    return Number.isFinite(exact.value) ? exact : null
  }
  const change = value.value - baseline.value
  return Number.isFinite(change) ? new JsonNumber(String(change)) : null
}

/** `units` × 10^exponent as JSON: plainly while that stays short, else with an exponent. */
function decimalText(units: bigint, exponent: number): string {
  if (units === 0n) return '0'
  const sign = units < 0n ? '-' : ''
  let digits = (units < 0n ? -units : units).toString()
  let power = exponent
  while (digits.endsWith('0')) {
    digits = digits.slice(0, -1)
    power++
  }
  if (power >= 0 && digits.length + power <= 21) return sign + digits + '0'.repeat(power)
  if (power < 0 && -power <= 21) {
    const point = digits.length + power
    return point > 0
      ? `${sign}${digits.slice(0, point)}.${digits.slice(point)}`
      : `${sign}0.${'0'.repeat(-point)}${digits}`
  }
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits
  return `${sign}${mantissa}e${power + digits.length - 1}`
}
