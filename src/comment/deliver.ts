/**
 * Finding and writing a step's comments, through the GitHub client (the one holder of the
 * token). Every page of the pull request's comments is read once for all the step's keys; a
 * comment counts only when its body starts with the marker of one of them (./marker.ts) and
 * its author is the token's own user. That second rule is the action's alone: on GitHub a token
 * that may write edits anyone's comment, so a person who quotes the marker would otherwise have
 * their comment overwritten. Whom the token acts as is asked only when a marked comment is
 * there: `GET /user` names a person's token's user, and answers a job token (an installation
 * token) 403 "Resource not accessible by integration": that one writes as github-actions[bot].
 *
 * A key's comment, when found, is edited in place, unless a newer workflow run wrote it (a
 * notice says so, and it stays). When none is found it is created, if the plan asks for one.
 * A create is sent once (it is not idempotent): when it fails in a way that may pass, the
 * comments are read again before it is sent again, so an answer lost after GitHub took the
 * create makes no second comment. An edit is retried as it is.
 */
import { ProtocolError } from '../errors.js'
import { type ApiAnswer, GitHubClient, GitHubStatusError } from '../github/client.js'
import { log, quote } from '../log.js'
import type { PostedComment } from '../outcome.js'
import { isNewer, readMarker, Stamp } from './marker.js'

/** Comments asked for in a page: GitHub's most. */
const PER_PAGE = 100
/** 5,000 comments: a pull request past that is read no further (and not commented on). */
const MAX_PAGES = 50
/** Whom the job's token writes as. */
export const JOB_TOKEN_USER = 'github-actions[bot]'

/** One comment to keep: the key's, with its body and what to do with the comment written. */
export interface CommentPlan {
  key: string
  /** The body, marker first; made only when it is sent. */
  body(): string
  /** Create the comment when the key has none (`always`, or a run that failed or changed). */
  create: boolean
  /** Told of the comment once it is written. */
  written(comment: PostedComment): void
}

/** A marked comment found on the pull request. */
interface Marked {
  id: number
  stamp: Stamp
  author: { login: string; id?: number }
}

/** Whom the token acts as: a user by ID, or the job token's bot by its login. */
interface Identity {
  login: string
  id?: number
}

/** What the step writes as: its workflow run and attempt. */
export type Writer = Pick<Stamp, 'runId' | 'attempt'>

/**
 * Keeps each plan's comment on the pull request. Throws the first failure that would fail the
 * rest too (a permission, GitHub down); a body GitHub refuses (422) is a warning of its own key.
 */
export async function deliverComments(
  client: GitHubClient,
  pullRequest: number,
  plans: readonly CommentPlan[],
  writer: Writer
): Promise<void> {
  const desk = new CommentDesk(client, pullRequest)
  const own = await desk.own(new Set(plans.map(plan => plan.key)))
  for (const plan of plans) {
    try {
      await keep(desk, plan, own, writer)
    } catch (error) {
      if (!(error instanceof GitHubStatusError && error.status === 422)) throw error
      log.warning(
        `The comment of ${quote(plan.key)} on pull request #${pullRequest} was not written: ${error.message}. The step's result is as it was.`,
        { title: 'Pull request comment not written' }
      )
    }
  }
}

async function keep(
  desk: CommentDesk,
  plan: CommentPlan,
  own: readonly Marked[],
  writer: Writer
): Promise<void> {
  const ours = { key: plan.key, ...writer }
  const found = own.filter(c => c.stamp.key === plan.key)
  const newer = found.find(c => isNewer(c.stamp, ours))
  const where = `on pull request #${desk.pullRequest}`
  if (newer != null) {
    log.notice(
      `The comment of ${quote(plan.key)} ${where} (${newer.id}) was written by workflow run ${newer.stamp.runId} (attempt ${newer.stamp.attempt}), newer than this one (${writer.runId}, attempt ${writer.attempt}): it is left as it is.`,
      { title: 'Comment left to a newer run' }
    )
    return
  }
  const [existing, ...others] = found
  if (existing == null && !plan.create) {
    log.info(
      `No comment for ${quote(plan.key)} ${where}: the run passed, nothing changed, and there is none to keep current.`
    )
    return
  }
  if (others.length > 0) {
    log.info(
      `${others.length} more comment(s) of ${quote(plan.key)} ${where} (two runs at once?) are left as they are; only ${existing?.id} is kept current.`
    )
  }
  const posted =
    existing != null
      ? postedOf(await desk.client.updateComment(existing.id, plan.body()))
      : await desk.create(plan, ours)
  plan.written(posted)
  log.info(
    `${existing != null ? 'Edited' : 'Created'} the comment of ${quote(plan.key)} ${where}: ${posted.url}`
  )
}

/** The requests of one pull request's comments. */
class CommentDesk {
  private identity: Promise<Identity> | undefined

  constructor(
    readonly client: GitHubClient,
    readonly pullRequest: number
  ) {}

  /** The marked comments of `keys` written by the token's user, oldest first. */
  async own(keys: ReadonlySet<string>): Promise<Marked[]> {
    const marked = await this.marked(keys)
    if (marked.length === 0) return []
    const me = await (this.identity ??= whoAmI(this.client))
    return marked.filter(c => (me.id != null ? c.author.id === me.id : c.author.login === me.login))
  }

  /**
   * Creates the plan's comment; before sending it again, reads the comments again: the first
   * may have been taken, and is then edited (unless a newer run has written it meanwhile).
   */
  async create(plan: CommentPlan, ours: Stamp): Promise<PostedComment> {
    const answer = await this.client.retry(`create the comment of ${quote(plan.key)}`, async n => {
      if (n > 1) {
        const [again] = await this.own(new Set([plan.key]))
        if (again != null && isNewer(again.stamp, ours)) return undefined
        if (again != null) return this.client.updateComment(again.id, plan.body())
      }
      return this.client.createComment(this.pullRequest, plan.body())
    })
    if (answer == null) {
      throw new ProtocolError(
        `a newer workflow run wrote the comment of ${quote(plan.key)} while this one was writing it`
      )
    }
    return postedOf(answer)
  }

  /** Every comment of the pull request that starts with the marker of one of `keys`. */
  private async marked(keys: ReadonlySet<string>): Promise<Marked[]> {
    const found: Marked[] = []
    for (let page = 1; ; page++) {
      const { data } = await this.client.listComments(this.pullRequest, page, PER_PAGE)
      if (!Array.isArray(data)) {
        throw new ProtocolError(
          `GitHub answered the comments of pull request #${this.pullRequest} with no list`
        )
      }
      for (const item of data) {
        const comment = markedOf(item)
        if (comment != null && keys.has(comment.stamp.key)) found.push(comment)
      }
      if (data.length < PER_PAGE) return found
      if (page >= MAX_PAGES) {
        throw new ProtocolError(
          `pull request #${this.pullRequest} has more than ${MAX_PAGES * PER_PAGE} comments, and the action reads no more than that to find its own`
        )
      }
    }
  }
}

/** A listed comment as a marked one of ours may be; undefined for any other. */
function markedOf(item: unknown): Marked | undefined {
  if (item == null || typeof item !== 'object') return undefined
  const { id, body, user } = item as { id?: unknown; body?: unknown; user?: unknown }
  if (typeof id !== 'number' || typeof body !== 'string') return undefined
  const stamp = readMarker(body)
  const { login, id: userId } = (user ?? {}) as { login?: unknown; id?: unknown }
  if (stamp == null || typeof login !== 'string') return undefined
  return { id, stamp, author: { login, id: typeof userId === 'number' ? userId : undefined } }
}

/** Whom the token writes as. */
async function whoAmI(client: GitHubClient): Promise<Identity> {
  try {
    const { data } = await client.authenticatedUser()
    const { login, id } = (data ?? {}) as { login?: unknown; id?: unknown }
    if (typeof login === 'string' && typeof id === 'number') return { login, id }
    throw new ProtocolError('GitHub answered `GET /user` with no user')
  } catch (error) {
    // The job's token, and a GitHub App's: GitHub has no user to name for an installation.
    if (
      error instanceof GitHubStatusError &&
      error.status === 403 &&
      /by integration/i.test(error.said ?? '')
    ) {
      return { login: JOB_TOKEN_USER }
    }
    throw error
  }
}

/** The comment GitHub says it wrote. */
function postedOf(answer: ApiAnswer): PostedComment {
  const { id, html_url: url } = (answer.data ?? {}) as { id?: unknown; html_url?: unknown }
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || typeof url !== 'string') {
    throw new ProtocolError('GitHub answered the comment it wrote with no ID or link')
  }
  return { id, url }
}
