import { InputError } from '../errors.js'
import { quote } from '../log.js'
import { Inputs } from './names.js'
import { readYaml } from './yaml.js'

/** One value for a notebook's interactive control, as the Run API takes it. */
export interface Parameter {
  name: string
  value: unknown
}

const EXAMPLE =
  'a mapping of control names to values,\n  parameters: |\n    Region: EU\n    Columns: [revenue, cost]\nor a JSON array passed as is: parameters: \'[{"name": "Region", "value": "EU"}]\''

function fail(problem: string): never {
  throw new InputError(Inputs.Parameters, problem, EXAMPLE)
}

/**
 * Reads `parameters`. A mapping (YAML or JSON) becomes `[{name, value}]` with scalars sent as
 * strings and lists as lists of strings; a JSON array is passed through exactly as given, for
 * value types this action does not know about.
 */
export function parseParameters(text: string, place?: string): Parameter[] | undefined {
  if (text.trim() === '') return undefined
  if (text.trimStart().startsWith('[')) return parseArray(text)

  // Every scalar read as the string it was written as: `threshold: 0.50` is sent as "0.50",
  // not as the number 0.5 printed back as "0.5".
  return parametersFromMapping(readYaml(text, Inputs.Parameters, EXAMPLE, place))
}

/**
 * A mapping of control names to values, read with the failsafe schema (every scalar a string):
 * scalars are sent as strings, lists as lists of strings.
 */
export function parametersFromMapping(document: unknown): Parameter[] {
  if (document == null || typeof document !== 'object' || Array.isArray(document)) {
    fail('must be a mapping of control names to values')
  }
  return Object.entries(document).map(([name, value]) => {
    if (name.trim() === '') fail('has an empty control name')
    if (typeof value === 'string') return { name, value }
    if (Array.isArray(value)) {
      if (value.every(item => typeof item === 'string')) return { name, value }
      fail(
        `has a list under ${quote(name)} that holds more than plain values; lists may only hold scalars`
      )
    }
    fail(
      `has a nested mapping under ${quote(name)}; values must be scalars or lists of scalars (use the JSON array form for anything else)`
    )
  })
}

function parseArray(text: string): Parameter[] {
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch (error) {
    fail(
      `starts with "[" but is not a valid JSON array (${error instanceof Error ? error.message : error})`
    )
  }
  if (!Array.isArray(document)) fail('starts with "[" but is not a JSON array')
  return parametersFromList(document)
}

/** The array form `[{"name": ..., "value": ...}]`, passed through exactly as given. */
export function parametersFromList(document: unknown[]): Parameter[] {
  document.forEach((item: unknown, index) => {
    if (item == null || typeof item !== 'object' || Array.isArray(item)) {
      fail(`item ${index} must be an object {"name": ..., "value": ...}`)
    }
    const entry = item as Record<string, unknown>
    if (typeof entry.name !== 'string' || entry.name.trim() === '') {
      fail(`item ${index} needs a non-empty string "name"`)
    }
    if (!('value' in entry)) fail(`item ${index} (${quote(String(entry.name))}) has no "value"`)
  })
  return document as Parameter[]
}
