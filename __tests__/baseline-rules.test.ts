/**
 * The rules of the baseline lookup, apart from its requests: which listed runs may be a
 * baseline (src/baseline/runs.ts), and what GitHub's error answers mean (src/github/client.ts:
 * rate limits and how long they last, the permission a 403 names).
 *
 * Each test names the mutation it was seen red against.
 */
import { describe, expect, it } from '@jest/globals'
import { ListedRun, passOver, readRun, ThisRun } from '../src/baseline/runs.js'
import { GitHubStatusError, neededPermission, toError } from '../src/github/client.js'
import { NetworkError } from '../src/errors.js'

/** A run document as GitHub lists it (the fields the rules read). */
function document(more: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 101,
    run_attempt: 2,
    head_sha: 'c'.repeat(40),
    head_branch: 'main',
    event: 'push',
    status: 'completed',
    conclusion: 'success',
    html_url: 'https://github.com/o/r/actions/runs/101',
    created_at: '2026-01-01T00:00:00Z',
    repository: { id: 7, full_name: 'o/r' },
    head_repository: { id: 7, full_name: 'o/r' },
    ...more
  }
}

const here: ThisRun = { runId: 999, sha: 'd'.repeat(40), onBaseBranch: false }

function verdict(more: Record<string, unknown>, where: ThisRun = here): string | undefined {
  const run = readRun(document(more))
  if (run == null) throw new Error('not read')
  return passOver(run, where)
}

describe('which runs may be a baseline', () => {
  // Seen red against a readRun that took a missing attempt for 0, and one that took any ID.
  it('reads a run document', () => {
    const expected: ListedRun = {
      id: 101,
      attempt: 2,
      sha: 'c'.repeat(40),
      branch: 'main',
      event: 'push',
      conclusion: 'success',
      url: 'https://github.com/o/r/actions/runs/101',
      createdAt: '2026-01-01T00:00:00Z',
      fromFork: false
    }
    expect(readRun(document())).toEqual(expected)
    expect(readRun(document({ run_attempt: undefined }))?.attempt).toBe(1)
    expect(readRun(document({ id: '101' }))).toBeUndefined()
    expect(readRun(document({ id: -1 }))).toBeUndefined()
    expect(readRun(document({ head_sha: null }))).toBeUndefined()
    expect(readRun([])).toBeUndefined()
    expect(readRun(null)).toBeUndefined()
  })

  // Seen red against passOver without the rule of a failed run, of this run, with only
  // `pull_request` for a pull request's event (pull_request_target was taken), with this commit
  // refused also from a pull request, and against a readRun that took a fork from
  // `head_repository.fork` (the fork's run and the one without a head repository were taken).
  it.each<[string, Record<string, unknown>, ThisRun | undefined, string | undefined]>([
    ['a push to the branch', {}, undefined, undefined],
    ['a schedule', { event: 'schedule' }, undefined, undefined],
    ['a workflow_dispatch', { event: 'workflow_dispatch' }, undefined, undefined],
    ['a failed run', { conclusion: 'failure' }, undefined, 'it did not succeed'],
    [
      'a run still going',
      { status: 'in_progress', conclusion: null },
      undefined,
      'it did not succeed'
    ],
    [
      "a pull request's run",
      { event: 'pull_request' },
      undefined,
      'it ran for a pull request (pull_request)'
    ],
    [
      'a pull_request_target run (it may check out the pull request)',
      { event: 'pull_request_target' },
      undefined,
      'it ran for a pull request (pull_request_target)'
    ],
    [
      "a fork's run",
      { head_repository: { id: 8, full_name: 'someone/r' } },
      undefined,
      "it is a fork's run"
    ],
    [
      'a run whose fork is gone (no head repository)',
      { head_repository: null },
      undefined,
      "it is a fork's run"
    ],
    [
      'the same repository by name, when no IDs are given',
      { repository: { full_name: 'O/R' }, head_repository: { full_name: 'o/r' } },
      undefined,
      undefined
    ],
    ['this run', { id: 999 }, undefined, 'it is this run'],
    [
      'this commit, on the base branch itself (a re-run)',
      { head_sha: 'd'.repeat(40) },
      { ...here, onBaseBranch: true },
      'it ran this commit'
    ],
    [
      'this commit, from a pull request (its merge commit is another)',
      { head_sha: 'd'.repeat(40) },
      undefined,
      undefined
    ]
  ])('%s', (_, more, where, why) => {
    expect(verdict(more, where)).toBe(why)
  })
})

describe("GitHub's error answers", () => {
  const NOW = Date.UTC(2026, 0, 1, 12)
  const answer = (status: number, headers: Record<string, string>, message = '') =>
    toError(
      { status, response: { headers, data: { message } } },
      'list the runs',
      NOW
    ) as GitHubStatusError

  // Seen red against toError without each of its readings: retry-after (no wait), the reset
  // (no wait), the secondary limit's minute (no rate limit), and one that took any 403 for one.
  it.each<[string, number, Record<string, string>, string, boolean, number | undefined]>([
    ['429 with retry-after', 429, { 'retry-after': '7' }, '', true, 7_000],
    [
      '403 with retry-after (secondary)',
      403,
      { 'retry-after': '30' },
      'You have exceeded a secondary rate limit.',
      true,
      30_000
    ],
    [
      'a secondary limit without retry-after: a minute',
      403,
      {},
      'You have exceeded a secondary rate limit. Please wait',
      true,
      60_000
    ],
    [
      'the primary limit: until x-ratelimit-reset',
      403,
      { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 42) },
      'API rate limit exceeded for installation ID 1.',
      true,
      42_000
    ],
    [
      'a reset in the past: at once',
      429,
      { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 - 5) },
      '',
      true,
      0
    ],
    [
      'a 403 with requests left is no rate limit',
      403,
      { 'x-ratelimit-remaining': '10', 'x-ratelimit-reset': '1' },
      'Resource not accessible by integration',
      false,
      undefined
    ],
    ['a 500', 500, {}, '', false, undefined],
    ['a 404', 404, {}, 'Not Found', false, undefined]
  ])('%s', (_, status, headers, message, rateLimited, waitMs) => {
    const error = answer(status, headers, message)
    expect(error).toBeInstanceOf(GitHubStatusError)
    expect([error.status, error.rateLimited, error.retryAfterMs]).toEqual([
      status,
      rateLimited,
      waitMs
    ])
  })

  // Seen red against a toError that did not read the header (no permission named).
  it('a 403 names the permission X-Accepted-GitHub-Permissions gives', () => {
    const error = answer(
      403,
      { 'x-accepted-github-permissions': 'actions=read' },
      'Resource not accessible by integration'
    )
    expect(error.permission).toBe('`actions: read`')
    expect(error.message).toBe(
      'GitHub refused to list the runs (403 "Resource not accessible by integration"): the `github-token` needs `actions: read` (in the job\'s `permissions`)'
    )
    expect(answer(401, {}, 'Bad credentials').message).toBe(
      'GitHub did not take the `github-token` to list the runs (401 "Bad credentials")'
    )
  })

  // Seen red against a neededPermission that printed the header as it came (a hostile one then
  // reached the message), and one that named `pull_requests` as the header does, not as the
  // job's `permissions` takes it (`pull-requests`).
  it.each<[string, string | undefined]>([
    ['actions=read', '`actions: read`'],
    ['contents=read,metadata=read', '`contents: read` and `metadata: read`'],
    ['issues=write; pull_requests=write', '`issues: write` or `pull-requests: write`'],
    [' actions=read ', '`actions: read`'],
    ['actions=read`; rm -rf', undefined],
    ['::error::forged', undefined],
    ['actions=owner', undefined]
  ])('X-Accepted-GitHub-Permissions %j', (header, words) => {
    expect(neededPermission({ 'x-accepted-github-permissions': header })).toBe(words)
  })

  // Seen red against a toError that took fetch's own failure (no response) for an HTTP status.
  it('a failure without an answer is a network error, which the retry rules retry', () => {
    const error = toError(
      Object.assign(new Error('fetch failed'), { status: 500, cause: { code: 'ECONNRESET' } }),
      'list the runs',
      NOW
    )
    expect(error).toBeInstanceOf(NetworkError)
    expect((error as NetworkError).code).toBe('ECONNRESET')
  })
})
