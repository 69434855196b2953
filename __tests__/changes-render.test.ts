/**
 * What shows a run's comparison with its baseline, piece by piece: the path a leaf is named by
 * (src/compare/paths.ts, one for the comparison and the history), the table model
 * (src/compare/show.ts), each number's history (src/compare/series.ts), the Mermaid charts
 * (src/compare/mermaid.ts), the job summary's section (src/summary-changes.ts) and the page's
 * (src/page/changes.ts, src/page/sparkline.ts).
 *
 * Each test names the mutation of the product it was seen red against.
 */
import { describe, expect, it } from '@jest/globals'
import { HtmlRenderer, Parser } from 'commonmark'
import fc from 'fast-check'
import { numericLeaves } from '../src/baseline/values-file.js'
import { mermaidChart, plainDecimal } from '../src/compare/mermaid.js'
import { pathText } from '../src/compare/paths.js'
import { chartedSeries, MAX_POINTS, seriesByPath, type Series } from '../src/compare/series.js'
import { changeRow, changeTable, countsLine, percent } from '../src/compare/show.js'
import { compareValues } from '../src/compare/values.js'
import { JsonNumber } from '../src/notebook/json-value.js'
import type { ManyOutcome, Outcome } from '../src/outcome.js'
import { pageHead } from '../src/page/template.js'
import { MAX_SUMMARY_BYTES, renderSummary } from '../src/summary.js'
import { comparisonOf, glued } from './support/comparison.js'
import { HOSTILE_NAMES } from './support/hostile.js'
import { holdsItsShape, summaryBlocks, summaryCharts } from './support/summary-shape.js'

const SHA = (digit: string): string => digit.repeat(40)

describe('a path as text', () => {
  // Seen red against a pathText that wrote an index as `.0` (both tests, and the series test
  // below), and one that wrote every name as a key (".metrics.f1").
  it('writes a history leaf as the comparison names it', () => {
    expect(pathText(['metrics', 'f1'])).toBe('metrics.f1')
    expect(pathText(['matrix', 0, 1])).toBe('matrix[0][1]')
    expect(pathText(['my value'])).toBe('["my value"]')
    expect(pathText(['m', 'a.b', 2, 'ü'])).toBe('m["a.b"][2].ü')
  })

  it('names every number of a value set as the comparison does, whatever the set', () => {
    const toJson = (value: unknown): string => JSON.stringify(value)
    const set = fc
      .dictionary(
        fc.oneof(fc.constantFrom('a', 'x y', '0', 'a.b', '"', '['), fc.string({ maxLength: 5 })),
        fc.jsonValue({ maxDepth: 4 }),
        { maxKeys: 5 }
      )
      .map(toJson)
    fc.assert(
      fc.property(set, json => {
        const values = glued(json)
        const compared = compareValues(values, values).changes.filter(
          change => change.value instanceof JsonNumber
        )
        expect(numericLeaves(values).map(leaf => pathText(leaf.path))).toEqual(
          compared.map(change => change.path)
        )
      })
    )
  })
})

describe('the table model', () => {
  const comparison = comparisonOf({
    before: '{"a": 1, "b": "x", "c": 1.0, "d": 5, "e": 2, "gone": [1, 2]}',
    after: '{"e": 3, "a": 1, "b": "y", "c": 1.0000000000001, "d": 5, "new": 0}'
  })

  // Seen red against changeTable listing rows in the comparison's order (the within-tolerance
  // and added rows before the removed ones), and one that kept the unchanged rows in the table
  // (and left the changed out).
  it('lists what changed first, then removed, added, within tolerance; the unchanged folded', () => {
    const { shown, folded, counts } = changeTable(comparison)
    expect(shown.map(c => [c.path, c.status])).toEqual([
      ['e', 'changed'],
      ['b', 'changed'],
      ['gone[0]', 'removed'],
      ['gone[1]', 'removed'],
      ['new', 'added'],
      ['c', 'within-tolerance']
    ])
    expect(folded.map(c => c.path)).toEqual(['a', 'd'])
    expect(counts).toEqual({
      changed: 2,
      removed: 2,
      added: 1,
      'within-tolerance': 1,
      unchanged: 2
    })
    expect(countsLine(comparison)).toBe(
      '2 changed · 2 removed · 1 added · 1 within tolerance · 2 unchanged'
    )
  })

  // Seen red against a changeRow that wrote the change without its sign (`-0.06` stayed, `2.5`
  // lost its `+`), and one that gave a percentage against a baseline of 0 (`+2.5 (0%)`).
  it('says each row in words and numbers, exactly as written', () => {
    const rows = comparisonOf({
      before: '{"acc": 0.93, "zero": 0, "big": 18446744073709551617, "s": "EU", "n": null}',
      after: '{"acc": 0.87, "zero": 2.5, "big": 18446744073709551618, "s": 3, "m": [1]}',
      tolerance: 'zero: atol=5'
    }).changes.map(c => changeRow(c))
    expect(rows).toEqual([
      { path: 'acc', baseline: '0.93', value: '0.87', change: 'changed: -0.06 (-6.45%)' },
      { path: 'zero', baseline: '0', value: '2.5', change: 'within tolerance: +2.5' },
      {
        path: 'big',
        baseline: '18446744073709551617',
        value: '18446744073709551618',
        change: 'within tolerance: +1 (+5.42e-18%)'
      },
      { path: 's', baseline: '"EU"', value: '3', change: 'changed' },
      { path: 'm[0]', baseline: undefined, value: '1', change: 'added' },
      { path: 'n', baseline: 'null', value: undefined, change: 'removed' }
    ])
    expect(changeRow(comparison.changes[0] as never, 3).value).toBe('3')
    const long = comparisonOf({ before: '{"t": "a"}', after: `{"t": "${'b'.repeat(50)}"}` })
    expect(changeRow(long.changes[0] as never, 10).value).toBe('"bbbbbbbbb...')
  })

  it.each([
    [-0.0645161, '-6.45%'],
    [0.5, '+50%'],
    [0, '0%'],
    [123456, '+1.23e+7%'],
    [1e-9, '+1.00e-7%']
  ])('percent(%p) is %p', (relative, text) => {
    expect(percent(relative)).toBe(text)
  })
})

describe('the history of each number', () => {
  const history = [
    { sha: SHA('a'), values: '{"acc": 0.91, "m": {"x y": [1, 2]}, "gone": 1}' },
    { sha: SHA('b'), values: '{"acc": 1e999, "m": {"x y": [1, 3]}}' },
    { sha: 'not a commit', values: '{"acc": 0.93, "m": {"x y": [1, 4]}}' }
  ]

  // Seen red against a seriesByPath that matched history leaves by name alone (m's two items
  // were one series), and one that kept an earlier point that is not finite.
  it("takes each number's earlier values by path, leaves out what is not finite, this run last", () => {
    const series = seriesByPath(
      comparisonOf({
        before: '{"acc": 0.93, "m": {"x y": [1, 4]}}',
        after: '{"acc": 0.87, "m": {"x y": [1, 5]}, "s": "t", "new": 7}',
        history
      })
    )
    expect([...series.keys()]).toEqual(['acc', 'm["x y"][0]', 'm["x y"][1]'])
    expect(series.get('acc')?.points).toEqual([
      { label: 'aaaaaaa', value: 0.91 },
      { label: '?', value: 0.93 },
      { label: 'this run', value: 0.87 }
    ])
    expect(series.get('m["x y"][1]')?.points.map(p => p.value)).toEqual([2, 3, 4, 5])
    expect(series.get('new')).toBeUndefined()
  })

  // Seen red against a seriesByPath that kept every entry of a long history (1,001 points).
  it('draws at most the newest MAX_POINTS runs', () => {
    const long = Array.from({ length: 1000 }, (_, i) => ({ sha: SHA('c'), values: `{"v": ${i}}` }))
    const points =
      seriesByPath(comparisonOf({ before: '{"v": 999}', after: '{"v": 1000}', history: long })).get(
        'v'
      )?.points ?? []
    expect(points).toHaveLength(MAX_POINTS)
    expect(points.map(p => p.value).slice(-2)).toEqual([999, 1000])
  })

  // Seen red against a chartedSeries that sorted by history alone (the changed value with the
  // shortest history was left out), and one that ignored its maximum.
  it('charts the changed values first, then those with the longest history, at most six', () => {
    const values = (i: number, extra = ''): string =>
      `{${Array.from({ length: 8 }, (_, k) => `"v${k}": ${k}`).join(', ')}${extra}${i < 0 ? '' : ''}}`
    const entries = [
      { sha: SHA('1'), values: values(0) },
      { sha: SHA('2'), values: values(0, ', "w": 1') },
      { sha: SHA('3'), values: values(0, ', "w": 1') }
    ]
    const comparison = comparisonOf({
      before: values(0, ', "w": 1'),
      after: `{"v0": 0, "v1": 1, "v2": 2, "v3": 3, "v4": 4, "v5": 5, "v6": 6, "v7": 99, "w": 1}`,
      history: entries
    })
    const charted = chartedSeries(comparison)
    expect(charted.map(s => s.path)).toEqual(['v7', 'v0', 'v1', 'v2', 'v3', 'v4'])
    const shortHistory = comparisonOf({
      before: '{"a": 1, "b": 1}',
      after: '{"a": 1, "b": 2}',
      history: [
        { sha: SHA('1'), values: '{"a": 1}' },
        { sha: SHA('2'), values: '{"a": 1, "b": 1}' },
        { sha: SHA('3'), values: '{"a": 1, "b": 1}' }
      ]
    })
    expect(chartedSeries(shortHistory, 1).map(s => s.path)).toEqual(['b'])
    expect(chartedSeries(shortHistory).map(s => s.path)).toEqual(['b', 'a'])
  })
})

describe('a Mermaid chart', () => {
  const series = (path: string, values: number[], labels?: string[]): Series => ({
    path,
    status: 'changed',
    points: values.map((value, i) => ({ label: labels?.[i] ?? `${i}aaaaaa`, value }))
  })

  // Seen red against a chart that wrote numbers with String() (1e-7 has an exponent, which the
  // chart's grammar does not take) and one without its scale (1e15 written whole).
  it('writes plain decimals, scaled by a power of ten when they are too large or too small', () => {
    expect(mermaidChart(series('metrics.f1', [0.91, 0.93, 0.87]), 1)).toBe(
      '\n```mermaid\nxychart-beta\n  title "1. metrics.f1"\n  x-axis ["0aaaaaa", "1aaaaaa", "2aaaaaa"]\n  y-axis "value"\n  line [0.91, 0.93, 0.87]\n```\n'
    )
    expect(mermaidChart(series('t', [1e-7, 2e-7, 3.5e-7]), 2)).toContain(
      '  y-axis "value x 1e-9"\n  line [100, 200, 350]\n'
    )
    expect(mermaidChart(series('t', [1e15, -2e15, 1e-3]), 3)).toContain(
      '  y-axis "value x 1e15"\n  line [1, -2, 0.000000000000000001]\n'
    )
  })

  // Seen red against labels written as they came (two equal commits drew one point).
  it('makes labels unique', () => {
    expect(mermaidChart(series('v', [1, 2, 3], ['abc1234', 'abc1234', 'this run']), 1)).toContain(
      'x-axis ["abc1234", "abc1234 2", "this run"]'
    )
  })

  // Seen red against a title that kept the path as it was (the fence ended early, `%%{init}%%`
  // and `click` reached the chart), and one that reduced it but kept `"` and `:`.
  it('reduces a hostile path to plain characters: no fence, directive, statement or link', () => {
    const hostile = [
      '```\n%%{init: {"theme": "dark"}}%%\nclick x href "javascript:alert(1)"',
      '</details><!-- -->',
      '![x](https://tracker.example/p.png) @org/team ; line [1]'
    ]
    for (const path of hostile) {
      const chart = mermaidChart(series(path, [1, 2, 3]), 4) ?? ''
      const [title] = chart.split('\n').filter(line => line.startsWith('  title '))
      expect(title).toMatch(/^ {2}title "4\. [A-Za-z0-9 _.[\]-]*"$/)
      expect(chart.match(/`/g)).toHaveLength(6)
      expect(chart).not.toMatch(/%|;|:|<|>|!/)
      expect(chart.split('\n')).toHaveLength(9)
      const document = new Parser().parse(`<p>x</p>\n${chart}\n<p>y</p>`)
      const blocks: string[] = []
      for (let node = document.firstChild; node != null; node = node.next) blocks.push(node.type)
      expect(blocks).toEqual(['html_block', 'code_block', 'html_block'])
    }
  })

  // Seen red against plainDecimal returning String(value) (exponents for 1e-7 and 1e21).
  it('writes any double as a plain decimal, close to it', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), value => {
        const text = plainDecimal(value)
        expect(text).toMatch(/^-?\d+(\.\d+)?$/)
        if (Math.abs(value) >= 1e-4 && Math.abs(value) < 1e12) {
          expect(Math.abs(Number(text) - value)).toBeLessThanOrEqual(Math.abs(value) * 1e-11)
        }
      })
    )
  })
})

const outcome: Outcome = {
  host: 'https://dl.example.com',
  mode: 'run',
  notebookId: 'team/nb',
  runId: 'r1',
  conclusion: 'success',
  success: true,
  updateReport: 'never'
}

/** The summary as GitHub shows it, from the Markdown renderer's HTML. */
const rendered = (summary: string): string => new HtmlRenderer().render(new Parser().parse(summary))

describe("the job summary's comparison", () => {
  const history = [
    { sha: SHA('1'), values: '{"acc": 0.95, "rows": 10, "note": "a"}' },
    { sha: SHA('2'), values: '{"acc": 0.93, "rows": 10, "note": "a"}' }
  ]

  // Seen red against a section without the details fold (the unchanged rows in the table), one
  // whose baseline line had no link, and a model that kept the unchanged rows in the table.
  it('links the baseline run, counts, lists what changed first and folds the rest', () => {
    const summary = renderSummary({
      ...outcome,
      comparison: comparisonOf({
        before: '{"acc": 0.93, "rows": 10, "note": "a"}',
        after: '{"acc": 0.87, "rows": 10, "note": "a"}',
        history
      })
    })
    expect(summary).toContain(
      [
        '<h3>Compared with <code>main</code></h3>',
        '<p>Baseline: <a href="https://github.com/octo-org/notebooks/actions/runs/12000000042">workflow run 12000000042</a> on <code>main</code>, commit <code>0123456</code>, 2026-03-04 05:06 UTC.</p>',
        '<p>1 changed · 0 removed · 0 added · 0 within tolerance · 2 unchanged</p>',
        '<table><tr><th>Value</th><th>Baseline</th><th>This run</th><th>Change</th></tr><tr><td><code>acc</code></td><td><code>0.93</code></td><td><code>0.87</code></td><td>changed: -0.06 (-6.45%)</td></tr></table>',
        '<details><summary>2 unchanged</summary>',
        '<table><tr><th>Value</th><th>Baseline</th><th>This run</th><th>Change</th></tr><tr><td><code>rows</code></td><td><code>10</code></td><td><code>10</code></td><td>unchanged</td></tr><tr><td><code>note</code></td><td><code>&quot;a&quot;</code></td><td><code>&quot;a&quot;</code></td><td>unchanged</td></tr></table>',
        '</details>'
      ].join('\n')
    )
    expect(holdsItsShape(summary)).toBe(true)
    expect(summaryCharts(summary)).toEqual([
      'xychart-beta\n  title "1. acc"\n  x-axis ["1111111", "2222222", "this run"]\n  y-axis "value"\n  line [0.95, 0.93, 0.87]\n',
      'xychart-beta\n  title "2. rows"\n  x-axis ["1111111", "2222222", "this run"]\n  y-axis "value"\n  line [10, 10, 10]\n'
    ])
    expect(summary).toContain(
      '<p>1. <code>acc</code>, changed: its last 3 runs, this one last.</p>'
    )
  })

  // Seen red against MIN_POINTS 2: the baseline alone counted as a history (a chart of two points).
  it('draws no chart when the baseline carries no history', () => {
    const summary = renderSummary({
      ...outcome,
      comparison: comparisonOf({
        before: '{"acc": 0.93}',
        after: '{"acc": 0.87}',
        history: [{ sha: SHA('2'), values: '{"acc": 0.93}' }]
      })
    })
    expect(summary).toContain('<h3>Compared with <code>main</code></h3>')
    expect(summaryCharts(summary)).toEqual([])
    expect(summaryBlocks(summary)).toEqual(['html_block'])
  })

  // Seen red against a section per run with six charts each (twelve), and one that numbered the
  // second run's charts from 1 again.
  it('draws at most six charts for a step of several runs, numbered across them', () => {
    const many: ManyOutcome = {
      mode: 'many',
      host: 'h',
      conclusion: 'success',
      runs: ['sales', 'churn'].map(name => ({
        ...outcome,
        name,
        comparison: comparisonOf({
          before: '{"a": 1, "b": 2, "c": 3, "d": 4}',
          after: '{"a": 1, "b": 2, "c": 3, "d": 5}',
          history: [
            { sha: SHA('1'), values: '{"a": 1, "b": 2, "c": 3, "d": 4}' },
            { sha: SHA('2'), values: '{"a": 1, "b": 2, "c": 3, "d": 4}' }
          ]
        })
      }))
    }
    const summary = renderSummary(many)
    expect(holdsItsShape(summary)).toBe(true)
    expect(summary).toContain('<h3>sales: compared with <code>main</code></h3>')
    expect(summary).toContain('<h3>churn: compared with <code>main</code></h3>')
    expect(
      summaryCharts(summary).map(chart => /title "(\d+)\. (\w+)"/.exec(chart)?.slice(1))
    ).toEqual([
      ['1', 'd'],
      ['2', 'a'],
      ['3', 'b'],
      ['4', 'c'],
      ['5', 'd'],
      ['6', 'a']
    ])
  })

  // Seen red against rows written without `text` (the names' markup reached the HTML, and
  // `</details>` closed the fold early), and a title that kept the name.
  it('keeps hostile names and values inert in the table, the fold and the charts', () => {
    const names = HOSTILE_NAMES
    const set = (value: (i: number) => string): string =>
      `{${names.map((name, i) => `${JSON.stringify(name)}: ${value(i)}`).join(', ')}}`
    const summary = renderSummary({
      ...outcome,
      comparison: comparisonOf({
        before: set(i => String(i)),
        after: set(i => [String(i + 1), JSON.stringify(names[i]), String(i)][i % 3] ?? ''),
        history: [
          { sha: SHA('1'), values: set(i => String(i)) },
          { sha: SHA('2'), values: set(i => String(i)) }
        ]
      })
    })
    expect(holdsItsShape(summary)).toBe(true)
    // Six of this run's seven numbers, each title reduced to plain characters (the shape
    // rule checks them).
    expect(summaryCharts(summary)).toHaveLength(6)
    const html = rendered(summary)
    expect(html).not.toMatch(/<img|<h1|<!--|href="javascript|tracker\.example\/p\.png"/)
    // The fold closes where the action closes it: once, after its table.
    expect(summary.match(/<\/details>/g)).toHaveLength(1)
    expect(summary).toContain('<code>[&quot;&lt;/details&gt;&quot;]</code>')
    expect(summary).toContain('<code>[&quot;![x](https://tracker.example/p.png)&quot;]</code>')
  })

  // Seen red against a SummaryBlocks that kept every block (a step of 20 such runs made a
  // summary of 1.2 MB, which GitHub drops whole).
  it('stays within its budget and its shape with 10,000 changed leaves, in one run and in twenty', () => {
    const leaves = (value: (i: number) => string): string =>
      `{${Array.from({ length: 10_000 }, (_, i) => `"${'<n>'.repeat(100)}${i}": ${value(i)}`).join(',')}}`
    const before = leaves(i => `"${'\\"'.repeat(60)}${i}"`)
    const after = leaves(i => String(i))
    const comparison = comparisonOf({
      before,
      after,
      history: [
        { sha: SHA('1'), values: after },
        { sha: SHA('2'), values: after }
      ]
    })
    const one = renderSummary({ ...outcome, comparison })
    expect(Buffer.byteLength(one)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES)
    expect(holdsItsShape(one)).toBe(true)
    expect(one).toContain(
      '<p>10000 changed · 0 removed · 0 added · 0 within tolerance · 0 unchanged</p>'
    )
    expect(one).toContain("<p>... and 9900 more: see the step's <code>changes</code> output.</p>")
    const many = renderSummary({
      mode: 'many',
      host: 'h',
      conclusion: 'success',
      runs: Array.from({ length: 20 }, (_, i) => ({ ...outcome, name: `run ${i}`, comparison }))
    })
    expect(Buffer.byteLength(many)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES)
    expect(holdsItsShape(many)).toBe(true)
    expect(many).toMatch(
      /<p>\.\.\. and \d+ more part\(s\) left out: GitHub shows a step's summary only up to 1 MiB/
    )
  })
})

describe("the page's comparison", () => {
  const facts = {
    name: 'analysis.ipynb',
    runId: 'r1',
    success: true,
    comparison: comparisonOf({
      before: '{"acc": 0.93, "rows": 10, "gone": 1, "big": 1}',
      after: '{"acc": 0.87, "rows": 10, "big": 1e999, "</td><script>": "<img src=x>"}',
      history: [
        { sha: SHA('1'), values: '{"acc": 0.95, "rows": 10, "big": 3}' },
        { sha: SHA('2'), values: '{"acc": "x", "rows": 10, "big": 2}' },
        { sha: SHA('3'), values: '{"acc": 0.93, "rows": 10, "gone": 1, "big": 1}' }
      ]
    })
  }

  // Seen red against a header without the section, rows written without escaping, and a series
  // for a value whose number this run is not finite (`big`, 1e999: a line through Infinity).
  it('shows the same rows, escaped, with a sparkline of each number that has a history', () => {
    const html = pageHead(facts)
    const section = html.slice(html.indexOf('<h2>Compared with'), html.indexOf('</header>'))
    expect(section).toContain(
      '<p>Baseline: <a href="https://github.com/octo-org/notebooks/actions/runs/12000000042">workflow run 12000000042</a> on <code>main</code>, commit <code>0123456</code>, 2026-03-04 05:06 UTC. 2 changed · 1 removed · 1 added · 0 within tolerance · 1 unchanged</p>'
    )
    const rows = [...section.matchAll(/<tr>(<td>.*?)<\/tr>/g)].map(([, row]) =>
      [...(row ?? '').matchAll(/<td>(.*?)<\/td>/g)].map(([, cell]) => cell ?? '')
    )
    expect(rows.map(([path, , , change]) => [path, change])).toEqual([
      ['<code>acc</code>', 'changed: -0.06 (-6.45%)'],
      ['<code>big</code>', 'changed'],
      ['<code>gone</code>', 'removed'],
      ['<code>[&quot;&lt;/td&gt;&lt;script&gt;&quot;]</code>', 'added'],
      ['<code>rows</code>', 'unchanged']
    ])
    expect(section).not.toMatch(/<script|<img/)
    const sparks = rows.map(([, , , , history]) => history ?? '')
    expect(sparks.map(s => s.startsWith('<svg class="spark"'))).toEqual([
      true,
      false,
      false,
      false,
      true
    ])
    expect(sparks[0]).toContain('aria-label="3 runs, from 0.95 to 0.87"')
    expect(sparks[0]).toContain('points="3,3 60,7.5 117,21"')
    expect(section).not.toContain('NaN')
    expect(section).toContain('<details><summary>1 unchanged</summary>')
  })
})
