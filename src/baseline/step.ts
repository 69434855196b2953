/**
 * `baseline` in a step: the lookup starts with the step (./find.ts), beside the Datalore runs;
 * when a run has been judged, it takes its key's baseline, keeps its own values for the runs
 * after it (the values artifact, with the history carried on from the baseline), and fails when
 * there is no baseline and one is required. What it found goes into the run's outcome, for the
 * outputs and the summary; the comparison takes it from there.
 *
 * A failed Datalore run keeps its values too, with its conclusion: they show what it computed,
 * and the lookup passes over them (only a file whose conclusion is success is a baseline). A run
 * whose notebook was not read (it timed out, was cancelled, listed no notebook) keeps nothing.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ArtifactNames } from '../artifacts/artifact-names.js'
import { inFreshFolder, runnerTemp } from '../artifacts/temporary.js'
import {
  ArtifactServiceUnavailableError,
  uploadArtifact,
  uploadInTurn
} from '../artifacts/upload.js'
import { after, type Clock } from '../clock.js'
import { errorMessage, TimeoutError } from '../errors.js'
import { GitHubContext, readGitHubContext, workflowRunUrl } from '../github/context.js'
import type { HttpTransport } from '../http.js'
import { valuesArtifactName } from '../inputs/baseline.js'
import type { BaselineSettings, Config, Story } from '../inputs/config.js'
import { log, quote } from '../log.js'
import type { Outcome } from '../outcome.js'
import type { Slots } from '../slots.js'
import { fail } from '../verdict.js'
import type { BaselineFinding } from './baseline.js'
import { BaselineLookup } from './find.js'
import { carriedHistory, VALUES_SCHEMA_VERSION, writeValuesFile } from './values-file.js'

export interface BaselineStepOptions {
  config: Config
  settings: BaselineSettings
  githubToken: string
  env: NodeJS.ProcessEnv
  transport: HttpTransport
  clock: Clock
  deadline: number
  signal?: AbortSignal
}

/** The keys of a step's runs, in entry order. */
export function baselineKeys(story: Story): string[] {
  const stories = story.kind === 'many' ? story.entries.map(entry => entry.story) : [story]
  return stories.flatMap(s =>
    s.kind === 'interactive' || s.baselineKey == null ? [] : [s.baselineKey]
  )
}

/** The step's baselines: one lookup for every key, started at once. */
export class StepBaselines {
  private readonly lookup: BaselineLookup
  /** The values artifacts' names: reserved before any run, none may take them. */
  readonly artifactNames: string[]

  constructor(private readonly options: BaselineStepOptions) {
    const keys = baselineKeys(options.config.story)
    this.artifactNames = keys.map(valuesArtifactName)
    this.lookup = new BaselineLookup({ ...options, keys })
  }

  /** The step is over: whatever the lookup still does is not needed (a run failed early). */
  close(): void {
    this.lookup.stop()
  }

  /** What settles a run's baseline once it has been judged; undefined for a run without a key. */
  forRun(story: Story, names: ArtifactNames, uploads?: Slots): RunBaseline | undefined {
    if (story.kind === 'interactive' || story.kind === 'many' || story.baselineKey == null) {
      return undefined
    }
    const key = story.baselineKey
    return { settle: (outcome, runId) => this.settle(key, outcome, runId, names, uploads) }
  }

  private async settle(
    key: string,
    outcome: Outcome,
    dataloreRunId: string,
    names: ArtifactNames,
    uploads: Slots | undefined
  ): Promise<void> {
    const result = await this.lookup.find(key)
    const finding: BaselineFinding = { key }
    outcome.baseline = finding
    if ('baseline' in result) {
      const { baseline } = result
      finding.baseline = baseline
      log.info(
        `Baseline: workflow run ${baseline.runId} on ${quote(baseline.branch)} (commit ${baseline.sha.slice(0, 7)}, ${baseline.createdAt}) ${baseline.url}`
      )
    } else {
      finding.none = result.none
      if (result.warning != null) log.warning(result.warning, { title: 'Baseline not used' })
      else log.info(result.none)
    }
    await this.keep(finding, outcome, dataloreRunId, names, uploads)
    if (finding.baseline == null && this.options.settings.required) {
      const problem = `${finding.none ?? 'No baseline.'} The step fails: \`baseline-required\` is true.`
      outcome.conclusion = 'failure'
      outcome.problem = outcome.problem == null ? problem : `${outcome.problem} ${problem}`
      fail(problem, 'No baseline')
    }
  }

  /** Uploads the run's values as `datalore-values-<key>.json`; a failure is a warning. */
  private async keep(
    finding: BaselineFinding,
    outcome: Outcome,
    dataloreRunId: string,
    names: ArtifactNames,
    uploads: Slots | undefined
  ): Promise<void> {
    const { env, signal, clock, deadline } = this.options
    if (outcome.values == null) {
      log.info('No values kept for the runs after this one: no executed notebook was read.')
      return
    }
    const name = names.claimGiven(valuesArtifactName(finding.key))
    const timeUp = new AbortController()
    const timer = after(deadline - clock.now(), () =>
      timeUp.abort(new TimeoutError('`timeout-minutes` ran out while keeping the values'))
    )
    const stop = signal == null ? timeUp.signal : AbortSignal.any([signal, timeUp.signal])
    try {
      const context = readGitHubContext(env)
      // Written to a scratch folder of its own, removed on every way out.
      const uploaded = await inFreshFolder(
        runnerTemp(env),
        `datalore-values-${dataloreRunId}-`,
        async dir => {
          const file = join(dir, name)
          await writeFile(file, this.valuesFile(finding, outcome, dataloreRunId, context))
          const settings = {
            name,
            retentionDays: this.options.config.artifacts.retentionDays,
            compressionLevel: 0,
            // A re-run's attempt replaces the first attempt's values, which stay in the run.
            overwrite: this.options.config.artifacts.overwrite || context.runAttempt > 1,
            skipArchive: true
          }
          const send = () => uploadArtifact([file], dir, settings, env, stop)
          return uploadInTurn(uploads, send, stop)
        }
      )
      finding.uploaded = { ...uploaded, name }
      log.info(
        `Kept this run's values as the workflow artifact ${quote(name)} (ID ${uploaded.id}).`
      )
    } catch (error) {
      signal?.throwIfAborted()
      log.warning(
        `This run's values were not kept as ${quote(name)} (${whyNotKept(error)}): the runs after it will not find them as their baseline.`,
        { title: 'Values not kept' }
      )
    } finally {
      timer.cancel()
    }
  }

  /** The values file of the run, with the history carried on from its baseline. */
  private valuesFile(
    finding: BaselineFinding,
    outcome: Outcome,
    dataloreRunId: string,
    context: GitHubContext
  ): string {
    return writeValuesFile({
      schemaVersion: VALUES_SCHEMA_VERSION,
      key: finding.key,
      notebook: { id: outcome.notebookId, url: outcome.notebookUrl, dataloreRunId },
      workflowRun: {
        id: context.runId,
        attempt: context.runAttempt,
        sha: context.sha,
        ref: context.ref,
        event: context.eventName,
        url: workflowRunUrl(context, context.runId, context.runAttempt),
        time: new Date().toISOString()
      },
      conclusion: outcome.conclusion ?? 'failure',
      values: outcome.values?.entries ?? [],
      history: carriedHistory(finding.baseline?.file, this.options.settings.historyLength)
    })
  }
}

function whyNotKept(error: unknown): string {
  if (error instanceof ArtifactServiceUnavailableError) {
    return 'the artifact service is not available here'
  }
  const message = errorMessage(error)
  return /already exists/.test(message)
    ? 'another job of this workflow run kept values under the same key: give each job its own `baseline-key`'
    : message
}

/** Settles one run's baseline after it was judged: ./step.ts. */
export interface RunBaseline {
  settle(outcome: Outcome, dataloreRunId: string): Promise<void>
}

/** The step's baselines, started; undefined with `baseline: off`. */
export function startBaselines(
  config: Config,
  options: Omit<BaselineStepOptions, 'config' | 'settings' | 'githubToken'>
): StepBaselines | undefined {
  const settings = config.compare?.baseline
  if (settings == null || config.githubToken == null) return undefined
  return new StepBaselines({ ...options, config, settings, githubToken: config.githubToken })
}
