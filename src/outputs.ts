/** The step's outputs: names in one place, written from the outcome on every exit path. */
import { basename } from 'node:path'
import type { NotebookPage } from './artifacts/pages.js'
import { changesJson } from './changes-output.js'
import { changedCount } from './compare/values.js'
import { listOf, log, quote } from './log.js'
import { durationSeconds, ManyOutcome, NamedOutcome, Outcome, StepOutcome } from './outcome.js'
import { MAX_OUTPUT_BYTES, shellInertJson, utf16Bytes } from './output-json.js'

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
  Runs: 'runs',
  BaselineFound: 'baseline-found',
  BaselineRunId: 'baseline-run-id',
  BaselineSha: 'baseline-sha',
  Changes: 'changes',
  ChangedCount: 'changed-count',
  CommentId: 'comment-id',
  CommentUrl: 'comment-url'
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

/**
 * The members of one run's object in the `runs` output, with the single-run outputs' names, each
 * as written (`"key":value`, shell-inert), in the order they are written, and by how much they
 * matter: what identifies the run and how it ended (`run-id` collects it later) comes first.
 */
function runMembers(run: NamedOutcome): Array<{ tier: number; json: string }> {
  const [page] = (run.pages ?? []).filter(p => p.artifact != null)
  const fields: Array<[string, Value, number]> = [
    ['name', run.name, 0],
    ['notebook-id', run.notebookId, 0],
    [Outputs.NotebookUrl, run.notebookUrl, 1],
    [Outputs.RunId, run.runId, 0],
    [Outputs.Conclusion, run.conclusion, 0],
    [Outputs.Success, run.success, 0],
    [Outputs.StartTime, run.startTime, 0],
    [Outputs.EndTime, run.endTime, 0],
    [Outputs.DurationSeconds, durationSeconds(run), 0],
    [Outputs.ArtifactId, run.uploaded?.id, 0],
    [Outputs.ArtifactUrl, run.uploaded?.url, 1],
    [Outputs.NotebookPageUrl, page?.artifact?.url, 1],
    [Outputs.FailedCell, run.failedCell, 0],
    [Outputs.BaselineFound, baselineFound(run), 0],
    [Outputs.BaselineRunId, run.baseline?.baseline?.runId, 0],
    [Outputs.ChangedCount, run.comparison && changedCount(run.comparison.changes), 0],
    [Outputs.CommentId, run.comment?.id, 0],
    [Outputs.CommentUrl, run.comment?.url, 1],
    [Outputs.Error, run.error, 2]
  ]
  const members = fields
    .filter(([, value]) => value !== undefined)
    .map(([key, value, tier]) => ({
      tier,
      json: `${shellInertJson(key)}:${shellInertJson(value)}`
    }))
  // Already shell-inert JSON. A run's changes take at most half of the output, as its values do.
  if (run.comparison != null) {
    const changes = changesJson(
      run.comparison.changes,
      MAX_OUTPUT_BYTES / 2,
      `The \`changes\` of ${quote(run.name)} in the \`runs\` output`
    )
    members.push({ tier: 3, json: `"${Outputs.Changes}":${changes}` })
  }
  if (run.values != null) members.push({ tier: 4, json: `"values":${run.values.json}` })
  return members
}

/**
 * What the `runs` output may leave out of a run, by tier; tier 0 is always there. The changes
 * go before the values: they are what a workflow gates on, and the values artifact keeps the
 * values (with `baseline`, the only time there are changes).
 */
const TIERS = ['', 'links', 'error', 'changes', 'values']

/**
 * The `runs` output: every run in entry order, within an output's 1 MB as GitHub counts it, the
 * JSON measured as written. Every run is there with what identifies it and how it ended; then,
 * while the whole fits, the links of each run in entry order, then each run's error, then its
 * values. A field is there whole or not at all, and what is left out is named in a warning.
 */
function runsJson(runs: readonly NamedOutcome[]): string {
  const all = runs.map(runMembers)
  // Each member with a comma, each object with one: a little more than is written, never less.
  const size = (json: string): number => utf16Bytes(json) + utf16Bytes(',')
  const coreSize = (members: ReturnType<typeof runMembers>): number =>
    members.reduce((sum, m) => sum + (m.tier === 0 ? size(m.json) : 0), size('{}'))
  let bytes = utf16Bytes('[]')
  let shown = 0
  // All of them: a run's core is a few hundred bytes at most (a name of 100 characters, IDs,
  // times), and a step has at most 256 runs. Only a list beyond the inputs' limits stops here.
  while (shown < all.length && bytes + coreSize(all[shown] ?? []) <= MAX_OUTPUT_BYTES) {
    bytes += coreSize(all[shown] ?? [])
    shown++
  }
  const kept = all.slice(0, shown).map(members => members.map(m => m.tier === 0))
  const leftOut = TIERS.map(() => new Set<string>())
  for (let tier = 1; tier < TIERS.length; tier++) {
    kept.forEach((flags, index) => {
      all[index]?.forEach((member, at) => {
        if (member.tier !== tier) return
        if (bytes + size(member.json) <= MAX_OUTPUT_BYTES) {
          bytes += size(member.json)
          flags[at] = true
        } else leftOut[tier]?.add(runs[index]?.name ?? '')
      })
    })
  }
  warnOfLeftOut(runs.slice(shown), leftOut)
  const objects = kept.map((flags, index) => {
    const members = (all[index] ?? []).filter((_, at) => flags[at]).map(m => m.json)
    return `{${members.join(',')}}`
  })
  return `[${objects.join(',')}]`
}

function warnOfLeftOut(missing: readonly NamedOutcome[], leftOut: Array<Set<string>>): void {
  const parts = leftOut.flatMap((names, tier) =>
    names.size === 0 ? [] : [`the ${TIERS[tier]} of ${names.size} run(s): ${listOf([...names])}`]
  )
  if (missing.length > 0) {
    parts.unshift(`${missing.length} run(s): ${listOf(missing.map(r => r.name))}`)
  }
  if (parts.length === 0) return
  log.warning(
    `The \`runs\` output leaves out ${parts.join('; and ')}. An output holds at most 1 MB, as GitHub counts it (two bytes a character); each run's error is in the step's log.`
  )
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
    set(Outputs.CommentId, outcome.comment?.id)
    set(Outputs.CommentUrl, outcome.comment?.url)
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
      set(Outputs.BaselineFound, baselineFound(outcome))
      set(Outputs.BaselineRunId, outcome.baseline?.baseline?.runId)
      set(Outputs.BaselineSha, outcome.baseline?.baseline?.sha)
      if (outcome.comparison != null) {
        const { changes } = outcome.comparison
        set(Outputs.Changes, changesJson(changes, MAX_OUTPUT_BYTES, 'The `changes` output'))
        set(Outputs.ChangedCount, changedCount(changes))
      }
      set(Outputs.CommentId, outcome.comment?.id)
      set(Outputs.CommentUrl, outcome.comment?.url)
    }
  }
}

/** Whether the run's baseline was found; undefined without `baseline` or before it was looked for. */
function baselineFound(outcome: Outcome): boolean | undefined {
  return outcome.baseline == null ? undefined : outcome.baseline.baseline != null
}
