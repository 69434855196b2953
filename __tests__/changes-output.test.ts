/**
 * What a run's comparison with its baseline gives a workflow: the `changes` and `changed-count`
 * outputs (src/changes-output.ts, src/outputs.ts), within an output's 1 MB as GitHub counts it,
 * and the verdict of `fail-on-change` (src/fail-on-change.ts): one annotation that names each
 * changed value with both numbers, bounded and inert whatever the names hold.
 *
 * Each test names the mutation of the product it was seen red against.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { changesJson } from '../src/changes-output.js'
import { judgeChanges } from '../src/fail-on-change.js'
import type { ManyOutcome, Outcome } from '../src/outcome.js'
import { outputWriter } from '../src/outputs.js'
import { captureStdout } from './support/capture.js'
import { comparisonOf } from './support/comparison.js'
import { hostile } from './support/hostile.js'
import { useOutputFile } from './support/output-file.js'
import { foreignCommands, parseWorkflowCommands } from './support/workflow-commands.js'

const written = useOutputFile()
afterEach(() => {
  process.exitCode = undefined
})

const outcome: Outcome = { host: 'h', mode: 'run', updateReport: 'never', conclusion: 'success' }

describe('the changes output', () => {
  // Seen red against entries written with writeJson's habit of leaving out what is undefined
  // (an added value had no `baseline`), values written through Number (0.870 became 0.87 and
  // the big integer 18446744073709552000), and entries without shellInert (`$(` reached the
  // output).
  it('gives every entry all seven keys, numbers exact, shell-inert, and counts the changed', () => {
    const comparison = comparisonOf({
      before: '{"rows": 18446744073709551617, "acc": 0.930, "$(id)": "a", "gone": [1, 2]}',
      after: '{"rows": 18446744073709551618, "acc": 0.870, "$(id)": "a", "new": null}',
      tolerance: 'rows: rtol=0'
    })
    captureStdout(() => outputWriter().writeAll({ ...outcome, comparison }))
    const { changes, 'changed-count': count } = written()
    expect(changes).toBe(
      '[{"name":"rows","path":"rows","status":"changed","baseline":18446744073709551617,"value":18446744073709551618,"change":1,"relative":5.421010862427522e-20},' +
        '{"name":"acc","path":"acc","status":"changed","baseline":0.930,"value":0.870,"change":-0.06,"relative":-0.06451612903225806},' +
        '{"name":"\\u0024\\u0028id\\u0029","path":"[\\"\\u0024\\u0028id\\u0029\\"]","status":"unchanged","baseline":"a","value":"a","change":null,"relative":null},' +
        '{"name":"new","path":"new","status":"added","baseline":null,"value":null,"change":null,"relative":null},' +
        '{"name":"gone","path":"gone[0]","status":"removed","baseline":1,"value":null,"change":null,"relative":null},' +
        '{"name":"gone","path":"gone[1]","status":"removed","baseline":2,"value":null,"change":null,"relative":null}]'
    )
    expect(count).toBe('4')
    expect(JSON.parse(changes ?? '')).toHaveLength(6)
  })

  // Seen red against a changesJson that kept entries in order while they fit (unchanged ones
  // took the room), one that left out within-tolerance entries before unchanged ones, and one
  // that left out added entries before within-tolerance ones.
  it('leaves out the unchanged first, then those within tolerance, then the added, with a warning', () => {
    const pad = 'p'.repeat(200)
    const set = (value: (i: number) => string): string =>
      `{${Array.from({ length: 12 }, (_, i) => `"v${i}": ${value(i)}`).join(', ')}}`
    const comparison = comparisonOf({
      before: set(i => (i < 4 ? `"${pad}"` : i < 8 ? '1' : i < 11 ? '5' : '1')),
      after: `${set(i => (i < 4 ? `"${pad}"` : i < 8 ? '1.0000000001' : i < 11 ? '5' : '2')).slice(0, -1)}, "extra": "${pad}"}`
    })
    // v0-v3 unchanged (long), v4-v7 within tolerance, v8-v10 unchanged, v11 changed, extra added.
    const statuses = comparison.changes.map(c => c.status)
    expect(statuses.filter(s => s === 'unchanged')).toHaveLength(7)
    const sizes = (statusesKept: string[]): number =>
      comparison.changes
        .filter(c => statusesKept.includes(c.status))
        .reduce((sum, c) => sum + changesJson([c], 1e9, 'x').length * 2, 0)
    // Room for the changed, added and within-tolerance entries, not for the unchanged.
    const room = sizes(['changed', 'added', 'within-tolerance']) + 40
    let json = ''
    const stdout = captureStdout(() => {
      json = changesJson(comparison.changes, room, 'The `changes` output')
    })
    const kept = JSON.parse(json) as Array<{ path: string; status: string }>
    expect(kept.map(c => c.path)).toEqual(['v4', 'v5', 'v6', 'v7', 'v11', 'extra'])
    expect(json.length * 2).toBeLessThanOrEqual(room)
    expect(parseWorkflowCommands(stdout).map(c => [c.name, c.data])).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^The `changes` output leaves out 7 unchanged entries: an output holds at most/
        )
      ]
    ])
    // Less room: the within-tolerance entries go too, then the added one, never the changed.
    const paths = (maxBytes: number): string[] => {
      let text = ''
      captureStdout(() => {
        text = changesJson(comparison.changes, maxBytes, 'x')
      })
      return (JSON.parse(text) as Array<{ path: string }>).map(c => c.path)
    }
    expect(paths(sizes(['changed', 'added']) + 10)).toEqual(['v11', 'extra'])
    expect(paths(sizes(['changed']) + 10)).toEqual(['v11'])
  })

  // Seen red against a `runs` output that put the runs' changes after their values (the values
  // of the first runs took the room of the last run's changes).
  it('gives each run of `runs` its own changes and changed-count, the changes before the values', () => {
    const big = `{"x": "${'v'.repeat(150_000)}"}`
    const comparison = comparisonOf({ before: '{"a": 1, "b": 2}', after: '{"a": 1, "b": 3}' })
    const many: ManyOutcome = {
      mode: 'many',
      host: 'h',
      runs: Array.from({ length: 4 }, (_, i) => ({
        ...outcome,
        name: `run ${i}`,
        runId: `r${i}`,
        comparison,
        values: { json: big, entries: [['x', 'v']], leftOut: [] }
      }))
    }
    const stdout = captureStdout(() => outputWriter().writeAll(many))
    const runs = JSON.parse(written().runs ?? '') as Array<Record<string, unknown>>
    expect(
      runs.map(r => [r['changed-count'], (r.changes as unknown[] | undefined)?.length])
    ).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
      [1, 2]
    ])
    expect(runs.map(r => r.values != null)).toEqual([true, true, true, false])
    expect(stdout).toContain('leaves out the values of 1 run(s): "run 3".')
    expect(written().changes).toBeUndefined()
  })
})

describe('fail-on-change', () => {
  const changed = comparisonOf({
    before: '{"acc": 0.93, "rows": 18446744073709551617, "s": "EU", "gone": 1, "same": 1}',
    after: '{"acc": 0.87, "rows": 18446744073709551618, "s": "US", "new": 2, "same": 1}',
    tolerance: 'rows: rtol=0'
  })

  // Seen red against a verdict that failed on added values, one that named the values without
  // their numbers, and one that failed with `fail-on-change: false`.
  it('fails the step with one annotation naming each changed or removed value and both numbers', () => {
    const run: Outcome = { ...outcome, comparison: changed }
    const stdout = captureStdout(() => judgeChanges(run, true))
    const commands = parseWorkflowCommands(stdout)
    expect(commands.map(c => [c.name, c.properties.title])).toEqual([['error', 'Values changed']])
    expect(commands[0]?.data).toBe(
      [
        '4 value(s) changed or removed beyond their tolerance since the baseline (workflow run 12000000042 on "main", commit 0123456), and `fail-on-change` is true:',
        'acc: 0.93 -> 0.87, -0.06 (-6.45%)',
        'rows: 18446744073709551617 -> 18446744073709551618, +1 (+5.42e-18%)',
        's: "EU" -> "US"',
        'gone: removed (was 1)'
      ].join('\n')
    )
    expect(process.exitCode).toBe(1)
    expect(run.conclusion).toBe('failure')
    expect(run.problem).toBe(
      '4 value(s) changed or removed beyond their tolerance (`fail-on-change`): "acc", "rows", "s", "gone".'
    )
    process.exitCode = undefined
    const added: Outcome = {
      ...outcome,
      comparison: comparisonOf({ before: '{"a": 1}', after: '{"a": 1, "b": 2}' })
    }
    expect(parseWorkflowCommands(captureStdout(() => judgeChanges(added, true)))).toEqual([])
    const notAsked: Outcome = { ...outcome, comparison: changed }
    expect(parseWorkflowCommands(captureStdout(() => judgeChanges(notAsked, false)))).toEqual([])
    expect(process.exitCode).toBeUndefined()
    expect(notAsked.conclusion).toBe('success')
  })

  // Seen red against a verdict that listed every change (10,000 lines), and one that made the
  // step `failure` after it had timed out.
  it('is bounded, says how many more, and keeps a worse conclusion', () => {
    const set = (offset: number): string =>
      `{"m": [${Array.from({ length: 10_000 }, (_, i) => i + offset).join(',')}]}`
    const run: Outcome = {
      ...outcome,
      conclusion: 'timed_out',
      comparison: comparisonOf({ before: set(0), after: set(1) })
    }
    const [error] = parseWorkflowCommands(captureStdout(() => judgeChanges(run, true)))
    expect(error?.data.length).toBeLessThanOrEqual(4_000)
    expect(error?.data).toMatch(
      /\nm\[\d+\]: \d+ -> \d+, \+1 \(\+[\d.e+-]+%\)\n\.\.\. and \d+ more: see the job summary, or the `changes` output\.$/
    )
    expect(run.conclusion).toBe('timed_out')
  })

  // Seen red against a verdict that passed over values not compared in silence (no warning),
  // and one that let them pass `fail-on-change`.
  it('never passes values that were not compared in silence; with fail-on-change they fail it', () => {
    const deep = `${'['.repeat(70)}1${']'.repeat(70)}`
    const comparison = comparisonOf({
      before: `{"deep": ${deep}, "a": 1}`,
      after: '{"deep": 1, "a": 1}'
    })
    expect(comparison.notCompared.map(n => n.name)).toEqual(['deep'])
    const warned = parseWorkflowCommands(
      captureStdout(() => judgeChanges({ ...outcome, comparison }, false))
    )
    expect(warned.map(c => [c.name, c.properties.title])).toEqual([
      ['warning', 'Values not compared']
    ])
    expect(warned[0]?.data).toContain(
      '1 value(s) were not compared with the baseline (workflow run 12000000042 on "main", commit 0123456): "deep" (it is nested deeper than 64 levels). A change in them goes unseen.'
    )
    const run: Outcome = { ...outcome, comparison }
    const failed = parseWorkflowCommands(captureStdout(() => judgeChanges(run, true)))
    expect(failed.map(c => [c.name, c.properties.title])).toEqual([
      ['error', 'Values not compared']
    ])
    expect(run.conclusion).toBe('failure')
  })

  // Seen red against a verdict that printed the changed values as lines of the log straight
  // through @actions/core (a name's `::add-mask::` and `##[` became commands). Not against
  // unquoted names alone: the annotation is one command, whose data the runner never reads as
  // another; the quotes keep it readable.
  it('keeps hostile names and values inert: one annotation, nothing else the runner would act on', () => {
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 1, maxLength: 4 }), names => {
        const entries = (value: (i: number) => string): string =>
          `{${names.map((name, i) => `${JSON.stringify(`${name}${i}`)}: ${value(i)}`).join(', ')}}`
        const run: Outcome = {
          ...outcome,
          comparison: comparisonOf({
            before: entries(i => JSON.stringify(names[i])),
            after: entries(i => String(i))
          })
        }
        const stdout = captureStdout(() => judgeChanges(run, true))
        expect(foreignCommands(stdout, [])).toEqual([])
        expect(parseWorkflowCommands(stdout).map(c => c.name)).toEqual(['error'])
      })
    )
  })
})
