// @ts-check
/**
 * A fake of GitHub's Actions "results service" for tests and the demo: a real HTTP server on
 * 127.0.0.1 speaking Twirp JSON (`github.actions.results.api.v1.ArtifactService`), which is what
 * `@actions/artifact`'s `DefaultArtifactClient` talks to. `uploadArtifact` calls, in order:
 *
 *   1. POST /twirp/github.actions.results.api.v1.ArtifactService/CreateArtifact
 *        {workflow_run_backend_id, workflow_job_run_backend_id, name, mime_type, version: 7,
 *         expires_at?}  ->  {ok: true, signed_upload_url}
 *   2. Azure Blob "Put Block" (one per 8 MiB chunk) and "Put Block List" on signed_upload_url
 *   3. POST .../FinalizeArtifact
 *        {workflow_run_backend_id, workflow_job_run_backend_id, name, size: "<int64>",
 *         hash?: "sha256:<hex>"}  ->  {ok: true, artifact_id: "<int64>"}
 *
 * ListArtifacts, GetSignedArtifactURL and DeleteArtifact are answered too, so that the client's
 * getArtifact / listArtifacts / downloadArtifact / deleteArtifact work against the fake.
 *
 * The signed upload URL points into blob storage: either an Azure-compatible service the caller
 * runs (Azurite, `{blobBaseUrl}`) or, for the demo, a minimal built-in one (`{blobStorage:
 * 'builtin'}`, blobs held in memory) that is just enough for `BlockBlobClient.uploadStream`.
 *
 * Plain JavaScript with no dependencies, so that `npm run demo` works before `npm ci`.
 */
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import http from 'node:http'
import { FaultQueue } from './fault-queue.js'
import { json, LoopbackServer, safeDecode, sleep } from './loopback-server.js'
import https from 'node:https'
import { pipeline } from 'node:stream/promises'
import { URLSearchParams } from 'node:url'

/** The storage emulator's well-known development account and key (public, documented by Microsoft). */
export const DEV_STORAGE_ACCOUNT = 'devstoreaccount1'
export const DEV_STORAGE_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

export const ARTIFACT_SERVICE = 'github.actions.results.api.v1.ArtifactService'
/** The message GitHub answers a CreateArtifact for a name already used in the run (HTTP 409). */
export const ALREADY_EXISTS_MESSAGE =
  'an artifact with this name already exists on the workflow run'

const SAS_VERSION = '2020-12-06'
const STORAGE_API_VERSION = '2020-12-06'

/**
 * @typedef {object} StorageAccount
 * @property {string} url  the blob endpoint, account included: http://127.0.0.1:10000/devstoreaccount1
 * @property {string} account
 * @property {string} key  base64 shared key
 *
 * @typedef {'CreateArtifact' | 'FinalizeArtifact' | 'ListArtifacts' | 'GetSignedArtifactURL' | 'DeleteArtifact'} TwirpMethod
 *
 * @typedef {object} ResultsServiceOptions
 * @property {'builtin'} [blobStorage]  serve blobs from a built-in in-memory store (the default
 *   when `blobBaseUrl` is not given)
 * @property {string} [blobBaseUrl]  or: use this Azure-compatible blob endpoint (e.g. Azurite's
 *   http://127.0.0.1:<port>/devstoreaccount1); the container is created if missing
 * @property {string} [blobAccount]  default: the last path segment of blobBaseUrl
 * @property {string} [blobKey]  default: the well-known devstoreaccount1 key
 * @property {string} [container]  default 'actions-results'
 * @property {string} [workflowRunBackendId]  default: a random UUID
 * @property {string} [workflowJobRunBackendId]  default: a random UUID
 * @property {number} [maxRetentionDays]  put GITHUB_RETENTION_DAYS in `env` (the client caps retention with it)
 * @property {number} [firstArtifactId]  default 5000000001: above 2^32 (real ids are past 2^31)
 * @property {number} [sasTtlMinutes]  lifetime of signed URLs, default 60
 * @property {number} [port]  default 0: an ephemeral port
 * @property {number} [latencyMs]  added before every Twirp answer
 *
 * @typedef {object} ArtifactRecord
 * @property {number} id
 * @property {string} name
 * @property {'created' | 'finalized' | 'superseded' | 'deleted'} state  `superseded`: created
 *   again under the same name before it was finalized
 * @property {string} workflowRunBackendId
 * @property {string} workflowJobRunBackendId
 * @property {string | undefined} mimeType  as CreateArtifact sent it
 * @property {number | undefined} version  as CreateArtifact sent it (7 from the v6 client)
 * @property {string | undefined} expiresAt  as CreateArtifact sent it (RFC 3339), if at all
 * @property {number | undefined} retentionDays  whole days from CreateArtifact to expiresAt
 * @property {string} container
 * @property {string} blobName
 * @property {string} blobUrl  without a signature
 * @property {string} signedUploadUrl
 * @property {number} createdAt  Date.now()
 * @property {number | undefined} finalizedAt
 * @property {number | undefined} size  as FinalizeArtifact reported it
 * @property {string | undefined} hash  as FinalizeArtifact reported it: "sha256:<hex>"
 * @property {string | undefined} digest  the hex part of hash
 * @property {number | undefined} blobSize  the blob's size when finalized (undefined: no blob)
 *
 * @typedef {object} RecordedCall
 * @property {string} method  the Twirp method (or 'unknown')
 * @property {string} path
 * @property {import('node:http').IncomingHttpHeaders} headers
 * @property {any} body  the parsed JSON body (undefined if it was not JSON)
 * @property {string} rawBody
 * @property {number} at  Date.now() when it arrived
 * @property {number} status  the HTTP status answered (0 until answered)
 * @property {unknown} response  the JSON answered
 *
 * @typedef {object} ResultsFault
 * @property {TwirpMethod | 'any'} on
 * @property {number} [status]  default 400. Only 4xx are cheap: the client retries 429 and 5xx
 *   five times with backoff (~30 s)
 * @property {string} [code]  the Twirp error code; default from the status (409: already_exists)
 * @property {string} [msg]  the Twirp error message (the client shows it)
 * @property {string} [body]  answer this raw body instead of a Twirp error document
 * @property {number} [times]  how many matching calls it applies to (default 1)
 * @property {(call: RecordedCall) => boolean} [when]  further narrows the calls
 * @property {number} [delayMs]  wait before answering
 */

export class ResultsService {
  /** @param {ResultsServiceOptions} [options] */
  constructor(options = {}) {
    if (options.blobBaseUrl && options.blobStorage === 'builtin')
      throw new Error('Give either blobBaseUrl or blobStorage: "builtin", not both')
    this.options = options
    this.workflowRunBackendId = options.workflowRunBackendId ?? randomUUID()
    this.workflowJobRunBackendId = options.workflowJobRunBackendId ?? randomUUID()
    this.runtimeToken = runtimeToken(this.workflowRunBackendId, this.workflowJobRunBackendId)
    this.container = options.container ?? 'actions-results'
    /** @type {ArtifactRecord[]} */
    this.artifacts = []
    /** @type {Set<string>} the signatures of every signed URL handed out */
    this.signatures = new Set()
    /** @type {RecordedCall[]} */
    this.requests = []
    /** @type {FaultQueue<RecordedCall, ResultsFault>} */
    this.faults = new FaultQueue(call => call.method)
    this.nextId = options.firstArtifactId ?? 5_000_000_001
    this.url = ''
    /** @type {BuiltinBlobStorage | undefined} the built-in blob store, when used */
    this.builtinStorage = options.blobBaseUrl ? undefined : new BuiltinBlobStorage()
    /** @type {StorageAccount} */
    this.storage = options.blobBaseUrl
      ? {
          url: options.blobBaseUrl.replace(/\/+$/, ''),
          account:
            options.blobAccount ??
            new URL(options.blobBaseUrl).pathname.split('/').filter(Boolean).pop() ??
            DEV_STORAGE_ACCOUNT,
          key: options.blobKey ?? DEV_STORAGE_KEY
        }
      : { url: '', account: DEV_STORAGE_ACCOUNT, key: DEV_STORAGE_KEY }
    this.http = new LoopbackServer(
      (req, res) => this.handle(req, res),
      (res, error) => twirpError(res, 500, 'internal', String(error))
    )
  }

  /** @returns {Promise<this>} */
  async start() {
    if (this.builtinStorage) {
      await this.builtinStorage.start()
      this.storage = this.builtinStorage.account
    }
    await createContainer(this.storage, this.container)
    this.url = await this.http.listen(this.options.port)
    return this
  }

  async close() {
    await this.http.close()
    await this.builtinStorage?.close()
  }

  /**
   * What a process running the artifact client needs in its environment. GITHUB_SERVER_URL must
   * be unset, https://github.com, *.ghe.com or *.localhost: anything else is taken for GHES.
   * @returns {Record<string, string>}
   */
  get env() {
    const noProxy = [process.env.NO_PROXY ?? process.env.no_proxy, '127.0.0.1', 'localhost']
      .filter(Boolean)
      .join(',')
    /** @type {Record<string, string>} */
    const env = {
      ACTIONS_RESULTS_URL: `${this.url}/`,
      ACTIONS_RUNTIME_TOKEN: this.runtimeToken,
      NO_PROXY: noProxy,
      no_proxy: noProxy
    }
    if (this.options.maxRetentionDays != null)
      env.GITHUB_RETENTION_DAYS = String(this.options.maxRetentionDays)
    return env
  }

  /** @param {ResultsFault} fault */
  fault(fault) {
    this.faults.add(fault)
    return this
  }

  /** @param {TwirpMethod} method */
  requestsTo(method) {
    return this.requests.filter(r => r.method === method)
  }

  /** The live (finalized, else latest created) artifact of that name. */
  /** @param {string} name */
  artifact(name) {
    const named = this.artifacts.filter(a => a.name === name)
    return named.findLast(a => a.state === 'finalized') ?? named.at(-1)
  }

  /** The finalized artifacts. */
  finalized() {
    return this.artifacts.filter(a => a.state === 'finalized')
  }

  /** A signed URL of the artifact's blob. */
  /** @param {ArtifactRecord} artifact @param {string} [permissions] */
  signedBlobUrl(artifact, permissions = 'r') {
    const url = blobSasUrl(this.storage, {
      container: artifact.container,
      blob: artifact.blobName,
      permissions,
      ttlMinutes: this.options.sasTtlMinutes ?? 60
    })
    this.signatures.add(new URL(url).searchParams.get('sig') ?? '')
    return url
  }

  /**
   * What the artifact client masks (`::add-mask::`) of the signed URLs it was given: each
   * signature, as it is and URL-encoded.
   */
  masked() {
    return [...this.signatures].flatMap(sig => [sig, encodeURIComponent(sig)])
  }

  /**
   * The uploaded blob (the zip, unless uploaded with skipArchive): as a Buffer, or written to
   * `toFile` (then resolves to that path).
   * @overload
   * @param {ArtifactRecord | string} artifact  a record, or the name of one
   * @returns {Promise<Buffer>}
   */
  /**
   * @overload
   * @param {ArtifactRecord | string} artifact
   * @param {string} toFile
   * @returns {Promise<string>}
   */
  /**
   * @param {ArtifactRecord | string} artifact
   * @param {string} [toFile]
   * @returns {Promise<Buffer | string>}
   */
  async downloadArtifactZip(artifact, toFile) {
    const record = typeof artifact === 'string' ? this.artifact(artifact) : artifact
    if (record == null) throw new Error(`No artifact named ${String(artifact)}`)
    const res = await send(this.signedBlobUrl(record))
    if (res.statusCode !== 200) {
      const body = (await readAll(res)).toString('utf8')
      throw new Error(`GET ${record.blobName}: HTTP ${res.statusCode} ${body}`)
    }
    if (toFile == null) return readAll(res)
    await pipeline(res, createWriteStream(toFile))
    return toFile
  }

  /** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
  async handle(req, res) {
    const chunks = []
    for await (const chunk of req) chunks.push(chunk)
    const rawBody = Buffer.concat(chunks).toString('utf8')
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    const match = new RegExp(`^/twirp/${ARTIFACT_SERVICE.replace(/\./g, '\\.')}/(\\w+)$`).exec(path)
    /** @type {RecordedCall} */
    const call = {
      method: match?.[1] ?? 'unknown',
      path,
      headers: req.headers,
      body: parseJson(rawBody),
      rawBody,
      at: Date.now(),
      status: 0,
      response: undefined
    }
    this.requests.push(call)
    /** @type {(status: number, doc: unknown) => void} */
    const answer = (status, doc) => {
      call.status = status
      call.response = doc
      json(res, status, doc)
    }
    /** @type {(status: number, code: string, msg: string) => void} */
    const fail = (status, code, msg) => answer(status, { code, msg })

    if (this.options.latencyMs) await sleep(this.options.latencyMs)
    const fault = this.faults.take(call)
    if (fault?.delayMs) await sleep(fault.delayMs)
    if (fault?.body != null) {
      call.status = fault.status ?? 400
      call.response = fault.body
      res.writeHead(call.status, { 'content-type': 'application/json' })
      return void res.end(fault.body)
    }
    if (fault) {
      const status = fault.status ?? 400
      return fail(status, fault.code ?? twirpCode(status), fault.msg ?? 'injected fault')
    }

    if (req.method !== 'POST' || match == null)
      return fail(404, 'bad_route', `no handler for path "${path}"`)
    if (req.headers.authorization !== `Bearer ${this.runtimeToken}`)
      return fail(401, 'unauthenticated', 'invalid or missing runtime token')
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
      return fail(404, 'bad_route', `unexpected Content-Type: ${req.headers['content-type']}`)
    const body = call.body
    if (body == null || typeof body !== 'object' || Array.isArray(body))
      return fail(400, 'malformed', 'the json request could not be decoded')
    if (
      body.workflow_run_backend_id !== this.workflowRunBackendId ||
      body.workflow_job_run_backend_id !== this.workflowJobRunBackendId
    ) {
      return fail(403, 'permission_denied', 'the backend ids do not match the runtime token')
    }

    switch (call.method) {
      case 'CreateArtifact':
        return this.createArtifact(body, answer, fail)
      case 'FinalizeArtifact':
        return this.finalizeArtifact(body, answer, fail)
      case 'ListArtifacts':
        return this.listArtifacts(body, answer)
      case 'GetSignedArtifactURL':
        return this.getSignedArtifactUrl(body, answer, fail)
      case 'DeleteArtifact':
        return this.deleteArtifact(body, answer, fail)
      default:
        return fail(404, 'bad_route', `no handler for path "${path}"`)
    }
  }

  /**
   * @typedef {(status: number, doc: unknown) => void} Answer
   * @typedef {(status: number, code: string, msg: string) => void} Fail
   */

  /** @param {Record<string, any>} body @param {Answer} answer @param {Fail} fail */
  createArtifact(body, answer, fail) {
    const { name, expires_at: expiresAt, mime_type: mimeType, version } = body
    if (typeof name !== 'string' || name === '')
      return fail(400, 'invalid_argument', 'name is required')
    if (this.artifacts.some(a => a.name === name && a.state === 'finalized'))
      return fail(409, 'already_exists', ALREADY_EXISTS_MESSAGE)
    if (expiresAt != null && (typeof expiresAt !== 'string' || isNaN(Date.parse(expiresAt))))
      return fail(400, 'invalid_argument', 'expires_at is not a valid timestamp')
    for (const earlier of this.artifacts)
      if (earlier.name === name && earlier.state === 'created') earlier.state = 'superseded'
    const id = this.nextId++
    const createdAt = Date.now()
    const blobName = `${this.workflowRunBackendId}/workflow-job-run-${this.workflowJobRunBackendId}/artifacts/${createHash('sha256').update(`${id}:${name}`).digest('hex')}.zip`
    /** @type {ArtifactRecord} */
    const record = {
      id,
      name,
      state: 'created',
      workflowRunBackendId: this.workflowRunBackendId,
      workflowJobRunBackendId: this.workflowJobRunBackendId,
      mimeType: typeof mimeType === 'string' ? mimeType : undefined,
      version: typeof version === 'number' ? version : undefined,
      expiresAt,
      retentionDays:
        expiresAt == null ? undefined : Math.round((Date.parse(expiresAt) - createdAt) / 86400000),
      container: this.container,
      blobName,
      blobUrl: `${this.storage.url}/${this.container}/${encodePath(blobName)}`,
      signedUploadUrl: '',
      createdAt,
      finalizedAt: undefined,
      size: undefined,
      hash: undefined,
      digest: undefined,
      blobSize: undefined
    }
    record.signedUploadUrl = this.signedBlobUrl(record, 'cw')
    this.artifacts.push(record)
    answer(200, { ok: true, signed_upload_url: record.signedUploadUrl })
  }

  /** @param {Record<string, any>} body @param {Answer} answer @param {Fail} fail */
  async finalizeArtifact(body, answer, fail) {
    const { name, size, hash } = body
    const record = this.artifacts.find(a => a.name === name && a.state === 'created')
    if (record == null) {
      if (this.artifacts.some(a => a.name === name && a.state === 'finalized'))
        return fail(409, 'already_exists', ALREADY_EXISTS_MESSAGE)
      return fail(404, 'not_found', `artifact ${JSON.stringify(name)} was not created`)
    }
    if (size != null && !/^\d+$/.test(String(size)))
      return fail(400, 'invalid_argument', 'size is not an int64')
    if (hash != null && (typeof hash !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(hash)))
      return fail(400, 'invalid_argument', `hash is not "sha256:<hex>": ${JSON.stringify(hash)}`)
    record.blobSize = await blobSize(this.storage, record.container, record.blobName)
    record.state = 'finalized'
    record.finalizedAt = Date.now()
    record.size = Number(size ?? 0)
    record.hash = hash ?? undefined
    record.digest = hash?.slice('sha256:'.length)
    answer(200, { ok: true, artifact_id: String(record.id) })
  }

  /** @param {Record<string, any>} body @param {Answer} answer */
  listArtifacts(body, answer) {
    const nameFilter = body.name_filter
    const idFilter = body.id_filter == null ? undefined : Number(body.id_filter)
    const artifacts = this.finalized()
      .filter(
        a =>
          (nameFilter == null || a.name === nameFilter) && (idFilter == null || a.id === idFilter)
      )
      .map(a => ({
        workflow_run_backend_id: a.workflowRunBackendId,
        workflow_job_run_backend_id: a.workflowJobRunBackendId,
        database_id: String(a.id),
        name: a.name,
        size: String(a.size ?? 0),
        created_at: new Date(a.createdAt).toISOString(),
        ...(a.hash ? { digest: a.hash } : {})
      }))
    answer(200, { artifacts })
  }

  /** @param {Record<string, any>} body @param {Answer} answer @param {Fail} fail */
  getSignedArtifactUrl(body, answer, fail) {
    const record = this.finalized().find(a => a.name === body.name)
    if (record == null) return fail(404, 'not_found', 'artifact not found')
    answer(200, { signed_url: this.signedBlobUrl(record) })
  }

  /** @param {Record<string, any>} body @param {Answer} answer @param {Fail} fail */
  deleteArtifact(body, answer, fail) {
    const record = this.finalized().find(a => a.name === body.name)
    if (record == null) return fail(404, 'not_found', 'artifact not found')
    record.state = 'deleted'
    answer(200, { ok: true, artifact_id: String(record.id) })
  }
}

/** @param {ResultsServiceOptions} [options] */
export function startResultsService(options) {
  return new ResultsService(options).start()
}

/**
 * An unsigned JWT (alg "none") whose `scp` claim carries the backend ids, as the runner's
 * ACTIONS_RUNTIME_TOKEN does. The artifact client only decodes it, never verifies it.
 * @param {string} workflowRunBackendId
 * @param {string} workflowJobRunBackendId
 */
export function runtimeToken(workflowRunBackendId, workflowJobRunBackendId) {
  const now = Math.floor(Date.now() / 1000)
  const header = { typ: 'JWT', alg: 'none' }
  const claims = {
    scp: `Actions.GenericRead:${workflowRunBackendId} Actions.Results:${workflowRunBackendId}:${workflowJobRunBackendId}`,
    iss: 'https://token.actions.githubusercontent.com/fake',
    aud: 'vso:fake',
    nbf: now - 60,
    iat: now - 60,
    exp: now + 6 * 3600
  }
  const encode = (/** @type {unknown} */ value) =>
    Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${encode(header)}.${encode(claims)}.`
}

// ─── Shared Access Signatures (computed as Azure Storage and Azurite check them) ───

/** @param {Date} date */
function sasTime(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/**
 * A service SAS URL for one blob (sr=b, signed version 2020-12-06).
 * @param {StorageAccount} storage
 * @param {{container: string, blob: string, permissions: string, ttlMinutes?: number}} what
 *   permissions in Azure's order, e.g. 'r', 'cw', 'racw'
 */
export function blobSasUrl(storage, { container, blob, permissions, ttlMinutes = 60 }) {
  const now = Date.now()
  const start = sasTime(new Date(now - 5 * 60000))
  const expiry = sasTime(new Date(now + ttlMinutes * 60000))
  const signature = sign(
    storage.key,
    blobSasStringToSign({
      permissions,
      start,
      expiry,
      resource: `/blob/${storage.account}/${container}/${blob}`,
      version: SAS_VERSION,
      signedResource: 'b'
    })
  )
  const query = new URLSearchParams({
    sv: SAS_VERSION,
    st: start,
    se: expiry,
    sr: 'b',
    sp: permissions,
    sig: signature
  })
  return `${storage.url}/${container}/${encodePath(blob)}?${query}`
}

/**
 * @param {{permissions: string, start: string, expiry: string, resource: string, version: string,
 *   signedResource: string}} values
 */
function blobSasStringToSign(values) {
  // permissions, start, expiry, canonicalized resource, identifier, IP, protocol, version,
  // resource, snapshot time, encryption scope, rscc, rscd, rsce, rscl, rsct
  return [
    values.permissions,
    values.start,
    values.expiry,
    values.resource,
    '',
    '',
    '',
    values.version,
    values.signedResource,
    '',
    '',
    '',
    '',
    '',
    '',
    ''
  ].join('\n')
}

/**
 * An account SAS query string (blob service; service, container and object level).
 * @param {StorageAccount} storage
 * @param {string} [permissions]
 */
export function accountSasQuery(storage, permissions = 'rwdlac') {
  const now = Date.now()
  const start = sasTime(new Date(now - 5 * 60000))
  const expiry = sasTime(new Date(now + 60 * 60000))
  const stringToSign = [
    storage.account,
    permissions,
    'b',
    'sco',
    start,
    expiry,
    '',
    '',
    SAS_VERSION,
    '',
    ''
  ].join('\n')
  return new URLSearchParams({
    sv: SAS_VERSION,
    ss: 'b',
    srt: 'sco',
    sp: permissions,
    st: start,
    se: expiry,
    sig: sign(storage.key, stringToSign)
  }).toString()
}

/** @param {string} key @param {string} text */
function sign(key, text) {
  return createHmac('sha256', Buffer.from(key, 'base64')).update(text, 'utf8').digest('base64')
}

/** Creates a container (no error if it exists). */
/** @param {StorageAccount} storage @param {string} container */
export async function createContainer(storage, container) {
  const res = await send(
    `${storage.url}/${container}?restype=container&${accountSasQuery(storage)}`,
    {
      method: 'PUT',
      headers: { 'x-ms-version': STORAGE_API_VERSION, 'content-length': '0' }
    }
  )
  const body = (await readAll(res)).toString('utf8')
  if (res.statusCode !== 201 && res.statusCode !== 409)
    throw new Error(`Creating container ${container}: HTTP ${res.statusCode} ${body}`)
}

/** The size of a blob, or undefined if there is none. */
/** @param {StorageAccount} storage @param {string} container @param {string} blob */
export async function blobSize(storage, container, blob) {
  const res = await send(blobSasUrl(storage, { container, blob, permissions: 'r' }), {
    method: 'HEAD',
    headers: { 'x-ms-version': STORAGE_API_VERSION }
  })
  res.resume()
  if (res.statusCode === 404) return undefined
  if (res.statusCode !== 200) throw new Error(`HEAD ${blob}: HTTP ${res.statusCode}`)
  return Number(res.headers['content-length'])
}

// ─── The built-in blob store ───

/**
 * @typedef {object} StoredBlob
 * @property {Buffer} data
 * @property {string} contentType
 * @property {string} etag
 * @property {Date} lastModified
 * @property {Map<string, Buffer>} committedBlocks
 *
 * @typedef {object} BlobRequest
 * @property {string} method
 * @property {string} container
 * @property {string} blob
 * @property {string} operation  PutBlock | PutBlockList | PutBlob | GetBlob | GetBlobProperties | CreateContainer | ...
 * @property {number} bytes  request body size
 * @property {number} status
 * @property {number} at
 */

/**
 * Just enough of Azure Blob Storage for `BlockBlobClient.uploadStream` (Put Block, Put Block
 * List), Put Blob, Get Blob (with Range) and Get Blob Properties, with service-SAS checking.
 * Blobs are held in memory: meant for the demo, not for gigabytes.
 */
export class BuiltinBlobStorage {
  /** @param {{account?: string, key?: string, port?: number}} [options] */
  constructor(options = {}) {
    this.options = options
    /** @type {StorageAccount} */
    this.account = {
      url: '',
      account: options.account ?? DEV_STORAGE_ACCOUNT,
      key: options.key ?? DEV_STORAGE_KEY
    }
    /** @type {Set<string>} */
    this.containers = new Set()
    /** @type {Map<string, StoredBlob>} keyed by "container/blob" */
    this.blobs = new Map()
    /** @type {Map<string, Map<string, Buffer>>} uncommitted blocks, keyed by "container/blob" */
    this.uncommitted = new Map()
    /** @type {BlobRequest[]} */
    this.requests = []
    this.http = new LoopbackServer(
      (req, res) => this.handle(req, res),
      (res, error) => storageError(res, 500, 'InternalError', String(error))
    )
  }

  /** @returns {Promise<this>} */
  async start() {
    this.account.url = `${await this.http.listen(this.options.port)}/${this.account.account}`
    return this
  }

  get url() {
    return this.account.url
  }

  async close() {
    await this.http.close()
  }

  /** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
  async handle(req, res) {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const segments = url.pathname.split('/').slice(1).map(safeDecode)
    const [account = '', container = '', ...rest] = segments
    const blob = rest.join('/')
    const query = url.searchParams
    const method = req.method ?? 'GET'
    const comp = query.get('comp')
    const operation =
      method === 'PUT' && query.get('restype') === 'container'
        ? 'CreateContainer'
        : method === 'PUT' && comp === 'block'
          ? 'PutBlock'
          : method === 'PUT' && comp === 'blocklist'
            ? 'PutBlockList'
            : method === 'PUT' && comp == null
              ? 'PutBlob'
              : method === 'GET' && comp == null
                ? 'GetBlob'
                : method === 'HEAD' && comp == null
                  ? 'GetBlobProperties'
                  : 'Unsupported'
    const chunks = []
    for await (const chunk of req) chunks.push(chunk)
    const body = Buffer.concat(chunks)
    /** @type {BlobRequest} */
    const record = {
      method,
      container,
      blob,
      operation,
      bytes: body.length,
      status: 0,
      at: Date.now()
    }
    this.requests.push(record)
    /** @type {(status: number, code: string, message: string) => void} */
    const fail = (status, code, message) => {
      record.status = status
      storageError(res, status, code, message, method === 'HEAD')
    }
    /** @type {(status: number, headers?: Record<string, string>, data?: Buffer) => void} */
    const ok = (status, headers = {}, data) => {
      record.status = status
      res.writeHead(status, {
        'x-ms-request-id': randomUUID(),
        'x-ms-version': String(req.headers['x-ms-version'] ?? STORAGE_API_VERSION),
        date: new Date().toUTCString(),
        ...headers,
        ...(data == null ? { 'content-length': '0' } : {})
      })
      if (data == null || method === 'HEAD') res.end()
      else res.end(data)
    }

    if (account !== this.account.account)
      return fail(
        400,
        'InvalidUri',
        `The requested URI does not represent any resource on the server.`
      )
    const denied = this.checkSas(query, container, blob, operation)
    if (denied) return fail(403, 'AuthenticationFailed', denied)

    if (operation === 'CreateContainer') {
      if (this.containers.has(container))
        return fail(409, 'ContainerAlreadyExists', 'The specified container already exists.')
      this.containers.add(container)
      return ok(201, { etag: etag(), 'last-modified': new Date().toUTCString() })
    }
    if (operation === 'Unsupported')
      return fail(
        400,
        'UnsupportedHttpVerb',
        `The built-in blob store does not support ${method} ${url.search}`
      )
    if (!this.containers.has(container))
      return fail(404, 'ContainerNotFound', 'The specified container does not exist.')
    if (blob === '') return fail(400, 'InvalidUri', 'No blob name')
    const key = `${container}/${blob}`

    if (operation === 'PutBlock') {
      const blockId = query.get('blockid')
      if (!blockId) return fail(400, 'MissingRequiredQueryParameter', 'blockid is required')
      const blocks = this.uncommitted.get(key) ?? new Map()
      blocks.set(blockId, body)
      this.uncommitted.set(key, blocks)
      return ok(201, { 'x-ms-request-server-encrypted': 'true' })
    }
    if (operation === 'PutBlockList') {
      const uncommitted = this.uncommitted.get(key) ?? new Map()
      const committed = this.blobs.get(key)?.committedBlocks ?? new Map()
      /** @type {Map<string, Buffer>} */
      const blocks = new Map()
      const pattern = /<(Latest|Committed|Uncommitted)>([^<]*)<\/\1>/g
      for (const [, kind, id = ''] of body.toString('utf8').matchAll(pattern)) {
        const data =
          kind === 'Committed'
            ? committed.get(id)
            : kind === 'Uncommitted'
              ? uncommitted.get(id)
              : (uncommitted.get(id) ?? committed.get(id))
        if (data == null)
          return fail(400, 'InvalidBlockList', 'The specified block list is invalid.')
        blocks.set(id, data)
      }
      this.uncommitted.delete(key)
      const stored = this.store(key, Buffer.concat([...blocks.values()]), req, blocks)
      return ok(201, {
        etag: stored.etag,
        'last-modified': stored.lastModified.toUTCString(),
        'x-ms-request-server-encrypted': 'true'
      })
    }
    if (operation === 'PutBlob') {
      if (req.headers['x-ms-blob-type'] !== 'BlockBlob')
        return fail(400, 'MissingRequiredHeader', 'x-ms-blob-type: BlockBlob is required')
      const stored = this.store(key, body, req, new Map())
      return ok(201, {
        etag: stored.etag,
        'last-modified': stored.lastModified.toUTCString(),
        'x-ms-request-server-encrypted': 'true'
      })
    }
    // GetBlob, GetBlobProperties
    const stored = this.blobs.get(key)
    if (stored == null) return fail(404, 'BlobNotFound', 'The specified blob does not exist.')
    const headers = {
      'content-type': stored.contentType,
      etag: stored.etag,
      'last-modified': stored.lastModified.toUTCString(),
      'accept-ranges': 'bytes',
      'x-ms-blob-type': 'BlockBlob'
    }
    const range = /^bytes=(\d+)-(\d*)$/.exec(
      String(req.headers['x-ms-range'] ?? req.headers.range ?? '')
    )
    if (range && operation === 'GetBlob') {
      const start = Number(range[1])
      const end = Math.min(range[2] ? Number(range[2]) : Infinity, stored.data.length - 1)
      if (start >= stored.data.length)
        return fail(
          416,
          'InvalidRange',
          'The range specified is invalid for the current size of the resource.'
        )
      const part = stored.data.subarray(start, end + 1)
      return ok(
        206,
        {
          ...headers,
          'content-length': String(part.length),
          'content-range': `bytes ${start}-${end}/${stored.data.length}`
        },
        part
      )
    }
    return ok(200, { ...headers, 'content-length': String(stored.data.length) }, stored.data)
  }

  /**
   * @param {string} key @param {Buffer} data @param {http.IncomingMessage} req
   * @param {Map<string, Buffer>} committedBlocks
   */
  store(key, data, req, committedBlocks) {
    /** @type {StoredBlob} */
    const stored = {
      data,
      contentType: String(req.headers['x-ms-blob-content-type'] ?? 'application/octet-stream'),
      etag: etag(),
      lastModified: new Date(),
      committedBlocks
    }
    this.blobs.set(key, stored)
    return stored
  }

  /**
   * Checks a service SAS (sr=b or sr=c) or an account SAS; returns why it is refused, if it is.
   * @param {URLSearchParams} query @param {string} container @param {string} blob @param {string} operation
   */
  checkSas(query, container, blob, operation) {
    const sig = query.get('sig')
    if (!sig) return 'Server failed to authenticate the request: no signature.'
    const permissions = query.get('sp') ?? ''
    const start = query.get('st') ?? ''
    const expiry = query.get('se') ?? ''
    const version = query.get('sv') ?? ''
    let expected
    if (query.has('ss')) {
      expected = sign(
        this.account.key,
        [
          this.account.account,
          permissions,
          query.get('ss') ?? '',
          query.get('srt') ?? '',
          start,
          expiry,
          query.get('sip') ?? '',
          query.get('spr') ?? '',
          version,
          query.get('ses') ?? '',
          ''
        ].join('\n')
      )
    } else {
      const signedResource = query.get('sr') ?? ''
      const resource =
        signedResource === 'c'
          ? `/blob/${this.account.account}/${container}`
          : `/blob/${this.account.account}/${container}/${blob}`
      expected = sign(
        this.account.key,
        blobSasStringToSign({ permissions, start, expiry, resource, version, signedResource })
      )
    }
    if (expected !== sig)
      return 'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.'
    const now = Date.now()
    if (!expiry || Date.parse(expiry) < now) return 'Signed expiry time has passed.'
    if (start && Date.parse(start) > now) return 'Signed start time is in the future.'
    const needed =
      operation === 'GetBlob' || operation === 'GetBlobProperties'
        ? ['r']
        : operation === 'CreateContainer'
          ? ['c', 'w']
          : ['w', 'c']
    if (!needed.some(p => permissions.includes(p)))
      return 'This request is not authorized to perform this operation using this permission.'
    return undefined
  }
}

// ─── Helpers ───

/** @param {number} status */
function twirpCode(status) {
  /** @type {Record<number, string>} */
  const codes = {
    400: 'invalid_argument',
    401: 'unauthenticated',
    403: 'permission_denied',
    404: 'not_found',
    408: 'deadline_exceeded',
    409: 'already_exists',
    412: 'failed_precondition',
    429: 'resource_exhausted',
    500: 'internal',
    501: 'unimplemented',
    503: 'unavailable',
    504: 'deadline_exceeded'
  }
  return codes[status] ?? (status >= 500 ? 'internal' : 'invalid_argument')
}

/** @param {http.ServerResponse} res @param {number} status @param {string} code @param {string} msg */
function twirpError(res, status, code, msg) {
  json(res, status, { code, msg })
}

/**
 * @param {http.ServerResponse} res @param {number} status @param {string} code
 * @param {string} message @param {boolean} [headOnly]
 */
function storageError(res, status, code, message, headOnly = false) {
  const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${escapeXml(message)}\nRequestId:${randomUUID()}\nTime:${new Date().toISOString()}</Message></Error>`
  res.writeHead(status, {
    'content-type': 'application/xml',
    'content-length': String(headOnly ? 0 : Buffer.byteLength(xml)),
    'x-ms-error-code': code,
    'x-ms-request-id': randomUUID()
  })
  res.end(headOnly ? undefined : xml)
}

/** @param {string} text */
function escapeXml(text) {
  return text.replace(/[<>&"']/g, c => `&#${c.charCodeAt(0)};`)
}

function etag() {
  return `"0x8D${randomBytes(6).toString('hex').toUpperCase()}"`
}

/** @param {string} path */
function encodePath(path) {
  return path.split('/').map(encodeURIComponent).join('/')
}

/** @param {string} text @returns {unknown} */
function parseJson(text) {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * An HTTP(S) request without a shared agent (no keep-alive sockets outlive it).
 * @param {string} url
 * @param {{method?: string, headers?: Record<string, string>, body?: Buffer | string}} [options]
 * @returns {Promise<http.IncomingMessage>}
 */
function send(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const target = new URL(url)
    const request = (target.protocol === 'https:' ? https : http).request(
      target,
      { method, headers, agent: false },
      resolve
    )
    request.on('error', reject)
    request.end(body)
  })
}

/** @param {http.IncomingMessage} res @returns {Promise<Buffer>} */
async function readAll(res) {
  const chunks = []
  for await (const chunk of res) chunks.push(chunk)
  return Buffer.concat(chunks)
}
