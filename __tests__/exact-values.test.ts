/**
 * Glued values reach the outputs, the summary and the page as the notebook wrote them: a number
 * keeps its literal text (a double would round 2^64 + 1), and a value cut for the page's header
 * is at most its length, the mark included.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { JsonNumber, writeJson } from '../src/notebook/json-value.js'
import type { NotebookReading } from '../src/notebook/read.js'
import { pageHead } from '../src/page/template.js'

describe('writeJson', () => {
  it('writes what JSON.stringify writes, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), value => {
        expect(writeJson(value)).toBe(JSON.stringify(value))
      })
    )
  })

  it('writes a JsonNumber as its text, wherever it is', () => {
    const big = new JsonNumber('18446744073709551617')
    expect(writeJson({ a: [big, new JsonNumber('1.0')], b: undefined, c: null })).toBe(
      '{"a":[18446744073709551617,1.0],"c":null}'
    )
  })
})

describe("the page's values", () => {
  const reading = (values: Array<[string, unknown]>): NotebookReading => ({
    cells: 1,
    errors: [],
    errorCount: 0,
    glued: values.map(([name, data]) => ({ name, data, encoder: 'json' }))
  })
  const head = (values: Array<[string, unknown]>) =>
    pageHead({ name: 'x.ipynb', runId: 'r1', success: true, reading: reading(values) })
  const code = (html: string, name: string) =>
    new RegExp(`<td>${name}</td><td><code>(.*?)</code>`).exec(html)?.[1] ?? ''

  // Seen red against the table that wrote values with JSON.stringify.
  it('shows a number as the notebook wrote it', () => {
    const html = head([['big', new JsonNumber('18446744073709551617')]])
    expect(code(html, 'big')).toBe('18446744073709551617')
  })

  // Seen red against the cut that added its mark after 1,000 characters (1,003).
  it('cuts a long value to 1,000 characters, the mark included, never half a character', () => {
    const html = head([
      ['long', 'a'.repeat(2_000)],
      ['wide', `x${'😀'.repeat(600)}`]
    ])
    expect(code(html, 'long')).toBe(`&quot;${'a'.repeat(996)}...`)
    const wide = code(html, 'wide')
    expect(wide).toBe(`&quot;x${'😀'.repeat(497)}...`)
    expect(wide.replace('&quot;', '"').length).toBeLessThanOrEqual(1_000)
  })
})
