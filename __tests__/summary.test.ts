import { describe, expect, it } from '@jest/globals'
import type { Outcome } from '../src/outcome.js'
import { renderSummary } from '../src/summary.js'

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
