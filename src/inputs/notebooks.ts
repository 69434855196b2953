/**
 * Several notebooks in one step: the `notebooks` list, and a `runs` output given back as
 * `run-id` to collect the runs of an earlier step. Every entry is checked before any request,
 * and a bad one is named by its place in the list and its name.
 */
import type { Parameter, UpdateReport } from '../datalore/api.js'
import { InputError } from '../errors.js'
import { isSafeSegment } from '../identifiers.js'
import { clip, quote } from '../log.js'
import { checkArtifactName, UNPRINTABLE } from './artifact-name.js'
import type { ManyEntry } from './config.js'
import { Inputs } from './names.js'
import { NotebookRef, notebookPath, parseNotebookId } from './notebook-id.js'
import { parametersFromList, parametersFromMapping, parseParameters } from './parameters.js'
import { readYaml } from './yaml.js'

/** More than this is more than one step should wait for: shard the list across a matrix. */
export const MAX_ENTRIES = 256
const MAX_NAME = 100

const NOTEBOOKS_EXAMPLE =
  'a list of notebook IDs or mappings,\n  notebooks: |\n    - abc/sales\n    - notebook-id: abc/churn\n      name: churn EU\n      parameters:\n        Region: EU'
const RUNS_EXAMPLE =
  '`run-id: ${{ steps.submit.outputs.runs }}` (the `runs` output of a step with `wait: false`)'

const ENTRY_KEYS = [
  'notebook-id',
  'name',
  'parameters',
  'update-report',
  'direct-file-storage-write',
  'artifact-name'
] as const

/** What applies to every entry unless the entry says otherwise. */
export interface EntryDefaults {
  host?: string
  allowInsecureHttp: boolean
  parameters?: Parameter[]
  updateReport: UpdateReport
  directFileStorageWrite: boolean
  wait: boolean
}

/**
 * Reads the `notebooks` list. Returns the entries and the host they share (a notebook URL may
 * name it; every entry must agree with it, since one token opens one server).
 */
export function parseNotebookList(
  text: string,
  defaults: EntryDefaults
): { entries: ManyEntry[]; host?: string } {
  const items = readList(text, Inputs.Notebooks, NOTEBOOKS_EXAMPLE)
  let host = defaults.host
  const entries = items.map((item, index): ManyEntry => {
    const where: Place = new Place(index, item)
    const fields = typeof item === 'string' ? { 'notebook-id': item } : where.mapping()
    for (const key of Object.keys(fields)) where.knownKey(key)
    const idText = where.text(fields, 'notebook-id')
    if (idText == null || idText.trim() === '') {
      where.fail('has no `notebook-id`', '`- notebook-id: ownerId/notebookId`')
    }
    const parsed = where.wrap(() => parseNotebookId(idText.trim(), defaults.allowInsecureHttp))
    if (parsed.host != null) {
      if (host != null && host !== parsed.host) {
        where.fail(
          `is a notebook on ${parsed.host}, but the step's Datalore is ${host}; one step runs notebooks of one Datalore server`,
          'notebook IDs `ownerId/notebookId` with `host`, or URLs of the same server'
        )
      }
      host = parsed.host
    }
    const artifactName = where.text(fields, 'artifact-name')?.trim() || undefined
    if (artifactName != null) where.wrap(() => checkArtifactName(artifactName))
    return {
      name: where.name(fields, parsed.notebook),
      artifactName,
      story: {
        kind: 'submit',
        notebook: parsed.notebook,
        parameters: mergeParameters(defaults.parameters, where.parameters(fields)),
        updateReport: where.updateReport(fields) ?? defaults.updateReport,
        directFileStorageWrite:
          where.boolean(fields, 'direct-file-storage-write') ?? defaults.directFileStorageWrite,
        wait: defaults.wait
      }
    }
  })
  refuseTwice(entries, Inputs.Notebooks, 'name', e => e.name, 'give each entry its own `name`')
  refuseTwice(
    entries,
    Inputs.Notebooks,
    'artifact-name',
    e => e.artifactName,
    'give each entry its own `artifact-name`, or leave it out for the default (unique per run)'
  )
  return { entries, host }
}

/**
 * Reads `run-id` given as a list: the `runs` output of an earlier step (objects with `run-id`,
 * and `name` and `notebook-id` when known), or plain run IDs. Entries that never got a run ID
 * (skipped, or refused by Datalore) are left out: there is nothing of theirs to collect.
 */
export function parseRunList(text: string): ManyEntry[] {
  const items = readList(text, Inputs.RunId, RUNS_EXAMPLE)
  const entries: ManyEntry[] = []
  items.forEach((item, index) => {
    const where: Place = new Place(index, item, Inputs.RunId, RUNS_EXAMPLE)
    const fields = typeof item === 'string' ? { 'run-id': item } : where.mapping()
    const runId = where.text(fields, 'run-id')
    if (runId == null || runId === '') return
    if (!isSafeSegment(runId)) {
      where.fail(`has a run ID that is not one Datalore gives: ${quote(runId)}`, RUNS_EXAMPLE)
    }
    const idText = where.text(fields, 'notebook-id')
    const notebook =
      idText == null || idText === ''
        ? undefined
        : where.wrap(() => parseNotebookId(idText, false)).notebook
    const name = where.text(fields, 'name')
    entries.push({
      name: name != null && name !== '' ? where.checkName(name) : runId,
      story: { kind: 'collect', runId, notebook }
    })
  })
  if (entries.length === 0) {
    throw new InputError(
      Inputs.RunId,
      'is a list in which no entry has a run ID: the step that submitted them started no run',
      RUNS_EXAMPLE
    )
  }
  refuseTwice(
    entries,
    Inputs.RunId,
    'run-id',
    e => (e.story.kind === 'collect' ? e.story.runId : undefined),
    'collect each run once'
  )
  refuseTwice(entries, Inputs.RunId, 'name', e => e.name, 'give each run its own `name`')
  return entries
}

/** The step's parameters, with the entry's own replacing those of the same name. */
function mergeParameters(
  step: Parameter[] | undefined,
  own: Parameter[] | undefined
): Parameter[] | undefined {
  if (step == null) return own
  if (own == null) return step
  const ownNames = new Set(own.map(p => p.name))
  return [...step.filter(p => !ownNames.has(p.name)), ...own]
}

/** The list in `text`, YAML or JSON; every scalar read as the string it was written as. */
function readList(text: string, input: string, example: string): unknown[] {
  const document = readYaml(text, input, example)
  if (!Array.isArray(document)) throw new InputError(input, 'must be a list', example)
  if (document.length === 0) {
    throw new InputError(input, 'is an empty list: there is nothing to run', example)
  }
  if (document.length > MAX_ENTRIES) {
    throw new InputError(
      input,
      `has ${document.length} entries; one step takes at most ${MAX_ENTRIES} (shard a longer list across a matrix of jobs)`,
      example
    )
  }
  return document
}

function refuseTwice(
  entries: readonly ManyEntry[],
  input: string,
  key: string,
  valueOf: (entry: ManyEntry) => string | undefined,
  fix: string
): void {
  const seen = new Map<string, number>()
  entries.forEach((entry, index) => {
    const value = valueOf(entry)
    if (value == null) return
    const first = seen.get(value)
    if (first != null) {
      throw new InputError(
        input,
        `has the ${key} ${quote(value)} twice: entry #${first + 1} and entry #${index + 1} (${quote(entry.name)})`,
        fix
      )
    }
    seen.set(value, index)
  })
}

/** One entry of a list: reads its fields, and names it in every error. */
class Place {
  constructor(
    private readonly index: number,
    private readonly item: unknown,
    private readonly input: string = Inputs.Notebooks,
    private readonly example: string = NOTEBOOKS_EXAMPLE
  ) {}

  private label(): string {
    const item = this.item
    const name =
      item != null && typeof item === 'object' && !Array.isArray(item)
        ? ((item as Record<string, unknown>).name ??
          (item as Record<string, unknown>)['notebook-id'])
        : item
    const shown = typeof name === 'string' ? ` (${quote(name, 100)})` : ''
    return `entry #${this.index + 1}${shown}`
  }

  fail(problem: string, example = this.example): never {
    const separator = problem.startsWith(':') ? '' : ' '
    throw new InputError(this.input, `${this.label()}${separator}${problem}`, example)
  }

  /** Runs a reader of one value; its error is told as this entry's. */
  wrap<T>(read: () => T): T {
    try {
      return read()
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      this.fail(`: \`${error.input}\` ${error.problem}`, error.example)
    }
  }

  /**
   * Refuses a key the action does not read: it would be silently ignored. Keys are compared
   * exactly, as every other reader of the entry looks them up: `Parameters:` is not `parameters:`.
   */
  knownKey(key: string): void {
    if ((ENTRY_KEYS as readonly string[]).includes(key)) return
    const meant = ENTRY_KEYS.find(known => known.toLowerCase() === key.trim().toLowerCase())
    this.fail(
      meant == null
        ? `has an unknown key ${quote(key)} (known: ${ENTRY_KEYS.join(', ')})`
        : `has the key ${quote(key)}, which the action would ignore: keys are written in lower case, \`${meant}\``,
      meant == null
        ? 'a mapping with `notebook-id` and optionally `name`, `parameters`, `update-report`, `direct-file-storage-write`, `artifact-name`'
        : `\`${meant}:\``
    )
  }

  mapping(): Record<string, unknown> {
    const item = this.item
    if (item == null || typeof item !== 'object' || Array.isArray(item)) {
      this.fail('must be a notebook ID or a mapping')
    }
    return item as Record<string, unknown>
  }

  text(fields: Record<string, unknown>, key: string): string | undefined {
    const value = fields[key]
    if (value == null) return undefined
    if (typeof value !== 'string') this.fail(`has a \`${key}\` that is not a single value`)
    return value
  }

  boolean(fields: Record<string, unknown>, key: string): boolean | undefined {
    const value = this.text(fields, key)?.trim()
    if (value == null || value === '') return undefined
    if (/^(true|True|TRUE)$/.test(value)) return true
    if (/^(false|False|FALSE)$/.test(value)) return false
    this.fail(`has \`${key}: ${clip(value, 50)}\`; it must be true or false`, `\`${key}: true\``)
  }

  updateReport(fields: Record<string, unknown>): UpdateReport | undefined {
    const value = this.text(fields, 'update-report')?.trim().toLowerCase()
    if (value == null || value === '') return undefined
    if (value === 'never') return 'never'
    if (value === 'on-success') return 'on success'
    this.fail(
      `has \`update-report: ${clip(value, 50)}\`; it must be "never" or "on-success"`,
      '`update-report: on-success`'
    )
  }

  parameters(fields: Record<string, unknown>): Parameter[] | undefined {
    const value = fields.parameters
    if (value == null) return undefined
    return this.wrap(() => {
      if (typeof value === 'string') {
        return parseParameters(value, `The \`parameters\` of \`${this.input}\` ${this.label()}`)
      }
      if (Array.isArray(value)) return parametersFromList(value)
      return parametersFromMapping(value)
    })
  }

  checkName(name: string): string {
    const trimmed = name.trim()
    if (trimmed === '' || trimmed.length > MAX_NAME || UNPRINTABLE.test(trimmed)) {
      this.fail(
        `has a \`name\` that is not a short label (1 to ${MAX_NAME} visible characters on one line, no "##["): ${quote(name, 120)}`,
        '`name: sales EU`'
      )
    }
    return trimmed
  }

  name(fields: Record<string, unknown>, notebook: NotebookRef): string {
    const given = this.text(fields, 'name')
    return given == null ? notebookPath(notebook) : this.checkName(given)
  }
}
