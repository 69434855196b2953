/**
 * The one room that holds the GitHub token, as ../datalore/client.ts holds Datalore's. Every
 * request to GitHub's REST API starts here, through @actions/github's Octokit (loaded only when
 * a step asks GitHub anything: `baseline: off` loads and asks nothing), and goes only to
 * GITHUB_API_URL: pages are asked for by number, never by following a `Link` a server sent.
 *
 * Retries follow the project's rules (../retry.ts): 5xx and network failures, 429, and GitHub's
 * rate limits (a 403 or 429 with `retry-after`, or with `x-ratelimit-remaining: 0` until
 * `x-ratelimit-reset`), waiting as long as GitHub asks but never past the step's deadline.
 * getOctokit adds no retry or throttling plugin of its own (only REST methods and pagination),
 * so these rules are the only ones. Every request has a timeout.
 *
 * It lists a pull request's comments, creates and edits them, and asks `GET /user` whom the
 * token acts as, for ../comment/deliver.ts. A create is the one request not retried here: it is
 * not idempotent, so its caller looks for the comment again before sending it again (`retry`).
 *
 * An artifact's file is not fetched through Octokit: GitHub answers its download with a 302 to
 * a signed URL of blob storage, and Octokit would follow it with fetch, holding the whole body
 * in memory. Here the redirect is taken by hand (`redirect: 'manual'`) and the file fetched with
 * the project's HttpTransport: no Authorization header at all (the signature is in the URL), no
 * downgrade from https, the body refused past a size while it streams, a timeout, and the
 * runner's proxy settings and certificates, as for every other download of the action.
 */
import { CancelledError, HttpStatusError, NetworkError, ProtocolError } from '../errors.js'
import { formatDuration } from '../format.js'
import { discard, HttpTransport, readText, withoutQuery } from '../http.js'
import { clip, log, quote } from '../log.js'
import { isRetryable, parseRetryAfter, retrying } from '../retry.js'
import type { Clock } from '../clock.js'

/** The longest a request to GitHub may take; the step's deadline may allow less. */
const REQUEST_TIMEOUT_MS = 30_000
const MAX_ATTEMPTS = 5
const RETRY_CAP_MS = 10_000
/** What GitHub asks for after a secondary rate limit that names no time. */
const SECONDARY_LIMIT_WAIT_MS = 60_000

/** A 403 or 429 that GitHub gives for its rate limits; it passes after `retryAfterMs`. */
export class GitHubStatusError extends HttpStatusError {
  constructor(
    message: string,
    status: number,
    retryAfterMs: number | undefined,
    readonly rateLimited: boolean,
    /** A 403's missing permission, from X-Accepted-GitHub-Permissions ("actions: read"). */
    readonly permission?: string,
    /** GitHub's own message, as it came ("Resource not accessible by integration"). */
    readonly said?: string
  ) {
    super(message, status, retryAfterMs)
    this.name = 'GitHubStatusError'
  }
}

export interface GitHubClientOptions {
  token: string
  /** GITHUB_API_URL, without a trailing slash. */
  apiUrl: string
  owner: string
  repo: string
  /** For the artifact file, which is fetched without the token. */
  transport: HttpTransport
  clock: Clock
  /** Monotonic time after which no request starts. */
  deadline: number
  signal?: AbortSignal
}

/** What Octokit's `request` is to this module: a route, its parameters, an answer. */
type Request = (
  route: string,
  parameters: Record<string, unknown>
) => Promise<{ status: number; headers: Record<string, string | undefined>; data: unknown }>

/** An answer of the REST API, as read here: its document and the headers that page it. */
export interface ApiAnswer {
  data: unknown
  status: number
  headers: Record<string, string | undefined>
}

/** Octokit's debug and deprecation lines go to the debug log, not to stderr. */
const octokitLog = {
  debug: (message: string) => log.debug(`GitHub API: ${message}`),
  info: (message: string) => log.debug(`GitHub API: ${message}`),
  warn: (message: string) => log.debug(`GitHub API: ${message}`),
  error: (message: string) => log.debug(`GitHub API: ${message}`)
}

export class GitHubClient {
  private constructor(
    private readonly request: Request,
    private readonly options: GitHubClientOptions
  ) {}

  /** Loads @actions/github and makes its client for GITHUB_API_URL. */
  static async create(options: GitHubClientOptions): Promise<GitHubClient> {
    const { getOctokit } = await import('@actions/github')
    const octokit = getOctokit(options.token, {
      baseUrl: options.apiUrl,
      userAgent: 'datalore-run-action',
      log: octokitLog
    })
    return new GitHubClient(octokit.request as unknown as Request, options)
  }

  /** `GET /repos/{owner}/{repo}`: the repository's default branch. */
  async defaultBranch(): Promise<unknown> {
    const answer = await this.get('GET /repos/{owner}/{repo}', {}, 'read the repository')
    return (answer.data as { default_branch?: unknown } | undefined)?.default_branch
  }

  /** One page of the workflow's successful runs on `branch`, newest first. */
  listRuns(
    workflowFile: string,
    branch: string,
    page: number,
    perPage: number
  ): Promise<ApiAnswer> {
    return this.get(
      'GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs',
      {
        workflow_id: workflowFile,
        branch,
        status: 'success',
        exclude_pull_requests: true,
        per_page: perPage,
        page
      },
      `list the runs of ${workflowFile} on ${branch}`
    )
  }

  /** One page of a run's artifacts, those named `name` only when it is given. */
  listArtifacts(runId: number, page: number, perPage: number, name?: string): Promise<ApiAnswer> {
    return this.get(
      'GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts',
      { run_id: runId, per_page: perPage, page, ...(name == null ? {} : { name }) },
      `list the artifacts of run ${runId}`
    )
  }

  /**
   * The file of a non-zipped artifact, as text, at most `maxBytes`: GitHub's download link,
   * then the file from storage without the token.
   */
  downloadFile(artifactId: number, maxBytes: number, what: string): Promise<string> {
    return retrying(
      async () => {
        const answer = await this.send(
          'GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}',
          { artifact_id: artifactId, archive_format: 'zip' },
          `download the artifact ${artifactId}`,
          'manual'
        )
        const location = answer.headers.location
        if (answer.status < 300 || answer.status >= 400 || location == null) {
          throw new ProtocolError(
            `GitHub answered ${answer.status} with no link to download the artifact ${artifactId}`
          )
        }
        return this.fetchFile(new URL(location, this.options.apiUrl), maxBytes, what)
      },
      this.retryOptions(`download the artifact ${artifactId}`)
    )
  }

  private async fetchFile(url: URL, maxBytes: number, what: string): Promise<string> {
    const { transport, signal } = this.options
    if (new URL(this.options.apiUrl).protocol === 'https:' && url.protocol !== 'https:') {
      throw new ProtocolError(
        `GitHub sent the download to ${withoutQuery(url.toString())}, over ${url.protocol}// when the API is on https://`
      )
    }
    const timeoutMs = this.timeout()
    // No Authorization: the link is signed, and storage is no place for the token.
    const response = await transport.send({
      method: 'GET',
      url: url.toString(),
      headers: { accept: '*/*', 'accept-encoding': 'identity' },
      timeoutMs,
      signal
    })
    if (response.status !== 200) {
      discard(response)
      throw new HttpStatusError(
        `the storage behind GitHub's download link answered ${response.status}`,
        response.status,
        parseRetryAfter(response.headers['retry-after'], Date.now())
      )
    }
    const size = Number(response.headers['content-length'])
    if (size > maxBytes) {
      discard(response)
      throw new ProtocolError(
        `it is ${size} bytes, more than the ${maxBytes / 1024 / 1024} MiB ${what} may be`
      )
    }
    return readText(response, maxBytes, timeoutMs, signal, what)
  }

  /**
   * `GET /user`: whom the token acts as. GitHub answers a job token (an installation's) 403
   * "Resource not accessible by integration": it writes as github-actions[bot].
   */
  authenticatedUser(): Promise<ApiAnswer> {
    return this.get('GET /user', {}, 'ask whom the `github-token` acts as')
  }

  /** One page of the comments of an issue or pull request, oldest first. */
  listComments(issueNumber: number, page: number, perPage: number): Promise<ApiAnswer> {
    return this.get(
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
      { issue_number: issueNumber, per_page: perPage, page },
      `list the comments of pull request #${issueNumber}`
    )
  }

  /**
   * Creates a comment, sent once: a create is not idempotent (an answer lost on the way may
   * have created it). Whoever tries again looks for it first, in `retry`.
   */
  createComment(issueNumber: number, body: string): Promise<ApiAnswer> {
    return this.send(
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      { issue_number: issueNumber, body },
      `create a comment on pull request #${issueNumber}`
    )
  }

  /** Replaces a comment's body; retried, as an edit sent twice is one edit. */
  updateComment(commentId: number, body: string): Promise<ApiAnswer> {
    const doing = `edit the comment ${commentId}`
    return retrying(
      () =>
        this.send(
          'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
          { comment_id: commentId, body },
          doing
        ),
      this.retryOptions(doing)
    )
  }

  /** Runs `work` again by the client's rules while it fails as a request may pass (5xx, 429, limits). */
  retry<T>(doing: string, work: (attempt: number) => Promise<T>): Promise<T> {
    return retrying(work, this.retryOptions(doing))
  }

  /** A GET of the API, retried by the project's rules. */
  private get(
    route: string,
    parameters: Record<string, unknown>,
    doing: string
  ): Promise<ApiAnswer> {
    return retrying(() => this.send(route, parameters, doing), this.retryOptions(doing))
  }

  private retryOptions(doing: string): Parameters<typeof retrying>[1] {
    const { clock, deadline, signal } = this.options
    return {
      shouldRetry: error =>
        isRetryable(error) || (error instanceof GitHubStatusError && error.rateLimited),
      maxAttempts: MAX_ATTEMPTS,
      capMs: RETRY_CAP_MS,
      deadline,
      clock,
      signal,
      onRetry: (error, attempt, delayMs) =>
        log.info(
          `GitHub's API could not ${doing} (attempt ${attempt}: ${clip(error instanceof Error ? error.message : String(error), 300)}); trying again in ${formatDuration(delayMs)}.`
        )
    }
  }

  /** The time a request may take: at most REQUEST_TIMEOUT_MS, at most what is left. */
  private timeout(): number {
    const left = this.options.deadline - this.options.clock.now()
    if (left <= 0) throw new NetworkError('the step ran out of time', 'ETIMEDOUT', false)
    return Math.ceil(Math.min(REQUEST_TIMEOUT_MS, left))
  }

  private async send(
    route: string,
    parameters: Record<string, unknown>,
    doing: string,
    redirect?: 'manual'
  ): Promise<ApiAnswer> {
    const { owner, repo, signal } = this.options
    const timeoutMs = this.timeout()
    const timedOut = AbortSignal.timeout(timeoutMs)
    const stop = signal == null ? timedOut : AbortSignal.any([signal, timedOut])
    try {
      const answer = await this.request(route, {
        // Only routes of the repository take them: Octokit would send the others as a query.
        ...(route.includes('{owner}') ? { owner, repo } : {}),
        ...parameters,
        headers: { 'x-github-api-version': '2022-11-28' },
        request: { signal: stop, log: octokitLog, ...(redirect ? { redirect } : {}) }
      })
      return { data: answer.data, status: answer.status, headers: answer.headers }
    } catch (error) {
      if (signal?.aborted) throw signal.reason ?? new CancelledError('abort')
      if (timedOut.aborted) {
        throw new NetworkError(
          `GitHub did not answer within ${formatDuration(timeoutMs)} to ${doing}`,
          'ETIMEDOUT',
          true
        )
      }
      throw toError(error, doing, Date.now())
    }
  }
}

/** Octokit's error (a RequestError, or fetch's own) as one of the project's errors. */
export function toError(error: unknown, doing: string, now: number): Error {
  const { status, response } = error as {
    status?: unknown
    response?: { headers?: Record<string, string | undefined>; data?: unknown }
  }
  if (typeof status !== 'number' || response == null) {
    const cause = (error as { cause?: { code?: unknown } }).cause
    const code = typeof cause?.code === 'string' ? cause.code : 'EUNKNOWN'
    const message = error instanceof Error ? error.message : String(error)
    return new NetworkError(
      `GitHub could not be reached to ${doing} (${clip(message, 300)})`,
      code,
      true
    )
  }
  const headers = response.headers ?? {}
  const data = response.data as { message?: unknown } | undefined
  const said = typeof data?.message === 'string' ? data.message : ''
  const retryAfter = parseRetryAfter(headers['retry-after'], now)
  const reset = Number(headers['x-ratelimit-reset'])
  const exhausted = headers['x-ratelimit-remaining'] === '0' && Number.isFinite(reset)
  const secondary = /secondary rate limit/i.test(said)
  const rateLimited =
    (status === 403 || status === 429) && (retryAfter != null || exhausted || secondary)
  const waitMs = !rateLimited
    ? undefined
    : (retryAfter ?? (exhausted ? Math.max(0, reset * 1000 - now) : SECONDARY_LIMIT_WAIT_MS))
  const permission = status === 403 && !rateLimited ? neededPermission(headers) : undefined
  const answered = `${status}${said === '' ? '' : ` ${quote(said, 300)}`}`
  const why = rateLimited
    ? `GitHub's rate limit stopped the request to ${doing} (${answered})`
    : status === 401
      ? `GitHub did not take the \`github-token\` to ${doing} (${answered})`
      : permission != null
        ? `GitHub refused to ${doing} (${answered}): the \`github-token\` needs ${permission} (in the job's \`permissions\`)`
        : `GitHub answered ${answered} to the request to ${doing}`
  return new GitHubStatusError(why, status, waitMs, rateLimited, permission, said)
}

const PERMISSION = /^([a-z_]+)=(read|write|admin)$/

/**
 * What X-Accepted-GitHub-Permissions says the endpoint takes, in words: "`actions: read`";
 * alternatives (separated by ";") joined with "or", and those of one set with "and".
 */
export function neededPermission(headers: Record<string, string | undefined>): string | undefined {
  const header = headers['x-accepted-github-permissions']
  if (header == null) return undefined
  const sets = header
    .slice(0, 500)
    .split(';')
    .map(set =>
      set
        .split(',')
        .map(part => PERMISSION.exec(part.trim()))
        // As the job's `permissions` names it: `pull-requests`, where the header has pull_requests.
        .map(match =>
          match == null ? undefined : `\`${match[1]?.replace(/_/g, '-')}: ${match[2]}\``
        )
    )
  if (sets.some(set => set.some(part => part == null))) return undefined
  return sets.map(set => set.join(' and ')).join(' or ')
}
