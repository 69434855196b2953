// @ts-check
/**
 * A fake of the GitHub REST API endpoints the action uses, for tests and the demo: a real HTTP
 * server on 127.0.0.1, answered as api.github.com answers (shapes, status codes, headers and
 * error documents of docs.github.com's REST reference and of @octokit/openapi-types), with a
 * record of every request and faults scripted through ./fault-queue.js. Its URL is what a step
 * gets as GITHUB_API_URL; the real client (@actions/github's getOctokit) talks to it unchanged.
 *
 *   GET   /repos/{owner}/{repo}
 *   GET   /repos/{owner}/{repo}/actions/runs                         (filters, pagination)
 *   GET   /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs (id or file name)
 *   GET   /repos/{owner}/{repo}/actions/runs/{run_id}
 *   GET   /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts      (name filter, pagination)
 *   GET   /repos/{owner}/{repo}/actions/artifacts/{artifact_id}
 *   GET   /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/zip  (302 to blob storage; 410)
 *   GET   /repos/{owner}/{repo}/issues/{issue_number}/comments       (pagination)
 *   POST  /repos/{owner}/{repo}/issues/{issue_number}/comments
 *   GET   /repos/{owner}/{repo}/issues/comments/{comment_id}
 *   PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}
 *   GET   /user
 * and the same repository routes under /repositories/{repository_id}/..., which is how GitHub's
 * `Link` headers name them. Routes: ./github-routes.js; documents: ./github-documents.js; error
 * answers and faults shaped as GitHub's: ./github-errors.js; pagination: ./github-pagination.js.
 *
 * The rules it keeps, and where a rule is a choice rather than GitHub's documented behaviour:
 * - One repository, private. Without a token every repository route answers 404 (GitHub does not
 *   confirm a private repository exists) and GET /user answers 401 "Requires authentication".
 *   An unknown token answers 401 "Bad credentials" everywhere.
 * - Tokens are registered by the test (`addToken`; each run gets its own job token): what each
 *   kind may do is in ./github-tokens.js. The job token writes as github-actions[bot], and
 *   GET /user answers it 403 "Resource not accessible by integration"; a personal token acts as
 *   its person, whom GET /user names.
 * - A token lacking a permission gets 403 with GitHub's message and X-Accepted-GitHub-Permissions;
 *   that header is on every answer of those routes for job and fine-grained tokens, as GitHub
 *   sends it (it names what the endpoint accepts, not what was missing). Comments on a pull
 *   request need pull_requests (issues=write alone is refused there, as observed on GitHub),
 *   comments on an issue need issues; the header lists both.
 * - Editing a comment: its author may; so may whoever has write access (a job token with the
 *   write permission, a person with the write or admin role), as on GitHub, where maintainers and
 *   apps can edit anyone's comment. GitHub does NOT protect a person's comment from the action's
 *   token: the action must pick its own comments by author. A person with the read role editing
 *   another's comment gets 403.
 * - Bodies of more than `commentMaxLength` (default 65,536) characters, counted as Unicode code
 *   points, answer 422 with GitHub's error document. (One published measurement found GitHub
 *   accepting up to 262,144 bytes while its message says 65536 characters: this fake is strict.)
 * - Workflow runs: newest first; `branch` matches head_branch (a fork's run of a branch named
 *   main matches branch=main, as on GitHub); `status` matches the status or the conclusion;
 *   `event`, `head_sha`, `actor` exact; `exclude_pull_requests`; a fork's run lists no pull
 *   requests. `created` and `check_suite_id` are not supported (ignored).
 * - Artifacts come two ways: seeded by the test (`addArtifact`), or uploaded by the real
 *   @actions/artifact client through the run's own results service (./github-results.js; see
 *   `step`): each run that runs a step gets one, sharing this fake's blob storage, and what it
 *   finalized is listed as that run's. The download answers 302 to a signed blob URL valid for a
 *   minute, with a Content-Disposition naming the file; an artifact uploaded with skipArchive is
 *   served as the file itself with its content type; an expired one answers 410.
 * - Every answer carries x-github-request-id, x-github-api-version-selected and the
 *   x-ratelimit-* headers of its token, whose primary limit (1,000 an hour for a job token, 5,000
 *   for a person, 60 without a token) is enforced with GitHub's 403.
 * - Requests without a User-Agent are refused with 403, as GitHub refuses them.
 *
 * Plain JavaScript with no dependencies, so that `npm run demo` works before `npm ci`.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { extname, join } from 'node:path'
import {
  BuiltinBlobStorage,
  DEV_STORAGE_ACCOUNT,
  DEV_STORAGE_KEY,
  blobSasUrl,
  createContainer,
  putBlob
} from './blob-store.js'
import {
  artifactDocument,
  authenticatedUserDocument,
  commentDocument,
  eventPayload,
  fullRepositoryDocument,
  mergeCommitSha,
  runDocument
} from './github-documents.js'
import {
  ARTIFACT_EXPIRED,
  CANNOT_EDIT_OTHERS_COMMENT,
  NOT_ACCESSIBLE_BY_INTEGRATION,
  NOT_ACCESSIBLE_BY_PAT,
  USER_AGENT_REQUIRED,
  commentTooLongDocument,
  errorDocument,
  requestId
} from './github-errors.js'
import { linkHeader, pageOf, pageParams } from './github-pagination.js'
import { REPOSITORY_ROUTES, ROUTE_SCOPES } from './github-routes.js'
import { credentialOf, grants, tokenRecord } from './github-tokens.js'
import { ResultsService } from './github-results.js'
import { FaultQueue } from './fault-queue.js'
import { LoopbackServer, safeDecode, sleep } from './loopback-server.js'

export {
  ARTIFACT_EXPIRED,
  CANNOT_EDIT_OTHERS_COMMENT,
  COMMENT_TOO_LONG,
  NOT_ACCESSIBLE_BY_INTEGRATION,
  NOT_ACCESSIBLE_BY_PAT,
  SECONDARY_RATE_LIMIT_MESSAGE,
  errorDocument,
  missingPermission,
  secondaryRateLimit,
  tooManyRequests
} from './github-errors.js'

/** The account GITHUB_TOKEN writes as. */
export const GITHUB_ACTIONS_BOT = /** @type {const} */ ({
  login: 'github-actions[bot]',
  id: 41898282,
  type: 'Bot'
})
export const DEPENDABOT = /** @type {const} */ ({
  login: 'dependabot[bot]',
  id: 49699333,
  type: 'Bot'
})

const API_VERSION = '2022-11-28'
/** Artifact ids each run's results service may hand out (it counts from its own first id). */
const ARTIFACT_IDS_PER_RUN = 100_000
const DAY_MS = 86_400_000

/**
 * @typedef {import('./github-routes.js').Route} Route
 * @typedef {import('./github-documents.js').Account} Account
 * @typedef {import('./github-documents.js').Repository} Repository
 * @typedef {import('./github-documents.js').Workflow} Workflow
 * @typedef {import('./github-documents.js').PullRequest} PullRequest
 * @typedef {import('./github-documents.js').WorkflowRun} WorkflowRun
 * @typedef {import('./github-documents.js').StoredArtifact} StoredArtifact
 * @typedef {import('./github-documents.js').Comment} Comment
 *
 * @typedef {import('./github-tokens.js').Permissions} Permissions
 * @typedef {import('./github-tokens.js').TokenSpec} TokenSpec
 * @typedef {import('./github-tokens.js').TokenRecord} TokenRecord
 *
 * @typedef {object} PullRequestSpec
 * @property {number} [number]  default: the next free issue number
 * @property {string} [head]  the head branch (default 'feature-<number>')
 * @property {string} [headSha]  default: a new one
 * @property {string} [headRepository]  owner/name; another than the repository makes it a fork's
 * @property {string} [base]  default: the default branch
 * @property {string} [baseSha]
 * @property {string} [user]  the author's login (default 'octocat'; 'dependabot[bot]' for Dependabot's)
 * @property {string} [title]
 *
 * @typedef {object} WorkflowRunSpec
 * @property {string} [workflow]  the workflow's file name in .github/workflows (default 'ci.yml')
 * @property {string} [workflowName]  its name (default 'CI' for ci.yml, else the file name)
 * @property {string} [event]  default 'push'; 'pull_request' runs on a pull request (others, such
 *   as pull_request_target, are runs of a branch, with no pull request in their payload)
 * @property {number | PullRequestSpec} [pullRequest]  pull_request events: the pull request, by
 *   number or made from this (default: a new one from `branch`, `headRepository` and `actor`)
 * @property {string} [branch]  head_branch (default: the default branch; a pull request's head)
 * @property {string} [sha]  head_sha (default: a new one; a pull request's head)
 * @property {string} [headRepository]  owner/name of the head commit's repository: another than
 *   the repository makes this a fork's run
 * @property {string} [status]  default 'completed'
 * @property {string | null} [conclusion]  default 'success' when completed, else null
 * @property {number} [attempt]  default 1
 * @property {Date | string | number} [createdAt]  default now
 * @property {string} [actor]  login (default 'octocat', or the pull request's author)
 * @property {string} [title]  display_title (default: the commit message or the pull request's title)
 * @property {Permissions} [permissions]  of the run's job token (default: every scope write)
 *
 * @typedef {object} ArtifactSpec
 * @property {string} name
 * @property {Buffer | string} content  what the blob holds: a zip's bytes, or with skipArchive the
 *   file itself
 * @property {boolean} [skipArchive]  a single file kept as it is, as `uploadArtifact(..., {skipArchive})`
 * @property {string} [contentType]  default application/zip, or from the name's extension
 * @property {boolean} [expired]  expired already (its expires_at a day ago)
 * @property {Date | string | number} [createdAt]  default now
 * @property {number} [retentionDays]  default 90
 *
 * @typedef {object} RecordedRequest
 * @property {Route} route
 * @property {string} method
 * @property {string} path  as requested, percent-decoded
 * @property {Record<string, string>} query
 * @property {import('node:http').IncomingHttpHeaders} headers
 * @property {unknown} body  the parsed JSON body (undefined if none or not JSON)
 * @property {string} rawBody
 * @property {'none' | 'unknown' | 'job' | 'personal'} auth  the kind of token it came with
 * @property {number} at  Date.now() when it arrived
 * @property {number} status  the status answered (0 until answered, or never for a hang)
 * @property {unknown} response  the document answered
 *
 * @typedef {object} ApiFault
 * @property {Route | 'any'} on
 * @property {number} [status]  answer with this status ...
 * @property {Record<string, string>} [headers]  ... these headers ...
 * @property {string} [message]  ... and GitHub's error document with this message (default: the
 *   status's reason phrase) ...
 * @property {unknown} [body]  ... or this body instead (a string as it is, anything else as JSON)
 * @property {'hang' | 'reset'} [action]  never answer; or drop the connection
 * @property {number} [delayMs]  wait first (alone: then answer normally)
 * @property {number} [times]  how many matching requests it applies to (default 1)
 * @property {(request: RecordedRequest) => boolean} [when]  further narrows the requests
 *
 * @typedef {object} GitHubApiOptions
 * @property {string} [repository]  owner/name (default 'octo-org/notebooks')
 * @property {number} [repositoryId]  default 812345678
 * @property {string} [defaultBranch]  default 'main'
 * @property {string} [blobBaseUrl]  an Azure-compatible blob endpoint (Azurite); default: a
 *   built-in in-memory one
 * @property {string} [container]  default 'actions-results'
 * @property {string} [serverUrl]  GITHUB_SERVER_URL (default https://github.com). Anything but
 *   github.com, *.ghe.com or *.localhost makes the artifact client refuse to run (GHES)
 * @property {number} [commentMaxLength]  default 65536
 * @property {number} [port]  default 0: an ephemeral port
 * @property {number} [latencyMs]  added before every answer
 *
 * @typedef {object} Step
 * @property {WorkflowRun} run
 * @property {string} token  the run's job token, for the `github-token` input
 * @property {Record<string, string>} env  what a step of the run finds in its environment
 * @property {ResultsService} results  the run's results service (the artifact client uploads there)
 * @property {string} eventPath  the event payload file (GITHUB_EVENT_PATH)
 */

export class GitHubApi {
  /** @param {GitHubApiOptions} [options] */
  constructor(options = {}) {
    this.options = options
    const serverUrl = (options.serverUrl ?? 'https://github.com').replace(/\/+$/, '')
    const host = new URL(serverUrl).hostname
    if (!/^(github\.com|.*\.ghe\.com|.*\.localhost)$/.test(host))
      throw new Error(
        `serverUrl ${serverUrl}: the artifact client takes any host but github.com, *.ghe.com and *.localhost for GitHub Enterprise Server and refuses to run`
      )
    this.serverUrl = serverUrl
    this.commentMaxLength = options.commentMaxLength ?? 65536
    this.url = ''
    /** @type {Map<string, Account>} */
    this.accounts = new Map()
    this.nextAccountId = 1_000_001
    for (const account of [GITHUB_ACTIONS_BOT, DEPENDABOT])
      this.accounts.set(account.login, { ...account })
    const [owner = 'octo-org', name = 'notebooks'] = (
      options.repository ?? 'octo-org/notebooks'
    ).split('/')
    /** @type {Repository} */
    this.repository = {
      id: options.repositoryId ?? 812_345_678,
      owner: this.account(owner, 'Organization'),
      name,
      fullName: `${owner}/${name}`,
      defaultBranch: options.defaultBranch ?? 'main',
      fork: false
    }
    /** @type {Map<string, Repository>} forks, by full name */
    this.forks = new Map()
    this.nextRepositoryId = this.repository.id + 1
    /** @type {Map<string, TokenRecord>} */
    this.tokens = new Map()
    /** @type {Map<string, {limit: number, used: number, reset: number}>} */
    this.rateLimits = new Map()
    /** @type {Map<string, Workflow>} by path */
    this.workflows = new Map()
    this.nextWorkflowId = 161_335_001
    /** @type {WorkflowRun[]} */
    this.runs = []
    this.nextRunId = 12_000_000_001
    /** @type {Map<number, PullRequest>} */
    this.pullRequests = new Map()
    /** @type {Set<number>} issue numbers that are not pull requests */
    this.issues = new Set()
    this.nextIssueNumber = 1
    /** @type {Comment[]} */
    this.comments = []
    this.nextCommentId = 3_000_000_001
    /** @type {StoredArtifact[]} */
    this.seededArtifacts = []
    /** @type {Set<number>} artifacts expired by `expireArtifact` */
    this.expiredIds = new Set()
    this.nextArtifactId = 5_000_000_001
    /** @type {Map<number, ResultsService>} by run id */
    this.resultsByRun = new Map()
    /** @type {Map<number, Promise<ResultsService>>} by run id */
    this.resultsStarting = new Map()
    /** @type {RecordedRequest[]} */
    this.requests = []
    /** @type {FaultQueue<RecordedRequest, ApiFault>} */
    this.faults = new FaultQueue(request => request.route)
    this.container = options.container ?? 'actions-results'
    this.blobPrefix = randomUUID()
    /** @type {BuiltinBlobStorage | undefined} */
    this.builtinStorage = options.blobBaseUrl ? undefined : new BuiltinBlobStorage()
    /** @type {import('./blob-store.js').StorageAccount} */
    this.storage = options.blobBaseUrl
      ? {
          url: options.blobBaseUrl.replace(/\/+$/, ''),
          account:
            new URL(options.blobBaseUrl).pathname.split('/').filter(Boolean).pop() ??
            DEV_STORAGE_ACCOUNT,
          key: DEV_STORAGE_KEY
        }
      : { url: '', account: DEV_STORAGE_ACCOUNT, key: DEV_STORAGE_KEY }
    this.eventDir = ''
    this.http = new LoopbackServer(
      (req, res) => this.handle(req, res),
      (res, error) => {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' })
        res.end(JSON.stringify({ message: `Server Error: ${String(error)}` }))
      }
    )
  }

  /** @returns {Promise<this>} */
  async start() {
    if (this.builtinStorage) {
      await this.builtinStorage.start()
      this.storage = this.builtinStorage.account
    }
    await createContainer(this.storage, this.container)
    this.eventDir = mkdtempSync(join(tmpdir(), 'github-api-'))
    this.url = await this.http.listen(this.options.port)
    return this
  }

  async close() {
    await this.http.close()
    await Promise.all(
      [...this.resultsStarting.values()].map(starting => starting.then(results => results.close()))
    )
    await this.builtinStorage?.close()
    if (this.eventDir) rmSync(this.eventDir, { recursive: true, force: true })
  }

  /**
   * What any step of this repository finds in its environment (no run's, and no NO_PROXY for
   * 127.0.0.1: `step` gives both).
   * @returns {Record<string, string>}
   */
  get env() {
    return {
      GITHUB_API_URL: this.url,
      GITHUB_SERVER_URL: this.serverUrl,
      GITHUB_REPOSITORY: this.repository.fullName,
      GITHUB_REPOSITORY_OWNER: this.repository.owner.login,
      GITHUB_REPOSITORY_ID: String(this.repository.id)
    }
  }

  // ─── What a test sets up ───

  /**
   * Registers a token; returns it.
   * @param {TokenSpec} spec
   */
  addToken(spec) {
    const record = tokenRecord(
      spec,
      this.account(spec.kind === 'job' ? GITHUB_ACTIONS_BOT.login : (spec.login ?? 'octocat'))
    )
    if (this.tokens.has(record.token)) throw new Error('That token is registered already')
    this.tokens.set(record.token, record)
    this.rateLimits.set(record.token, {
      limit: spec.rateLimit ?? (spec.kind === 'job' ? 1000 : 5000),
      used: 0,
      reset: Math.floor(Date.now() / 1000) + 3600
    })
    return record.token
  }

  /**
   * A pull request (its number is an issue number too).
   * @param {PullRequestSpec} [spec]
   * @returns {PullRequest}
   */
  addPullRequest(spec = {}) {
    const number = this.claimIssueNumber(spec.number)
    const headRef = spec.head ?? `feature-${number}`
    /** @type {PullRequest} */
    const pullRequest = {
      id: 2_000_000_000 + number,
      number,
      title: spec.title ?? `Change ${headRef}`,
      user: this.account(spec.user ?? 'octocat'),
      headRef,
      headSha: spec.headSha ?? newSha(),
      headRepository: this.repositoryNamed(spec.headRepository),
      baseRef: spec.base ?? this.repository.defaultBranch,
      baseSha: spec.baseSha ?? newSha()
    }
    this.pullRequests.set(number, pullRequest)
    return pullRequest
  }

  /**
   * An issue (not a pull request); returns its number.
   * @param {{number?: number}} [spec]
   */
  addIssue(spec = {}) {
    const number = this.claimIssueNumber(spec.number)
    this.issues.add(number)
    return number
  }

  /**
   * A workflow run, listed from now on.
   * @param {WorkflowRunSpec} [spec]
   * @returns {WorkflowRun}
   */
  addRun(spec = {}) {
    const workflow = this.workflow(spec.workflow ?? 'ci.yml', spec.workflowName)
    const event = spec.event ?? 'push'
    /** @type {PullRequest | undefined} */
    let pullRequest
    if (event === 'pull_request') {
      pullRequest =
        typeof spec.pullRequest === 'number'
          ? this.pullRequests.get(spec.pullRequest)
          : this.addPullRequest({
              head: spec.branch,
              headSha: spec.sha,
              headRepository: spec.headRepository,
              user: spec.actor,
              ...spec.pullRequest
            })
      if (pullRequest == null) throw new Error(`No pull request #${String(spec.pullRequest)}`)
    }
    const actor = this.account(spec.actor ?? pullRequest?.user.login ?? 'octocat')
    const headRepository = pullRequest?.headRepository ?? this.repositoryNamed(spec.headRepository)
    const status = spec.status ?? 'completed'
    const id = this.nextRunId++
    // What GitHub gives a fork's pull request and Dependabot's runs.
    const readOnly = headRepository.fork || actor.login === DEPENDABOT.login
    /** @type {WorkflowRun} */
    const run = {
      id,
      attempt: spec.attempt ?? 1,
      runNumber: this.runs.filter(r => r.workflow === workflow).length + 1,
      workflow,
      event,
      status,
      conclusion:
        spec.conclusion !== undefined ? spec.conclusion : status === 'completed' ? 'success' : null,
      headBranch: pullRequest?.headRef ?? spec.branch ?? this.repository.defaultBranch,
      headSha: pullRequest && spec.sha == null ? pullRequest.headSha : (spec.sha ?? newSha()),
      headRepository,
      actor,
      title:
        spec.title ??
        pullRequest?.title ??
        `Commit on ${spec.branch ?? this.repository.defaultBranch}`,
      createdAt: spec.createdAt == null ? Date.now() : new Date(spec.createdAt).getTime(),
      pullRequest,
      token: ''
    }
    run.token = this.addToken({
      kind: 'job',
      permissions: spec.permissions,
      readOnly,
      runId: id
    })
    this.runs.push(run)
    return run
  }

  /**
   * What a step of the run needs: its environment (GITHUB_* of the run, the event payload file,
   * and its own results service's ACTIONS_RESULTS_URL and ACTIONS_RUNTIME_TOKEN, whose uploads
   * become the run's artifacts) and its job token. The results service starts on the first call.
   * @param {WorkflowRun | number} runOrId
   * @param {{results?: Omit<import('./github-results.js').ResultsServiceOptions, 'blobBaseUrl' | 'blobStorage' | 'container' | 'firstArtifactId'>}} [options]
   * @returns {Promise<Step>}
   */
  async step(runOrId, options = {}) {
    const run = this.runOf(runOrId)
    let starting = this.resultsStarting.get(run.id)
    if (starting == null) {
      const service = new ResultsService({
        ...options.results,
        blobBaseUrl: this.storage.url,
        container: this.container,
        firstArtifactId: this.nextArtifactId
      })
      this.nextArtifactId += ARTIFACT_IDS_PER_RUN
      this.resultsByRun.set(run.id, service)
      starting = service.start()
      this.resultsStarting.set(run.id, starting)
    }
    // Steps of a run started at once share one results service, started once.
    const results = await starting
    const eventPath = join(this.eventDir, `event-${run.id}.json`)
    writeFileSync(eventPath, JSON.stringify(eventPayload(this, run), null, 2))
    const pr = run.pullRequest
    const ref = pr ? `refs/pull/${pr.number}/merge` : `refs/heads/${run.headBranch}`
    const sha = pr ? mergeCommitSha(pr) : run.headSha
    return {
      run,
      token: run.token,
      results,
      eventPath,
      env: {
        ...this.env,
        ...results.env,
        GITHUB_RUN_ID: String(run.id),
        GITHUB_RUN_ATTEMPT: String(run.attempt),
        GITHUB_RUN_NUMBER: String(run.runNumber),
        GITHUB_WORKFLOW: run.workflow.name,
        GITHUB_WORKFLOW_REF: `${this.repository.fullName}/${run.workflow.path}@${ref}`,
        GITHUB_WORKFLOW_SHA: sha,
        GITHUB_EVENT_NAME: run.event,
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_SHA: sha,
        GITHUB_REF: ref,
        GITHUB_REF_NAME: pr ? `${pr.number}/merge` : run.headBranch,
        GITHUB_REF_TYPE: 'branch',
        GITHUB_HEAD_REF: pr?.headRef ?? '',
        GITHUB_BASE_REF: pr?.baseRef ?? '',
        GITHUB_ACTOR: run.actor.login,
        GITHUB_ACTOR_ID: String(run.actor.id),
        GITHUB_TRIGGERING_ACTOR: run.actor.login,
        GITHUB_JOB: 'notebook'
      }
    }
  }

  /**
   * Seeds an artifact of a run: its blob goes to the blob storage, as an upload's would.
   * @param {WorkflowRun | number} runOrId
   * @param {ArtifactSpec} spec
   * @returns {Promise<StoredArtifact>}
   */
  async addArtifact(runOrId, spec) {
    const run = this.runOf(runOrId)
    const data = Buffer.from(spec.content)
    const id = this.nextArtifactId++
    const createdAt = spec.createdAt == null ? Date.now() : new Date(spec.createdAt).getTime()
    const contentType =
      spec.contentType ?? (spec.skipArchive ? contentTypeOf(spec.name) : 'application/zip')
    const zipped = contentType === 'application/zip'
    // Under a prefix of this fake's own: fakes of other tests may share the storage.
    const blobName = `seeded/${this.blobPrefix}/${id}/${sha256(spec.name)}${zipped ? '.zip' : ''}`
    await putBlob(this.storage, { container: this.container, blob: blobName, data, contentType })
    /** @type {StoredArtifact} */
    const artifact = {
      id,
      runId: run.id,
      name: spec.name,
      size: data.length,
      digest: `sha256:${createHash('sha256').update(data).digest('hex')}`,
      createdAt,
      expiresAt: spec.expired
        ? Math.min(createdAt, Date.now()) - DAY_MS
        : createdAt + (spec.retentionDays ?? 90) * DAY_MS,
      container: this.container,
      blobName,
      zipped,
      origin: 'seeded'
    }
    this.seededArtifacts.push(artifact)
    return artifact
  }

  /** Makes an artifact (seeded or uploaded) expired from now on. */
  /** @param {number} artifactId */
  expireArtifact(artifactId) {
    if (this.artifact(artifactId) == null) throw new Error(`No artifact ${artifactId}`)
    this.expiredIds.add(artifactId)
  }

  /**
   * A comment on a pull request or an issue, written by someone (default: a person, 'octocat').
   * @param {number} issueNumber
   * @param {{body: string, user?: string, authorAssociation?: string, createdAt?: Date | string | number}} spec
   */
  addComment(issueNumber, spec) {
    if (!this.pullRequests.has(issueNumber) && !this.issues.has(issueNumber))
      throw new Error(`No pull request or issue #${issueNumber}: add it first`)
    const at = spec.createdAt == null ? Date.now() : new Date(spec.createdAt).getTime()
    /** @type {Comment} */
    const comment = {
      id: this.nextCommentId++,
      issueNumber,
      body: spec.body,
      user: this.account(spec.user ?? 'octocat'),
      authorAssociation: spec.authorAssociation ?? 'CONTRIBUTOR',
      createdAt: at,
      updatedAt: at
    }
    this.comments.push(comment)
    return comment
  }

  // ─── What a test reads ───

  /** Every artifact of a run, seeded or uploaded through its results service, oldest first. */
  /** @param {WorkflowRun | number} runOrId @returns {StoredArtifact[]} */
  artifactsOf(runOrId) {
    const run = this.runOf(runOrId)
    const uploaded = (this.resultsByRun.get(run.id)?.finalized() ?? []).map(record => ({
      id: record.id,
      runId: run.id,
      name: record.name,
      size: record.size ?? 0,
      digest: record.hash ?? null,
      createdAt: record.createdAt,
      expiresAt:
        record.expiresAt != null ? Date.parse(record.expiresAt) : record.createdAt + 90 * DAY_MS,
      container: record.container,
      blobName: record.blobName,
      zipped: record.mimeType == null || record.mimeType === 'application/zip',
      origin: /** @type {const} */ ('uploaded')
    }))
    return [...this.seededArtifacts.filter(a => a.runId === run.id), ...uploaded].sort(
      (a, b) => a.id - b.id
    )
  }

  /** @param {number} artifactId */
  artifact(artifactId) {
    for (const run of this.runs) {
      const found = this.artifactsOf(run).find(a => a.id === artifactId)
      if (found) return found
    }
    return undefined
  }

  /** @param {StoredArtifact} artifact */
  isExpired(artifact) {
    return this.expiredIds.has(artifact.id) || artifact.expiresAt <= Date.now()
  }

  /** @param {StoredArtifact} artifact */
  artifactDocumentOf(artifact) {
    return artifactDocument(this, artifact, this.runOf(artifact.runId), this.isExpired(artifact))
  }

  /** The comments of a pull request or issue, oldest first (as GitHub lists them). */
  /** @param {number} issueNumber */
  commentsOf(issueNumber) {
    return this.comments.filter(c => c.issueNumber === issueNumber)
  }

  /** @param {ApiFault} fault */
  fault(fault) {
    this.faults.add(fault)
    return this
  }

  /** @param {Route} route */
  requestsTo(route) {
    return this.requests.filter(r => r.route === route)
  }

  /** How many requests each route received (routes never asked are absent). */
  countByRoute() {
    /** @type {Partial<Record<Route, number>>} */
    const counts = {}
    for (const { route } of this.requests) counts[route] = (counts[route] ?? 0) + 1
    return counts
  }

  // ─── HTTP ───

  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
  async handle(req, res) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const path = url.pathname.split('/').map(safeDecode).join('/')
    const method = req.method ?? 'GET'
    const chunks = []
    for await (const chunk of req) chunks.push(chunk)
    const rawBody = Buffer.concat(chunks).toString('utf8')
    const target = this.resolve(method, path)
    const credential = credentialOf(req.headers.authorization)
    const token = credential == null ? undefined : this.tokens.get(credential)
    /** @type {RecordedRequest} */
    const record = {
      route: target.route,
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: parseJson(rawBody),
      rawBody,
      auth: credential == null ? 'none' : (token?.kind ?? 'unknown'),
      at: Date.now(),
      status: 0,
      response: undefined
    }
    this.requests.push(record)
    /** @type {Exchange} */
    const exchange = { record, res, headers: this.commonHeaders() }

    if (this.options.latencyMs) await sleep(this.options.latencyMs)
    const fault = this.faults.take(record)
    if (fault?.delayMs) await sleep(fault.delayMs)
    if (fault?.action === 'reset') return void req.socket.destroy()
    if (fault?.action === 'hang') return
    if (fault?.status != null || fault?.body !== undefined) {
      const status = fault.status ?? 200
      const body =
        fault.body !== undefined ? fault.body : errorDocument(status, target.route, fault.message)
      return this.answer(exchange, status, body, fault.headers)
    }

    if (!req.headers['user-agent']) {
      return this.answer(exchange, 403, USER_AGENT_REQUIRED)
    }
    if (credential != null && token == null)
      return this.answer(exchange, 401, errorDocument(401, 'unknown', 'Bad credentials'))
    const limited = this.spend(exchange, token)
    if (limited) return
    if (
      target.route === 'unknown' ||
      (target.repository !== undefined && target.repository !== this.repository)
    )
      return this.answer(exchange, 404, errorDocument(404, target.route))
    if (target.route === 'users/get-authenticated') return this.getUser(exchange, token)
    // A private repository: without a token it does not exist.
    if (token == null) return this.answer(exchange, 404, errorDocument(404, target.route))
    const [first = '', second = ''] = target.params
    const scope = ROUTE_SCOPES[target.route]
    if (scope != null && !this.allowed(exchange, token, scope, 'read')) return
    switch (target.route) {
      case 'repos/get':
        return this.getRepository(exchange)
      case 'actions/list-workflow-runs-for-repo':
        return this.listRuns(exchange, url, undefined)
      case 'actions/list-workflow-runs':
        return this.listRuns(exchange, url, first)
      case 'actions/get-workflow-run':
        return this.getRun(exchange, url, Number(first))
      case 'actions/list-workflow-run-artifacts':
        return this.listArtifacts(exchange, url, Number(first))
      case 'actions/get-artifact':
        return this.getArtifact(exchange, Number(first))
      case 'actions/download-artifact':
        return this.downloadArtifact(exchange, Number(first), second)
      case 'issues/list-comments':
        return this.listComments(exchange, url, token, Number(first))
      case 'issues/get-comment':
        return this.getComment(exchange, token, Number(first))
      case 'issues/create-comment':
        return this.createComment(exchange, token, Number(first))
      case 'issues/update-comment':
        return this.updateComment(exchange, token, Number(first))
    }
  }

  /**
   * The route of a request, with its path parameters and the repository it names (undefined for
   * routes outside repositories; a repository other than this one is `null`).
   * @param {string} method @param {string} path
   * @returns {{route: Route, params: string[], repository?: Repository | null}}
   */
  resolve(method, path) {
    if (path === '/user')
      return { route: method === 'GET' ? 'users/get-authenticated' : 'unknown', params: [] }
    const named =
      /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path) ??
      /^\/repositories\/(\d+)()(\/.*)?$/.exec(path)
    if (named == null) return { route: 'unknown', params: [] }
    const [, ownerOrId = '', name = '', rest = ''] = named
    const repository = path.startsWith('/repositories/')
      ? Number(ownerOrId) === this.repository.id
        ? this.repository
        : null
      : // owner and name are not case sensitive on GitHub
        `${ownerOrId}/${name}`.toLowerCase() === this.repository.fullName.toLowerCase()
        ? this.repository
        : null
    for (const [routeMethod, pattern, route] of REPOSITORY_ROUTES) {
      const match = pattern.exec(rest)
      if (match && routeMethod === method) return { route, params: match.slice(1), repository }
    }
    return { route: 'unknown', params: [], repository }
  }

  /**
   * @typedef {object} Exchange
   * @property {RecordedRequest} record
   * @property {import('node:http').ServerResponse} res
   * @property {Record<string, string>} headers  what every answer to this request carries
   */

  /**
   * @param {Exchange} exchange @param {number} status @param {unknown} body  a string is sent
   *   as text, undefined as nothing, anything else as JSON
   * @param {Record<string, string>} [headers]
   */
  answer(exchange, status, body, headers = {}) {
    const { record, res } = exchange
    record.status = status
    record.response = body
    const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body)
    res.writeHead(status, {
      ...exchange.headers,
      'content-type':
        typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
      ...headers
    })
    res.end(text)
  }

  commonHeaders() {
    return {
      'x-github-api-version-selected': API_VERSION,
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': requestId(),
      'x-content-type-options': 'nosniff'
    }
  }

  /**
   * Counts the request against its token's primary rate limit (or the address's, without one)
   * and puts the x-ratelimit-* headers on the answer; answers 403 when the limit is spent.
   * @param {Exchange} exchange @param {TokenRecord | undefined} token
   * @returns {boolean} whether it answered
   */
  spend(exchange, token) {
    const key = token?.token ?? 'anonymous'
    let limit = this.rateLimits.get(key)
    if (limit == null) {
      limit = { limit: 60, used: 0, reset: Math.floor(Date.now() / 1000) + 3600 }
      this.rateLimits.set(key, limit)
    }
    if (Date.now() / 1000 >= limit.reset) {
      limit.used = 0
      limit.reset = Math.floor(Date.now() / 1000) + 3600
    }
    const spent = limit.used >= limit.limit
    if (!spent) limit.used++
    Object.assign(exchange.headers, {
      'x-ratelimit-limit': String(limit.limit),
      'x-ratelimit-remaining': String(limit.limit - limit.used),
      'x-ratelimit-reset': String(limit.reset),
      'x-ratelimit-used': String(limit.used),
      'x-ratelimit-resource': 'core'
    })
    if (!spent) return false
    const who =
      token == null
        ? "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)"
        : token.kind === 'job'
          ? `API rate limit exceeded for installation ID ${token.runId ?? 1}.`
          : `API rate limit exceeded for user ID ${token.account.id}.`
    this.answer(exchange, 403, {
      message: who,
      documentation_url:
        'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits',
      status: '403'
    })
    return true
  }

  /**
   * Whether the token has `access` to `scope`; if not, answers 403 as GitHub does. Puts
   * X-Accepted-GitHub-Permissions on the answer for tokens of the fine-grained model.
   * @param {Exchange} exchange @param {TokenRecord} token @param {keyof Permissions} scope
   * @param {'read' | 'write'} access
   * @param {string} [accepted]  the header's value (default `${scope}=${access}`)
   */
  allowed(exchange, token, scope, access, accepted = `${scope}=${access}`) {
    if (token.permissions != null) exchange.headers['x-accepted-github-permissions'] = accepted
    if (grants(token, scope, access)) return true
    this.answer(
      exchange,
      403,
      errorDocument(
        403,
        exchange.record.route,
        token.kind === 'job' ? NOT_ACCESSIBLE_BY_INTEGRATION : NOT_ACCESSIBLE_BY_PAT
      )
    )
    return false
  }

  // ─── Routes ───

  /** @param {Exchange} exchange @param {TokenRecord | undefined} token */
  getUser(exchange, token) {
    if (token == null)
      return this.answer(
        exchange,
        401,
        errorDocument(401, 'users/get-authenticated', 'Requires authentication')
      )
    if (token.kind === 'job')
      return this.answer(
        exchange,
        403,
        errorDocument(403, 'users/get-authenticated', NOT_ACCESSIBLE_BY_INTEGRATION)
      )
    return this.answer(exchange, 200, authenticatedUserDocument(this, token.account))
  }

  /** @param {Exchange} exchange */
  getRepository(exchange) {
    return this.answer(exchange, 200, fullRepositoryDocument(this))
  }

  /**
   * @param {Exchange} exchange @param {URL} url
   * @param {string | undefined} workflowId  the workflow's id or file name; undefined: every workflow's runs
   */
  listRuns(exchange, url, workflowId) {
    const q = url.searchParams
    /** @type {Workflow | undefined} */
    let workflow
    if (workflowId != null) {
      workflow = [...this.workflows.values()].find(
        w => String(w.id) === workflowId || w.path === `.github/workflows/${workflowId}`
      )
      if (workflow == null)
        return this.answer(exchange, 404, errorDocument(404, exchange.record.route))
    }
    /** @param {string} name */
    const filter = name => q.get(name) || undefined
    const [branch, event, status, headSha, actor] = [
      'branch',
      'event',
      'status',
      'head_sha',
      'actor'
    ].map(filter)
    const runs = this.runs
      .filter(
        run =>
          (workflow == null || run.workflow === workflow) &&
          (branch == null || run.headBranch === branch) &&
          (event == null || run.event === event) &&
          (status == null || run.status === status || run.conclusion === status) &&
          (headSha == null || run.headSha === headSha) &&
          (actor == null || run.actor.login === actor)
      )
      .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id)
    const excludePullRequests = q.get('exclude_pull_requests') === 'true'
    return this.page(exchange, url, runs, page => ({
      total_count: runs.length,
      workflow_runs: page.map(run => runDocument(this, run, excludePullRequests))
    }))
  }

  /** @param {Exchange} exchange @param {URL} url @param {number} runId */
  getRun(exchange, url, runId) {
    const run = this.runs.find(r => r.id === runId)
    if (run == null) return this.answer(exchange, 404, errorDocument(404, exchange.record.route))
    return this.answer(
      exchange,
      200,
      runDocument(this, run, url.searchParams.get('exclude_pull_requests') === 'true')
    )
  }

  /** @param {Exchange} exchange @param {URL} url @param {number} runId */
  listArtifacts(exchange, url, runId) {
    const run = this.runs.find(r => r.id === runId)
    if (run == null) return this.answer(exchange, 404, errorDocument(404, exchange.record.route))
    const name = url.searchParams.get('name') || undefined
    const artifacts = this.artifactsOf(run).filter(a => name == null || a.name === name)
    if (url.searchParams.get('direction') === 'desc') artifacts.reverse()
    return this.page(exchange, url, artifacts, page => ({
      total_count: artifacts.length,
      artifacts: page.map(a => this.artifactDocumentOf(a))
    }))
  }

  /** @param {Exchange} exchange @param {number} artifactId */
  getArtifact(exchange, artifactId) {
    const artifact = this.artifact(artifactId)
    if (artifact == null)
      return this.answer(exchange, 404, errorDocument(404, exchange.record.route))
    return this.answer(exchange, 200, this.artifactDocumentOf(artifact))
  }

  /** @param {Exchange} exchange @param {number} artifactId @param {string} format */
  downloadArtifact(exchange, artifactId, format) {
    const artifact = this.artifact(artifactId)
    if (artifact == null || format !== 'zip')
      return this.answer(exchange, 404, errorDocument(404, exchange.record.route))
    if (this.isExpired(artifact))
      return this.answer(exchange, 410, errorDocument(410, exchange.record.route, ARTIFACT_EXPIRED))
    const fileName = artifact.zipped ? `${artifact.name}.zip` : artifact.name
    const location = blobSasUrl(this.storage, {
      container: artifact.container,
      blob: artifact.blobName,
      permissions: 'r',
      // "This URL expires after 1 minute."
      ttlMinutes: 1,
      contentDisposition: `attachment; filename=${asciiFileName(fileName)}; filename*=UTF-8''${encodeURIComponent(fileName)}`
    })
    return this.answer(exchange, 302, undefined, { location })
  }

  /**
   * @param {Exchange} exchange @param {URL} url @param {TokenRecord} token @param {number} issueNumber
   */
  listComments(exchange, url, token, issueNumber) {
    if (!this.commentAccess(exchange, token, issueNumber, 'read')) return
    const since = url.searchParams.get('since')
    const sinceMs = since == null ? undefined : Date.parse(since)
    const comments = this.commentsOf(issueNumber).filter(
      c => sinceMs == null || isNaN(sinceMs) || c.updatedAt >= sinceMs
    )
    return this.page(exchange, url, comments, page => page.map(c => commentDocument(this, c)))
  }

  /** @param {Exchange} exchange @param {TokenRecord} token @param {number} commentId */
  getComment(exchange, token, commentId) {
    const comment = this.comments.find(c => c.id === commentId)
    if (comment == null)
      return this.answer(exchange, 404, errorDocument(404, exchange.record.route))
    if (!this.commentAccess(exchange, token, comment.issueNumber, 'read')) return
    return this.answer(exchange, 200, commentDocument(this, comment))
  }

  /** @param {Exchange} exchange @param {TokenRecord} token @param {number} issueNumber */
  createComment(exchange, token, issueNumber) {
    if (!this.commentAccess(exchange, token, issueNumber, 'write')) return
    const body = this.commentBody(exchange)
    if (body == null) return
    const at = Date.now()
    /** @type {Comment} */
    const comment = {
      id: this.nextCommentId++,
      issueNumber,
      body,
      user: token.account,
      authorAssociation:
        token.kind === 'job' ? 'NONE' : token.role === 'read' ? 'CONTRIBUTOR' : 'COLLABORATOR',
      createdAt: at,
      updatedAt: at
    }
    this.comments.push(comment)
    const document = commentDocument(this, comment)
    return this.answer(exchange, 201, document, { location: document.url })
  }

  /** @param {Exchange} exchange @param {TokenRecord} token @param {number} commentId */
  updateComment(exchange, token, commentId) {
    const comment = this.comments.find(c => c.id === commentId)
    if (comment == null)
      return this.answer(exchange, 404, errorDocument(404, exchange.record.route))
    if (!this.commentAccess(exchange, token, comment.issueNumber, 'write')) return
    if (
      comment.user.login !== token.account.login &&
      token.kind === 'personal' &&
      token.role === 'read'
    )
      return this.answer(
        exchange,
        403,
        errorDocument(403, exchange.record.route, CANNOT_EDIT_OTHERS_COMMENT)
      )
    const body = this.commentBody(exchange)
    if (body == null) return
    comment.body = body
    comment.updatedAt = Date.now()
    return this.answer(exchange, 200, commentDocument(this, comment))
  }

  /**
   * Whether the token may read or write comments of that issue or pull request; answers 404 (no
   * such number) or 403 when not. A pull request's need pull_requests, an issue's need issues.
   * @param {Exchange} exchange @param {TokenRecord} token @param {number} issueNumber
   * @param {'read' | 'write'} access
   */
  commentAccess(exchange, token, issueNumber, access) {
    const isPullRequest = this.pullRequests.has(issueNumber)
    if (!isPullRequest && !this.issues.has(issueNumber)) {
      this.answer(exchange, 404, errorDocument(404, exchange.record.route))
      return false
    }
    return this.allowed(
      exchange,
      token,
      isPullRequest ? 'pull_requests' : 'issues',
      access,
      `issues=${access}; pull_requests=${access}`
    )
  }

  /**
   * The `body` of a create or edit request, or undefined after answering why it is refused.
   * @param {Exchange} exchange
   */
  commentBody(exchange) {
    const { record } = exchange
    if (record.body === undefined) {
      this.answer(exchange, 400, errorDocument(400, record.route, 'Problems parsing JSON'))
      return undefined
    }
    const doc = /** @type {unknown} */ (record.body)
    if (doc == null || typeof doc !== 'object' || Array.isArray(doc)) {
      this.answer(exchange, 400, errorDocument(400, record.route, 'Body should be a JSON object'))
      return undefined
    }
    const body = /** @type {Record<string, unknown>} */ (doc).body
    if (typeof body !== 'string') {
      this.answer(
        exchange,
        422,
        errorDocument(422, record.route, 'Invalid request.\n\n"body" wasn\'t supplied.')
      )
      return undefined
    }
    if ([...body].length > this.commentMaxLength) {
      this.answer(exchange, 422, commentTooLongDocument(record.route))
      return undefined
    }
    return body
  }

  /**
   * Answers one page of `items`, with GitHub's `Link` header.
   * @template T
   * @param {Exchange} exchange @param {URL} url @param {readonly T[]} items
   * @param {(page: T[]) => unknown} document  the answer's document for the page's items
   */
  page(exchange, url, items, document) {
    const params = pageParams(url.searchParams)
    const { items: page, lastPage } = pageOf(items, params)
    // Links name the repository by id, as GitHub's do.
    const rest = exchange.record.path.replace(/^\/repos\/[^/]+\/[^/]+|^\/repositories\/\d+/, '')
    const link = linkHeader(
      `${this.url}/repositories/${this.repository.id}${rest}`,
      url.searchParams,
      params.page,
      lastPage
    )
    return this.answer(exchange, 200, document(page), link ? { link } : {})
  }

  // ─── Helpers ───

  /** @param {WorkflowRun | number} runOrId */
  runOf(runOrId) {
    const id = typeof runOrId === 'number' ? runOrId : runOrId.id
    const run = this.runs.find(r => r.id === id)
    if (run == null) throw new Error(`No workflow run ${id}`)
    return run
  }

  /**
   * An account by login, made on first use.
   * @param {string} login @param {'User' | 'Organization'} [type]
   */
  account(login, type = 'User') {
    let account = this.accounts.get(login)
    if (account == null) {
      account = { login, id: this.nextAccountId++, type: login.endsWith('[bot]') ? 'Bot' : type }
      this.accounts.set(login, account)
    }
    return account
  }

  /** The repository, or a fork of it by full name, made on first use. */
  /** @param {string | undefined} fullName */
  repositoryNamed(fullName) {
    if (fullName == null || fullName.toLowerCase() === this.repository.fullName.toLowerCase())
      return this.repository
    let fork = this.forks.get(fullName)
    if (fork == null) {
      const [owner = '', name = ''] = fullName.split('/')
      fork = {
        id: this.nextRepositoryId++,
        owner: this.account(owner),
        name,
        fullName,
        defaultBranch: this.repository.defaultBranch,
        fork: true
      }
      this.forks.set(fullName, fork)
    }
    return fork
  }

  /**
   * A workflow by file name, made on first use.
   * @param {string} file  ci.yml (or .github/workflows/ci.yml)
   * @param {string} [name]
   */
  workflow(file, name) {
    const path = file.startsWith('.github/workflows/') ? file : `.github/workflows/${file}`
    let workflow = this.workflows.get(path)
    if (workflow == null) {
      const base = path.slice('.github/workflows/'.length)
      workflow = {
        id: this.nextWorkflowId++,
        name: name ?? (base === 'ci.yml' ? 'CI' : base),
        path
      }
      this.workflows.set(path, workflow)
    }
    return workflow
  }

  /** @param {number | undefined} wanted */
  claimIssueNumber(wanted) {
    const number = wanted ?? this.nextIssueNumber
    if (this.pullRequests.has(number) || this.issues.has(number))
      throw new Error(`Issue number ${number} is taken`)
    this.nextIssueNumber = Math.max(this.nextIssueNumber, number + 1)
    return number
  }
}

/** @param {GitHubApiOptions} [options] */
export function startGitHubApi(options) {
  return new GitHubApi(options).start()
}

// ─── Helpers ───

/** The MIME type of a file kept as it is, from its extension (as @actions/artifact picks it). */
/** @param {string} name */
function contentTypeOf(name) {
  /** @type {Record<string, string>} */
  const types = {
    '.json': 'application/json',
    '.txt': 'text/plain',
    '.csv': 'text/csv',
    '.html': 'text/html',
    '.md': 'text/markdown',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
    '.zip': 'application/zip'
  }
  return types[extname(name).toLowerCase()] ?? 'application/octet-stream'
}

/** A file name for the plain `filename=` of Content-Disposition: ASCII, no quotes or separators. */
/** @param {string} name */
function asciiFileName(name) {
  return name.replace(/[^\x20-\x7e]|["\\;,]/g, '_').replace(/ /g, '_')
}

function newSha() {
  return randomBytes(20).toString('hex')
}

/** @param {string} text */
function sha256(text) {
  return createHash('sha256').update(text).digest('hex')
}

/** @param {string} text @returns {unknown} */
function parseJson(text) {
  if (text === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
