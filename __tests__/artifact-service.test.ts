/**
 * Proof that the fake results service (simulator/github-results.js) and Azurite together let the
 * REAL @actions/artifact client upload, offline: the client runs unmocked in a child process,
 * exactly as in the action, and the zip it uploaded is read back and compared byte for byte.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { crc32, deflateRawSync } from 'node:zlib'
import {
  ALREADY_EXISTS_MESSAGE,
  startResultsService,
  type ResultsService
} from '../simulator/github-results.js'
import { listZip, zipDigests } from '../harness/zip.js'
import { runArtifactClient } from './support/artifact-client.js'
import { listBlobs, useAzurite, type AzuriteEndpoint } from './support/azurite.js'

interface ChildOutcome {
  ok: boolean
  result?: { id: number; size: number; digest: string }
  error?: { name: string; constructor: string; message: string }
  durationMs: number
  maxRssKiB: number
  stdout: string
  code: number | null
}

let work: string
let files: Record<string, Buffer>

/** Runs DefaultArtifactClient().uploadArtifact in a fresh node process with this environment. */
async function upload(
  env: Record<string, string | undefined>,
  name: string,
  options: Record<string, unknown> = {},
  names: string[] = Object.keys(files)
): Promise<ChildOutcome> {
  const spec = {
    name,
    files: names.map(n => join(work, 'upload', n)),
    rootDirectory: join(work, 'upload'),
    options
  }
  const run = await runArtifactClient<ChildOutcome>(env, spec, work)
  return { ...run.outcome, stdout: run.output, code: run.code }
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex')

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'artifact-service-'))
  files = {
    'big.bin': randomBytes(20 * 1024 * 1024),
    'naïve ☃ 日本語 ünïcödé.txt': Buffer.from('grüße, 世界\n'),
    'empty.txt': Buffer.alloc(0),
    'nested/deeper/table.csv': Buffer.from('a,b\n1,2\n'.repeat(1000))
  }
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(work, 'upload', name, '..'), { recursive: true })
    writeFileSync(join(work, 'upload', name), content)
  }
})

afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('with Azurite', () => {
  let azurite: AzuriteEndpoint
  let service: ResultsService

  beforeAll(async () => {
    azurite = await useAzurite()
    service = await startResultsService({ blobBaseUrl: azurite.url })
  })

  afterAll(async () => {
    await service?.close()
    await azurite?.stop()
  })

  test('uploads every file byte for byte, and reports the zip digest', async () => {
    const outcome = await upload(service.env, 'report', { retentionDays: 3, compressionLevel: 6 })
    expect(outcome.error).toBeUndefined()
    expect(outcome.code).toBe(0)

    expect(service.requests.map(r => r.method)).toEqual(['CreateArtifact', 'FinalizeArtifact'])
    const [create, finalize] = service.requests
    expect(create?.body).toMatchObject({
      workflow_run_backend_id: service.workflowRunBackendId,
      workflow_job_run_backend_id: service.workflowJobRunBackendId,
      name: 'report',
      mime_type: 'application/zip',
      version: 7
    })
    expect(Date.parse(create?.body.expires_at) - create!.at).toBeGreaterThan(3 * 86400000 - 60000)
    expect(Date.parse(create?.body.expires_at) - create!.at).toBeLessThan(3 * 86400000 + 60000)

    const artifact = service.artifact('report')!
    expect(artifact).toMatchObject({
      state: 'finalized',
      retentionDays: 3,
      mimeType: 'application/zip'
    })
    const zip = await service.downloadArtifactZip(artifact)
    expect(outcome.result).toEqual({ id: artifact.id, size: zip.length, digest: sha256(zip) })
    expect(finalize?.body).toEqual({
      workflow_run_backend_id: service.workflowRunBackendId,
      workflow_job_run_backend_id: service.workflowJobRunBackendId,
      name: 'report',
      size: String(zip.length),
      hash: `sha256:${sha256(zip)}`
    })
    expect(artifact.blobSize).toBe(zip.length)
    expect(artifact.id).toBeGreaterThan(2 ** 32)

    const digests = await zipDigests(zip)
    expect(Object.fromEntries(digests)).toEqual(
      Object.fromEntries(
        Object.entries(files).map(([name, content]) => [
          name,
          { size: content.length, sha256: sha256(content) }
        ])
      )
    )
    const entries = await listZip(zip)
    expect(entries.find(e => e.name.startsWith('naïve'))?.utf8).toBe(true)

    const blobs = await listBlobs(azurite, service.container)
    expect(blobs).toContainEqual({ name: artifact.blobName, size: zip.length })
  })

  test('a second upload under the same name gets the 409 GitHub answers, as the client reports it', async () => {
    const before = service.requests.length
    const outcome = await upload(service.env, 'report', {}, ['empty.txt'])
    expect(outcome.code).toBe(1)
    expect(outcome.error).toMatchObject({
      name: 'Error',
      constructor: 'Error',
      message: `Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: ${ALREADY_EXISTS_MESSAGE}`
    })
    const calls = service.requests.slice(before)
    expect(calls.map(c => [c.method, c.status])).toEqual([['CreateArtifact', 409]])
    expect(calls[0]?.response).toEqual({ code: 'already_exists', msg: ALREADY_EXISTS_MESSAGE })
  })

  test('a 400 on FinalizeArtifact fails the upload; uploading again under that name works', async () => {
    service.fault({ on: 'FinalizeArtifact', status: 400, msg: 'size does not match' })
    const failed = await upload(service.env, 'retry-me', {}, ['empty.txt'])
    expect(failed.error?.message).toBe(
      'Failed to FinalizeArtifact: Received non-retryable error: Failed request: (400) Bad Request: size does not match'
    )
    expect(service.artifact('retry-me')?.state).toBe('created')

    const again = await upload(service.env, 'retry-me', {}, ['empty.txt'])
    expect(again.error).toBeUndefined()
    expect(service.artifacts.filter(a => a.name === 'retry-me').map(a => a.state)).toEqual([
      'superseded',
      'finalized'
    ])
    const zip = await service.downloadArtifactZip('retry-me')
    expect([...(await zipDigests(zip)).keys()]).toEqual(['empty.txt'])
  })

  test.each([
    [
      400,
      'invalid_argument',
      'bad name',
      'Error',
      'Failed to CreateArtifact: Received non-retryable error: Failed request: (400) Bad Request: bad name'
    ],
    [
      403,
      'permission_denied',
      'insufficient usage to create artifact',
      'Error', // the client's UsageError, wrapped in a plain Error by its Twirp layer
      'Failed to CreateArtifact: Artifact storage quota has been hit. Unable to upload any new artifacts.'
    ]
  ])('a %i on CreateArtifact (%s)', async (status, code, msg, errorName, message) => {
    service.fault({ on: 'CreateArtifact', status, code, msg })
    const outcome = await upload(service.env, `fault-${status}`, {}, ['empty.txt'])
    expect(outcome.error?.name).toBe(errorName)
    expect(outcome.error?.message).toContain(message)
    expect(service.artifact(`fault-${status}`)).toBeUndefined()
  })

  test('without its environment the client fails before any request', async () => {
    const before = service.requests.length
    const { ACTIONS_RUNTIME_TOKEN, ACTIONS_RESULTS_URL } = service.env
    const noToken = await upload({ ACTIONS_RESULTS_URL }, 'x', {}, ['empty.txt'])
    expect(noToken.error).toMatchObject({
      name: 'Error',
      message: 'Unable to get the ACTIONS_RUNTIME_TOKEN env variable'
    })
    const noUrl = await upload({ ACTIONS_RUNTIME_TOKEN }, 'x', {}, ['empty.txt'])
    expect(noUrl.error).toMatchObject({
      name: 'Error',
      message: 'Unable to get the ACTIONS_RESULTS_URL env variable'
    })
    const badToken = await upload(
      { ACTIONS_RESULTS_URL, ACTIONS_RUNTIME_TOKEN: 'not-a-jwt' },
      'x',
      {},
      ['empty.txt']
    )
    expect(badToken.error?.name).toBe('InvalidTokenError')
    const ghes = await upload(
      { ...service.env, GITHUB_SERVER_URL: 'https://github.example.com' },
      'x',
      {},
      ['empty.txt']
    )
    expect(ghes.error?.name).toBe('GHESNotSupportedError')
    expect(service.requests.length).toBe(before)
  })
})

test('the built-in blob store (for the demo) takes the same upload', async () => {
  const service = await startResultsService({ blobStorage: 'builtin' })
  try {
    const names = ['naïve ☃ 日本語 ünïcödé.txt', 'empty.txt', 'nested/deeper/table.csv']
    const outcome = await upload(service.env, 'demo', { compressionLevel: 0 }, names)
    expect(outcome.error).toBeUndefined()
    const zip = await service.downloadArtifactZip('demo')
    expect(outcome.result?.digest).toBe(sha256(zip))
    const digests = await zipDigests(zip)
    expect([...digests.keys()].sort()).toEqual([...names].sort())
    for (const name of names) expect(digests.get(name)?.sha256).toBe(sha256(files[name]!))
    expect(service.builtinStorage?.requests.map(r => `${r.operation} ${r.status}`)).toEqual([
      'CreateContainer 201',
      'PutBlock 201',
      'PutBlockList 201',
      'GetBlobProperties 200',
      'GetBlob 200'
    ])
  } finally {
    await service.close()
  }
})

test('the zip reader reads ZIP64 archives, and checks every CRC-32', async () => {
  // archiver (what @actions/artifact zips with) with forceZip64: a ZIP64 end of central directory.
  // Level 0: the bytes are in the zip as they are, so one can be changed without breaking inflate.
  const archiver = ((await import(String('archiver'))) as { default: ArchiverFactory }).default
  const archive = archiver('zip', { forceZip64: true, zlib: { level: 0 } })
  const chunks: Buffer[] = []
  archive.on('data', (chunk: Buffer) => chunks.push(chunk))
  const done = new Promise(resolve => archive.on('end', resolve))
  const big = randomBytes(3 * 1024 * 1024)
  archive.append(big, { name: 'big.bin' })
  archive.append(Buffer.alloc(0), { name: 'empty' })
  archive.append('ü', { name: 'dir/ü.txt' })
  await archive.finalize()
  await done
  const zip = Buffer.concat(chunks)
  const zip64Locator = zip.readUInt32LE(zip.length - 22 - 20)
  expect(zip64Locator).toBe(0x07064b50)
  expect((await listZip(zip)).map(e => [e.name, e.hasDataDescriptor])).toEqual([
    ['big.bin', true],
    ['empty', true],
    ['dir/ü.txt', true]
  ])
  expect((await zipDigests(zip)).get('big.bin')?.sha256).toBe(sha256(big))

  // the same from a file; and a byte changed keeps the size, so only the CRC-32 catches it
  const file = join(work, 'zip64.zip')
  writeFileSync(file, zip)
  expect((await zipDigests(file)).get('dir/ü.txt')?.size).toBe(2)
  const corrupt = Buffer.from(zip)
  const at = zip.indexOf(big.subarray(0, 64)) + 1000
  corrupt.writeUInt8(corrupt.readUInt8(at) ^ 0xff, at)
  await expect(zipDigests(corrupt)).rejects.toThrow('zip: big.bin fails its CRC-32 check')

  // every size and offset in ZIP64 extra fields, as writers do past 4 GiB
  const handMade = zip64Archive([
    { name: 'a.bin', data: big, deflate: true },
    { name: 'b.txt', data: Buffer.from('plain'), deflate: false }
  ])
  expect((await listZip(handMade)).map(e => [e.name, e.zip64, e.size])).toEqual([
    ['a.bin', true, big.length],
    ['b.txt', true, 5]
  ])
  const digests = await zipDigests(handMade)
  expect(digests.get('a.bin')?.sha256).toBe(sha256(big))
  expect(digests.get('b.txt')?.sha256).toBe(sha256(Buffer.from('plain')))
})

type ArchiverFactory = (
  format: 'zip',
  options: Record<string, unknown>
) => NodeJS.EventEmitter & {
  append(source: Buffer | string, data: { name: string }): void
  finalize(): Promise<void>
}

/** A zip whose sizes and offsets all live in ZIP64 extra fields (32-bit fields saturated). */
function zip64Archive(entries: { name: string; data: Buffer; deflate: boolean }[]): Buffer {
  const parts: Buffer[] = []
  const central: Buffer[] = []
  let offset = 0
  for (const { name, data, deflate } of entries) {
    const body = deflate ? deflateRawSync(data) : data
    const nameBytes = Buffer.from(name)
    const crc = crc32(data)
    const extra = Buffer.alloc(4 + 16)
    extra.writeUInt16LE(1, 0)
    extra.writeUInt16LE(16, 2)
    extra.writeBigUInt64LE(BigInt(data.length), 4)
    extra.writeBigUInt64LE(BigInt(body.length), 12)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(45, 4)
    local.writeUInt16LE(deflate ? 8 : 0, 8)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(0xffffffff, 18)
    local.writeUInt32LE(0xffffffff, 22)
    local.writeUInt16LE(nameBytes.length, 26)
    local.writeUInt16LE(extra.length, 28)
    const centralExtra = Buffer.alloc(4 + 24)
    centralExtra.writeUInt16LE(1, 0)
    centralExtra.writeUInt16LE(24, 2)
    centralExtra.writeBigUInt64LE(BigInt(data.length), 4)
    centralExtra.writeBigUInt64LE(BigInt(body.length), 12)
    centralExtra.writeBigUInt64LE(BigInt(offset), 20)
    const header = Buffer.alloc(46)
    header.writeUInt32LE(0x02014b50, 0)
    header.writeUInt16LE(45, 4)
    header.writeUInt16LE(45, 6)
    header.writeUInt16LE(deflate ? 8 : 0, 10)
    header.writeUInt32LE(crc, 16)
    header.writeUInt32LE(0xffffffff, 20)
    header.writeUInt32LE(0xffffffff, 24)
    header.writeUInt16LE(nameBytes.length, 28)
    header.writeUInt16LE(centralExtra.length, 30)
    header.writeUInt32LE(0xffffffff, 42)
    central.push(header, nameBytes, centralExtra)
    parts.push(local, nameBytes, extra, body)
    offset += local.length + nameBytes.length + extra.length + body.length
  }
  const directory = Buffer.concat(central)
  const record = Buffer.alloc(56)
  record.writeUInt32LE(0x06064b50, 0)
  record.writeBigUInt64LE(44n, 4)
  record.writeUInt16LE(45, 12)
  record.writeUInt16LE(45, 14)
  record.writeBigUInt64LE(BigInt(entries.length), 24)
  record.writeBigUInt64LE(BigInt(entries.length), 32)
  record.writeBigUInt64LE(BigInt(directory.length), 40)
  record.writeBigUInt64LE(BigInt(offset), 48)
  const locator = Buffer.alloc(20)
  locator.writeUInt32LE(0x07064b50, 0)
  locator.writeBigUInt64LE(BigInt(offset + directory.length), 8)
  locator.writeUInt32LE(1, 16)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(0xffff, 8)
  end.writeUInt16LE(0xffff, 10)
  end.writeUInt32LE(0xffffffff, 12)
  end.writeUInt32LE(0xffffffff, 16)
  return Buffer.concat([...parts, directory, record, locator, end])
}
