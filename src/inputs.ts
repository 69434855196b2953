/**
 * Every input, read and checked once, before any request. Nothing else in the action calls
 * `core.getInput`: the rest works on the typed `Config` this returns.
 */
import { resolve } from 'node:path'
import { InputError } from './errors.js'
import { CLOUD_HOST, parseHost } from './host.js'
import { isSafeSegment, MAX_SEGMENT_LENGTH } from './identifiers.js'
import { NotebookRef, parseNotebookId } from './notebook-id.js'
import { Parameter, parseParameters } from './parameters.js'
import { quote } from './log.js'

export const Inputs = {
  NotebookId: 'notebook-id',
  Token: 'token',
  Host: 'host',
  Parameters: 'parameters',
  UpdateReport: 'update-report',
  DirectFileStorageWrite: 'direct-file-storage-write',
  Mode: 'mode',
  Wait: 'wait',
  RunId: 'run-id',
  TimeoutMinutes: 'timeout-minutes',
  PollIntervalSeconds: 'poll-interval-seconds',
  FailOnRunFailure: 'fail-on-run-failure',
  AllowInsecureHttp: 'allow-insecure-http',
  Artifacts: 'artifacts',
  ArtifactsPath: 'artifacts-path',
  ArtifactName: 'artifact-name',
  RetentionDays: 'retention-days',
  CompressionLevel: 'compression-level',
  IfNoArtifacts: 'if-no-artifacts',
  Overwrite: 'overwrite'
} as const

export type UpdateReport = 'never' | 'on success'

export interface Config {
  token: string
  /** Base URL without a trailing slash, e.g. https://datalore.jetbrains.com */
  host: string
  /** Absent only when waiting for an earlier run (`run-id`) without naming its notebook. */
  notebook?: NotebookRef
  mode: 'run' | 'interactive'
  /** Set when collecting a run submitted earlier instead of submitting one. */
  runId?: string
  /** Undefined when the input is empty: older servers do not know the field. */
  parameters?: Parameter[]
  updateReport: UpdateReport
  directFileStorageWrite: boolean
  wait: boolean
  timeoutMs: number
  pollIntervalMs: number
  failOnRunFailure: boolean
  artifacts: ArtifactSettings
}

export interface ArtifactSettings {
  /** upload: download, then upload as a workflow artifact; download: only to `path`; none. */
  mode: 'upload' | 'download' | 'none'
  /** Absolute; undefined for the default, <RUNNER_TEMP>/datalore/<run-id>. */
  path?: string
  /** Undefined for the default, datalore-<owner>-<notebook>-<run-id>. */
  name?: string
  retentionDays?: number
  compressionLevel: number
  ifNoArtifacts: 'warn' | 'error' | 'ignore'
  /** Replace a workflow artifact of the same name (a re-run's, say) instead of failing. */
  overwrite: boolean
}

/** Reads one input; empty string when not set (the runner passes `INPUT_<NAME>`). */
export type GetInput = (name: string) => string

/** Reads the token alone, so that it can be masked before any other input is looked at. */
export function readToken(getInput: GetInput, env: NodeJS.ProcessEnv): string {
  return (getInput(Inputs.Token) || env.DATALORE_TOKEN || '').trim()
}

export function readInputs(getInput: GetInput, env: NodeJS.ProcessEnv): Config {
  const input = (name: string): string => getInput(name).trim()

  const token = readToken(getInput, env)
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

  const allowInsecureHttp = readBoolean(input, Inputs.AllowInsecureHttp, false)
  const mode = readChoice(input, Inputs.Mode, ['run', 'interactive'] as const, 'run')
  const runId = input(Inputs.RunId) || undefined
  if (runId != null && !isSafeSegment(runId)) {
    throw new InputError(
      Inputs.RunId,
      `must be a run ID as the \`run-id\` output of an earlier step gives it (letters, digits, ".", "_", "~" or "-", at most ${MAX_SEGMENT_LENGTH}), got ${quote(runId)}`,
      '`run-id: ${{ steps.submit.outputs.run-id }}`'
    )
  }

  const hostText = input(Inputs.Host)
  const explicitHost =
    hostText === '' ? undefined : parseHost(Inputs.Host, hostText, allowInsecureHttp)
  const notebookText = input(Inputs.NotebookId)
  let notebook: NotebookRef | undefined
  let host = explicitHost ?? CLOUD_HOST
  if (notebookText !== '') {
    const parsed = parseNotebookId(notebookText, allowInsecureHttp)
    notebook = parsed.notebook
    if (parsed.host != null) {
      if (explicitHost != null && explicitHost !== parsed.host) {
        throw new InputError(
          Inputs.NotebookId,
          `is a URL on ${parsed.host}, but \`host\` is ${explicitHost}; they must name the same Datalore server`,
          `leave \`host\` empty and pass the URL, or \`notebook-id: ${notebook.ownerId}/${notebook.notebookId}\` with \`host: ${explicitHost}\``
        )
      }
      host = parsed.host
    }
  } else if (runId == null) {
    throw new InputError(
      Inputs.NotebookId,
      'is required (or `run-id`, to wait for a run submitted earlier)',
      '`notebook-id: ownerId/notebookId`, the last two parts of the notebook URL https://datalore.jetbrains.com/notebook/ownerId/notebookId'
    )
  }

  const parameters = parseParameters(getInput(Inputs.Parameters))
  const updateReport = readChoice(
    input,
    Inputs.UpdateReport,
    ['never', 'on-success'] as const,
    'never'
  )
  const directFileStorageWrite = readBoolean(input, Inputs.DirectFileStorageWrite, false)
  const wait = readBoolean(input, Inputs.Wait, true)

  // Settings that would be silently ignored are refused: the workflow says something the
  // action would not do.
  const submitting = mode === 'interactive' || runId == null
  const submitOnly = [
    [Inputs.Parameters, parameters != null],
    [Inputs.UpdateReport, updateReport !== 'never'],
    [Inputs.DirectFileStorageWrite, directFileStorageWrite]
  ] as const
  if (mode === 'interactive') {
    for (const [name, isSet] of [...submitOnly, [Inputs.RunId, runId != null] as const]) {
      if (isSet) {
        throw new InputError(
          name,
          'only applies to `mode: run`; interactive mode sends nothing but the notebook ID',
          '`mode: run`, or remove `' + name + '`'
        )
      }
    }
  } else if (!submitting) {
    for (const [name, isSet] of submitOnly) {
      if (isSet) {
        throw new InputError(
          name,
          'has no effect with `run-id`: that run was already submitted with its own settings',
          'pass `' + name + '` to the step that submits the run (the one with `wait: false`)'
        )
      }
    }
    if (!wait) {
      throw new InputError(
        Inputs.Wait,
        'is false together with `run-id`: there is nothing to submit and nothing to wait for',
        '`wait: true` (the default) to collect the run'
      )
    }
  }

  return {
    token,
    host,
    notebook,
    mode,
    runId,
    parameters,
    updateReport: updateReport === 'on-success' ? 'on success' : 'never',
    directFileStorageWrite,
    wait,
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
    artifacts: readArtifactSettings(input)
  }
}

/** Characters the artifact service refuses in an artifact's name. */
const FORBIDDEN_IN_ARTIFACT_NAME = /[":<>|*?\r\n\\/]/
/**
 * The artifact client prints the name as it is: nothing the runner would run as a command
 * (`##[`, and the invisible characters it skips when matching).
 */
const UNPRINTABLE_IN_ARTIFACT_NAME = /##\[|[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/u

function readArtifactSettings(input: (name: string) => string): ArtifactSettings {
  const name = input(Inputs.ArtifactName) || undefined
  if (name != null && FORBIDDEN_IN_ARTIFACT_NAME.test(name)) {
    throw new InputError(
      Inputs.ArtifactName,
      `must not contain any of " : < > | * ? \\ / or line breaks (the artifact service refuses them), got ${quote(name)}`,
      '`artifact-name: sales-report-${{ github.run_id }}`'
    )
  }
  if (name != null && UNPRINTABLE_IN_ARTIFACT_NAME.test(name)) {
    throw new InputError(
      Inputs.ArtifactName,
      `must not contain "##[" or invisible characters (the log would read them as a workflow command), got ${quote(name)}`,
      '`artifact-name: sales-report-${{ github.run_id }}`'
    )
  }
  const path = input(Inputs.ArtifactsPath)
  const retention = input(Inputs.RetentionDays)
  return {
    mode: readChoice(input, Inputs.Artifacts, ['upload', 'download', 'none'] as const, 'upload'),
    path: path === '' ? undefined : resolve(path),
    name,
    retentionDays:
      retention === ''
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
    overwrite: readBoolean(input, Inputs.Overwrite, false)
  }
}

function readInteger(
  input: (name: string) => string,
  name: string,
  min: number,
  max: number,
  example: string
): number {
  const text = input(name)
  const value = /^\d+$/.test(text) ? Number(text) : NaN
  if (!(value >= min && value <= max)) {
    throw new InputError(
      name,
      `must be a whole number from ${min} to ${max}, got ${quote(text)}`,
      example
    )
  }
  return value
}

function readBoolean(input: (name: string) => string, name: string, fallback: boolean): boolean {
  const text = input(name)
  if (text === '') return fallback
  if (/^(true|True|TRUE)$/.test(text)) return true
  if (/^(false|False|FALSE)$/.test(text)) return false
  throw new InputError(
    name,
    `must be true or false, got ${quote(text)}`,
    `\`${name}: ${!fallback}\``
  )
}

function readChoice<T extends string>(
  input: (name: string) => string,
  name: string,
  choices: readonly T[],
  fallback: T
): T {
  const text = input(name).toLowerCase()
  if (text === '') return fallback
  const choice = choices.find(c => c === text)
  if (choice == null) {
    throw new InputError(
      name,
      `must be one of ${choices.map(c => `"${c}"`).join(', ')}, got ${quote(input(name))}`,
      `\`${name}: ${choices[choices.length - 1]}\``
    )
  }
  return choice
}

/** A decimal number (fractions allowed) of some unit, within bounds, returned in milliseconds. */
function readDuration(
  input: (name: string) => string,
  name: string,
  bounds: { fallback: number; unitMs: number; min: number; max: number; example: string }
): number {
  const text = input(name)
  if (text === '') return bounds.fallback * bounds.unitMs
  const value = /^(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : NaN
  if (!(value >= bounds.min && value <= bounds.max)) {
    throw new InputError(
      name,
      `must be a number from ${bounds.min} to ${bounds.max}, got ${quote(text)}`,
      bounds.example
    )
  }
  return Math.round(value * bounds.unitMs)
}
