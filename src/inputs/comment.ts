/**
 * `comment` and the inputs that go with it: when the step comments on the pull request, whether
 * per run's key or once for the step, and on which pull request when the event names none. All
 * of it is checked before any request. With `comment: off` (the default) the others would do
 * nothing, so setting them is refused.
 *
 * `pull-request` is read here, as digits only: a workflow fills it from an event
 * (`github.event.workflow_run.pull_requests[0].number`), and whatever it holds must never become
 * part of a path the client asks for. The event's own number is read (and checked the same way)
 * when the step comments: ../comment/target.ts.
 */
import { InputError } from '../errors.js'
import { quote } from '../log.js'
import type { CommentSettings, Story } from './config.js'
import { Inputs } from './names.js'
import { Input, readChoice } from './values.js'

/** GitHub's issue numbers are 32-bit; a number past that names no pull request. */
export const MAX_PULL_REQUEST = 2_147_483_647

/** The `comment` settings; undefined with `comment: off`. */
export function readCommentSettings(input: Input, story: Story): CommentSettings | undefined {
  const when = readChoice(
    input,
    Inputs.Comment,
    ['off', 'always', 'on-failure-or-change'] as const,
    'off'
  )
  if (when === 'off') {
    const [name] = [Inputs.CommentPer, Inputs.PullRequest].filter(n => input(n) !== '')
    if (name != null) {
      throw new InputError(
        name,
        'has no effect with `comment: off` (the default): the step does not comment',
        `\`comment: always\` or \`comment: on-failure-or-change\`, or remove \`${name}\``
      )
    }
    return undefined
  }
  if (story.kind === 'interactive') {
    throw new InputError(
      Inputs.Mode,
      'is interactive, which gives no result to comment with: `comment` tells how a run ended',
      '`mode: run`'
    )
  }
  const pullRequest = input(Inputs.PullRequest)
  const per = readChoice(input, Inputs.CommentPer, ['key', 'step'] as const, 'key')
  // Checked as every run's key is (../inputs/baseline.ts `withRunKeys`).
  const stepKey =
    per === 'step' && input(Inputs.BaselineKey) !== '' ? input(Inputs.BaselineKey) : undefined
  return {
    when,
    per,
    pullRequest: pullRequest === '' ? undefined : checkPullRequest(pullRequest),
    ...(stepKey == null ? {} : { stepKey })
  }
}

/** A pull request's number as `pull-request` takes it: digits, from 1. */
export function checkPullRequest(text: string): number {
  const number = /^\d{1,10}$/.test(text) ? Number(text) : NaN
  if (!(number >= 1 && number <= MAX_PULL_REQUEST)) {
    throw new InputError(
      Inputs.PullRequest,
      `must be the number of a pull request (digits, from 1), got ${quote(text)}`,
      '`pull-request: ${{ github.event.workflow_run.pull_requests[0].number }}`'
    )
  }
  return number
}
