/**
 * Which workflow runs may be a baseline: the rules, apart from the requests that list the runs,
 * so that they can be read (and tested) as rules. A baseline is a successful run of this
 * workflow on the base branch that is the base branch's own: not a pull request's (its values are
 * a change under review, also on pull_request_target, which may check out the pull request's
 * code), not a fork's (anyone can push to a fork), not this run, and not this commit when the
 * step runs on the base branch itself (a re-run would compare a commit with itself).
 */

/** A workflow run as the lookup reads it from GitHub's document. */
export interface ListedRun {
  id: number
  attempt: number
  /** head_sha */
  sha: string
  branch: string
  event: string
  conclusion: string | null
  /** Its page on GitHub. */
  url: string
  createdAt: string
  fromFork: boolean
}

/** What the step knows of its own run. */
export interface ThisRun {
  runId: number
  sha: string
  /** The step runs on the base branch itself (a push to it, a schedule, ...). */
  onBaseBranch: boolean
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value != null && typeof value === 'object' && !Array.isArray(value)

/** The fields of a run document the rules need; undefined for a document without them. */
export function readRun(document: unknown): ListedRun | undefined {
  if (!isObject(document)) return undefined
  const { id, run_attempt: attempt, head_sha: sha, head_branch: branch, event } = document
  if (!Number.isSafeInteger(id) || (id as number) <= 0) return undefined
  if (typeof sha !== 'string' || typeof event !== 'string') return undefined
  const conclusion = typeof document.conclusion === 'string' ? document.conclusion : null
  return {
    id: id as number,
    attempt: Number.isSafeInteger(attempt) && (attempt as number) > 0 ? (attempt as number) : 1,
    sha,
    branch: typeof branch === 'string' ? branch : '',
    event,
    conclusion,
    url: typeof document.html_url === 'string' ? document.html_url : '',
    createdAt: typeof document.created_at === 'string' ? document.created_at : '',
    fromFork: !sameRepository(document.repository, document.head_repository)
  }
}

/** A run is its repository's own when its head repository is the repository (else: a fork's). */
function sameRepository(repository: unknown, head: unknown): boolean {
  if (!isObject(repository) || !isObject(head)) return false
  if (Number.isSafeInteger(repository.id) && Number.isSafeInteger(head.id)) {
    return repository.id === head.id
  }
  return (
    typeof repository.full_name === 'string' &&
    typeof head.full_name === 'string' &&
    repository.full_name.toLowerCase() === head.full_name.toLowerCase()
  )
}

/** Why a listed run is not looked at for a baseline; undefined when it is. */
export function passOver(run: ListedRun, here: ThisRun): string | undefined {
  if (run.conclusion !== 'success') return 'it did not succeed'
  if (run.event.startsWith('pull_request')) return `it ran for a pull request (${run.event})`
  if (run.fromFork) return "it is a fork's run"
  if (run.id === here.runId) return 'it is this run'
  if (here.onBaseBranch && run.sha === here.sha) return 'it ran this commit'
  return undefined
}
