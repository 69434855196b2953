// @ts-check
/**
 * Blob storage for the fake results service (./github-results.js): what it needs of Azure Blob
 * Storage, spoken to any Azure-compatible service (Azurite in tests and the benchmark), and a
 * minimal built-in one for the demo. Shared Access Signatures are computed as Azure Storage and
 * Azurite check them, with the storage emulator's well-known development account.
 *
 * Plain JavaScript with no dependencies, so that `npm run demo` works before `npm ci`.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import { pipeline } from 'node:stream/promises'
import { URLSearchParams } from 'node:url'
import { LoopbackServer, safeDecode } from './loopback-server.js'

/** The storage emulator's well-known development account and key (public, documented by Microsoft). */
export const DEV_STORAGE_ACCOUNT = 'devstoreaccount1'
export const DEV_STORAGE_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

const SAS_VERSION = '2020-12-06'
const STORAGE_API_VERSION = '2020-12-06'

/**
 * @typedef {object} StorageAccount
 * @property {string} url  the blob endpoint, account included: http://127.0.0.1:10000/devstoreaccount1
 * @property {string} account
 * @property {string} key  base64 shared key
 */

// ─── Shared Access Signatures (computed as Azure Storage and Azurite check them) ───

/** @param {Date} date */
function sasTime(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/**
 * A service SAS URL for one blob (sr=b, signed version 2020-12-06).
 * @param {StorageAccount} storage
 * @param {{container: string, blob: string, permissions: string, ttlMinutes?: number,
 *   contentDisposition?: string}} what
 *   permissions in Azure's order, e.g. 'r', 'cw', 'racw'; contentDisposition: the
 *   Content-Disposition a read through this URL answers with (signed, as `rscd`), as GitHub's
 *   artifact download URLs name the file
 */
export function blobSasUrl(
  storage,
  { container, blob, permissions, ttlMinutes = 60, contentDisposition }
) {
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
      signedResource: 'b',
      contentDisposition
    })
  )
  const query = new URLSearchParams({
    sv: SAS_VERSION,
    st: start,
    se: expiry,
    sr: 'b',
    sp: permissions,
    ...(contentDisposition == null ? {} : { rscd: contentDisposition }),
    sig: signature
  })
  return `${blobUrl(storage, container, blob)}?${query}`
}

/**
 * @param {{permissions: string, start: string, expiry: string, resource: string, version: string,
 *   signedResource: string, contentDisposition?: string}} values
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
    values.contentDisposition ?? '',
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

// ─── Containers and blobs ───

/** A blob's URL, without a signature. */
/** @param {StorageAccount} storage @param {string} container @param {string} blob */
export function blobUrl(storage, container, blob) {
  return `${storage.url}/${container}/${encodePath(blob)}`
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

/**
 * Uploads a blob in one Put Blob (for small blobs a test seeds, not for streams).
 * @param {StorageAccount} storage
 * @param {{container: string, blob: string, data: Buffer | string, contentType?: string}} what
 */
export async function putBlob(storage, { container, blob, data, contentType }) {
  const body = Buffer.from(data)
  const res = await send(blobSasUrl(storage, { container, blob, permissions: 'cw' }), {
    method: 'PUT',
    headers: {
      'x-ms-version': STORAGE_API_VERSION,
      'x-ms-blob-type': 'BlockBlob',
      'content-length': String(body.length),
      ...(contentType == null ? {} : { 'x-ms-blob-content-type': contentType })
    },
    body
  })
  const text = (await readAll(res)).toString('utf8')
  if (res.statusCode !== 201) throw new Error(`PUT ${blob}: HTTP ${res.statusCode} ${text}`)
}

/**
 * A blob's bytes, read through a signed URL: as a Buffer, or written to `toFile` (then resolves
 * to that path).
 * @param {string} signedUrl
 * @param {string} [toFile]
 * @returns {Promise<Buffer | string>}
 */
export async function downloadBlob(signedUrl, toFile) {
  const res = await send(signedUrl)
  if (res.statusCode !== 200) {
    const body = (await readAll(res)).toString('utf8')
    // The path only: the query holds the signature.
    throw new Error(`GET ${new URL(signedUrl).pathname}: HTTP ${res.statusCode} ${body}`)
  }
  if (toFile == null) return readAll(res)
  await pipeline(res, createWriteStream(toFile))
  return toFile
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
    const rscd = query.get('rscd')
    const headers = {
      'content-type': stored.contentType,
      ...(rscd == null ? {} : { 'content-disposition': rscd }),
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
        blobSasStringToSign({
          permissions,
          start,
          expiry,
          resource,
          version,
          signedResource,
          contentDisposition: query.get('rscd') ?? undefined
        })
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
