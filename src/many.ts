/**
 * Several notebooks in one step. Each run tells the one-run story (submit, wait, collect,
 * judge) side by side with the others: at most `max-parallel` in flight on Datalore, the
 * downloads and uploads of all of them bounded together, one heartbeat for the step. Every
 * line a run prints starts with its name; at the end the step is the worst of its runs, and
 * its message names every run that failed and every run still going on Datalore.
 */
import { dirname } from 'node:path'
import { ArtifactNames } from './artifacts/artifact-names.js'
import type { StepBaselines } from './baseline/step.js'
import { after, type Clock } from './clock.js'
import { CancelledError, TimeoutError } from './errors.js'
import { formatDuration } from './format.js'
import type { HttpTransport } from './http.js'
import type { Config, ManyEntry, ManyStory } from './inputs/config.js'
import { asRun, HeldAnnotation, listOf, log, RunLabel } from './log.js'
import { clientFor, seeThrough, submitAndWait } from './one-run.js'
import { CONCLUSIONS_WORST_FIRST, Conclusion, ManyOutcome, NamedOutcome } from './outcome.js'
import { HEARTBEAT_MS } from './progress.js'
import { Slots } from './slots.js'
import { manyHeadline } from './summary.js'
import { classify, explain, fail } from './verdict.js'

/** Downloads at once for the whole step, as for one run (see BENCHMARKS.md). */
const DOWNLOADS_AT_ONCE = 8
/** Uploads at once: each zips on the one CPU thread and holds its buffers. */
const UPLOADS_AT_ONCE = 2
/** GitHub shows at most 10 annotations of each kind per step. */
const ANNOTATIONS_PER_KIND = 10
/** Runs named in one line of the heartbeat. */
const HEARTBEAT_NAMES = 20
/** GitHub keeps at most this many workflow artifacts per job. */
const ARTIFACTS_PER_JOB = 500

export interface ManyStep {
  config: Config
  story: ManyStory
  transport: HttpTransport
  clock: Clock
  env: NodeJS.ProcessEnv
  signal?: AbortSignal
  startedAt: number
  deadline: number
  outcome: ManyOutcome
  /** With `baseline`: the step's lookup, started with the step. */
  baselines?: StepBaselines
}

/** Why a run was never submitted, when it was not. */
class NotSubmitted extends Error {}

export async function runMany(step: ManyStep): Promise<void> {
  const { story, outcome, clock } = step
  const total = story.entries.length
  // Before any request: names the workflow gave that the artifact service may take for one.
  const names = new ArtifactNames(
    story.entries.map(entry => entry.artifactName),
    step.baselines?.artifactNames
  )
  log.info(
    story.entries[0]?.story.kind === 'collect'
      ? `Collecting ${total} run(s) submitted earlier`
      : `Running ${total} notebook(s) on ${step.config.host}, at most ${story.maxParallel} at once${story.failFast ? ', stopping at the first failure (`fail-fast`)' : ''}`
  )
  warnOfArtifactLimit(step)
  // fail-fast ends the waiting and the queue, not the collection of runs already finished.
  const failedFast = new AbortController()
  const timeUp = new AbortController()
  const timer = after(step.deadline - clock.now(), () =>
    timeUp.abort(
      new TimeoutError(`\`timeout-minutes\` (${formatDuration(step.config.timeoutMs)}) ran out`)
    )
  )
  // A wait ends at the deadline by itself, with the run's last status: only fail-fast and a
  // cancel cut it short. The queue also closes at the deadline.
  const stopWaiting = AbortSignal.any([failedFast.signal, step.signal].filter(s => s != null))
  const closeQueue = AbortSignal.any([stopWaiting, timeUp.signal])
  const shared: Shared = {
    inFlight: new Slots(story.maxParallel),
    several: {
      downloads: new Slots(DOWNLOADS_AT_ONCE),
      uploads: new Slots(UPLOADS_AT_ONCE),
      names
    },
    stopWaiting,
    closeQueue,
    failFast: () => story.failFast && failedFast.abort(new NotSubmitted('`fail-fast`')),
    waiting: new Set()
  }
  const labels: RunLabel[] = story.entries.map(entry => ({ name: entry.name, held: [] }))
  const heartbeat = beat(step, shared.waiting)
  try {
    await Promise.all(
      story.entries.map((entry, index) => {
        const run = outcome.runs[index] as NamedOutcome
        const label = labels[index] as RunLabel
        return asRun(label, () => runEntry(step, shared, entry, run))
      })
    )
  } finally {
    timer.cancel()
    heartbeat.stop()
    await heartbeat.done
  }
  conclude(step, labels, closeQueue.reason)
}

/** Each run uploads a zip and a page: past GitHub's 500 per job, the last uploads would fail. */
function warnOfArtifactLimit(step: ManyStep): void {
  const { artifacts } = step.config
  if (artifacts.mode !== 'upload') return
  const perRun = artifacts.readNotebook && artifacts.notebookPage ? 2 : 1
  const most = step.story.entries.length * perRun
  if (most <= ARTIFACTS_PER_JOB) return
  log.warning(
    `${step.story.entries.length} runs may upload up to ${most} workflow artifacts (${perRun === 2 ? 'a zip and a page each' : 'one each'}), and GitHub keeps at most ${ARTIFACTS_PER_JOB} per job: uploads past that fail. Split the list across jobs${perRun === 2 ? ', or set `notebook-page: false`' : ''}.`,
    { title: 'More workflow artifacts than a job may have' }
  )
}

interface Shared {
  inFlight: Slots
  several: { downloads: Slots; uploads: Slots; names: ArtifactNames }
  /** Aborted by fail-fast or a cancel: no run waits or starts after it. */
  stopWaiting: AbortSignal
  /** ... nor after the deadline: no run starts. */
  closeQueue: AbortSignal
  failFast(): void
  /** Runs submitted and not yet finished, for the heartbeat. */
  waiting: Set<NamedOutcome>
}

/** One entry's run, start to end; whatever happens is written into `run`, never thrown. */
async function runEntry(
  step: ManyStep,
  shared: Shared,
  entry: ManyEntry,
  run: NamedOutcome
): Promise<void> {
  const { story } = entry
  let release: (() => void) | undefined
  /** Whether the run was (or is being) started: until then, a stop means it was never submitted. */
  let started = false
  const runStep = {
    ...step,
    config: { ...step.config, artifacts: { ...step.config.artifacts, name: entry.artifactName } },
    datalore: clientFor(step.transport, step.config, story),
    outcome: run,
    waitSignal: shared.stopWaiting,
    several: shared.several,
    baseline: step.baselines?.forRun(story, shared.several.names, shared.several.uploads),
    knowRun: (runId: string) => {
      run.runId = runId
      shared.waiting.add(run)
    },
    finished: (success: boolean) => {
      shared.waiting.delete(run)
      // Before its place goes to the next entry: fail-fast must stop that one.
      if (!success) shared.failFast()
      release?.()
    }
  }
  try {
    if (story.kind === 'submit') {
      // A run that is not waited for cannot hold a place: nothing says when it ends.
      if (story.wait) release = await shared.inFlight.take(shared.closeQueue)
      shared.closeQueue.throwIfAborted()
      // A place that frees up after the deadline (the clock may say so before the timer does).
      if (step.clock.now() >= step.deadline) throw new TimeoutError('`timeout-minutes` ran out')
    }
    started = true
    if (story.kind === 'collect') await seeThrough(runStep, story, story.runId)
    else await submitAndWait(runStep, story)
    // A run that succeeded can still fail the step: an artifact that did not arrive.
    if (run.conclusion === 'failure') shared.failFast()
  } catch (error) {
    shared.waiting.delete(run)
    if (!started) {
      run.conclusion = 'skipped'
      run.problem = `Not submitted: ${whyStopped(shared.closeQueue.reason ?? error)}.`
      log.info(run.problem)
    } else if (run.runId != null && run.success == null && stoppedByFailFast(shared, step)) {
      run.conclusion = 'submitted'
      run.problem = `Not waited for (\`fail-fast\`): run ${run.runId} keeps going on Datalore.`
      log.info(run.problem)
    } else {
      const { conclusion, title } = classify(error)
      run.conclusion = conclusion
      run.problem = explain(error, run)
      fail(run.problem, title)
      shared.failFast()
    }
  } finally {
    release?.()
  }
}

function stoppedByFailFast(shared: Shared, step: ManyStep): boolean {
  return shared.stopWaiting.reason instanceof NotSubmitted && step.signal?.aborted !== true
}

function whyStopped(reason: unknown): string {
  if (reason instanceof NotSubmitted) return 'an earlier run failed (`fail-fast`)'
  if (reason instanceof TimeoutError) return reason.message
  if (reason instanceof CancelledError) return 'the job was cancelled'
  return reason instanceof Error ? reason.message : String(reason)
}

/** One line a minute for the whole step: which runs are still going. */
function beat(step: ManyStep, waiting: Set<NamedOutcome>): { stop(): void; done: Promise<void> } {
  const stop = new AbortController()
  const done = (async () => {
    try {
      for (;;) {
        await step.clock.sleep(HEARTBEAT_MS, stop.signal)
        if (waiting.size === 0) continue
        const runs = [...waiting].map(
          run => `${run.name} (run ${run.runId}${run.status != null ? `, ${run.status}` : ''})`
        )
        log.info(
          `Still waiting after ${formatDuration(step.clock.now() - step.startedAt)} for ${waiting.size} run(s): ${listOf(runs, HEARTBEAT_NAMES)}`
        )
      }
    } catch {
      // Stopped.
    }
  })()
  return { stop: () => stop.abort(), done }
}

/** The step's end: the worst of its runs, a message naming them, the annotations they held. */
function conclude(step: ManyStep, labels: readonly RunLabel[], stopped: unknown): void {
  const { outcome, story } = step
  const { runs } = outcome
  // A cancel ends the step as such even when it came before any submit; the deadline, when it
  // kept an entry from being submitted (a run it cut short says so itself). A deadline that only
  // cut a courtesy short (a page's upload) leaves the runs' results as they are.
  const ended: Conclusion | undefined =
    step.signal?.aborted === true
      ? 'cancelled'
      : stopped instanceof TimeoutError && runs.some(r => r.conclusion === 'skipped')
        ? 'timed_out'
        : undefined
  const conclusions = [...runs.map(r => r.conclusion), ended]
  outcome.conclusion = CONCLUSIONS_WORST_FIRST.find(c => conclusions.includes(c)) ?? 'failure'
  if (story.wait) outcome.success = runs.every(r => r.success === true)
  const paths = runs.map(r => r.artifactsPath).filter(p => p != null)
  if (paths[0] != null) outcome.artifactsPath = dirname(paths[0])

  const named = (list: NamedOutcome[]): string =>
    listOf(
      list.map(r => (r.runId == null ? r.name : `${r.name} (run ${r.runId})`)),
      50
    )
  const failedStep = labels.filter(label => label.held.some(a => a.kind === 'error'))
  const failed = runs.filter(r => r.conclusion === 'failure')
  const going = runs.filter(
    r => r.runId != null && r.success == null && r.conclusion !== 'failure' && story.wait
  )
  const skipped = runs.filter(r => r.conclusion === 'skipped')
  const lines: string[] = []
  if (failed.length > 0) {
    lines.push(`${failed.length} of ${runs.length} run(s) failed: ${named(failed)}.`)
  }
  if (going.length > 0) {
    lines.push(
      `These runs keep going on Datalore (there is no API to cancel a run): ${named(going)}. Collect them later with \`run-id\` set to this step's \`runs\` output.`
    )
  }
  if (skipped.length > 0) {
    lines.push(`Not submitted: ${named(skipped)}.`)
  }
  if (lines.length > 0) outcome.problem = lines.join(' ')
  let annotated: HeldAnnotation['kind'] | undefined
  if (failedStep.length > 0 || ended != null) {
    fail(outcome.problem ?? 'Some runs did not succeed.', manyHeadline(outcome))
    annotated = 'error'
  } else if (outcome.problem != null) {
    // `fail-on-run-failure: false`: the runs failed, the step does not.
    log.warning(outcome.problem, { title: manyHeadline(outcome) })
    annotated = 'warning'
  } else {
    log.info(`All ${runs.length} run(s) ${story.wait ? 'succeeded' : 'were submitted'}.`)
  }
  printHeld(labels, annotated)
}

/**
 * The annotations the runs held, as many as GitHub shows (10 of a kind per step, one error
 * already taken by the step's own): the first ones, then one that says how many more the log
 * has. Each is titled with its run's name.
 */
function printHeld(labels: readonly RunLabel[], stepAnnotation?: HeldAnnotation['kind']): void {
  const held: Array<HeldAnnotation & { run: string }> = labels.flatMap(label =>
    label.held.map(a => ({ ...a, run: label.name }))
  )
  for (const kind of ['error', 'warning', 'notice'] as const) {
    const ofKind = held.filter(a => a.kind === kind)
    const room = ANNOTATIONS_PER_KIND - (stepAnnotation === kind ? 1 : 0)
    const shown = ofKind.length > room ? ofKind.slice(0, room - 1) : ofKind
    for (const a of shown) {
      log[kind](a.message, { title: `${a.run}: ${a.title ?? 'Datalore run'}` })
    }
    if (shown.length < ofKind.length) {
      const more = ofKind.length - shown.length
      log[kind](
        `... and ${more} more from the runs: each is in the step's log, on a line that starts with its run's name.`,
        { title: `${more} more` }
      )
    }
  }
}
