// @ts-check
/**
 * A Datalore server for tests, the demo and the benchmark: a real HTTP(S) server on 127.0.0.1
 * that implements the documented Run API (see README, "What the action relies on"), with
 * scripted run durations and outcomes, artifacts of any bytes, scripted faults, and a record
 * of every request it received.
 *
 * Plain JavaScript with no dependencies, so that `npm run demo` works before `npm ci`.
 */
import { createHash, createCipheriv, randomBytes } from 'node:crypto'
import { createReadStream, statSync } from 'node:fs'
import { FaultQueue } from './fault-queue.js'
import { json, LoopbackServer, safeDecode, sleep } from './loopback-server.js'
import { Readable, Transform, pipeline } from 'node:stream'

/**
 * @typedef {object} ArtifactSpec
 * @property {string} name  the name Datalore lists (untrusted, as a real server's would be)
 * @property {Buffer | string} [content]  exact bytes to serve
 * @property {number} [size]  or: this many pseudo-random bytes (deterministic, from `seed`)
 * @property {string} [seed]  defaults to `name`
 * @property {string} [path]  the `path` listed; default /notebook/<id>/artifacts/<runId>/<n>/<name>
 * @property {string} [redirectTo]  answer the download with a 302 to this URL
 * @property {string} [file]  or: the bytes of this file on disk (for artifacts too large to hold)
 * @property {string} [contentType]
 *
 * @typedef {object} NotebookSpec
 * @property {number} [durationMs]  how long a run takes (Infinity: never finishes). Default 0
 * @property {boolean} [success]  how a run ends. Default true
 * @property {string[]} [statuses]  `status` values shown in turn while the run is in progress
 * @property {ArtifactSpec[]} [artifacts]
 * @property {(parameters: Array<{name: string, value: unknown}>) => ArtifactSpec[]} [artifactsFor]
 *   or: the artifacts of a run started with these parameters (the values of the controls), as
 *   a notebook computes other values from other parameters
 * @property {string[]} [controls]  names of the interactive controls; others are refused (400)
 * @property {'absent' | 'null'} [endTimeWhileRunning]  how an unfinished run shows `endTime`
 *
 * @typedef {object} Fault
 * @property {'submit' | 'status' | 'artifact' | 'interactive' | 'file' | 'any'} on
 * @property {(request: RecordedRequest) => boolean} [when]  further narrows the requests
 * @property {number} [times]  how many matching requests it applies to (default 1)
 * @property {number} [status]  answer with this status ...
 * @property {Record<string, string>} [headers]  ... these headers ...
 * @property {string | Buffer} [body]  ... and this body
 * @property {number} [delayMs]  wait before answering (normally, or as scripted)
 * @property {'reset' | 'hang' | 'truncate' | 'long-content-length' | 'stall' | 'trickle' | 'endless'} [action]
 *   reset: the connection is reset before any answer; hang: accepted, never answered.
 *   For an artifact body, after its headers:
 *   truncate: `bytes` of the body (default half), then the connection is reset (TCP RST);
 *   long-content-length: a Content-Length 1 KiB longer than the body, every byte, then the
 *     connection is closed;
 *   stall: `bytes` of the body, then nothing more on an open connection;
 *   trickle: the body at `bytes` per second; endless: a body without Content-Length that never ends.
 *   The bytes sent before a cut are flushed to the socket first, so the cut comes after them
 *   (`holdUntil` can wait for the client to have them, e.g. on its disk).
 * @property {number} [bytes]  for truncate and stall: bytes sent first; for trickle: bytes per second
 * @property {() => Promise<unknown>} [holdUntil]  for truncate, long-content-length and stall:
 *   the cut waits for this, after the bytes were flushed (a reset drops what the kernel has not
 *   sent yet); a row may also learn from it that the client got that far
 * @property {(doc: Record<string, unknown>) => unknown} [rewrite]  for status: change the document
 *
 * @typedef {object} RecordedRequest
 * @property {string} method
 * @property {string} url  raw request target
 * @property {string} path  decoded path
 * @property {import('node:http').IncomingHttpHeaders} headers
 * @property {string} body  (empty for downloads)
 * @property {string} route  submit | status | artifact | interactive | file | unknown
 * @property {number} at  Date.now() when it arrived
 *
 * @typedef {object} Run
 * @property {string} runId
 * @property {string} notebookId
 * @property {NotebookSpec} spec
 * @property {number} startedAt
 * @property {Record<string, unknown>} request  the body it was started with
 * @property {Map<string, ArtifactSpec>} artifactsByPath
 * @property {{name: string, path: string}[]} listed
 *
 * @typedef {object} SimulatorOptions
 * @property {string} [token]  the API token it accepts (default: a random one)
 * @property {number} [port]  default 0: an ephemeral port
 * @property {{key: string | Buffer, cert: string | Buffer}} [tls]  serve https with this certificate
 * @property {number} [bandwidth]  bytes per second per connection for artifact bodies (default: unlimited)
 * @property {number} [latencyMs]  added before every answer (default 0)
 */

export class DataloreSimulator {
  /** @param {SimulatorOptions} [options] */
  constructor(options = {}) {
    this.token = options.token ?? `sim-${randomBytes(12).toString('hex')}`
    this.options = options
    /** @type {RecordedRequest[]} */
    this.requests = []
    /** @type {Map<string, NotebookSpec>} */
    this.notebooks = new Map()
    /** @type {Map<string, Run>} */
    this.runs = new Map()
    /** @type {FaultQueue<RecordedRequest, Fault>} */
    this.faults = new FaultQueue(request => request.route)
    /** @type {Map<string, ArtifactSpec>} files served without authentication, as object storage would */
    this.files = new Map()
    this.url = ''
    this.runCounter = 0
    this.http = new LoopbackServer(
      (req, res) => this.handle(req, res),
      (res, error) => json(res, 500, { error: String(error) }),
      options.tls
    )
  }

  /** @returns {Promise<this>} */
  async start() {
    this.url = await this.http.listen(this.options.port)
    return this
  }

  async close() {
    await this.http.close()
  }

  /** The most TCP connections open at once since the start or `resetConnectionCounts()`. */
  get maxOpenConnections() {
    return this.http.maxOpenConnections
  }

  /** TCP connections accepted since the start or `resetConnectionCounts()`. */
  get connectionsOpened() {
    return this.http.connectionsOpened
  }

  /** Counts connections afresh (the maximum starts from those open now). */
  resetConnectionCounts() {
    this.http.resetConnectionCounts()
  }

  /**
   * @param {string} id  "ownerId/notebookId"
   * @param {NotebookSpec} [spec]
   */
  addNotebook(id, spec = {}) {
    this.notebooks.set(id, spec)
    return this
  }

  /** Serve a file at `path` without authentication (a stand-in for object storage). */
  /** @param {string} path @param {Omit<ArtifactSpec, 'name'> & {name?: string}} spec */
  addFile(path, spec) {
    this.files.set(path, { name: path, ...spec })
    return this
  }

  /** @param {Fault} fault */
  fault(fault) {
    this.faults.add(fault)
    return this
  }

  /** Requests of one route, e.g. `requestsTo('status')`. */
  /** @param {string} route */
  requestsTo(route) {
    return this.requests.filter(r => r.route === route)
  }

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  async handle(req, res) {
    const url = req.url ?? '/'
    const rawPath = url.split('?')[0] ?? '/'
    const path = rawPath
      .split('/')
      .map(segment => safeDecode(segment))
      .join('/')
    const route = routeOf(req.method ?? 'GET', path, this)
    const chunks = []
    if (route !== 'artifact' && route !== 'file') for await (const chunk of req) chunks.push(chunk)
    /** @type {RecordedRequest} */
    const record = {
      method: req.method ?? 'GET',
      url,
      path,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      route,
      at: Date.now()
    }
    this.requests.push(record)

    if (this.options.latencyMs) await sleep(this.options.latencyMs)
    const fault = this.faults.take(record)
    if (fault?.delayMs) await sleep(fault.delayMs)
    if (fault?.action === 'reset') return void req.socket.destroy()
    if (fault?.action === 'hang') return
    if (fault?.status != null) {
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers })
      res.end(fault.body ?? '')
      return
    }
    if (fault?.body != null) {
      res.writeHead(200, { 'content-type': 'application/json', ...fault.headers })
      res.end(fault.body)
      return
    }

    if (route === 'file')
      return this.serveArtifact(req, res, /** @type {ArtifactSpec} */ (this.files.get(path)), fault)
    if (!this.authorized(req)) return json(res, 401, { error: 'Invalid or expired API token' })
    switch (route) {
      case 'submit':
        return this.submit(record, res)
      case 'interactive':
        return this.interactive(record, res)
      case 'status':
        return this.status(path, res, fault)
      case 'artifact':
        return this.artifact(path, req, res, fault)
      default:
        return json(res, 404, { error: `No such endpoint: ${req.method} ${path}` })
    }
  }

  /** @param {import('node:http').IncomingMessage} req */
  authorized(req) {
    return req.headers.authorization === `Bearer ${this.token}`
  }

  /** @param {RecordedRequest} record @param {import('node:http').ServerResponse} res */
  submit(record, res) {
    const body = parseBody(record.body)
    if (body == null) return json(res, 400, { error: 'Request body is not a JSON object' })
    const { notebookId, updateReport, parameters, directFileStorageWrite } = body
    if (typeof notebookId !== 'string') return json(res, 400, { error: 'notebookId is required' })
    if (updateReport != null && updateReport !== 'never' && updateReport !== 'on success') {
      return json(res, 400, { error: `Unknown updateReport: ${JSON.stringify(updateReport)}` })
    }
    if (directFileStorageWrite != null && typeof directFileStorageWrite !== 'boolean') {
      return json(res, 400, { error: 'directFileStorageWrite must be a boolean' })
    }
    const spec = this.notebooks.get(notebookId)
    if (spec == null) return json(res, 404, { error: `Notebook ${notebookId} not found` })
    if (parameters != null) {
      if (!Array.isArray(parameters))
        return json(res, 400, { error: 'parameters must be an array' })
      for (const parameter of parameters) {
        if (parameter == null || typeof parameter.name !== 'string' || !('value' in parameter)) {
          return json(res, 400, { error: 'Each parameter needs a name and a value' })
        }
        if (spec.controls && !spec.controls.includes(parameter.name)) {
          return json(res, 400, {
            error: `The notebook has no interactive control named "${parameter.name}"`
          })
        }
      }
    }
    const runId = `run-${++this.runCounter}-${randomBytes(4).toString('hex')}`
    /** @type {Run} */
    const run = {
      runId,
      notebookId,
      spec,
      startedAt: Date.now(),
      request: body,
      artifactsByPath: new Map(),
      listed: []
    }
    const artifacts = spec.artifactsFor?.(parameters ?? []) ?? spec.artifacts ?? []
    artifacts.forEach((artifact, index) => {
      const path =
        artifact.path ??
        `/notebook/${notebookId}/artifacts/${runId}/${index}/${pathSafe(artifact.name)}`
      run.artifactsByPath.set(path, artifact)
      run.listed.push({ name: artifact.name, path })
    })
    this.runs.set(runId, run)
    json(res, 200, { runId })
  }

  /** @param {RecordedRequest} record @param {import('node:http').ServerResponse} res */
  interactive(record, res) {
    const body = parseBody(record.body)
    if (body == null || typeof body.notebookId !== 'string')
      return json(res, 400, { error: 'notebookId is required' })
    if (!this.notebooks.has(body.notebookId))
      return json(res, 404, { error: `Notebook ${body.notebookId} not found` })
    json(res, 200, {})
  }

  /** The status document of a run, shaped like the documented one. */
  /** @param {string} runId */
  statusDocument(runId) {
    const run = this.runs.get(runId)
    if (run == null) return undefined
    const { spec } = run
    const duration = spec.durationMs ?? 0
    const elapsed = Date.now() - run.startedAt
    const finished = elapsed >= duration
    const [ownerId] = run.notebookId.split('/')
    /** @type {Record<string, unknown>} */
    const doc = {
      runId,
      userId: ownerId,
      notebookId: run.notebookId.split('/')[1],
      startTime: new Date(run.startedAt).toISOString(),
      updateReport: run.request.updateReport ?? 'never',
      directFileStorageWrite: run.request.directFileStorageWrite ?? false,
      readOnly: false
    }
    if (finished) {
      doc.endTime = new Date(run.startedAt + duration).toISOString()
      doc.success = spec.success ?? true
      doc.artifacts = run.listed
    } else {
      const statuses = spec.statuses ?? ['QUEUED', 'RUNNING']
      doc.status =
        statuses[Math.min(statuses.length - 1, Math.floor((elapsed / duration) * statuses.length))]
      if (spec.endTimeWhileRunning === 'null') doc.endTime = null
      doc.artifacts = []
    }
    return doc
  }

  /** @param {string} path @param {import('node:http').ServerResponse} res @param {Fault | undefined} fault */
  status(path, res, fault) {
    const runId = path.slice('/api/run/v1/'.length)
    const doc = this.statusDocument(runId)
    if (doc == null) return json(res, 404, { error: `Run ${runId} not found` })
    const answer = fault?.rewrite ? fault.rewrite(doc) : doc
    if (fault?.action !== 'trickle') return json(res, 200, answer)
    const text = JSON.stringify(answer)
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text))
    })
    pipeline(
      [Readable.from([Buffer.from(text)]), throttle(fault.bytes ?? 64), res],
      () => undefined
    )
  }

  /** @param {string} path @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res @param {Fault | undefined} fault */
  artifact(path, req, res, fault) {
    for (const run of this.runs.values()) {
      const artifact = run.artifactsByPath.get(path)
      if (artifact) return this.serveArtifact(req, res, artifact, fault)
    }
    json(res, 404, { error: `No artifact at ${path}` })
  }

  /** @param {import('node:http').IncomingMessage} _req @param {import('node:http').ServerResponse} res @param {ArtifactSpec} artifact @param {Fault | undefined} fault */
  serveArtifact(_req, res, artifact, fault) {
    if (artifact.redirectTo) {
      res.writeHead(302, { location: artifact.redirectTo, 'content-length': '0' })
      return void res.end()
    }
    if (fault?.action === 'endless') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      const chunk = Buffer.alloc(64 * 1024, 'endless ')
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
      }
      res.on('drain', pump)
      return pump()
    }
    const size = artifactSize(artifact)
    const declared = fault?.action === 'long-content-length' ? size + 1024 : size
    res.writeHead(200, {
      'content-type': artifact.contentType ?? 'application/octet-stream',
      'content-length': String(declared)
    })
    // Returned, so that a failure on the way is answered as any other (loopback-server.js).
    if (fault?.action === 'truncate' || fault?.action === 'stall') {
      return cutShort(res, artifact, fault.bytes ?? Math.floor(size / 2), fault)
    }
    if (fault?.action === 'long-content-length') return cutShort(res, artifact, size, fault)
    const rate = fault?.action === 'trickle' ? (fault.bytes ?? 64) : this.options.bandwidth
    const stages = [artifactStream(artifact)]
    if (rate) stages.push(throttle(rate))
    pipeline([...stages, res], () => undefined)
  }
}

/**
 * Sends the first `limit` bytes of an artifact's body, waits until they are flushed to the
 * socket and for `fault.holdUntil`, then cuts the body as the fault says: a reset (truncate), a
 * close (long-content-length), or nothing more at all (stall).
 * @param {import('node:http').ServerResponse} res @param {ArtifactSpec} artifact
 * @param {number} limit @param {Fault} fault
 */
async function cutShort(res, artifact, limit, fault) {
  res.flushHeaders()
  let sent = 0
  for await (const chunk of artifactStream(artifact)) {
    const part = chunk.subarray(0, Math.max(0, limit - sent))
    sent += part.length
    if (part.length > 0 && !(await flushed(res, part))) return
    if (sent >= limit) break
  }
  await fault.holdUntil?.()
  const socket = res.socket
  if (socket == null || socket.destroyed || fault.action === 'stall') return
  if (fault.action === 'long-content-length') return void socket.end()
  // A TCP reset, as a proxy or a crashed server gives (a TLS socket can only be destroyed).
  if (typeof socket.resetAndDestroy === 'function' && !('encrypted' in socket))
    socket.resetAndDestroy()
  else socket.destroy()
}

/**
 * Writes `part` and waits until it left for the socket: true once written, false when the
 * connection went away first.
 * @param {import('node:http').ServerResponse} res @param {Buffer} part @returns {Promise<boolean>}
 */
function flushed(res, part) {
  return new Promise(resolve => {
    const gone = () => resolve(false)
    res.once('close', gone)
    res.write(part, error => {
      res.off('close', gone)
      resolve(error == null && !res.destroyed)
    })
  })
}

/** @param {SimulatorOptions} [options] */
export function startDataloreSimulator(options) {
  return new DataloreSimulator(options).start()
}

/** @param {string} method @param {string} path @param {DataloreSimulator} sim */
function routeOf(method, path, sim) {
  if (sim.files.has(path)) return 'file'
  if (method === 'POST' && path === '/api/run/v1/notebook') return 'submit'
  if (method === 'POST' && path === '/api/computation/v1/notebook') return 'interactive'
  if (method === 'GET' && /^\/api\/run\/v1\/[^/]+$/.test(path)) return 'status'
  if (method === 'GET' && path.startsWith('/notebook/')) return 'artifact'
  return 'unknown'
}

/** A path segment for a name we cannot use as one ("..", "a/b", ""): the listed name stays as is. */
/** @param {string} name */
function pathSafe(name) {
  return name === '' || name === '.' || name === '..' || /[/\\]/.test(name) ? 'file' : name
}

/** @param {string} text @returns {Record<string, any> | undefined} */
function parseBody(text) {
  try {
    const value = JSON.parse(text)
    return value != null && typeof value === 'object' && !Array.isArray(value) ? value : undefined
  } catch {
    return undefined
  }
}

/** @param {ArtifactSpec} artifact */
export function artifactSize(artifact) {
  if (artifact.content != null) return Buffer.byteLength(artifact.content)
  if (artifact.file != null) return statSync(artifact.file).size
  return artifact.size ?? 0
}

const CHUNK = 64 * 1024

/**
 * The artifact's bytes as a stream. Generated content is AES-CTR keystream: random-looking
 * (so compression cannot hide work), reproducible from the seed, and never held whole.
 * @param {ArtifactSpec} artifact
 * @returns {Readable}
 */
export function artifactStream(artifact) {
  if (artifact.content != null) return Readable.from([Buffer.from(artifact.content)])
  if (artifact.file != null) return createReadStream(artifact.file, { highWaterMark: CHUNK })
  const key = createHash('sha256')
    .update(artifact.seed ?? artifact.name)
    .digest()
    .subarray(0, 16)
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16))
  const zeros = Buffer.alloc(CHUNK)
  let left = artifact.size ?? 0
  return new Readable({
    highWaterMark: CHUNK,
    read() {
      if (left <= 0) return void this.push(null)
      const n = Math.min(CHUNK, left)
      left -= n
      this.push(cipher.update(zeros.subarray(0, n)))
    }
  })
}

/** sha256 (hex) of an artifact's bytes, computed the same way they are served. */
/** @param {ArtifactSpec} artifact @returns {Promise<string>} */
export async function artifactSha256(artifact) {
  const hash = createHash('sha256')
  for await (const chunk of artifactStream(artifact)) hash.update(chunk)
  return hash.digest('hex')
}

/** Limits a stream to `rate` bytes per second. */
/** @param {number} rate */
function throttle(rate) {
  const started = Date.now()
  let sent = 0
  return new Transform({
    transform(chunk, _encoding, done) {
      /** @type {Buffer[]} */
      const pieces = []
      const piece = Math.max(1, Math.min(chunk.length, Math.floor(rate / 20)))
      for (let offset = 0; offset < chunk.length; offset += piece)
        pieces.push(chunk.subarray(offset, offset + piece))
      const next = () => {
        const part = pieces.shift()
        if (part == null) return done()
        sent += part.length
        this.push(part)
        const due = started + (sent / rate) * 1000
        setTimeout(next, Math.max(0, due - Date.now()))
      }
      next()
    }
  })
}
