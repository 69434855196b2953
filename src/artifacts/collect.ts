/**
 * After the run: fetch what it produced into `artifacts-path`, then upload it as one workflow
 * artifact. A failed run is collected too: its executed notebook is where the traceback is.
 * It returns what it found; the entrypoint decides what that means for the step.
 *
 * The executed notebooks are read as soon as they are downloaded, and what they glued is
 * compared with the baseline's values right then (`compare`), before the pages are rendered:
 * each page shows the comparison in its header.
 */
import { mkdir, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { after, type Clock } from '../clock.js'
import type { Artifact, FinishedRun, Parameter } from '../datalore/api.js'
import { errorMessage, TimeoutError } from '../errors.js'
import { formatDuration, secondsBetween } from '../format.js'
import type { HttpResponse } from '../http.js'
import type { ArtifactSettings } from '../inputs/config.js'
import type { NotebookRef } from '../inputs/notebook-id.js'
import { clip, log, quote } from '../log.js'
import type { RunComparison } from '../compare/run.js'
import { type NotebookFinding, type Values, valuesOf } from '../notebook/explain.js'
import { ArtifactNames } from './artifact-names.js'
import { DownloadedArtifact, downloadArtifacts, FailedArtifact } from './download.js'
import { safeFileNames } from './file-names.js'
import { NotebookPage, PageContext, publishPages } from './pages.js'
import { inFreshFolder, runnerTemp } from './temporary.js'
import type { Slots } from '../slots.js'
import {
  ArtifactServiceUnavailableError,
  UploadedArtifact,
  uploadArtifact,
  uploadInTurn
} from './upload.js'

/** A few lines of the log are enough; the outputs and the summary have the rest. */
const MAX_RENAMES_LOGGED = 20
const MAX_FAILURES_LISTED = 20

export interface ArtifactReport {
  /** The folder the artifacts were written to; none with `artifacts: none`. */
  path?: string
  downloaded: DownloadedArtifact[]
  failed: FailedArtifact[]
  /** The workflow artifact's name, once an upload was tried. */
  name?: string
  uploaded?: UploadedArtifact
  /** What fails the step: an artifact that did not arrive, an upload that failed. */
  problems: string[]
  /** The job was cancelled on the way: what is here is all there is. */
  cancelled: boolean
  /** What the executed notebooks (the `.ipynb` artifacts) say, when `read-notebook` is on. */
  notebooks: NotebookFinding[]
  /** The values they glued, once one was read (or could not be). */
  values?: Values
  /** Those values compared with the baseline's, when there is one (`baseline`). */
  comparison?: RunComparison
  /** The executed notebooks as pages, when `notebook-page` is on. */
  pages: NotebookPage[]
}

/** What the step knows about the run besides its status: for names and the pages' headers. */
export interface RunAbout {
  notebook?: NotebookRef
  notebookUrl?: string
  parameters?: Parameter[]
}

/** An executed notebook, by its name. */
export function isNotebook(name: string): boolean {
  return /\.ipynb$/i.test(name)
}

export interface CollectDependencies {
  /** Opens an artifact's body: DataloreClient.openArtifact. */
  open: (artifact: Artifact, signal?: AbortSignal) => Promise<HttpResponse>
  clock: Clock
  /** Monotonic time by which the downloads and the upload must be done. */
  deadline: number
  retryCapMs: number
  env: NodeJS.ProcessEnv
  signal?: AbortSignal
  /** Several runs: downloads and uploads are bounded for the whole step, not per run. */
  downloads?: Slots
  uploads?: Slots
  /** Several runs: the artifact names of the whole step, which must all differ. */
  names?: ArtifactNames
  /** With `baseline`: compares the values the notebooks glued with the baseline's. */
  compare?: (values: Values) => Promise<RunComparison | undefined>
}

/**
 * Collects the run's artifacts as `settings` say, and reads its executed notebooks. With
 * `artifacts: none` only the notebooks are fetched, into a temporary folder, to be read:
 * undefined when there is nothing to do.
 */
export async function collectArtifacts(
  run: FinishedRun,
  about: RunAbout,
  settings: ArtifactSettings,
  deps: CollectDependencies
): Promise<ArtifactReport | undefined> {
  if (settings.mode === 'none') {
    return settings.readNotebook ? notebooksOnly(run, deps) : undefined
  }
  const dir =
    settings.path == null
      ? join(runnerTemp(deps.env), 'datalore', run.runId)
      : settings.folderPerRun
        ? join(settings.path, run.runId)
        : settings.path
  await mkdir(dir, { recursive: true })
  const report = emptyReport(dir)
  if (run.artifacts.length === 0) {
    report.problems = noArtifacts(run.runId, settings.ifNoArtifacts)
    return report
  }

  const listed = await withFileNames(run.artifacts, dir)
  log.info(`Downloading ${listed.length} artifact(s) of run ${run.runId} to ${dir}`)
  const started = deps.clock.now()
  const { downloaded, failed } = await fetchInto(listed, dir, deps)
  Object.assign(report, { downloaded, failed, cancelled: deps.signal?.aborted === true })
  if (report.cancelled) return report
  const bytes = downloaded.reduce((sum, a) => sum + a.size, 0)
  log.info(
    `Downloaded ${downloaded.length} artifact(s), ${bytes} bytes, in ${formatDuration(deps.clock.now() - started)}`
  )

  const names = deps.names ?? new ArtifactNames()
  if (settings.mode === 'upload' && downloaded.length > 0) {
    report.name = artifactName(settings, about, run.runId, deps.env, names)
  }
  // Reading the notebooks and making their pages overlaps the upload of the zip: one waits on
  // the network, the other on the CPU. It is settled at once: a cancel that stops the pages
  // while the zip uploads is no unhandled rejection, and what was collected is still reported.
  const notebooks = downloaded.filter(a => isNotebook(a.name))
  const reading = (async (): Promise<void> => {
    if (!settings.readNotebook) return
    report.notebooks = await readNotebooks(notebooks, dir, deps)
    await compareValues(report, deps)
    if (!settings.notebookPage) return
    // Pages are a courtesy: cut by the deadline, they leave a warning and the step goes on.
    const { signal, cancel } = untilDeadline(deps, 'writing the pages of the executed notebooks')
    try {
      report.pages = await publishPages(notebooks, report.notebooks, {
        dir,
        settings,
        artifactName: report.name,
        names,
        facts: { ...pageFacts(run, about), comparison: report.comparison },
        env: deps.env,
        signal,
        uploads: deps.uploads
      })
    } finally {
      cancel()
    }
  })().then(
    () => undefined,
    (error: unknown) => error
  )
  if (report.name != null) await upload(report, settings, deps)
  const unfinished = await reading
  if (report.cancelled || deps.signal?.aborted) return { ...report, cancelled: true }
  // Only the pages can stop it (by the deadline): they are a courtesy, the zip has the notebook.
  if (unfinished !== undefined) {
    log.warning(
      `The page of the executed notebook was not finished: ${errorMessage(unfinished)}. The notebook itself is with the other artifacts.`,
      { title: 'Notebook page not written' }
    )
  }
  if (failed.length > 0) report.problems.push(notDownloaded(report, listed.length, run.runId))
  return report
}

function emptyReport(path: string | undefined): ArtifactReport {
  return {
    path,
    downloaded: [],
    failed: [],
    problems: [],
    cancelled: false,
    notebooks: [],
    pages: []
  }
}

/** Downloads `listed` into `dir`; each retry is a warning. */
function fetchInto(
  listed: Array<Artifact & { file: string }>,
  dir: string,
  deps: CollectDependencies
): ReturnType<typeof downloadArtifacts> {
  return downloadArtifacts({
    artifacts: listed,
    dir,
    open: deps.open,
    clock: deps.clock,
    deadline: deps.deadline,
    retryCapMs: deps.retryCapMs,
    signal: deps.signal,
    slots: deps.downloads,
    onRetry: (artifact, error, attempt, delayMs) =>
      log.warning(
        `Downloading ${quote(artifact.name)} failed (attempt ${attempt}): ${errorMessage(error)}. Trying again from the start in ${formatDuration(delayMs)}.`
      )
  })
}

/** The run's artifacts with the safe file name each is written as; renames are logged. */
async function withFileNames(
  artifacts: Artifact[],
  dir: string
): Promise<Array<Artifact & { file: string }>> {
  const files = safeFileNames(
    artifacts.map(a => a.name),
    await readdir(dir)
  )
  const listed = artifacts.map((artifact, index) => ({ ...artifact, file: files[index] ?? '' }))
  const renamed = listed.filter(({ name, file }) => name !== file)
  for (const { name, file } of renamed.slice(0, MAX_RENAMES_LOGGED)) {
    log.info(`Artifact ${quote(name)} is saved as ${quote(file)}`)
  }
  if (renamed.length > MAX_RENAMES_LOGGED) {
    log.info(
      `... and ${renamed.length - MAX_RENAMES_LOGGED} more artifacts are saved under other names: the \`artifacts\` output maps each name to its file.`
    )
  }
  return listed
}

/** Uploads what arrived as one workflow artifact, by the deadline; fills in the report. */
async function upload(
  report: ArtifactReport,
  settings: ArtifactSettings,
  deps: CollectDependencies
): Promise<void> {
  const name = report.name ?? ''
  const dir = report.path ?? ''
  const { signal, cancel } = untilDeadline(
    deps,
    `uploading the workflow artifact ${quote(name)}; the files are kept in ${dir}`
  )
  try {
    const send = (): Promise<UploadedArtifact> =>
      uploadArtifact(
        report.downloaded.map(a => join(dir, a.file)),
        dir,
        {
          name,
          retentionDays: settings.retentionDays,
          compressionLevel: settings.compressionLevel,
          overwrite: settings.overwrite
        },
        deps.env,
        signal
      )
    report.uploaded = await uploadInTurn(deps.uploads, send, signal)
    log.info(`Uploaded the workflow artifact ${quote(name)} (ID ${report.uploaded.id})`)
  } catch (error) {
    if (deps.signal?.aborted) report.cancelled = true
    else if (error instanceof ArtifactServiceUnavailableError) log.warning(error.message)
    else report.problems.push(errorMessage(error))
  } finally {
    cancel()
  }
}

/** A signal that aborts when the job is cancelled or `timeout-minutes` runs out. */
function untilDeadline(
  deps: CollectDependencies,
  doing: string
): { signal: AbortSignal; cancel: () => void } {
  const timeUp = new AbortController()
  const timer = after(deps.deadline - deps.clock.now(), () =>
    timeUp.abort(new TimeoutError(`\`timeout-minutes\` ran out while ${doing}`))
  )
  const signal = deps.signal ? AbortSignal.any([deps.signal, timeUp.signal]) : timeUp.signal
  return { signal, cancel: () => timer.cancel() }
}

/** Reads each downloaded notebook in turn; an unreadable one says why, and changes nothing else. */
async function readNotebooks(
  notebooks: DownloadedArtifact[],
  dir: string,
  deps: CollectDependencies
): Promise<NotebookFinding[]> {
  if (notebooks.length === 0) return []
  // Loaded only when there is a notebook to read, so a step that reads none starts faster.
  const { readExecutedNotebook } = await import('../notebook/read.js')
  const { signal, cancel } = untilDeadline(deps, 'reading the executed notebook')
  const findings: NotebookFinding[] = []
  try {
    for (const { name, file } of notebooks) {
      const result = await readExecutedNotebook(join(dir, file), signal)
      findings.push({ name, ...result })
    }
  } finally {
    cancel()
  }
  return findings
}

/**
 * `artifacts: none`: only the executed notebooks are fetched, into a temporary folder that is
 * deleted once they are read (or not), so that a failure is explained whatever the artifact
 * settings and nothing is kept.
 */
async function notebooksOnly(run: FinishedRun, deps: CollectDependencies): Promise<ArtifactReport> {
  const report = emptyReport(undefined)
  const wanted = run.artifacts.filter(a => isNotebook(a.name))
  if (wanted.length === 0) return report
  log.info(
    `Fetching ${wanted.length} executed notebook(s) of run ${run.runId} to read them (\`artifacts: none\`: nothing is kept)`
  )
  report.notebooks = await inFreshFolder(
    runnerTemp(deps.env),
    `datalore-notebooks-${run.runId}-`,
    async dir => {
      const listed = await withFileNames(wanted, dir)
      const { downloaded, failed } = await fetchInto(listed, dir, deps)
      return [
        ...(await readNotebooks(downloaded, dir, deps)),
        ...failed.map(f => ({
          name: f.name,
          unreadable: `it could not be downloaded (${f.error})`
        }))
      ]
    }
  )
  report.cancelled = deps.signal?.aborted === true
  if (!report.cancelled) await compareValues(report, deps)
  return report
}

/** The values the notebooks read glued, and (with `baseline`) how they compare with the baseline's. */
async function compareValues(report: ArtifactReport, deps: CollectDependencies): Promise<void> {
  if (report.notebooks.length === 0) return
  report.values = valuesOf(report.notebooks)
  report.comparison = await deps.compare?.(report.values)
}

/** What each page's header shows of the run. */
function pageFacts(run: FinishedRun, about: RunAbout): PageContext['facts'] {
  return {
    notebookId: about.notebook && `${about.notebook.ownerId}/${about.notebook.notebookId}`,
    notebookUrl: about.notebookUrl,
    runId: run.runId,
    success: run.success,
    startTime: run.startTime,
    endTime: run.endTime,
    durationSeconds: secondsBetween(run.startTime, run.endTime),
    parameters: about.parameters
  }
}

function notDownloaded(report: ArtifactReport, count: number, runId: string): string {
  const { failed, downloaded } = report
  const more = failed.length - MAX_FAILURES_LISTED
  const list =
    failed
      .slice(0, MAX_FAILURES_LISTED)
      .map(f => `${quote(f.name)} (${clip(f.error, 300)})`)
      .join('; ') + (more > 0 ? `; and ${more} more` : '')
  const kept = report.uploaded != null ? 'uploaded' : `kept in ${report.path ?? ''}`
  const others = downloaded.length === 0 ? '' : ` The other ${downloaded.length} were ${kept}.`
  return `Could not download ${failed.length} of ${count} artifact(s) of run ${runId}: ${list}.${others}`
}

function noArtifacts(runId: string, ifNoArtifacts: ArtifactSettings['ifNoArtifacts']): string[] {
  const message = `Run ${runId} listed no artifacts.`
  if (ifNoArtifacts === 'error') return [`${message} (\`if-no-artifacts: error\`)`]
  if (ifNoArtifacts === 'warn')
    log.warning(`${message} Set \`if-no-artifacts: ignore\` if that is expected.`)
  return []
}

/** The name the workflow gave; else the default, which gives way to the step's other names. */
function artifactName(
  settings: ArtifactSettings,
  about: RunAbout,
  runId: string,
  env: NodeJS.ProcessEnv,
  names: ArtifactNames
): string {
  if (settings.name != null) return names.claimGiven(settings.name)
  const wanted = defaultArtifactName(about.notebook, runId, env)
  const name = names.claimDerived(wanted)
  if (name !== wanted) {
    log.info(
      `The workflow artifact is named ${quote(name)}: another workflow artifact of this step is named ${quote(wanted)}.`
    )
  }
  return name
}

/**
 * datalore-<owner>-<notebook>-<run-id>: unique per run, so matrix jobs do not collide; a re-run
 * of the job (attempt 2 and on) adds `-attempt-<n>`, since the first attempt's artifact stays.
 */
function defaultArtifactName(
  notebook: NotebookRef | undefined,
  runId: string,
  env: NodeJS.ProcessEnv
): string {
  const parts = notebook ? [notebook.ownerId, notebook.notebookId] : []
  const attempt = Number(env.GITHUB_RUN_ATTEMPT)
  const retry = Number.isInteger(attempt) && attempt > 1 ? [`attempt-${attempt}`] : []
  return ['datalore', ...parts, runId, ...retry].join('-')
}
