/**
 * The bundled action reads the executed notebook that the simulator's runs list (real
 * notebooks, executed by Jupyter): why a run failed, what it computed, and nothing more than
 * data, whatever the notebook holds.
 */
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { DataloreSimulator, NotebookSpec, startDataloreSimulator } from '../simulator/datalore.js'
import { executedNotebook, NotebookFixture } from '../simulator/notebooks.js'
import { ActionResult, errorsOf, leaksOf, NODES, runAction, RunOptions } from './support/action.js'
import { gluingNotebook } from './support/notebooks.js'

let sim: DataloreSimulator
let notebooks = 0

beforeAll(async () => {
  sim = await startDataloreSimulator()
})
afterAll(() => sim.close())
afterEach(() => {
  sim.requests.length = 0
  sim.faults.clear()
})

/** A notebook on the simulator whose runs list this executed notebook and a data file. */
function notebookWith(fixture: NotebookFixture | Buffer, spec: NotebookSpec = {}): string {
  const id = `nb/n${++notebooks}`
  const content = Buffer.isBuffer(fixture) ? fixture : executedNotebook(fixture)
  sim.addNotebook(id, {
    durationMs: 100,
    success: typeof fixture === 'string' ? !fixture.startsWith('failure') : true,
    artifacts: [
      { name: 'analysis.ipynb', content },
      { name: 'data.csv', content: 'a,b\n' }
    ],
    ...spec
  })
  return id
}

async function run(
  inputs: Record<string, string>,
  options: RunOptions = {}
): Promise<ActionResult> {
  const result = await runAction(
    {
      host: sim.url,
      token: sim.token,
      'poll-interval-seconds': '0.2',
      artifacts: 'download',
      ...inputs
    },
    options
  )
  expect(leaksOf(result, sim.token)).toEqual([])
  // IPython colours every traceback: none of it reaches the log, the outputs or the summary.
  expect(`${result.stdout}${result.outputFile}${result.summary}`).not.toContain('\u001b')
  return result
}

const annotations = (result: ActionResult, name: string) =>
  result.commands.filter(c => c.name === name)

describe('why it failed', () => {
  it('names the failing cell, its error and traceback: annotation, log group, summary, outputs', async () => {
    const result = await run({ 'notebook-id': notebookWith('failure-deep') })
    expect(result.code).toBe(1)
    expect(result.outputs).toMatchObject({
      conclusion: 'failure',
      success: 'false',
      'failed-cell': '3',
      error: 'ValueError: revenue must not be negative, got -5'
    })
    const [annotation, ...others] = annotations(result, 'error')
    expect(others).toEqual([])
    expect(annotation?.properties).toEqual({ title: 'Datalore run failed in cell 3' })
    expect(annotation?.data).toMatch(/^ValueError: revenue must not be negative, got -5\n\n/)
    // The last lines of the traceback: the frame that raised.
    expect(annotation?.data).toMatch(/raise ValueError\(f"revenue must not be negative/)
    expect(annotation?.data).toMatch(/ValueError: revenue must not be negative, got -5$/)

    const lines = result.stdout.split('\n')
    const start = lines.indexOf('::group::Traceback of cell 3')
    const end = lines.indexOf('::endgroup::', start)
    expect(start).toBeGreaterThan(-1)
    expect(end).toBeGreaterThan(start)
    const group = lines.slice(start + 1, end)
    expect(group.slice(0, 3)).toEqual([
      'Cell 3:',
      '    print("loading")',
      '    load([{"revenue": 10}, {"revenue": -5}])'
    ])
    for (const frame of ['load', 'validate', 'check_revenue']) {
      expect(group.join('\n')).toContain(`in ${frame}(`)
    }

    const summary = result.summary
    expect(summary.indexOf('<h3>Why it failed</h3>')).toBeLessThan(summary.indexOf('<table>'))
    expect(summary).toContain(
      '<p>In cell 3: <code>ValueError: revenue must not be negative, got -5</code></p>'
    )
    expect(summary).toContain('<pre>print(&quot;loading&quot;)&#10;load([{&quot;revenue&quot;')
    expect(summary).toMatch(/in check_revenue\(value\)/)
  })

  it('counts every cell, markdown too, to name the one that failed in the middle', async () => {
    const result = await run({ 'notebook-id': notebookWith('failure-middle') })
    expect(result.outputs).toMatchObject({ 'failed-cell': '8', error: "KeyError: 'US'" })
    expect(annotations(result, 'error').map(a => a.properties.title)).toEqual([
      'Datalore run failed in cell 8'
    ])
  })

  it('prints an error message that holds workflow commands, Markdown and HTML as text', async () => {
    // runAction itself fails the test on any command the action did not mean, and on a
    // summary that is not one HTML block.
    const result = await run({ 'notebook-id': notebookWith('failure-hostile') })
    expect(result.code).toBe(1)
    expect(result.outputs['failed-cell']).toBe('2')
    expect(result.outputs.error).toMatch(/^RuntimeError: bad input ::add-mask::RUNNING ::error /)
    expect(result.stdout).toContain('| ::add-mask::RUNNING')
    expect(result.stdout).toContain('## [error]legacy')
    expect(result.summary).not.toMatch(/<img|<details/)
    const [annotation] = annotations(result, 'error')
    expect(annotation?.data).toContain('::stop-commands::pwned')
  })

  it('explains a failure with artifacts: none, fetching only the notebook and keeping nothing', async () => {
    const result = await run({ 'notebook-id': notebookWith('failure-deep'), artifacts: 'none' })
    expect(result.outputs).toMatchObject({ 'failed-cell': '3' })
    expect(result.outputs['artifacts-path']).toBeUndefined()
    expect(sim.requestsTo('artifact').map(r => r.path)).toEqual([
      expect.stringMatching(/\/analysis\.ipynb$/)
    ])
    const temp = join(result.workDir, 'datalore')
    expect(existsSync(temp) ? readdirSync(temp) : []).toEqual([])
  })

  it('reads nothing, and asks for nothing, with read-notebook: false', async () => {
    const result = await run({
      'notebook-id': notebookWith('failure-deep'),
      artifacts: 'none',
      'read-notebook': 'false'
    })
    expect(sim.requestsTo('artifact')).toEqual([])
    expect(result.outputs['failed-cell']).toBeUndefined()
    expect(errorsOf(result)).toEqual([
      expect.stringMatching(
        /^The notebook run failed \(Datalore run \S+\): see http\S+ for the cells' output\.$/
      )
    ])
  })

  it('says so when the executed notebook of a failed run shows no error', async () => {
    const result = await run({
      'notebook-id': notebookWith('success-values', { success: false })
    })
    expect(errorsOf(result)).toEqual([
      expect.stringMatching(
        /The executed notebook shows no error output: look at the run on Datalore\.$/
      )
    ])
  })

  it('warns, without failing, when a successful run holds an error output', async () => {
    const result = await run({ 'notebook-id': notebookWith('failure-deep', { success: true }) })
    expect(result.code).toBe(0)
    expect(result.outputs['failed-cell']).toBeUndefined()
    expect(annotations(result, 'warning').map(a => a.properties.title)).toEqual([
      'The run succeeded, but cell 3 holds an error'
    ])
  })
})

describe('what it computed', () => {
  it('outputs the glued values with their JSON types, in order, the last glue winning', async () => {
    const result = await run({ 'notebook-id': notebookWith('success-values') })
    expect(result.code).toBe(0)
    const values = result.outputs.values ?? ''
    expect(Object.entries(JSON.parse(values))).toEqual([
      ['accuracy', 0.93],
      ['rows', 3],
      ['region', 'EU'],
      ['months', ['2026-10', '2026-11', '2026-12']],
      ['thresholds', { min: 0.8, note: null, ok: true }],
      ['report', 'Revenue grew 18% over the quarter.']
    ])
    expect(result.summary).toContain('<h3>Values</h3>')
    expect(result.summary).toContain('<tr><td>accuracy</td><td><code>0.93</code></td></tr>')
  })
})

describe('a notebook that cannot be read', () => {
  const cases: Array<[string, Buffer, RegExp]> = [
    [
      'cut short',
      executedNotebook('failure-deep').subarray(0, 2000),
      /it is not JSON, or it is cut short/
    ],
    ['nbformat 3', Buffer.from('{"nbformat": 3, "worksheets": []}'), /it is nbformat 3/],
    ['an HTML page', Buffer.from('<html><body>Sign in</body></html>'), /it is not JSON/]
  ]

  it.each(cases)(
    'gives a notice when it is %s, and changes nothing else',
    async (_what, bytes, reason) => {
      const ok = await run({ 'notebook-id': notebookWith(bytes) })
      expect(ok.code).toBe(0)
      expect(ok.outputs.conclusion).toBe('success')
      const [notice, ...more] = annotations(ok, 'notice')
      expect(more).toEqual([])
      expect(notice?.data).toMatch(/^Could not read the executed notebook "analysis\.ipynb": /)
      expect(notice?.data).toMatch(reason)

      const failed = await run({ 'notebook-id': notebookWith(bytes, { success: false }) })
      expect(failed.code).toBe(1)
      expect(errorsOf(failed)).toEqual([
        expect.stringMatching(/^The notebook run failed \(Datalore run/)
      ])
    }
  )
})

describe('numbers as the notebook wrote them', () => {
  /** 2^64 + 1: a double would make it 18446744073709552000. */
  const BIG = '18446744073709551617'

  // Seen red against the reader that made every number a double: "big" became
  // 18446744073709552000 in `values`, the summary and the page, and 1.0 became 1.
  it.each(NODES)(
    'keeps 2^64 + 1 exact in `values`, the summary and the page, on %s',
    async (_label, node) => {
      const id = notebookWith(
        gluingNotebook([
          ['big', BIG],
          ['nested', `{"n": [${BIG}, 1.0, -0, 1e400]}`]
        ])
      )
      const result = await run({ 'notebook-id': id }, { node })
      expect(result.code).toBe(0)
      expect(result.outputs.values).toBe(`{"big":${BIG},"nested":{"n":[${BIG},1.0,-0,1e400]}}`)
      expect(result.summary).toContain(`<tr><td>big</td><td><code>${BIG}</code></td></tr>`)
      expect(result.summary).toContain(
        `<tr><td>nested</td><td><code>{&quot;n&quot;:[${BIG},1.0,-0,1e400]}</code></td></tr>`
      )
      const page = readFileSync(
        join(result.outputs['artifacts-path'] ?? '', 'analysis.html'),
        'utf8'
      )
      expect(page).toContain(`<tr><td>big</td><td><code>${BIG}</code></td></tr>`)
      expect(page).toContain(`<code>{&quot;n&quot;:[${BIG},1.0,-0,1e400]}</code>`)
    }
  )
})

describe('a token too long to hold', () => {
  let work = ''
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'long-token-'))
  })
  afterAll(() => rmSync(work, { recursive: true, force: true }))

  /** A notebook that glues `data`, where TOKEN stands for `mib` MiB of `unit`, written to a file. */
  function notebookFile(data: string, unit: string, mib: number): string {
    const file = join(work, `${unit}-${mib}.ipynb`)
    const [head, tail] = gluingNotebook([['huge', data]])
      .toString()
      .split('TOKEN')
    appendFileSync(file, head ?? '')
    const piece = unit.repeat(1024 * 1024)
    for (let i = 0; i < mib; i++) appendFileSync(file, piece)
    appendFileSync(file, tail ?? '')
    return file
  }

  // The action runs with 64 MiB of heap: a token of 96 MiB cannot be held whole there, so an
  // end in order shows that none is. Seen red against the tokenizer that packed keys and
  // numbers whole: the process aborted (SIGABRT, out of memory) with no conclusion, no outputs
  // and no summary.
  it.each([
    ['number', 'TOKEN', '9'],
    ['key', '{"TOKEN": 1}', 'k']
  ])(
    'ends a %s of 96 MiB with a notice naming the notebook, not a crash',
    async (what, data, unit) => {
      const id = `nb/n${++notebooks}`
      sim.addNotebook(id, {
        durationMs: 100,
        artifacts: [
          { name: 'analysis.ipynb', file: notebookFile(data, unit, 96) },
          { name: 'data.csv', content: 'a,b\n' }
        ]
      })
      const result = await run(
        { 'notebook-id': id },
        { nodeArgs: ['--max-old-space-size=64'], killAfterMs: 120_000 }
      )
      expect(result.signal).toBeNull()
      expect(result.code).toBe(0)
      expect(result.outputs.conclusion).toBe('success')
      expect(annotations(result, 'notice').map(n => n.data)).toEqual([
        `Could not read the executed notebook "analysis.ipynb": it holds a ${what} of more than 262144 characters, which no notebook writer makes. The step's result does not depend on it.`
      ])
      expect(result.summary).toContain('<h2>✅ Datalore run succeeded</h2>')
    },
    150_000
  )
})
