/**
 * The run's artifacts, relayed for real: the bundled action downloads them from the Datalore
 * simulator and uploads them with the real artifact client to the fake results service, whose
 * blobs live in Azurite. The uploaded zip is then read back and compared byte for byte.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import {
  ArtifactSpec,
  artifactSha256,
  DataloreSimulator,
  NotebookSpec,
  startDataloreSimulator
} from '../simulator/datalore.js'
import { ResultsService, startResultsService } from '../simulator/github-results.js'
import { MAX_RSS_HOOK, maxRssKiB } from '../harness/nodes.js'
import { zipDigests } from '../harness/zip.js'
import { ActionResult, errorsOf, leaksOf, runAction, RunOptions } from './support/action.js'
import { useAzurite } from './support/azurite.js'

let sim: DataloreSimulator
/** Another origin, as object storage with signed URLs would be: it must never see the token. */
let storage: DataloreSimulator
let results: ResultsService

const GITHUB = { GITHUB_REPOSITORY: 'acme/analytics', GITHUB_RUN_ID: '7001' }

beforeAll(async () => {
  const azurite = await useAzurite()
  results = await startResultsService({ blobBaseUrl: azurite.url })
  sim = await startDataloreSimulator()
  storage = await startDataloreSimulator()
})
afterAll(async () => {
  await Promise.all([sim.close(), storage.close(), results.close()])
})
afterEach(() => {
  for (const server of [sim, storage]) {
    server.requests.length = 0
    server.faults.clear()
  }
  results.faults.clear()
})

let notebooks = 0
/** A fresh notebook for each test, so runs and their artifacts never mix. */
function notebook(spec: NotebookSpec): string {
  const id = `team/nb${++notebooks}`
  sim.addNotebook(id, { durationMs: 200, ...spec })
  return id
}

async function run(
  inputs: Record<string, string>,
  options: RunOptions = {}
): Promise<ActionResult> {
  const result = await runAction(
    { host: sim.url, token: sim.token, 'poll-interval-seconds': '0.2', ...inputs },
    {
      masked: () => results.masked(),
      ...options,
      env: { ...results.env, ...GITHUB, ...options.env }
    }
  )
  expect(leaksOf(result, sim.token)).toEqual([])
  return result
}

interface Listed {
  name: string
  file: string
  size: number
  sha256: string
}

function listedOf(result: ActionResult): Listed[] {
  return JSON.parse(result.outputs.artifacts ?? 'null') as Listed[]
}

/** Every file under `dir`, relative to it. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(path => statSync(join(dir, path)).isFile())
    .sort()
}

/** The uploaded zip's entries (name -> sha256), and the zip's own sha256. */
async function uploadedZip(
  name: string
): Promise<{ entries: Map<string, string>; sha256: string }> {
  const zip = await results.downloadArtifactZip(name)
  const entries = new Map(
    [...(await zipDigests(zip)).entries()].map(([file, digest]) => [file, digest.sha256])
  )
  return { entries, sha256: createHash('sha256').update(zip).digest('hex') }
}

async function expectedDigests(artifacts: ArtifactSpec[]): Promise<string[]> {
  return Promise.all(artifacts.map(artifactSha256))
}

describe('upload', () => {
  const artifacts: ArtifactSpec[] = [
    { name: 'analysis.ipynb', content: '{"cells": [], "nbformat": 4}' },
    {
      name: 'binary.bin',
      content: Buffer.from([0, 255, 13, 10, 26, 0, 128, 10]),
      contentType: 'text/plain'
    },
    { name: 'empty.csv', content: '' },
    { name: 'große Übersicht 数据 ✓.txt', content: 'grüße\n' },
    { name: 'large.bin', size: 64 * 1024 * 1024 + 123 }
  ]

  it('relays binary, empty, large and Unicode-named artifacts byte for byte', async () => {
    const id = notebook({ artifacts })
    const result = await run({ 'notebook-id': id })

    expect(result.code).toBe(0)
    const runId = result.outputs['run-id'] ?? ''
    const digests = await expectedDigests(artifacts)
    const listed = listedOf(result)
    expect(listed).toEqual(
      artifacts.map((a, i) => ({
        name: a.name,
        file: a.name,
        size: expect.any(Number),
        sha256: digests[i]
      }))
    )
    expect(listed.map(a => a.size)).toEqual([28, 8, 0, 8, 64 * 1024 * 1024 + 123])

    const name = `datalore-team-${id.split('/')[1]}-${runId}`
    const zip = await uploadedZip(name)
    expect(zip.entries).toEqual(new Map(artifacts.map((a, i) => [a.name, digests[i]])))
    const record = results.artifact(name)
    expect(record?.state).toBe('finalized')
    expect(result.outputs).toMatchObject({
      'artifact-id': String(record?.id),
      'artifact-digest': zip.sha256,
      'artifact-url': `https://github.com/acme/analytics/actions/runs/7001/artifacts/${record?.id}`,
      'artifacts-path': join(result.workDir, 'datalore', runId)
    })
    // The files stay where the output says, for later steps.
    expect(tree(result.outputs['artifacts-path'] ?? '')).toEqual(artifacts.map(a => a.name).sort())
    expect(result.summary).toContain(
      `Uploaded as the workflow artifact <a href="${result.outputs['artifact-url']}">${name}</a> (5 file(s), digest <code>${zip.sha256}</code>)`
    )
    expect(result.summary).toContain(
      '<td>große Übersicht 数据 ✓.txt</td><td align="right">8 B</td>'
    )
    expect(result.summary).toContain('<td>large.bin</td><td align="right">64 MiB</td>')
  })

  it('uploads the artifacts of a failed notebook too', async () => {
    const failed = [{ name: 'traceback.ipynb', content: '{"error": "ZeroDivisionError"}' }]
    const result = await run({ 'notebook-id': notebook({ success: false, artifacts: failed }) })

    expect(result.code).toBe(1)
    expect(result.outputs).toMatchObject({ conclusion: 'failure', success: 'false' })
    const zip = await uploadedZip(`datalore-team-nb${notebooks}-${result.outputs['run-id']}`)
    expect(zip.entries).toEqual(new Map([['traceback.ipynb', (await expectedDigests(failed))[0]]]))
  })

  it('uses retention-days, compression-level and artifact-name', async () => {
    const result = await run({
      'notebook-id': notebook({ artifacts: [{ name: 'a.txt', content: 'a'.repeat(10_000) }] }),
      'artifact-name': 'weekly-report',
      'retention-days': '3',
      'compression-level': '0'
    })
    expect(result.code).toBe(0)
    const record = results.artifact('weekly-report')
    expect(record?.retentionDays).toBe(3)
    // Stored, not deflated: the zip is bigger than its one entry.
    expect(record?.size).toBeGreaterThan(10_000)
  })
})

describe('names from the server', () => {
  it('writes traversal and forbidden-character names safely inside artifacts-path', async () => {
    const artifacts: ArtifactSpec[] = [
      { name: '../../x', content: 'escape attempt' },
      { name: '/etc/passwd', content: 'root' },
      { name: 'a:b*c?"<d>|.txt', content: 'forbidden' },
      { name: '..', content: 'dots' }
    ]
    const result = await run({
      'notebook-id': notebook({ artifacts }),
      'artifacts-path': 'out/datalore'
    })

    expect(result.code).toBe(0)
    const dir = join(result.workDir, 'out', 'datalore')
    expect(result.outputs['artifacts-path']).toBe(dir)
    const files = ['x', 'etc_passwd', 'a_b_c___d__.txt', 'artifact']
    expect(listedOf(result).map(a => [a.name, a.file])).toEqual(
      artifacts.map((a, i) => [a.name, files[i]])
    )
    expect(tree(dir)).toEqual([...files].sort())
    // Nothing was written anywhere else in the runner's folders.
    const elsewhere = tree(result.workDir).filter(path => !path.startsWith(`out/datalore/`))
    expect(elsewhere.sort()).toEqual(['github_output', 'step_summary'])
    expect(readFileSync(join(dir, 'x'), 'utf8')).toBe('escape attempt')
    const zip = await uploadedZip(`datalore-team-nb${notebooks}-${result.outputs['run-id']}`)
    expect([...zip.entries.keys()].sort()).toEqual([...files].sort())
  })

  it('keeps both of two artifacts with the same name', async () => {
    const artifacts = [
      { name: 'report.csv', content: 'first' },
      { name: 'report.csv', content: 'second' },
      { name: 'REPORT.csv', content: 'third' }
    ]
    const result = await run({ 'notebook-id': notebook({ artifacts }), artifacts: 'download' })
    const dir = result.outputs['artifacts-path'] ?? ''
    expect(listedOf(result).map(a => a.file)).toEqual([
      'report.csv',
      'report (2).csv',
      'REPORT (3).csv'
    ])
    expect(
      ['report.csv', 'report (2).csv', 'REPORT (3).csv'].map(f =>
        readFileSync(join(dir, f), 'utf8')
      )
    ).toEqual(['first', 'second', 'third'])
  })
})

describe('where the token goes', () => {
  it('never sends it to another origin: an absolute URL, or a redirect to object storage', async () => {
    storage.addFile('/bucket/direct.bin', { size: 4096, seed: 'direct' })
    storage.addFile('/bucket/redirected.bin', { size: 4096, seed: 'redirected' })
    const artifacts: ArtifactSpec[] = [
      { name: 'direct.bin', path: `${storage.url}/bucket/direct.bin` },
      { name: 'redirected.bin', redirectTo: `${storage.url}/bucket/redirected.bin` }
    ]
    const result = await run({ 'notebook-id': notebook({ artifacts }) })

    expect(result.code).toBe(0)
    expect(storage.requests.map(r => [r.path, r.headers.authorization])).toEqual(
      expect.arrayContaining([
        ['/bucket/direct.bin', undefined],
        ['/bucket/redirected.bin', undefined]
      ])
    )
    expect(storage.requests).toHaveLength(2)
    // The hop on Datalore itself did carry it.
    const redirecting = sim.requestsTo('artifact')
    expect(redirecting.map(r => r.headers.authorization)).toEqual([`Bearer ${sim.token}`])
    expect(listedOf(result).map(a => a.sha256)).toEqual([
      await artifactSha256({ name: 'x', size: 4096, seed: 'direct' }),
      await artifactSha256({ name: 'x', size: 4096, seed: 'redirected' })
    ])
  })
})

describe('downloads that go wrong', () => {
  it('retries a body cut short, from scratch, and ends intact', async () => {
    const artifacts = [{ name: 'cut.bin', size: 1024 * 1024 }]
    const id = notebook({ artifacts })
    sim.fault({ on: 'artifact', action: 'truncate', bytes: 300_000 })
    sim.fault({ on: 'artifact', action: 'long-content-length' })
    const result = await run({ 'notebook-id': id, artifacts: 'download' })

    expect(result.code).toBe(0)
    expect(sim.requestsTo('artifact')).toHaveLength(3)
    expect(listedOf(result)[0]?.sha256).toBe(await artifactSha256(artifacts[0] as ArtifactSpec))
    expect(statSync(join(result.outputs['artifacts-path'] ?? '', 'cut.bin')).size).toBe(1024 * 1024)
    expect(result.stdout).toMatch(
      /Downloading "cut.bin" failed \(attempt 1\).*Trying again from the start/
    )
  })

  it('fails the step naming an artifact that never arrived, and still uploads the others', async () => {
    const artifacts = [
      { name: 'ok-1.txt', content: 'one' },
      { name: 'gone.txt', content: 'never' },
      { name: 'ok-2.txt', content: 'two' }
    ]
    const id = notebook({ artifacts })
    sim.fault({ on: 'artifact', when: r => r.path.endsWith('/gone.txt'), status: 404, times: 10 })
    const result = await run({ 'notebook-id': id })

    expect(result.code).toBe(1)
    expect(result.outputs.conclusion).toBe('failure')
    expect(result.outputs.success).toBe('true')
    expect(errorsOf(result)).toEqual([
      expect.stringMatching(
        /^Could not download 1 of 3 artifact\(s\) of run \S+: "gone.txt" \(.*answered 404\)\. The other 2 were uploaded\.$/
      )
    ])
    expect(listedOf(result).map(a => a.name)).toEqual(['ok-1.txt', 'ok-2.txt'])
    const zip = await uploadedZip(`datalore-team-nb${notebooks}-${result.outputs['run-id']}`)
    expect([...zip.entries.keys()].sort()).toEqual(['ok-1.txt', 'ok-2.txt'])
    expect(result.summary).toContain('<td>gone.txt</td><td></td><td>❌ not downloaded:')
  })
})

describe('artifacts, if-no-artifacts', () => {
  it('download: writes the files, uploads nothing', async () => {
    const result = await run({
      'notebook-id': notebook({ artifacts: [{ name: 'a.txt', content: 'a' }] }),
      artifacts: 'download'
    })
    expect(result.code).toBe(0)
    expect(tree(result.outputs['artifacts-path'] ?? '')).toEqual(['a.txt'])
    expect(result.outputs['artifact-id']).toBeUndefined()
    expect(results.artifacts.filter(a => a.name.includes(result.outputs['run-id'] ?? '?'))).toEqual(
      []
    )
  })

  it('none: does not touch the artifacts', async () => {
    const result = await run({
      'notebook-id': notebook({ artifacts: [{ name: 'a.txt', content: 'a' }] }),
      artifacts: 'none'
    })
    expect(result.code).toBe(0)
    expect(sim.requestsTo('artifact')).toEqual([])
    expect(result.outputs['artifacts-path']).toBeUndefined()
    expect(result.outputs.artifacts).toBeUndefined()
  })

  it.each([
    [
      'warn',
      0,
      /::warning::Run \S+ listed no artifacts\. Set `if-no-artifacts: ignore` if that is expected\./
    ],
    [
      'error',
      1,
      /::error title=Datalore artifacts::Run \S+ listed no artifacts\. \(`if-no-artifacts: error`\)/
    ],
    ['ignore', 0, /^(?![\s\S]*listed no artifacts)/]
  ])('%s: exits %i when the run lists none', async (setting, code, message) => {
    const result = await run({
      'notebook-id': notebook({ artifacts: [] }),
      'if-no-artifacts': setting
    })
    expect(result.code).toBe(code)
    expect(result.stdout).toMatch(message)
    expect(result.outputs.artifacts).toBe('[]')
  })
})

describe('the artifact service', () => {
  it('fails with a message naming artifact-name when the name is taken (409)', async () => {
    const id = notebook({ artifacts: [{ name: 'a.txt', content: 'a' }] })
    const first = await run({ 'notebook-id': id, 'artifact-name': 'fixed-name' })
    expect(first.code).toBe(0)
    const second = await run({ 'notebook-id': id, 'artifact-name': 'fixed-name' })

    expect(second.code).toBe(1)
    expect(errorsOf(second)).toEqual([
      expect.stringMatching(
        /^A workflow artifact named "fixed-name" already exists in this workflow run\. Set `overwrite: true` to replace it, choose an `artifact-name` that is unique per run/
      )
    ])
    // Nothing already produced is lost.
    expect(tree(second.outputs['artifacts-path'] ?? '')).toEqual(['a.txt'])
  })

  it('warns and keeps the files when there is no artifact service', async () => {
    const result = await runAction(
      {
        host: sim.url,
        token: sim.token,
        'poll-interval-seconds': '0.2',
        'notebook-id': notebook({ artifacts: [{ name: 'a.txt', content: 'a' }] })
      },
      { env: GITHUB }
    )
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(
      /::warning::The workflow artifact service is not available here \(ACTIONS_RUNTIME_TOKEN is not set\)\. The files are kept in `artifacts-path`; to publish them, use `artifacts: download` and upload that folder with actions\/upload-artifact/
    )
    expect(tree(result.outputs['artifacts-path'] ?? '')).toEqual(['a.txt'])
    expect(result.summary).toContain('not uploaded')
  })

  it('fails with the service message when CreateArtifact or FinalizeArtifact answers 4xx', async () => {
    for (const method of ['CreateArtifact', 'FinalizeArtifact'] as const) {
      results.fault({ on: method, status: 400, msg: `${method} says no` })
      const result = await run({
        'notebook-id': notebook({ artifacts: [{ name: 'a.txt', content: 'a' }] })
      })
      expect(result.code).toBe(1)
      expect(errorsOf(result)).toEqual([
        expect.stringContaining(`(400) Bad Request: ${method} says no`)
      ])
      expect(tree(result.outputs['artifacts-path'] ?? '')).toEqual(['a.txt'])
    }
  })
})

describe('memory', () => {
  /** Peak RSS of the action process, in MiB, read by a hook loaded before the action. */
  async function peakRss(size: number): Promise<number> {
    const result = await run(
      {
        'notebook-id': notebook({ artifacts: [{ name: 'data.bin', size }] }),
        artifacts: 'download'
      },
      { nodeArgs: ['--import', MAX_RSS_HOOK] }
    )
    expect(result.code).toBe(0)
    expect(listedOf(result)[0]?.size).toBe(size)
    return (maxRssKiB(result.workDir) ?? NaN) / 1024
  }

  // The download is the action's own code. The upload's footprint belongs to the artifact
  // client (its 8 MiB stream buffers and blocks in flight fill up or not with the machine's
  // load), so it is measured in the benchmark, with medians, rather than asserted here.
  it('stays flat while downloading: a 256 MiB artifact peaks within 64 MiB of a 1 MiB one', async () => {
    const small = await peakRss(1024 * 1024)
    const large = await peakRss(256 * 1024 * 1024)
    console.log(
      `peak RSS: 1 MiB artifact ${small.toFixed(0)} MiB, 256 MiB artifact ${large.toFixed(0)} MiB`
    )
    expect(large - small).toBeLessThan(64)
  }, 120_000)
})
