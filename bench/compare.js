// @ts-check
/**
 * One process of the comparison benchmark (bench/run.js, section "compare"): it builds two sets
 * of glued values of LEAVES leaves each, times `compareValues` on them (the first call, as the
 * step makes it once, then CALLS more), checks what it found, and prints one JSON line.
 *   node bench/compare.js <dir of the compiled src> <rules | defaults> <calls>
 * The comparison is a pure function, so it is measured alone, compiled by tsc from src/ (no
 * bundle: nothing in dist/ calls it yet), on the Node the action runs on.
 */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const [dir, mode, callsText] = process.argv.slice(2)
if (dir == null || (mode !== 'rules' && mode !== 'defaults')) {
  throw new Error('usage: node bench/compare.js <compiled dir> <rules | defaults> <calls>')
}
const calls = Number(callsText ?? 20)
/** @param {string} file */
const load = file => import(pathToFileURL(join(dir, file)).href)
const { compareValues, countByStatus } = await load('compare/values.js')
const { parseTolerance } = await load('compare/tolerance.js')
const { JsonNumber, writeJson } = await load('notebook/json-value.js')

/** What the benchmark compares: LEAVES leaves on each side. */
const LEAVES = 10_000
/** Numbers moved in the baseline: every PERTURB-th number, alternately a little and a lot. */
const PERTURB = 10

/** A reproducible stream of numbers in [0, 1) (mulberry32). */
function random(seed = 19) {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A mapping as the notebook reader builds it. @param {[string, unknown][]} members */
const mapping = members => Object.assign(Object.create(null), Object.fromEntries(members))

/**
 * This run's values, as the reader gives them (numbers as JsonNumber), and the baseline: the
 * same values with some moved, some names only on one side, written with writeJson and read
 * back with JSON.parse (numbers as plain numbers), as a baseline file comes back.
 */
function valueSets() {
  const next = random()
  const number = () => new JsonNumber((next() * 1000).toFixed(6))
  const range = (/** @type {number} */ n) => Array.from({ length: n }, (_, i) => i)
  /** @type {[string, unknown][]} */
  const current = [
    // 1,000 flat values: numbers, strings, booleans; the last 50 only in this run.
    ...range(1000).map(i => {
      const name = i >= 950 ? `new_${i}` : `metric_${i}`
      /** @type {[string, unknown]} */
      const entry = [name, i % 10 === 8 ? `label ${i}` : i % 10 === 9 ? i % 3 === 0 : number()]
      return entry
    }),
    // 2,000 in groups: metrics.group_07.class_12
    [
      'metrics',
      mapping(
        range(40).map(g => [`group_${g}`, mapping(range(50).map(c => [`class_${c}`, number()]))])
      )
    ],
    // 2,000 in a matrix: matrix[3][17]
    ['matrix', range(50).map(() => range(40).map(number))],
    // 2,000 in records: rows[12].score
    [
      'rows',
      range(500).map(i =>
        mapping([
          ['id', new JsonNumber(String(1_000_000_000_000 + i))],
          ['score', number()],
          ['label', `row ${i}`],
          ['flag', i % 2 === 0]
        ])
      )
    ],
    // 3,000 six levels deep, some keys that paths quote: tree.a_1["b 2"].c_3[4]
    [
      'tree',
      mapping(
        range(3).map(a => [
          `a_${a}`,
          mapping(
            range(10).map(b => [
              `b ${b}`,
              mapping(range(10).map(c => [`c_${c}`, range(10).map(number)]))
            ])
          )
        ])
      )
    ]
  ]
  /** @type {Record<string, number>} what the comparison must find */
  const expected = { changed: 0, 'within-tolerance': 0, added: 50, removed: 50 }
  let numbers = 0
  /** Moves every PERTURB-th number of `data`, a little (1e-12) or a lot (1 %). @param {unknown} data @returns {unknown} */
  const perturb = data => {
    if (data instanceof JsonNumber) {
      if (++numbers % PERTURB !== 0) return data
      const far = (numbers / PERTURB) % 2 === 0
      expected[far ? 'changed' : 'within-tolerance']++
      return data.value * (far ? 1.01 : 1 + 1e-12)
    }
    if (Array.isArray(data)) return data.map(perturb)
    if (data != null && typeof data === 'object') {
      return mapping(Object.entries(data).map(([key, value]) => [key, perturb(value)]))
    }
    return data
  }
  const moved = current
    .filter(([name]) => !name.startsWith('new_'))
    .map(([name, data]) => [name, perturb(data)])
  const gone = range(50).map(i => [`gone_${i}`, new JsonNumber(String(i))])
  const baseline = Object.entries(JSON.parse(writeJson(Object.fromEntries([...moved, ...gone]))))
  return { baseline, current, expected }
}

// Rules as a team might write them, matched against every path, but none moves a status (so
// both modes find the same): a match costs what it costs whatever the rule says.
const TOLERANCE = [
  'timing_*: ignore',
  'metrics.*: rtol=1e-9',
  'rows[*].score: atol=1e-9',
  'matrix[0]: rtol=1e-9',
  '*.c_9: rtol=1e-9 atol=0',
  'tree.a_2["b 9"]: rtol=1e-9'
].join('\n')

const { baseline, current, expected } = valueSets()
const rules = mode === 'rules' ? parseTolerance(TOLERANCE) : []

/**
 * Wall time, and the process's CPU time (all its threads: V8 compiles and collects garbage on
 * helpers), which other work on the machine inflates less than the wall time.
 * @returns {{ms: number, cpuMs: number, result: any}}
 */
function timed() {
  const cpu = process.cpuUsage()
  const started = performance.now()
  const result = compareValues(baseline, current, rules)
  const ms = performance.now() - started
  const used = process.cpuUsage(cpu)
  return { ms, cpuMs: (used.user + used.system) / 1000, result }
}

const first = timed()
const counts = countByStatus(first.result.changes)
const leaves = counts.changed + counts['within-tolerance'] + counts.unchanged + counts.removed
const thisRun = leaves - counts.removed + counts.added
for (const [status, count] of Object.entries(expected)) {
  if (counts[status] !== count) {
    throw new Error(`the comparison found ${counts[status]} ${status}, not ${count}`)
  }
}
if (leaves !== LEAVES || thisRun !== LEAVES) {
  throw new Error(`compared ${leaves} and ${thisRun} leaves, not ${LEAVES}`)
}
/** @type {number[]} */
const later = []
for (let i = 0; i < calls; i++) later.push(timed().ms)
later.sort((a, b) => a - b)
process.stdout.write(
  `${JSON.stringify({
    mode,
    leaves: LEAVES,
    rules: rules.length,
    firstMs: first.ms,
    firstCpuMs: first.cpuMs,
    laterMs: later[Math.floor(later.length / 2)],
    counts
  })}\n`
)
