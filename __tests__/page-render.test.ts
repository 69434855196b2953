/**
 * The page of any notebook, however hostile its text: random strings (markup, `javascript:`,
 * event handlers, quotes that would end an attribute) in every place a notebook holds text,
 * rendered, then parsed as a browser would. Inside the cells there is no element that runs or
 * embeds anything, no event handler, and no URL but an anchor in the page or a `data:` image.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { renderPage } from '../src/page/render.js'
import { hostileText } from './support/hostile.js'

// sanitize-html loads htmlparser2 with require(); importing it here too, statically, would
// make a cycle in Jest's module registry.
const { parseDocument } = await import('htmlparser2')
const work = mkdtempSync(join(tmpdir(), 'page-render-'))
let pages = 0

const markup = fc.oneof(
  hostileText,
  fc.constantFrom(
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="https://evil.example">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<svg><script>alert(1)</script><image href="https://evil.example/x.png"/></svg>',
    '"><script>alert(1)</script>',
    "'\" onload=alert(1) x='",
    '<style>body{display:none}</style>',
    '<form action="https://evil.example"><input></form>',
    '[x](javascript:alert(1)) ![y](https://evil.example/p.png)',
    '<object data="https://evil.example/x"></object><embed src="https://evil.example/y">'
  )
)

function notebook(texts: string[]): string {
  const [a = '', b = '', c = '', d = '', e = '', f = '', g = ''] = texts
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: 'markdown', metadata: {}, source: [a, b] },
      {
        cell_type: 'code',
        execution_count: 1,
        metadata: {},
        source: c,
        outputs: [
          { output_type: 'stream', name: 'stdout', text: [d] },
          {
            output_type: 'display_data',
            metadata: {},
            data: { 'text/html': [e], 'text/plain': [f] }
          },
          { output_type: 'display_data', metadata: {}, data: { 'text/markdown': g } },
          {
            output_type: 'display_data',
            metadata: {},
            data: { 'image/svg+xml': a, 'image/png': `iVBOR${b}w0KGgo` }
          },
          {
            output_type: 'execute_result',
            metadata: {},
            execution_count: 1,
            data: { 'application/json': { [c]: [d] }, 'application/x-widget': e }
          },
          { output_type: 'error', ename: f, evalue: g, traceback: [`\u001b[0;31m${a}\u001b[0m`, b] }
        ]
      }
    ]
  })
}

const FORBIDDEN = new Set([
  'script',
  'iframe',
  'object',
  'embed',
  'form',
  'input',
  'button',
  'style',
  'link',
  'meta',
  'base',
  'svg',
  'frame',
  'frameset'
])

/** Every problem inside <main>: an element that acts, a handler, a URL that leaves the page. */
function problems(html: string): string[] {
  const found: string[] = []
  const visit = (
    node: { type?: string; name?: string; attribs?: Record<string, string>; children?: unknown[] },
    inMain: boolean
  ): void => {
    const here = inMain || node.name === 'main'
    if (
      (here && node.type === 'tag') ||
      (here && node.type === 'script') ||
      (here && node.type === 'style')
    ) {
      const name = node.name ?? ''
      if (node.name !== 'main' && FORBIDDEN.has(name)) found.push(`<${name}>`)
      for (const [attribute, value] of Object.entries(node.attribs ?? {})) {
        if (/^on/i.test(attribute)) found.push(`${name} ${attribute}=`)
        if (/^(href|src|action|data|srcset|formaction|xlink:href|style)$/i.test(attribute)) {
          const ok =
            (attribute === 'href' && value.startsWith('#')) ||
            (attribute === 'src' && /^data:image\//.test(value)) ||
            (attribute === 'style' && name === 'span')
          if (!ok) found.push(`${name} ${attribute}=${value.slice(0, 40)}`)
        }
      }
    }
    for (const child of (node.children ?? []) as Array<typeof node>) visit(child, here)
  }
  visit(parseDocument(html) as unknown as Parameters<typeof visit>[0], false)
  return found
}

describe('the page of a hostile notebook', () => {
  it('holds nothing that runs, embeds or leaves the page', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(markup, { minLength: 7, maxLength: 7 }), async texts => {
        const file = join(work, `${++pages}.ipynb`)
        const page = join(work, `${pages}.html`)
        writeFileSync(file, notebook(texts))
        const result = await renderPage(file, page, {
          name: texts[0] ?? '',
          runId: 'r1',
          success: false
        })
        expect(result).toEqual({ written: true })
        const html = readFileSync(page, 'utf8')
        expect(problems(html)).toEqual([])
        expect(html).toContain('<meta http-equiv="Content-Security-Policy"')
      }),
      { numRuns: 150 }
    )
  })

  it('finds what it should: the check fails on a page that has a script', () => {
    expect(
      problems('<main><p>ok</p><script>x</script><img src="https://x" onerror="y"></main>')
    ).toEqual(['<script>', 'img src=https://x', 'img onerror='])
  })
})
