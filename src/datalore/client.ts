/**
 * The one room that holds the API token. Every request to Datalore starts here: starting a
 * run, reading its status, starting an interactive run, fetching an artifact. The token goes
 * only to `host`'s origin (scheme, host and port), never over a downgrade from https to http;
 * redirects are followed here, by hand, so that this stays true for every hop.
 */
import { GarbledAnswerError, HttpStatusError, ProtocolError } from '../errors.js'
import { discard, HttpResponse, HttpTransport, readText, withoutQuery } from '../http.js'
import { isSafeSegment, MAX_SEGMENT_LENGTH } from '../identifiers.js'
import { quote } from '../log.js'
import { parseRetryAfter } from '../retry.js'
import { Artifact, isObject, parseRunStatus, preview, RunRequest, RunStatus } from './api.js'
import { parseJson, refuseErrors, RequestContext } from './answers.js'

/**
 * The biggest answer we read into memory. A status lists the run's artifacts: 32 MiB holds
 * well over 100,000 of them, and is parsed in a fraction of a second.
 */
const MAX_JSON_BYTES = 32 * 1024 * 1024
const STATUS_TIMEOUT_MS = 30_000
/** The longest a submit may take; the step's deadline may allow less (the caller says). */
export const SUBMIT_TIMEOUT_MS = 60_000
/** How long an artifact's server may take to start answering (the body has its own idle limit). */
const ARTIFACT_TIMEOUT_MS = 60_000
const MAX_REDIRECTS = 5
/** A path longer than this is no path Datalore would list. */
const MAX_PATH_LENGTH = 4_096

export interface DataloreConnection {
  /** Base URL without a trailing slash, e.g. https://datalore.jetbrains.com */
  host: string
  token: string
}

export class DataloreClient {
  private readonly context: RequestContext

  constructor(
    private readonly transport: HttpTransport,
    private readonly connection: DataloreConnection,
    /** The notebook and run the step is about, for messages that say what to check. */
    about: { notebookId?: string; runId?: string } = {},
    private readonly now: () => number = Date.now
  ) {
    this.context = { host: connection.host, ...about }
  }

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
    const history = `A run may have started: check the notebook's run history on ${this.connection.host}`
    if (typeof runId !== 'string' || runId === '') {
      throw new ProtocolError(
        `Datalore accepted the request to start the run but its answer has no runId (${preview(String(JSON.stringify(answer)))}). ${history}`
      )
    }
    // It becomes part of a folder, an artifact name and URLs: only a plain identifier will do.
    if (!isSafeSegment(runId)) {
      throw new ProtocolError(
        `Datalore accepted the request to start the run but answered with the run ID ${quote(runId)}, which is not a plain identifier (letters, digits, ".", "_", "~" or "-", at most ${MAX_SEGMENT_LENGTH}); the action will not use it. ${history}`
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

  /** `timeoutMs`: the time left before the deadline; a status request gets at most 30 s. */
  async getRun(runId: string, timeoutMs: number, signal?: AbortSignal): Promise<RunStatus> {
    const limit = Math.min(STATUS_TIMEOUT_MS, timeoutMs)
    const response = await this.transport.send({
      method: 'GET',
      url: `${this.connection.host}/api/run/v1/${encodeURIComponent(runId)}`,
      headers: this.headers(),
      timeoutMs: limit,
      signal
    })
    await refuseErrors(response, 'read the run status', this.context, this.now(), signal)
    const text = await readText(response, MAX_JSON_BYTES, limit, signal)
    return parseRunStatus(runId, parseJson(text, response, GarbledAnswerError))
  }

  /**
   * Opens an artifact's body: a 200 answer whose body the caller streams. Redirects are
   * followed; the token goes along only while the URL is on Datalore's origin; a loop or too
   * many hops end with an error instead of a hang. Any other status is an HttpStatusError.
   */
  async openArtifact(artifact: Artifact, signal?: AbortSignal): Promise<HttpResponse> {
    const trusted = new URL(this.connection.host)
    const visited = new Set<string>()
    let url = artifactUrl(this.connection.host, artifact.path)
    for (let hop = 0; ; hop++) {
      const target = new URL(url)
      if (trusted.protocol === 'https:' && target.protocol !== 'https:') {
        throw new ProtocolError(
          `refusing to download ${withoutQuery(url)} over ${target.protocol}// when Datalore is on https://`
        )
      }
      visited.add(url)
      const response = await this.transport.send({
        method: 'GET',
        url,
        headers: {
          ...(target.origin === trusted.origin ? this.headers() : {}),
          accept: '*/*',
          // The bytes as stored: a compressed transfer would not match Content-Length or sha256.
          'accept-encoding': 'identity'
        },
        timeoutMs: ARTIFACT_TIMEOUT_MS,
        signal
      })
      const location = response.headers.location
      if (response.status >= 300 && response.status < 400 && location != null) {
        discard(response)
        const next = new URL(location, url).toString()
        if (visited.has(next) || hop + 1 >= MAX_REDIRECTS) {
          throw new ProtocolError(
            visited.has(next)
              ? `the download redirects in a loop (${[...visited, next].map(withoutQuery).join(' -> ')})`
              : `the download was redirected more than ${MAX_REDIRECTS} times`
          )
        }
        url = next
        continue
      }
      if (response.status !== 200) {
        discard(response)
        throw new HttpStatusError(
          `${withoutQuery(response.url)} answered ${response.status}`,
          response.status,
          parseRetryAfter(response.headers['retry-after'], this.now())
        )
      }
      return response
    }
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
      url: `${this.connection.host}${path}`,
      headers: { ...this.headers(), 'content-type': 'application/json' },
      body: JSON.stringify(body),
      timeoutMs,
      signal
    })
    await refuseErrors(response, action, this.context, this.now(), signal)
    const left = Math.max(1, timeoutMs - (this.now() - started))
    const text = await readText(response, MAX_JSON_BYTES, left, signal)
    if (anyAnswer) return undefined
    return parseJson(text, response)
  }

  private headers(): Record<string, string> {
    return { authorization: `Bearer ${this.connection.token}`, accept: 'application/json' }
  }
}

/**
 * `GET <host><path>`, the path percent-encoded per segment; an absolute URL is taken as is.
 * The path comes from the server: one that climbs with "." or ".." segments (which URLs
 * resolve, also percent-encoded) or is absurdly long is refused.
 */
export function artifactUrl(host: string, path: string): string {
  const refuse = (why: string): never => {
    throw new ProtocolError(
      `Datalore listed it at ${quote(path)}, which the action will not request: ${why}`
    )
  }
  if (path.length > MAX_PATH_LENGTH) refuse(`longer than ${MAX_PATH_LENGTH} characters`)
  if (/^https?:\/\//i.test(path)) {
    if (!URL.canParse(path)) refuse('not a valid URL')
    return path
  }
  if (path.split(/[/\\]/).some(segment => /^(\.|%2e){1,2}$/i.test(segment))) {
    refuse('it has "." or ".." segments')
  }
  const encoded = path
    .split('/')
    .map(segment => encodeURIComponent(segment))
    .join('/')
  return `${host}${encoded.startsWith('/') ? '' : '/'}${encoded}`
}
