/**
 * The real @actions/artifact client, run once in a fresh node process as the action's own
 * process would run it (./upload-artifact-child.js): nothing mocked, nothing shared with jest.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const CHILD = join(ROOT, '__tests__', 'support', 'upload-artifact-child.js')

export interface ClientRun<T> {
  /** What the child wrote to its result file. */
  outcome: T
  /** stdout and stderr together. */
  output: string
  code: number | null
}

/** Runs the client with `spec` (see the child's header) in `env`; the result file goes in `dir`. */
export async function runArtifactClient<T>(
  env: Record<string, string | undefined>,
  spec: Record<string, unknown>,
  dir: string
): Promise<ClientRun<T>> {
  const resultFile = join(dir, `result-${randomBytes(4).toString('hex')}.json`)
  const child = spawn(process.execPath, [CHILD, JSON.stringify({ ...spec, resultFile })], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout.on('data', chunk => (output += chunk))
  child.stderr.on('data', chunk => (output += chunk))
  const code = await new Promise<number | null>(resolve => child.on('exit', resolve))
  if (!existsSync(resultFile)) {
    throw new Error(`The artifact client wrote no result (exit ${code}):\n${output}`)
  }
  return { outcome: JSON.parse(readFileSync(resultFile, 'utf8')) as T, output, code }
}
