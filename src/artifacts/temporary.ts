/**
 * The folders the action works in for a while: each made fresh (never one that was there, nor
 * a symlink), and removed by the code that made it on every way out (success, failure, the
 * deadline, a cancel: a cancelled step's work ends well within the exit backstop), so a step
 * leaves nothing outside `artifacts-path` (or the default folder) but what it was asked for.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { errorMessage } from '../errors.js'
import { log } from '../log.js'

/** The runner's temporary folder, where the default `artifacts-path` and the scratch folders go. */
export function runnerTemp(env: NodeJS.ProcessEnv): string {
  return env.RUNNER_TEMP || tmpdir()
}

/** Runs `work` in a folder made fresh under `parent`, named `<prefix>XXXXXX`; then removes it. */
export async function inFreshFolder<T>(
  parent: string,
  prefix: string,
  work: (dir: string) => Promise<T>
): Promise<T> {
  await mkdir(parent, { recursive: true })
  const dir = await mkdtemp(join(parent, prefix))
  try {
    return await work(dir)
  } finally {
    // A folder that cannot go (a file still open on Windows, say) is named, not a failure.
    await rm(dir, { recursive: true, force: true, maxRetries: 2 }).catch((error: unknown) =>
      log.warning(`Could not remove the temporary folder ${dir}: ${errorMessage(error)}`)
    )
  }
}
