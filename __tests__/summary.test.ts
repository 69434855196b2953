import { describe, expect, it } from '@jest/globals'
import type { Outcome } from '../src/outcome.js'
import { MAX_SUMMARY_BYTES, renderSummary, SummaryBlocks } from '../src/summary.js'

const base: Outcome = {
  host: 'https://dl.example.com',
  mode: 'run',
  notebookId: 'team/nb',
  notebookUrl: 'https://dl.example.com/notebook/team/nb',
  runId: 'r1',
  conclusion: 'success',
  success: true,
  startTime: '2026-01-01T10:00:00Z',
  endTime: '2026-01-01T10:02:05Z',
  updateReport: 'on success',
  reportUpdated: true
}

const artifact = (i: number) => ({
  name: `f${i}.csv`,
  file: `f${i}.csv`,
  size: 2048,
  sha256: 'ab'.repeat(32)
})

describe('the job summary', () => {
  it('puts the result first, then the run', () => {
    const html = renderSummary(base)
    expect(html.split('\n')[0]).toBe('<h2>✅ Datalore run succeeded</h2>')
    expect(html).toContain('<a href="https://dl.example.com/notebook/team/nb">team/nb</a>')
    expect(html).toContain('<th align="left">Duration</th><td>2m 5s</td>')
    expect(html).toContain('<th align="left">Update report</th><td>on success (refreshed)</td>')
  })

  it('escapes everything that came from a server or an input', () => {
    const html = renderSummary({
      ...base,
      conclusion: 'timed_out',
      endTime: undefined,
      status: '<img src=x onerror=alert(1)>',
      problem: 'Run "r1" <b>stuck</b>',
      parameters: [{ name: '<Region>', value: { a: '&' } }],
      artifactsPath: '/tmp/a',
      artifacts: [{ name: '<script>.csv', file: '_script_.csv', size: 1, sha256: 'cd'.repeat(32) }],
      failedArtifacts: [{ name: "it's.bin", error: 'answered <404>' }]
    })
    expect(html).not.toMatch(/<(img|script|b|Region)\b/)
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(html).toContain('Run &quot;r1&quot; &lt;b&gt;stuck&lt;/b&gt;')
    expect(html).toContain(
      '<td>&lt;Region&gt;</td><td><code>{&quot;a&quot;:&quot;&amp;&quot;}</code></td>'
    )
    expect(html).toContain('<td>&lt;script&gt;.csv</td>')
    expect(html).toContain(' saved as <code>_script_.csv</code>')
    expect(html).toContain(
      '<td>it&#39;s.bin</td><td></td><td>❌ not downloaded: answered &lt;404&gt;</td>'
    )
  })

  it('links the uploaded artifact and lists at most 200 rows, pointing to the output for the rest', () => {
    const html = renderSummary({
      ...base,
      artifactsPath: '/tmp/a',
      artifacts: Array.from({ length: 250 }, (_, i) => artifact(i)),
      artifactName: 'report',
      uploaded: {
        id: 7,
        digest: 'ff'.repeat(32),
        url: 'https://github.com/o/r/actions/runs/1/artifacts/7'
      }
    })
    expect(html).toContain(
      `Uploaded as the workflow artifact <a href="https://github.com/o/r/actions/runs/1/artifacts/7">report</a> (250 file(s), digest <code>${'ff'.repeat(32)}</code>)`
    )
    expect(html.match(/<td>f\d+\.csv<\/td>/g)).toHaveLength(200)
    expect(html).toContain(
      '<td>f199.csv</td><td align="right">2.0 KiB</td><td><code>abababababab</code></td>'
    )
    expect(html).toContain("... and 50 more: see the step's <code>artifacts</code> output.")
  })

  it('says when the run listed no artifacts', () => {
    expect(renderSummary({ ...base, artifactsPath: '/tmp/a', artifacts: [] })).toContain(
      '<p>The run listed no artifacts.</p>'
    )
  })
})

describe('the size of the summary as written', () => {
  // Seen red against the summary that clipped to 4,000 characters and then escaped: 24,000
  // bytes of `&quot;` and a mark after them.
  it('cuts a value by its size as escaped HTML: whole entities, the mark within', () => {
    const html = renderSummary({ ...base, problem: '"'.repeat(10_000) })
    // 4,000 bytes: 666 entities of six bytes, then "...".
    expect(html).toContain(`<p>${'&quot;'.repeat(666)}...</p>`)
  })

  // Seen red against the same (clipped by characters: 200 emoji and the mark).
  it('never splits a character, and keeps line breaks as written within the size', () => {
    const html = renderSummary({ ...base, runId: '😀'.repeat(200), problem: 'a\n'.repeat(2_000) })
    // 300 bytes: 74 characters of four bytes, then "...".
    expect(html).toContain(`<code>${'😀'.repeat(74)}...</code>`)
    const [, problem] = /<p>(a<br>.*?)<\/p>/.exec(html) ?? []
    expect(Buffer.byteLength(problem ?? '')).toBeLessThanOrEqual(4_000)
    expect(problem).toMatch(/^(a<br>)+a?\.\.\.$/)
  })
})

describe('the assembled summary', () => {
  const block = (char: string) => `<p>${char.repeat(300 * 1024)}</p>`

  // Seen red against blocks added without a limit (1.5 MB).
  it('keeps whole blocks under 1 MiB as written, and says how many it left out', () => {
    const blocks = new SummaryBlocks()
    for (const char of 'abcde') blocks.add(block(char))
    const html = blocks.html()
    expect(Buffer.byteLength(`${html}\n`)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES)
    expect(MAX_SUMMARY_BYTES).toBeLessThan(1024 * 1024)
    const lines = html.split('\n')
    expect(lines.slice(0, 3)).toEqual([block('a'), block('b'), block('c')])
    expect(lines.slice(3)).toEqual([
      "<p>... and 2 more part(s) left out: GitHub shows a step's summary only up to 1 MiB. The step's log and outputs have them.</p>"
    ])
  })

  // Seen red against a limit that left no room for the note (over by the note's length).
  it('leaves room for its closing note', () => {
    const blocks = new SummaryBlocks()
    const almostAll = `<p>${'a'.repeat(MAX_SUMMARY_BYTES - 100)}</p>`
    blocks.add(almostAll)
    blocks.add(block('b'))
    const html = blocks.html()
    expect(Buffer.byteLength(`${html}\n`)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES)
    expect(html.split('\n')[0]).toBe(block('b'))
  })

  // Seen red against a section added block by block: "after" showed under another heading.
  it('leaves out the rest of a section once a block of it does not fit, and later small blocks still fit', () => {
    const blocks = new SummaryBlocks()
    for (const char of 'abc') blocks.add(block(char))
    blocks.section(['<h3>run</h3>', block('d'), '<p>after</p>'])
    blocks.add('<p>small</p>')
    const lines = blocks.html().split('\n')
    expect(lines.slice(3)).toEqual([
      '<h3>run</h3>',
      '<p>small</p>',
      "<p>... and 2 more part(s) left out: GitHub shows a step's summary only up to 1 MiB. The step's log and outputs have them.</p>"
    ])
  })
})
