// @ts-check
/**
 * A prototype, not a contender the issue asks for: the relay with the archive built while the
 * files still arrive. It measures what the action could gain from that, using the artifact
 * client's own pieces rather than a hand-written archiver:
 *
 * - downloads as the action does them (streamed to disk with sha256, 4 at a time);
 * - each file, as soon as it is complete, is appended to an `archiver` zip (the library and
 *   settings the client uses: 8 MiB high-water mark, the same zlib level), whose output goes
 *   straight into the client's `uploadToBlobStorage` (Azure block upload and sha256);
 * - CreateArtifact and FinalizeArtifact through the client's Twirp client.
 *
 * `uploadToBlobStorage`, the Twirp client and the backend-ID parser are internal modules of
 * @actions/artifact 6.2.1 (not in its `exports`): they are imported by file path here, which a
 * bundler would also accept. See contender.js for how it is run.
 */
import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import http from 'node:http'
import { join } from 'node:path'
import { PassThrough, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
// @ts-expect-error: archiver ships no types (the client uses it untyped as well)
import archiver from 'archiver'
import { StringValue } from '../node_modules/@actions/artifact/lib/generated/index.js'
import { internalArtifactTwirpClient } from '../node_modules/@actions/artifact/lib/internal/shared/artifact-twirp-client.js'
import { getBackendIdsFromToken } from '../node_modules/@actions/artifact/lib/internal/shared/util.js'
import { uploadToBlobStorage } from '../node_modules/@actions/artifact/lib/internal/upload/blob-upload.js'
import { artifactUrl, finishedArtifacts, readSpec, report } from './contender.js'

const CHUNK = 8 * 1024 * 1024

await report(async () => {
  const spec = readSpec()
  const started = Date.now()
  const artifacts = await finishedArtifacts(spec)
  const ids = getBackendIdsFromToken()
  const twirp = internalArtifactTwirpClient()
  const created = twirp.CreateArtifact({
    workflowRunBackendId: ids.workflowRunBackendId,
    workflowJobRunBackendId: ids.workflowJobRunBackendId,
    name: spec.artifactName,
    mimeType: StringValue.create({ value: 'application/zip' }),
    version: 7
  })
  const zip = archiver.create('zip', {
    highWaterMark: CHUNK,
    zlib: { level: spec.compressionLevel }
  })
  /** @type {unknown} */
  let zipError
  zip.on('error', (/** @type {Error} */ error) => (zipError = error))
  const zipped = new PassThrough({ highWaterMark: CHUNK })
  zip.pipe(zipped)
  const uploaded = created.then(response =>
    uploadToBlobStorage(response.signedUploadUrl, zipped, 'application/zip')
  )
  uploaded.catch(() => undefined)

  const agent = new http.Agent({ keepAlive: true })
  let next = 0
  const worker = async () => {
    while (next < artifacts.length) {
      const artifact = artifacts[next++]
      if (artifact == null) continue
      const file = join(spec.dir, artifact.name)
      await download(artifactUrl(spec.host, artifact.path), spec.token, file, agent)
      // Complete: into the archive, behind whatever is being compressed now.
      zip.file(file, { name: artifact.name })
    }
  }
  await Promise.all(Array.from({ length: spec.concurrency ?? 4 }, worker))
  agent.destroy()
  const downloadedMs = Date.now() - started
  await zip.finalize()
  const result = await uploaded
  if (zipError) throw zipError
  const finalized = await twirp.FinalizeArtifact({
    workflowRunBackendId: ids.workflowRunBackendId,
    workflowJobRunBackendId: ids.workflowJobRunBackendId,
    name: spec.artifactName,
    size: String(result.uploadSize ?? 0),
    hash: StringValue.create({ value: `sha256:${result.sha256Hash}` })
  })
  return {
    id: Number(finalized.artifactId),
    digest: result.sha256Hash,
    size: result.uploadSize,
    downloadedMs
  }
})

/**
 * Streams one artifact to disk with its sha256, as the action does.
 * @param {string} url @param {string} token @param {string} file @param {http.Agent} agent
 */
async function download(url, token, file, agent) {
  /** @type {http.IncomingMessage} */
  const res = await new Promise((resolve, reject) => {
    const req = http.get(
      url,
      { agent, headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'identity' } },
      resolve
    )
    req.on('error', reject)
  })
  if (res.statusCode !== 200) throw new Error(`GET ${url}: HTTP ${res.statusCode}`)
  const hash = createHash('sha256')
  const measure = new Transform({
    transform(chunk, _encoding, done) {
      hash.update(chunk)
      done(null, chunk)
    }
  })
  await pipeline(res, measure, createWriteStream(file))
  return hash.digest('hex')
}
