/**
 * Reading Datalore's answers when they are not what the action asked for: an error status,
 * a body that is not JSON. Each becomes a message for a person: what the server said (cut
 * short, as data) and which input to check.
 */
import { HttpStatusError, ProtocolError } from '../errors.js'
import { discard, HttpResponse, readText } from '../http.js'
import { quote } from '../log.js'
import { parseRetryAfter } from '../retry.js'
import { isObject, preview } from './api.js'

/** What the action was doing, for error messages that say what to check. */
export interface RequestContext {
  host: string
  notebookId?: string
  runId?: string
}

/** How much of an error body is read, and for how long: enough for a message. */
const ERROR_BODY_BYTES = 64 * 1024
const ERROR_BODY_TIMEOUT_MS = 10_000
/** How much of an HTML page is searched for its title. */
const HTML_HEAD_CHARS = 4_096

/** Turns any answer but 2xx into an HttpStatusError that says what to check. */
export async function refuseErrors(
  response: HttpResponse,
  action: string,
  context: RequestContext,
  nowMs: number,
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
    serverText = serverMessage(
      await readText(response, ERROR_BODY_BYTES, ERROR_BODY_TIMEOUT_MS, signal)
    )
  } catch {
    // The status code alone still says what went wrong.
  }
  throw new HttpStatusError(
    `Datalore could not ${action}: ${status}${serverText === '' ? '' : ` "${serverText}"`}. ${hint(status, context)}`,
    status,
    parseRetryAfter(response.headers['retry-after'], nowMs)
  )
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
  // Only the head: these patterns would take quadratic time on a long run of "<".
  const head = text.slice(0, HTML_HEAD_CHARS)
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(head)?.[1]
  if (title != null && title.trim() !== '') return `an HTML page titled "${preview(title)}"`
  return preview(head.replace(/<[^>]*>/g, ' '))
}

/**
 * The body as JSON, or an error that says what answered instead. `Failure` says how much to
 * believe that: a status poll may have been garbled on the way (GarbledAnswerError, retried).
 */
export function parseJson(
  text: string,
  response: HttpResponse,
  Failure: new (message: string) => ProtocolError = ProtocolError
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
