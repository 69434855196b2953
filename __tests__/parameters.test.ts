import { describe, expect, it } from '@jest/globals'
import { parseParameters } from '../src/inputs/parameters.js'

describe('a mapping', () => {
  it('sends scalars as the strings they were written as, and lists as lists of strings', () => {
    expect(
      parseParameters(
        'Region: EU\nThreshold: 0.50\nEnabled: true\nEmpty:\nColumns: [a, 2]\nNull: null'
      )
    ).toEqual([
      { name: 'Region', value: 'EU' },
      { name: 'Threshold', value: '0.50' },
      { name: 'Enabled', value: 'true' },
      { name: 'Empty', value: '' },
      { name: 'Columns', value: ['a', '2'] },
      { name: 'Null', value: 'null' }
    ])
  })

  it('reads JSON mappings too, keeping order', () => {
    expect(parseParameters('{"b": 1, "a": "x y"}')).toEqual([
      { name: 'b', value: '1' },
      { name: 'a', value: 'x y' }
    ])
  })

  it('is empty when the input is', () => {
    expect(parseParameters('')).toBeUndefined()
    expect(parseParameters('  \n')).toBeUndefined()
  })

  it.each([
    ['a: 1\na: 2', /not valid YAML or JSON \(Map keys must be unique/],
    ['{"a": 1, "a": 2}', /Map keys must be unique/],
    ['a: {b: 1}', /nested mapping under "a"/],
    ['a: [[1]]', /list under "a" that holds more than plain values/],
    ['just text', /must be a mapping/],
    ['a: [unclosed', /not valid YAML or JSON/],
    ['- a\n- b', /must be a mapping/]
  ])('refuses %j', (text, message) => {
    expect(() => parseParameters(text)).toThrow(message)
    expect(() => parseParameters(text)).toThrow(/^Input `parameters`.*For example: a mapping/s)
  })
})

describe('a JSON array', () => {
  it('is passed through as given', () => {
    const text =
      '[{"name": "n", "value": 0.5}, {"name": "m", "value": {"any": [true, null]}, "extra": 1}]'
    expect(parseParameters(text)).toEqual(JSON.parse(text))
  })

  it.each([
    ['[1]', /item 0 must be an object/],
    ['[{"value": 1}]', /item 0 needs a non-empty string "name"/],
    ['[{"name": "a"}]', /item 0 \("a"\) has no "value"/],
    ['[{"name": "a", "value": 1},]', /not a valid JSON array/]
  ])('refuses %j', (text, message) => {
    expect(() => parseParameters(text)).toThrow(message)
  })
})
