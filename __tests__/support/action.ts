/**
 * Runs the bundled action (dist/index.js) as a GitHub runner does: a fresh process, inputs
 * as INPUT_* variables, outputs and summary in files. Nothing of the test's own environment
 * leaks in (no NODE_OPTIONS, no GITHUB_* of a CI runner).
 */
import { ChildProcess, spawn } from 'node:child_process'
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { NODE_24, NODE_24_FOUND, nodeVersion, SYSTEM_NODE } from '../../harness/nodes.js'
import { parseOutputs } from '../../scripts/runner-files.js'
import { holdsItsShape, summaryBlocks } from './summary-shape.js'
import { foreignCommands, parseWorkflowCommands, WorkflowCommand } from './workflow-commands.js'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const ACTION = join(ROOT, 'dist', 'index.js')

/** The bundle runs on both: GitHub's Node 24, and whatever Node a contributor has. */
export const NODES: Array<[string, string]> = [
  [
    NODE_24_FOUND
      ? `GitHub's node ${nodeVersion(NODE_24)}`
      : `node ${nodeVersion(NODE_24)} (no Node 24 found: GitHub runs the action on 24)`,
    NODE_24
  ],
  ...(SYSTEM_NODE != null && nodeVersion(SYSTEM_NODE) !== nodeVersion(NODE_24)
    ? [[`the machine's node ${nodeVersion(SYSTEM_NODE)}`, SYSTEM_NODE] as [string, string]]
    : [])
]

export interface ActionResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  /** GITHUB_OUTPUT as written, to check for leaks in the raw file. */
  outputFile: string
  summary: string
  durationMs: number
  /** Date.now() when the process closed (before this harness checked what it printed). */
  exitedAt: number
  /** RUNNER_TEMP of this run. */
  workDir: string
  /** Every workflow command in stdout, read as the runner reads it (stderr has none). */
  commands: WorkflowCommand[]
}

export interface RunOptions {
  node?: string
  /** Options for node itself, before the script (e.g. `--import` a hook). */
  nodeArgs?: string[]
  env?: Record<string, string>
  /** Called once the process is started (e.g. to send it a signal), with its RUNNER_TEMP. */
  onStart?: (child: ChildProcess, workDir: string) => void
  /** Called with each chunk of stdout as it arrives. */
  onStdout?: (text: string, child: ChildProcess) => void
  /** Kill the process if it runs longer: a hang fails the test instead of the suite. */
  killAfterMs?: number
  /**
   * Values that must show nowhere on stdout, asked once the run is over: the signatures of the
   * signed URLs the artifact service gave the artifact client. The client asks the runner to
   * mask them (`::add-mask::`), which the action does not pass on (a dependency's command);
   * they stay hidden because every URL is printed without its query.
   */
  masked?: () => string[]
}

export async function runAction(
  inputs: Record<string, string>,
  options: RunOptions = {}
): Promise<ActionResult> {
  const workDir = mkdtempSync(join(tmpdir(), 'datalore-action-'))
  const outputPath = join(workDir, 'github_output')
  const summaryPath = join(workDir, 'step_summary')
  writeFileSync(outputPath, '')
  writeFileSync(summaryPath, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? workDir,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    RUNNER_TEMP: workDir,
    ...options.env
  }
  for (const [name, value] of Object.entries(inputs)) {
    env[`INPUT_${name.toUpperCase()}`] = value
  }
  const started = Date.now()
  const child = spawn(options.node ?? NODE_24, [...(options.nodeArgs ?? []), ACTION], {
    env,
    cwd: workDir
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text
    options.onStdout?.(text, child)
  })
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text))
  options.onStart?.(child, workDir)
  const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 60_000)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(resolve =>
    child.on('close', (c, s) => resolve([c, s]))
  )
  const exitedAt = Date.now()
  clearTimeout(killer)
  // Every run is checked: nothing the action prints may act as a command it did not mean. The
  // action means none on stderr: whatever a command there would say, it came from outside.
  const secrets = [inputs.token, options.env?.DATALORE_TOKEN, inputs['github-token']]
    .map(secret => secret?.trim() ?? '')
    .filter(secret => secret !== '')
  const foreign = [
    ...foreignCommands(stdout, secrets).map(c => `stdout line ${c.line}: ${JSON.stringify(c.raw)}`),
    ...parseWorkflowCommands(stderr).map(c => `stderr line ${c.line}: ${JSON.stringify(c.raw)}`)
  ]
  if (foreign.length > 0) {
    throw new Error(
      `The action printed workflow commands it did not mean:\n${foreign.slice(0, 20).join('\n')}`
    )
  }
  const shown = (options.masked?.() ?? []).filter(value => value !== '' && stdout.includes(value))
  if (shown.length > 0) throw new Error(`stdout shows signatures: ${JSON.stringify(shown)}`)
  const outputFile = existsSync(outputPath) ? readFileSync(outputPath, 'utf8') : ''
  const summary = existsSync(summaryPath) ? readFileSync(summaryPath, 'utf8') : ''
  const outputs = parseOutputs(outputFile)
  // And every run leaves nothing behind but what it was asked for.
  const left = leftovers(workDir, outputs, env['INPUT_ARTIFACTS-PATH'])
  if (left.length > 0) {
    throw new Error(
      `The action (exit ${code ?? signal}) left files it made outside \`artifacts-path\` (or the default folder):\n${left.slice(0, 20).join('\n')}`
    )
  }
  // And every summary keeps its shape: whatever the server said stays inside the HTML.
  if (!holdsItsShape(summary)) {
    throw new Error(
      `The job summary is not HTML blocks and the action.s charts (${summaryBlocks(summary).join(', ')}):\n${summary.slice(0, 2000)}`
    )
  }
  if (Buffer.byteLength(summary) > 1024 * 1024) {
    throw new Error(`The job summary is ${Buffer.byteLength(summary)} bytes, over GitHub's 1 MiB`)
  }
  return {
    code,
    signal,
    stdout,
    stderr,
    outputs,
    outputFile,
    summary,
    durationMs: exitedAt - started,
    exitedAt,
    workDir,
    commands: parseWorkflowCommands(stdout)
  }
}

/** Files in RUNNER_TEMP that the harness makes, not the action: the runner's, and max-rss (harness/max-rss.js). */
const RUNNER_FILES = ['github_output', 'step_summary', 'max-rss']
/** The staging folder of unfinished downloads (src/artifacts/download.ts): never left anywhere. */
const STAGING = '.datalore-partial-'

/**
 * What the action left in RUNNER_TEMP besides the folders it was asked to fill: `artifacts-path`
 * when it was given (made relative to the working directory, RUNNER_TEMP here), otherwise each
 * run's default folder <RUNNER_TEMP>/datalore/<run-id>; the folders above those may stay too.
 * Inside them, and in an `artifacts-path` elsewhere, no staging folder may stay.
 */
function leftovers(
  workDir: string,
  outputs: Record<string, string>,
  artifactsPath: string | undefined
): string[] {
  const runIds = [outputs['run-id'], ...parseRuns(outputs).map(r => r['run-id'])].filter(
    (id): id is string => id != null && id !== ''
  )
  const given = artifactsPath?.trim() ?? ''
  // Only folders that are there: an empty <RUNNER_TEMP>/datalore is no folder above them.
  const kept = (
    given !== '' ? [resolve(workDir, given)] : runIds.map(id => join(workDir, 'datalore', id))
  ).filter(dir => existsSync(dir))
  const inside = (path: string, folder: string): boolean =>
    path === folder || path.startsWith(folder + sep)
  const left = walk(workDir).filter(({ path, folder }) => {
    if (path.split(sep).some(part => part.startsWith(STAGING))) return true
    if (RUNNER_FILES.some(file => path === join(workDir, file))) return false
    if (kept.some(dir => inside(path, dir))) return false
    return !(folder && kept.some(dir => dir.startsWith(path + sep)))
  })
  const elsewhere = outputs['artifacts-path'] ?? ''
  const staged =
    elsewhere !== '' && !inside(elsewhere, workDir) && existsSync(elsewhere)
      ? walk(elsewhere).filter(({ path }) => path.split(sep).some(p => p.startsWith(STAGING)))
      : []
  return [...left, ...staged].map(({ path }) => path)
}

/** Every file and folder under `dir`, without following symbolic links. */
function walk(dir: string): Array<{ path: string; folder: boolean }> {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const path = join(dir, entry.name)
    const here = { path, folder: entry.isDirectory() }
    return entry.isDirectory() ? [here, ...walk(path)] : [here]
  })
}

/**
 * Every place the token must never appear, except the runner's own `::add-mask::` command; with
 * `files`, also every file the step left in RUNNER_TEMP (the downloads, pages, values files).
 */
export function leaksOf(result: ActionResult, token: string, { files = false } = {}): string[] {
  const places: Array<[string, string]> = [
    ['stdout', result.stdout.split(`::add-mask::${token}`).join('')],
    ['stderr', result.stderr],
    ['GITHUB_OUTPUT', result.outputFile],
    ['GITHUB_STEP_SUMMARY', result.summary]
  ]
  if (files) {
    for (const file of readdirSync(result.workDir, { recursive: true, encoding: 'utf8' })) {
      const path = join(result.workDir, file)
      if (statSync(path).isFile())
        places.push([`RUNNER_TEMP/${file}`, readFileSync(path, 'latin1')])
    }
  }
  return places.filter(([, text]) => text.includes(token)).map(([place]) => place)
}

/** One run of the `runs` output of a step with several notebooks. */
export type RunsEntry = Record<string, unknown> & {
  name: string
  'run-id'?: string
  conclusion: string
  success?: boolean
  'artifact-id'?: number
}

/** The `runs` output, parsed; an empty list when the step wrote none. */
export function runsOutput(result: ActionResult): RunsEntry[] {
  return parseRuns(result.outputs)
}

function parseRuns(outputs: Record<string, string>): RunsEntry[] {
  return JSON.parse(outputs.runs ?? '[]') as RunsEntry[]
}

/** The messages of the error annotations the action printed, as the runner reads them. */
export function errorsOf(result: ActionResult): string[] {
  return result.commands.filter(c => c.name === 'error').map(c => c.data)
}

/** The messages of the warning annotations the action printed, as the runner reads them. */
export function warningsOf(result: ActionResult): string[] {
  return result.commands.filter(c => c.name === 'warning').map(c => c.data)
}
