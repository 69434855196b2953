// @ts-check
/**
 * `npm run demo`: runs the bundled action (dist/index.js) the way a GitHub runner does, against
 * the Datalore simulator and a fake of GitHub's artifact service: a parameterised notebook that
 * succeeds and glues what it computed, one that fails, explained from its executed notebook,
 * both of them (and the first once more, for another region) in one step with `notebooks`; then
 * a pull request whose notebook changed a value against main: two runs on main keep their
 * values, and a pull request's run of the same notebook with another parameter finds them, on
 * a fake of GitHub's REST API, and shows what changed. Prints each log, the outputs and the job
 * summary; and last, a pull request's comment (`comment`), created by one run and edited by
 * the next. Needs nothing but Node.js: it works right after `git clone`.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { startDataloreSimulator } from '../simulator/datalore.js'
import {
  DEMO_FAILING_NOTEBOOK,
  DEMO_FAILING_NOTEBOOK_SPEC,
  DEMO_FORECAST_SPEC,
  DEMO_NOTEBOOK,
  DEMO_NOTEBOOK_SPEC,
  DEMO_PARAMETERS
} from '../simulator/demo-notebook.js'
import { startGitHubApi } from '../simulator/github-api.js'
import { startResultsService } from '../simulator/github-results.js'
import { parseOutputs, renderSummaryForTerminal } from './runner-files.js'

const root = fileURLToPath(new URL('..', import.meta.url))

const sim = await startDataloreSimulator()
// GitHub's artifact service, with blobs kept in memory (the tests use Azurite instead).
const results = await startResultsService({ blobStorage: 'builtin' })
sim.addNotebook(DEMO_NOTEBOOK, DEMO_NOTEBOOK_SPEC)
sim.addNotebook(DEMO_FAILING_NOTEBOOK, DEMO_FAILING_NOTEBOOK_SPEC)
console.log(`Datalore simulator on ${sim.url}; artifact service on ${results.url}`)

/**
 * Runs the action once as a runner would, printing its log, outputs and summary (or, `quiet`,
 * one line).
 * @param {string} title
 * @param {Record<string, string>} inputs
 * @param {{env?: Record<string, string>, quiet?: boolean}} [options]  `env`: a workflow run's
 * @returns {Promise<number | null>} its exit code
 */
async function demo(title, inputs, options = {}) {
  const work = mkdtempSync(join(tmpdir(), 'datalore-demo-'))
  const files = { output: join(work, 'output'), summary: join(work, 'summary.md') }
  writeFileSync(files.output, '')
  writeFileSync(files.summary, '')
  /** @type {NodeJS.ProcessEnv} */
  const env = {
    PATH: process.env.PATH,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: work,
    // Where the artifact link points: github.com/<repository>/actions/runs/<run id>/artifacts/<id>
    GITHUB_REPOSITORY: 'demo-org/demo-repo',
    GITHUB_RUN_ID: '1',
    ...(options.env ?? results.env)
  }
  const all = { token: sim.token, 'poll-interval-seconds': '2', ...inputs }
  for (const [name, value] of Object.entries(all)) env[`INPUT_${name.toUpperCase()}`] = value

  if (options.quiet) {
    const child = spawn(process.execPath, [join(root, 'dist', 'index.js')], {
      env,
      stdio: 'ignore'
    })
    const code = await new Promise(resolve => child.on('close', resolve))
    console.log(`\n════════ ${title}: exit code ${code} ════════`)
    rmSync(work, { recursive: true, force: true })
    return /** @type {number | null} */ (code)
  }
  console.log(`\n════════ ${title} ════════`)
  console.log(
    `Running: node dist/index.js with ${Object.keys(all)
      .map(n => `INPUT_${n.toUpperCase()}`)
      .join(', ')}\n`
  )
  console.log('──── action log ────')
  const child = spawn(process.execPath, [join(root, 'dist', 'index.js')], {
    env,
    stdio: ['ignore', 'pipe', 'inherit']
  })
  // A runner shows ::debug:: lines only when step debugging is on; so does the demo.
  let debugLines = 0
  createInterface({ input: child.stdout }).on('line', line => {
    if (line.startsWith('::debug::')) debugLines++
    else console.log(line)
  })
  const code = await new Promise(resolve => child.on('close', resolve))
  console.log(
    `(${debugLines} ::debug:: lines hidden, as a runner hides them unless ACTIONS_STEP_DEBUG is set)`
  )
  console.log(`\n──── exit code: ${code} ────\n`)
  console.log('──── outputs (GITHUB_OUTPUT) ────')
  for (const [name, value] of Object.entries(parseOutputs(readFileSync(files.output, 'utf8')))) {
    console.log(`${name}: ${value}`)
  }
  console.log('\n──── job summary (GITHUB_STEP_SUMMARY) ────')
  console.log(renderSummaryForTerminal(readFileSync(files.summary, 'utf8')))
  rmSync(work, { recursive: true, force: true })
  return /** @type {number | null} */ (code)
}

const succeeded = await demo(`${DEMO_NOTEBOOK} (takes 3 s): succeeds and glues its values`, {
  'notebook-id': `${sim.url}/notebook/${DEMO_NOTEBOOK}`,
  parameters: DEMO_PARAMETERS,
  'update-report': 'on-success'
})
const failed = await demo(`${DEMO_FAILING_NOTEBOOK} (takes 2 s): fails, and says why`, {
  'notebook-id': `${sim.url}/notebook/${DEMO_FAILING_NOTEBOOK}`
})
const many = await demo('Three notebooks in one step: one runner waits for all of them', {
  notebooks: [
    `- notebook-id: ${DEMO_NOTEBOOK}`,
    '  name: forecast EU',
    '  parameters:',
    ...DEMO_PARAMETERS.split('\n').map(line => `    ${line}`),
    `- notebook-id: ${DEMO_NOTEBOOK}`,
    '  name: forecast US',
    '  parameters: {Region: US, Months: "12"}',
    `- ${DEMO_FAILING_NOTEBOOK}`
  ].join('\n'),
  host: sim.url
})

// A pull request against main: GitHub's REST API (runs, artifacts) faked as well, its blobs in
// memory. Main's runs keep their values; the pull request's run finds the newest as its baseline.
const github = await startGitHubApi({ repository: 'demo-org/demo-repo' })
sim.addNotebook('demo-team/forecast', DEMO_FORECAST_SPEC)
const compare = {
  'notebook-id': `${sim.url}/notebook/demo-team/forecast`,
  baseline: 'auto',
  tolerance: 'accuracy: atol=0.01\nrows: rtol=0',
  'fail-on-change': 'true'
}
let mainRuns = 0
for (const day of [2, 1]) {
  const run = github.addRun({ branch: 'main', createdAt: Date.now() - day * 86_400_000 })
  const { env, token } = await github.step(run)
  const code = await demo(
    `Nightly on main (${day} day(s) ago): keeps its values as datalore-values-demo-team-forecast.json`,
    { ...compare, parameters: DEMO_PARAMETERS, 'github-token': token },
    { env, quiet: true }
  )
  if (code === 0) mainRuns++
}
const pullRequest = github.addRun({
  event: 'pull_request',
  branch: 'longer-horizon',
  pullRequest: { head: 'longer-horizon', base: 'main', title: 'Forecast 12 months' }
})
const step = await github.step(pullRequest)
const changed = await demo(
  'A pull request sets Months to 12: compared with main, the accuracy dropped (`fail-on-change`)',
  {
    ...compare,
    parameters: 'Region: EU\nMonths: 12\nColumns: [revenue, cost]',
    'github-token': step.token
  },
  { env: step.env }
)
await github.close()
const commented = await commentDemo()
await sim.close()
await results.close()
// The demo worked when the first step succeeded and the others failed, as they should; main's
// runs succeeded and the pull request's failed on its change; the pull request's comment was
// created once and then edited.
process.exitCode =
  succeeded === 0 && failed === 1 && many === 1 && mainRuns === 2 && changed === 1 && commented
    ? 0
    : 1

/**
 * `comment: always` on a pull request of the fake GitHub API (simulator/github-api.js): the
 * first run creates the comment, the next run finds it by its marker and edits it.
 * @returns {Promise<boolean>} whether there was one comment, created and then edited
 */
async function commentDemo() {
  const github = await startGitHubApi({ repository: 'demo-org/demo-repo' })
  const first = github.addRun({
    event: 'pull_request',
    pullRequest: { title: 'Forecast twelve months', head: 'twelve-months' }
  })
  const number = first.pullRequest?.number ?? 0
  const ids = []
  for (const [title, run, months] of /** @type {const} */ ([
    ['A pull request: its run creates the comment', first, '6'],
    [
      "The pull request's next run: it edits the same comment",
      github.addRun({ event: 'pull_request', pullRequest: number }),
      '12'
    ]
  ])) {
    const step = await github.step(run)
    const code = await demo(
      title,
      {
        'notebook-id': `${sim.url}/notebook/${DEMO_NOTEBOOK}`,
        parameters: DEMO_PARAMETERS.replace('Months: 6', `Months: ${months}`),
        comment: 'always',
        'github-token': step.token
      },
      { env: step.env }
    )
    const comments = github.commentsOf(number)
    const asked = github.requests.filter(r => r.path.includes('comments')).map(r => r.route)
    console.log(`──── pull request #${number}: ${comments.length} comment(s) ────`)
    console.log(`(requests so far: ${asked.join(', ')})`)
    for (const comment of comments) {
      console.log(`comment ${comment.id} by ${comment.user.login}:`)
      console.log(commentForTerminal(comment.body))
    }
    ids.push(code === 0 && comments.length === 1 ? comments[0]?.id : undefined)
  }
  await github.close()
  return ids[0] != null && ids[0] === ids[1]
}

/** A comment's body as a terminal shows it: its marker line, then the HTML as text. */
/** @param {string} body */
function commentForTerminal(body) {
  const [marker = '', ...rest] = body.split('\n')
  const html = rest
    .join('\n')
    .replace(/<!-- -->/g, '')
    .replace(/<h4>(.*?)<\/h4>/g, '\n#### $1\n')
    .replace(/<summary>(.*?)<\/summary>/g, '$1:\n')
    .replace(/<\/?(details|sub)>/g, '')
  return `${marker}\n${renderSummaryForTerminal(html)}`
}
