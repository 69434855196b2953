/**
 * The `tolerance` input: which glued values may move, and by how much, before a comparison with
 * the baseline calls them changed. One rule a line, the first rule that matches wins:
 *
 *     # a comment takes a line of its own (a "#" elsewhere may be part of a key)
 *     metrics.*: rtol=0.01 atol=1e-6
 *     # exact: rtol=0, and atol keeps its default, 0
 *     row_count: rtol=0
 *     timing_*: ignore
 *
 * - `rtol` and `atol` are decimals (`0.01`, `1e-6`), never negative, in either order; a key left
 *   out keeps its default (rtol 1e-9, atol 0), which is also the rule where no line matches.
 *   `ignore` stands alone: the values it matches are never compared, so never changed.
 * - The glob is what stands before the line's last colon (keys may hold colons, rules never
 *   do). It is matched against the paths the comparison writes (compare/values.ts): a value's
 *   name, then `.key` or `["any other key"]`, then `[0]` for a list's items, e.g.
 *   `metrics.f1`, `matrix[0][1]`, `metrics["a.b"]`.
 * - `*` matches any run of characters and `?` exactly one, and both cross `.` and `[`: as
 *   Python's fnmatch does, which is what a data team knows; `metrics.*` means everything in
 *   `metrics` however deep, and `*` alone every value. Every other character, `[` included,
 *   stands for itself, so a path can be pasted into a rule as it is; there are no escapes
 *   (`*` and `?` also match themselves).
 * - A glob that matches a value or a list or mapping in it covers everything inside: `metrics`
 *   covers `metrics.f1` and `metrics.by_class[0]`, `matrix[0]` covers `matrix[0][1]` (but not
 *   `matrix[10]`: a match counts only where a path ends or a part of it begins). So the
 *   name alone is the rule for a whole value; `metrics*` would also take `metrics_old`.
 * - "First match wins" across that: for a leaf, the first rule (in the input's order) that
 *   matches its path or the path of anything it is inside.
 *
 * Bounded, since a workflow may build the input from an event: at most MAX_RULES rules, a glob
 * of at most MAX_GLOB characters, a line of at most MAX_LINE. Matching is a simulation of the
 * glob's automaton (its positions, a set of at most MAX_GLOB + 1), never a backtracking regex:
 * a path costs at most its length times the glob's, whatever either holds. It runs along the
 * comparison's walk (`enter` one part of a path at a time, from the state of the part above),
 * so a deep path is never matched again from its start for each leaf below it; and since parts
 * recur (`.score` in each record), a move from a state over a part, once read, is remembered
 * (at most MAX_MOVES for all the globs of an input, so memory stays bounded too).
 */
import { InputError } from '../errors.js'
import { quote } from '../log.js'

const INPUT = 'tolerance'
export const MAX_RULES = 200
/** Characters (code points) in one glob. */
export const MAX_GLOB = 256
export const MAX_LINE = 1_000

/** How a leaf is compared: not at all, or numbers within `rtol` and `atol`. */
export type Tolerance = { ignore: true } | NumberTolerance
export interface NumberTolerance {
  ignore: false
  rtol: number
  atol: number
}
export type ToleranceRule = Tolerance & { glob: string }

/** Where no rule matches: enough for a float's last bits, not for a real change. */
export const DEFAULT_TOLERANCE: NumberTolerance = { ignore: false, rtol: 1e-9, atol: 0 }

const EXAMPLE =
  'one rule a line, `<glob>: rtol=<x> atol=<y>` or `<glob>: ignore`,\n  tolerance: |\n    metrics.*: rtol=0.01 atol=1e-6\n    row_count: rtol=0\n    timing_*: ignore'

/** A decimal as a person writes it, with a sign so that a negative one is refused by name. */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/

/** The rules of the `tolerance` input, in order; none when it is empty. */
export function parseTolerance(text: string): ToleranceRule[] {
  const rules: ToleranceRule[] = []
  const lines = text.split(/\r\n|\r|\n/)
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const refuse = (problem: string): never => {
      throw new InputError(INPUT, `line ${index + 1} ${problem}: ${quote(line)}`, EXAMPLE)
    }
    if (line.length > MAX_LINE) refuse(`is longer than ${MAX_LINE} characters`)
    if (rules.length === MAX_RULES) refuse(`is one rule too many: at most ${MAX_RULES}`)
    const colon = line.lastIndexOf(':')
    if (colon < 0) refuse('is not `<glob>: rtol=<x> atol=<y>` or `<glob>: ignore`')
    const glob = line.slice(0, colon).trim()
    if (glob === '') refuse('has no glob before its colon')
    if ([...glob].length > MAX_GLOB) refuse(`has a glob longer than ${MAX_GLOB} characters`)
    rules.push({ glob, ...parseRule(line.slice(colon + 1).trim(), refuse) })
  }
  return rules
}

function parseRule(spec: string, refuse: (problem: string) => never): Tolerance {
  if (spec === '') refuse('says nothing after its colon (rtol=<x>, atol=<y> or ignore)')
  const words = spec.split(/\s+/)
  if (words.includes('ignore')) {
    if (words.length > 1) refuse('has `ignore` with something else: `ignore` stands alone')
    return { ignore: true }
  }
  const given: { rtol?: number; atol?: number } = {}
  for (const word of words) {
    const equals = word.indexOf('=')
    if (word.startsWith('#')) refuse('has a comment after its rule: a comment takes a line')
    if (equals < 0) refuse(`has ${quote(word, 40)}, which is not key=value or ignore`)
    const key = word.slice(0, equals)
    const text = word.slice(equals + 1)
    if (key !== 'rtol' && key !== 'atol') {
      refuse(`has the unknown key ${quote(key, 40)} (the keys are rtol and atol)`)
    }
    if (given[key] != null) refuse(`gives ${key} twice`)
    const value = DECIMAL.test(text) ? Number(text) : NaN
    if (Number.isNaN(value)) refuse(`has ${key}=${quote(text, 40)}, which is not a number`)
    if (value < 0) refuse(`has a negative ${key}`)
    if (!Number.isFinite(value)) refuse(`has ${key}=${quote(text, 40)}, which is not finite`)
    given[key] = value
  }
  return {
    ignore: false,
    rtol: given.rtol ?? DEFAULT_TOLERANCE.rtol,
    atol: given.atol ?? DEFAULT_TOLERANCE.atol
  }
}

/**
 * A glob as an automaton over its characters: a state is the sorted list of positions in the
 * glob that the text read so far can have reached (position `length` is the end: a match).
 */
const STAR = -1
const ANY = -2
/**
 * Moves remembered by the globs of one matcher, all together. Parts of paths recur (`.score`
 * in every record, `[3]` in every list), so a walk mostly looks its moves up instead of
 * reading them character by character; past this many, the globs read the rest.
 */
export const MAX_MOVES = 20_000
const NO_MATCH: readonly number[] = Object.freeze([])

export class Glob {
  /** The glob's characters as code points, `*` and `?` as STAR and ANY. */
  private readonly codes: number[]
  /** Before any character: position 0, and every position a run of leading `*` reaches. */
  readonly start: readonly number[]
  private readonly scratch: [number[], number[]] = [[], []]
  /** One array per state (by its positions), so that a state can key its moves. */
  private readonly states = new Map<string, readonly number[]>()
  private readonly moves = new Map<readonly number[], Map<string, readonly number[]>>()

  constructor(
    readonly text: string,
    /** How many more moves may be remembered: shared by the globs of one matcher. */
    private readonly memory = { left: MAX_MOVES }
  ) {
    this.codes = [...text].map(c => (c === '*' ? STAR : c === '?' ? ANY : (c.codePointAt(0) ?? 0)))
    const start: number[] = []
    this.from(0, start, -1)
    this.start = this.one(start)
  }

  /** The state after reading `text` from `state`; empty when no match can follow any more. */
  step(state: readonly number[], text: string): readonly number[] {
    let moves = this.moves.get(state)
    const known = moves?.get(text)
    if (known != null) return known
    const read = this.read(state, text)
    if (read.length === 0) return NO_MATCH
    if (this.memory.left <= 0) return read
    this.memory.left--
    const next = this.one(read)
    if (moves == null) this.moves.set(state, (moves = new Map()))
    moves.set(text, next)
    return next
  }

  accepts(state: readonly number[]): boolean {
    return state.at(-1) === this.codes.length
  }

  /** The state after `text`, read character by character. */
  private read(state: readonly number[], text: string): number[] {
    // Two arrays of this glob's, one read while the other is written: one new array per call.
    let current = state
    let next = this.scratch[0]
    let spare = this.scratch[1]
    for (let i = 0; i < text.length && current.length > 0;) {
      const code = text.codePointAt(i) ?? 0
      i += code > 0xffff ? 2 : 1
      next.length = 0
      // Positions only stay or move one on, then on over `*`s: in increasing order, so a
      // position not above the last one added is one added already.
      let last = -1
      for (let k = 0; k < current.length; k++) {
        const position = current[k] ?? 0
        const glob = this.codes[position]
        if (glob === STAR) last = this.from(position, next, last)
        else if (glob === ANY || glob === code) last = this.from(position + 1, next, last)
      }
      const written = next
      current = written
      next = spare
      spare = written
    }
    return current.slice()
  }

  /** The one array of this state (at most one new state per move remembered). */
  private one(state: number[]): readonly number[] {
    const key = state.join()
    const known = this.states.get(key)
    if (known != null) return known
    this.states.set(key, state)
    return state
  }

  /**
   * Adds `position`, and the positions after the `*`s that follow it, to `into`, whose last
   * position is `last`; returns the new last.
   */
  private from(position: number, into: number[], last: number): number {
    let at = position
    for (;;) {
      if (at > last) into.push((last = at))
      if (this.codes[at] !== STAR) return last
      at++
    }
  }
}

/** Does `glob` match the whole of `text`? (The comparison matches part by part instead.) */
export function globMatches(glob: string, text: string): boolean {
  const automaton = new Glob(glob)
  return automaton.accepts(automaton.step(automaton.start, text))
}

/**
 * Where matching stands at one path of the walk: the first rule that matched it or a path
 * above it (`rules.length` when none), and the states of the rules before that one, which may
 * still match below (undefined once one cannot). Opaque outside this module.
 */
export interface Scope {
  readonly matched: number
  readonly states: ReadonlyArray<readonly number[] | undefined>
}

/** The rules, compiled, matched along a walk of paths. */
export class ToleranceMatcher {
  private readonly globs: Glob[]
  /** The rules without their globs: of one shape with the default, for the comparison's sake. */
  private readonly tolerances: Tolerance[]
  /** Above every value: no part of a path read yet. */
  readonly top: Scope

  constructor(rules: readonly ToleranceRule[]) {
    const memory = { left: MAX_MOVES }
    this.globs = rules.map(rule => new Glob(rule.glob, memory))
    this.tolerances = rules.map(rule =>
      rule.ignore ? { ignore: true } : { ignore: false, rtol: rule.rtol, atol: rule.atol }
    )
    this.top = { matched: rules.length, states: this.globs.map(glob => glob.start) }
  }

  /** The scope of the path `part` adds to the path of `scope` (the name itself at the top). */
  enter(scope: Scope, part: string): Scope {
    let matched = scope.matched
    let live = false
    const states: Array<readonly number[] | undefined> = []
    for (let i = 0; i < matched; i++) {
      const state = scope.states[i]
      if (state == null) continue
      const next = this.globs[i]?.step(state, part) ?? []
      if (next.length === 0) continue
      // The rules after this one can no longer win here or anywhere below.
      if (this.globs[i]?.accepts(next)) matched = i
      else {
        states[i] = next
        live = true
      }
    }
    if (!live && matched === scope.matched && scope.states.length === 0) return scope
    return { matched, states: live ? states : [] }
  }

  /**
   * Is the rule that matched here final for everything below? Not while a rule before it may
   * still match a longer path (`a*?` before `a: ignore` wins for `a[0]`, though `a` is ignored).
   */
  settled(scope: Scope): boolean {
    return scope.states.every(state => state == null)
  }

  toleranceAt(scope: Scope): Tolerance {
    return this.tolerances[scope.matched] ?? DEFAULT_TOLERANCE
  }
}
