/** The step's outputs: names in one place, written from the outcome on every exit path. */
import { basename } from 'node:path'
import type { NotebookPage } from './artifacts/pages.js'
import { log } from './log.js'
import { durationSeconds, ManyOutcome, NamedOutcome, Outcome, StepOutcome } from './outcome.js'
import { MAX_OUTPUT_BYTES, shellInert, shellInertJson, utf16Bytes } from './output-json.js'

export const Outputs = {
  RunId: 'run-id',
  NotebookUrl: 'notebook-url',
  Conclusion: 'conclusion',
  Success: 'success',
  StartTime: 'start-time',
  EndTime: 'end-time',
  DurationSeconds: 'duration-seconds',
  ReportUpdated: 'report-updated',
  ArtifactsPath: 'artifacts-path',
  Artifacts: 'artifacts',
  ArtifactId: 'artifact-id',
  ArtifactDigest: 'artifact-digest',
  ArtifactUrl: 'artifact-url',
  NotebookPageUrl: 'notebook-page-url',
  NotebookPageId: 'notebook-page-id',
  FailedCell: 'failed-cell',
  Error: 'error',
  Values: 'values',
  Runs: 'runs'
} as const

type Value = string | number | boolean | undefined

function artifactsJson(
  artifacts: NonNullable<Outcome['artifacts']>,
  pages: readonly NotebookPage[]
): string {
  const entries: string[] = []
  let bytes = 4
  for (const { name, file, size, sha256 } of artifacts) {
    // An executed notebook says where its page is: its workflow artifact, or its file.
    const page = pages.find(p => p.notebook === name)
    const shown =
      page?.artifact != null
        ? { artifact: page.artifact.name, id: page.artifact.id, url: page.artifact.url }
        : page?.path != null
          ? { file: basename(page.path) }
          : undefined
    const entry = shellInertJson({ name, file, size, sha256, ...(shown ? { page: shown } : {}) })
    bytes += utf16Bytes(entry) + 2
    if (bytes > MAX_OUTPUT_BYTES) break
    entries.push(entry)
  }
  if (entries.length < artifacts.length) {
    log.warning(
      `The \`artifacts\` output lists the first ${entries.length} of ${artifacts.length} artifacts: an output holds at most 1 MB. All of them are in \`artifacts-path\`.`
    )
  }
  return `[${entries.join(',')}]`
}

/** One run of several as an object of the `runs` output, with the single-run outputs' names. */
function runObject(run: NamedOutcome): string {
  const [page] = (run.pages ?? []).filter(p => p.artifact != null)
  const fields: Record<string, string | number | boolean | undefined> = {
    name: run.name,
    'notebook-id': run.notebookId,
    [Outputs.NotebookUrl]: run.notebookUrl,
    [Outputs.RunId]: run.runId,
    [Outputs.Conclusion]: run.conclusion,
    [Outputs.Success]: run.success,
    [Outputs.StartTime]: run.startTime,
    [Outputs.EndTime]: run.endTime,
    [Outputs.DurationSeconds]: durationSeconds(run),
    [Outputs.ArtifactId]: run.uploaded?.id,
    [Outputs.ArtifactUrl]: run.uploaded?.url,
    [Outputs.NotebookPageUrl]: page?.artifact?.url,
    [Outputs.FailedCell]: run.failedCell,
    [Outputs.Error]: run.error
  }
  return JSON.stringify(fields)
}

/**
 * The `runs` output: every run in entry order. The `values` of each run are added while the
 * whole stays within an output's 1 MB; those that do not fit are named in a warning.
 */
function runsJson(runs: readonly NamedOutcome[]): string {
  const objects = runs.map(runObject)
  let bytes = objects.reduce((sum, o) => sum + utf16Bytes(o) + 2, 4)
  const leftOut: string[] = []
  const withValues = runs.map((run, index) => {
    const object = objects[index] ?? '{}'
    const values = run.values?.json
    if (values == null) return object
    const extra = utf16Bytes(values) + 20
    if (bytes + extra > MAX_OUTPUT_BYTES) {
      leftOut.push(run.name)
      return object
    }
    bytes += extra
    return `${object.slice(0, -1)},"values":${values}}`
  })
  if (leftOut.length > 0) {
    log.warning(
      `The \`runs\` output leaves out the values of ${leftOut.length} run(s), as an output holds at most 1 MB: ${leftOut.slice(0, 20).join(', ')}`
    )
  }
  return shellInert(`[${withValues.join(',')}]`)
}

export interface OutputWriter {
  /** Set the moment a run is known, so that a later failure or cancel still leaves them behind. */
  writeRun(outcome: Outcome): void
  /** Every output the outcome knows, on every exit path. */
  writeAll(outcome: StepOutcome): void
}

/** One per step: it remembers what it wrote, since writing an output twice only repeats it. */
export function outputWriter(): OutputWriter {
  const written = new Map<string, string>()
  const set = (name: string, value: Value): void => {
    if (value === undefined) return
    const text = String(value)
    if (written.get(name) === text) return
    written.set(name, text)
    log.setOutput(name, text)
  }
  const writeRun = (outcome: Outcome): void => {
    set(Outputs.RunId, outcome.runId)
    set(Outputs.NotebookUrl, outcome.notebookUrl)
  }
  const writeMany = (outcome: ManyOutcome): void => {
    set(Outputs.Conclusion, outcome.conclusion)
    set(Outputs.Success, outcome.success)
    set(Outputs.ArtifactsPath, outcome.artifactsPath)
    set(Outputs.Runs, runsJson(outcome.runs))
  }
  return {
    writeRun,
    writeAll: outcome => {
      if (outcome.mode === 'many') return writeMany(outcome)
      writeRun(outcome)
      set(Outputs.Conclusion, outcome.conclusion)
      set(Outputs.Success, outcome.success)
      set(Outputs.StartTime, outcome.startTime)
      set(Outputs.EndTime, outcome.endTime)
      set(Outputs.DurationSeconds, durationSeconds(outcome))
      set(Outputs.ReportUpdated, outcome.reportUpdated)
      set(Outputs.ArtifactsPath, outcome.artifactsPath)
      if (outcome.artifacts != null) {
        set(Outputs.Artifacts, artifactsJson(outcome.artifacts, outcome.pages ?? []))
      }
      const [page] = (outcome.pages ?? []).filter(p => p.artifact != null)
      set(Outputs.NotebookPageUrl, page?.artifact?.url)
      set(Outputs.NotebookPageId, page?.artifact?.id)
      set(Outputs.ArtifactId, outcome.uploaded?.id)
      set(Outputs.ArtifactDigest, outcome.uploaded?.digest)
      set(Outputs.ArtifactUrl, outcome.uploaded?.url)
      set(Outputs.FailedCell, outcome.failedCell)
      set(Outputs.Error, outcome.error)
      set(Outputs.Values, outcome.values?.json)
    }
  }
}
