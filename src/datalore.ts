/**
 * Datalore's Run API, as documented (see the README's "What the action relies on"): start a
 * run, read its status, start an interactive run. Every answer is checked against the
 * documented shape, because a misread answer could turn a failed run into a green step.
 */
import { GarbledAnswerError, HttpStatusError, ProtocolError } from './errors.js'
import { discard, HttpResponse, HttpTransport, readText } from './http.js'
import { isSafeSegment } from './identifiers.js'
import { clip, quote } from './log.js'
import { parseRetryAfter } from './retry.js'
import type { UpdateReport } from './inputs.js'
import type { Parameter } from './parameters.js'

export interface RunRequest {
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

/**
 * The biggest answer we read into memory. A status lists the run's artifacts: 32 MiB holds
 * well over 100,000 of them, and is parsed in a fraction of a second.
 */
const MAX_JSON_BYTES = 32 * 1024 * 1024
const STATUS_TIMEOUT_MS = 30_000
/** The longest a submit may take; the step's deadline may allow less (the caller says). */
export const SUBMIT_TIMEOUT_MS = 60_000

/** What the action was doing, for error messages that say what to check. */
export interface RequestContext {
  host: string
  notebookId?: string
  runId?: string
}

export class DataloreClient {
  constructor(
    private readonly transport: HttpTransport,
    private readonly context: RequestContext & { token: string },
    private readonly now: () => number = Date.now
  ) {}

  /** `timeoutMs`: how long the request may take, at most the time left before the deadline. */
  async startRun(request: RunRequest, timeoutMs: number, signal?: AbortSignal): Promise<string> {
    const answer = await this.postJson(
      '/api/run/v1/notebook',
      request,
      'start the run',
      timeoutMs,
      signal
    )
    const runId = isObject(answer) ? answer.runId : undefined
    if (typeof runId !== 'string' || runId === '') {
      throw new ProtocolError(
        `Datalore accepted the request to start the run but its answer has no runId (${preview(JSON.stringify(answer) ?? '')}). A run may have started: check the notebook's run history on ${this.context.host}`
      )
    }
    // It becomes part of a folder, an artifact name and URLs: only a plain identifier will do.
    if (!isSafeSegment(runId)) {
      throw new ProtocolError(
        `Datalore accepted the request to start the run but answered with the run ID ${quote(runId)}, which is not a plain identifier (letters, digits, ".", "_", "~" or "-", at most 200); the action will not use it. A run may have started: check the notebook's run history on ${this.context.host}`
      )
    }
    return runId
  }

  /** Interactive mode: runs the notebook in place. The answer is not documented, so any is fine. */
  async startInteractive(
    notebookId: string,
    timeoutMs: number,
    signal?: AbortSignal
  ): Promise<void> {
    await this.postJson(
      '/api/computation/v1/notebook',
      { notebookId },
      'run the notebook',
      timeoutMs,
      signal,
      true
    )
  }

  async getRun(runId: string, timeoutMs: number, signal?: AbortSignal): Promise<RunStatus> {
    const url = `${this.context.host}/api/run/v1/${encodeURIComponent(runId)}`
    const limit = Math.min(STATUS_TIMEOUT_MS, timeoutMs)
    const response = await this.transport.send({
      method: 'GET',
      url,
      headers: this.headers(),
      timeoutMs: limit,
      signal
    })
    await this.refuseErrors(response, 'read the run status', signal)
    const text = await readText(response, MAX_JSON_BYTES, limit, signal)
    return parseRunStatus(runId, parseJson(text, response, GarbledAnswerError))
  }

  private async postJson(
    path: string,
    body: unknown,
    action: string,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    anyAnswer = false
  ): Promise<unknown> {
    const started = this.now()
    const response = await this.transport.send({
      method: 'POST',
      url: `${this.context.host}${path}`,
      headers: { ...this.headers(), 'content-type': 'application/json' },
      body: JSON.stringify(body),
      timeoutMs,
      signal
    })
    await this.refuseErrors(response, action, signal)
    const left = Math.max(1, timeoutMs - (this.now() - started))
    const text = await readText(response, MAX_JSON_BYTES, left, signal)
    if (anyAnswer) return undefined
    return parseJson(text, response, ProtocolError)
  }

  private headers(): Record<string, string> {
    return { authorization: `Bearer ${this.context.token}`, accept: 'application/json' }
  }

  /** Turns any answer but 2xx into an HttpStatusError that says what to check. */
  private async refuseErrors(
    response: HttpResponse,
    action: string,
    signal?: AbortSignal
  ): Promise<void> {
    const { status } = response
    if (status >= 200 && status < 300) return
    if (status >= 300 && status < 400) {
      discard(response)
      throw new HttpStatusError(
        `Datalore could not ${action}: ${response.url} answered ${status} with a redirect to ${quote(String(response.headers.location ?? 'nowhere'))}. Check \`host\`: it must be the Datalore server's own https:// address, not a page that redirects (such as a login page)`,
        status,
        undefined
      )
    }
    let serverText = ''
    try {
      serverText = serverMessage(await readText(response, 64 * 1024, 10_000, signal))
    } catch {
      // The status code alone still says what went wrong.
    }
    throw new HttpStatusError(
      `Datalore could not ${action}: ${status}${serverText === '' ? '' : ` "${serverText}"`}. ${hint(status, this.context)}`,
      status,
      parseRetryAfter(response.headers['retry-after'], this.now())
    )
  }
}

function hint(status: number, { host, notebookId, runId }: RequestContext): string {
  const notebook = notebookId == null ? '' : ` ${notebookId}`
  switch (status) {
    case 400:
      return `Datalore found the request invalid: check \`notebook-id\`${notebook ? ` (${notebookId})` : ''} and \`parameters\` (their names must match the notebook's interactive controls; servers older than 2026.1 do not know \`parameters\` or \`direct-file-storage-write\`).`
    case 401:
      return `Check \`token\`: it must be a current API token from ${host} (Account settings -> API tokens), not expired or revoked, with a scope that allows running notebooks ("Notebook API" or "Full user access").`
    case 403:
      return `The token was accepted but may not do this: check its scope ("Notebook API" or "Full user access") and that its owner can edit the notebook${notebook}.`
    case 404:
      return runId != null
        ? `Check \`run-id\` (${runId}) and \`host\` (${host}): Datalore knows no such run there.`
        : `Check \`notebook-id\`${notebook ? ` (${notebookId})` : ''}: it is the last two parts of the notebook's URL, and \`host\` (${host}) must be the server the notebook lives on.`
    case 409:
      return "Datalore reports a conflict with the notebook's current state; try again once it is idle."
    case 429:
      return 'Datalore is limiting the rate of requests; try again later.'
    default:
      return status >= 500
        ? `The Datalore server at ${host} had an error; try again later.`
        : `Check the inputs against ${host}.`
  }
}

/** Datalore's error bodies are `{"error": ...}` or `{"message": ...}`; anything else is shown cut short. */
export function serverMessage(text: string): string {
  try {
    const body: unknown = JSON.parse(text)
    if (isObject(body)) {
      for (const key of ['error', 'message']) {
        const value = body[key]
        if (typeof value === 'string' && value !== '') return preview(value)
      }
    }
  } catch {
    // Not JSON: fall through to the raw text.
  }
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]
  if (title != null && title.trim() !== '') return `an HTML page titled "${preview(title)}"`
  const plain = text.replace(/<[^>]*>/g, ' ')
  return preview(plain)
}

/** Outside text for a message: cut short (after redaction), on one line. */
function preview(text: string, length = 300): string {
  return clip(text, length).replace(/\s+/g, ' ').trim()
}

function parseJson(
  text: string,
  response: HttpResponse,
  Failure: new (message: string) => ProtocolError
): unknown {
  try {
    return JSON.parse(text)
  } catch {
    const type = String(response.headers['content-type'] ?? 'no content type')
    throw new Failure(
      `${response.url} answered with something that is not JSON (${preview(type, 100)}: "${preview(text, 120)}"). Check that \`host\` points to the Datalore server itself and that no proxy or login page answers in its place`
    )
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value != null && typeof value === 'object' && !Array.isArray(value)
}

const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i
const MAX_STATUS_LENGTH = 200

/** Checks a status document against the documented shape. */
export function parseRunStatus(runId: string, document: unknown): RunStatus {
  const problem = (what: string): ProtocolError =>
    new ProtocolError(
      `The status of run ${runId} does not have the documented shape: ${what} (${preview(JSON.stringify(document), 200)})`
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
      `the run has finished ("endTime" is set) but "success" is ${success === undefined ? 'missing' : preview(JSON.stringify(success) ?? '', 100)} instead of true or false`
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
