/**
 * The list outputs stay within what GitHub keeps of a job's outputs, measured as GitHub measures
 * it (UTF-16: two bytes a character), and a list that is cut says so.
 */
import { expect, it } from '@jest/globals'
import type { ManyOutcome, Outcome } from '../src/outcome.js'
import { outputWriter } from '../src/outputs.js'
import { captureStdout } from './support/capture.js'
import { useOutputFile } from './support/output-file.js'

const written = useOutputFile()

it('cuts the artifacts list at 1,000,000 bytes as UTF-16, and warns', () => {
  const artifacts = Array.from({ length: 5_000 }, (_, i) => ({
    name: `${'n'.repeat(200)}-${i}.csv`,
    file: `${'n'.repeat(200)}-${i}.csv`,
    size: i,
    sha256: 'a'.repeat(64)
  }))
  const outcome: Outcome = { host: 'h', mode: 'run', updateReport: 'never', artifacts }
  const stdout = captureStdout(() => outputWriter().writeAll(outcome))
  const text = written().artifacts ?? ''
  const listed = JSON.parse(text) as unknown[]
  expect(text.length * 2).toBeLessThanOrEqual(1_000_000)
  // Nearly full: the cut is at the limit, not far below it.
  expect(text.length * 2).toBeGreaterThan(1_000_000 - 1_200)
  expect(listed).toEqual(artifacts.slice(0, listed.length))
  expect(stdout).toContain(
    `::warning::The \`artifacts\` output lists the first ${listed.length} of 5000 artifacts`
  )
})

it("leaves a run's values out of `runs` when they would not fit, and names the run", () => {
  const big = `{"x": "${'v'.repeat(200_000)}"}`
  const outcome: ManyOutcome = {
    mode: 'many',
    host: 'h',
    runs: Array.from({ length: 4 }, (_, i) => ({
      name: `run ${i}`,
      host: 'h',
      mode: 'run',
      updateReport: 'never',
      runId: `r${i}`,
      values: { json: big, entries: [['x', 'v']], leftOut: [] }
    }))
  }
  const stdout = captureStdout(() => outputWriter().writeAll(outcome))
  const text = written().runs ?? ''
  expect(text.length * 2).toBeLessThanOrEqual(1_000_000)
  const runs = JSON.parse(text) as Array<{ name: string; values?: unknown }>
  // 200,000 characters are 400,000 bytes as UTF-16: two fit, two do not.
  expect(runs.map(r => r.values != null)).toEqual([true, true, false, false])
  expect(stdout).toContain('leaves out the values of 2 run(s): "run 2", "run 3".')
})

/** Runs whose own fields are large once written: names and errors all `'` (`\u0027`). */
function quotedRuns(count: number, valueChars = 1_000): ManyOutcome {
  return {
    mode: 'many',
    host: 'h',
    runs: Array.from({ length: count }, (_, i) => ({
      name: `${"'".repeat(90)}${i}`,
      host: 'h',
      mode: 'run',
      updateReport: 'never',
      notebookId: 'team/nb',
      notebookUrl: `https://dl.example.com/notebook/team/nb?${"'".repeat(50)}`,
      runId: `r${i}`,
      conclusion: 'failure',
      success: false,
      failedCell: 3,
      error: `ValueError: ${"'".repeat(988)}`,
      values: { json: `{"x":"${'v'.repeat(valueChars)}"}`, entries: [['x', 'v']], leftOut: [] }
    }))
  }
}

// Seen red against the list measured before `'` was written as `\u0027` (3.4 MB for these).
it("keeps `runs` within 1 MB as written with 256 runs whose names and errors are all `'`, every run in it", () => {
  const outcome = quotedRuns(256)
  const stdout = captureStdout(() => outputWriter().writeAll(outcome))
  const text = written().runs ?? ''
  expect(text.length * 2).toBeLessThanOrEqual(1_000_000)
  // Nearly full: what is left out would not have fitted.
  expect(text.length * 2).toBeGreaterThan(1_000_000 - 15_000)
  const runs = JSON.parse(text) as Array<Record<string, unknown>>
  // Every run, with what collects it later and how it ended.
  expect(runs.map(r => [r.name, r['run-id'], r.conclusion, r['failed-cell']])).toEqual(
    outcome.runs.map(r => [r.name, r.runId, 'failure', 3])
  )
  // Links first for every run, then errors in entry order, whole; values in what room is left.
  expect(runs.every(r => typeof r['notebook-url'] === 'string')).toBe(true)
  const withError = runs.filter(r => r.error != null).length
  expect(withError).toBeGreaterThan(0)
  expect(runs.slice(0, withError).every(r => r.error === outcome.runs[0]?.error)).toBe(true)
  expect(runs.slice(withError).every(r => r.error == null)).toBe(true)
  const withValues = runs.filter(r => r.values != null).length
  expect(withValues).toBeLessThan(256)
  expect(stdout).toContain(
    `::warning::The \`runs\` output leaves out the error of ${256 - withError} run(s): `
  )
  expect(stdout).toContain(`; and the values of ${256 - withValues} run(s): `)
})

// Seen red against a writer that added each run's fields in the order they are written (a run's
// values took the room of a later run's error).
it('gives a run its links before any run its error, and its error before any run its values', () => {
  // 40 runs: their errors fit (12 KB each), not all their values (20 KB each).
  const outcome = quotedRuns(40, 10_000)
  captureStdout(() => outputWriter().writeAll(outcome))
  const runs = JSON.parse(written().runs ?? '') as Array<Record<string, unknown>>
  const has = (key: string) => runs.map(r => r[key] != null)
  expect(has('notebook-url').every(Boolean)).toBe(true)
  expect(has('error').every(Boolean)).toBe(true)
  // The values of the first runs fit; the others are left out whole.
  const values = has('values')
  const fitted = values.indexOf(false)
  expect(fitted).toBeGreaterThan(0)
  expect(values.slice(fitted).some(Boolean)).toBe(false)
})
