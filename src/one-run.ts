/**
 * One run's story through the Run API: submit it (or pick up an earlier one), wait for it,
 * collect what it produced, and judge it. A step of one notebook tells it once; a step of
 * several tells it for each, side by side.
 */
import type { ArtifactNames } from './artifacts/artifact-names.js'
import { collectArtifacts } from './artifacts/collect.js'
import type { RunBaseline } from './baseline/step.js'
import type { Clock } from './clock.js'
import { DataloreClient } from './datalore/client.js'
import { formatDuration } from './format.js'
import type { HttpTransport } from './http.js'
import type { Config, Story, SubmitStory } from './inputs/config.js'
import { notebookPath, notebookUrl } from './inputs/notebook-id.js'
import { log } from './log.js'
import * as record from './outcome.js'
import type { Outcome } from './outcome.js'
import { reportProgress } from './progress.js'
import type { Slots } from './slots.js'
import { submitRun } from './submit.js'
import { judge } from './verdict.js'
import { judgeChanges } from './fail-on-change.js'
import { waitForRun } from './wait.js'

export interface RunStep {
  config: Config
  datalore: DataloreClient
  clock: Clock
  env: NodeJS.ProcessEnv
  startedAt: number
  /** Monotonic time by which the whole step must be done (`timeout-minutes`). */
  deadline: number
  outcome: Outcome
  /** Aborted when the job is cancelled. */
  signal?: AbortSignal
  /** Ends the wait alone (`fail-fast`): a run already finished is still collected. */
  waitSignal?: AbortSignal
  /** Called with the run ID the moment it is known. */
  knowRun(runId: string): void
  /** Called when the run has finished, before its artifacts are fetched. */
  finished?(success: boolean): void
  /**
   * A run of several: no heartbeat of its own, transfers bounded for the whole step, and
   * artifact names that differ from every other run's.
   */
  several?: { downloads: Slots; uploads: Slots; names: ArtifactNames }
  /** The step's artifact names, for a run alone (one of several has them in `several`). */
  names?: ArtifactNames
  /** With `baseline`: compares the run's values with its baseline's, and settles it once judged. */
  baseline?: RunBaseline
}

/** A client for one story's requests: its messages name the story's notebook and run. */
export function clientFor(
  transport: HttpTransport,
  config: Config,
  story: Exclude<Story, { kind: 'many' }>
): DataloreClient {
  return new DataloreClient(
    transport,
    { host: config.host, token: config.token },
    {
      notebookId: story.notebook && notebookPath(story.notebook),
      runId: story.kind === 'collect' ? story.runId : undefined
    }
  )
}

export async function submitAndWait(step: RunStep, story: SubmitStory): Promise<void> {
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
  step.knowRun(runId)
  step.outcome.conclusion = 'submitted'
  log.info(`Not waiting (\`wait: false\`). Collect the run later with \`run-id: ${runId}\`.`)
}

/** Waits for the run, collects its artifacts, and judges it by both. */
export async function seeThrough(step: RunStep, story: Story, runId: string): Promise<void> {
  const { config, clock, outcome, signal, baseline } = step
  step.knowRun(runId)
  const progress = reportProgress(clock, undefined, undefined, step.several == null)
  const finished = await waitForRun({
    runId,
    getRun: timeoutMs => step.datalore.getRun(runId, timeoutMs, step.waitSignal ?? signal),
    clock,
    deadline: step.deadline,
    timeoutMs: config.timeoutMs,
    pollCapMs: config.pollIntervalMs,
    pollNow: story.kind === 'collect',
    signal: step.waitSignal ?? signal,
    events: {
      ...progress,
      status: status => {
        record.recordStatus(outcome, status)
        progress.status?.(status)
      }
    }
  })
  record.recordFinished(outcome, finished)
  step.finished?.(finished.success)
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
    signal,
    downloads: step.several?.downloads,
    uploads: step.several?.uploads,
    names: step.several?.names ?? step.names,
    compare: baseline && (values => baseline.compare(values))
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
      outOfTime: clock.now() >= step.deadline,
      notebooks: config.artifacts.readNotebook ? (report?.notebooks ?? []) : undefined,
      values: report?.values
    })
  )
  await baseline?.settle(outcome, runId)
  // Last: the summary, the outputs and every upload come first, whatever it decides.
  if (config.compare != null) judgeChanges(outcome, config.compare.failOnChange)
}
