/**
 * What the step knows so far. The entrypoint writes it as the story goes, from what each part
 * returns; outputs and the job summary are both written from it, on every exit path. Nothing
 * reads it back to decide what to do next.
 */
import type { ArtifactReport } from './artifacts/collect.js'
import type { DownloadedArtifact, FailedArtifact } from './artifacts/download.js'
import type { NotebookPage } from './artifacts/pages.js'
import type { UploadedArtifact } from './artifacts/upload.js'
import type { BaselineFinding } from './baseline/baseline.js'
import type { RunComparison } from './compare/run.js'
import type { FinishedRun, Parameter, RunStatus } from './datalore/api.js'
import { secondsBetween } from './format.js'
import type { Config, ManyStory, Story } from './inputs/config.js'
import type { NotebookError, Values } from './notebook/explain.js'
import { notebookPath, notebookUrl } from './inputs/notebook-id.js'

export type Conclusion =
  | 'success'
  | 'failure'
  | 'timed_out'
  | 'cancelled'
  | 'submitted'
  /** One of several runs, never submitted (`fail-fast`, the timeout, or a cancel came first). */
  | 'skipped'

/** Worst first: a step of several runs ends as the worst of them. */
export const CONCLUSIONS_WORST_FIRST: readonly Conclusion[] = [
  'cancelled',
  'timed_out',
  'failure',
  'skipped',
  'submitted',
  'success'
]

export interface Outcome {
  host: string
  mode: 'run' | 'interactive'
  notebookId?: string
  notebookUrl?: string
  runId?: string
  conclusion?: Conclusion
  /** What Datalore said, once the run has finished. */
  success?: boolean
  /** The last status string seen while the run was in progress. */
  status?: string
  startTime?: string
  endTime?: string
  parameters?: Parameter[]
  updateReport: string
  reportUpdated?: boolean
  /** Why the step failed, or what it warns about, for the summary. */
  problem?: string
  /** Where the run's artifacts were written, once the action started fetching them. */
  artifactsPath?: string
  artifacts?: DownloadedArtifact[]
  failedArtifacts?: FailedArtifact[]
  /** The workflow artifact, once uploaded. */
  artifactName?: string
  uploaded?: UploadedArtifact
  /** The executed notebooks as pages for the browser. */
  pages?: NotebookPage[]
  /** What the executed notebooks said: the errors that failed the run, the values glued. */
  notebookErrors?: NotebookError[]
  /** The first failing cell and its error, when the run failed. */
  failedCell?: number
  error?: string
  values?: Values
  /** With `baseline`: the last good run's values, or why there are none; this run's kept. */
  baseline?: BaselineFinding
  /** With a baseline found: this run's values compared with its values. */
  comparison?: RunComparison
  /** With `comment`: the pull request comment of this run's key, once written. */
  comment?: PostedComment
}

/** A comment on the pull request that the step created or edited. */
export interface PostedComment {
  id: number
  url: string
}

/** One run of several, by its name. */
export interface NamedOutcome extends Outcome {
  name: string
}

/** A step of several runs: each run's own outcome, and the step's. */
export interface ManyOutcome {
  mode: 'many'
  host: string
  conclusion?: Conclusion
  /** Every run succeeded; undefined when the step did not wait. */
  success?: boolean
  problem?: string
  runs: NamedOutcome[]
  /** The folder that holds a folder per run. */
  artifactsPath?: string
  /** With `comment-per: step`: the step's one comment, once written. */
  comment?: PostedComment
}

export type StepOutcome = Outcome | ManyOutcome

/** What the inputs already say about a step of several runs, before any request. */
export function describeMany(config: Config, story: ManyStory): ManyOutcome {
  const runs = story.entries.map(entry => ({ name: entry.name, ...describe(config, entry.story) }))
  return { mode: 'many', host: config.host, runs }
}

/** What the inputs already say about the step, before any request. */
export function describe(config: Config, story: Exclude<Story, ManyStory>): Outcome {
  const notebook = story.notebook
  return {
    host: config.host,
    mode: story.kind === 'interactive' ? 'interactive' : 'run',
    notebookId: notebook && notebookPath(notebook),
    notebookUrl: notebook && notebookUrl(config.host, notebook),
    parameters: story.kind === 'submit' ? story.parameters : undefined,
    updateReport: story.kind === 'submit' ? story.updateReport : 'never'
  }
}

/** A status read while waiting: its times and its status, for the outputs and the summary. */
export function recordStatus(outcome: Outcome, status: RunStatus): void {
  outcome.startTime = status.startTime ?? outcome.startTime
  outcome.endTime = status.endTime
  if (status.status != null) outcome.status = status.status
}

/** The run's end, as Datalore told it; the report counts as refreshed when it was asked to be. */
export function recordFinished(outcome: Outcome, finished: FinishedRun): void {
  recordStatus(outcome, finished)
  outcome.conclusion = finished.success ? 'success' : 'failure'
  outcome.success = finished.success
  outcome.reportUpdated = finished.success && outcome.updateReport === 'on success'
}

export function recordArtifacts(outcome: Outcome, report: ArtifactReport): void {
  outcome.pages = report.pages
  outcome.comparison = report.comparison
  if (report.path == null) return
  outcome.artifactsPath = report.path
  outcome.artifacts = report.downloaded
  outcome.failedArtifacts = report.failed
  outcome.artifactName = report.name
  outcome.uploaded = report.uploaded
}

/** Seconds between Datalore's own start and end times, when both are readable. */
export function durationSeconds(outcome: Outcome): number | undefined {
  return secondsBetween(outcome.startTime, outcome.endTime)
}
