/**
 * The values artifact, `datalore-values-<key>.json`: what a run leaves for the runs after it
 * to compare with. Written here and read back here, so that the two cannot drift apart.
 *
 * Schema version 1, one JSON object:
 *
 *   schemaVersion  1
 *   key            the `baseline-key` it was kept under
 *   notebook       {id?, url?, dataloreRunId}: the notebook (when known) and its Datalore run
 *   workflowRun    {id, attempt, sha, ref, event, url, time}: the workflow run that wrote it
 *   conclusion     how the Datalore run ended (success, failure): a failed run's values are
 *                  kept too, but the lookup only takes a file whose conclusion is success
 *   values         {name: value} as the notebook glued them, numbers as it wrote them
 *   history        [{workflowRun: {id, attempt, sha, time}, values: [[path, number], ...]}]:
 *                  the numbers of earlier runs of the key, oldest first, each as a path (names,
 *                  member keys, list indices) and the number; this run is not in it
 *
 * A file read back is outside data (any step of the base branch's workflow could have written
 * it): it is read only when it is at most MAX_VALUES_FILE_BYTES, at most 100 levels deep, and
 * everything in it is checked; what is wrong is said in a `ValuesFileError`, never thrown
 * otherwise. Numbers come back as JsonNumbers, so a value compares and charts as it was written.
 */
import type { LeafPath } from '../compare/paths.js'
import { clip, quote } from '../log.js'
import { JsonNumber, JsonSyntaxError, readJson, writeJson } from '../notebook/json-value.js'

export const VALUES_SCHEMA_VERSION = 1
/**
 * The largest file read. What this action writes stays under it: the values are at most
 * `values` output's 512 KiB (as GitHub counts, so at most 768 KiB of UTF-8), the history at most
 * MAX_HISTORY_BYTES, and the rest is a few hundred bytes.
 */
export const MAX_VALUES_FILE_BYTES = 4 * 1024 * 1024
/** What the history takes at most; the oldest entries go first. */
export const MAX_HISTORY_BYTES = 2 * 1024 * 1024
/** The numbers one history entry keeps at most, in the order they were glued. */
export const MAX_LEAVES_PER_ENTRY = 10_000
const MAX_DEPTH = 100

/**
 * Where a number is inside the glued values: its name, then member keys and list indices; as
 * text, the comparison's path (../compare/paths.ts `pathText`).
 */
export type { LeafPath } from '../compare/paths.js'

export interface NumericLeaf {
  path: LeafPath
  value: JsonNumber
}

/** The workflow run that wrote a file. */
export interface WorkflowRunRef {
  id: number
  attempt: number
  sha: string
  /** ISO 8601: when its values were written. */
  time: string
}

export interface HistoryEntry {
  workflowRun: WorkflowRunRef
  values: NumericLeaf[]
}

export interface ValuesFile {
  schemaVersion: typeof VALUES_SCHEMA_VERSION
  key: string
  notebook: { id?: string; url?: string; dataloreRunId: string }
  workflowRun: WorkflowRunRef & { ref: string; event: string; url: string }
  conclusion: string
  /** Name -> value, numbers as JsonNumbers. */
  values: Array<[string, unknown]>
  /** Oldest first. */
  history: HistoryEntry[]
}

/** What is wrong with a file, for a person: "it is not JSON", "it holds the values of ...". */
export class ValuesFileError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ValuesFileError'
  }
}

/** The file's text: compact JSON, numbers exactly as the notebook wrote them. */
export function writeValuesFile(file: ValuesFile): string {
  const members = file.values.map(([name, value]) => `${JSON.stringify(name)}:${writeJson(value)}`)
  const history = fittingHistory(file.history).map(writeEntry)
  const head = writeJson({
    schemaVersion: file.schemaVersion,
    key: file.key,
    notebook: file.notebook,
    workflowRun: file.workflowRun,
    conclusion: file.conclusion
  })
  return `${head.slice(0, -1)},"values":{${members.join(',')}},"history":[${history.join(',')}]}\n`
}

function writeEntry(entry: HistoryEntry): string {
  const leaves = entry.values.map(leaf => `[${JSON.stringify(leaf.path)},${leaf.value.text}]`)
  return `{"workflowRun":${writeJson(entry.workflowRun)},"values":[${leaves.join(',')}]}`
}

/** The newest entries whose text fits MAX_HISTORY_BYTES together, oldest first. */
function fittingHistory(history: readonly HistoryEntry[]): HistoryEntry[] {
  let bytes = 0
  let from = history.length
  while (from > 0) {
    const size = Buffer.byteLength(writeEntry(history[from - 1] as HistoryEntry)) + 1
    if (bytes + size > MAX_HISTORY_BYTES) break
    bytes += size
    from--
  }
  return history.slice(from)
}

/**
 * The history a run carries on from its baseline: the baseline's own, then the baseline's
 * numbers as the newest entry, at most `length` entries (the newest).
 */
export function carriedHistory(baseline: ValuesFile | undefined, length: number): HistoryEntry[] {
  if (baseline == null || length <= 0) return []
  const own: HistoryEntry = {
    workflowRun: {
      id: baseline.workflowRun.id,
      attempt: baseline.workflowRun.attempt,
      sha: baseline.workflowRun.sha,
      time: baseline.workflowRun.time
    },
    values: numericLeaves(baseline.values)
  }
  return [...baseline.history, own].slice(-length)
}

/** Every number in the values, in order, with its path; at most MAX_LEAVES_PER_ENTRY. */
export function numericLeaves(values: ReadonlyArray<[string, unknown]>): NumericLeaf[] {
  const leaves: NumericLeaf[] = []
  const walk = (value: unknown, path: Array<string | number>): void => {
    if (leaves.length >= MAX_LEAVES_PER_ENTRY) return
    if (value instanceof JsonNumber) leaves.push({ path: [...path], value })
    else if (Array.isArray(value)) value.forEach((item, index) => walk(item, [...path, index]))
    else if (value != null && typeof value === 'object') {
      for (const [key, member] of Object.entries(value)) walk(member, [...path, key])
    }
  }
  for (const [name, value] of values) walk(value, [name])
  return leaves
}

/**
 * Reads a downloaded file and checks it is a values file of `key` that this action can read.
 * Throws ValuesFileError saying what is wrong.
 */
export function parseValuesFile(text: string, key: string): ValuesFile {
  if (text.length > MAX_VALUES_FILE_BYTES) {
    throw new ValuesFileError(`it is larger than ${MAX_VALUES_FILE_BYTES / 1024 / 1024} MiB`)
  }
  let document: unknown
  try {
    document = readJson(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, MAX_DEPTH)
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new ValuesFileError(`it is ${error.message}`)
    throw error
  }
  const file = new Fields(document, 'it')
  const version = file.get('schemaVersion')
  if (!(version instanceof JsonNumber)) {
    throw new ValuesFileError('it has no schemaVersion: it is no values file of this action')
  }
  if (version.value !== VALUES_SCHEMA_VERSION) {
    throw new ValuesFileError(
      version.value > VALUES_SCHEMA_VERSION
        ? `it has schema version ${clip(version.text, 20)}, written by a newer version of the action (this one reads ${VALUES_SCHEMA_VERSION})`
        : `it has schema version ${clip(version.text, 20)}, which this action does not read (it reads ${VALUES_SCHEMA_VERSION})`
    )
  }
  const ownKey = file.string('key')
  if (ownKey !== key) {
    throw new ValuesFileError(`it holds the values of the key ${quote(ownKey)}, not ${quote(key)}`)
  }
  const notebook = file.fields('notebook')
  const run = file.fields('workflowRun')
  const values = file.fields('values')
  const history = file.list('history')
  return {
    schemaVersion: VALUES_SCHEMA_VERSION,
    key: ownKey,
    notebook: {
      id: notebook.optionalString('id'),
      url: notebook.optionalString('url'),
      dataloreRunId: notebook.string('dataloreRunId')
    },
    workflowRun: {
      id: run.count('id'),
      attempt: run.count('attempt'),
      sha: run.string('sha'),
      ref: run.string('ref'),
      event: run.string('event'),
      url: run.string('url'),
      time: run.string('time')
    },
    conclusion: file.string('conclusion'),
    values: values.entries(),
    history: history.map((item, index) => {
      const entry = new Fields(item, `its history entry #${index + 1}`)
      return {
        workflowRun: runRef(entry.fields('workflowRun')),
        values: entry.list('values').map((leaf, at) => readLeaf(leaf, entry, at))
      }
    })
  }
}

function runRef(run: Fields): WorkflowRunRef {
  return {
    id: run.count('id'),
    attempt: run.count('attempt'),
    sha: run.string('sha'),
    time: run.string('time')
  }
}

function readLeaf(leaf: unknown, entry: Fields, at: number): NumericLeaf {
  const bad = (): never => entry.fail(`value #${at + 1} is not [path, number]`)
  if (!Array.isArray(leaf) || leaf.length !== 2) return bad()
  const [path, value] = leaf as [unknown, unknown]
  if (!(value instanceof JsonNumber) || !Array.isArray(path) || path.length === 0) return bad()
  const segments = (path as unknown[]).map(segment => {
    if (typeof segment === 'string') return segment
    const index = segment instanceof JsonNumber ? segment.integer : undefined
    if (index == null || index < 0n || index > BigInt(Number.MAX_SAFE_INTEGER)) return bad()
    return Number(index)
  })
  if (typeof segments[0] !== 'string') return bad()
  return { path: segments, value }
}

/** An object of the file, read field by field; each problem names the field. */
class Fields {
  private readonly members: Record<string, unknown>

  constructor(
    value: unknown,
    private readonly where: string
  ) {
    if (value == null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail('is not an object')
    }
    this.members = value as Record<string, unknown>
  }

  fail(problem: string): never {
    throw new ValuesFileError(`${this.where} ${problem}`)
  }

  get(name: string): unknown {
    return Object.hasOwn(this.members, name) ? this.members[name] : undefined
  }

  string(name: string): string {
    const value = this.get(name)
    if (typeof value !== 'string') this.fail(`has no text \`${name}\``)
    return value
  }

  optionalString(name: string): string | undefined {
    return this.get(name) == null ? undefined : this.string(name)
  }

  /** A whole number from 0 to 2^53 - 1 (an ID, an attempt). */
  count(name: string): number {
    const value = this.get(name)
    const integer = value instanceof JsonNumber ? value.integer : undefined
    if (integer == null || integer < 0n || integer > BigInt(Number.MAX_SAFE_INTEGER)) {
      this.fail(`has no whole number \`${name}\``)
    }
    return Number(integer)
  }

  fields(name: string): Fields {
    return new Fields(
      this.get(name),
      `${this.where === 'it' ? 'its' : `${this.where}'s`} \`${name}\``
    )
  }

  list(name: string): unknown[] {
    const value = this.get(name)
    if (!Array.isArray(value)) this.fail(`has no list \`${name}\``)
    return value
  }

  entries(): Array<[string, unknown]> {
    return Object.entries(this.members)
  }
}
