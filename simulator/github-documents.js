// @ts-check
/**
 * The documents of the fake GitHub REST API (./github-api.js), shaped as GitHub's (the schemas of
 * @octokit/openapi-types and docs.github.com's REST reference): users, repositories, workflow
 * runs, artifacts, issue comments, and the event payload a step reads. Only the fields clients
 * read, or might: not every URL GitHub puts in them.
 *
 * Plain JavaScript with no dependencies, so that `npm run demo` works before `npm ci`.
 */
import { createHash } from 'node:crypto'

/**
 * @typedef {object} Account
 * @property {string} login
 * @property {number} id
 * @property {'User' | 'Bot' | 'Organization'} type
 *
 * @typedef {object} Repository
 * @property {number} id
 * @property {Account} owner
 * @property {string} name
 * @property {string} fullName
 * @property {string} defaultBranch
 * @property {boolean} fork
 *
 * @typedef {object} Workflow
 * @property {number} id
 * @property {string} name
 * @property {string} path  .github/workflows/ci.yml
 *
 * @typedef {object} PullRequest
 * @property {number} id
 * @property {number} number
 * @property {string} title
 * @property {Account} user
 * @property {string} headRef
 * @property {string} headSha
 * @property {Repository} headRepository
 * @property {string} baseRef
 * @property {string} baseSha
 *
 * @typedef {object} WorkflowRun
 * @property {number} id
 * @property {number} attempt
 * @property {number} runNumber
 * @property {Workflow} workflow
 * @property {string} event
 * @property {string} status
 * @property {string | null} conclusion
 * @property {string} headBranch
 * @property {string} headSha
 * @property {Repository} headRepository
 * @property {Account} actor
 * @property {string} title
 * @property {number} createdAt
 * @property {PullRequest | undefined} pullRequest  of a pull_request event
 * @property {string} token  the run's job token (GITHUB_TOKEN)
 *
 * @typedef {object} StoredArtifact
 * @property {number} id
 * @property {number} runId
 * @property {string} name
 * @property {number} size
 * @property {string | null} digest  sha256:<hex>
 * @property {number} createdAt
 * @property {number} expiresAt
 * @property {string} container
 * @property {string} blobName
 * @property {boolean} zipped
 * @property {'seeded' | 'uploaded'} origin
 *
 * @typedef {object} Comment
 * @property {number} id
 * @property {number} issueNumber
 * @property {string} body
 * @property {Account} user
 * @property {string} authorAssociation
 * @property {number} createdAt
 * @property {number} updatedAt
 *
 * @typedef {object} Site  where the documents' URLs point, and what they refer to
 * @property {string} url  the API's base URL
 * @property {string} serverUrl  the web's (GITHUB_SERVER_URL)
 * @property {Repository} repository
 * @property {ReadonlyMap<number, PullRequest>} pullRequests
 */

/** @param {Site} site @param {Account} account */
export function userDocument(site, account) {
  const bot = account.type === 'Bot'
  return {
    login: account.login,
    id: account.id,
    node_id: nodeId(bot ? 'BOT' : account.type === 'Organization' ? 'O' : 'U', account.id),
    avatar_url: `https://avatars.githubusercontent.com/${bot ? 'in' : 'u'}/${account.id}?v=4`,
    gravatar_id: '',
    url: `${site.url}/users/${encodeURIComponent(account.login)}`,
    html_url: bot
      ? `${site.serverUrl}/apps/${account.login.replace(/\[bot\]$/, '')}`
      : `${site.serverUrl}/${account.login}`,
    type: account.type,
    site_admin: false
  }
}

/** @param {Site} site @param {Repository} repository */
export function repositoryDocument(site, repository) {
  return {
    id: repository.id,
    node_id: nodeId('R', repository.id),
    name: repository.name,
    full_name: repository.fullName,
    private: true,
    owner: userDocument(site, repository.owner),
    html_url: `${site.serverUrl}/${repository.fullName}`,
    description: null,
    fork: repository.fork,
    url: `${site.url}/repos/${repository.fullName}`
  }
}

/** @param {Site} site @param {WorkflowRun} run @param {boolean} excludePullRequests */
export function runDocument(site, run, excludePullRequests) {
  const api = `${site.url}/repos/${site.repository.fullName}`
  // GitHub lists the open pull requests whose head is the run's branch or commit in the run's
  // repository, and none for a fork's run (not even its own pull request).
  const pullRequests =
    excludePullRequests || run.headRepository.fork
      ? []
      : [...site.pullRequests.values()]
          .filter(
            pr =>
              !pr.headRepository.fork &&
              (pr.headRef === run.headBranch || pr.headSha === run.headSha)
          )
          .map(pr => ({
            url: `${api}/pulls/${pr.number}`,
            id: pr.id,
            number: pr.number,
            head: {
              ref: pr.headRef,
              sha: pr.headSha,
              repo: { id: site.repository.id, url: api, name: site.repository.name }
            },
            base: {
              ref: pr.baseRef,
              sha: pr.baseSha,
              repo: { id: site.repository.id, url: api, name: site.repository.name }
            }
          }))
  const created = iso(run.createdAt)
  return {
    id: run.id,
    name: run.workflow.name,
    node_id: nodeId('WFR', run.id),
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: run.workflow.path,
    display_title: run.title,
    run_number: run.runNumber,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: run.workflow.id,
    check_suite_id: run.id + 20_000_000_000,
    check_suite_node_id: nodeId('CS', run.id + 20_000_000_000),
    url: `${api}/actions/runs/${run.id}`,
    html_url: `${site.serverUrl}/${site.repository.fullName}/actions/runs/${run.id}`,
    pull_requests: pullRequests,
    created_at: created,
    updated_at: created,
    actor: userDocument(site, run.actor),
    run_attempt: run.attempt,
    referenced_workflows: [],
    run_started_at: created,
    triggering_actor: userDocument(site, run.actor),
    jobs_url: `${api}/actions/runs/${run.id}/jobs`,
    logs_url: `${api}/actions/runs/${run.id}/logs`,
    check_suite_url: `${api}/check-suites/${run.id + 20_000_000_000}`,
    artifacts_url: `${api}/actions/runs/${run.id}/artifacts`,
    cancel_url: `${api}/actions/runs/${run.id}/cancel`,
    rerun_url: `${api}/actions/runs/${run.id}/rerun`,
    previous_attempt_url:
      run.attempt > 1 ? `${api}/actions/runs/${run.id}/attempts/${run.attempt - 1}` : null,
    workflow_url: `${api}/actions/workflows/${run.workflow.id}`,
    head_commit: {
      id: run.headSha,
      tree_id: sha1(`tree ${run.headSha}`),
      message: run.title,
      timestamp: created,
      author: {
        name: run.actor.login,
        email: `${run.actor.id}+${run.actor.login}@users.noreply.github.com`
      },
      committer: { name: 'GitHub', email: 'noreply@github.com' }
    },
    repository: repositoryDocument(site, site.repository),
    head_repository: repositoryDocument(site, run.headRepository)
  }
}

/**
 * @param {Site} site @param {StoredArtifact} artifact @param {WorkflowRun} run  its run
 * @param {boolean} expired
 */
export function artifactDocument(site, artifact, run, expired) {
  const url = `${site.url}/repos/${site.repository.fullName}/actions/artifacts/${artifact.id}`
  return {
    id: artifact.id,
    node_id: nodeId('A', artifact.id),
    name: artifact.name,
    size_in_bytes: artifact.size,
    url,
    archive_download_url: `${url}/zip`,
    expired,
    digest: artifact.digest,
    created_at: iso(artifact.createdAt),
    updated_at: iso(artifact.createdAt),
    expires_at: iso(expired ? Math.min(artifact.expiresAt, Date.now()) : artifact.expiresAt),
    workflow_run: {
      id: run.id,
      repository_id: site.repository.id,
      head_repository_id: run.headRepository.id,
      head_branch: run.headBranch,
      head_sha: run.headSha
    }
  }
}

/** @param {Site} site @param {Comment} comment */
export function commentDocument(site, comment) {
  const api = `${site.url}/repos/${site.repository.fullName}`
  const page = site.pullRequests.has(comment.issueNumber) ? 'pull' : 'issues'
  return {
    url: `${api}/issues/comments/${comment.id}`,
    html_url: `${site.serverUrl}/${site.repository.fullName}/${page}/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${api}/issues/${comment.issueNumber}`,
    id: comment.id,
    node_id: nodeId('IC', comment.id),
    user: userDocument(site, comment.user),
    created_at: iso(comment.createdAt),
    updated_at: iso(comment.updatedAt),
    author_association: comment.authorAssociation,
    body: comment.body,
    reactions: {
      url: `${api}/issues/comments/${comment.id}/reactions`,
      total_count: 0,
      '+1': 0,
      '-1': 0,
      laugh: 0,
      hooray: 0,
      confused: 0,
      heart: 0,
      rocket: 0,
      eyes: 0
    },
    performed_via_github_app: null
  }
}

/**
 * The event payload a step of the run reads from GITHUB_EVENT_PATH (the fields actions use).
 * @param {Site} site @param {WorkflowRun} run
 */
export function eventPayload(site, run) {
  const repository = {
    ...repositoryDocument(site, site.repository),
    default_branch: site.repository.defaultBranch
  }
  const sender = userDocument(site, run.actor)
  const pr = run.pullRequest
  if (pr) {
    /** @param {string} ref @param {string} sha @param {Repository} repo */
    const side = (ref, sha, repo) => ({
      label: `${repo.owner.login}:${ref}`,
      ref,
      sha,
      user: userDocument(site, repo.owner),
      repo: { ...repositoryDocument(site, repo), default_branch: site.repository.defaultBranch }
    })
    return {
      action: 'synchronize',
      number: pr.number,
      pull_request: {
        url: `${site.url}/repos/${site.repository.fullName}/pulls/${pr.number}`,
        id: pr.id,
        number: pr.number,
        state: 'open',
        title: pr.title,
        user: userDocument(site, pr.user),
        html_url: `${site.serverUrl}/${site.repository.fullName}/pull/${pr.number}`,
        head: side(pr.headRef, pr.headSha, pr.headRepository),
        base: side(pr.baseRef, pr.baseSha, site.repository)
      },
      repository,
      sender
    }
  }
  if (run.event === 'push')
    return {
      ref: `refs/heads/${run.headBranch}`,
      before: '0'.repeat(40),
      after: run.headSha,
      head_commit: { id: run.headSha, message: run.title, timestamp: iso(run.createdAt) },
      pusher: { name: run.actor.login },
      repository,
      sender
    }
  if (run.event === 'schedule') return { schedule: '0 3 * * *', repository, sender }
  if (run.event === 'workflow_dispatch')
    return { inputs: {}, ref: `refs/heads/${run.headBranch}`, repository, sender }
  return { repository, sender }
}

/** GET /repos/{owner}/{repo}: the repository with its settings. */
/** @param {Site} site */
export function fullRepositoryDocument(site) {
  return {
    ...repositoryDocument(site, site.repository),
    default_branch: site.repository.defaultBranch,
    visibility: 'private',
    archived: false,
    disabled: false,
    has_issues: true,
    created_at: '2020-01-01T00:00:00Z',
    updated_at: iso(Date.now()),
    pushed_at: iso(Date.now())
  }
}

/** GET /user: the person a token acts as. */
/** @param {Site} site @param {Account} account */
export function authenticatedUserDocument(site, account) {
  return {
    ...userDocument(site, account),
    name: null,
    company: null,
    blog: '',
    location: null,
    email: null,
    hireable: null,
    bio: null,
    public_repos: 1,
    followers: 0,
    following: 0,
    created_at: '2011-01-25T18:44:36Z',
    updated_at: '2024-01-01T00:00:00Z'
  }
}

/**
 * The commit a pull request's run checks out (GITHUB_SHA): the merge of head into base, not the
 * run's head_sha.
 * @param {PullRequest} pullRequest
 */
export function mergeCommitSha(pullRequest) {
  return sha1(`merge ${pullRequest.headSha} into ${pullRequest.baseSha}`)
}

/** GitHub's timestamps: RFC 3339 in UTC, whole seconds. */
/** @param {number} ms */
function iso(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** @param {string} prefix @param {number} id */
function nodeId(prefix, id) {
  return `${prefix}_kwDO${Buffer.from(String(id)).toString('base64url')}`
}

/** @param {string} text */
function sha1(text) {
  return createHash('sha1').update(text).digest('hex')
}
