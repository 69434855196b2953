/**
 * What the step knows so far. The entrypoint fills it in as the story goes; outputs and the
 * job summary are both written from it, on every exit path.
 */
import type { DownloadedArtifact, FailedArtifact } from './artifacts/download.js'
import type { UploadedArtifact } from './artifacts/upload.js'
import type { Parameter } from './parameters.js'

export type Conclusion = 'success' | 'failure' | 'timed_out' | 'cancelled' | 'submitted'

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
}

/** Seconds between Datalore's own start and end times, when both are readable. */
export function durationSeconds(outcome: Outcome): number | undefined {
  if (outcome.startTime == null || outcome.endTime == null) return undefined
  const ms = Date.parse(outcome.endTime) - Date.parse(outcome.startTime)
  return Number.isFinite(ms) && ms >= 0 ? Math.round(ms / 100) / 10 : undefined
}
