/**
 * Budgets count what is written, run as the runner runs the bundled action. GitHub drops a
 * step's summary over 1 MiB whole, and keeps an output only up to 1 MB as it counts (UTF-16, two
 * bytes a character). Text full of `"` and `'` is what grows when it is written: `"` is six
 * bytes in the summary's HTML (`&quot;`), `'` six characters in an output's JSON (`\u0027`). So
 * the notebooks here fail with tracebacks, errors and names made of little else.
 *
 * runAction itself fails any run whose summary passes 1 MiB.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { DataloreSimulator, startDataloreSimulator } from '../simulator/datalore.js'
import { ActionResult, leaksOf, runAction, runsOutput } from './support/action.js'
import { failingNotebook, gluingNotebook } from './support/notebooks.js'

let sim: DataloreSimulator

/** Characters that HTML (`"`, `'`) and the outputs' shell-inert JSON (`'`) write six times over. */
const QUOTES = `"'`

beforeAll(async () => {
  sim = await startDataloreSimulator()
  // Three failing cells, each at the reader's limits: 8 KiB of source, 16 KiB of message, and a
  // traceback of 32 KiB, all quotes.
  const heavy = failingNotebook(
    Array.from({ length: 3 }, () => ({
      source: QUOTES.repeat(4 * 1024),
      evalue: QUOTES.repeat(8 * 1024),
      traceback: Array.from({ length: 4 }, () => QUOTES.repeat(4 * 1024))
    }))
  )
  sim.addNotebook('edge/heavy', {
    success: false,
    artifacts: [{ name: 'analysis.ipynb', content: heavy }]
  })
  const quoted = failingNotebook([
    { source: 'check()', evalue: "'".repeat(2_000), traceback: ['ValueError'] }
  ])
  sim.addNotebook('edge/quoted', {
    success: false,
    artifacts: [{ name: 'analysis.ipynb', content: quoted }]
  })
  const glued = gluingNotebook([
    ['quotes', JSON.stringify("'".repeat(30_000))],
    ['large', JSON.stringify("'".repeat(100_000))],
    ['wide', JSON.stringify('数'.repeat(60_000))]
  ])
  sim.addNotebook('edge/glued', { artifacts: [{ name: 'analysis.ipynb', content: glued }] })
})
afterAll(() => sim.close())

async function run(inputs: Record<string, string>): Promise<ActionResult> {
  const result = await runAction(
    { host: sim.url, token: sim.token, 'poll-interval-seconds': '0.2', ...inputs },
    { killAfterMs: 120_000 }
  )
  expect(leaksOf(result, sim.token)).toEqual([])
  return result
}

/** An output's size as GitHub counts it. */
const outputBytes = (text: string | undefined): number => (text ?? '').length * 2

/** The contents of every `<pre>` of the summary. */
const preformatted = (summary: string): string[] =>
  [...summary.matchAll(/<pre>(.*?)<\/pre>/g)].map(match => match[1] ?? '')

describe('the job summary', () => {
  // Seen red against the summary that clipped before escaping: 1.7 MB, which runAction refuses
  // (GitHub would have dropped it whole).
  it('stays under 1 MiB when several runs fail with tracebacks full of quotes, and shows each', async () => {
    const names = ['heavy 1', 'heavy 2', 'heavy 3', 'heavy 4']
    const result = await run({
      notebooks: JSON.stringify(names.map(name => ({ 'notebook-id': 'edge/heavy', name }))),
      artifacts: 'none'
    })
    expect(result.code).toBe(1)
    const { summary } = result
    expect(Buffer.byteLength(summary)).toBeLessThan(1024 * 1024)
    // Every run explained, each with its three cells: a source and a traceback each.
    for (const name of names) expect(summary).toContain(`<h3>${name}</h3>`)
    const blocks = preformatted(summary)
    expect(blocks).toHaveLength(names.length * 3 * 2)
    for (const block of blocks) {
      // Cut by its size as written: whole entities, then the mark.
      expect(Buffer.byteLength(block)).toBeLessThanOrEqual(16 * 1024)
      expect(block).toMatch(/^(&quot;&#39;)+(&quot;)?\.\.\.$/)
    }
    const errors = [...summary.matchAll(/: <code>(ValueError: [^<]*)<\/code><\/p>/g)]
    expect(errors).toHaveLength(names.length * 3)
    for (const [, error] of errors) expect(Buffer.byteLength(error ?? '')).toBeLessThanOrEqual(1000)
  })
})

describe('the runs output', () => {
  // Seen red against the output measured before `'` became `\u0027`: 1.36 MB for these runs.
  it("stays within 1 MB as GitHub counts it with 100 runs whose names and errors are all `'`, every run in it", async () => {
    const names = Array.from({ length: 100 }, (_, i) => `${"'".repeat(90)}${i}`)
    const result = await run({
      notebooks: JSON.stringify(names.map(name => ({ 'notebook-id': 'edge/quoted', name }))),
      artifacts: 'none',
      'max-parallel': '50'
    })
    expect(result.code).toBe(1)
    expect(outputBytes(result.outputs.runs)).toBeLessThanOrEqual(1_000_000)
    const runs = runsOutput(result)
    // Nothing lost: every run, with what collects it later and how it ended.
    expect(runs.map(r => r.name)).toEqual(names)
    for (const entry of runs) {
      expect(entry).toMatchObject({
        'run-id': expect.any(String),
        conclusion: 'failure',
        'failed-cell': 1
      })
    }
    // The errors that fit are whole, the first runs' in entry order; the others are named.
    const kept = runs.filter(r => r.error != null)
    expect(kept.length).toBeGreaterThan(50)
    expect(kept.length).toBeLessThan(names.length)
    expect(runs.slice(0, kept.length)).toEqual(kept)
    for (const entry of kept) expect(entry.error).toMatch(/^ValueError: '{900,}/)
    const warning = result.commands.find(
      c => c.name === 'warning' && c.data.startsWith('The `runs` output leaves out')
    )
    expect(warning?.data).toContain(`the error of ${names.length - kept.length} run(s): `)
  }, 180_000)
})

describe('the values output', () => {
  // Seen red against the budget counted in UTF-8 (256 KiB): the 60,000 characters of "wide" are
  // 180 KB there, and were left out beside "quotes", though GitHub counts them as 120 KB.
  it('keeps to its budget as GitHub counts it, escapes included, and names what it leaves out', async () => {
    const result = await run({ 'notebook-id': 'edge/glued', artifacts: 'none' })
    expect(result.code).toBe(0)
    const values = result.outputs.values ?? ''
    expect(outputBytes(values)).toBeLessThanOrEqual(512 * 1024)
    // 30,000 `'` are 180,000 characters as written (`\u0027`), 360 KB as GitHub counts: "large"
    // (1.2 MB) cannot fit beside them, "wide" (120 KB) can.
    expect(JSON.parse(values)).toEqual({ quotes: "'".repeat(30_000), wide: '数'.repeat(60_000) })
    expect(result.commands).toContainEqual(
      expect.objectContaining({
        name: 'warning',
        data: 'The glued value "large" is not in the `values` output: the `values` output holds at most 512 KiB (as GitHub counts: two bytes a character).'
      })
    )
  })
})
