/**
 * Datalore's Run API, as documented (see the README's "What the action relies on"): start a
 * run, read its status, start an interactive run. Every answer is checked against the
 * documented shape, because a misread answer could turn a failed run into a green step.
 */
import { HttpStatusError, ProtocolError } from './errors.js'
import { discard, HttpResponse, HttpTransport, readText } from './http.js'
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

/** The biggest answer we read into memory. A status lists artifacts; 8 MiB is ~50,000 of them. */
const MAX_JSON_BYTES = 8 * 1024 * 1024
const STATUS_TIMEOUT_MS = 30_000
const SUBMIT_TIMEOUT_MS = 60_000

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

  async startRun(request: RunRequest, signal?: AbortSignal): Promise<string> {
    const answer = await this.postJson('/api/run/v1/notebook', request, 'start the run', signal)
    const runId = isObject(answer) ? answer.runId : undefined
    if (typeof runId !== 'string' || runId === '') {
      throw new ProtocolError(
        `Datalore accepted the request to start the run but its answer has no runId (${preview(JSON.stringify(answer))}). A run may have started: check the notebook's run history on ${this.context.host}`
      )
    }
    return runId
  }

  /** Interactive mode: runs the notebook in place. The answer is not documented, so any is fine. */
  async startInteractive(notebookId: string, signal?: AbortSignal): Promise<void> {
    await this.postJson(
      '/api/computation/v1/notebook',
      { notebookId },
      'run the notebook',
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
    return parseRunStatus(runId, parseJson(text, response))
  }

  private async postJson(
    path: string,
    body: unknown,
    action: string,
    signal: AbortSignal | undefined,
    anyAnswer = false
  ): Promise<unknown> {
    const response = await this.transport.send({
      method: 'POST',
      url: `${this.context.host}${path}`,
      headers: { ...this.headers(), 'content-type': 'application/json' },
      body: JSON.stringify(body),
      timeoutMs: SUBMIT_TIMEOUT_MS,
      signal
    })
    await this.refuseErrors(response, action, signal)
    const text = await readText(response, MAX_JSON_BYTES, SUBMIT_TIMEOUT_MS, signal)
    if (anyAnswer) return undefined
    return parseJson(text, response)
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
        `Datalore could not ${action}: ${response.url} answered ${status} with a redirect to ${String(response.headers.location ?? 'nowhere')}. Check \`host\`: it must be the Datalore server's own https:// address, not a page that redirects (such as a login page)`,
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

function preview(text: string, length = 300): string {
  const oneLine = text.replace(/\s+/g, ' ').trim()
  return oneLine.length > length ? `${oneLine.slice(0, length)}...` : oneLine
}

function parseJson(text: string, response: HttpResponse): unknown {
  try {
    return JSON.parse(text)
  } catch {
    const type = String(response.headers['content-type'] ?? 'no content type')
    throw new ProtocolError(
      `${response.url} answered with something that is not JSON (${type}: "${preview(text, 120)}"). Check that \`host\` points to the Datalore server itself and that no proxy or login page answers in its place`
    )
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value != null && typeof value === 'object' && !Array.isArray(value)
}

/** Checks a status document against the documented shape. */
export function parseRunStatus(runId: string, document: unknown): RunStatus {
  const problem = (what: string): ProtocolError =>
    new ProtocolError(
      `The status of run ${runId} does not have the documented shape: ${what} (${preview(JSON.stringify(document), 200)})`
    )
  if (!isObject(document)) throw problem('it is not a JSON object')
  if (document.runId != null && document.runId !== runId) {
    throw problem(`it describes run ${JSON.stringify(document.runId)}, not the one asked for`)
  }
  const optionalString = (key: string): string | undefined => {
    const value = document[key]
    if (value == null) return undefined
    if (typeof value !== 'string') throw problem(`"${key}" is not a string`)
    return value
  }
  const endTime = optionalString('endTime')
  const { success } = document
  if (endTime != null && typeof success !== 'boolean') {
    throw problem(
      `the run has finished ("endTime" is set) but "success" is ${success === undefined ? 'missing' : JSON.stringify(success)} instead of true or false`
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
  const status =
    document.status == null
      ? undefined
      : typeof document.status === 'string'
        ? document.status
        : JSON.stringify(document.status)
  return {
    runId,
    status,
    startTime: optionalString('startTime'),
    endTime,
    success: endTime == null ? undefined : (success as boolean),
    artifacts: (artifacts as Array<Record<string, string>>).map(a => ({
      name: a.name ?? '',
      path: a.path ?? ''
    }))
  }
}
