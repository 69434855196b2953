/**
 * Finding each key's baseline: the base branch (`baseline`, or for `auto` the pull request's
 * base, else the default branch), the workflow's runs on it newest first, and in the first of
 * them that may be a baseline (./runs.ts) and still has the key's values artifact, that file,
 * downloaded and checked (./values-file.ts).
 *
 * One lookup serves the whole step: it starts with the step, beside the Datalore runs, lists the
 * runs once, and each key then walks the same list, the artifacts of each run listed once for
 * all keys. When the newest run has the file, that is 3 requests (4 when the default branch is
 * not in the event's payload). At most MAX_RUNS_LOOKED_AT runs are looked at per key.
 *
 * Nothing here fails the step: a problem of the whole lookup (no workflow run, a token without
 * `actions: read`, GitHub down) is one warning, a problem of one key's file is that key's
 * warning, and either way the key has no baseline. Only a cancelled job ends it otherwise.
 */
import { errorMessage } from '../errors.js'
import type { HttpTransport } from '../http.js'
import { type BaselineSettings } from '../inputs/config.js'
import { branchProblem, valuesArtifactName } from '../inputs/baseline.js'
import { log, quote } from '../log.js'
import { Slots } from '../slots.js'
import type { Clock } from '../clock.js'
import {
  GitHubContext,
  isPullRequestEvent,
  payloadText,
  readEventPayload,
  readGitHubContext
} from '../github/context.js'
import { type ApiAnswer, GitHubClient } from '../github/client.js'
import type { Baseline } from './baseline.js'
import { ListedRun, passOver, readRun, ThisRun } from './runs.js'
import { MAX_VALUES_FILE_BYTES, parseValuesFile, ValuesFileError } from './values-file.js'

/** Runs looked at per key, at most: older values are no baseline anyone expects. */
export const MAX_RUNS_LOOKED_AT = 10
/** Runs are listed in pages of this many; a page of ten is usually all the lookup needs. */
const RUNS_PER_PAGE = 10
/** Pages of runs listed at most, for runs passed over (pull requests', forks'). */
const MAX_RUN_PAGES = 5
const ARTIFACTS_PER_PAGE = 100
/** A run's artifacts listed at most, for a step of several keys (then by name, key by key). */
const MAX_ARTIFACT_PAGES = 10
/** Values files downloaded at once. */
const DOWNLOADS_AT_ONCE = 4

export interface LookupOptions {
  settings: BaselineSettings
  /** The keys of the step's runs. */
  keys: readonly string[]
  githubToken: string
  env: NodeJS.ProcessEnv
  transport: HttpTransport
  clock: Clock
  deadline: number
  signal?: AbortSignal
}

/** A key's baseline, or why there is none (and a warning when something was wrong). */
export type KeyResult = { baseline: Baseline } | { none: string; warning?: string }

/** What the whole lookup needs before any key: where to look, and the client to look with. */
interface Ready {
  context: GitHubContext
  client: GitHubClient
  branch: string
  here: ThisRun
}

interface Artifact {
  id: number
  name: string
  expired: boolean
  size: number
}

/** A run's artifacts: those listed, and whether that is all of them. */
interface RunArtifacts {
  artifacts: Artifact[]
  complete: boolean
}

export class BaselineLookup {
  private readonly ready: Promise<Ready | { none: string }>
  private readonly candidates: ListedRun[] = []
  private pagesListed = 0
  private listedAll = false
  private listing: Promise<void> | undefined
  private readonly artifactsOfRun = new Map<number, Promise<RunArtifacts>>()
  private readonly downloads = new Slots(DOWNLOADS_AT_ONCE)
  /** A problem of the whole lookup was told. */
  private warned = false

  /** Ends whatever the lookup still does when the step is over (a wait for a rate limit). */
  private readonly stopped = new AbortController()
  private readonly options: LookupOptions

  /** Starts at once: the client, the branch and the first page of runs. */
  constructor(options: LookupOptions) {
    const { signal } = options
    const stop = this.stopped.signal
    this.options = { ...options, signal: signal == null ? stop : AbortSignal.any([signal, stop]) }
    this.ready = this.prepare()
    // Nobody may wait for it (the step can end first); its failure is a result, never thrown.
    this.ready.catch(() => undefined)
  }

  /** Stops the requests and waits of the lookup: the step no longer needs it. */
  stop(): void {
    this.stopped.abort(new Error('the step ended before the baseline was found'))
  }

  /** The key's baseline. Rejects only when the job is cancelled (or the lookup stopped). */
  async find(key: string): Promise<KeyResult> {
    const ready = await this.ready
    if ('none' in ready) return ready
    const name = valuesArtifactName(key)
    const { workflowFile } = ready.context
    let looked = 0
    let expired = 0
    for (let index = 0; index < MAX_RUNS_LOOKED_AT; index++) {
      let run: ListedRun | undefined
      let artifact: Artifact | undefined
      try {
        run = await this.candidate(ready, index)
        if (run == null) break
        looked++
        const found = await this.artifactNamed(ready, run, name)
        if (found?.expired) expired++
        artifact = found?.expired === false ? found : undefined
      } catch (error) {
        this.options.signal?.throwIfAborted()
        return this.failed(`listing the runs and their artifacts failed: ${errorMessage(error)}`)
      }
      if (artifact == null) continue
      const result = await this.read(ready, run, artifact, key)
      if (result != null) return result
    }
    const where = `of workflow ${quote(workflowFile)} on ${quote(ready.branch)}`
    if (looked === 0) {
      return {
        none: `No baseline: no successful run ${where} to compare with yet (runs of pull requests and forks are not looked at).`
      }
    }
    const gone = expired > 0 ? `; ${expired} had it, expired` : ''
    return {
      none: `No baseline: none of the ${looked} last successful run(s) ${where} looked at (at most ${MAX_RUNS_LOOKED_AT}) has ${quote(name)}${gone}. Workflow artifacts expire, by default after 90 days.`
    }
  }

  /** The file of `artifact`, checked; undefined when it is a failed run's (the next run may do). */
  private async read(
    ready: Ready,
    run: ListedRun,
    artifact: Artifact,
    key: string
  ): Promise<KeyResult | undefined> {
    const what = `the values ${quote(artifact.name)} of run ${run.id}`
    if (artifact.size > MAX_VALUES_FILE_BYTES) {
      return this.unusable(what, `it is ${artifact.size} bytes, more than a values file may be`)
    }
    let text: string
    try {
      text = await this.downloads.use(
        () => ready.client.downloadFile(artifact.id, MAX_VALUES_FILE_BYTES, 'a values file'),
        this.options.signal
      )
    } catch (error) {
      this.options.signal?.throwIfAborted()
      return this.unusable(what, `it could not be downloaded: ${errorMessage(error)}`)
    }
    try {
      const file = parseValuesFile(text, key)
      if (file.workflowRun.id !== run.id) {
        return this.unusable(what, `it says run ${file.workflowRun.id} wrote it`)
      }
      if (file.conclusion !== 'success') {
        log.info(
          `Run ${run.id} kept the values ${quote(artifact.name)} of a Datalore run that ended in ${quote(file.conclusion)}: not a baseline, looking further.`
        )
        return undefined
      }
      return {
        baseline: {
          key,
          runId: run.id,
          runAttempt: run.attempt,
          sha: run.sha,
          branch: ready.branch,
          url: run.url,
          createdAt: run.createdAt,
          values: new Map(file.values),
          history: file.history,
          file
        }
      }
    } catch (error) {
      if (error instanceof ValuesFileError) return this.unusable(what, error.message)
      throw error
    }
  }

  private unusable(what: string, why: string): KeyResult {
    return {
      none: `No baseline: ${what} could not be used.`,
      warning: `${what} cannot be the baseline: ${why}. This run is compared with no baseline.`
    }
  }

  /** A problem of the whole lookup: one warning for the step, and every key without a baseline. */
  private failed(why: string): { none: string } {
    this.warnOnce(why)
    return { none: `No baseline: ${why}.` }
  }

  private warnOnce(why: string): void {
    if (this.warned) return
    this.warned = true
    log.warning(`The baseline could not be looked up: ${why}. The step goes on without one.`, {
      title: 'No baseline'
    })
  }

  private async prepare(): Promise<Ready | { none: string }> {
    const { env, settings } = this.options
    let context: GitHubContext
    try {
      context = readGitHubContext(env)
    } catch (error) {
      return this.failed(errorMessage(error))
    }
    try {
      const client = await GitHubClient.create({
        token: this.options.githubToken,
        apiUrl: context.apiUrl,
        owner: context.owner,
        repo: context.repo,
        transport: this.options.transport,
        clock: this.options.clock,
        deadline: this.options.deadline,
        signal: this.options.signal
      })
      const branch = await baseBranch(settings, context, client)
      const here = {
        runId: context.runId,
        sha: context.sha,
        onBaseBranch:
          !isPullRequestEvent(context.eventName) && context.ref === `refs/heads/${branch}`
      }
      const ready = { context, client, branch, here }
      log.info(
        `Looking for the baseline: the last good run of ${quote(context.workflowFile)} on ${quote(branch)}.`
      )
      // The first page now, beside the Datalore runs.
      await this.candidate(ready, 0)
      return ready
    } catch (error) {
      this.options.signal?.throwIfAborted()
      return this.failed(errorMessage(error))
    }
  }

  /** The `index`th run that may be a baseline, listing pages as needed; undefined past the last. */
  private async candidate(ready: Ready, index: number): Promise<ListedRun | undefined> {
    while (this.candidates.length <= index && !this.listedAll) {
      this.listing ??= this.listPage(ready).finally(() => {
        this.listing = undefined
      })
      await this.listing
    }
    return this.candidates[index]
  }

  private async listPage(ready: Ready): Promise<void> {
    const page = ++this.pagesListed
    const answer = await ready.client.listRuns(
      ready.context.workflowFile,
      ready.branch,
      page,
      RUNS_PER_PAGE
    )
    const documents = listIn(answer, 'workflow_runs')
    for (const document of documents) {
      const run = readRun(document)
      if (run == null) continue
      const why = passOver(run, ready.here)
      if (why == null) this.candidates.push(run)
      else log.debug(`Run ${run.id} is no baseline: ${why}.`)
    }
    if (documents.length < RUNS_PER_PAGE || page >= MAX_RUN_PAGES) this.listedAll = true
    if (this.candidates.length >= MAX_RUNS_LOOKED_AT) this.listedAll = true
  }

  /** The run's artifact of that name: an unexpired one if there is one. */
  private async artifactNamed(
    ready: Ready,
    run: ListedRun,
    name: string
  ): Promise<Artifact | undefined> {
    let listed = this.artifactsOfRun.get(run.id)
    if (listed == null) {
      listed = this.listArtifacts(ready, run.id)
      this.artifactsOfRun.set(run.id, listed)
    }
    const { artifacts, complete } = await listed
    const found = pick(artifacts, name)
    if (found != null || complete) return found
    // More artifacts than were listed: this one asked for by name.
    return pick(
      readArtifacts(await ready.client.listArtifacts(run.id, 1, ARTIFACTS_PER_PAGE, name)),
      name
    )
  }

  /** One key: its name alone. Several: every artifact of the run, as far as MAX_ARTIFACT_PAGES. */
  private async listArtifacts(ready: Ready, runId: number): Promise<RunArtifacts> {
    const { keys } = this.options
    if (keys.length === 1) {
      const name = valuesArtifactName(keys[0] ?? '')
      const answer = await ready.client.listArtifacts(runId, 1, ARTIFACTS_PER_PAGE, name)
      return { artifacts: readArtifacts(answer), complete: true }
    }
    const artifacts: Artifact[] = []
    for (let page = 1; page <= MAX_ARTIFACT_PAGES; page++) {
      const answer = await ready.client.listArtifacts(runId, page, ARTIFACTS_PER_PAGE)
      const documents = listIn(answer, 'artifacts')
      artifacts.push(...readArtifacts(answer))
      if (documents.length < ARTIFACTS_PER_PAGE) return { artifacts, complete: true }
    }
    return { artifacts, complete: false }
  }
}

/** The unexpired artifact of that name (the newest, should there be several), or an expired one. */
function pick(artifacts: readonly Artifact[], name: string): Artifact | undefined {
  const named = artifacts.filter(a => a.name === name).sort((a, b) => b.id - a.id)
  return named.find(a => !a.expired) ?? named[0]
}

function listIn(answer: ApiAnswer, field: string): unknown[] {
  const data = answer.data as Record<string, unknown> | undefined
  const list = data?.[field]
  return Array.isArray(list) ? list : []
}

function readArtifacts(answer: ApiAnswer): Artifact[] {
  return listIn(answer, 'artifacts').flatMap(document => {
    const { id, name, expired, size_in_bytes: size } = (document ?? {}) as Record<string, unknown>
    if (!Number.isSafeInteger(id) || typeof name !== 'string') return []
    return [
      {
        id: id as number,
        name,
        expired: expired !== false,
        size: typeof size === 'number' ? size : 0
      }
    ]
  })
}

/** The branch whose runs are looked at: `baseline`'s, the pull request's base, or the default. */
async function baseBranch(
  settings: BaselineSettings,
  context: GitHubContext,
  client: GitHubClient
): Promise<string> {
  if (settings.branch !== 'auto') return settings.branch.name
  const payload = await readEventPayload(context)
  if (isPullRequestEvent(context.eventName)) {
    const base = payloadText(payload, 'pull_request', 'base', 'ref')
    if (base != null) return checked(base, "the pull request's base branch")
  }
  const named =
    payloadText(payload, 'repository', 'default_branch') ?? (await client.defaultBranch())
  return checked(typeof named === 'string' ? named : '', "the repository's default branch")
}

function checked(branch: string, what: string): string {
  const problem = branchProblem(branch)
  if (problem != null) throw new Error(`${what} is ${quote(branch)}, which ${problem}`)
  return branch
}
