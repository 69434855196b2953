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
 * The signed upload URL points into blob storage (./blob-store.js): either an Azure-compatible
 * service the caller runs (Azurite, `{blobBaseUrl}`) or, for the demo, a minimal built-in one
 * (`{blobStorage: 'builtin'}`, blobs held in memory) that is just enough for
 * `BlockBlobClient.uploadStream`.
 *
 * Plain JavaScript with no dependencies, so that `npm run demo` works before `npm ci`.
 */
import { createHash, randomUUID } from 'node:crypto'
import {
  BuiltinBlobStorage,
  DEV_STORAGE_ACCOUNT,
  DEV_STORAGE_KEY,
  blobSasUrl,
  blobSize,
  blobUrl,
  createContainer,
  downloadBlob
} from './blob-store.js'
import { FaultQueue } from './fault-queue.js'
import { json, LoopbackServer, sleep } from './loopback-server.js'

export const ARTIFACT_SERVICE = 'github.actions.results.api.v1.ArtifactService'
/** The message GitHub answers a CreateArtifact for a name already used in the run (HTTP 409). */
export const ALREADY_EXISTS_MESSAGE =
  'an artifact with this name already exists on the workflow run'

/**
 * @typedef {import('./blob-store.js').StorageAccount} StorageAccount
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
 * @property {boolean} [zipOnly]  refuse artifacts that are not zipped, as older services do
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
    return downloadBlob(this.signedBlobUrl(record), toFile)
  }

  /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
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
    // As GitHub Enterprise Server's and older services: zipped artifacts only.
    if (this.options.zipOnly && mimeType != null && mimeType !== 'application/zip')
      return fail(
        400,
        'invalid_argument',
        `mime_type ${mimeType} is not supported: artifacts are zip archives`
      )
    if (this.artifacts.some(a => a.name === name && a.state === 'finalized'))
      return fail(409, 'already_exists', ALREADY_EXISTS_MESSAGE)
    if (expiresAt != null && (typeof expiresAt !== 'string' || isNaN(Date.parse(expiresAt))))
      return fail(400, 'invalid_argument', 'expires_at is not a valid timestamp')
    for (const earlier of this.artifacts)
      if (earlier.name === name && earlier.state === 'created') earlier.state = 'superseded'
    const id = this.nextId++
    const createdAt = Date.now()
    // Only a zip's blob ends in .zip: a client downloading through a signed URL unzips what does
    // (@actions/artifact's downloadArtifact), and a file uploaded with skipArchive is served as it is.
    const extension = mimeType == null || mimeType === 'application/zip' ? '.zip' : ''
    const blobName = `${this.workflowRunBackendId}/workflow-job-run-${this.workflowJobRunBackendId}/artifacts/${createHash('sha256').update(`${id}:${name}`).digest('hex')}${extension}`
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
      blobUrl: blobUrl(this.storage, this.container, blobName),
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

/**
 * @param {import('node:http').ServerResponse} res @param {number} status @param {string} code
 * @param {string} msg
 */
function twirpError(res, status, code, msg) {
  json(res, status, { code, msg })
}

/** @param {string} text @returns {unknown} */
function parseJson(text) {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
