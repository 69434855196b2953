/**
 * downloadArtifacts over real HTTP: the simulator serves the bodies (slow, stalled, cut), the
 * Datalore client opens them, files land on disk. The idle limit is made short here through
 * its option (`idleTimeoutMs`); the product's is 60 s.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from '@jest/globals'
import {
  ArtifactSpec,
  artifactSha256,
  DataloreSimulator,
  startDataloreSimulator
} from '../simulator/datalore.js'
import { systemClock } from '../src/clock.js'
import { DataloreClient } from '../src/datalore/client.js'
import { downloadArtifacts, Downloads } from '../src/artifacts/download.js'
import { HttpTransport } from '../src/http.js'

let sim: DataloreSimulator
let transport: HttpTransport
let dir: string

beforeAll(async () => {
  sim = await startDataloreSimulator()
})
afterAll(() => sim.close())
beforeEach(() => {
  transport = new HttpTransport('download-test')
  dir = mkdtempSync(join(tmpdir(), 'datalore-download-'))
})
afterEach(() => {
  transport.close()
  rmSync(dir, { recursive: true, force: true })
  sim.faults.clear()
  sim.requests.length = 0
})

/** Serves `spec` at /files/<name> and downloads it with this idle limit; retries are logged. */
async function download(
  spec: ArtifactSpec,
  idleTimeoutMs: number
): Promise<Downloads & { retries: string[] }> {
  const path = `/files/${spec.name}`
  sim.addFile(path, spec)
  const client = new DataloreClient(transport, { host: sim.url, token: sim.token })
  const retries: string[] = []
  const result = await downloadArtifacts({
    artifacts: [{ name: spec.name, path, file: spec.name }],
    dir,
    open: (artifact, signal) => client.openArtifact(artifact, signal),
    clock: systemClock,
    deadline: systemClock.now() + 30_000,
    retryCapMs: 200,
    idleTimeoutMs,
    onRetry: (_artifact, error) => retries.push(String(error))
  })
  return { ...result, retries }
}

const requestsFor = (name: string): number =>
  sim.requests.filter(r => r.path === `/files/${name}`).length

it('lets a slow but steady body take many times the idle limit: the limit is on silence, not on the body', async () => {
  // 60 KB at 20 KB/s, a piece every 50 ms: about 3 s against an idle limit of 1 s.
  // Seen red against download.ts without `idle.refresh()`: every attempt was cut at 1 s.
  const spec = { name: 'steady.bin', size: 60_000, seed: 'steady' }
  sim.fault({ on: 'file', action: 'trickle', bytes: 20_000 })
  const { downloaded, failed, retries } = await download(spec, 1_000)
  expect({ failed, retries }).toEqual({ failed: [], retries: [] })
  expect(downloaded.map(d => d.sha256)).toEqual([await artifactSha256(spec)])
  expect(requestsFor('steady.bin')).toBe(1)
})

it('gives up a body that stalls after its headers once the idle limit passes, and tries again', async () => {
  // Seen red against download.ts without its idle timer (the first attempt waited for the
  // deadline and nothing arrived), and against the empty partial file of the first attempt
  // left in place (EEXIST on the retry).
  const spec = { name: 'stalled.bin', size: 50_000, seed: 'stalled' }
  sim.fault({ on: 'file', action: 'stall', bytes: 0 })
  const { downloaded, failed, retries } = await download(spec, 300)
  expect(failed).toEqual([])
  expect(retries).toEqual([
    expect.stringMatching(/^NetworkError: no data from 127\.0\.0\.1:\d+ for 0\.3 s$/)
  ])
  expect(downloaded.map(d => d.sha256)).toEqual([await artifactSha256(spec)])
  expect(requestsFor('stalled.bin')).toBe(2)
})

it('starts a body that stalled halfway over, clean, and leaves only the finished file', async () => {
  // Half of the body on disk when the idle limit passes. Seen red against the partial file of
  // the failed attempt left in place (EEXIST on the retry).
  const spec = { name: 'half.bin', size: 1024 * 1024, seed: 'half' }
  sim.fault({ on: 'file', action: 'stall', bytes: 512 * 1024 })
  const { downloaded, failed, retries } = await download(spec, 300)
  expect(failed).toEqual([])
  expect(retries).toHaveLength(1)
  expect(requestsFor('half.bin')).toBe(2)
  const expected = await artifactSha256(spec)
  expect(downloaded.map(d => d.sha256)).toEqual([expected])
  expect(readdirSync(dir)).toEqual(['half.bin'])
  expect(
    createHash('sha256')
      .update(readFileSync(join(dir, 'half.bin')))
      .digest('hex')
  ).toBe(expected)
})
