// @ts-check
/**
 * What the benchmark's sections share: where things are, statistics, running a process with
 * timestamped output, running the bundled action as a runner does, the services on loopback,
 * and checking an uploaded workflow artifact byte for byte.
 */
import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream, mkdtempSync } from 'node:fs'
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import http from 'node:http'
import { join } from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import { artifactSha256, artifactSize } from '../simulator/datalore.js'
import { blobSasUrl } from '../simulator/blob-store.js'
import { parseOutputs } from '../scripts/runner-files.js'
import { maxRssKiB } from '../harness/nodes.js'
import { zipDigests } from '../harness/zip.js'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const BENCH = join(ROOT, 'bench')

export const MiB = 1024 * 1024
export const KiB = 1024

/** @param {string} text */
export function progress(text) {
  process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${text}\n`)
}

// ─── statistics ───

/**
 * @typedef {object} Summary
 * @property {number} median
 * @property {number} min
 * @property {number} max
 * @property {number} n
 */

/** @param {number[]} values @returns {Summary} */
export function summarize(values) {
  const sorted = values.filter(v => Number.isFinite(v)).sort((a, b) => a - b)
  const n = sorted.length
  if (n === 0) return { median: NaN, min: NaN, max: NaN, n: 0 }
  const mid = Math.floor(n / 2)
  const median =
    n % 2 === 1
      ? /** @type {number} */ (sorted[mid])
      : (Number(sorted[mid - 1]) + Number(sorted[mid])) / 2
  return { median, min: Number(sorted[0]), max: Number(sorted[n - 1]), n }
}

/** `order` rotated by `round`: each contender goes first in turn. */
/** @template T @param {T[]} order @param {number} round @returns {T[]} */
export function rotate(order, round) {
  const k = round % order.length
  return [...order.slice(k), ...order.slice(0, k)]
}

// ─── processes ───

/**
 * @typedef {object} ProcessResult
 * @property {number | null} code
 * @property {string | null} signal
 * @property {string} stdout
 * @property {string} stderr
 * @property {{at: number, text: string}[]} lines  stdout lines with Date.now() of arrival
 * @property {number} startedAt  Date.now() just before spawn
 * @property {number} endedAt
 */

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{env?: Record<string, string>, cwd?: string, killAfterMs?: number, onLine?: (line: string, at: number) => void}} [options]
 * @returns {Promise<ProcessResult>}
 */
export function runProcess(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const startedAt = Date.now()
    const child = spawn(command, args, { env: options.env, cwd: options.cwd })
    let stdout = ''
    let stderr = ''
    let partial = ''
    /** @type {{at: number, text: string}[]} */
    const lines = []
    child.stdout.setEncoding('utf8').on('data', (/** @type {string} */ text) => {
      const at = Date.now()
      stdout += text
      partial += text
      let newline
      while ((newline = partial.indexOf('\n')) >= 0) {
        const line = partial.slice(0, newline)
        partial = partial.slice(newline + 1)
        lines.push({ at, text: line })
        options.onLine?.(line, at)
      }
    })
    child.stderr.setEncoding('utf8').on('data', (/** @type {string} */ text) => (stderr += text))
    const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 180_000)
    child.on('error', error => {
      clearTimeout(killer)
      reject(error)
    })
    child.on('close', (code, signal) => {
      clearTimeout(killer)
      if (partial) lines.push({ at: Date.now(), text: partial })
      resolve({ code, signal, stdout, stderr, lines, startedAt, endedAt: Date.now() })
    })
  })
}

/** @param {string} prefix */
export function tempDir(prefix) {
  return mkdtempSync(join(process.env.BENCH_TMP ?? '/tmp', `${prefix}-`))
}

/**
 * A copy of the bundle taken once, at the start: the benchmark runs that bundle even if dist/
 * is rebuilt while it runs.
 * @param {string} from  the folder of index.js
 * @param {string} into
 */
export async function snapshotDist(from, into) {
  await cp(from, into, { recursive: true })
  return join(into, 'index.js')
}

/**
 * @typedef {object} ActionRun
 * @property {ProcessResult} process
 * @property {Record<string, string>} outputs
 * @property {string} workDir  its RUNNER_TEMP
 * @property {number | undefined} maxRssKiB  when run with the max-rss hook
 */

/**
 * Runs the bundled action as a runner does: a fresh process, inputs as INPUT_* variables,
 * outputs and summary in files, nothing of this process's environment but PATH and HOME.
 * @param {{action: string, node: string, inputs: Record<string, string>, env?: Record<string, string>,
 *   nodeArgs?: string[], killAfterMs?: number, onLine?: (line: string, at: number) => void}} options
 * @returns {Promise<ActionRun>}
 */
export async function runAction(options) {
  const workDir = tempDir('bench-action')
  const outputPath = join(workDir, 'github_output')
  await writeFile(outputPath, '')
  await writeFile(join(workDir, 'step_summary'), '')
  /** @type {Record<string, string>} */
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? workDir,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: join(workDir, 'step_summary'),
    RUNNER_TEMP: workDir,
    ...options.env
  }
  for (const [name, value] of Object.entries(options.inputs))
    env[`INPUT_${name.toUpperCase()}`] = value
  const result = await runProcess(options.node, [...(options.nodeArgs ?? []), options.action], {
    env,
    cwd: workDir,
    killAfterMs: options.killAfterMs,
    onLine: options.onLine
  })
  return {
    process: result,
    outputs: parseOutputs(await readFile(outputPath, 'utf8')),
    workDir,
    maxRssKiB: maxRssKiB(workDir)
  }
}

/** What a failed process said, for an error message. */
/** @param {ProcessResult} result */
export function failure(result) {
  const errors = result.stdout
    .split('\n')
    .filter(line => line.startsWith('::error') || line.startsWith('::warning'))
  return `exit ${result.code ?? result.signal}: ${[...errors, result.stderr.slice(-2000)].join('\n')}`
}

// ─── HTTP ───

/**
 * @param {string} url
 * @param {{method?: string, headers?: Record<string, string>, body?: string}} [options]
 * @returns {Promise<{status: number, body: Buffer}>}
 */
export function request(url, options = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers })
    req.on('error', reject)
    req.on('response', res => {
      /** @type {Buffer[]} */
      const chunks = []
      res.on('data', chunk => chunks.push(chunk))
      res.on('error', reject)
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }))
    })
    req.end(options.body)
  })
}

/**
 * Starts a run of `notebookId` on the simulator, as a client would; returns its ID.
 * @param {import('../simulator/datalore.js').DataloreSimulator} sim
 * @param {string} notebookId
 */
export async function submitRun(sim, notebookId) {
  const body = JSON.stringify({ notebookId, updateReport: 'never' })
  const res = await request(`${sim.url}/api/run/v1/notebook`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${sim.token}`,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body))
    },
    body
  })
  if (res.status !== 200) throw new Error(`submit: HTTP ${res.status} ${res.body}`)
  return /** @type {string} */ (JSON.parse(res.body.toString('utf8')).runId)
}

// ─── the artifacts: what they are, and checking what arrived ───

/**
 * @typedef {import('../simulator/datalore.js').ArtifactSpec & {size: number, seed: string}} GeneratedArtifact
 */

/** @type {Map<string, string>} */
const digestCache = new Map()

/**
 * sha256 of an artifact's bytes. Generated bytes are hashed once per seed and size (they are
 * always the same); bytes given as `content` or `file` are hashed as they are.
 * @param {import('../simulator/datalore.js').ArtifactSpec} spec
 */
export async function expectedSha256(spec) {
  if (spec.content != null || spec.file != null) return artifactSha256(spec)
  const key = `${spec.seed ?? spec.name}:${spec.size}`
  let digest = digestCache.get(key)
  if (digest == null) {
    digest = await artifactSha256(spec)
    digestCache.set(key, digest)
  }
  return digest
}

/**
 * `count` artifacts of `size` random bytes each, named `<prefix>-<n>.bin`.
 * @param {string} prefix @param {number} count @param {number} size
 * @returns {GeneratedArtifact[]}
 */
export function generated(prefix, count, size) {
  const width = String(count).length
  return Array.from({ length: count }, (_, i) => {
    const name = `${prefix}-${String(i + 1).padStart(width, '0')}.bin`
    return { name, size, seed: name }
  })
}

/** @param {string} file */
export async function sha256File(file) {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk)
  return hash.digest('hex')
}

/**
 * Checks the finalized workflow artifact `name`: the blob's sha256 and size are what
 * FinalizeArtifact reported, and the zip holds exactly the expected files, each with the
 * expected sha256. Then deletes the blob (so Azurite's disk does not fill up). Returns the
 * zip's size and sha256.
 * @param {import('../simulator/github-results.js').ResultsService} results
 * @param {string} name
 * @param {import('../simulator/datalore.js').ArtifactSpec[]} specs
 * @param {string} scratch  a folder for the downloaded zip
 */
export async function verifyArtifact(results, name, specs, scratch) {
  const record = results.artifact(name)
  if (record == null || record.state !== 'finalized')
    throw new Error(`no finalized workflow artifact named ${name}`)
  await mkdir(scratch, { recursive: true })
  const zipFile = join(scratch, `${name}.zip`)
  try {
    const digest = await fetchBlob(results.signedBlobUrl(record), zipFile)
    if (record.digest != null && digest !== record.digest)
      throw new Error(`${name}: the blob's sha256 ${digest} is not the reported ${record.digest}`)
    if (record.size !== record.blobSize)
      throw new Error(`${name}: reported size ${record.size}, blob size ${record.blobSize}`)
    // Also checks each entry's CRC-32 and size, and refuses a name that appears twice.
    const entries = [...(await zipDigests(zipFile))].map(([entryName, d]) => ({
      name: entryName,
      ...d
    }))
    const expected = new Map()
    for (const spec of specs)
      expected.set(spec.name, { size: artifactSize(spec), sha256: await expectedSha256(spec) })
    const seen = new Set()
    for (const entry of entries) {
      const want = expected.get(entry.name)
      if (want == null) throw new Error(`${name}: unexpected entry ${entry.name}`)
      seen.add(entry.name)
      if (entry.size !== want.size || entry.sha256 !== want.sha256)
        throw new Error(
          `${name}: ${entry.name} has ${entry.size} bytes, sha256 ${entry.sha256}; expected ${want.size}, ${want.sha256}`
        )
    }
    const missing = specs.filter(s => !seen.has(s.name)).map(s => s.name)
    if (missing.length > 0)
      throw new Error(`${name}: ${missing.length} file(s) missing, e.g. ${missing[0]}`)
    return { zipBytes: record.blobSize ?? 0, zipSha256: digest, entries: entries.length }
  } finally {
    await rm(zipFile, { force: true })
    await deleteBlob(results, record)
  }
}

/**
 * Downloads a blob to `file`; resolves to its sha256.
 * @param {string} url @param {string} file
 */
function fetchBlob(url, file) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { 'x-ms-version': '2020-12-06' } }, res => {
      if (res.statusCode !== 200) {
        res.resume()
        return reject(new Error(`GET blob: HTTP ${res.statusCode}`))
      }
      const hash = createHash('sha256')
      const measure = new Transform({
        transform(chunk, _encoding, done) {
          hash.update(chunk)
          done(null, chunk)
        }
      })
      pipeline(res, measure, createWriteStream(file)).then(
        () => resolve(hash.digest('hex')),
        reject
      )
    })
    req.on('error', reject)
  })
}

/**
 * Deletes the blobs of the workflow artifacts finalized since `before` (their IDs then), for a
 * section that checks an upload by other means: Azurite keeps every blob until then.
 * @param {import('../simulator/github-results.js').ResultsService} results
 * @param {Set<unknown>} before
 */
export async function deleteUploadsSince(results, before) {
  for (const record of results.finalized().filter(a => !before.has(a.id))) {
    await deleteBlob(results, record)
  }
}

/**
 * @param {import('../simulator/github-results.js').ResultsService} results
 * @param {import('../simulator/github-results.js').ArtifactRecord} record
 */
async function deleteBlob(results, record) {
  const url = blobSasUrl(results.storage, {
    container: record.container,
    blob: record.blobName,
    permissions: 'd'
  })
  await request(url, { method: 'DELETE', headers: { 'x-ms-version': '2020-12-06' } }).catch(
    () => undefined
  )
}

/**
 * The relay's timeline on this process's clock (the simulator and the results service run
 * here): from the arrival of the status request that first saw the run finished, to the
 * arrival of CreateArtifact (the download phase, plus loading the client) and of
 * FinalizeArtifact (the end).
 * @param {import('../simulator/datalore.js').DataloreSimulator} sim
 * @param {import('../simulator/github-results.js').ResultsService} results
 * @param {string} runId @param {string} artifactName
 */
export function relayTimeline(sim, results, runId, artifactName) {
  const run = sim.runs.get(runId)
  if (run == null) throw new Error(`no run ${runId}`)
  const endsAt = run.startedAt + (run.spec.durationMs ?? 0)
  const statuses = sim.requests.filter(
    r => r.route === 'status' && r.path === `/api/run/v1/${runId}`
  )
  const seen = statuses.find(r => r.at >= endsAt)
  const create = results.requests.find(
    c => c.method === 'CreateArtifact' && c.body?.name === artifactName
  )
  const finalize = results.requests.find(
    c => c.method === 'FinalizeArtifact' && c.body?.name === artifactName && c.status === 200
  )
  if (seen == null || create == null || finalize == null)
    throw new Error(`incomplete timeline for ${artifactName}`)
  const downloads = sim.requests.filter(
    r => r.route === 'artifact' && r.path.includes(`/artifacts/${runId}/`)
  )
  return {
    seenAt: seen.at,
    relayMs: finalize.at - seen.at,
    downloadMs: create.at - seen.at,
    uploadMs: finalize.at - create.at,
    statusRequests: statuses.length,
    artifactRequests: downloads.length,
    twirpRequests: results.requests.filter(c => c.body?.name === artifactName).length
  }
}

/** @param {string} dir */
export async function removeDir(dir) {
  await rm(dir, { recursive: true, force: true })
}

// ─── executed notebooks ───

/**
 * Writes an executed notebook of about `size` bytes to `file`: the cells of a real one
 * (simulator/notebooks/success-values.ipynb, with its glued values) followed by cells whose
 * output is a plot, a base64 string of a few MiB as Jupyter embeds them. Written in pieces, as
 * the action reads it. Returns the values it glues.
 * @param {string} file @param {number} size
 */
export async function writeExecutedNotebook(file, size) {
  const real = JSON.parse(
    await readFile(join(ROOT, 'simulator', 'notebooks', 'success-values.ipynb'), 'utf8')
  )
  const out = createWriteStream(file)
  let written = 0
  /** @param {string} text */
  const write = text => {
    written += Buffer.byteLength(text)
    return new Promise(resolve =>
      out.write(text) ? resolve(undefined) : out.once('drain', resolve)
    )
  }
  const cells = real.cells.map((/** @type {unknown} */ cell) => JSON.stringify(cell)).join(',')
  await write(`{"cells": [${cells}`)
  const tail = `], "metadata": ${JSON.stringify(real.metadata)}, "nbformat": 4, "nbformat_minor": 5}`
  // Plots of up to 4 MiB each (as base64), until the notebook has its size.
  for (let i = 0; ; i++) {
    const room = size - written - Buffer.byteLength(tail) - 300
    const chars = Math.min(4 * MiB, Math.floor(room / 4) * 4)
    if (chars <= 0) break
    await write(
      `,{"cell_type": "code", "execution_count": ${100 + i}, "metadata": {}, "source": ["plt.plot(x${i})"], "outputs": [{"output_type": "display_data", "metadata": {}, "data": {"text/plain": ["<Figure>"], "image/png": "`
    )
    for (let left = chars; left > 0; left -= 256 * KiB) {
      await write(randomBytes((Math.min(left, 256 * KiB) / 4) * 3).toString('base64'))
    }
    await write('"}}]}')
  }
  await write(tail)
  await new Promise(resolve => out.end(resolve))
  return {
    accuracy: 0.93,
    rows: 3,
    region: 'EU',
    months: ['2026-10', '2026-11', '2026-12'],
    thresholds: { min: 0.8, note: null, ok: true },
    report: 'Revenue grew 18% over the quarter.'
  }
}
