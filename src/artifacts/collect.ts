/**
 * After the run: fetch what it produced into `artifacts-path`, then upload it as one workflow
 * artifact. A failed run is collected too: its executed notebook is where the traceback is.
 */
import { mkdir, readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, type Clock } from '../clock.js'
import type { RunStatus } from '../datalore.js'
import { errorMessage, TimeoutError } from '../errors.js'
import { formatDuration } from '../format.js'
import type { HttpTransport } from '../http.js'
import type { Config } from '../inputs.js'
import { clip, log, quote } from '../log.js'
import type { Outcome } from '../outcome.js'
import { downloadArtifacts } from './download.js'
import { safeFileNames } from './file-names.js'
import { ArtifactServiceUnavailableError, uploadArtifact } from './upload.js'

/** A few lines of the log are enough; the outputs and the summary have the rest. */
const MAX_RENAMES_LOGGED = 20
const MAX_FAILURES_LISTED = 20

export interface CollectContext {
  config: Config
  outcome: Outcome
  transport: HttpTransport
  clock: Clock
  deadline: number
  env: NodeJS.ProcessEnv
  signal?: AbortSignal
}

/** Collects the run's artifacts into the outcome; returns the problems that fail the step. */
export async function collectArtifacts(run: RunStatus, context: CollectContext): Promise<string[]> {
  const { config, outcome, env } = context
  const settings = config.artifacts
  if (settings.mode === 'none') return []

  const dir = settings.path ?? join(env.RUNNER_TEMP || tmpdir(), 'datalore', run.runId)
  await mkdir(dir, { recursive: true })
  outcome.artifactsPath = dir
  outcome.artifacts = []
  if (run.artifacts.length === 0) return noArtifacts(run.runId, settings.ifNoArtifacts)

  const files = safeFileNames(
    run.artifacts.map(a => a.name),
    await readdir(dir)
  )
  const listed = run.artifacts.map((artifact, index) => ({ ...artifact, file: files[index] ?? '' }))
  const renamed = listed.filter(({ name, file }) => name !== file)
  for (const { name, file } of renamed.slice(0, MAX_RENAMES_LOGGED)) {
    log.info(`Artifact ${quote(name)} is saved as ${quote(file)}`)
  }
  if (renamed.length > MAX_RENAMES_LOGGED) {
    log.info(
      `... and ${renamed.length - MAX_RENAMES_LOGGED} more artifacts are saved under other names: the \`artifacts\` output maps each name to its file.`
    )
  }
  log.info(`Downloading ${listed.length} artifact(s) of run ${run.runId} to ${dir}`)
  const started = context.clock.now()
  const { downloaded, failed } = await downloadArtifacts({
    artifacts: listed,
    dir,
    host: config.host,
    token: config.token,
    transport: context.transport,
    clock: context.clock,
    deadline: context.deadline,
    retryCapMs: config.pollIntervalMs,
    signal: context.signal,
    onRetry: (artifact, error, attempt, delayMs) =>
      log.warning(
        `Downloading ${quote(artifact.name)} failed (attempt ${attempt}): ${errorMessage(error)}. Trying again from the start in ${formatDuration(delayMs)}.`
      )
  })
  outcome.artifacts = downloaded
  outcome.failedArtifacts = failed
  if (context.signal?.aborted) throw context.signal.reason
  const bytes = downloaded.reduce((sum, a) => sum + a.size, 0)
  log.info(
    `Downloaded ${downloaded.length} artifact(s), ${bytes} bytes, in ${formatDuration(context.clock.now() - started)}`
  )

  const problems: string[] = []
  if (settings.mode === 'upload' && downloaded.length > 0) {
    const name = settings.name ?? defaultArtifactName(config, run.runId, env)
    outcome.artifactName = name
    // The upload is part of the step too: `timeout-minutes` bounds it.
    const timeUp = new AbortController()
    const timer = after(context.deadline - context.clock.now(), () =>
      timeUp.abort(
        new TimeoutError(
          `\`timeout-minutes\` ran out while uploading the workflow artifact ${quote(name)}; the files are kept in ${dir}`
        )
      )
    )
    const signal = context.signal ? AbortSignal.any([context.signal, timeUp.signal]) : timeUp.signal
    try {
      outcome.uploaded = await uploadArtifact(
        downloaded.map(a => join(dir, a.file)),
        dir,
        {
          name,
          retentionDays: settings.retentionDays,
          compressionLevel: settings.compressionLevel,
          overwrite: settings.overwrite
        },
        env,
        signal
      )
      log.info(`Uploaded the workflow artifact ${quote(name)} (ID ${outcome.uploaded.id})`)
    } catch (error) {
      if (context.signal?.aborted) throw error
      if (error instanceof ArtifactServiceUnavailableError) log.warning(error.message)
      else problems.push(errorMessage(error))
    } finally {
      timer.cancel()
    }
  }
  if (failed.length > 0) {
    const list =
      failed
        .slice(0, MAX_FAILURES_LISTED)
        .map(f => `${quote(f.name)} (${clip(f.error, 300)})`)
        .join('; ') +
      (failed.length > MAX_FAILURES_LISTED
        ? `; and ${failed.length - MAX_FAILURES_LISTED} more`
        : '')
    const kept =
      settings.mode === 'upload' && outcome.uploaded != null ? 'uploaded' : `kept in ${dir}`
    const others = downloaded.length === 0 ? '' : ` The other ${downloaded.length} were ${kept}.`
    problems.push(
      `Could not download ${failed.length} of ${listed.length} artifact(s) of run ${run.runId}: ${list}.${others}`
    )
  }
  return problems
}

function noArtifacts(runId: string, ifNoArtifacts: Config['artifacts']['ifNoArtifacts']): string[] {
  const message = `Run ${runId} listed no artifacts.`
  if (ifNoArtifacts === 'error') return [`${message} (\`if-no-artifacts: error\`)`]
  if (ifNoArtifacts === 'warn')
    log.warning(`${message} Set \`if-no-artifacts: ignore\` if that is expected.`)
  return []
}

/**
 * datalore-<owner>-<notebook>-<run-id>: unique per run, so matrix jobs do not collide; a re-run
 * of the job (attempt 2 and on) adds `-attempt-<n>`, since the first attempt's artifact stays.
 */
function defaultArtifactName(config: Config, runId: string, env: NodeJS.ProcessEnv): string {
  const parts = config.notebook ? [config.notebook.ownerId, config.notebook.notebookId] : []
  const attempt = Number(env.GITHUB_RUN_ATTEMPT)
  const retry = Number.isInteger(attempt) && attempt > 1 ? [`attempt-${attempt}`] : []
  return ['datalore', ...parts, runId, ...retry].join('-')
}
