/**
 * What the inputs say, as types. A step tells one of three stories, and the type says which:
 * only a submitted run has parameters, only a collected one starts from a run ID, and an
 * interactive run has neither. The settings every story shares sit beside it.
 */
import type { ToleranceRule } from '../compare/tolerance.js'
import type { Parameter, UpdateReport } from '../datalore/api.js'
import type { NotebookRef } from './notebook-id.js'

/** Start a run of the notebook through the Run API, and (unless `wait: false`) see it through. */
export interface SubmitStory {
  kind: 'submit'
  notebook: NotebookRef
  /** Undefined when the input is empty: older servers do not know the field. */
  parameters?: Parameter[]
  updateReport: UpdateReport
  directFileStorageWrite: boolean
  wait: boolean
  /**
   * With `baseline` or `comment`: the key its values are kept under (`datalore-values-<key>.json`)
   * and its comment is found by.
   */
  baselineKey?: string
}

/** Wait for (and collect) a run started earlier, e.g. by a step with `wait: false`. */
export interface CollectStory {
  kind: 'collect'
  runId: string
  /** Optional: without it there is no link to the notebook and the default name is shorter. */
  notebook?: NotebookRef
  /**
   * With `baseline` or `comment`: the key its values are kept under (`datalore-values-<key>.json`)
   * and its comment is found by.
   */
  baselineKey?: string
}

/** Run the notebook in place (`mode: interactive`): no run ID, status or artifacts. */
export interface InteractiveStory {
  kind: 'interactive'
  notebook: NotebookRef
}

/** One notebook of a `notebooks` list (or one run of a `runs` list given as `run-id`). */
export interface ManyEntry {
  /** A label for the log and the summary, unique in the list. */
  name: string
  story: SubmitStory | CollectStory
  /** The entry's own workflow artifact name; undefined for the default. */
  artifactName?: string
}

/** Several notebooks in one step: one runner waits for all of them. */
export interface ManyStory {
  kind: 'many'
  notebook?: undefined
  entries: ManyEntry[]
  /** How many runs may be in flight on Datalore at once. */
  maxParallel: number
  /** Stop submitting and waiting after the first failure. */
  failFast: boolean
  /** false: submit every run and stop; the `runs` output collects them later. */
  wait: boolean
}

export type Story = SubmitStory | CollectStory | InteractiveStory | ManyStory

export interface ArtifactSettings {
  /** upload: download, then upload as a workflow artifact; download: only to `path`; none. */
  mode: 'upload' | 'download' | 'none'
  /** Absolute; undefined for the default, <RUNNER_TEMP>/datalore/<run-id>. */
  path?: string
  /** Several runs: each writes into `<path>/<run-id>` (a folder of its own). */
  folderPerRun?: boolean
  /** Undefined for the default, datalore-<owner>-<notebook>-<run-id>. */
  name?: string
  retentionDays?: number
  compressionLevel: number
  ifNoArtifacts: 'warn' | 'error' | 'ignore'
  /** Replace a workflow artifact of the same name (a re-run's, say) instead of failing. */
  overwrite: boolean
  /** Read the executed notebooks (`.ipynb`): why it failed, what it computed. */
  readNotebook: boolean
  /** Hand back each executed notebook as a page for the browser. */
  notebookPage: boolean
}

/** Where the last good run is looked for, and what each run keeps for the next (`baseline`). */
export interface BaselineSettings {
  /** `auto`: the pull request's base branch on pull_request events, else the default branch. */
  branch: 'auto' | { name: string }
  /** Earlier values carried in each values artifact, newest last; 0: none. */
  historyLength: number
  /** Fail the step when no baseline is found. */
  required: boolean
}

/**
 * Comparing each run's values with those of the last good run on the base branch: where that
 * run is (`baseline`), how values may move before they count as changed (`tolerance`), and
 * whether a change fails the step (`fail-on-change`). One set for the whole step: an entry of
 * `notebooks` has no tolerance of its own.
 */
export interface CompareSettings {
  baseline: BaselineSettings
  /** The `tolerance` rules, first match wins; none: the default tolerance for every value. */
  tolerance: ToleranceRule[]
  /** Fail the step when a value is changed or removed beyond its tolerance. */
  failOnChange: boolean
}

/** `comment`: one comment on the pull request, kept current, per key or for the whole step. */
export interface CommentSettings {
  /** `on-failure-or-change`: created only then; once there, kept current whatever the result. */
  when: 'always' | 'on-failure-or-change'
  /** `key`: a comment per run's key (`baseline-key`); `step`: one for the whole step. */
  per: 'key' | 'step'
  /** `pull-request`: the number given; undefined: the pull request of the event. */
  pullRequest?: number
  /** `comment-per: step` with `baseline-key`: the key of the step's comment (else its entries'). */
  stepKey?: string
}

export interface Config {
  /** Base URL without a trailing slash, e.g. https://datalore.jetbrains.com */
  host: string
  token: string
  story: Story
  timeoutMs: number
  pollIntervalMs: number
  failOnRunFailure: boolean
  artifacts: ArtifactSettings
  /** Undefined with `baseline: off` (the default): nothing is compared, GitHub is never asked. */
  compare?: CompareSettings
  /** Undefined with `comment: off` (the default): no comment, and no request for one. */
  comment?: CommentSettings
  /** `github-token`, when a part of the step asks GitHub's API (`baseline`, `comment`). */
  githubToken?: string
}
