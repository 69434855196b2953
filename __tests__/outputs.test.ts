/**
 * The list outputs stay within what GitHub keeps of a job's outputs, measured as GitHub measures
 * it (UTF-16: two bytes a character), and a list that is cut says so.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from '@jest/globals'
import { parseOutputs } from '../scripts/runner-files.js'
import type { ManyOutcome, Outcome } from '../src/outcome.js'
import { outputWriter } from '../src/outputs.js'
import { captureStdout } from './support/capture.js'

let file = ''
beforeEach(() => {
  file = join(mkdtempSync(join(tmpdir(), 'outputs-')), 'github_output')
  writeFileSync(file, '')
  process.env.GITHUB_OUTPUT = file
})
afterEach(() => {
  delete process.env.GITHUB_OUTPUT
})

const written = (): Record<string, string> => parseOutputs(readFileSync(file, 'utf8'))

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
  expect(stdout).toContain('leaves out the values of 2 run(s)')
  expect(stdout).toContain('run 2, run 3')
})
