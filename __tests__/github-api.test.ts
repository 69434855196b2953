/**
 * The fake GitHub REST API (simulator/github-api.js) driven by the REAL client the action uses,
 * @actions/github's getOctokit, over real HTTP: pagination as octokit follows it, the artifact
 * download followed from the 302 into Azurite, artifacts the real @actions/artifact client
 * uploaded in a step of a run, comments, tokens of each kind, and scripted faults.
 *
 * Each test names what it was seen red against: the fake broken on purpose, the test run, the
 * fake restored.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { getOctokit } from '@actions/github'
import type { RequestError } from '@octokit/request-error'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  ARTIFACT_EXPIRED,
  COMMENT_TOO_LONG,
  DEPENDABOT,
  GITHUB_ACTIONS_BOT,
  GitHubApi,
  NOT_ACCESSIBLE_BY_INTEGRATION,
  NOT_ACCESSIBLE_BY_PAT,
  SECONDARY_RATE_LIMIT_MESSAGE,
  missingPermission,
  secondaryRateLimit,
  startGitHubApi,
  tooManyRequests
} from '../simulator/github-api.js'
import { linkHeader } from '../simulator/github-pagination.js'
import { zipDigests } from '../harness/zip.js'
import { runArtifactClient } from './support/artifact-client.js'
import { useAzurite, type AzuriteEndpoint } from './support/azurite.js'

const OWNER = 'octo-org'
const REPO = 'notebooks'
const repo = { owner: OWNER, repo: REPO }

let azurite: AzuriteEndpoint
let github: GitHubApi
let work: string

beforeAll(async () => {
  azurite = await useAzurite()
  work = mkdtempSync(join(tmpdir(), 'github-api-test-'))
})
afterAll(async () => {
  await azurite?.stop()
  rmSync(work, { recursive: true, force: true })
})
beforeEach(async () => {
  github = await startGitHubApi({ repository: `${OWNER}/${REPO}`, blobBaseUrl: azurite.url })
})
afterEach(async () => {
  await github?.close()
})

/** The real client, as the action makes it. */
function client(token: string) {
  return getOctokit(token, { baseUrl: github.url })
}

/** The error a request fails with (the test fails if it does not). */
async function failure(request: Promise<unknown>): Promise<RequestError> {
  try {
    await request
  } catch (error) {
    return error as RequestError
  }
  throw new Error('The request succeeded')
}

/** A request with no Authorization header, or no User-Agent: octokit always sends both. */
function rawGet(
  path: string,
  headers: Record<string, string> = { 'user-agent': 'test' }
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${github.url}${path}`, { headers, agent: false }, res => {
      let body = ''
      res.setEncoding('utf8').on('data', chunk => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    request.on('error', reject)
  })
}

interface ChildOutcome {
  ok: boolean
  result?: Record<string, unknown>
  error?: { name: string; message: string }
}

/** Runs the real @actions/artifact client in a fresh process (see support/artifact-client.ts). */
async function artifactClient(
  env: Record<string, string>,
  spec: Record<string, unknown>
): Promise<ChildOutcome> {
  return (await runArtifactClient<ChildOutcome>(env, spec, work)).outcome
}

/** A zip of one stored (uncompressed) file, as a test's seeded artifact. */
async function zipOf(name: string, content: string): Promise<Buffer> {
  const archiver = ((await import(String('archiver'))) as { default: ArchiverFactory }).default
  const archive = archiver('zip', { zlib: { level: 0 } })
  const chunks: Buffer[] = []
  archive.on('data', (chunk: Buffer) => chunks.push(chunk))
  const done = new Promise(resolve => archive.on('end', resolve))
  archive.append(content, { name })
  await archive.finalize()
  await done
  return Buffer.concat(chunks)
}

type ArchiverFactory = (
  format: 'zip',
  options: Record<string, unknown>
) => NodeJS.EventEmitter & {
  append(source: Buffer | string, data: { name: string }): void
  finalize(): Promise<void>
}

describe('workflow runs', () => {
  // Seen red against a fake whose Link header left out rel="next" (paginate read 100 of 250)
  // and against links to /repos/... instead of /repositories/{id}/... (the paths below).
  test('250 runs are read completely in 3 pages of 100, by following the Link header', async () => {
    const seeded = Array.from({ length: 250 }, (_, i) =>
      github.addRun({ branch: 'main', createdAt: Date.UTC(2026, 0, 1) + i * 60_000 })
    )
    const token = github.addToken({ kind: 'personal', login: 'mona' })
    const octokit = client(token)
    const runs = await octokit.paginate(octokit.rest.actions.listWorkflowRuns, {
      ...repo,
      workflow_id: 'ci.yml',
      branch: 'main',
      per_page: 100
    })
    expect(runs.map(r => r.id)).toEqual(seeded.map(r => r.id).reverse())

    const asked = github.requestsTo('actions/list-workflow-runs')
    expect(asked.map(r => [r.path, r.query.page ?? null, r.status])).toEqual([
      [`/repos/${OWNER}/${REPO}/actions/workflows/ci.yml/runs`, null, 200],
      [`/repositories/${github.repository.id}/actions/workflows/ci.yml/runs`, '2', 200],
      [`/repositories/${github.repository.id}/actions/workflows/ci.yml/runs`, '3', 200]
    ])
    expect(
      asked.map(r => (r.response as { workflow_runs: unknown[] }).workflow_runs.length)
    ).toEqual([100, 100, 50])
  })

  // Seen red against a fake that wrote the relations in another order (next before prev).
  test('the Link header is written as GitHub writes it', async () => {
    for (let i = 0; i < 250; i++) github.addRun({ branch: 'main' })
    const octokit = client(github.addToken({ kind: 'personal' }))
    const base = `${github.url}/repositories/${github.repository.id}/actions/runs`
    const middle = await octokit.rest.actions.listWorkflowRunsForRepo({
      ...repo,
      branch: 'main',
      per_page: 100,
      page: 2
    })
    expect(middle.headers.link).toBe(
      `<${base}?branch=main&per_page=100&page=1>; rel="prev", ` +
        `<${base}?branch=main&per_page=100&page=3>; rel="next", ` +
        `<${base}?branch=main&per_page=100&page=3>; rel="last", ` +
        `<${base}?branch=main&per_page=100&page=1>; rel="first"`
    )
    const first = await octokit.rest.actions.listWorkflowRunsForRepo({ ...repo })
    expect(first.data.total_count).toBe(250)
    expect(first.data.workflow_runs).toHaveLength(30)
    expect(first.headers.link).toBe(`<${base}?page=2>; rel="next", <${base}?page=9>; rel="last"`)
    const capped = await octokit.rest.actions.listWorkflowRunsForRepo({ ...repo, per_page: 500 })
    expect(capped.data.workflow_runs).toHaveLength(100)
    const last = await octokit.rest.actions.listWorkflowRunsForRepo({ ...repo, page: 9 })
    expect(last.data.workflow_runs).toHaveLength(10)
    expect(last.headers.link).toBe(`<${base}?page=8>; rel="prev", <${base}?page=1>; rel="first"`)
    const one = await octokit.rest.actions.listWorkflowRunsForRepo({
      ...repo,
      per_page: 100,
      branch: 'none'
    })
    expect(one.data).toEqual({ total_count: 0, workflow_runs: [] })
    expect(one.headers.link).toBeUndefined()
  })

  // Seen red against a linkHeader that answered '' when there was nothing to link, and one that
  // left out rel="first" past the last page.
  test('linkHeader: nothing to link for one page or none; a page past the end links back', () => {
    const query = new URLSearchParams('per_page=10&page=7')
    expect(linkHeader('http://x/r', query, 1, 1)).toBeUndefined()
    expect(linkHeader('http://x/r', query, 1, 0)).toBeUndefined()
    expect(linkHeader('http://x/r', query, 7, 3)).toBe(
      '<http://x/r?per_page=10&page=6>; rel="prev", <http://x/r?per_page=10&page=1>; rel="first"'
    )
  })

  // Seen red against a status filter that compared the status only (status=success found nothing),
  // and one that ignored actor.
  test('filters: branch, status or conclusion, event, head_sha, workflow by id or file name', async () => {
    const push = github.addRun({ branch: 'main', conclusion: 'success' })
    const failed = github.addRun({ branch: 'main', conclusion: 'failure' })
    const running = github.addRun({ branch: 'main', status: 'in_progress' })
    const nightly = github.addRun({ branch: 'main', event: 'schedule', workflow: 'nightly.yml' })
    const pr = github.addRun({ event: 'pull_request', branch: 'feature' })
    const octokit = client(github.addToken({ kind: 'personal' }))
    const ids = async (query: Record<string, string | number | boolean>) =>
      (
        await octokit.rest.actions.listWorkflowRunsForRepo({ ...repo, ...query })
      ).data.workflow_runs.map(r => r.id)
    expect(await ids({ status: 'success' })).toEqual([pr.id, nightly.id, push.id])
    expect(await ids({ status: 'completed', branch: 'main' })).toEqual([
      nightly.id,
      failed.id,
      push.id
    ])
    expect(await ids({ status: 'failure' })).toEqual([failed.id])
    expect(await ids({ status: 'in_progress' })).toEqual([running.id])
    expect(await ids({ event: 'pull_request' })).toEqual([pr.id])
    expect(await ids({ branch: 'feature' })).toEqual([pr.id])
    expect(await ids({ head_sha: failed.headSha })).toEqual([failed.id])
    expect(await ids({ actor: pr.actor.login, event: 'push' })).toEqual([
      running.id,
      failed.id,
      push.id
    ])
    expect(await ids({ actor: 'nobody' })).toEqual([])

    const byName = await octokit.rest.actions.listWorkflowRuns({
      ...repo,
      workflow_id: 'nightly.yml'
    })
    expect(byName.data.workflow_runs.map(r => r.id)).toEqual([nightly.id])
    const byId = await octokit.rest.actions.listWorkflowRuns({
      ...repo,
      workflow_id: nightly.workflow.id
    })
    expect(byId.data.workflow_runs.map(r => r.id)).toEqual([nightly.id])
    const missing = await failure(
      octokit.rest.actions.listWorkflowRuns({ ...repo, workflow_id: 'missing.yml' })
    )
    expect(missing.status).toBe(404)
  })

  // Seen red against a fake that listed the repository's pull request of the same branch on a
  // fork's run.
  test("a fork's run: another head_repository, no pull requests, and branch=main still finds it", async () => {
    const own = github.addRun({ event: 'pull_request', branch: 'feature' })
    const fork = github.addRun({
      event: 'pull_request',
      branch: 'main',
      headRepository: 'contributor/notebooks',
      actor: 'contributor'
    })
    const mainPush = github.addRun({ branch: 'main' })
    const octokit = client(github.addToken({ kind: 'personal' }))
    const { data } = await octokit.rest.actions.listWorkflowRunsForRepo({ ...repo, branch: 'main' })
    expect(data.workflow_runs.map(r => r.id)).toEqual([mainPush.id, fork.id])
    const [, forkRun] = data.workflow_runs
    expect(forkRun).toMatchObject({
      event: 'pull_request',
      head_branch: 'main',
      head_repository: { full_name: 'contributor/notebooks', fork: true },
      repository: { full_name: `${OWNER}/${REPO}`, fork: false },
      pull_requests: []
    })
    const ownRun = (await octokit.rest.actions.getWorkflowRun({ ...repo, run_id: own.id })).data
    expect(ownRun.pull_requests?.map(p => [p.number, p.head.ref, p.base.ref])).toEqual([
      [own.pullRequest!.number, 'feature', 'main']
    ])
    const excluded = await octokit.rest.actions.getWorkflowRun({
      ...repo,
      run_id: own.id,
      exclude_pull_requests: true
    })
    expect(excluded.data.pull_requests).toEqual([])
    // A fork's branch of the same name as the repository's pull request is not that pull request.
    const namesake = github.addRun({
      event: 'pull_request',
      branch: 'feature',
      headRepository: 'contributor/notebooks'
    })
    const namesakeRun = await octokit.rest.actions.getWorkflowRun({ ...repo, run_id: namesake.id })
    expect(namesakeRun.data.pull_requests).toEqual([])
  })

  // Seen red against a fake that answered run_attempt 1 for every run.
  test('a run has the fields GitHub gives it', async () => {
    const run = github.addRun({ branch: 'main', attempt: 2, createdAt: '2026-03-01T10:00:00.123Z' })
    const octokit = client(run.token)
    const { data } = await octokit.rest.actions.getWorkflowRun({ ...repo, run_id: run.id })
    expect(data).toMatchObject({
      id: run.id,
      run_attempt: 2,
      name: 'CI',
      path: '.github/workflows/ci.yml',
      workflow_id: run.workflow.id,
      head_branch: 'main',
      head_sha: run.headSha,
      event: 'push',
      status: 'completed',
      conclusion: 'success',
      created_at: '2026-03-01T10:00:00Z',
      html_url: `https://github.com/${OWNER}/${REPO}/actions/runs/${run.id}`,
      head_repository: { full_name: `${OWNER}/${REPO}` },
      repository: { full_name: `${OWNER}/${REPO}` }
    })
    expect(run.id).toBeGreaterThan(2 ** 32)
    expect(
      (await failure(octokit.rest.actions.getWorkflowRun({ ...repo, run_id: 1 }))).status
    ).toBe(404)
  })
})

describe('artifacts', () => {
  // Seen red against a fake that served an expired artifact's download (302 instead of 410).
  test('seeded: listed by name, with expired; the zip is followed from the 302 into Azurite', async () => {
    const run = github.addRun({ branch: 'main' })
    const zip = await zipOf('report.txt', 'all good\n')
    const zipped = await github.addArtifact(run, { name: 'report', content: zip })
    const raw = await github.addArtifact(run, {
      name: 'datalore-values-nb.json',
      content: '{"accuracy": 0.93}',
      skipArchive: true
    })
    const old = await github.addArtifact(run, { name: 'old', content: zip, expired: true })
    const octokit = client(run.token)

    const all = await octokit.rest.actions.listWorkflowRunArtifacts({ ...repo, run_id: run.id })
    expect(all.data.total_count).toBe(3)
    expect(all.data.artifacts.map(a => [a.name, a.expired])).toEqual([
      ['report', false],
      ['datalore-values-nb.json', false],
      ['old', true]
    ])
    const named = await octokit.rest.actions.listWorkflowRunArtifacts({
      ...repo,
      run_id: run.id,
      name: 'datalore-values-nb.json'
    })
    expect(named.data.artifacts).toHaveLength(1)
    expect(named.data.artifacts[0]).toMatchObject({
      id: raw.id,
      name: 'datalore-values-nb.json',
      size_in_bytes: 18,
      expired: false,
      archive_download_url: `${github.url}/repos/${OWNER}/${REPO}/actions/artifacts/${raw.id}/zip`,
      digest: raw.digest,
      workflow_run: {
        id: run.id,
        repository_id: github.repository.id,
        head_repository_id: github.repository.id,
        head_branch: 'main',
        head_sha: run.headSha
      }
    })
    const expiresAt = Date.parse(named.data.artifacts[0]!.expires_at!)
    expect(expiresAt - Date.parse(named.data.artifacts[0]!.created_at!)).toBe(90 * 86_400_000)

    const download = await octokit.rest.actions.downloadArtifact({
      ...repo,
      artifact_id: zipped.id,
      archive_format: 'zip',
      request: { redirect: 'manual' }
    })
    expect(download.status).toBe(302)
    const location = String(download.headers.location)
    expect(location.startsWith(`${azurite.url}/`)).toBe(true)
    const blob = await fetch(location)
    expect(blob.status).toBe(200)
    const bytes = Buffer.from(await blob.arrayBuffer())
    expect(bytes.equals(zip)).toBe(true)
    expect((await zipDigests(bytes)).get('report.txt')?.size).toBe(9)

    // A file kept as it is comes back as itself, with its type and its name.
    const rawDownload = await octokit.rest.actions.downloadArtifact({
      ...repo,
      artifact_id: raw.id,
      archive_format: 'zip',
      request: { redirect: 'manual' }
    })
    const rawBlob = await fetch(String(rawDownload.headers.location))
    expect(rawBlob.headers.get('content-type')).toBe('application/json')
    expect(rawBlob.headers.get('content-disposition')).toBe(
      "attachment; filename=datalore-values-nb.json; filename*=UTF-8''datalore-values-nb.json"
    )
    expect(await rawBlob.text()).toBe('{"accuracy": 0.93}')

    const gone = await failure(
      octokit.rest.actions.downloadArtifact({ ...repo, artifact_id: old.id, archive_format: 'zip' })
    )
    expect(gone.status).toBe(410)
    expect(gone.response?.data).toEqual({
      message: ARTIFACT_EXPIRED,
      documentation_url: 'https://docs.github.com/rest/actions/artifacts#download-an-artifact',
      status: '410'
    })

    const one = await octokit.rest.actions.getArtifact({ ...repo, artifact_id: old.id })
    expect(one.data).toMatchObject({ id: old.id, name: 'old', expired: true })
    expect(
      (await failure(octokit.rest.actions.getArtifact({ ...repo, artifact_id: 42 }))).status
    ).toBe(404)
  })

  // Seen red against a fake whose artifact pages ignored per_page (one page of 5), and against one
  // that ignored direction=desc.
  test("a run's artifacts are paginated too", async () => {
    const run = github.addRun()
    for (let i = 0; i < 5; i++)
      await github.addArtifact(run, { name: `a${i}.txt`, content: `${i}`, skipArchive: true })
    const octokit = client(run.token)
    const names = await octokit.paginate(octokit.rest.actions.listWorkflowRunArtifacts, {
      ...repo,
      run_id: run.id,
      per_page: 2
    })
    expect(names.map(a => a.name)).toEqual(['a0.txt', 'a1.txt', 'a2.txt', 'a3.txt', 'a4.txt'])
    expect(github.countByRoute()).toEqual({ 'actions/list-workflow-run-artifacts': 3 })
    const newestFirst = await octokit.rest.actions.listWorkflowRunArtifacts({
      ...repo,
      run_id: run.id,
      direction: 'desc'
    })
    expect(newestFirst.data.artifacts.map(a => a.name)[0]).toBe('a4.txt')
  })

  // Seen red against a fake that listed only seeded artifacts (the uploads were missing), and
  // against a results service that named every blob *.zip (the client took the JSON file for a
  // zip: "Unable to download and extract artifact").
  test("what the real artifact client uploaded in a run's step becomes that run's artifact", async () => {
    const main = github.addRun({ branch: 'main' })
    const other = github.addRun({ branch: 'main' })
    const step = await github.step(main)
    const dir = join(work, 'upload')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'datalore-values-nb.json'), '{"rows": 120}')
    writeFileSync(join(dir, 'page.html'), '<p>hi</p>')
    const raw = await artifactClient(step.env, {
      name: 'datalore-values-nb.json',
      files: [join(dir, 'datalore-values-nb.json')],
      rootDirectory: dir,
      options: { skipArchive: true }
    })
    expect(raw.error).toBeUndefined()
    const zipped = await artifactClient(step.env, {
      name: 'pages',
      files: [join(dir, 'page.html')],
      rootDirectory: dir
    })
    expect(zipped.error).toBeUndefined()

    // Another run, another reader: the PR's job token reads main's artifacts through the API.
    const pr = github.addRun({ event: 'pull_request' })
    const octokit = client(pr.token)
    const listed = await octokit.rest.actions.listWorkflowRunArtifacts({ ...repo, run_id: main.id })
    expect(listed.data.artifacts.map(a => [a.id, a.name, a.size_in_bytes, a.digest])).toEqual([
      [raw.result?.id, 'datalore-values-nb.json', raw.result?.size, `sha256:${raw.result?.digest}`],
      [zipped.result?.id, 'pages', zipped.result?.size, `sha256:${zipped.result?.digest}`]
    ])
    const otherRun = await octokit.rest.actions.listWorkflowRunArtifacts({
      ...repo,
      run_id: other.id
    })
    expect(otherRun.data.total_count).toBe(0)

    const download = await octokit.rest.actions.downloadArtifact({
      ...repo,
      artifact_id: Number(raw.result?.id),
      archive_format: 'zip',
      request: { redirect: 'manual' }
    })
    expect(await (await fetch(String(download.headers.location))).text()).toBe('{"rows": 120}')

    // The artifact client's own download by REST (findBy another run) saves the file by its name.
    const into = join(work, 'downloaded')
    const prStep = await github.step(pr)
    const fetched = await artifactClient(prStep.env, {
      method: 'download',
      artifactId: raw.result?.id,
      options: {
        path: into,
        findBy: {
          token: pr.token,
          workflowRunId: main.id,
          repositoryOwner: OWNER,
          repositoryName: REPO
        }
      }
    })
    expect(fetched.error).toBeUndefined()
    expect(readFileSync(join(into, 'datalore-values-nb.json'), 'utf8')).toBe('{"rows": 120}')
  })

  // Seen red against a fake whose expireArtifact changed nothing.
  test('an uploaded artifact can be expired by the test', async () => {
    const run = github.addRun()
    const step = await github.step(run)
    const file = join(work, 'x.txt')
    writeFileSync(file, 'x')
    const uploaded = await artifactClient(step.env, {
      name: 'x.txt',
      files: [file],
      rootDirectory: work,
      options: { skipArchive: true }
    })
    const id = Number(uploaded.result?.id)
    github.expireArtifact(id)
    const octokit = client(run.token)
    expect(
      (await octokit.rest.actions.getArtifact({ ...repo, artifact_id: id })).data.expired
    ).toBe(true)
    const gone = await failure(
      octokit.rest.actions.downloadArtifact({ ...repo, artifact_id: id, archive_format: 'zip' })
    )
    expect(gone.status).toBe(410)
  })
})

describe('tokens', () => {
  // Seen red against a fake that answered GET /user for the job token with the bot account.
  test('GET /user: 403 for the job token, the person for a personal token, 401 without one', async () => {
    const run = github.addRun()
    const job = await failure(client(run.token).rest.users.getAuthenticated())
    expect(job.status).toBe(403)
    expect(job.response?.data).toEqual({
      message: NOT_ACCESSIBLE_BY_INTEGRATION,
      documentation_url: 'https://docs.github.com/rest/users/users#get-the-authenticated-user',
      status: '403'
    })
    const mona = github.addToken({ kind: 'personal', login: 'mona' })
    const { data } = await client(mona).rest.users.getAuthenticated()
    expect(data).toMatchObject({ login: 'mona', type: 'User' })

    const anonymous = await rawGet('/user')
    expect([anonymous.status, JSON.parse(anonymous.body).message]).toEqual([
      401,
      'Requires authentication'
    ])
  })

  // Seen red against a fake that let unknown tokens through as anonymous (404, not 401).
  test('an unknown token is 401 Bad credentials; no token is 404 for the private repository', async () => {
    const bad = await failure(client('ghp_notregistered').rest.repos.get(repo))
    expect(bad.status).toBe(401)
    expect(bad.response?.data).toEqual({
      message: 'Bad credentials',
      documentation_url: 'https://docs.github.com/rest',
      status: '401'
    })
    const anonymous = await rawGet(`/repos/${OWNER}/${REPO}/actions/runs`)
    expect(anonymous.status).toBe(404)
    expect(JSON.parse(anonymous.body)).toEqual({
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
      status: '404'
    })
    const octokit = client(github.addToken({ kind: 'personal' }))
    const { data } = await octokit.rest.repos.get(repo)
    expect(data).toMatchObject({
      full_name: `${OWNER}/${REPO}`,
      default_branch: 'main',
      private: true
    })
    // Bearer works as well as token; owner and name are not case sensitive.
    const bearer = await rawGet('/repos/Octo-Org/NOTEBOOKS', {
      authorization: `Bearer ${github.addToken({ kind: 'personal' })}`,
      'user-agent': 'test'
    })
    expect([bearer.status, JSON.parse(bearer.body).full_name]).toEqual([200, `${OWNER}/${REPO}`])
    expect((await failure(octokit.rest.repos.get({ owner: 'other', repo: REPO }))).status).toBe(404)
  })

  // Seen red against a fake that did not check the actions permission (the runs came back), and
  // one that refused a fine-grained personal token as an integration.
  test('without actions: read, the actions endpoints are 403 naming the permission', async () => {
    const run = github.addRun({ permissions: { contents: 'read', pull_requests: 'write' } })
    const octokit = client(run.token)
    const refused = await failure(octokit.rest.actions.listWorkflowRunsForRepo(repo))
    expect(refused.status).toBe(403)
    expect(refused.response?.headers['x-accepted-github-permissions']).toBe('actions=read')
    expect(refused.message).toContain(NOT_ACCESSIBLE_BY_INTEGRATION)
    for (const request of [
      octokit.rest.actions.getWorkflowRun({ ...repo, run_id: run.id }),
      octokit.rest.actions.listWorkflowRunArtifacts({ ...repo, run_id: run.id })
    ])
      expect((await failure(request)).status).toBe(403)
    // GitHub names the permission on success too.
    // A fine-grained personal token is refused in its own words.
    const fineGrained = github.addToken({ kind: 'personal', permissions: { issues: 'read' } })
    const pat = await failure(client(fineGrained).rest.actions.listWorkflowRunsForRepo(repo))
    expect([pat.status, pat.message]).toEqual([
      403,
      `${NOT_ACCESSIBLE_BY_PAT} - https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-repository`
    ])
    const allowed = github.addRun({ permissions: { actions: 'read' } })
    const ok = await client(allowed.token).rest.actions.listWorkflowRunsForRepo(repo)
    expect(ok.headers['x-accepted-github-permissions']).toBe('actions=read')
  })

  // Seen red against a fake that ignored readOnly (the fork's token created the comment).
  test("a fork's pull request gets a read-only token: it reads, its writes are 403", async () => {
    const run = github.addRun({
      event: 'pull_request',
      headRepository: 'contributor/notebooks',
      actor: 'contributor'
    })
    const number = run.pullRequest!.number
    github.addComment(number, { body: 'looks good', user: 'maintainer' })
    const octokit = client(run.token)
    const listed = await octokit.rest.issues.listComments({ ...repo, issue_number: number })
    expect(listed.data.map(c => c.body)).toEqual(['looks good'])
    const refused = await failure(
      octokit.rest.issues.createComment({ ...repo, issue_number: number, body: 'result' })
    )
    expect(refused.status).toBe(403)
    expect(refused.response?.headers['x-accepted-github-permissions']).toBe(
      'issues=write; pull_requests=write'
    )
    expect(github.commentsOf(number)).toHaveLength(1)
    const edit = await failure(
      octokit.rest.issues.updateComment({
        ...repo,
        comment_id: github.commentsOf(number)[0]!.id,
        body: 'x'
      })
    )
    expect(edit.status).toBe(403)
    expect(github.commentsOf(number)[0]!.body).toBe('looks good')
  })

  // Seen red against a fake that took issues: write for a pull request's comments.
  test("a pull request's comments need pull_requests: write; an issue's need issues: write", async () => {
    const run = github.addRun({
      event: 'pull_request',
      permissions: { issues: 'write', pull_requests: 'read' }
    })
    const issue = github.addIssue()
    const octokit = client(run.token)
    const refused = await failure(
      octokit.rest.issues.createComment({
        ...repo,
        issue_number: run.pullRequest!.number,
        body: 'x'
      })
    )
    expect(refused.status).toBe(403)
    const created = await octokit.rest.issues.createComment({
      ...repo,
      issue_number: issue,
      body: 'x'
    })
    expect(created.status).toBe(201)
  })

  // Seen red against a fake that gave Dependabot's run a token that writes.
  test("Dependabot's pull request: its payload names dependabot[bot], and its token is read-only", async () => {
    const run = github.addRun({
      event: 'pull_request',
      actor: DEPENDABOT.login,
      branch: 'dependabot/npm/x'
    })
    const step = await github.step(run)
    const payload = JSON.parse(readFileSync(step.env.GITHUB_EVENT_PATH!, 'utf8'))
    expect(payload.pull_request.user).toMatchObject({
      login: 'dependabot[bot]',
      type: 'Bot',
      id: 49699333
    })
    const refused = await failure(
      client(step.token).rest.issues.createComment({
        ...repo,
        issue_number: run.pullRequest!.number,
        body: 'x'
      })
    )
    expect(refused.status).toBe(403)
  })

  // Seen red against a fake that never spent the limit (the third request succeeded).
  test('the primary rate limit is counted per token and answered as GitHub does', async () => {
    const token = github.addToken({ kind: 'personal', login: 'mona', rateLimit: 2 })
    const octokit = client(token)
    const first = await octokit.rest.repos.get(repo)
    expect(first.headers['x-ratelimit-limit']).toBe('2')
    expect(first.headers['x-ratelimit-remaining']).toBe('1')
    expect(first.headers['x-ratelimit-resource']).toBe('core')
    await octokit.rest.repos.get(repo)
    const spent = await failure(octokit.rest.repos.get(repo))
    expect(spent.status).toBe(403)
    expect(spent.response?.headers['x-ratelimit-remaining']).toBe('0')
    expect(spent.message).toContain('API rate limit exceeded for user ID')
    // Another token has its own.
    expect((await client(github.addToken({ kind: 'personal' })).rest.repos.get(repo)).status).toBe(
      200
    )
  })

  // Seen red against a fake without the User-Agent check (200).
  test('a request without a User-Agent is refused, as GitHub refuses it', async () => {
    const token = github.addToken({ kind: 'personal' })
    const answer = await rawGet(`/repos/${OWNER}/${REPO}`, { authorization: `token ${token}` })
    expect(answer.status).toBe(403)
    expect(answer.body).toContain('make sure your request has a User-Agent header')
  })
})

describe('issue comments', () => {
  // Seen red against a fake that served per_page=100 as 30 (the marker on page 3 went unseen
  // after 3 requests).
  test('250 comments are read in 3 pages of 100, oldest first', async () => {
    const run = github.addRun({ event: 'pull_request' })
    const number = run.pullRequest!.number
    for (let i = 0; i < 249; i++) github.addComment(number, { body: `comment ${i}`, user: 'alice' })
    github.addComment(number, { body: 'has <!-- marker -->', user: 'bob' })
    const octokit = client(run.token)
    const comments = await octokit.paginate(octokit.rest.issues.listComments, {
      ...repo,
      issue_number: number,
      per_page: 100
    })
    expect(comments).toHaveLength(250)
    expect(comments.map(c => c.id)).toEqual([...comments.map(c => c.id)].sort((a, b) => a - b))
    expect(comments.at(-1)).toMatchObject({
      body: 'has <!-- marker -->',
      user: { login: 'bob', type: 'User' }
    })
    expect(github.requestsTo('issues/list-comments').map(r => r.query.page ?? '1')).toEqual([
      '1',
      '2',
      '3'
    ])
  })

  // Seen red against a fake that wrote the job token's comments as the person 'octocat'.
  test('the job token writes as github-actions[bot]; a personal token as its person', async () => {
    const run = github.addRun({ event: 'pull_request' })
    const number = run.pullRequest!.number
    const created = await client(run.token).rest.issues.createComment({
      ...repo,
      issue_number: number,
      body: '<!-- datalore-run: nb -->\nresult'
    })
    expect(created.status).toBe(201)
    expect(created.headers.location).toBe(created.data.url)
    expect(created.data).toMatchObject({
      body: '<!-- datalore-run: nb -->\nresult',
      user: { login: GITHUB_ACTIONS_BOT.login, id: GITHUB_ACTIONS_BOT.id, type: 'Bot' },
      html_url: `https://github.com/${OWNER}/${REPO}/pull/${number}#issuecomment-${created.data.id}`
    })
    expect(created.data.id).toBeGreaterThan(2 ** 31)
    expect(created.data.node_id).toEqual(expect.any(String))
    expect(created.data.created_at).toBe(created.data.updated_at)
    const mona = github.addToken({ kind: 'personal', login: 'mona' })
    const theirs = await client(mona).rest.issues.createComment({
      ...repo,
      issue_number: number,
      body: 'me'
    })
    expect(theirs.data.user).toMatchObject({ login: 'mona', type: 'User' })
    expect(
      (
        await failure(
          client(mona).rest.issues.createComment({ ...repo, issue_number: 999, body: 'x' })
        )
      ).status
    ).toBe(404)
  })

  // Seen red against a length check of > 65537 (65,537 characters were taken), and against one
  // that counted UTF-16 units (the 65,536 emoji were refused).
  test("a body over 65,536 characters is 422 with GitHub's error document, on create and on edit", async () => {
    const run = github.addRun({ event: 'pull_request' })
    const number = run.pullRequest!.number
    const octokit = client(run.token)
    // Characters, not UTF-16 units: 65,536 snowmen-with-surrogates still fit.
    const fits = '😀'.repeat(65536)
    const created = await octokit.rest.issues.createComment({
      ...repo,
      issue_number: number,
      body: fits
    })
    expect(created.data.body).toBe(fits)
    const tooLong = 'x'.repeat(65537)
    const refused = await failure(
      octokit.rest.issues.createComment({ ...repo, issue_number: number, body: tooLong })
    )
    expect(refused.status).toBe(422)
    expect(refused.response?.data).toEqual({
      message: 'Validation Failed',
      errors: [
        {
          resource: 'IssueComment',
          code: 'unprocessable',
          field: 'data',
          message: COMMENT_TOO_LONG
        }
      ],
      documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
      status: '422'
    })
    const edit = await failure(
      octokit.rest.issues.updateComment({ ...repo, comment_id: created.data.id, body: tooLong })
    )
    expect(edit.status).toBe(422)
    expect(github.commentsOf(number)).toHaveLength(1)
    expect(github.commentsOf(number)[0]!.body).toBe(fits)
  })

  // Seen red against a fake that let a read-role person edit anyone's comment, and one without
  // GET of a single comment.
  test("edits: 404 for an unknown id; the author may; write access may edit anyone's; a reader may not", async () => {
    const run = github.addRun({ event: 'pull_request' })
    const number = run.pullRequest!.number
    const person = github.addComment(number, {
      body: 'quoting <!-- datalore-run: nb -->',
      user: 'alice'
    })
    const octokit = client(run.token)
    const mine = await octokit.rest.issues.createComment({
      ...repo,
      issue_number: number,
      body: 'v1'
    })
    const edited = await octokit.rest.issues.updateComment({
      ...repo,
      comment_id: mine.data.id,
      body: 'v2'
    })
    expect(edited.data).toMatchObject({
      id: mine.data.id,
      body: 'v2',
      user: { login: GITHUB_ACTIONS_BOT.login }
    })
    expect(
      (await failure(octokit.rest.issues.updateComment({ ...repo, comment_id: 7, body: 'x' })))
        .status
    ).toBe(404)

    // On GitHub, write access edits anyone's comment: nothing but the action keeps it off a person's.
    const overwritten = await octokit.rest.issues.updateComment({
      ...repo,
      comment_id: person.id,
      body: 'edited by the job token'
    })
    expect(overwritten.data.user?.login).toBe('alice')

    const reader = client(github.addToken({ kind: 'personal', login: 'carol', role: 'read' }))
    const refused = await failure(
      reader.rest.issues.updateComment({ ...repo, comment_id: person.id, body: 'x' })
    )
    expect(refused.status).toBe(403)
    const own = await reader.rest.issues.createComment({
      ...repo,
      issue_number: number,
      body: 'c1'
    })
    expect(
      (await reader.rest.issues.updateComment({ ...repo, comment_id: own.data.id, body: 'c2' }))
        .data.body
    ).toBe('c2')
    const read = await octokit.rest.issues.getComment({ ...repo, comment_id: own.data.id })
    expect(read.data).toMatchObject({ body: 'c2', user: { login: 'carol' } })
  })

  // Seen red against a fake that ignored `since`.
  test('since: only the comments updated at or after it', async () => {
    const run = github.addRun({ event: 'pull_request' })
    const number = run.pullRequest!.number
    github.addComment(number, { body: 'old', createdAt: '2020-01-01T00:00:00Z' })
    github.addComment(number, { body: 'new', createdAt: '2026-01-01T00:00:00Z' })
    const { data } = await client(run.token).rest.issues.listComments({
      ...repo,
      issue_number: number,
      since: '2025-01-01T00:00:00Z'
    })
    expect(data.map(c => c.body)).toEqual(['new'])
  })
})

describe('faults and records', () => {
  // Seen red against a fake that dropped a fault's headers (no retry-after).
  test('429 and secondary rate limits carry retry-after; 5xx; then the route answers again', async () => {
    const run = github.addRun()
    const octokit = client(run.token)
    github.fault(tooManyRequests('actions/list-workflow-runs-for-repo', { retryAfter: 7 }))
    const limited = await failure(octokit.rest.actions.listWorkflowRunsForRepo(repo))
    expect(limited.status).toBe(429)
    expect(limited.response?.headers['retry-after']).toBe('7')

    github.fault(secondaryRateLimit('issues/list-comments', { retryAfter: 30 }))
    const secondary = await failure(octokit.rest.issues.listComments({ ...repo, issue_number: 1 }))
    expect(secondary.status).toBe(403)
    expect(secondary.response?.headers['retry-after']).toBe('30')
    expect(String((secondary.response?.data as { message: string }).message)).toMatch(
      new RegExp(`^${SECONDARY_RATE_LIMIT_MESSAGE} [0-9A-F:]+\\.$`)
    )

    github.fault(missingPermission('actions/get-workflow-run', 'actions=read'))
    const denied = await failure(octokit.rest.actions.getWorkflowRun({ ...repo, run_id: run.id }))
    expect([denied.status, denied.response?.headers['x-accepted-github-permissions']]).toEqual([
      403,
      'actions=read'
    ])

    github.fault({ on: 'repos/get', status: 502, times: 2 })
    expect((await failure(octokit.rest.repos.get(repo))).status).toBe(502)
    expect((await failure(octokit.rest.repos.get(repo))).status).toBe(502)
    expect((await octokit.rest.repos.get(repo)).status).toBe(200)
    expect((await octokit.rest.actions.listWorkflowRunsForRepo(repo)).status).toBe(200)
  })

  // Seen red against a fake that ignored `action: 'hang'` (the request was answered), and one
  // that ignored `action: 'reset'`.
  test('hang, reset, delay and when', async () => {
    const run = github.addRun()
    const octokit = client(run.token)
    github.fault({ on: 'repos/get', action: 'hang' })
    const hung = await failure(
      octokit.rest.repos.get({ ...repo, request: { signal: AbortSignal.timeout(300) } })
    )
    // No answer: the client gave up (octokit reports its own timeout as a 500 without a response).
    expect([hung.status, hung.response, (hung.cause as Error).name]).toEqual([
      500,
      undefined,
      'TimeoutError'
    ])
    expect(github.requestsTo('repos/get').at(-1)?.status).toBe(0)

    github.fault({ on: 'repos/get', action: 'reset' })
    const reset = await failure(octokit.rest.repos.get(repo))
    expect([reset.status, reset.response]).toEqual([500, undefined])
    expect(github.requestsTo('repos/get').at(-1)?.status).toBe(0)

    github.fault({ on: 'any', delayMs: 300 })
    const started = Date.now()
    expect((await octokit.rest.repos.get(repo)).status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)

    github.fault({ on: 'actions/get-workflow-run', status: 500, when: r => r.path.endsWith('/2') })
    expect((await octokit.rest.actions.getWorkflowRun({ ...repo, run_id: run.id })).status).toBe(
      200
    )
    expect(
      (await failure(octokit.rest.actions.getWorkflowRun({ ...repo, run_id: 2 }))).status
    ).toBe(500)
  })

  // Seen red against a fake that did not record the status it answered.
  test('every request is recorded with method, path, query, headers, body and time', async () => {
    const run = github.addRun({ event: 'pull_request' })
    const before = Date.now()
    const octokit = client(run.token)
    await octokit.rest.issues.createComment({
      ...repo,
      issue_number: run.pullRequest!.number,
      body: 'b'
    })
    await octokit.rest.actions.listWorkflowRunsForRepo({ ...repo, branch: 'main', per_page: 5 })
    await failure(client('ghp_nope').rest.repos.get(repo))
    const [create, list, bad] = github.requests
    expect(create).toMatchObject({
      route: 'issues/create-comment',
      method: 'POST',
      path: `/repos/${OWNER}/${REPO}/issues/${run.pullRequest!.number}/comments`,
      body: { body: 'b' },
      auth: 'job',
      status: 201
    })
    expect(create!.headers.authorization).toBe(`token ${run.token}`)
    expect(create!.at).toBeGreaterThanOrEqual(before)
    expect(list).toMatchObject({
      method: 'GET',
      query: { branch: 'main', per_page: '5' },
      status: 200
    })
    expect(bad).toMatchObject({ route: 'repos/get', auth: 'unknown', status: 401 })
    expect(github.countByRoute()).toEqual({
      'issues/create-comment': 1,
      'actions/list-workflow-runs-for-repo': 1,
      'repos/get': 1
    })
  })
})

describe('a step of a run', () => {
  // Seen red against an event payload whose head.repo.fork was false, and against a step whose
  // GITHUB_SHA was the pull request's head commit.
  test("a fork's pull request: env and event payload as the runner writes them", async () => {
    const run = github.addRun({
      event: 'pull_request',
      branch: 'fix',
      headRepository: 'contributor/notebooks',
      actor: 'contributor',
      pullRequest: { number: 17, base: 'main' }
    })
    const step = await github.step(run)
    expect(step.token).toBe(run.token)
    expect(step.env).toMatchObject({
      GITHUB_API_URL: github.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
      GITHUB_RUN_ID: String(run.id),
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_REF: 'refs/pull/17/merge',
      GITHUB_HEAD_REF: 'fix',
      GITHUB_BASE_REF: 'main',
      GITHUB_WORKFLOW_REF: `${OWNER}/${REPO}/.github/workflows/ci.yml@refs/pull/17/merge`,
      ACTIONS_RESULTS_URL: `${step.results.url}/`,
      ACTIONS_RUNTIME_TOKEN: step.results.runtimeToken
    })
    // A pull request's run checks out a merge commit, not the head.
    expect(step.env.GITHUB_SHA).toMatch(/^[0-9a-f]{40}$/)
    expect(step.env.GITHUB_SHA).not.toBe(run.headSha)
    const payload = JSON.parse(readFileSync(step.eventPath, 'utf8'))
    expect(payload).toMatchObject({
      number: 17,
      pull_request: {
        number: 17,
        user: { login: 'contributor' },
        head: {
          ref: 'fix',
          sha: run.headSha,
          repo: { full_name: 'contributor/notebooks', fork: true }
        },
        base: { ref: 'main', repo: { full_name: `${OWNER}/${REPO}`, fork: false } }
      }
    })
  })

  // Seen red against a step that started a new results service each time, and against one that
  // handed a second step started at once a service not yet listening.
  test('a push: GITHUB_SHA is the head commit; the results service is the same on every step', async () => {
    const run = github.addRun({ branch: 'main' })
    const [first, again] = await Promise.all([github.step(run), github.step(run.id)])
    expect([again.env.ACTIONS_RESULTS_URL, again.env.ACTIONS_RUNTIME_TOKEN]).toEqual([
      `${first.results.url}/`,
      first.env.ACTIONS_RUNTIME_TOKEN
    ])
    expect(first.results.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(first.env).toMatchObject({
      GITHUB_EVENT_NAME: 'push',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: run.headSha,
      GITHUB_HEAD_REF: '',
      GITHUB_WORKFLOW_REF: `${OWNER}/${REPO}/.github/workflows/ci.yml@refs/heads/main`
    })
    expect(JSON.parse(readFileSync(first.eventPath, 'utf8'))).toMatchObject({
      ref: 'refs/heads/main',
      after: run.headSha
    })
  })

  // Seen red against a fake that took any server URL.
  test('a server URL the artifact client would take for GHES is refused up front', () => {
    expect(() => new GitHubApi({ serverUrl: 'https://github.example.com' })).toThrow(
      /GitHub Enterprise Server/
    )
    expect(() => new GitHubApi({ serverUrl: 'https://github.localhost' })).not.toThrow()
  })
})

// The demo runs without Azurite: the built-in blob store takes seeded files and serves them
// named, as Azurite does. Seen red against a built-in store that left rscd out of the signature
// (403 AuthenticationFailed).
test('with the built-in blob store, a seeded file downloads as itself', async () => {
  const demo = await startGitHubApi()
  try {
    const run = demo.addRun()
    const artifact = await demo.addArtifact(run, {
      name: 'v.json',
      content: '[1]',
      skipArchive: true
    })
    const octokit = getOctokit(run.token, { baseUrl: demo.url })
    const download = await octokit.rest.actions.downloadArtifact({
      ...repo,
      artifact_id: artifact.id,
      archive_format: 'zip',
      request: { redirect: 'manual' }
    })
    const blob = await fetch(String(download.headers.location))
    expect([blob.status, blob.headers.get('content-disposition'), await blob.text()]).toEqual([
      200,
      "attachment; filename=v.json; filename*=UTF-8''v.json",
      '[1]'
    ])
  } finally {
    await demo.close()
  }
})
