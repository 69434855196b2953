/**
 * `comment`, run as the runner runs the bundled action: each step is a step of a workflow run of
 * the fake GitHub API (simulator/github-api.js), which keeps the pull request's comments as
 * GitHub does (pages with `Link`, 422 past 65,536 characters, a job token that writes as
 * github-actions[bot] and that `GET /user` answers 403, read-only tokens for forks and
 * Dependabot). The notebooks run on the Datalore simulator.
 *
 * Each test names what it was seen red against: the product broken on purpose, the bundle
 * rebuilt, the test run, the product restored.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { DataloreSimulator, startDataloreSimulator } from '../simulator/datalore.js'
import {
  DEPENDABOT,
  GITHUB_ACTIONS_BOT,
  GitHubApi,
  startGitHubApi
} from '../simulator/github-api.js'
import type { WorkflowRun } from '../simulator/github-documents.js'
import { ActionResult, errorsOf, runsOutput, warningsOf } from './support/action.js'
import { readComment } from './support/comment-shape.js'
import { runStep, StepResult } from './support/github-step.js'
import { failingNotebook, gluingNotebook } from './support/notebooks.js'
import { summaryBlocks } from './support/summary-shape.js'

const OWNER = 'octo-org'
const REPO = 'notebooks'

let sim: DataloreSimulator
let github: GitHubApi
let notebooks = 0

beforeAll(async () => {
  github = await startGitHubApi({ repository: `${OWNER}/${REPO}` })
  sim = await startDataloreSimulator()
})
afterAll(async () => {
  await github?.close()
  await sim?.close()
})
afterEach(() => {
  github.faults.clear()
})

/** A notebook of its own on the simulator that glues `values`; its ID. */
function notebookGluing(values: Array<[string, string]> = [['accuracy', '0.93']]): string {
  const id = `nb/c${++notebooks}`
  sim.addNotebook(id, {
    durationMs: 50,
    artifacts: [{ name: 'analysis.ipynb', content: gluingNotebook(values) }]
  })
  return id
}

/** A notebook whose run fails in its one cell, with `evalue` and `traceback`, having glued `values`. */
function notebookFailing(
  evalue: string,
  traceback: string[],
  values: Array<[string, string]> = []
): string {
  const id = `nb/f${++notebooks}`
  const glued = JSON.parse(gluingNotebook(values).toString('utf8')) as { cells: unknown[] }
  const failing = JSON.parse(
    failingNotebook([{ source: 'fit()', evalue, traceback }]).toString('utf8')
  ) as { cells: unknown[] }
  failing.cells.unshift(...glued.cells)
  sim.addNotebook(id, {
    durationMs: 50,
    success: false,
    artifacts: [{ name: 'analysis.ipynb', content: Buffer.from(JSON.stringify(failing)) }]
  })
  return id
}

/** A workflow run of a pull request (a new one unless `number` names one). */
function pullRequestRun(spec: Parameters<GitHubApi['addRun']>[0] = {}): WorkflowRun {
  return github.addRun({ event: 'pull_request', ...spec })
}

const numberOf = (run: WorkflowRun): number => run.pullRequest?.number ?? 0

/** The comment endpoints and GET /user: what `comment` may ask. */
const COMMENT_ROUTES = [
  'issues/list-comments',
  'issues/create-comment',
  'issues/update-comment',
  'issues/get-comment',
  'users/get-authenticated'
]

/** Runs the action as a step of `run`; every comment the action wrote must hold its shape. */
async function step(
  run: WorkflowRun,
  inputs: Record<string, string>,
  options: { token?: string } = {}
): Promise<StepResult> {
  const result = await runStep({ github, sim }, run, inputs, options)
  // As the job's bot, or as mona's token.
  const hosts = [new URL(sim.url).host, 'github.com']
  const writers = [GITHUB_ACTIONS_BOT.login, 'mona']
  for (const comment of github.comments.filter(c => writers.includes(c.user.login))) {
    expect(readComment(comment.body, hosts).problems).toEqual([])
  }
  return result
}

const routesOf = (asked: GitHubApi['requests']): string[] => asked.map(r => r.route)
const noticesOf = (result: ActionResult): string[] =>
  result.commands.filter(c => c.name === 'notice').map(c => c.data)

/** The action's comments on the pull request (by the job token's user). */
const botComments = (number: number) =>
  github.commentsOf(number).filter(c => c.user.login === GITHUB_ACTIONS_BOT.login)

describe('one comment per key, kept current', () => {
  // Seen red against a deliver.ts that never took a found comment (a second one was created),
  // one that took the job token for another user than github-actions[bot] (its own comment was
  // not found: a second one), and a main.ts that wrote no outputs after commenting (no
  // comment-id).
  it('the first run creates it, the next run edits the same one', async () => {
    const notebook = notebookGluing()
    const first = pullRequestRun()
    const number = numberOf(first)
    const created = await step(first, { 'notebook-id': notebook, comment: 'always' })
    expect(created.code).toBe(0)
    expect(routesOf(created.asked)).toEqual(['issues/list-comments', 'issues/create-comment'])
    const [comment] = botComments(number)
    expect(comment?.body).toMatch(
      new RegExp(
        `^<!-- datalore-run-action:comment key="nb-c\\d+" run="${first.id}" attempt="1" -->\n<h3>✅ Datalore run succeeded: <code>nb/c\\d+</code></h3>\n`
      )
    )
    expect(created.outputs['comment-id']).toBe(String(comment?.id))
    expect(created.outputs['comment-url']).toBe(
      `https://github.com/${OWNER}/${REPO}/pull/${number}#issuecomment-${comment?.id}`
    )

    const second = pullRequestRun({ pullRequest: number })
    const edited = await step(second, { 'notebook-id': notebook, comment: 'always' })
    expect(edited.code).toBe(0)
    expect(routesOf(edited.asked)).toEqual([
      'issues/list-comments',
      'users/get-authenticated',
      'issues/update-comment'
    ])
    // GitHub's answer to the job token: it writes as github-actions[bot].
    expect(edited.asked[1]?.status).toBe(403)
    expect(github.commentsOf(number)).toHaveLength(1)
    expect(botComments(number)[0]?.body).toContain(`run="${second.id}" attempt="1"`)
    expect(edited.outputs['comment-id']).toBe(String(comment?.id))
    expect(warningsOf(edited)).toEqual([])
  })

  // Seen red against a deliver.ts that read only the first page of comments (a second comment
  // was created) and one that took a full page of 100 for the last (the same).
  it('finds its comment on the third page of comments', async () => {
    const notebook = notebookGluing()
    const first = pullRequestRun()
    const number = numberOf(first)
    for (let i = 0; i < 200; i++) github.addComment(number, { body: `review ${i}`, user: 'alice' })
    expect((await step(first, { 'notebook-id': notebook, comment: 'always' })).code).toBe(0)
    for (let i = 0; i < 49; i++) github.addComment(number, { body: `more ${i}`, user: 'bob' })
    expect(github.commentsOf(number)).toHaveLength(250)
    const mine = botComments(number)[0]
    expect(github.commentsOf(number).indexOf(mine!)).toBe(200)

    const second = pullRequestRun({ pullRequest: number })
    const result = await step(second, { 'notebook-id': notebook, comment: 'always' })
    const pages = result.asked.filter(r => r.route === 'issues/list-comments')
    expect(pages.map(r => [r.query.page, r.query.per_page])).toEqual([
      ['1', '100'],
      ['2', '100'],
      ['3', '100']
    ])
    expect(github.commentsOf(number)).toHaveLength(250)
    expect(botComments(number).map(c => c.id)).toEqual([mine?.id])
    expect(mine?.body).toContain(`run="${second.id}"`)
  })

  // Seen red against a deliver.ts that took every marked comment for its own (the person's
  // comment was edited with the run's result).
  it("a person's comment that quotes the marker is left alone", async () => {
    const notebook = notebookGluing()
    const run = pullRequestRun()
    const number = numberOf(run)
    const key = notebook.replace('/', '-')
    const quoted = `<!-- datalore-run-action:comment key="${key}" run="1" attempt="1" -->\nWhy does the bot say this?`
    const person = github.addComment(number, { body: quoted, user: 'mallory' })
    const result = await step(run, { 'notebook-id': notebook, comment: 'always' })
    expect(result.code).toBe(0)
    expect(routesOf(result.asked)).toEqual([
      'issues/list-comments',
      'users/get-authenticated',
      'issues/create-comment'
    ])
    expect(person.body).toBe(quoted)
    expect(github.commentsOf(number).map(c => c.user.login)).toEqual([
      'mallory',
      GITHUB_ACTIONS_BOT.login
    ])
  })

  // Seen red against a whoAmI that took any token for the job's (mona's token edited the bot's
  // comment).
  it("a person's token writes as its person, whom GET /user names, and keeps its own comment", async () => {
    const notebook = notebookGluing()
    const token = github.addToken({ kind: 'personal', login: 'mona' })
    const first = pullRequestRun()
    const number = numberOf(first)
    // The bot's comment of the same key, from another workflow's job token: not mona's.
    expect((await step(first, { 'notebook-id': notebook, comment: 'always' })).code).toBe(0)
    const bots = botComments(number)[0]?.body
    for (const attempt of [1, 2]) {
      const run = pullRequestRun({ pullRequest: number })
      const result = await step(run, { 'notebook-id': notebook, comment: 'always' }, { token })
      expect(result.code).toBe(0)
      expect(result.asked.find(r => r.route === 'users/get-authenticated')?.status).toBe(200)
      expect(routesOf(result.asked).at(-1)).toBe(
        attempt === 1 ? 'issues/create-comment' : 'issues/update-comment'
      )
    }
    expect(github.commentsOf(number).map(c => c.user.login)).toEqual([
      GITHUB_ACTIONS_BOT.login,
      'mona'
    ])
    expect(botComments(number)[0]?.body).toBe(bots)
  })

  // Seen red against plans that gave every run the step's first key (one comment, edited
  // twice) and an outputs.ts without the runs' `comment-id`.
  it('two keys make two comments; comment-per: step makes one', async () => {
    const a = notebookGluing([['score', '1']])
    const b = notebookGluing([['score', '2']])
    const list = `- notebook-id: ${a}\n  name: sales EU\n- notebook-id: ${b}\n  name: churn\n`
    const run = pullRequestRun()
    const number = numberOf(run)
    const result = await step(run, { notebooks: list, comment: 'always' })
    expect(result.code).toBe(0)
    const comments = botComments(number)
    expect(comments.map(c => /key="([^"]+)"/.exec(c.body)?.[1])).toEqual(['sales-EU', 'churn'])
    expect(comments[0]?.body).toContain('<h3>✅ Datalore run succeeded: <code>sales EU</code></h3>')
    expect(runsOutput(result).map(r => r['comment-id'])).toEqual(comments.map(c => c.id))
    expect(result.outputs['comment-id']).toBeUndefined()

    const again = pullRequestRun({ pullRequest: number })
    const step2 = await step(again, { notebooks: list, comment: 'always', 'comment-per': 'step' })
    expect(step2.code).toBe(0)
    const all = botComments(number)
    expect(all).toHaveLength(3)
    expect(all[2]?.body).toMatch(/^<!-- datalore-run-action:comment key="sales-EU\+churn" /)
    expect(all[2]?.body).toContain('<h3>✅ All 2 Datalore runs succeeded</h3>')
    expect(step2.outputs['comment-id']).toBe(String(all[2]?.id))
    // The per-key comments are not the step's: left as they were.
    expect(all.slice(0, 2).map(c => c.body)).toEqual(comments.map(c => c.body))
  })
})

describe('an older run', () => {
  // Seen red against a deliver.ts without the newer-run check (the older run's result replaced
  // the newer one's), and an isNewer that took the same run for a newer one whatever the attempt
  // (the re-run left its own comment alone).
  it("never overwrites a newer run's comment; a re-run of the newer one does", async () => {
    const notebook = notebookGluing()
    const older = pullRequestRun()
    const number = numberOf(older)
    const newer = pullRequestRun({ pullRequest: number })
    expect(newer.id).toBeGreaterThan(older.id)
    expect((await step(newer, { 'notebook-id': notebook, comment: 'always' })).code).toBe(0)
    const written = botComments(number)[0]?.body

    const late = await step(older, { 'notebook-id': notebook, comment: 'always' })
    expect(late.code).toBe(0)
    expect(routesOf(late.asked)).not.toContain('issues/update-comment')
    expect(noticesOf(late)).toEqual([
      expect.stringMatching(
        new RegExp(
          `written by workflow run ${newer.id} \\(attempt 1\\), newer than this one \\(${older.id}, attempt 1\\): it is left as it is\\.$`
        )
      )
    ])
    expect(botComments(number)[0]?.body).toBe(written)
    expect(late.outputs['comment-id']).toBeUndefined()

    newer.attempt = 2
    const rerun = await step(newer, { 'notebook-id': notebook, comment: 'always' })
    expect(routesOf(rerun.asked).at(-1)).toBe('issues/update-comment')
    expect(botComments(number)[0]?.body).toContain(`run="${newer.id}" attempt="2"`)
  })
})

describe('on-failure-or-change', () => {
  // Seen red against plans that asked for a comment whatever the result (the passing run made
  // one), and one that never edited a comment the run did not need (the fixed failure went on
  // showing).
  it('a passing run makes none; a failing run makes one; a passing run after it keeps it current', async () => {
    const passing = notebookGluing()
    const failing = notebookFailing('bad fit', ['Traceback', 'ValueError: bad fit'])
    const first = pullRequestRun()
    const number = numberOf(first)
    const inputs = { comment: 'on-failure-or-change', 'baseline-key': 'model' }
    const quiet = await step(first, { ...inputs, 'notebook-id': passing })
    expect(quiet.code).toBe(0)
    expect(routesOf(quiet.asked)).toEqual(['issues/list-comments'])
    expect(github.commentsOf(number)).toEqual([])

    const failed = await step(pullRequestRun({ pullRequest: number }), {
      ...inputs,
      'notebook-id': failing
    })
    expect(failed.code).toBe(1)
    expect(botComments(number)[0]?.body).toContain('<h3>❌ Datalore run failed')
    expect(botComments(number)[0]?.body).toContain('<code>ValueError: bad fit</code>')

    const fixed = await step(pullRequestRun({ pullRequest: number }), {
      ...inputs,
      'notebook-id': passing
    })
    expect(fixed.code).toBe(0)
    expect(botComments(number)).toHaveLength(1)
    expect(botComments(number)[0]?.body).toContain('<h3>✅ Datalore run succeeded')
  })
})

describe('the body', () => {
  // Seen red against a body measured in UTF-8 bytes (42,765 characters) and one without the
  // closing count (no "left out" line). (Counted in UTF-16 units: comment.test.ts.)
  it('past 60,000 characters, rows are left out and counted, as GitHub counts characters', async () => {
    const values: Array<[string, string]> = []
    for (let i = 0; i < 1500; i++) {
      values.push([
        `v${String(i).padStart(4, '0')}`,
        JSON.stringify(`📈${'x'.repeat(40)}${'é'.repeat(60)}`)
      ])
    }
    const notebook = notebookGluing(values)
    const run = pullRequestRun()
    const result = await step(run, { 'notebook-id': notebook, comment: 'always' })
    expect(result.code).toBe(0)
    expect(warningsOf(result)).toEqual([])
    const body = botComments(numberOf(run))[0]?.body ?? ''
    const characters = [...body].length
    expect(characters).toBeLessThanOrEqual(60_000)
    expect(characters).toBeGreaterThan(58_000)
    // Far more than GitHub's 65,536 if it were bytes.
    expect(Buffer.byteLength(body)).toBeGreaterThan(80_000)
    const shown = body.split('<tr><td>v').length - 1
    expect(shown).toBeGreaterThan(100)
    expect(body).toContain(
      `<p>... and ${1500 - shown} row(s) more, left out: a comment holds at most 60,000 characters. The job summary of <a href="https://github.com/${OWNER}/${REPO}/actions/runs/${run.id}">the workflow run</a> has everything.</p>`
    )
    expect(summaryBlocks(body)).toEqual(['html_block', 'html_block'])
  })
})

/** What a value or a traceback may hold to be more than text on a pull request. */
const HOSTILE = [
  '@org/team',
  '<!-- marker -->',
  '![x](https://tracker.example/p.png)',
  '</details>',
  '@octocat #123',
  '<img src=x onerror=alert(1)>',
  '[link](https://evil.example)',
  '<a href="https://evil.example">x</a>',
  '</code></td></tr></table>'
]
describe('outside text in the comment', () => {
  // Seen red against a body without ./mentions.ts (mentions in text nodes), one whose mention
  // guard also rewrote entities (`&#39;` shown as `&#39;`, not `'`), and one that wrote a value's
  // name without the summary's `text` (an img, a link to evil.example and a comment rendered).
  it('`@org/team`, `<!-- marker -->`, an image, `</details>` and the rest stay inert text, in values and tracebacks', async () => {
    const values: Array<[string, string]> = HOSTILE.map((text, i) => [
      `${text} ${i}`,
      JSON.stringify(`${text} it's`)
    ])
    const notebook = notebookFailing(
      HOSTILE.join(' '),
      [...HOSTILE, 'ValueError: @org/team'],
      values
    )
    const run = pullRequestRun()
    const result = await step(run, { 'notebook-id': notebook, comment: 'always' })
    expect(result.code).toBe(1)
    const body = botComments(numberOf(run))[0]?.body ?? ''
    const simHost = new URL(sim.url).host
    const { problems, text } = readComment(body, [simHost, 'github.com'])
    expect(problems).toEqual([])
    for (const hostile of HOSTILE) expect(text).toContain(hostile)
    expect(text).toContain("it's")
    // The traceback's lines, in the order written.
    expect(text).toContain(HOSTILE.slice(-7).join('\n'))
  })
})

describe('a pull request whose token may only read', () => {
  // Seen red against a target.ts without the fork rule (the step asked GitHub), and one without
  // the Dependabot rule for pull_request runs (the same).
  it.each([
    [
      'a fork',
      { headRepository: 'contributor/notebooks', actor: 'contributor' },
      /comes from the fork "contributor\/notebooks"/
    ],
    [
      "Dependabot's",
      { actor: DEPENDABOT.login, branch: 'dependabot/pip/x' },
      /Dependabot started this run/
    ]
  ])('%s: a notice, no request, and the run keeps its result', async (_, spec, why) => {
    for (const [notebook, code] of [
      [notebookGluing(), 0],
      [notebookFailing('broken', ['ValueError: broken']), 1]
    ] as const) {
      const run = pullRequestRun(spec)
      const result = await step(run, { 'notebook-id': notebook, comment: 'always' })
      expect(result.code).toBe(code)
      expect(result.asked).toEqual([])
      expect(warningsOf(result)).toEqual([])
      expect(noticesOf(result)).toEqual([expect.stringMatching(why)])
      expect(result.outputs.conclusion).toBe(code === 0 ? 'success' : 'failure')
      expect(github.commentsOf(numberOf(run))).toEqual([])
    }
  })
})

describe('a comment that fails', () => {
  // Seen red against a step.ts that let the error through (the passing run's step failed: code
  // 1) and a warning without the permission's sentence.
  it('403: a warning naming `pull-requests: write`; the run keeps its result', async () => {
    for (const [notebook, code] of [
      [notebookGluing(), 0],
      [notebookFailing('broken', ['ValueError: broken']), 1]
    ] as const) {
      const run = pullRequestRun({ permissions: { pull_requests: 'read', contents: 'read' } })
      const result = await step(run, { 'notebook-id': notebook, comment: 'always' })
      expect(result.code).toBe(code)
      expect(result.outputs.conclusion).toBe(code === 0 ? 'success' : 'failure')
      expect(routesOf(result.asked)).toEqual(['issues/list-comments', 'issues/create-comment'])
      expect(warningsOf(result)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^The comment on pull request #${numberOf(run)} was not written: GitHub refused to create a comment on pull request #${numberOf(run)} \\(403 "Resource not accessible by integration"\\).*Commenting needs \`pull-requests: write\` for \`github-token\`.*The step's result is as it was\\.$`
          )
        )
      ])
      if (code === 1)
        expect(errorsOf(result)).toEqual([expect.stringContaining('ValueError: broken')])
      expect(result.summary).toContain(
        code === 0 ? 'Datalore run succeeded' : 'Datalore run failed'
      )
      expect(result.outputs['comment-id']).toBeUndefined()
    }
  })

  // Seen red against a step.ts whose warning named no permission, and one that said nothing of
  // what else a 404 means.
  it('404 (no such pull request): a warning naming the permission', async () => {
    const run = github.addRun({ event: 'push' })
    const result = await step(run, {
      'notebook-id': notebookGluing(),
      comment: 'always',
      'pull-request': '99999'
    })
    expect(result.code).toBe(0)
    expect(warningsOf(result)).toEqual([
      expect.stringMatching(
        /GitHub answered 404 .*Commenting needs `pull-requests: write`.*a 404 also answers a pull request this repository does not have/
      )
    ])
  })

  // Seen red against a deliver.ts that let a 422 end every key's comment (the step's general
  // warning, not the key's).
  it('422: a warning; the run keeps its result', async () => {
    const run = pullRequestRun()
    github.fault({ on: 'issues/create-comment', status: 422, message: 'Validation Failed' })
    const result = await step(run, { 'notebook-id': notebookGluing(), comment: 'always' })
    expect(result.code).toBe(0)
    expect(result.outputs.conclusion).toBe('success')
    expect(warningsOf(result)).toEqual([
      expect.stringMatching(
        /^The comment of ".*" on pull request #\d+ was not written: GitHub answered 422 "Validation Failed"/
      )
    ])
    expect(github.commentsOf(numberOf(run))).toEqual([])
  })

  // Seen red against a create sent once (a warning, no comment), one sent again without looking
  // first (no listing between the two creates: a create GitHub took before its answer was lost
  // would be made twice), and an edit sent once (the 429 was a warning).
  it('a 502 and a 429 are asked again; a create is looked for before it is sent again', async () => {
    const notebook = notebookGluing()
    const run = pullRequestRun()
    const number = numberOf(run)
    github.fault({ on: 'issues/create-comment', status: 502 })
    const created = await step(run, { 'notebook-id': notebook, comment: 'always' })
    expect(created.code).toBe(0)
    expect(warningsOf(created)).toEqual([])
    expect(created.asked.map(r => [r.route, r.status])).toEqual([
      ['issues/list-comments', 200],
      ['issues/create-comment', 502],
      ['issues/list-comments', 200],
      ['issues/create-comment', 201]
    ])
    expect(botComments(number)).toHaveLength(1)

    github.fault({ on: 'issues/update-comment', status: 429, headers: { 'retry-after': '1' } })
    const edited = await step(pullRequestRun({ pullRequest: number }), {
      'notebook-id': notebook,
      comment: 'always'
    })
    expect(warningsOf(edited)).toEqual([])
    expect(
      edited.asked.filter(r => r.route === 'issues/update-comment').map(r => r.status)
    ).toEqual([429, 200])
    expect(botComments(number)).toHaveLength(1)
  })

  // Seen red against a client that did not retry a GET (one 503, then the warning), and a step.ts
  // that made a failed comment an error (no warning).
  it('a 503 that lasts: a warning after the retries; the run keeps its result', async () => {
    const run = pullRequestRun()
    github.fault({ on: 'issues/list-comments', status: 503, times: 10 })
    const result = await step(run, {
      'notebook-id': notebookFailing('broken', ['ValueError: broken']),
      comment: 'always'
    })
    expect(result.code).toBe(1)
    expect(result.outputs.conclusion).toBe('failure')
    expect(result.asked.map(r => r.status)).toEqual([503, 503, 503, 503, 503])
    expect(warningsOf(result)).toEqual([
      expect.stringMatching(
        /was not written: GitHub answered 503 .*The step's result is as it was\.$/
      )
    ])
  })
})

describe('when there is nothing to comment on', () => {
  // Seen red against a reader that took an empty `comment` for `always` (requests were made).
  it('comment: off (the default) asks nothing of GitHub; with baseline, nothing of the comment endpoints', async () => {
    const run = pullRequestRun()
    const quiet = await step(run, { 'notebook-id': notebookGluing() })
    expect(quiet.code).toBe(0)
    expect(quiet.asked).toEqual([])
    const withBaseline = await step(pullRequestRun(), {
      'notebook-id': notebookGluing(),
      baseline: 'auto',
      comment: 'off'
    })
    expect(withBaseline.code).toBe(0)
    expect(withBaseline.asked.length).toBeGreaterThan(0)
    expect(withBaseline.asked.filter(r => COMMENT_ROUTES.includes(r.route))).toEqual([])
  })

  // Seen red against a commentTarget that ignored `pull-request` (no comment on the
  // workflow_run's pull request), and one that fell back to a number of its own (a request).
  it('a push without `pull-request`: a notice and no request; with it, the comment goes there', async () => {
    const push = github.addRun({ event: 'push' })
    const quiet = await step(push, { 'notebook-id': notebookGluing(), comment: 'always' })
    expect(quiet.code).toBe(0)
    expect(quiet.asked).toEqual([])
    expect(noticesOf(quiet)).toEqual([
      expect.stringContaining('this "push" event names no pull request')
    ])

    const pullRequest = github.addPullRequest()
    const told = await step(github.addRun({ event: 'workflow_run' }), {
      'notebook-id': notebookGluing(),
      comment: 'always',
      'pull-request': String(pullRequest.number)
    })
    expect(told.code).toBe(0)
    expect(botComments(pullRequest.number)).toHaveLength(1)
  })
})
