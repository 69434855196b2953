/**
 * What a step knows of a run's baseline: the last good run's values, found by ./find.ts, and
 * what the outputs and the summary say of it. The comparison takes a `Baseline` and this run's
 * values; nothing here decides what changed.
 */
import type { UploadedArtifact } from '../artifacts/upload.js'
import type { HistoryEntry, ValuesFile } from './values-file.js'

/** The last good run of a key on the base branch, and the values it kept. */
export interface Baseline {
  key: string
  /** The workflow run. */
  runId: number
  runAttempt: number
  /** Its commit (head_sha). */
  sha: string
  branch: string
  /** Its page on GitHub. */
  url: string
  /** When it was created, as GitHub says (ISO 8601). */
  createdAt: string
  /** Name -> value, numbers as JsonNumbers (notebook/json-value.ts), as the notebook wrote them. */
  values: ReadonlyMap<string, unknown>
  /** The numbers of the runs before it, oldest first. */
  history: readonly HistoryEntry[]
  /** Its values file, as read: what this run carries on. */
  file: ValuesFile
}

/** One run's baseline as the step found it, for the outputs and the summary. */
export interface BaselineFinding {
  key: string
  baseline?: Baseline
  /** Why there is none, in one line. */
  none?: string
  /** This run's own values artifact, once uploaded. */
  uploaded?: UploadedArtifact & { name: string }
}
