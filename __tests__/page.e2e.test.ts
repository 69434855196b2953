/**
 * The executed notebook handed back as a page: uploaded as a non-zipped workflow artifact (the
 * fake results service keeps the bytes it received), written next to the files with
 * `artifacts: download`, and a warning, nothing worse, where the service takes zips only.
 */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { DataloreSimulator, startDataloreSimulator } from '../simulator/datalore.js'
import { ResultsService, startResultsService } from '../simulator/github-results.js'
import { executedNotebook, NotebookFixture } from '../simulator/notebooks.js'
import { listZip } from '../harness/zip.js'
import { ActionResult, errorsOf, runAction } from './support/action.js'
import { useAzurite } from './support/azurite.js'

const GITHUB = { GITHUB_REPOSITORY: 'acme/app', GITHUB_RUN_ID: '77' }
let sim: DataloreSimulator
let results: ResultsService
let zipOnly: ResultsService
let notebooks = 0

beforeAll(async () => {
  const azurite = await useAzurite()
  results = await startResultsService({ blobBaseUrl: azurite.url })
  zipOnly = await startResultsService({ blobBaseUrl: azurite.url, zipOnly: true })
  sim = await startDataloreSimulator()
})
afterAll(async () => {
  await sim.close()
  await results.close()
  await zipOnly.close()
})

function notebookWith(fixture: NotebookFixture): string {
  const id = `pages/n${++notebooks}`
  sim.addNotebook(id, {
    durationMs: 100,
    success: !fixture.startsWith('failure'),
    artifacts: [
      { name: 'analysis.ipynb', content: executedNotebook(fixture) },
      { name: 'data.csv', content: 'a,b\n1,2\n' }
    ]
  })
  return id
}

async function run(
  inputs: Record<string, string>,
  service: ResultsService = results
): Promise<ActionResult> {
  return runAction(
    { host: sim.url, token: sim.token, 'poll-interval-seconds': '0.2', ...inputs },
    { env: { ...service.env, ...GITHUB }, masked: () => service.masked() }
  )
}

describe('with artifacts: upload', () => {
  it('uploads the page as its own non-zipped artifact, links it, and leaves the zip as it was', async () => {
    const result = await run({ 'notebook-id': notebookWith('failure-deep') })
    expect(result.code).toBe(1)
    const runId = result.outputs['run-id'] ?? ''
    const zipName = `datalore-pages-n${notebooks}-${runId}`
    const pageRecord = results.finalized().find(a => a.name === `${zipName}.html`)
    expect(pageRecord?.mimeType).toBe('text/html')
    // Byte for byte what the artifact client read from the page the action wrote (and then
    // removed: the harness checks that nothing is left behind).
    const received = await results.downloadArtifactZip(pageRecord ?? '')
    expect(
      createHash('sha256')
        .update(received as Buffer)
        .digest('hex')
    ).toBe(pageRecord?.digest)
    expect(received.toString()).toMatch(/^<!doctype html>/)
    expect(received.toString()).toContain('<section class="cell failed" id="cell-3">')

    const zip = results.finalized().find(a => a.name === zipName)
    const entries = await listZip((await results.downloadArtifactZip(zip ?? '')) as Buffer)
    expect(entries.map(e => e.name).sort()).toEqual(['analysis.ipynb', 'data.csv'])

    const pageUrl = `https://github.com/acme/app/actions/runs/77/artifacts/${pageRecord?.id}`
    expect(result.outputs).toMatchObject({
      'notebook-page-url': pageUrl,
      'notebook-page-id': String(pageRecord?.id)
    })
    const listed = JSON.parse(result.outputs.artifacts ?? '[]')
    expect(listed[0]).toMatchObject({
      name: 'analysis.ipynb',
      page: { artifact: `${zipName}.html`, id: pageRecord?.id, url: pageUrl }
    })
    expect(listed[1].page).toBeUndefined()
    // The first line after the result.
    expect(result.summary.split('\n').slice(0, 2)).toEqual([
      '<h2>❌ Datalore run failed</h2>',
      `<p><a href="${pageUrl}">Open the executed notebook</a></p>`
    ])
  })

  it('makes no page with notebook-page: false', async () => {
    const result = await run({
      'notebook-id': notebookWith('success-values'),
      'notebook-page': 'false'
    })
    expect(result.code).toBe(0)
    expect(
      results
        .finalized()
        .filter(a => a.name.endsWith('.html') && a.name.includes(result.outputs['run-id'] ?? '-'))
    ).toEqual([])
    expect(result.outputs['notebook-page-url']).toBeUndefined()
    expect(result.summary).not.toContain('Open the executed notebook')
  })
})

describe('with artifacts: download', () => {
  it('writes the page next to the downloaded files', async () => {
    const result = await run({
      'notebook-id': notebookWith('success-values'),
      artifacts: 'download'
    })
    expect(result.code).toBe(0)
    const dir = result.outputs['artifacts-path'] ?? ''
    expect(readdirSync(dir).sort()).toEqual(['analysis.html', 'analysis.ipynb', 'data.csv'])
    const page = readFileSync(join(dir, 'analysis.html'), 'utf8')
    expect(page).toContain('<h2>Values</h2>')
    expect(JSON.parse(result.outputs.artifacts ?? '[]')[0].page).toEqual({ file: 'analysis.html' })
    expect(result.summary).toContain(
      `<p>The executed notebook as a page: <code>${join(dir, 'analysis.html')}</code></p>`
    )
  })
})

describe('a service that takes zipped artifacts only', () => {
  it('warns, uploads the zip, and leaves the step as it was', async () => {
    const result = await run({ 'notebook-id': notebookWith('success-values') }, zipOnly)
    expect(result.code).toBe(0)
    expect(errorsOf(result)).toEqual([])
    const warnings = result.commands.filter(c => c.name === 'warning')
    expect(warnings.map(w => w.properties.title)).toEqual(['Notebook page not uploaded'])
    expect(warnings[0]?.data).toMatch(
      /mime_type text\/html is not supported.*take zipped artifacts only/
    )
    expect(result.outputs['artifact-id']).toMatch(/^\d+$/)
    expect(result.outputs['notebook-page-url']).toBeUndefined()
    expect(result.outputs['notebook-page-id']).toBeUndefined()
  })
})
