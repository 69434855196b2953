/**
 * The action's story, as the README tells it: read the inputs, start the run (or pick up an
 * earlier one), wait for it, collect what it produced, and report how it went, on every exit
 * path. The parts return what they found; this file alone writes it down.
 */
import * as core from '@actions/core'
import { ArtifactNames } from './artifacts/artifact-names.js'
import { startBaselines, StepBaselines } from './baseline/step.js'
import { watchForCancel } from './cancel.js'
import { Clock, systemClock } from './clock.js'
import { commentOnPullRequest } from './comment/step.js'
import type { DataloreClient } from './datalore/client.js'
import { errorMessage } from './errors.js'
import { HttpTransport } from './http.js'
import { readGitHubToken } from './inputs/baseline.js'
import type { Config, InteractiveStory, Story } from './inputs/config.js'
import { notebookPath } from './inputs/notebook-id.js'
import { GetInput, readInputs, readToken } from './inputs/read.js'
import { addSecret, log } from './log.js'
import { runMany } from './many.js'
import { clientFor, RunStep, seeThrough, submitAndWait } from './one-run.js'
import * as record from './outcome.js'
import type { Outcome, StepOutcome } from './outcome.js'
import { OutputWriter, outputWriter } from './outputs.js'
import { requestTimeout } from './submit.js'
import { renderSummary, writeSummary } from './summary.js'
import { classify, explain, fail } from './verdict.js'

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
  /** With `baseline`: the step's lookup, started with the step. */
  baselines?: StepBaselines
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
  addSecret(readGitHubToken(deps.getInput))
  const transport = new HttpTransport(USER_AGENT)
  const outputs = outputWriter()
  let outcome: StepOutcome = { host: '', mode: 'run', updateReport: 'never' }
  let baselines: StepBaselines | undefined
  let config: Config | undefined
  try {
    config = readInputs(deps.getInput, deps.env)
    const { story } = config
    const deadline = startedAt + config.timeoutMs
    baselines = startBaselines(config, { ...deps, transport, deadline })
    if (story.kind === 'many') {
      const many = record.describeMany(config, story)
      outcome = many
      return await runMany({
        ...deps,
        config,
        story,
        transport,
        startedAt,
        deadline,
        outcome: many,
        baselines
      })
    }
    const one = record.describe(config, story)
    outcome = one
    const datalore = clientFor(transport, config, story)
    const step: Step = {
      ...deps,
      config,
      datalore,
      startedAt,
      deadline,
      outcome: one,
      outputs,
      baselines
    }
    switch (story.kind) {
      case 'interactive':
        return await runInPlace(step, story)
      case 'submit':
        return await submitAndWait(oneRun(step, story), story)
      case 'collect':
        return await seeThrough(oneRun(step, story), story, story.runId)
    }
  } catch (error) {
    const { conclusion, title } = classify(error)
    outcome.conclusion = conclusion
    outcome.problem = outcome.mode === 'many' ? errorMessage(error) : explain(error, outcome)
    fail(outcome.problem, title)
  } finally {
    baselines?.close()
    transport.close()
    outputs.writeAll(outcome)
    await writeSummary(renderSummary(outcome))
    // Once the result is written: nothing the comment does can hide or change it.
    if (config?.comment != null) {
      await commentOnPullRequest(outcome, { ...deps, config, transport })
      outputs.writeAll(outcome)
    }
    cancel?.dispose()
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

/** The step's one run. Its ID is an output from the moment it is known: a later failure still leaves it behind. */
function oneRun(step: Step, story: Story): RunStep {
  const names = new ArtifactNames([], step.baselines?.artifactNames)
  return {
    ...step,
    names,
    baseline: step.baselines?.forRun(story, names),
    knowRun: runId => {
      step.outcome.runId = runId
      step.outputs.writeRun(step.outcome)
    }
  }
}
