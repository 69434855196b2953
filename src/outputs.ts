/** The step's outputs: names in one place, written from the outcome on every exit path. */
import { log } from './log.js'
import { durationSeconds, Outcome } from './outcome.js'

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
  ArtifactUrl: 'artifact-url'
} as const

const written = new Map<string, string>()

function setOutput(name: string, value: string | number | boolean | undefined): void {
  if (value === undefined) return
  const text = String(value)
  // Outputs go to a file the runner reads at the end; writing one twice only repeats it.
  if (written.get(name) === text) return
  written.set(name, text)
  log.setOutput(name, text)
}

/** GitHub keeps at most 1 MB of one output; a longer list is cut to what fits, and says so. */
const MAX_OUTPUT_BYTES = 1_000_000

/**
 * JSON that `fromJSON` reads exactly as written, with the characters a shell acts on written as
 * `\uXXXX` escapes (they only ever occur inside strings here): a workflow that pastes
 * `${{ steps.x.outputs.artifacts }}` into a script cannot be made to run a server's artifact
 * name. (Passing outputs through `env:` is still the way to use them in scripts.)
 */
export function shellInertJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /['`$;&|<>()]/g,
    char => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}

function artifactsJson(artifacts: NonNullable<Outcome['artifacts']>): string {
  const entries: string[] = []
  let bytes = 2
  for (const { name, file, size, sha256 } of artifacts) {
    const entry = shellInertJson({ name, file, size, sha256 })
    bytes += Buffer.byteLength(entry) + 1
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

/** Set the moment a run is known, so that a later failure or cancel still leaves them behind. */
export function writeRunOutputs(outcome: Outcome): void {
  setOutput(Outputs.RunId, outcome.runId)
  setOutput(Outputs.NotebookUrl, outcome.notebookUrl)
}

export function writeOutputs(outcome: Outcome): void {
  writeRunOutputs(outcome)
  setOutput(Outputs.Conclusion, outcome.conclusion)
  setOutput(Outputs.Success, outcome.success)
  setOutput(Outputs.StartTime, outcome.startTime)
  setOutput(Outputs.EndTime, outcome.endTime)
  setOutput(Outputs.DurationSeconds, durationSeconds(outcome))
  setOutput(Outputs.ReportUpdated, outcome.reportUpdated)
  setOutput(Outputs.ArtifactsPath, outcome.artifactsPath)
  if (outcome.artifacts != null) setOutput(Outputs.Artifacts, artifactsJson(outcome.artifacts))
  setOutput(Outputs.ArtifactId, outcome.uploaded?.id)
  setOutput(Outputs.ArtifactDigest, outcome.uploaded?.digest)
  setOutput(Outputs.ArtifactUrl, outcome.uploaded?.url)
}
