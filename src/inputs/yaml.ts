/**
 * YAML (or JSON) from an input, read as data and nothing else. Left to itself, the `yaml`
 * package prints its warnings to stderr (process.emitWarning), quoting the offending input line,
 * and the runner reads stderr for workflow commands too: a pull request's title in `parameters`
 * could forge one. So the parser is told to print nothing (`logLevel: 'error'`), and what it
 * warns of is told here, once per input, through the log like any other outside text.
 */
import { parseDocument, YAMLWarning } from 'yaml'
import { InputError } from '../errors.js'
import { clip, log } from '../log.js'

/** How many of an input's YAML warnings are quoted; the rest are counted. */
const MAX_WARNINGS_TOLD = 5

/**
 * The value of `text`, read with the failsafe schema: every scalar is the string it was written
 * as (`threshold: 0.50` stays "0.50", `id: 007` stays "007"), a mapping a plain object, a list an
 * array. Text that is not YAML the action can use is refused as `input`'s, with `example`; the
 * parser's warnings are told as `place`'s (the input itself, or a part of it).
 */
export function readYaml(
  text: string,
  input: string,
  example: string,
  place = `Input \`${input}\``
): unknown {
  const refuse = (problem: string): never => {
    throw new InputError(input, problem, example)
  }
  const document = parseDocument(text, { schema: 'failsafe', uniqueKeys: true, logLevel: 'error' })
  const [error] = document.errors
  if (error != null) refuse(`is not valid YAML or JSON (${headline(error.message)})`)
  tellWarnings(place, document.warnings)
  let value: unknown
  try {
    // Maps, so that a key that is not text is seen instead of stringified ("{ a: b }").
    value = document.toJS({ mapAsMap: true, maxAliasCount: 100 })
  } catch (thrown) {
    const message = thrown instanceof Error ? thrown.message : String(thrown)
    refuse(`is not valid YAML or JSON (${headline(message)})`)
  }
  return plainData(value, refuse)
}

/** The first line of the parser's message, which says what and where (the rest quotes the input). */
function headline(message: string): string {
  return clip((message.split('\n')[0] ?? '').replace(/:$/, ''), 300)
}

function tellWarnings(place: string, warnings: ReadonlyArray<YAMLWarning>): void {
  if (warnings.length === 0) return
  const told = warnings.slice(0, MAX_WARNINGS_TOLD).map(warning => headline(warning.message))
  const more = warnings.length - told.length
  const tags = warnings.some(warning => warning.code === 'TAG_RESOLVE_FAILED')
  log.warning(
    `${place} was read despite ${warnings.length === 1 ? 'a YAML warning' : `${warnings.length} YAML warnings`}: ${told.join('; ')}${more > 0 ? `; and ${more} more` : ''}.${tags ? ' Every value is read as the text it was written as: a tag other than !!str, !!map or !!seq changes nothing.' : ''}`,
    { title: 'YAML warnings' }
  )
}

/** Maps made plain objects; a key that is not text (a mapping or a list) is refused. */
function plainData(value: unknown, refuse: (problem: string) => never): unknown {
  if (Array.isArray(value)) return value.map(item => plainData(item, refuse))
  if (!(value instanceof Map)) return value
  const entries = [...value.entries()].map(([key, item]): [string, unknown] => {
    if (typeof key !== 'string') {
      refuse(
        'uses a mapping or a list as a key, which the action cannot read: keys are plain names'
      )
    }
    return [key, plainData(item, refuse)]
  })
  // fromEntries defines each key as an own property: a key "__proto__" stays a key.
  return Object.fromEntries(entries)
}
