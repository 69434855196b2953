/**
 * `comment` in a step: once the step's outputs and summary are written, its comment (one per
 * run's key, or one for the step with `comment-per: step`) is kept on the pull request. What it
 * wrote goes into the outcome, for the `comment-id` and `comment-url` outputs.
 *
 * Nothing here can change the step's result: it runs after the result is written, every
 * failure is a warning (a 403 or 404 naming the permission the token needs), and it takes at
 * most COMMENT_TIME_MS, whatever the retries ask. A step without a pull request, or whose token
 * may only read (a fork's, Dependabot's), gets a notice and makes no request at all.
 *
 * The comparison plugs in at `plansOf`: each body builder takes the run's changes as a
 * `TableSection` (./body.ts), and `failedOrChanged` (./when.ts) reads its count.
 */
import { createHash } from 'node:crypto'
import type { Clock } from '../clock.js'
import { errorMessage } from '../errors.js'
import { GitHubClient, GitHubStatusError } from '../github/client.js'
import { readEventPayload, readGitHubContext, workflowRunUrl } from '../github/context.js'
import type { HttpTransport } from '../http.js'
import { MAX_KEY_LENGTH } from '../inputs/baseline.js'
import type { CommentSettings, Config } from '../inputs/config.js'
import { log } from '../log.js'
import type { Outcome, StepOutcome } from '../outcome.js'
import { CommentContext, runComment, stepComment, TableSection } from './body.js'
import { changesSection } from './changes.js'
import { CommentPlan, deliverComments, Writer } from './deliver.js'
import { commentTarget } from './target.js'
import { failedOrChanged, stepFailedOrChanged } from './when.js'

/** The most the comment adds to a step, retries and GitHub's waits included. */
export const COMMENT_TIME_MS = 60_000

export interface CommentStepOptions {
  config: Config
  env: NodeJS.ProcessEnv
  transport: HttpTransport
  clock: Clock
  /** Aborted when the job is cancelled. */
  signal?: AbortSignal
}

/** Keeps the step's comments on the pull request. Never throws; does nothing without `comment`. */
export async function commentOnPullRequest(
  outcome: StepOutcome,
  options: CommentStepOptions
): Promise<void> {
  const { config, clock, signal } = options
  const settings = config.comment
  if (settings == null || config.githubToken == null) return
  if (signal?.aborted) {
    log.info('The job was cancelled: no comment on the pull request.')
    return
  }
  let pullRequest: number | undefined
  try {
    const context = readGitHubContext(options.env)
    const target = commentTarget(settings, context, await readEventPayload(context))
    if ('notice' in target) {
      log.notice(target.notice, { title: target.title })
      return
    }
    pullRequest = target.pullRequest
    const writer: Writer = { runId: String(context.runId), attempt: context.runAttempt }
    const runUrl = workflowRunUrl(context, context.runId, context.runAttempt)
    const contextOf = (key: string): CommentContext => ({
      stamp: { key, ...writer },
      runUrl,
      sha: target.headSha
    })
    const plans = plansOf(outcome, config, settings, contextOf)
    const client = await GitHubClient.create({
      token: config.githubToken,
      apiUrl: context.apiUrl,
      owner: context.owner,
      repo: context.repo,
      transport: options.transport,
      clock,
      deadline: clock.now() + COMMENT_TIME_MS,
      signal
    })
    await deliverComments(client, target.pullRequest, plans, writer)
  } catch (error) {
    if (signal?.aborted) return
    log.warning(whyNotWritten(error, pullRequest), { title: 'Pull request comment not written' })
  }
}

/** The step's comments: its runs' by their keys, or the step's one. */
function plansOf(
  outcome: StepOutcome,
  config: Config,
  settings: CommentSettings,
  contextOf: (key: string) => CommentContext
): CommentPlan[] {
  const always = settings.when === 'always'
  const { story } = config
  if (outcome.mode === 'many' && story.kind === 'many') {
    const keys = story.entries.map(entry => entry.story.baselineKey ?? '')
    if (settings.per === 'step') {
      const key = settings.stepKey ?? stepKey(keys)
      return [
        {
          key,
          body: () =>
            stepComment(outcome, contextOf(key), run =>
              run.comparison == null ? undefined : changesSection(run.comparison, run.name)
            ),
          create: always || stepFailedOrChanged(outcome),
          written: comment => (outcome.comment = comment)
        }
      ]
    }
    return outcome.runs.map((run, index) => {
      const key = keys[index] ?? ''
      return {
        key,
        body: () => runComment(run, run.name, contextOf(key), comparedOf(run)),
        create: always || failedOrChanged(run),
        written: comment => (run.comment = comment)
      }
    })
  }
  if (outcome.mode === 'many' || story.kind === 'many' || story.kind === 'interactive') return []
  const key = story.baselineKey ?? ''
  return [
    {
      key,
      body: () =>
        runComment(outcome, outcome.notebookId ?? key, contextOf(key), comparedOf(outcome)),
      create: always || failedOrChanged(outcome),
      written: comment => (outcome.comment = comment)
    }
  ]
}

/** A step's key from its runs' keys: all of them, or a digest when they are too long for one. */
export function stepKey(keys: readonly string[]): string {
  const joined = keys.join('+')
  if (joined.length <= MAX_KEY_LENGTH) return joined
  return `step-${createHash('sha256').update(joined).digest('hex').slice(0, 16)}`
}

/** The warning's words: what failed, and for a refusal, the permission the token needs. */
function whyNotWritten(error: unknown, pullRequest: number | undefined): string {
  const on =
    pullRequest == null ? 'The pull request comment' : `The comment on pull request #${pullRequest}`
  const refused =
    error instanceof GitHubStatusError &&
    !error.rateLimited &&
    (error.status === 403 || error.status === 404)
  const permission = refused
    ? ` Commenting needs \`pull-requests: write\` for \`github-token\` (in the job's \`permissions\`, or a token that has it)${error.status === 404 ? `; a 404 also answers a pull request this repository does not have, or a token that may not see the repository` : ''}.`
    : ''
  return `${on} was not written: ${errorMessage(error)}.${permission} The step's result is as it was.`
}

/** A run's comparison as the comment's section, in place of its plain values. */
function comparedOf(outcome: Outcome): TableSection | undefined {
  return outcome.comparison == null ? undefined : changesSection(outcome.comparison)
}
