/**
 * Datalore's Run API as JetBrains documents it (see the README's "What the action relies on"):
 * what a request carries, and what a status answer must look like before the action believes
 * it. A misread answer could turn a failed run into a green step, so the check is strict.
 */
import { ProtocolError } from '../errors.js'
import { clip, quote } from '../log.js'

/** How Datalore spells it: exactly `"never"` or `"on success"`, with a space. */
export type UpdateReport = 'never' | 'on success'

/** One value for a notebook's interactive control, as the Run API takes it. */
export interface Parameter {
  name: string
  value: unknown
}

export interface RunRequest {
  /** `"<ownerId>/<notebookId>"` */
  notebookId: string
  updateReport: UpdateReport
  /** Sent only when true: older servers do not know the field. */
  directFileStorageWrite?: true
  /** Sent only when given: older servers do not know the field. */
  parameters?: Parameter[]
}

export interface Artifact {
  name: string
  /** Server-absolute path, e.g. /notebook/owner/nb/artifacts/run1/analysis.ipynb */
  path: string
}

export interface RunStatus {
  runId: string
  /** Present only while the run is in progress; values are not documented. */
  status?: string
  startTime?: string
  /** Present once the run has finished. */
  endTime?: string
  /** Set exactly when `endTime` is. */
  success?: boolean
  artifacts: Artifact[]
}

export interface FinishedRun extends RunStatus {
  endTime: string
  success: boolean
}

/** Outside text for a message: cut short (after redaction), on one line. */
export function preview(text: string, length = 300): string {
  return clip(text, length).replace(/\s+/g, ' ').trim()
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value != null && typeof value === 'object' && !Array.isArray(value)
}

const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i
const MAX_STATUS_LENGTH = 200

/** Checks a status document against the documented shape. */
export function parseRunStatus(runId: string, document: unknown): RunStatus {
  const problem = (what: string): ProtocolError =>
    new ProtocolError(
      `The status of run ${runId} does not have the documented shape: ${what} (${preview(String(JSON.stringify(document)), 200)})`
    )
  if (!isObject(document)) throw problem('it is not a JSON object')
  if (document.runId != null && document.runId !== runId) {
    const other = document.runId
    throw problem(
      `it describes run ${quote(typeof other === 'string' ? other : String(JSON.stringify(other)))}, not the one asked for`
    )
  }
  // Times become outputs that workflows put into scripts: only a timestamp will do.
  const optionalTime = (key: string): string | undefined => {
    const value = document[key]
    if (value == null) return undefined
    if (typeof value !== 'string' || !ISO_8601.test(value)) {
      throw problem(`"${key}" is not an ISO 8601 time`)
    }
    return value
  }
  const endTime = optionalTime('endTime')
  const { success } = document
  if (endTime != null && typeof success !== 'boolean') {
    throw problem(
      `the run has finished ("endTime" is set) but "success" is ${success === undefined ? 'missing' : preview(String(JSON.stringify(success)), 100)} instead of true or false`
    )
  }
  const artifacts = document.artifacts ?? []
  if (!Array.isArray(artifacts)) throw problem('"artifacts" is not a list')
  for (const artifact of artifacts) {
    if (
      !isObject(artifact) ||
      typeof artifact.name !== 'string' ||
      typeof artifact.path !== 'string'
    ) {
      throw problem('an entry of "artifacts" is not {"name": ..., "path": ...}')
    }
  }
  // Shown as it comes (its values are not documented), but never more than a line's worth.
  const status =
    document.status == null
      ? undefined
      : clip(
          typeof document.status === 'string'
            ? document.status
            : String(JSON.stringify(document.status)),
          MAX_STATUS_LENGTH
        )
  return {
    runId,
    status,
    startTime: optionalTime('startTime'),
    endTime,
    success: endTime == null ? undefined : (success as boolean),
    artifacts: (artifacts as Array<Record<string, string>>).map(a => ({
      name: a.name ?? '',
      path: a.path ?? ''
    }))
  }
}
