// @ts-check
/**
 * What the reference scripts (floor.js, naive.js, pipelined.js) share. Each runs as its own
 * process, as the action does:
 *
 *   node bench/<script>.js '<json spec>'
 *
 * spec: {host, token, runId, dir, artifactName, compressionLevel}. The environment carries the
 * results service's ACTIONS_RESULTS_URL and ACTIONS_RUNTIME_TOKEN. Each script reads the run's
 * status once (the moment the relay starts), fetches the artifacts its own way, uploads them as
 * one workflow artifact, and prints one line of JSON: {ok, maxRssKiB, ...}.
 */
import http from 'node:http'
import { join } from 'node:path'

/**
 * @typedef {object} ContenderSpec
 * @property {string} host
 * @property {string} token
 * @property {string} runId
 * @property {string} dir  where the files go
 * @property {string} artifactName
 * @property {number} compressionLevel
 * @property {number} [parallel]  floor: curl's --parallel-max
 * @property {number} [concurrency]  pipelined: downloads at a time
 *
 * @typedef {{name: string, path: string}} ListedArtifact
 */

/** @returns {ContenderSpec} */
export function readSpec() {
  return JSON.parse(process.argv[2] ?? '{}')
}

/** `<host><path>`, each path segment percent-encoded, as the action builds it. */
/** @param {string} host @param {string} path */
export function artifactUrl(host, path) {
  return host + path.split('/').map(encodeURIComponent).join('/')
}

/**
 * GET a URL into one Buffer, as `requests.get(url).content` does.
 * @param {string} url
 * @param {Record<string, string>} headers
 * @param {http.Agent | false} [agent]  false: a new connection, as requests.get without a Session
 * @returns {Promise<Buffer>}
 */
export function getBuffer(url, headers, agent) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent }, res => {
      /** @type {Buffer[]} */
      const chunks = []
      res.on('data', chunk => chunks.push(chunk))
      res.on('error', reject)
      res.on('end', () => {
        if (res.statusCode !== 200)
          reject(new Error(`GET ${url}: HTTP ${res.statusCode} ${Buffer.concat(chunks)}`))
        else resolve(Buffer.concat(chunks))
      })
    })
    req.on('error', reject)
  })
}

/**
 * The finished run's listed artifacts: one status request, the relay's start.
 * @param {ContenderSpec} spec
 * @returns {Promise<ListedArtifact[]>}
 */
export async function finishedArtifacts(spec) {
  const body = await getBuffer(`${spec.host}/api/run/v1/${spec.runId}`, {
    authorization: `Bearer ${spec.token}`
  })
  const doc = JSON.parse(body.toString('utf8'))
  if (doc.endTime == null) throw new Error(`run ${spec.runId} has not finished`)
  return doc.artifacts
}

/**
 * Runs `main`, then prints its result (or error) as one line of JSON and sets the exit code.
 * @param {() => Promise<Record<string, unknown>>} main
 */
export async function report(main) {
  /** @type {Record<string, unknown>} */
  let outcome
  try {
    outcome = { ok: true, ...(await main()) }
  } catch (error) {
    outcome = { ok: false, error: error instanceof Error ? error.stack : String(error) }
  }
  outcome.maxRssKiB = process.resourceUsage().maxRSS
  process.stdout.write(`${JSON.stringify(outcome)}\n`)
  process.exitCode = outcome.ok ? 0 : 1
}

/**
 * The reference scripts' last step: the downloaded files, uploaded as one workflow artifact.
 * @param {{uploadArtifact: Function}} client  a DefaultArtifactClient, loaded before the clock starts
 * @param {ContenderSpec} spec
 * @param {ListedArtifact[]} artifacts
 * @param {number} downloadedMs
 */
export async function uploadDownloaded(client, spec, artifacts, downloadedMs) {
  const result = await client.uploadArtifact(
    spec.artifactName,
    artifacts.map(a => join(spec.dir, a.name)),
    spec.dir,
    { compressionLevel: spec.compressionLevel }
  )
  return { id: result.id, digest: result.digest, size: result.size, downloadedMs }
}
