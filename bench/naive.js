// @ts-check
/**
 * The naive way: the approach of JetBrains' documented Run API example (Python `requests`),
 * re-done in Node. One artifact at a time, each read whole into memory
 * (`requests.get(url).content`, a new connection each) and then written to disk; then one
 * uploadArtifact call with the same compression level as the action. The client is loaded
 * before the clock starts, as in the floor. See contender.js.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  artifactUrl,
  finishedArtifacts,
  getBuffer,
  readSpec,
  report,
  uploadDownloaded
} from './contender.js'

const { DefaultArtifactClient } = await import('@actions/artifact')

await report(async () => {
  const spec = readSpec()
  const client = new DefaultArtifactClient()
  const started = Date.now()
  const artifacts = await finishedArtifacts(spec)
  for (const artifact of artifacts) {
    const content = await getBuffer(
      artifactUrl(spec.host, artifact.path),
      { authorization: `Bearer ${spec.token}` },
      false
    )
    await writeFile(join(spec.dir, artifact.name), content)
  }
  const downloadedMs = Date.now() - started
  return uploadDownloaded(client, spec, artifacts, downloadedMs)
})
