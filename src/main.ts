/**
 * The action's story, as the README tells it: read the inputs, submit the run (or pick up an
 * earlier one), wait for it, and report how it went, on every exit path.
 */
import * as core from '@actions/core'
import { collectArtifacts } from './artifacts/collect.js'
import { watchForCancel } from './cancel.js'
import { Clock, systemClock } from './clock.js'
import { DataloreClient, SUBMIT_TIMEOUT_MS } from './datalore.js'
import { CancelledError, errorMessage, InputError, TimeoutError } from './errors.js'
import { HttpTransport } from './http.js'
import { Config, readInputs, readToken } from './inputs.js'
import { addSecret, listOf, log } from './log.js'
import { notebookPath, notebookUrl } from './notebook-id.js'
import { Outcome } from './outcome.js'
import { reportProgress } from './progress.js'
import { writeOutputs, writeRunOutputs } from './outputs.js'
import { isSafeToResubmit, retrying } from './retry.js'
import { renderSummary, writeSummary } from './summary.js'
import { formatDuration } from './format.js'
import { FinishedRun, waitForRun } from './wait.js'

const USER_AGENT = 'datalore-run-action'
/** Submitting is retried only when it provably did not start a run; this many times at most. */
const SUBMIT_ATTEMPTS = 5

export interface Dependencies {
  clock: Clock
  getInput: (name: string) => string
  env: NodeJS.ProcessEnv
  /** Aborted with a CancelledError when the job is cancelled. */
  signal?: AbortSignal
}

export async function run(dependencies?: Partial<Dependencies>): Promise<void> {
  const cancel = dependencies?.signal == null ? watchForCancel() : undefined
  const { clock, getInput, env, signal } = {
    clock: systemClock,
    getInput: (name: string) => core.getInput(name),
    env: process.env,
    signal: cancel?.signal,
    ...dependencies
  }
  const startedAt = clock.now()
  // Before anything else can print it.
  addSecret(readToken(getInput, env))

  const transport = new HttpTransport(USER_AGENT)
  const outcome: Outcome = { host: '', mode: 'run', updateReport: 'never' }
  try {
    const config = readInputs(getInput, env)
    Object.assign(outcome, describe(config))
    const datalore = new DataloreClient(transport, {
      host: config.host,
      token: config.token,
      notebookId: outcome.notebookId,
      runId: config.runId
    })
    const deadline = startedAt + config.timeoutMs

    if (config.mode === 'interactive') {
      log.info(
        `Running notebook ${outcome.notebookId} in place on ${config.host} (interactive mode)`
      )
      await datalore.startInteractive(
        outcome.notebookId ?? '',
        requestTimeout(deadline, clock, 'the notebook could be started'),
        signal
      )
      outcome.conclusion = 'submitted'
      log.info(
        `Datalore accepted the run: ${outcome.notebookUrl}. Interactive mode has no run ID or status, so the action cannot tell whether the notebook succeeded.`
      )
      return
    }

    outcome.runId =
      config.runId ?? (await submit(datalore, config, outcome, deadline, clock, signal))
    writeRunOutputs(outcome)
    if (!config.wait) {
      outcome.conclusion = 'submitted'
      log.info(
        `Not waiting (\`wait: false\`). Collect the run later with \`run-id: ${outcome.runId}\`.`
      )
      return
    }

    const finished = await waitForRun({
      runId: outcome.runId,
      getRun: timeoutMs => datalore.getRun(outcome.runId ?? '', timeoutMs, signal),
      clock,
      deadline,
      timeoutMs: config.timeoutMs,
      pollCapMs: config.pollIntervalMs,
      pollNow: config.runId != null,
      signal,
      events: reportProgress(outcome, clock)
    })
    recordFinished(outcome, finished, config)
    log.info(
      `Run ${outcome.runId} ${finished.success ? 'succeeded' : 'failed'} (waited ${formatDuration(clock.now() - startedAt)}).`
    )
    const problems = await collectArtifacts(finished, {
      config,
      outcome,
      transport,
      clock,
      deadline,
      env,
      signal
    })
    judge(outcome, config, problems)
  } catch (error) {
    outcome.conclusion =
      error instanceof TimeoutError
        ? 'timed_out'
        : error instanceof CancelledError
          ? 'cancelled'
          : 'failure'
    outcome.problem = explain(error, outcome)
    fail(outcome.problem, titleFor(error))
  } finally {
    transport.close()
    cancel?.dispose()
    writeOutputs(outcome)
    await writeSummary(renderSummary(outcome))
  }
}

function describe(config: Config): Partial<Outcome> {
  return {
    host: config.host,
    mode: config.mode,
    notebookId: config.notebook && notebookPath(config.notebook),
    notebookUrl: config.notebook && notebookUrl(config.host, config.notebook),
    parameters: config.parameters,
    updateReport: config.updateReport
  }
}

function recordFinished(outcome: Outcome, finished: FinishedRun, config: Config): void {
  outcome.conclusion = finished.success ? 'success' : 'failure'
  outcome.success = finished.success
  outcome.reportUpdated = finished.success && config.updateReport === 'on success'
}

/** The step fails when the notebook failed (unless told otherwise) or an artifact went missing. */
function judge(outcome: Outcome, config: Config, artifactProblems: string[]): void {
  if (outcome.success === false) {
    const message = `The notebook run failed (Datalore run ${outcome.runId}): see ${outcome.notebookUrl ?? config.host} for the cells' output.`
    outcome.problem = message
    if (config.failOnRunFailure) {
      fail(message, 'Datalore run failed')
    } else {
      log.warning(`${message} The step succeeds because \`fail-on-run-failure\` is false.`, {
        title: 'Datalore run failed'
      })
    }
  }
  for (const problem of artifactProblems) fail(problem, 'Datalore artifacts')
  if (artifactProblems.length > 0) {
    outcome.conclusion = 'failure'
    outcome.problem = [outcome.problem, ...artifactProblems].filter(p => p != null).join(' ')
  }
}

async function submit(
  datalore: DataloreClient,
  config: Config,
  outcome: Outcome,
  deadline: number,
  clock: Clock,
  signal?: AbortSignal
): Promise<string> {
  const names = config.parameters && listOf(config.parameters.map(p => p.name))
  log.info(
    `Starting a run of notebook ${outcome.notebookId} on ${config.host}${names ? ` with parameters ${names}` : ''} (update report: ${config.updateReport})`
  )
  const request = {
    notebookId: outcome.notebookId ?? '',
    updateReport: config.updateReport,
    ...(config.directFileStorageWrite ? { directFileStorageWrite: true as const } : {}),
    ...(config.parameters != null ? { parameters: config.parameters } : {})
  }
  const attempt = async (): Promise<string> => {
    const timeoutMs = requestTimeout(deadline, clock, 'the run could be submitted')
    try {
      return await datalore.startRun(request, timeoutMs, signal)
    } catch (error) {
      if (signal?.aborted || clock.now() < deadline) throw error
      throw new TimeoutError(
        `\`timeout-minutes\` (${formatDuration(config.timeoutMs)}) ran out while submitting the run (${errorMessage(error)}). If the request had reached Datalore, a run may have started: check the notebook's run history.`
      )
    }
  }
  const runId = await retrying(attempt, {
    shouldRetry: isSafeToResubmit,
    maxAttempts: SUBMIT_ATTEMPTS,
    capMs: config.pollIntervalMs,
    deadline,
    clock,
    signal,
    onRetry: (error, attempt, delayMs) =>
      log.warning(
        `Could not submit the run (attempt ${attempt} of ${SUBMIT_ATTEMPTS}): ${errorMessage(error)}. No run was started; trying again in ${formatDuration(delayMs)}.`
      )
  })
  log.info(`Run ${runId} submitted: ${outcome.notebookUrl}`)
  return runId
}

function explain(error: unknown, outcome: Outcome): string {
  if (!(error instanceof CancelledError)) return errorMessage(error)
  if (outcome.success != null) {
    const missing = outcome.failedArtifacts?.map(f => f.name) ?? []
    const notDownloaded =
      missing.length > 0 ? ` These artifacts were not downloaded: ${listOf(missing)}.` : ''
    const kept =
      outcome.artifactsPath != null ? ` What was downloaded is in ${outcome.artifactsPath}.` : ''
    return `${error.message} The Datalore run ${outcome.runId} had finished (success: ${outcome.success}).${notDownloaded}${kept}`
  }
  return outcome.runId != null
    ? `${error.message} The Datalore run ${outcome.runId} keeps running: there is no API to cancel it. Collect it later with \`run-id: ${outcome.runId}\`.`
    : `${error.message} If the request to start the run had already reached Datalore, a run may have started: check the notebook's run history.`
}

/** How long a request to start a run may take: at most the time left, and never past the deadline. */
function requestTimeout(deadline: number, clock: Clock, what: string): number {
  const left = deadline - clock.now()
  if (left <= 0) throw new TimeoutError(`\`timeout-minutes\` ran out before ${what}.`)
  return Math.min(SUBMIT_TIMEOUT_MS, left)
}

function titleFor(error: unknown): string {
  if (error instanceof InputError) return `Invalid input ${error.input}`
  if (error instanceof TimeoutError) return 'Datalore run timed out'
  if (error instanceof CancelledError) return 'Cancelled'
  return 'Datalore run action failed'
}

function fail(message: string, title: string): void {
  log.error(message, { title })
  process.exitCode = core.ExitCode.Failure
}
