// @ts-check
/**
 * The floor: the plainest "download in parallel, then upload". curl fetches every listed file
 * at once (--parallel, up to 50 connections) to disk; then one call of the artifact client's
 * uploadArtifact, with the same compression level as the action, uploads them. The client is
 * loaded before the clock starts, so the floor pays nothing for it. See contender.js.
 */
import { spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { artifactUrl, finishedArtifacts, readSpec, report, uploadDownloaded } from './contender.js'

const { DefaultArtifactClient } = await import('@actions/artifact')

/** @param {string} value */
const quoted = value => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`

await report(async () => {
  const spec = readSpec()
  const client = new DefaultArtifactClient()
  const started = Date.now()
  const artifacts = await finishedArtifacts(spec)
  const config = join(spec.dir, '..', `curl-${spec.runId}.conf`)
  const lines = [`header = ${quoted(`Authorization: Bearer ${spec.token}`)}`]
  for (const artifact of artifacts) {
    lines.push(`url = ${quoted(artifactUrl(spec.host, artifact.path))}`)
    lines.push(`output = ${quoted(join(spec.dir, artifact.name))}`)
  }
  await writeFile(config, `${lines.join('\n')}\n`, { mode: 0o600 })
  await new Promise((resolve, reject) => {
    const curl = spawn(
      'curl',
      [
        '--parallel',
        '--parallel-immediate',
        '--parallel-max',
        String(spec.parallel ?? 50),
        '--fail',
        '--silent',
        '--show-error',
        '--config',
        config
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] }
    )
    let stderr = ''
    curl.stderr.setEncoding('utf8').on('data', text => (stderr += text))
    curl.on('error', reject)
    curl.on('close', code =>
      code === 0 ? resolve(undefined) : reject(new Error(`curl exited ${code}: ${stderr}`))
    )
  })
  const downloadedMs = Date.now() - started
  return uploadDownloaded(client, spec, artifacts, downloadedMs)
})
