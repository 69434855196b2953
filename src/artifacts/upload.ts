/**
 * Uploads the downloaded files as one workflow artifact with the real artifact client.
 * The client (and its Azure and zip libraries) is loaded only here, when it is needed, so a
 * step that uploads nothing starts faster.
 */
import { basename } from 'node:path'
import { unlessAborted } from '../cancel.js'
import { log, quote } from '../log.js'
import { releaseUploadBuffers } from './release-buffers.js'
import type { Slots } from '../slots.js'

export interface UploadedArtifact {
  id: number
  digest?: string
  size?: number
  /** Link to the artifact on the workflow run's page, when the runner says where that is. */
  url?: string
}

export interface UploadSettings {
  name: string
  retentionDays?: number
  compressionLevel: number
  /** Delete an artifact of the same name in this workflow run first (a re-run's, say). */
  overwrite: boolean
  /** One file uploaded as it is, not zipped: GitHub serves it to the browser (a page). */
  skipArchive?: boolean
}

/** No artifact service here (GitHub Enterprise Server, or not run by a runner at all). */
export class ArtifactServiceUnavailableError extends Error {
  constructor(reason: string) {
    super(
      `The workflow artifact service is not available here (${reason}). The files are kept in \`artifacts-path\`; to publish them, use \`artifacts: download\` and upload that folder with actions/upload-artifact (or an equivalent for your server).`
    )
    this.name = 'ArtifactServiceUnavailableError'
  }
}

export async function uploadArtifact(
  files: string[],
  rootDirectory: string,
  settings: UploadSettings,
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal
): Promise<UploadedArtifact> {
  const { ArtifactNotFoundError, DefaultArtifactClient, GHESNotSupportedError } =
    await import('@actions/artifact')
  try {
    const client = new DefaultArtifactClient()
    if (settings.overwrite) {
      const deleted = await unlessAborted(
        client.deleteArtifact(settings.name).then(
          () => true,
          (error: unknown) => {
            if (error instanceof ArtifactNotFoundError) return false
            throw error
          }
        ),
        signal
      )
      if (deleted) {
        log.info(
          `Deleted the existing workflow artifact ${quote(settings.name)} (\`overwrite: true\`)`
        )
      }
    }
    const upload = client.uploadArtifact(settings.name, files, rootDirectory, {
      retentionDays: settings.retentionDays,
      compressionLevel: settings.compressionLevel,
      ...(settings.skipArchive ? { skipArchive: true } : {})
    })
    // The client cannot be stopped; a cancelled job stops waiting for it, to report in time.
    const result = await unlessAborted(upload, signal)
    if (result.id == null) throw new Error('the artifact service returned no artifact ID')
    return {
      id: result.id,
      digest: result.digest,
      size: result.size,
      url: workflowArtifactUrl(result.id, env)
    }
  } catch (error) {
    if (signal?.aborted) throw signal.reason
    const message = error instanceof Error ? error.message : String(error)
    if (error instanceof GHESNotSupportedError) {
      throw new ArtifactServiceUnavailableError(
        'GitHub Enterprise Server does not support this artifact client'
      )
    }
    const missing = /Unable to get the (\w+) env variable/.exec(message)
    if (missing) throw new ArtifactServiceUnavailableError(`${missing[1]} is not set`)
    if (/\(409\)/.test(message)) {
      throw new Error(
        `A workflow artifact named ${quote(settings.name)} already exists in this workflow run. Set \`overwrite: true\` to replace it, choose an \`artifact-name\` that is unique per run (e.g. \`artifact-name: report-\${{ github.run_id }}-\${{ github.run_attempt }}\`), or leave it empty for the default, which includes the Datalore run ID and the run attempt.`,
        { cause: error }
      )
    }
    throw new Error(
      `Uploading ${files.length} file(s) from ${basename(rootDirectory)} as the workflow artifact ${quote(settings.name)} failed: ${message}`,
      { cause: error }
    )
  }
}

/** `<server>/<repository>/actions/runs/<run id>/artifacts/<artifact id>` */
function workflowArtifactUrl(id: number, env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env
  if (!repository || !runId) return undefined
  return `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${repository}/actions/runs/${runId}/artifacts/${id}`
}

/**
 * Several runs: their uploads take turns in the step's slots, and the buffers of each are
 * collected after it. One run alone uploads at once.
 */
export function uploadInTurn<T>(
  slots: Slots | undefined,
  send: () => Promise<T>,
  signal?: AbortSignal
): Promise<T> {
  if (slots == null) return send()
  return slots.use(() => send().finally(releaseUploadBuffers), signal)
}
