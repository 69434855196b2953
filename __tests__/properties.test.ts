/** Property tests of the input parsers: every input is either understood exactly, or refused by name. */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { stringify } from 'yaml'
import { InputError } from '../src/errors.js'
import { readInputs } from '../src/inputs/read.js'
import { parseNotebookId } from '../src/inputs/notebook-id.js'
import { parseParameters } from '../src/inputs/parameters.js'

/** Runs `parse`; an exception other than an InputError naming `input` fails the property. */
function outcome<T>(input: string, parse: () => T): { ok: T } | { refused: string } {
  try {
    return { ok: parse() }
  } catch (error) {
    if (error instanceof InputError && error.input === input) return { refused: error.message }
    throw error
  }
}

const segment = fc
  .string({ unit: fc.constantFrom(...'abcXYZ019._~-'), minLength: 1, maxLength: 30 })
  .filter(s => s !== '.' && s !== '..')
const host = fc.constantFrom(
  'https://datalore.jetbrains.com',
  'https://dl.example.com:8443',
  'https://x.example.com/datalore'
)

describe('notebook-id', () => {
  it('reads ownerId/notebookId, and the same from the notebook URL with its host', () => {
    fc.assert(
      fc.property(segment, segment, host, (owner, id, base) => {
        expect(parseNotebookId(`${owner}/${id}`, false)).toEqual({
          notebook: { ownerId: owner, notebookId: id }
        })
        expect(parseNotebookId(`${base}/notebook/${owner}/${id}`, false)).toEqual({
          notebook: { ownerId: owner, notebookId: id },
          host: base
        })
      })
    )
  })

  it('either reads any text as two safe parts, or refuses it naming notebook-id', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.webUrl({ withQueryParameters: true, withFragments: true })),
        text => {
          const result = outcome('notebook-id', () => parseNotebookId(text, false))
          if ('ok' in result) {
            for (const part of [result.ok.notebook.ownerId, result.ok.notebook.notebookId]) {
              expect(part).toMatch(/^[A-Za-z0-9._~-]+$/)
              expect(['.', '..']).not.toContain(part)
            }
          } else {
            expect(result.refused).toMatch(/^Input `notebook-id` .*For example: /s)
          }
        }
      )
    )
  })
})

describe('parameters', () => {
  const name = fc.string({ minLength: 1, maxLength: 20 }).filter(s => s.trim() !== '')
  const value = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.array(fc.string({ maxLength: 10 }), { maxLength: 4 })
  )
  const mapping = fc.dictionary(name, value, { maxKeys: 8 })

  it('sends a mapping, written as YAML or JSON, as exactly its names and string values', () => {
    fc.assert(
      fc.property(mapping, fc.constantFrom('yaml', 'json'), (values, format) => {
        fc.pre(Object.keys(values).length > 0)
        const text = format === 'yaml' ? stringify(values) : JSON.stringify(values)
        expect(parseParameters(text)).toEqual(
          Object.entries(values).map(([n, v]) => ({ name: n, value: v }))
        )
      })
    )
  })

  it('passes any well-formed JSON array through unchanged', () => {
    const item = fc.record({ name: name, value: fc.jsonValue() })
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 5 }), items => {
        expect(parseParameters(JSON.stringify(items))).toEqual(JSON.parse(JSON.stringify(items)))
      })
    )
  })

  it('either reads any text as name/value pairs, or refuses it naming parameters', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), text => {
        const result = outcome('parameters', () => parseParameters(text))
        if ('ok' in result) {
          for (const parameter of result.ok ?? []) {
            expect(typeof parameter.name).toBe('string')
            expect(parameter.name.trim()).not.toBe('')
            expect('value' in parameter).toBe(true)
          }
        } else {
          expect(result.refused).toMatch(/^Input `parameters` /)
        }
      })
    )
  })
})

describe('durations', () => {
  const read = (inputs: Record<string, string>) =>
    readInputs(n => ({ token: 't', 'notebook-id': 'o/n', ...inputs })[n] ?? '', {})

  it('reads any decimal from 0.01 to the limit, to the millisecond', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 43_200_000 }), thousandths => {
        const text = (thousandths / 1000).toString()
        fc.pre(!text.includes('e'))
        expect(read({ 'timeout-minutes': text }).timeoutMs).toBe(
          Math.round((thousandths / 1000) * 60_000)
        )
      })
    )
  })

  it.each(['timeout-minutes', 'poll-interval-seconds'])(
    'either reads any text for %s or refuses it by name',
    input => {
      fc.assert(
        fc.property(
          fc.oneof(fc.string(), fc.float().map(String), fc.integer().map(String)),
          text => {
            const result = outcome(input, () => read({ [input]: text }))
            if ('ok' in result) {
              const ms =
                input === 'timeout-minutes' ? result.ok.timeoutMs : result.ok.pollIntervalMs
              expect(ms).toBeGreaterThan(0)
              expect(Number.isFinite(ms)).toBe(true)
            } else {
              expect(result.refused).toMatch(
                new RegExp(`^Input \`${input}\` must be a number from `)
              )
            }
          }
        )
      )
    }
  )
})
