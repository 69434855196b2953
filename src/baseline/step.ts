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
import { compareRun, type RunComparison } from '../compare/run.js'
import { countByStatus, STATUSES } from '../compare/values.js'
import type { Values } from '../notebook/explain.js'
import type { Baseline, BaselineFinding } from './baseline.js'
import { BaselineLookup, type KeyResult } from './find.js'
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

  /** A run's baseline: its comparison, then its settling; undefined for a run without a key. */
  forRun(story: Story, names: ArtifactNames, uploads?: Slots): RunBaseline | undefined {
    if (story.kind === 'interactive' || story.kind === 'many' || story.baselineKey == null) {
      return undefined
    }
    const key = story.baselineKey
    // Looked up once per run: the comparison (before the page) and the settling share it.
    let found: Promise<KeyResult> | undefined
    const find = (): Promise<KeyResult> => (found ??= this.lookup.find(key))
    return {
      compare: async values => {
        const result = await find()
        return 'baseline' in result ? this.compare(result.baseline, values) : undefined
      },
      settle: async (outcome, runId) =>
        this.settle(key, await find(), outcome, runId, names, uploads)
    }
  }

  /** This run's values against the baseline's, as the tolerance says; said in one line. */
  private compare(baseline: Baseline, values: Values): RunComparison {
    const { config, settings } = this.options
    const comparison = compareRun(
      baseline,
      values.entries,
      config.compare?.tolerance ?? [],
      settings.historyLength
    )
    const counts = countByStatus(comparison.changes)
    const listed = STATUSES.map(status => `${counts[status]} ${status}`).join(', ')
    const ignored = comparison.ignored > 0 ? `, ${comparison.ignored} ignored` : ''
    log.info(`Compared with the baseline (workflow run ${baseline.runId}): ${listed}${ignored}.`)
    return comparison
  }

  private async settle(
    key: string,
    result: KeyResult,
    outcome: Outcome,
    dataloreRunId: string,
    names: ArtifactNames,
    uploads: Slots | undefined
  ): Promise<void> {
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

/** One run's baseline: ./step.ts. */
export interface RunBaseline {
  /**
   * This run's values compared with its baseline's, once both are there; undefined when it has
   * no baseline. It waits for the lookup, started with the step, whose requests all end by the
   * step's deadline; it rejects only when the job is cancelled.
   */
  compare(values: Values): Promise<RunComparison | undefined>
  /** Once the run has been judged: what was found, this run's values kept, `baseline-required`. */
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
