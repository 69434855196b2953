/**
 * Everything from outside stays data. Random hostile text (control characters, `::`, `##[`,
 * `\r`, blank lines, HTML, Markdown, the token) goes through every builder of a message or of
 * the job summary; what comes out is read the way the runner reads stdout and the way GitHub's
 * Markdown renderer (CommonMark) reads the summary.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { safeFileName, safeFileNames } from '../src/artifacts/file-names.js'
import { parseRunStatus } from '../src/datalore/api.js'
import { serverMessage } from '../src/datalore/answers.js'
import { errorMessage } from '../src/errors.js'
import { readInputs } from '../src/inputs/read.js'
import { addSecret, listOf, log } from '../src/log.js'
import type { ManyOutcome, Outcome } from '../src/outcome.js'
import { shellInertJson } from '../src/output-json.js'
import { reportProgress } from '../src/progress.js'
import { renderSummary } from '../src/summary.js'
import { captureStdout } from './support/capture.js'
import { hostileText, TOKEN } from './support/hostile.js'
import { summaryBlocks } from './support/summary-shape.js'
import { foreignCommands, parseWorkflowCommands } from './support/workflow-commands.js'

captureStdout(() => addSecret(TOKEN))

/** Prints a message every way the action prints one; nothing may act as a command. */
function expectInert(message: string): void {
  const out = captureStdout(() => {
    log.info(message)
    log.error(message, { title: message })
    log.warning(message)
  })
  expect(foreignCommands(out, [])).toEqual([])
  expect(parseWorkflowCommands(out).map(c => c.name)).toEqual(['error', 'warning'])
  expect(out).not.toContain(TOKEN)
  expect(out).not.toContain('s3cr3t')
  // Bounded, however long the text.
  expect(out.length).toBeLessThan(3 * 70 * 1024)
}

function thrown(work: () => unknown): string {
  try {
    work()
  } catch (error) {
    return errorMessage(error)
  }
  return ''
}

describe('every message builder', () => {
  it("keeps a server's error body, status, run ID and shape problems inert", () => {
    fc.assert(
      fc.property(hostileText, text => {
        expectInert(serverMessage(text))
        expectInert(serverMessage(JSON.stringify({ error: text })))
        expectInert(thrown(() => parseRunStatus('r1', { runId: text })))
        expectInert(thrown(() => parseRunStatus('r1', { endTime: text, success: true })))
        expectInert(thrown(() => parseRunStatus('r1', { status: text, artifacts: text })))
        const lines: string[] = []
        const status = parseRunStatus('r1', { status: text })
        reportProgress({ now: () => 0, sleep: async () => undefined }, line =>
          lines.push(line)
        ).status?.(status)
        for (const line of lines) expectInert(line)
      })
    )
  })

  it('keeps artifact names inert, in messages and as the file names a library prints raw', () => {
    fc.assert(
      fc.property(fc.array(hostileText, { maxLength: 5 }), names => {
        expectInert(listOf(names))
        for (const file of safeFileNames(names)) {
          // @actions/artifact logs file names with core.info, unescaped.
          expect(parseWorkflowCommands(file)).toEqual([])
          expect(file).not.toContain(TOKEN.slice(0, 8))
          expect(safeFileName(file)).toBe(file)
        }
      })
    )
  })

  it('keeps inputs a workflow may fill from an event inert in their error messages', () => {
    fc.assert(
      fc.property(hostileText, text => {
        for (const name of [
          'run-id',
          'parameters',
          'notebook-id',
          'host',
          'timeout-minutes',
          'artifact-name'
        ]) {
          const inputs: Record<string, string> = {
            token: 't',
            'notebook-id': 'o/n',
            [name]: text
          }
          expectInert(thrown(() => readInputs(n => inputs[n] ?? '', {})))
        }
      })
    )
  })
})

describe('the artifacts output', () => {
  it('reads back exactly with fromJSON, and holds nothing a shell would act on', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ name: hostileText, file: hostileText })), list => {
        const json = shellInertJson(list)
        expect(JSON.parse(json)).toEqual(list)
        expect(json).not.toMatch(/['`$;&|<>()]/)
      })
    )
  })
})

/** The summary as GitHub's renderer reads it: it must stay one raw HTML block throughout. */
function expectOneHtmlBlock(html: string): void {
  expect(summaryBlocks(html)).toEqual(['html_block'])
}

const SAFE_LINKS = new Set([
  'https://dl.example.com/notebook/team/nb',
  'https://github.com/o/r/actions/runs/1/artifacts/7'
])

/**
 * What no summary may hold, whatever text is in it: a second block, a link to anywhere but the
 * outcome's own (and it has some), active or structural markup, a secret.
 */
function expectSafeSummary(html: string): void {
  expectOneHtmlBlock(html)
  const links = [...html.matchAll(/<a href="([^"]*)"/g)].map(match => match[1] ?? '')
  expect(links.length).toBeGreaterThan(0)
  expect(links.filter(href => !SAFE_LINKS.has(href))).toEqual([])
  expect(html).not.toMatch(/<(img|script|h1|iframe)\b/i)
  expect(html).not.toContain(TOKEN)
  expect(html).not.toContain('s3cr3t')
}

describe('the job summary', () => {
  const outcomeOf = (text: string, count: number): Outcome => ({
    host: 'https://dl.example.com',
    mode: 'run',
    notebookId: 'team/nb',
    notebookUrl: 'https://dl.example.com/notebook/team/nb',
    runId: text,
    conclusion: 'failure',
    success: false,
    status: text,
    startTime: text,
    problem: `Datalore said: ${text}`,
    parameters: Array.from({ length: count }, () => ({ name: text, value: text })),
    updateReport: text,
    artifactsPath: text,
    artifacts: Array.from({ length: count }, (_, i) => ({
      name: `${text}${i}`,
      file: `${text}${i}`,
      size: i,
      sha256: text
    })),
    failedArtifacts: [{ name: text, error: text }],
    artifactName: text,
    uploaded: { id: 7, digest: text, url: 'https://github.com/o/r/actions/runs/1/artifacts/7' }
  })

  it('holds its shape: no value ends the HTML block, adds markup, links or images', () => {
    fc.assert(
      fc.property(hostileText, fc.integer({ min: 0, max: 5 }), (text, count) => {
        expectSafeSummary(renderSummary(outcomeOf(text, count)))
      })
    )
  })

  it('stays under 1 MiB however many and however long the values', () => {
    // As many as a status answer can hold, each name as long as it can be for that.
    const html = renderSummary({
      ...outcomeOf(`${'<"&'.repeat(100)}\u{1F600}`, 100_000),
      problem: '<"&\n'.repeat(100_000),
      status: '<"&'.repeat(100_000)
    })
    expect(Buffer.byteLength(html)).toBeLessThan(1024 * 1024)
    expectOneHtmlBlock(html)
    expect(html).toMatch(/\.\.\. and \d+ more: see the step's <code>artifacts<\/code> output\./)
  })
})

describe('the job summary of several runs', () => {
  const manyOf = (text: string, count: number): ManyOutcome => ({
    mode: 'many',
    host: 'https://dl.example.com',
    conclusion: 'failure',
    success: false,
    problem: `1 of ${count} run(s) failed: ${text}`,
    runs: Array.from({ length: count }, (_, i) => ({
      name: `${text}${i}`,
      host: 'https://dl.example.com',
      mode: 'run',
      updateReport: 'never',
      notebookId: 'team/nb',
      notebookUrl: 'https://dl.example.com/notebook/team/nb',
      runId: text,
      conclusion: i % 2 === 0 ? 'failure' : 'success',
      success: i % 2 !== 0,
      startTime: text,
      endTime: text,
      problem: text,
      failedCell: 3,
      error: text,
      artifactName: text,
      uploaded: { id: 7, digest: text, url: 'https://github.com/o/r/actions/runs/1/artifacts/7' },
      notebookErrors: [
        { notebook: text, cell: 3, ename: text, evalue: text, traceback: [text], source: [text] }
      ]
    }))
  })

  it('holds its shape with hostile names, errors and run IDs', () => {
    fc.assert(
      fc.property(hostileText, fc.integer({ min: 1, max: 6 }), (text, count) => {
        expectSafeSummary(renderSummary(manyOf(text, count)))
      })
    )
  })

  it('stays under 1 MiB with 256 runs, each with long text', () => {
    const html = renderSummary(manyOf(`${'<"&'.repeat(2_000)}\n`, 256))
    expect(Buffer.byteLength(html)).toBeLessThan(1024 * 1024)
    expectOneHtmlBlock(html)
    // 128 failed runs: five explained, the rest counted.
    expect(html).toContain("<p>... and 123 more: see the step's log, where each line starts")
  })
})
