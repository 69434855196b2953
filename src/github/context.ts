/**
 * Which workflow run the step is part of, as the runner tells it in the environment: the
 * repository, the run, its commit and ref, its event (and the event's payload), its workflow
 * file, where GitHub is. Read when the step needs it, from the environment the step was given,
 * not from @actions/github's `context`, which reads `process.env` once, when it is imported.
 */
import { readFile, stat } from 'node:fs/promises'

export interface GitHubContext {
  /** GITHUB_API_URL, without a trailing slash. */
  apiUrl: string
  serverUrl: string
  owner: string
  repo: string
  runId: number
  runAttempt: number
  /** The commit the run checked out (a pull request's merge commit on pull_request events). */
  sha: string
  ref: string
  eventName: string
  /** Who started the run (GITHUB_ACTOR): `dependabot[bot]` for Dependabot's runs. */
  actor: string
  /** The workflow's file name (`ci.yml`), which the REST API takes as its ID. */
  workflowFile: string
  /** GITHUB_EVENT_PATH, read by `readEventPayload` when it is needed. */
  eventPath?: string
}

/** The environment does not tell of a workflow run: not run by a runner, or an odd one. */
export class NoWorkflowRunError extends Error {
  constructor(missing: string) {
    super(
      `the environment does not say which workflow run this is (${missing}), as the runner does`
    )
    this.name = 'NoWorkflowRunError'
  }
}

export function readGitHubContext(env: NodeJS.ProcessEnv): GitHubContext {
  const need = (name: string): string => {
    const value = env[name]?.trim()
    if (!value) throw new NoWorkflowRunError(`${name} is not set`)
    return value
  }
  const [owner = '', repo = '', ...rest] = need('GITHUB_REPOSITORY').split('/')
  if (owner === '' || repo === '' || rest.length > 0) {
    throw new NoWorkflowRunError('GITHUB_REPOSITORY is not owner/name')
  }
  const runId = Number(need('GITHUB_RUN_ID'))
  if (!Number.isSafeInteger(runId) || runId <= 0) {
    throw new NoWorkflowRunError('GITHUB_RUN_ID is not a run ID')
  }
  const attempt = Number(env.GITHUB_RUN_ATTEMPT ?? '1')
  // owner/repo/.github/workflows/ci.yml@refs/heads/main: the calling workflow, also when the
  // step is in a reusable one.
  const workflowPath = /^[^/]+\/[^/]+\/([^@]+)@/.exec(need('GITHUB_WORKFLOW_REF'))?.[1] ?? ''
  const workflowFile = workflowPath.split('/').pop() ?? ''
  if (!workflowPath.startsWith('.github/workflows/') || !/^[^/\\]+\.ya?ml$/i.test(workflowFile)) {
    throw new NoWorkflowRunError('GITHUB_WORKFLOW_REF names no workflow file')
  }
  return {
    apiUrl: (env.GITHUB_API_URL?.trim() || 'https://api.github.com').replace(/\/+$/, ''),
    serverUrl: (env.GITHUB_SERVER_URL?.trim() || 'https://github.com').replace(/\/+$/, ''),
    owner,
    repo,
    runId,
    runAttempt: Number.isSafeInteger(attempt) && attempt > 0 ? attempt : 1,
    sha: need('GITHUB_SHA'),
    ref: env.GITHUB_REF?.trim() ?? '',
    eventName: need('GITHUB_EVENT_NAME'),
    actor: env.GITHUB_ACTOR?.trim() ?? '',
    workflowFile,
    eventPath: env.GITHUB_EVENT_PATH?.trim() || undefined
  }
}

/** GitHub caps a webhook's payload at 25 MB; a larger file is no event of GitHub's. */
const MAX_EVENT_BYTES = 25 * 1024 * 1024

/** The event's payload, or undefined when there is none to read (no file, too large, not JSON). */
export async function readEventPayload(context: GitHubContext): Promise<unknown> {
  if (context.eventPath == null) return undefined
  try {
    if ((await stat(context.eventPath)).size > MAX_EVENT_BYTES) return undefined
    return JSON.parse(await readFile(context.eventPath, 'utf8')) as unknown
  } catch {
    return undefined
  }
}

/** Whether the event is a pull request's (its runs compare with the pull request's base). */
export function isPullRequestEvent(eventName: string): boolean {
  return eventName === 'pull_request' || eventName === 'pull_request_target'
}

/** A text field found by its path in a payload; undefined when any step is missing. */
export function payloadText(payload: unknown, ...path: string[]): string | undefined {
  let value = payload
  for (const key of path) {
    if (value == null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined
    value = (value as Record<string, unknown>)[key]
  }
  return typeof value === 'string' ? value : undefined
}

/** The page of a workflow run (of an attempt, past the first). */
export function workflowRunUrl(context: GitHubContext, runId: number, attempt = 1): string {
  const run = `${context.serverUrl}/${context.owner}/${context.repo}/actions/runs/${runId}`
  return attempt > 1 ? `${run}/attempts/${attempt}` : run
}
