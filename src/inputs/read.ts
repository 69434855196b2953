/**
 * Every input, read and checked once, before any request. Nothing else in the action calls
 * `core.getInput`: the rest works on the typed `Config` this returns.
 */
import { resolve } from 'node:path'
import type { Parameter, UpdateReport } from '../datalore/api.js'
import { InputError } from '../errors.js'
import { isSafeSegment, MAX_SEGMENT_LENGTH } from '../identifiers.js'
import { quote } from '../log.js'
import { checkArtifactName } from './artifact-name.js'
import {
  checkGitHubToken,
  readCompareSettings,
  readGitHubToken,
  withBaselineKeys,
  withRunKeys
} from './baseline.js'
import { readCommentSettings } from './comment.js'
import type { ArtifactSettings, Config, ManyEntry, ManyStory, Story } from './config.js'
import { CLOUD_HOST, parseHost } from './host.js'
import { Inputs } from './names.js'
import { NotebookRef, parseNotebookId } from './notebook-id.js'
import { MAX_ENTRIES, parseNotebookList, parseRunList } from './notebooks.js'
import { parseParameters } from './parameters.js'
import { Input, readBoolean, readChoice, readDuration, readInteger } from './values.js'

/** Reads one input; empty string when not set (the runner passes `INPUT_<NAME>`). */
export type GetInput = (name: string) => string

/** Reads the token alone, so that it can be masked before any other input is looked at. */
export function readToken(getInput: GetInput, env: NodeJS.ProcessEnv): string {
  return (getInput(Inputs.Token) || env.DATALORE_TOKEN || '').trim()
}

export function readInputs(getInput: GetInput, env: NodeJS.ProcessEnv): Config {
  const input: Input = name => getInput(name).trim()
  const token = checkToken(readToken(getInput, env))
  const target = readTarget(input)
  const submit = readSubmitSettings(input, getInput)
  const artifacts = readArtifactSettings(input)
  const many = readMany(input, getInput, target, submit, artifacts)
  const story = many?.story ?? toStory(target, submit)
  const comment = readCommentSettings(input, story)
  const compare = readCompareSettings(input, comment != null)
  return {
    host: many?.host ?? target.host,
    token,
    story:
      compare != null
        ? withBaselineKeys(story, input, artifacts.readNotebook)
        : comment != null
          ? withRunKeys(story, input, '`comment`')
          : story,
    timeoutMs: readDuration(input, Inputs.TimeoutMinutes, {
      fallback: 120,
      unitMs: 60_000,
      min: 0.01,
      max: 43_200,
      example: '`timeout-minutes: 30`'
    }),
    // Below 0.1 s, "polling" would be hammering the server.
    pollIntervalMs: readDuration(input, Inputs.PollIntervalSeconds, {
      fallback: 10,
      unitMs: 1_000,
      min: 0.1,
      max: 3_600,
      example: '`poll-interval-seconds: 10`'
    }),
    failOnRunFailure: readBoolean(input, Inputs.FailOnRunFailure, true),
    artifacts: many == null ? artifacts : { ...artifacts, folderPerRun: true },
    ...(compare == null ? {} : { compare }),
    ...(comment == null ? {} : { comment }),
    ...(compare == null && comment == null
      ? {}
      : { githubToken: checkGitHubToken(readGitHubToken(getInput), compare != null) })
  }
}

function checkToken(token: string): string {
  if (token === '') {
    throw new InputError(
      Inputs.Token,
      'is empty and DATALORE_TOKEN is not set: the Run API needs a Datalore API token',
      '`token: ${{ secrets.DATALORE_TOKEN }}` (create one under Account settings -> API tokens)'
    )
  }
  if (/\s/.test(token)) {
    throw new InputError(
      Inputs.Token,
      'contains whitespace; an API token is a single word (was more than the token pasted into the secret?)',
      '`token: ${{ secrets.DATALORE_TOKEN }}`'
    )
  }
  return token
}

/** Which Datalore, which notebook, which run: `host`, `notebook-id` and `run-id` together. */
interface Target {
  host: string
  /** The `host` input as given, when it was. */
  hostGiven?: string
  allowInsecureHttp: boolean
  notebook?: NotebookRef
  runId?: string
  /** `run-id` given as a list: the `runs` output of an earlier step. */
  runs?: ManyEntry[]
}

function readTarget(input: Input): Target {
  const allowInsecureHttp = readBoolean(input, Inputs.AllowInsecureHttp, false)
  const runIdText = input(Inputs.RunId)
  const runs = /^[[-]/.test(runIdText) ? parseRunList(runIdText) : undefined
  const runId = runs == null ? runIdText || undefined : undefined
  if (runId != null && !isSafeSegment(runId)) {
    throw new InputError(
      Inputs.RunId,
      `must be a run ID as the \`run-id\` output of an earlier step gives it (letters, digits, ".", "_", "~" or "-", at most ${MAX_SEGMENT_LENGTH}), got ${quote(runId)}`,
      '`run-id: ${{ steps.submit.outputs.run-id }}`'
    )
  }
  const hostText = input(Inputs.Host)
  const host = hostText === '' ? undefined : parseHost(Inputs.Host, hostText, allowInsecureHttp)
  const known = { hostGiven: host, allowInsecureHttp, runId, runs }
  const notebookText = input(Inputs.NotebookId)
  if (notebookText === '') return { host: host ?? CLOUD_HOST, ...known }
  const parsed = parseNotebookId(notebookText, allowInsecureHttp)
  const { notebook } = parsed
  if (parsed.host != null && host != null && host !== parsed.host) {
    throw new InputError(
      Inputs.NotebookId,
      `is a URL on ${parsed.host}, but \`host\` is ${host}; they must name the same Datalore server`,
      `leave \`host\` empty and pass the URL, or \`notebook-id: ${notebook.ownerId}/${notebook.notebookId}\` with \`host: ${host}\``
    )
  }
  return { host: parsed.host ?? host ?? CLOUD_HOST, notebook, ...known }
}

/** What only a step that starts a run uses. */
interface SubmitSettings {
  mode: 'run' | 'interactive'
  parameters?: Parameter[]
  updateReport: UpdateReport
  directFileStorageWrite: boolean
  wait: boolean
}

function readSubmitSettings(input: Input, getInput: GetInput): SubmitSettings {
  const mode = readChoice(input, Inputs.Mode, ['run', 'interactive'] as const, 'run')
  const parameters = parseParameters(getInput(Inputs.Parameters))
  const updateReport = readChoice(
    input,
    Inputs.UpdateReport,
    ['never', 'on-success'] as const,
    'never'
  )
  return {
    mode,
    parameters,
    updateReport: updateReport === 'on-success' ? 'on success' : 'never',
    directFileStorageWrite: readBoolean(input, Inputs.DirectFileStorageWrite, false),
    wait: readBoolean(input, Inputs.Wait, true)
  }
}

/**
 * Which of the three stories the inputs tell. Settings that would be silently ignored are
 * refused: the workflow says something the action would not do.
 */
function toStory(target: Target, settings: SubmitSettings): Story {
  const { notebook, runId } = target
  const submitOnly = submitOnlySettings(settings)
  if (settings.mode === 'interactive') {
    refuseSet(
      [...submitOnly, [Inputs.RunId, runId != null]],
      'only applies to `mode: run`; interactive mode sends nothing but the notebook ID',
      name => `\`mode: run\`, or remove \`${name}\``
    )
    return { kind: 'interactive', notebook: notebook ?? missingNotebook() }
  }
  if (runId == null) {
    const { parameters, updateReport, directFileStorageWrite, wait } = settings
    const submit = { parameters, updateReport, directFileStorageWrite, wait }
    return { kind: 'submit', notebook: notebook ?? missingNotebook(), ...submit }
  }
  refuseForCollecting(settings)
  return { kind: 'collect', runId, notebook }
}

/** The settings that only mean something to a step that submits a run: which of them are set. */
function submitOnlySettings(settings: SubmitSettings): ReadonlyArray<readonly [string, boolean]> {
  return [
    [Inputs.Parameters, settings.parameters != null],
    [Inputs.UpdateReport, settings.updateReport !== 'never'],
    [Inputs.DirectFileStorageWrite, settings.directFileStorageWrite]
  ]
}

/**
 * `run-id`, one run or a list: what was submitted earlier was submitted with its own settings,
 * and there is nothing to do but wait.
 */
function refuseForCollecting(
  settings: SubmitSettings,
  alsoIgnored: ReadonlyArray<readonly [string, boolean]> = []
): void {
  refuseSet(
    [...submitOnlySettings(settings), ...alsoIgnored],
    'has no effect with `run-id`: the run was already submitted with its own settings',
    name => `pass \`${name}\` to the step that submits the run (the one with \`wait: false\`)`
  )
  refuseSet(
    [[Inputs.Wait, !settings.wait]],
    'is false together with `run-id`: there is nothing to submit and nothing to wait for',
    () => '`wait: true` (the default) to collect the run'
  )
}

/** Refuses the first input of `names` that is set: the step would silently ignore it. */
function refuseSet(
  names: ReadonlyArray<readonly [string, boolean]>,
  why: string,
  fix: (name: string) => string
): void {
  const [name] = names.find(([, isSet]) => isSet) ?? []
  if (name != null) throw new InputError(name, why, fix(name))
}

/**
 * Several runs in one step: the `notebooks` list, or `run-id` given the `runs` output of an
 * earlier step. Undefined when the step tells of one run.
 */
function readMany(
  input: Input,
  getInput: GetInput,
  target: Target,
  settings: SubmitSettings,
  artifacts: ArtifactSettings
): { story: ManyStory; host: string } | undefined {
  const listText = getInput(Inputs.Notebooks)
  if (listText.trim() === '' && target.runs == null) return undefined
  const maxParallel =
    input(Inputs.MaxParallel) === ''
      ? 5
      : readInteger(input, Inputs.MaxParallel, 1, MAX_ENTRIES, '`max-parallel: 5`')
  const failFast = readBoolean(input, Inputs.FailFast, false)
  refuseSet(
    [[Inputs.Mode, settings.mode === 'interactive']],
    'is interactive, which runs one notebook in place: several notebooks run through the Run API (`mode: run`)',
    () => '`mode: run` (the default)'
  )
  refuseSet(
    [[Inputs.ArtifactName, artifacts.name != null]],
    'names one workflow artifact, but several runs make one each',
    () =>
      'leave `artifact-name` out: each run gets its own workflow artifact (an entry of `notebooks` may set `artifact-name`)'
  )
  if (listText.trim() !== '') {
    refuseSet(
      [
        [Inputs.NotebookId, target.notebook != null],
        [Inputs.RunId, target.runId != null || target.runs != null]
      ],
      'is set together with `notebooks`: give one notebook in `notebook-id`, several in `notebooks`, or runs to collect in `run-id`',
      name => `remove \`${name}\` and list every notebook in \`notebooks\``
    )
    const { entries, host } = parseNotebookList(listText, {
      host: target.hostGiven,
      allowInsecureHttp: target.allowInsecureHttp,
      parameters: settings.parameters,
      updateReport: settings.updateReport,
      directFileStorageWrite: settings.directFileStorageWrite,
      wait: settings.wait
    })
    const story: ManyStory = { kind: 'many', entries, maxParallel, failFast, wait: settings.wait }
    return { story, host: host ?? CLOUD_HOST }
  }
  // Each run of the list names its own notebook.
  refuseForCollecting(settings, [[Inputs.NotebookId, target.notebook != null]])
  const entries = target.runs ?? []
  return { story: { kind: 'many', entries, maxParallel, failFast, wait: true }, host: target.host }
}

function missingNotebook(): never {
  throw new InputError(
    Inputs.NotebookId,
    'is required (or `run-id`, to wait for a run submitted earlier)',
    '`notebook-id: ownerId/notebookId`, the last two parts of the notebook URL https://datalore.jetbrains.com/notebook/ownerId/notebookId'
  )
}

function readArtifactSettings(input: Input): ArtifactSettings {
  const given = input(Inputs.ArtifactName)
  const name = given === '' ? undefined : checkArtifactName(given)
  const path = input(Inputs.ArtifactsPath)
  return {
    mode: readChoice(input, Inputs.Artifacts, ['upload', 'download', 'none'] as const, 'upload'),
    path: path === '' ? undefined : resolve(path),
    name,
    retentionDays:
      input(Inputs.RetentionDays) === ''
        ? undefined
        : readInteger(input, Inputs.RetentionDays, 1, 400, '`retention-days: 14`'),
    compressionLevel:
      input(Inputs.CompressionLevel) === ''
        ? 6
        : readInteger(
            input,
            Inputs.CompressionLevel,
            0,
            9,
            '`compression-level: 6` (0 stores, 9 compresses most)'
          ),
    ifNoArtifacts: readChoice(
      input,
      Inputs.IfNoArtifacts,
      ['warn', 'error', 'ignore'] as const,
      'warn'
    ),
    overwrite: readBoolean(input, Inputs.Overwrite, false),
    readNotebook: readBoolean(input, Inputs.ReadNotebook, true),
    notebookPage: readBoolean(input, Inputs.NotebookPage, true)
  }
}
