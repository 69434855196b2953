/**
 * Which pull request the step comments on, and whether its token may write there: the number
 * `pull-request` gives, else the pull request of a `pull_request` or `pull_request_target`
 * event. Two kinds of run get a token that may only read, whatever the workflow's
 * `permissions` say: a `pull_request` run of a pull request from a fork, and a run Dependabot
 * started (on `pull_request` and `push`). For those the step makes no request at all; a notice
 * says why. (GitHub's own word on it: "Permissions for the GITHUB_TOKEN", and Dependabot's
 * "Automating Dependabot with GitHub Actions".)
 */
import { GitHubContext, isPullRequestEvent, payloadText } from '../github/context.js'
import type { CommentSettings } from '../inputs/config.js'
import { MAX_PULL_REQUEST } from '../inputs/comment.js'
import { quote } from '../log.js'

export const DEPENDABOT = 'dependabot[bot]'

/** The pull request to comment on, and the commit it tested; or why there is none. */
export type CommentTarget =
  { pullRequest: number; headSha?: string } | { notice: string; title: string }

export function commentTarget(
  settings: CommentSettings,
  context: GitHubContext,
  payload: unknown
): CommentTarget {
  const fromEvent = isPullRequestEvent(context.eventName) ? pullRequestNumber(payload) : undefined
  const pullRequest = settings.pullRequest ?? fromEvent
  if (pullRequest == null) {
    return {
      title: 'No pull request to comment on',
      notice: `\`comment\` is set, but this ${quote(context.eventName)} event names no pull request, and \`pull-request\` is not given: no comment.`
    }
  }
  const readOnly = readOnlyBecause(context, payload)
  if (readOnly != null) {
    return {
      title: 'No comment on this pull request',
      notice: `${readOnly}, so the step does not comment (and asks nothing of GitHub for it); its result is as it is. The README's "Comment on pull requests" says how such pull requests can get the comment.`
    }
  }
  const sha = isPullRequestEvent(context.eventName)
    ? payloadText(payload, 'pull_request', 'head', 'sha')
    : undefined
  return { pullRequest, headSha: sha != null && /^[0-9a-f]{40}$/.test(sha) ? sha : undefined }
}

/** The event's pull request number, when it is one GitHub could have given. */
function pullRequestNumber(payload: unknown): number | undefined {
  const pull = (payload as { pull_request?: { number?: unknown } } | undefined)?.pull_request
  const number = pull?.number
  const valid = typeof number === 'number' && Number.isSafeInteger(number)
  return valid && number >= 1 && number <= MAX_PULL_REQUEST ? number : undefined
}

/** Why the run's token may not write, when GitHub gives it one that only reads. */
function readOnlyBecause(context: GitHubContext, payload: unknown): string | undefined {
  const { eventName, owner, repo } = context
  const pull = (payload as { pull_request?: unknown } | undefined)?.pull_request
  if (eventName === 'pull_request' && pull != null) {
    // A fork deleted since has no repository in the payload: still a fork's pull request.
    const head = payloadText(payload, 'pull_request', 'head', 'repo', 'full_name')
    if (head?.toLowerCase() !== `${owner}/${repo}`.toLowerCase()) {
      const from = head == null ? 'a fork that no longer exists' : `the fork ${quote(head)}`
      return `This pull request comes from ${from}, and GitHub gives a \`pull_request\` run of a fork's pull request a token that may only read`
    }
  }
  if ((eventName === 'pull_request' || eventName === 'push') && context.actor === DEPENDABOT) {
    return `Dependabot started this run, and GitHub gives Dependabot's \`${eventName}\` runs a token that may only read`
  }
  return undefined
}
