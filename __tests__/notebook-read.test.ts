/**
 * The notebook reader against notebooks a real Jupyter kernel executed (simulator/notebooks/,
 * made by scripts/notebook-fixtures.js), and against those notebooks mutated every way a
 * server or a notebook could garble them: it reads or it says why not, and never throws.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import {
  CellError,
  GluedValue,
  LIMITS,
  readExecutedNotebook,
  ReadResult,
  SCRAP_JSON,
  SCRAP_TEXT
} from '../src/notebook/read.js'
import { JsonNumber, writeJson } from '../src/notebook/json-value.js'
import { MAX_PACKED } from '../src/notebook/tokens.js'
import { ROOT } from './support/action.js'
import { gluingNotebook } from './support/notebooks.js'

const FIXTURES = join(ROOT, 'simulator', 'notebooks')
const fixture = (name: string): string => readFileSync(join(FIXTURES, `${name}.ipynb`), 'utf8')
const work = mkdtempSync(join(tmpdir(), 'notebook-read-'))
let files = 0

async function read(text: string | Buffer): Promise<ReadResult> {
  const file = join(work, `${++files}.ipynb`)
  writeFileSync(file, text)
  return readExecutedNotebook(file)
}

function reading(result: ReadResult) {
  if ('unreadable' in result) throw new Error(`unreadable: ${result.unreadable}`)
  return result.reading
}

/** A glued value as JSON.parse gives it: what a workflow's `fromJSON` reads. */
const parsed = (data: unknown): unknown => JSON.parse(writeJson(data ?? null))

describe('executed notebooks', () => {
  it('finds the values a notebook glued, in order, with their JSON types', async () => {
    const { glued, errors, cells } = reading(await read(fixture('success-values')))
    expect(cells).toBe(8)
    expect(errors).toEqual([])
    expect(glued.map(g => [g.name, parsed(g.data), g.encoder])).toEqual([
      ['accuracy', 0.5, 'json'],
      ['rows', 3, 'json'],
      ['region', 'EU', 'json'],
      ['months', ['2026-10', '2026-11', '2026-12'], 'json'],
      ['thresholds', { min: 0.8, note: null, ok: true }, 'json'],
      ['report', 'Revenue grew 18% over the quarter.', 'text'],
      ['accuracy', 0.93, 'json']
    ])
  })

  it('finds an error deep in a function call: its cell, source and whole traceback', async () => {
    const { errors, errorCount } = reading(await read(fixture('failure-deep')))
    expect(errorCount).toBe(1)
    const [error] = errors
    expect(error).toMatchObject({
      cell: 3,
      ename: 'ValueError',
      evalue: 'revenue must not be negative, got -5',
      source: ['print("loading")', 'load([{"revenue": 10}, {"revenue": -5}])']
    })
    const original = JSON.parse(fixture('failure-deep')).cells[2].outputs.find(
      (o: { output_type: string }) => o.output_type === 'error'
    )
    expect(error?.traceback).toEqual(original.traceback)
  })

  it('counts markdown cells too: the failing cell is the one a person scrolls to', async () => {
    const { errors } = reading(await read(fixture('failure-middle')))
    expect(errors.map(e => [e.cell, e.ename, e.evalue])).toEqual([[8, 'KeyError', "'US'"]])
  })

  it('keeps an error message that holds commands and markup exactly, as data', async () => {
    const [error] = reading(await read(fixture('failure-hostile'))).errors
    expect(error?.evalue).toContain('::add-mask::RUNNING\n::error title=fake::looks real')
  })
})

describe('numbers and keys', () => {
  const glued = async (json: string) => reading(await read(gluingNotebook([['x', json]]))).glued

  // Seen red against the reader that made each number a double with Number().
  it('keeps each number as the notebook wrote it, its value within reach', async () => {
    const [value] = await glued('[18446744073709551617, 1.0, -0, 1e400, 0.1]')
    expect(writeJson(value?.data)).toBe('[18446744073709551617,1.0,-0,1e400,0.1]')
    const [big, one] = value?.data as JsonNumber[]
    expect(big?.integer).toBe(2n ** 64n + 1n)
    expect(big?.value).toBe(2 ** 64)
    expect(one?.value).toBe(1)
    expect(one?.integer).toBeUndefined()
  })

  // A number or a key of MAX_PACKED characters is read: the number, exactly the largest glued
  // value kept, is kept whole; the object around the key is larger, and left out whole. One
  // character more and the notebook is refused, with why. Seen red against a packer without
  // the limit (read, not refused).
  it.each([
    ['number', (token: string) => token, '7', undefined],
    ['key', (token: string) => `{"${token}": 1}`, 'k', 'it is larger than 256 KiB']
  ])(
    'reads a %s of MAX_PACKED characters, and refuses a longer one',
    async (what, data, unit, leftOut) => {
      const longest = unit.repeat(MAX_PACKED)
      const [value] = await glued(data(longest))
      expect(value?.leftOut).toBe(leftOut)
      if (what === 'number') expect((value?.data as JsonNumber).text).toBe(longest)
      const result = await read(gluingNotebook([['x', data(`${longest}${unit}`)]]))
      expect(result).toEqual({
        unreadable: `it holds a ${what} of more than ${MAX_PACKED} characters, which no notebook writer makes`
      })
    }
  )

  // The tokenizer gives a long number in pieces, one per 64 KiB read. Seen red against a
  // packer that kept only the last piece.
  it('puts a number of 100,000 digits together exactly across the reads', async () => {
    const digits = Array.from({ length: 100_000 }, (_, i) => String((i * 7) % 10)).join('')
    const number = `1${digits}`
    const [value] = await glued(number)
    expect(value?.leftOut).toBeUndefined()
    expect((value?.data as JsonNumber).text).toBe(number)
  })
})

/** The same rules, read with JSON.parse: what the streaming reader must agree with. */
function reference(text: string): ReadResult {
  const refuse = { unreadable: 'shape' }
  const isObject = (value: unknown): value is Record<string, unknown> =>
    value != null && typeof value === 'object' && !Array.isArray(value)
  const isText = (value: unknown): boolean =>
    typeof value === 'string' || (Array.isArray(value) && value.every(s => typeof s === 'string'))
  let nb: unknown
  try {
    nb = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch {
    return { unreadable: 'not JSON' }
  }
  if (!isObject(nb) || ('cells' in nb && !Array.isArray(nb.cells))) return refuse
  const cells = (nb.cells ?? []) as unknown[]
  const errors: CellError[] = []
  const glued: GluedValue[] = []
  for (const [index, cell] of cells.entries()) {
    if (!isObject(cell)) return refuse
    if ('source' in cell && !isText(cell.source)) return refuse
    if ('outputs' in cell && !Array.isArray(cell.outputs)) return refuse
    for (const output of (cell.outputs ?? []) as unknown[]) {
      if (!isObject(output)) return refuse
      const { output_type: type, ename, evalue, traceback, data } = output
      if ('output_type' in output && typeof type !== 'string') return refuse
      if (
        ('ename' in output && typeof ename !== 'string') ||
        ('evalue' in output && typeof evalue !== 'string')
      )
        return refuse
      if ('traceback' in output && !(Array.isArray(traceback) && isText(traceback))) return refuse
      if ('data' in output && !isObject(data)) return refuse
      const scraps = [SCRAP_JSON, SCRAP_TEXT].filter(mime => isObject(data) && mime in data)
      if (scraps.some(mime => !isObject((data as Record<string, unknown>)[mime]))) return refuse
      if (
        typeof type !== 'string' ||
        !['stream', 'display_data', 'execute_result', 'error'].includes(type)
      )
        return refuse
      if (type === 'error') {
        if (typeof ename !== 'string' || typeof evalue !== 'string' || !Array.isArray(traceback))
          return refuse
        const source = cell.source
        const text = Array.isArray(source) ? source.join('') : String(source ?? '')
        const lines = text.slice(0, LIMITS.sourceChars).split('\n').slice(0, LIMITS.sourceLines)
        errors.push({
          cell: index + 1,
          ename,
          evalue,
          traceback: traceback as string[],
          source: lines
        })
      }
      if (type !== 'display_data' && type !== 'execute_result') continue
      for (const mime of scraps) {
        const scrap = (data as Record<string, Record<string, unknown>>)[mime] ?? {}
        const name = typeof scrap.name === 'string' ? scrap.name : ''
        if (name === '' || !('data' in scrap)) return refuse
        const encoder =
          typeof scrap.encoder === 'string' ? scrap.encoder : mime === SCRAP_TEXT ? 'text' : 'json'
        const keep =
          JSON.stringify(scrap.data).length <= LIMITS.gluedChars &&
          depthOf(scrap.data) <= LIMITS.gluedDepth &&
          (encoder === 'json' || (encoder === 'text' && typeof scrap.data === 'string'))
        glued.push({ name, data: keep ? scrap.data : undefined, encoder })
      }
    }
    if (typeof cell.cell_type !== 'string') return refuse
  }
  if (nb.nbformat !== 4) return { unreadable: 'format' }
  if (cells.length === 0) return { unreadable: 'no cells' }
  return { reading: { cells: cells.length, errors, errorCount: errors.length, glued } }
}

describe('whatever the file holds', () => {
  const notebooks = ['success-values', 'failure-deep', 'failure-middle', 'failure-hostile'].map(
    fixture
  )

  /** A mutation of a real notebook's text or of its parsed document. */
  const mutated = fc.oneof(
    // Cut short anywhere.
    fc
      .tuple(fc.constantFrom(...notebooks), fc.double({ min: 0, max: 1, noNaN: true }))
      .map(([text, at]) => text.slice(0, Math.floor(text.length * at))),
    // A value somewhere replaced by another of the wrong type, a huge string, or deep nesting.
    fc
      .tuple(
        fc.constantFrom(...notebooks),
        fc.nat(),
        fc.oneof(
          fc.constant(null),
          fc.integer(),
          fc.string(),
          fc.constant('x'.repeat(300_000)),
          fc.constant(JSON.parse('['.repeat(200) + ']'.repeat(200))),
          fc.array(fc.string(), { maxLength: 3 }),
          fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 })
        )
      )
      .map(([text, pick, replacement]) => replaceSomewhere(JSON.parse(text), pick, replacement)),
    // Not a notebook at all.
    fc.constantFrom(
      '',
      '<html>Sign in</html>',
      '[]',
      '{"nbformat": 3, "worksheets": []}',
      '{"nbformat": 4, "cells": []}',
      '\uFEFF' + notebooks[1]
    )
  )

  it('reads what the document holds, or says it cannot, exactly as JSON.parse would judge it', async () => {
    const taken = { refused: 0, compared: 0, capped: 0 }
    await fc.assert(
      fc.asyncProperty(mutated, async text => {
        const streamed = await read(text)
        const expected = reference(text)
        if ('unreadable' in expected) {
          taken.refused++
          expect(streamed).toEqual({ unreadable: expect.any(String) })
        } else if ('reading' in streamed) {
          taken.compared++
          expect(normalise(streamed)).toEqual(normalise(expected))
        } else {
          taken.capped++
          // Only what the caps exist for may make the streaming reader refuse more.
          expect(streamed.unreadable).toMatch(/more than/)
        }
      }),
      { numRuns: 300 }
    )
    // Both sides of the judgement were tried many times: readable documents compared whole,
    // unreadable ones refused.
    expect(taken.compared).toBeGreaterThan(30)
    expect(taken.refused).toBeGreaterThan(30)
  })

  it('leaves out a glued value too large or too deep to keep, and names it', async () => {
    const nb = JSON.parse(fixture('success-values'))
    const scrap = nb.cells[4].outputs[0].data['application/scrapbook.scrap.json+json']
    scrap.data = 'x'.repeat(LIMITS.gluedChars + 10)
    nb.cells[4].outputs[1].data['application/scrapbook.scrap.json+json'].data = JSON.parse(
      '['.repeat(100) + ']'.repeat(100)
    )
    const { glued } = reading(await read(JSON.stringify(nb)))
    expect(glued.slice(0, 2)).toEqual([
      { name: 'accuracy', data: undefined, encoder: 'json', leftOut: 'it is larger than 256 KiB' },
      {
        name: 'rows',
        data: undefined,
        encoder: 'json',
        leftOut: 'it is nested deeper than 64 levels'
      }
    ])
  })

  it('keeps the first and last entries of a huge traceback, and caps each', async () => {
    const nb = JSON.parse(fixture('failure-deep'))
    const error = nb.cells[2].outputs.find(
      (o: { output_type: string }) => o.output_type === 'error'
    )
    error.traceback = Array.from(
      { length: 1000 },
      (_, i) => `frame ${i} ${'y'.repeat(i === 999 ? 50_000 : 10)}`
    )
    const [read1] = reading(await read(JSON.stringify(nb))).errors
    expect(read1?.traceback).toHaveLength(LIMITS.tracebackHead + 1 + LIMITS.tracebackTail)
    expect(read1?.traceback[0]).toMatch(/^frame 0 /)
    expect(read1?.traceback[LIMITS.tracebackHead]).toBe('... (940 more entries)')
    expect(read1?.traceback.at(-1)).toHaveLength(LIMITS.tracebackEntry)
  })
})

function depthOf(value: unknown): number {
  if (value == null || typeof value !== 'object') return 0
  return 1 + Math.max(0, ...Object.values(value).map(depthOf))
}

/** Replaces the `pick`-th value of the document (in document order) by `replacement`. */
function replaceSomewhere(document: unknown, pick: number, replacement: unknown): string {
  const slots: Array<[Record<string, unknown> | unknown[], string | number]> = []
  const walk = (value: unknown): void => {
    if (value == null || typeof value !== 'object') return
    for (const [key, child] of Object.entries(value)) {
      slots.push([value as Record<string, unknown>, Array.isArray(value) ? Number(key) : key])
      walk(child)
    }
  }
  walk(document)
  const slot = slots[pick % Math.max(1, slots.length)]
  if (slot) (slot[0] as Record<string, unknown>)[slot[1]] = replacement
  return JSON.stringify(document)
}

function normalise(result: ReadResult): unknown {
  if (!('reading' in result)) return result
  const { cells, errors, glued } = result.reading
  return {
    cells,
    // The caps apply to both: what is kept of each text.
    errors: errors.map(e => ({
      ...e,
      ename: e.ename.slice(0, LIMITS.name),
      evalue: e.evalue.slice(0, LIMITS.evalue),
      traceback: e.traceback.slice(0, 5).map(t => t.slice(0, LIMITS.tracebackEntry))
    })),
    glued: glued.map(g => ({
      name: g.name.slice(0, LIMITS.name),
      data: parsed(g.data),
      encoder: g.encoder.slice(0, 64)
    }))
  }
}
