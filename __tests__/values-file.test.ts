/**
 * The values artifact's schema (src/baseline/values-file.ts): what is written reads back the
 * same, numbers exactly as the notebook wrote them; what is wrong with a file read back is named;
 * the history is carried on and bounded. And the exact JSON reader under it
 * (src/notebook/json-value.ts `readJson`).
 *
 * Each test names the mutation it was seen red against.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import {
  carriedHistory,
  HistoryEntry,
  MAX_HISTORY_BYTES,
  MAX_LEAVES_PER_ENTRY,
  MAX_VALUES_FILE_BYTES,
  numericLeaves,
  parseValuesFile,
  ValuesFile,
  ValuesFileError,
  writeValuesFile
} from '../src/baseline/values-file.js'
import { JsonNumber, JsonSyntaxError, readJson, writeJson } from '../src/notebook/json-value.js'

const n = (text: string): JsonNumber => new JsonNumber(text)

function file(more: Partial<ValuesFile> = {}): ValuesFile {
  return {
    schemaVersion: 1,
    key: 'team-sales',
    notebook: {
      id: 'team/sales',
      url: 'https://dl.example.com/notebook/team/sales',
      dataloreRunId: 'r-1'
    },
    workflowRun: {
      id: 12_000_000_001,
      attempt: 2,
      sha: 'a'.repeat(40),
      ref: 'refs/heads/main',
      event: 'push',
      url: 'https://github.com/o/r/actions/runs/12000000001/attempts/2',
      time: '2026-01-02T03:04:05.000Z'
    },
    conclusion: 'success',
    values: [
      ['accuracy', n('0.930')],
      ['rows', n('18446744073709551617')],
      ['tiny', n('-1.5E-300')],
      ['region', 'EU'],
      [
        'metrics',
        Object.assign(Object.create(null), {
          f1: n('5.0e-1'),
          counts: [n('1'), n('2.50'), null, true]
        })
      ],
      ['__proto__', n('7')],
      ['ok', false]
    ],
    history: [
      {
        workflowRun: { id: 11, attempt: 1, sha: 'b'.repeat(40), time: '2026-01-01T00:00:00.000Z' },
        values: [
          { path: ['accuracy'], value: n('0.91') },
          { path: ['metrics', 'counts', 1], value: n('3') }
        ]
      }
    ],
    ...more
  }
}

/** A file's text with one field replaced (by a JSON text). */
function withField(path: string[], json: string): string {
  const document = JSON.parse(writeValuesFile(file())) as Record<string, unknown>
  let at: Record<string, unknown> = document
  for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>
  at[path.at(-1) ?? ''] = JSON.parse(json) as unknown
  return JSON.stringify(document)
}

function refusal(text: string, key = 'team-sales'): string {
  try {
    parseValuesFile(text, key)
  } catch (error) {
    if (error instanceof ValuesFileError) return error.message
    throw error
  }
  throw new Error('the file was taken')
}

describe('write, then read', () => {
  // Seen red against a writer that put numbers through Number (0.930 -> 0.93), against a reader
  // that gave plain numbers (JSON.parse: no number was a JsonNumber, not even schemaVersion),
  // and against one that read workflowRun's members in another order (written again, it differed).
  it('reads back what was written, each number as its literal, "__proto__" a name like any other', () => {
    const written = writeValuesFile(file())
    expect(written).toContain(
      '"values":{"accuracy":0.930,"rows":18446744073709551617,"tiny":-1.5E-300,"region":"EU","metrics":{"f1":5.0e-1,"counts":[1,2.50,null,true]},"__proto__":7,"ok":false}'
    )
    expect(written.endsWith('}\n')).toBe(true)
    const read = parseValuesFile(written, 'team-sales')
    expect(writeJson(Object.fromEntries(read.values))).toBe(
      writeJson(Object.fromEntries(file().values))
    )
    expect(read.values.map(([name]) => name)).toEqual([
      'accuracy',
      'rows',
      'tiny',
      'region',
      'metrics',
      '__proto__',
      'ok'
    ])
    expect(read.values[0]?.[1]).toBeInstanceOf(JsonNumber)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect({ ...read, values: undefined, history: undefined }).toEqual({
      ...file(),
      values: undefined,
      history: undefined
    })
    expect(read.history).toEqual(file().history)
    // Written again, the same text.
    expect(writeValuesFile(read)).toBe(written)
  })

  // Seen red against a reader that refused a byte-order mark (some editors write one).
  it('takes a byte-order mark', () => {
    expect(parseValuesFile(`\ufeff${writeValuesFile(file())}`, 'team-sales').key).toBe('team-sales')
  })
})

describe('what is refused, and said', () => {
  // Seen red against the reader without each of these checks: the key's (the file was taken),
  // the size's (read whole, it was refused for another reason), a negative index's, a path's
  // that starts with an index, a value's that is no number (each taken).
  it.each<[string, string, RegExp]>([
    ['not JSON', '{"schemaVersion": ', /^it is not JSON: the end came before a value/],
    ['trailing text', `${writeValuesFile(file())}x`, /^it is not JSON: more after the value/],
    ['a list', '[1]', /^it is not an object$/],
    [
      'no schema',
      '{"key": "team-sales"}',
      /^it has no schemaVersion: it is no values file of this action$/
    ],
    ['a text schema', withField(['schemaVersion'], '"1"'), /^it has no schemaVersion/],
    [
      'a newer schema',
      withField(['schemaVersion'], '2'),
      /^it has schema version 2, written by a newer version of the action \(this one reads 1\)$/
    ],
    [
      'an older schema',
      withField(['schemaVersion'], '0'),
      /^it has schema version 0, which this action does not read \(it reads 1\)$/
    ],
    [
      'another key',
      withField(['key'], '"team-churn"'),
      /^it holds the values of the key "team-churn", not "team-sales"$/
    ],
    ['no key', withField(['key'], 'null'), /^it has no text `key`$/],
    ['values not an object', withField(['values'], '[]'), /^its `values` is not an object$/],
    [
      'a run ID that is no whole number',
      withField(['workflowRun', 'id'], '1.5'),
      /^its `workflowRun` has no whole number `id`$/
    ],
    [
      'a negative attempt',
      withField(['workflowRun', 'attempt'], '-1'),
      /^its `workflowRun` has no whole number `attempt`$/
    ],
    [
      'no Datalore run',
      withField(['notebook', 'dataloreRunId'], '3'),
      /^its `notebook` has no text `dataloreRunId`$/
    ],
    ['history not a list', withField(['history'], '{}'), /^it has no list `history`$/],
    [
      'a history value without a path',
      withField(
        ['history'],
        '[{"workflowRun": {"id": 1, "attempt": 1, "sha": "s", "time": "t"}, "values": [[[], 1]]}]'
      ),
      /^its history entry #1 value #1 is not \[path, number\]$/
    ],
    [
      'a history value that is text',
      withField(
        ['history'],
        '[{"workflowRun": {"id": 1, "attempt": 1, "sha": "s", "time": "t"}, "values": [[["a"], "1"]]}]'
      ),
      /^its history entry #1 value #1 is not \[path, number\]$/
    ],
    [
      'a negative index',
      withField(
        ['history'],
        '[{"workflowRun": {"id": 1, "attempt": 1, "sha": "s", "time": "t"}, "values": [[["a", -1], 1]]}]'
      ),
      /^its history entry #1 value #1 is not \[path, number\]$/
    ],
    [
      'a path that starts with an index',
      withField(
        ['history'],
        '[{"workflowRun": {"id": 1, "attempt": 1, "sha": "s", "time": "t"}, "values": [[[0], 1]]}]'
      ),
      /^its history entry #1 value #1 is not \[path, number\]$/
    ],
    [
      'too deep',
      `{"schemaVersion": 1, "key": "team-sales", "values": {"a": ${'['.repeat(200)}${']'.repeat(200)}}}`,
      /^it is not JSON: nesting deeper than 100 levels/
    ],
    ['too large', `{"pad": "${'x'.repeat(MAX_VALUES_FILE_BYTES)}"}`, /^it is larger than 4 MiB$/]
  ])('%s', (_, text, message) => {
    expect(refusal(text)).toMatch(message)
  })
})

describe('history', () => {
  const entry = (id: number, leaves = 1): HistoryEntry => ({
    workflowRun: { id, attempt: 1, sha: 's', time: 't' },
    values: Array.from({ length: leaves }, (_, i) => ({ path: ['v', i], value: n(String(i)) }))
  })

  // Seen red against a carriedHistory that put the baseline's own numbers first (oldest) and
  // one that kept `length + 1` entries.
  it("carries the baseline's history on with the baseline's numbers as the newest, at most `length`", () => {
    const baseline = file({ history: [entry(1), entry(2)] })
    const carried = carriedHistory(baseline, 50)
    expect(carried.map(e => e.workflowRun.id)).toEqual([1, 2, 12_000_000_001])
    expect(carried.at(-1)).toEqual({
      workflowRun: {
        id: 12_000_000_001,
        attempt: 2,
        sha: 'a'.repeat(40),
        time: '2026-01-02T03:04:05.000Z'
      },
      values: [
        { path: ['accuracy'], value: n('0.930') },
        { path: ['rows'], value: n('18446744073709551617') },
        { path: ['tiny'], value: n('-1.5E-300') },
        { path: ['metrics', 'f1'], value: n('5.0e-1') },
        { path: ['metrics', 'counts', 0], value: n('1') },
        { path: ['metrics', 'counts', 1], value: n('2.50') },
        { path: ['__proto__'], value: n('7') }
      ]
    })
    expect(carriedHistory(baseline, 2).map(e => e.workflowRun.id)).toEqual([2, 12_000_000_001])
    expect(carriedHistory(baseline, 0)).toEqual([])
    expect(carriedHistory(undefined, 50)).toEqual([])
  })

  // Seen red against numericLeaves without its cap (20,000 leaves).
  it(`keeps at most ${MAX_LEAVES_PER_ENTRY} numbers of one run, the first ones`, () => {
    const many = Array.from({ length: 20_000 }, (_, i) => n(String(i)))
    const leaves = numericLeaves([['big', many]])
    expect(leaves).toHaveLength(MAX_LEAVES_PER_ENTRY)
    expect(leaves.at(-1)).toEqual({ path: ['big', MAX_LEAVES_PER_ENTRY - 1], value: n('9999') })
  })

  // Seen red against a writer without the history's budget (the file grew past 4 MiB and the
  // next run could not read it), and one that dropped the newest entries instead of the oldest.
  it(`drops the oldest entries beyond ${MAX_HISTORY_BYTES / 1024 / 1024} MiB, so the file stays readable`, () => {
    const history = Array.from({ length: 400 }, (_, i) => entry(i + 1, MAX_LEAVES_PER_ENTRY / 10))
    const written = writeValuesFile(file({ history }))
    expect(Buffer.byteLength(written)).toBeLessThan(MAX_VALUES_FILE_BYTES)
    const kept = parseValuesFile(written, 'team-sales').history.map(e => e.workflowRun.id)
    expect(kept.length).toBeGreaterThan(10)
    expect(kept.length).toBeLessThan(400)
    expect(kept.at(-1)).toBe(400)
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 400 - kept.length + 1 + i))
    const historyBytes = written.length - writeValuesFile(file({ history: [] })).length
    expect(historyBytes).toBeLessThanOrEqual(MAX_HISTORY_BYTES)
  })
})

describe('readJson', () => {
  // Seen red against a reader whose numbers went through Number (the literals were lost) and
  // one that took a string's text between its quotes as it is (escapes came out wrong).
  it('reads what JSON.parse reads, numbers as their literals', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), value => {
        const text = JSON.stringify(value, null, 1)
        const read = readJson(text)
        expect(writeJson(read)).toBe(JSON.stringify(JSON.parse(text)))
      }),
      { numRuns: 300 }
    )
    expect(writeJson(readJson('[1.10, -0, 1E+2, 0.5e-0, 123456789012345678901234567890]'))).toBe(
      '[1.10,-0,1E+2,0.5e-0,123456789012345678901234567890]'
    )
    expect(readJson('"\\ud83d\\ude00 \\u00e9\\n\\"\\\\\\/"')).toBe('😀 é\n"\\/')
  })

  // Seen red against a reader that took leading zeros ("01") and one that took a control
  // character inside a string.
  it.each([
    ['01', /a number|more after/],
    ['1.', /without digits after "."/],
    ['-', /a number without digits/],
    ['1e', /in its exponent/],
    ['+1', /"\+" found/],
    ['NaN', /"N" found/],
    ['[1,]', /"\]" found/],
    ['{"a" 1}', /not followed by ":"/],
    ['{a: 1}', /a key that is not a string/],
    ['"\\x"', /an unknown escape/],
    ['"\\u12g4"', /four hex digits/],
    ['"a\nb"', /a control character/],
    ['"abc', /a string that never ends/],
    ['tru', /not true, false or null/],
    ['', /the end came before a value/]
  ])('refuses %j', (text, message) => {
    expect(() => readJson(text)).toThrow(JsonSyntaxError)
    expect(() => readJson(text)).toThrow(message)
    expect(() => JSON.parse(text)).toThrow()
  })

  // Seen red against a reader without the depth limit (the stack ran out).
  it('refuses nesting past its limit instead of running out of stack', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`
    expect(() => readJson(deep, 100)).toThrow('nesting deeper than 100 levels')
    expect(readJson(`${'['.repeat(100)}${']'.repeat(100)}`, 100)).toBeDefined()
  })
})
