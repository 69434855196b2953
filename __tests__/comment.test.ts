/**
 * The pull request comment's pieces, one at a time: its inputs (src/inputs/comment.ts through
 * readInputs), the marker (src/comment/marker.ts), the mention guard (mentions.ts), the body
 * (body.ts) with the project's hostile strings, its 60,000-character budget, and when
 * `on-failure-or-change` asks for a comment (when.ts). The comment's requests are tested end
 * to end: ./comment.e2e.test.ts.
 *
 * Each test names the mutation it was seen red against.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import {
  characters,
  MAX_COMMENT_CHARACTERS,
  runComment,
  stepComment,
  TableSection
} from '../src/comment/body.js'
import { encodeKey, isNewer, markerLine, readMarker, Stamp } from '../src/comment/marker.js'
import { withoutMentions } from '../src/comment/mentions.js'
import { stepKey } from '../src/comment/step.js'
import { failedOrChanged, stepFailedOrChanged } from '../src/comment/when.js'
import { InputError } from '../src/errors.js'
import type { Config, ManyStory, SubmitStory } from '../src/inputs/config.js'
import { readInputs } from '../src/inputs/read.js'
import { addSecret } from '../src/log.js'
import type { ManyOutcome, NamedOutcome, Outcome } from '../src/outcome.js'
import { captureStdout } from './support/capture.js'
import { readComment } from './support/comment-shape.js'
import { hostileText, TOKEN } from './support/hostile.js'

captureStdout(() => addSecret(TOKEN))

const base = { token: 'tok', 'notebook-id': 'team/sales', 'github-token': 'ghs_abc' }

function read(inputs: Record<string, string>): Config {
  return readInputs(name => inputs[name] ?? '', {})
}

function refusal(inputs: Record<string, string>): InputError {
  try {
    read(inputs)
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('expected an InputError')
}

describe('the comment inputs', () => {
  // Seen red against a reader whose default was `always` (settings were there).
  it('are off by default: no settings, no token kept', () => {
    const config = read(base)
    expect(config.comment).toBeUndefined()
    expect(config.githubToken).toBeUndefined()
  })

  // Seen red against a reader that gave no key without `baseline` (a comment could not be
  // found again), and one that refused `baseline-key` with `comment` alone.
  it('always: the key from the notebook ID or `baseline-key`, the token kept, no baseline', () => {
    const config = read({ ...base, comment: 'always' })
    expect(config.comment).toEqual({ when: 'always', per: 'key', pullRequest: undefined })
    expect(config.compare).toBeUndefined()
    expect(config.githubToken).toBe('ghs_abc')
    expect((config.story as SubmitStory).baselineKey).toBe('team-sales')
    const keyed = read({ ...base, comment: 'on-failure-or-change', 'baseline-key': 'model' })
    expect((keyed.story as SubmitStory).baselineKey).toBe('model')
    const list = read({
      token: 'tok',
      'github-token': 'g',
      notebooks: '- a/b\n- notebook-id: c/d\n  name: churn',
      comment: 'always',
      'comment-per': 'step',
      'baseline-key': 'nightly'
    })
    expect((list.story as ManyStory).entries.map(e => e.story.baselineKey)).toEqual([
      'nightly-a-b',
      'nightly-churn'
    ])
    expect(list.comment).toMatchObject({ per: 'step', stepKey: 'nightly' })
  })

  // Seen red against a checkPullRequest that took Number() of the text ("0x10" and "1e3" passed)
  // and one without the upper bound.
  it.each(['0', '-1', '12;rm -rf', '0x10', '1e3', '#12', '2147483648', '99999999999'])(
    'pull-request %j is refused before any request',
    text => {
      const error = refusal({ ...base, comment: 'always', 'pull-request': text })
      expect(error.input).toBe('pull-request')
      expect(error.message).toContain('must be the number of a pull request')
    }
  )

  // Seen red against a bound one lower (GitHub's largest number refused).
  it('pull-request takes digits', () => {
    expect(read({ ...base, comment: 'always', 'pull-request': '2147483647' }).comment).toEqual({
      when: 'always',
      per: 'key',
      pullRequest: 2147483647
    })
  })

  // Seen red against a reader that ignored comment-per and pull-request with `comment: off`.
  it.each([
    ['comment-per', 'step'],
    ['pull-request', '7']
  ])('%s without comment is refused: it would do nothing', (name, value) => {
    const error = refusal({ ...base, [name]: value })
    expect(error.input).toBe(name)
    expect(error.message).toContain('has no effect with `comment: off`')
  })

  // Seen red against a reader that let interactive mode through (no key, nothing to say).
  it('interactive mode and an empty token are refused', () => {
    expect(refusal({ ...base, comment: 'always', mode: 'interactive' }).input).toBe('mode')
    const empty = refusal({ ...base, comment: 'always', 'github-token': '' })
    expect(empty.input).toBe('github-token')
    expect(empty.message).toContain('`comment` comments on the pull request')
    expect(empty.message).toContain('pull-requests: write')
    expect(refusal({ ...base, comment: 'sometimes' }).input).toBe('comment')
  })
})

const stamp = (runId: string, attempt = 1, key = 'k'): Stamp => ({ key, runId, attempt })

describe('the marker', () => {
  // Seen red against an encodeKey that let `"` and `>` through (the forged key ended the
  // attribute), and a readMarker that decoded nothing.
  it('holds any key, and reads back exactly what was written', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60, unit: 'binary' }), key => {
        const line = markerLine(stamp('12000000001', 3, key))
        expect(line).toMatch(/^<!-- datalore-run-action:comment key="[A-Za-z0-9._~+%-]+" /)
        expect(line.slice(4, -3)).not.toMatch(/-->|--!>|<|>/)
        const read = readMarker(`${line}\n<h3>x</h3>`)
        // Lone surrogates are written as U+FFFD, as UTF-8 has no other way.
        expect(read).toEqual(stamp('12000000001', 3, Buffer.from(key, 'utf8').toString('utf8')))
      })
    )
    expect(encodeKey('sales-EU.v2_x~y+z')).toBe('sales-EU.v2_x~y+z')
    expect(encodeKey('a" run="9')).toBe('a%22%20run%3D%229')
  })

  // Seen red against a readMarker that searched the whole body (a marker further down or after a
  // space counted), and one each that took any attempt text, a run of 0, more on the line, another
  // tool's name, and a key it could not decode (it threw).
  it.each([
    [
      'a marker further down',
      '<h3>x</h3>\n<!-- datalore-run-action:comment key="k" run="1" attempt="1" -->'
    ],
    ['a marker after a space', ' <!-- datalore-run-action:comment key="k" run="1" attempt="1" -->'],
    ['a run of 0', '<!-- datalore-run-action:comment key="k" run="0" attempt="1" -->'],
    ['an attempt of letters', '<!-- datalore-run-action:comment key="k" run="1" attempt="x" -->'],
    ['more on the line', '<!-- datalore-run-action:comment key="k" run="1" attempt="1" --> hi'],
    ['a broken escape', '<!-- datalore-run-action:comment key="%E2%82" run="1" attempt="1" -->'],
    ['another tool', '<!-- datalore-run-action:other key="k" run="1" attempt="1" -->']
  ])('%s is no marker', (_, body) => {
    expect(readMarker(body)).toBeUndefined()
  })

  // Seen red against an isNewer that compared run IDs as text without their length ("9" after
  // "10"), and one that ignored the attempt.
  it('newer: by run ID (exact past 2^53), then attempt', () => {
    expect(isNewer(stamp('10'), stamp('9'))).toBe(true)
    expect(isNewer(stamp('9'), stamp('10'))).toBe(false)
    expect(isNewer(stamp('9007199254740993'), stamp('9007199254740992'))).toBe(true)
    expect(isNewer(stamp('12', 2), stamp('12', 1))).toBe(true)
    expect(isNewer(stamp('12', 1), stamp('12', 1))).toBe(false)
    expect(isNewer(stamp('11', 9), stamp('12', 1))).toBe(false)
  })
})

describe('the mention guard', () => {
  // Seen red against a guard that rewrote every `#` (entities broke: `&#<!-- -->39;`) and one
  // that rewrote inside tags (the href lost its fragment).
  it('keeps tags and entities, and parts every @ and # of the text from what follows', () => {
    expect(
      withoutMentions('<a href="https://x.example/a#b@c">@org/team &#39;#1&amp;</a>&#10;@')
    ).toBe(
      '<a href="https://x.example/a#b@c">@<!-- -->org/team &#39;#<!-- -->1&amp;</a>&#10;@<!-- -->'
    )
  })
})

/** A run that failed in a cell, with values, everything in it from `hostile`. */
function hostileRun(hostile: string[]): NamedOutcome {
  const [a = '', b = '', c = '', d = '', e = ''] = hostile
  return {
    name: a,
    host: 'https://datalore.example',
    mode: 'run',
    updateReport: 'never',
    notebookId: b,
    notebookUrl: 'https://datalore.example/notebook/o/n',
    runId: c,
    conclusion: 'failure',
    problem: d,
    notebookErrors: [
      {
        notebook: e,
        cell: 3,
        ename: a,
        evalue: b,
        source: [c],
        traceback: [d, e, a]
      },
      { notebook: a, cell: 4, ename: c, evalue: d, source: [], traceback: [] }
    ],
    values: {
      entries: [
        [a, b],
        [c, { [d]: [e] }]
      ],
      json: '{}',
      leftOut: []
    },
    artifactName: e,
    uploaded: { id: 1, url: 'https://github.com/o/r/actions/runs/1/artifacts/1' },
    baseline: { key: 'k', none: e }
  }
}

const context = {
  stamp: stamp('12000000001', 2, 'k'),
  runUrl: 'https://github.com/o/r/actions/runs/12000000001/attempts/2',
  sha: 'a'.repeat(40)
}
const HOSTS = ['datalore.example', 'github.com']

describe('the body', () => {
  // Seen red against a body without the mention guard (`@octocat #123` a mention), one that wrote
  // a run's name without `text` (a link to evil.example rendered), and one whose traceback joined
  // its lines with "\n" (empty lines: a blank line ended the block).
  it('keeps every hostile string inert: one HTML block, no mention, no foreign link, no secret', () => {
    fc.assert(
      fc.property(fc.array(hostileText, { minLength: 5, maxLength: 5 }), hostile => {
        const run = hostileRun(hostile)
        const step: ManyOutcome = {
          mode: 'many',
          host: 'https://datalore.example',
          conclusion: 'failure',
          problem: hostile[0],
          runs: [run, { ...run, name: 'b', conclusion: 'success' }]
        }
        for (const body of [
          runComment(run, hostile[1] ?? '', context),
          stepComment(step, context)
        ]) {
          expect(readComment(body, HOSTS).problems).toEqual([])
          expect(body).not.toContain(TOKEN)
          expect(body).not.toContain('s3cr3t')
          expect(characters(body)).toBeLessThanOrEqual(MAX_COMMENT_CHARACTERS)
        }
      }),
      { numRuns: 200 }
    )
  })

  // Seen red against a budget counted in UTF-16 units (254 rows shown), one that still showed
  // folded rows after the open ones were cut (changed rows come before the rest), and a closing
  // line that counted the rows shown instead of those left out.
  it('fits 60,000 characters, open rows before folded ones, and counts what it left out', () => {
    // 133 characters a row, each 𝟙 one character (two UTF-16 units, four bytes): counted in
    // UTF-16 units, no more than 260 rows would fit.
    const row = (i: number, fill: string): string =>
      `<tr><td>${String(i).padStart(3, '0')}</td><td>${fill.repeat(100)}</td></tr>`
    const changes: TableSection = {
      heading: '<h4>Compared with main</h4>',
      header: '<tr><th>Value</th><th>Change</th></tr>',
      open: Array.from({ length: 600 }, (_, i) => row(i, '𝟙')),
      // Short: what room the open rows leave would take some of them.
      folded: Array.from({ length: 400 }, () => '<tr><td>u</td></tr>'),
      foldedSummary: count => `${count} unchanged`
    }
    const run = { ...hostileRun(['a', 'b', 'c', 'd', 'e']), name: 'n' }
    const body = runComment(run, 'n', context, changes)
    expect(characters(body)).toBeLessThanOrEqual(MAX_COMMENT_CHARACTERS)
    expect(characters(body)).toBeGreaterThan(MAX_COMMENT_CHARACTERS - 1_000)
    expect(body.includes('<h4>Values</h4>')).toBe(false)
    // The open rows did not all fit: no folded row comes after them.
    expect(body.includes('unchanged')).toBe(false)
    const shown = body.split('<tr><td>').length - 1
    expect(shown).toBeGreaterThan(400)
    expect(body.includes(`<p>... and ${1000 - shown} row(s) more, left out:`)).toBe(true)
    expect(readComment(body, HOSTS).problems).toEqual([])

    const few = runComment(run, 'n', context, { ...changes, open: changes.open.slice(0, 2) })
    expect(few.includes('<details><summary>400 unchanged</summary>')).toBe(true)
    expect(few.includes('left out')).toBe(false)
  })
})

describe('on-failure-or-change', () => {
  const run = (conclusion: Outcome['conclusion']): NamedOutcome => ({
    name: 'x',
    host: 'h',
    mode: 'run',
    updateReport: 'never',
    conclusion
  })

  // Seen red against a predicate that took `submitted` for a failure, and one that looked at
  // the step's conclusion alone (a skipped run of a step whose worst was submitted).
  it('sees runs that did not end well', () => {
    expect(failedOrChanged(run('success'))).toBe(false)
    expect(failedOrChanged(run('submitted'))).toBe(false)
    for (const c of ['failure', 'timed_out', 'cancelled', 'skipped', undefined] as const) {
      expect(failedOrChanged(run(c))).toBe(true)
    }
    const many = (...runs: NamedOutcome[]): ManyOutcome => ({
      mode: 'many',
      host: 'h',
      conclusion: 'success',
      runs
    })
    expect(stepFailedOrChanged(many(run('success'), run('success')))).toBe(false)
    expect(stepFailedOrChanged(many(run('success'), run('timed_out')))).toBe(true)
  })
})

describe("a step's key", () => {
  // Seen red against a stepKey that cut the joined keys (two lists with the same start shared a
  // comment).
  it('joins the runs keys, and past 100 characters is a digest of all of them', () => {
    expect(stepKey(['sales-EU', 'churn'])).toBe('sales-EU+churn')
    const long = Array.from({ length: 20 }, (_, i) => `notebook-${i}`)
    const other = [...long.slice(0, -1), 'notebook-x']
    expect(stepKey(long)).toMatch(/^step-[0-9a-f]{16}$/)
    expect(stepKey(long)).not.toBe(stepKey(other))
  })
})
