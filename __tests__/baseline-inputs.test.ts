/**
 * The inputs of `baseline` (src/inputs/baseline.ts through readInputs): defaults, branch names
 * as git takes them, the key of each run's values, and what is refused before any request.
 *
 * Each test names the mutation it was seen red against.
 */
import { describe, expect, it } from '@jest/globals'
import { ArtifactNames } from '../src/artifacts/artifact-names.js'
import { InputError } from '../src/errors.js'
import { branchProblem, safeKey } from '../src/inputs/baseline.js'
import type { Config, ManyStory, SubmitStory } from '../src/inputs/config.js'
import { readInputs } from '../src/inputs/read.js'

const base = { token: 'tok', 'notebook-id': 'team/sales', 'github-token': 'ghs_abc' }

function read(inputs: Record<string, string>): Config {
  return readInputs(name => inputs[name] ?? '', {})
}

function problem(inputs: Record<string, string>): { input: string; message: string } {
  try {
    read(inputs)
  } catch (error) {
    if (error instanceof InputError) return { input: error.input, message: error.message }
    throw error
  }
  throw new Error('expected an InputError')
}

const keysOf = (config: Config): Array<string | undefined> =>
  (config.story as ManyStory).entries.map(entry => entry.story.baselineKey)

describe('baseline', () => {
  // Seen red against a reader that kept the token with `baseline: off` (Config had githubToken).
  it('is off by default: no compare settings, no token kept, no key', () => {
    const config = read(base)
    expect(config.compare).toBeUndefined()
    expect(config.githubToken).toBeUndefined()
    expect((config.story as SubmitStory).baselineKey).toBeUndefined()
    expect(read({ ...base, baseline: 'OFF' }).compare).toBeUndefined()
  })

  // Seen red against a default history-length of 0, and a key from the notebook ID's last part.
  it('auto: the defaults, the key from the notebook ID, the token kept', () => {
    const config = read({ ...base, baseline: 'auto' })
    expect(config.compare).toEqual({
      baseline: { branch: 'auto', historyLength: 50, required: false },
      tolerance: [],
      failOnChange: false
    })
    expect(config.githubToken).toBe('ghs_abc')
    expect((config.story as SubmitStory).baselineKey).toBe('team-sales')
    expect(read({ ...base, baseline: 'Auto' }).compare?.baseline.branch).toBe('auto')
  })

  // Seen red against a reader that took `refs/heads/` as part of the name.
  it.each([
    ['main', 'main'],
    ['release/2026.1', 'release/2026.1'],
    ['refs/heads/auto', 'auto'],
    ['refs/heads/off', 'off'],
    ['feature-ü', 'feature-ü']
  ])('a branch name: %j', (given, name) => {
    expect(read({ ...base, baseline: given }).compare?.baseline.branch).toEqual({ name })
  })

  // Seen red against branchProblem without its rules for "..", "@{" and ".lock" (taken).
  it.each([
    ['a..b', 'holds ".."'],
    ['a b', 'holds a space'],
    ['a~1', 'holds a space, a control character or one of'],
    ['feat:x', 'one of ~ ^ : ? * [ \\'],
    ['-x', 'starts with "-"'],
    ['/x', 'starts or ends with "/"'],
    ['x/', 'starts or ends with "/"'],
    ['a//b', 'holds "//"'],
    ['x.', 'ends with "."'],
    ['x.lock', 'ends with ".lock"'],
    ['a/.hidden', 'starts with "."'],
    ['a@{1}', 'holds "@{"'],
    ['@', 'is "@"'],
    ['x\u200by', 'invisible characters'],
    ['x##[error]y', 'one of ~ ^ : ? * [ \\'],
    ['refs/heads/', 'is empty'],
    ['b'.repeat(256), 'longer than 255']
  ])('refuses the branch %j', (given, why) => {
    const { input, message } = problem({ ...base, baseline: given })
    expect(input).toBe('baseline')
    expect(message).toContain(why)
    expect(branchProblem(given.replace(/^refs\/heads\//, ''))).toBeDefined()
  })

  // Seen red against a reader that ignored them with `baseline: off` (tolerance and
  // fail-on-change: each left out of the list of inputs refused, in turn).
  it.each([
    ['baseline-key', 'k'],
    ['history-length', '10'],
    ['baseline-required', 'true'],
    ['tolerance', 'metrics.*: rtol=0.01'],
    ['fail-on-change', 'true']
  ])('refuses %s without baseline', (name, value) => {
    const { input, message } = problem({ ...base, [name]: value })
    expect(input).toBe(name)
    expect(message).toContain('has no effect with `baseline: off`')
  })

  // Seen red against a history-length read without bounds.
  it.each(['-1', '1001', '1.5', 'all'])('refuses history-length %j', value => {
    expect(problem({ ...base, baseline: 'auto', 'history-length': value }).message).toContain(
      'must be a whole number from 0 to 1000'
    )
  })

  it('takes history-length 0 (no history) and baseline-required', () => {
    expect(
      read({ ...base, baseline: 'main', 'history-length': '0', 'baseline-required': 'true' })
        .compare
    ).toEqual({
      baseline: { branch: { name: 'main' }, historyLength: 0, required: true },
      tolerance: [],
      failOnChange: false
    })
  })

  // Seen red against a reader that let an empty github-token through (the lookup then asked
  // GitHub without one).
  it.each([
    ['', 'is empty'],
    ['ghs_a b', 'contains whitespace']
  ])('refuses the github-token %j with baseline', (token, why) => {
    const { input, message } = problem({ ...base, baseline: 'auto', 'github-token': token })
    expect(input).toBe('github-token')
    expect(message).toContain(why)
  })

  // Seen red against a reader that took `wait: false`, and one that took `read-notebook: false`.
  it.each([
    [{ mode: 'interactive' }, 'mode'],
    [{ wait: 'false' }, 'wait'],
    [{ 'read-notebook': 'false' }, 'read-notebook']
  ])('refuses %j: there would be no values', (more, input) => {
    const refused = problem({ ...base, baseline: 'auto', ...more })
    expect(refused.input).toBe(input)
    expect(refused.message).toContain('`baseline` compares the values of finished runs')
  })
})

describe('tolerance and fail-on-change', () => {
  // Seen red against a reader that dropped the rules (tolerance: []), and one that read
  // fail-on-change as false whatever it said.
  it('reads the rules and the gate into the compare settings', () => {
    const config = read({
      ...base,
      baseline: 'auto',
      tolerance: '# exact\nrow_count: rtol=0\nmetrics.*: rtol=0.01 atol=1e-6\ntiming_*: ignore\n',
      'fail-on-change': 'true'
    })
    expect(config.compare?.tolerance).toEqual([
      { glob: 'row_count', ignore: false, rtol: 0, atol: 0 },
      { glob: 'metrics.*', ignore: false, rtol: 0.01, atol: 1e-6 },
      { glob: 'timing_*', ignore: true }
    ])
    expect(config.compare?.failOnChange).toBe(true)
  })

  // Seen red against a reader that did not parse tolerance (readInputs passed).
  it.each([
    ['metrics.*: rtol=-1', 'line 1 '],
    ['x: ignore\nnot a rule', 'line 2 is not `<glob>: rtol=<x> atol=<y>` or `<glob>: ignore`']
  ])('refuses a tolerance %j, naming the input, before any request', (tolerance, why) => {
    const { input, message } = problem({ ...base, baseline: 'auto', tolerance })
    expect(input).toBe('tolerance')
    expect(message).toContain(why)
  })

  // Seen red against fail-on-change read as `=== 'true'` ("yes" was false).
  it('refuses fail-on-change that is not a boolean', () => {
    expect(problem({ ...base, baseline: 'auto', 'fail-on-change': 'yes' }).input).toBe(
      'fail-on-change'
    )
  })

  // One tolerance for the step: an entry of `notebooks` has no key for one (yet).
  it('refuses a tolerance on an entry of notebooks', () => {
    const list = '- notebook-id: team/a\n  tolerance: "x: ignore"\n'
    const refused = problem({ token: 't', 'github-token': 'g', notebooks: list, baseline: 'auto' })
    expect(refused.input).toBe('notebooks')
    expect(refused.message).toContain('has an unknown key "tolerance"')
  })
})

describe('baseline-key', () => {
  // Seen red against a reader that made any baseline-key safe instead of refusing it.
  it.each(['a/b', 'a b', '-x', '.x', 'k'.repeat(101), 'x##[y'])('refuses %j', key => {
    const refused = problem({ ...base, baseline: 'auto', 'baseline-key': key })
    expect(refused.input).toBe('baseline-key')
  })

  it('takes a key as given', () => {
    const config = read({ ...base, baseline: 'auto', 'baseline-key': 'Sales_EU.v2' })
    expect((config.story as SubmitStory).baselineKey).toBe('Sales_EU.v2')
  })

  // Seen red against a collected run keyed by its run ID.
  it('a run collected by run-id needs a key: baseline-key, or its notebook-id', () => {
    expect(
      problem({ token: 't', 'github-token': 'g', 'run-id': 'r1', baseline: 'auto' }).input
    ).toBe('baseline-key')
    const given = read({
      token: 't',
      'github-token': 'g',
      'run-id': 'r1',
      baseline: 'auto',
      'baseline-key': 'k'
    })
    expect((given.story as { baselineKey?: string }).baselineKey).toBe('k')
    const byNotebook = read({ ...base, 'run-id': 'r1', baseline: 'auto' })
    expect((byNotebook.story as { baselineKey?: string }).baselineKey).toBe('team-sales')
  })

  // Seen red against entries keyed by their notebook ID (a name was not used) and against a
  // step key that replaced the names instead of going before them (the keys were the same).
  it("notebooks: each entry's name made a key, after baseline-key", () => {
    const list =
      '- notebook-id: team/sales\n  name: Sales (EU) 2026\n- team/churn\n- notebook-id: team/a\n  name: ü\n'
    expect(
      problem({ token: 't', 'github-token': 'g', notebooks: list, baseline: 'auto' }).message
    ).toContain('whose values need a key')
    const two = '- notebook-id: team/sales\n  name: Sales (EU) 2026\n- team/churn\n'
    const config = read({ token: 't', 'github-token': 'g', notebooks: two, baseline: 'auto' })
    expect(keysOf(config)).toEqual(['Sales-EU-2026', 'team-churn'])
    const prefixed = read({
      token: 't',
      'github-token': 'g',
      notebooks: two,
      baseline: 'auto',
      'baseline-key': 'nightly'
    })
    expect(keysOf(prefixed)).toEqual(['nightly-Sales-EU-2026', 'nightly-team-churn'])
  })

  // Seen red against a reader without the check (two runs would have written one values file).
  it('refuses two entries whose keys the artifact service may take for one', () => {
    const list =
      '- notebook-id: team/a\n  name: Sales EU\n- notebook-id: team/b\n  name: sales-eu\n'
    const refused = problem({ token: 't', 'github-token': 'g', notebooks: list, baseline: 'auto' })
    expect(refused.input).toBe('notebooks')
    expect(refused.message).toContain(
      'has the entries "Sales EU" and "sales-eu", whose values would both be kept as "datalore-values-sales-eu.json"'
    )
  })

  // Seen red against a runs list keyed by run ID (the list without names was taken).
  it('a runs list: keyed by name, or by notebook when it has no name', () => {
    const runs = JSON.stringify([
      { 'run-id': 'r1', name: 'sales', 'notebook-id': 'team/sales' },
      { 'run-id': 'r2', 'notebook-id': 'team/churn' }
    ])
    const config = read({ token: 't', 'github-token': 'g', 'run-id': runs, baseline: 'auto' })
    expect(keysOf(config)).toEqual(['sales', 'team-churn'])
    expect(
      problem({ token: 't', 'github-token': 'g', 'run-id': '["r1", "r2"]', baseline: 'auto' }).input
    ).toBe('run-id')
  })

  // Seen red against a safeKey that kept leading dashes and one that cut within MAX_KEY_LENGTH
  // leaving a trailing dash.
  it.each([
    ['team/sales', 'team-sales'],
    ['  Sales (EU)  ', 'Sales-EU'],
    ['--x--', 'x'],
    ['..x', 'x'],
    ['a'.repeat(99) + ' b', 'a'.repeat(99)],
    ['Ümsatz', 'msatz'],
    ['!!!', '']
  ])('safeKey(%j)', (text, key) => {
    expect(safeKey(text)).toBe(key)
  })
})

describe('the values artifacts in the step names', () => {
  // Seen red against ArtifactNames without the fixed names (the given name was taken, and two
  // uploads of one name would have met).
  it('refuses an artifact-name that is a values artifact; a derived name gives way to one', () => {
    expect(() => new ArtifactNames(['datalore-values-k.json'], ['Datalore-Values-K.json'])).toThrow(
      'makes the values artifact "Datalore-Values-K.json", which is also the artifact-name "datalore-values-k.json"'
    )
    const names = new ArtifactNames([], ['datalore-values-k.json'])
    expect(names.claimDerived('datalore-values-k.json')).toBe('datalore-values-k-2.json')
    expect(names.claimGiven('datalore-values-k.json')).toBe('datalore-values-k.json')
  })
})
