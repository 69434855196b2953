/**
 * The action's story, as the README tells it: read the inputs, start the run (or pick up an
 * earlier one), wait for it, collect what it produced, and report how it went, on every exit
 * path. The parts return what they found; this file alone writes it down.
 */
import * as core from '@actions/core'
import { collectArtifacts } from './artifacts/collect.js'
import { watchForCancel } from './cancel.js'
import { Clock, systemClock } from './clock.js'
import { DataloreClient } from './datalore/client.js'
import { formatDuration } from './format.js'
import { HttpTransport } from './http.js'
import type { Config, InteractiveStory, Story, SubmitStory } from './inputs/config.js'
import { notebookPath, notebookUrl } from './inputs/notebook-id.js'
import { GetInput, readInputs, readToken } from './inputs/read.js'
import { addSecret, log } from './log.js'
import * as record from './outcome.js'
import type { Outcome } from './outcome.js'
import { OutputWriter, outputWriter } from './outputs.js'
import { reportProgress } from './progress.js'
import { requestTimeout, submitRun } from './submit.js'
import { renderSummary, writeSummary } from './summary.js'
import { classify, explain, fail, judge } from './verdict.js'
import { waitForRun } from './wait.js'

const USER_AGENT = 'datalore-run-action'

export interface Dependencies {
  clock: Clock
  getInput: GetInput
  env: NodeJS.ProcessEnv
  /** Aborted with a CancelledError when the job is cancelled. */
  signal?: AbortSignal
}

/** What every part of the story needs. */
interface Step extends Dependencies {
  config: Config
  datalore: DataloreClient
  startedAt: number
  /** Monotonic time by which the whole step must be done (`timeout-minutes`). */
  deadline: number
  outcome: Outcome
  outputs: OutputWriter
}

export async function run(dependencies: Partial<Dependencies> = {}): Promise<void> {
  const cancel = dependencies.signal == null ? watchForCancel() : undefined
  const deps: Dependencies = {
    clock: systemClock,
    getInput: name => core.getInput(name),
    env: process.env,
    signal: cancel?.signal,
    ...dependencies
  }
  const startedAt = deps.clock.now()
  // Before anything else can print it.
  addSecret(readToken(deps.getInput, deps.env))
  const transport = new HttpTransport(USER_AGENT)
  const outputs = outputWriter()
  let outcome: Outcome = { host: '', mode: 'run', updateReport: 'never' }
  try {
    const config = readInputs(deps.getInput, deps.env)
    outcome = record.describe(config)
    const { story } = config
    const datalore = new DataloreClient(
      transport,
      { host: config.host, token: config.token },
      {
        notebookId: story.notebook && notebookPath(story.notebook),
        runId: story.kind === 'collect' ? story.runId : undefined
      }
    )
    const deadline = startedAt + config.timeoutMs
    const step: Step = { ...deps, config, datalore, startedAt, deadline, outcome, outputs }
    switch (story.kind) {
      case 'interactive':
        return await runInPlace(step, story)
      case 'submit':
        return await submitAndWait(step, story)
      case 'collect':
        return await seeThrough(step, story, story.runId)
    }
  } catch (error) {
    const { conclusion, title } = classify(error)
    outcome.conclusion = conclusion
    outcome.problem = explain(error, outcome)
    fail(outcome.problem, title)
  } finally {
    transport.close()
    cancel?.dispose()
    outputs.writeAll(outcome)
    await writeSummary(renderSummary(outcome))
  }
}

/** `mode: interactive`: Datalore runs the notebook in place and says nothing more. */
async function runInPlace(step: Step, story: InteractiveStory): Promise<void> {
  const notebookId = notebookPath(story.notebook)
  log.info(`Running notebook ${notebookId} on ${step.config.host} (interactive mode)`)
  const timeoutMs = requestTimeout(step.deadline, step.clock, 'the notebook could be started')
  await step.datalore.startInteractive(notebookId, timeoutMs, step.signal)
  step.outcome.conclusion = 'submitted'
  log.info(
    `Datalore accepted the run: ${step.outcome.notebookUrl}. Interactive mode has no run ID or status, so the action cannot tell whether the notebook succeeded.`
  )
}

async function submitAndWait(step: Step, story: SubmitStory): Promise<void> {
  const runId = await submitRun(step.datalore, story, {
    host: step.config.host,
    clock: step.clock,
    deadline: step.deadline,
    timeoutMs: step.config.timeoutMs,
    retryCapMs: step.config.pollIntervalMs,
    signal: step.signal
  })
  log.info(`Run ${runId} submitted: ${step.outcome.notebookUrl}`)
  if (story.wait) return seeThrough(step, story, runId)
  knowRun(step, runId)
  step.outcome.conclusion = 'submitted'
  log.info(`Not waiting (\`wait: false\`). Collect the run later with \`run-id: ${runId}\`.`)
}

/** Waits for the run, collects its artifacts, and judges the step by both. */
async function seeThrough(step: Step, story: Story, runId: string): Promise<void> {
  const { config, clock, outcome, signal } = step
  knowRun(step, runId)
  const progress = reportProgress(clock)
  const finished = await waitForRun({
    runId,
    getRun: timeoutMs => step.datalore.getRun(runId, timeoutMs, signal),
    clock,
    deadline: step.deadline,
    timeoutMs: config.timeoutMs,
    pollCapMs: config.pollIntervalMs,
    pollNow: story.kind === 'collect',
    signal,
    events: {
      ...progress,
      status: status => {
        record.recordStatus(outcome, status)
        progress.status?.(status)
      }
    }
  })
  record.recordFinished(outcome, finished)
  const waited = formatDuration(clock.now() - step.startedAt)
  log.info(`Run ${runId} ${finished.success ? 'succeeded' : 'failed'} (waited ${waited}).`)
  const about = {
    notebook: story.notebook,
    notebookUrl: story.notebook && notebookUrl(config.host, story.notebook),
    parameters: story.kind === 'submit' ? story.parameters : undefined
  }
  const report = await collectArtifacts(finished, about, config.artifacts, {
    open: (artifact, openSignal) => step.datalore.openArtifact(artifact, openSignal),
    clock,
    deadline: step.deadline,
    retryCapMs: config.pollIntervalMs,
    env: step.env,
    signal
  })
  if (report != null) record.recordArtifacts(outcome, report)
  signal?.throwIfAborted()
  Object.assign(
    outcome,
    judge({
      runId,
      success: finished.success,
      where: outcome.notebookUrl ?? config.host,
      failOnRunFailure: config.failOnRunFailure,
      artifactProblems: report?.problems ?? [],
      notebooks: config.artifacts.readNotebook ? (report?.notebooks ?? []) : undefined
    })
  )
}

/** The run ID is an output from the moment it is known: a later failure still leaves it behind. */
function knowRun(step: Step, runId: string): void {
  step.outcome.runId = runId
  step.outputs.writeRun(step.outcome)
}
