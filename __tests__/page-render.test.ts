/**
 * The page of any notebook, however hostile its text: random strings (markup, `javascript:`,
 * event handlers, quotes that would end an attribute) in every place a notebook holds text,
 * rendered, then parsed as a browser would. Inside the cells there is no element that runs or
 * embeds anything, no event handler, and no URL but an anchor in the page or a `data:` image.
 * Random ANSI (OSC 8 links and other OSC), HTML and markdown link nowhere but to anchors on the
 * page (the notebook's to its own) and take none of the page's. And the work is bounded: what
 * would take long to clean is named in a note, an abort is seen between batches, and a page
 * that cannot be finished is not left behind.
 */
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import type { PageFacts } from '../src/page/facts.js'
import { renderPage } from '../src/page/render.js'
import { hostileText } from './support/hostile.js'
import { codeCell, display, error, markdownCell, notebookOf } from './support/notebook-json.js'
import { anchorProblems, anchorsOf, parsePage, targetOf } from './support/page-anchors.js'

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
  visit(parsePage(html), false)
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

// ---------------------------------------------------------------------------------------------
// Links and anchors: the page links nowhere but to its own anchors and the notebook, and nothing
// from a notebook can take one of the page's anchors.

const NOTEBOOK_URL = 'https://datalore.example/notebook/team/report'

/** The facts of a run that failed in cell 3: the header links `#cell-3` and the notebook. */
const FAILED_IN_3: PageFacts = {
  name: 'report.ipynb',
  notebookId: 'team/report',
  notebookUrl: NOTEBOOK_URL,
  runId: 'r1',
  success: false,
  reading: {
    cells: 3,
    errorCount: 1,
    errors: [{ cell: 3, ename: 'ValueError', evalue: 'bad', traceback: [], source: [] }],
    glued: []
  }
}

async function pageOf(
  cells: unknown[],
  facts: PageFacts = FAILED_IN_3,
  signal?: AbortSignal
): Promise<string> {
  const file = join(work, `${++pages}.ipynb`)
  const page = join(work, `${pages}.html`)
  writeFileSync(file, notebookOf(cells))
  const result = await renderPage(file, page, facts, signal)
  expect(result).toEqual({ written: true })
  return readFileSync(page, 'utf8')
}

/** Anchor names as a hostile notebook writes them, the page's own among them. */
const anchorName = fc.constantFrom(
  'cell-1',
  'cell-2',
  'cell-3',
  'x',
  'user-content-x',
  '%63ell-1',
  'Cell-1',
  ' cell-1',
  ''
)
/**
 * Link targets as a hostile notebook writes them: the page's anchors, the notebook's own (as
 * often as the rest, so that a link and its target meet), elsewhere, nowhere.
 */
const url = fc.oneof(
  anchorName.map(name => `#${name}`),
  fc.constantFrom(
    '#',
    '',
    'cell-2',
    '../../settings',
    'settings',
    '/acme/app/settings',
    '?tab=secrets',
    '//evil.example',
    'https://evil.example/',
    'HTTPS://evil.example',
    'javascript:alert(1)',
    'jav&#x09;ascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'mailto:x@evil.example',
    NOTEBOOK_URL
  ),
  fc.webUrl({ withFragments: true, withQueryParameters: true })
)
const words = fc.constantFrom('text', 'a & b', '<', '"quoted"', "it's", ' ', '\n')

/** ANSI as a terminal or IPython writes it: colours, OSC 8 links, other OSC, broken pieces. */
const ansi = fc
  .array(
    fc.oneof(
      words,
      fc.constantFrom(
        '\u001b[0m',
        '\u001b[1;31m',
        '\u001b[38;5;200m',
        '\u001b[48;2;1;2;3m',
        '\u001b[2;3;4m',
        '\u001b[',
        '\u001b]',
        '\u001b\\',
        '\u0007',
        '\u001b]8;;\u001b\\',
        '\u001b]8;;\u0007',
        '\u001b]52;c;aGVsbG8=\u0007',
        '\u001b]1337;File=inline=1:AAAA\u0007'
      ),
      url.map(u => `\u001b]8;;${u}\u001b\\`),
      url.map(u => `\u001b]8;id=1;${u}\u0007`),
      fc.tuple(url, words).map(([u, t]) => `\u001b]8;;${u}\u001b\\${t}\u001b]8;;\u001b\\`),
      words.map(t => `\u001b]0;${t}\u0007`),
      words.map(t => `\u001b]2;${t}\u001b\\`)
    ),
    { maxLength: 12 }
  )
  .map(pieces => pieces.join(''))

const TAGS = [
  'a',
  'div',
  'span',
  'p',
  'img',
  'section',
  'h1',
  'table',
  'td',
  'li',
  'svg',
  'math',
  'iframe',
  'option',
  'noscript',
  'template',
  'map',
  'area',
  'form',
  'base',
  'meta'
]
const attribute = fc.oneof(
  fc.tuple(fc.constantFrom('id', 'name', 'ID', 'Name'), anchorName),
  fc.tuple(fc.constantFrom('href', 'HREF', 'src', 'xlink:href', 'action', 'formaction'), url)
)
/** HTML as a hostile output writes it: tags with anchors and links, closed or not. */
const html = fc
  .array(
    fc.oneof(
      fc
        .tuple(fc.constantFrom(...TAGS), fc.array(attribute, { maxLength: 3 }), fc.boolean())
        .map(
          ([tag, attributes, single]) =>
            `<${tag}${attributes.map(([name, value]) => (single ? ` ${name}='${value}'` : ` ${name}="${value}"`)).join('')}>`
        ),
      fc.constantFrom(...TAGS).map(tag => `</${tag}>`),
      words
    ),
    { maxLength: 16 }
  )
  .map(pieces => pieces.join(''))

/** Markdown with links, references, images, autolinks, headings and raw HTML. */
const markdownText = fc
  .array(
    fc.oneof(
      words,
      fc.tuple(words, url).map(([t, u]) => `[${t}](${u})`),
      fc.tuple(words, url).map(([t, u]) => `![${t}](${u})`),
      fc.tuple(words, url).map(([t, u]) => `[${t}][r]\n\n[r]: ${u}\n\n`),
      url.map(u => `<${u}>`),
      words.map(t => `\n# ${t}\n`),
      html
    ),
    { maxLength: 8 }
  )
  .map(pieces => pieces.join(' '))

describe('links and anchors on the page of a hostile notebook', () => {
  it('links nowhere but to anchors on it and the notebook, and no content takes an anchor of the page', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ md: markdownText, out: html, outMd: markdownText, tb: ansi, stream: ansi }),
        async ({ md, out, outMd, tb, stream }) => {
          const page = await pageOf([
            markdownCell(md),
            codeCell([
              display({ 'text/html': out, 'text/plain': 'plain' }),
              display({ 'text/markdown': outMd }),
              { output_type: 'stream', name: 'stderr', text: stream }
            ]),
            codeCell([error([tb, stream])])
          ])
          expect(anchorProblems(page, NOTEBOOK_URL)).toEqual([])
          // The header's link reaches the failing cell itself.
          expect(targetOf(anchorsOf(page), 'cell-3')?.node.name).toBe('section')
        }
      ),
      { numRuns: 300 }
    )
  })

  it('finds what it should: the checks fail on links away and anchors taken', () => {
    const page = (content: string) =>
      `<header><a href="${NOTEBOOK_URL}">n</a><a href="#cell-2">cell 2</a></header><main><section class="cell" id="cell-1"><div class="outputs"><div class="output">${content}</div></div></section><section class="cell" id="cell-2"></section></main>`
    expect(anchorProblems(page('<p>fine</p>'), NOTEBOOK_URL)).toEqual([])
    expect(anchorProblems(page('<a href="../../settings">s</a>'), NOTEBOOK_URL)).toEqual([
      'a link to "../../settings", not to an anchor here'
    ])
    expect(anchorProblems(page(`<a href="${NOTEBOOK_URL}">n</a>`), NOTEBOOK_URL)).toEqual([
      `a link to ${JSON.stringify(NOTEBOOK_URL)}, not to an anchor here`
    ])
    expect(anchorProblems(page('<a href="#nowhere">s</a>'), NOTEBOOK_URL)).toEqual([
      'a link to "#nowhere", not to an anchor here'
    ])
    expect(anchorProblems(page('<a href="#cell-1">s</a>'), NOTEBOOK_URL)).toEqual([
      `content links "#cell-1" to the page's anchor`
    ])
    expect(anchorProblems(page('<a name="cell-1">s</a>'), NOTEBOOK_URL)).toEqual([
      `content names "cell-1", one of the page's own anchors`
    ])
    const captured = page('<p id="cell-2">first</p>')
    expect(targetOf(anchorsOf(captured), 'cell-2')?.node.name).toBe('p')
    expect(anchorProblems(captured, NOTEBOOK_URL)).toEqual([
      `the page links "#cell-2" to the notebook's anchor`,
      `content names "cell-2", one of the page's own anchors`
    ])
  })

  // Seen red against page/safe-html.ts keeping any href as it came (the survivor of the
  // mutation pass: `../../settings` passed), and against the old ansi_up output that was not
  // cleaned (the OSC 8 link stayed live).
  it('keeps no link but one to an anchor in the same output, whatever scheme or path it has', async () => {
    const away = [
      '../../settings',
      'settings',
      '/acme/app/settings',
      '?tab=secrets',
      '//evil.example/x',
      'https://evil.example/',
      'javascript:alert(1)',
      'mailto:x@evil.example',
      '#nowhere',
      '#'
    ]
    const page = await pageOf([
      codeCell([
        display({
          // A form goes, and so does its id: a link to it would go nowhere.
          'text/html': `${away.map(href => `<a href="${href}">away</a>`).join('')}<a href="#here">here</a><h2 id="here">Here</h2><form id="gone"></form><a href="#gone">away</a>`
        }),
        display({
          'text/markdown': `${away.map(href => `[md away](${href})`).join(' ')} [md here](#there) <a name="there"></a>`
        })
      ]),
      codeCell([
        error([
          `\u001b]8;;https://evil.example/\u001b\\osc link\u001b]8;;\u001b\\ and \u001b]8;;../../settings\u0007relative\u001b]8;;\u0007`
        ])
      ])
    ])
    const content = anchorsOf(page).links.filter(l => l.content)
    expect(content.map(l => l.href)).toEqual(['#user-content-here', '#user-content-there'])
    expect(page).toContain('<h2 id="user-content-here">Here</h2>')
    expect(page).toContain('<a name="user-content-there"></a>')
    // Each link that went is still its text; the terminal's links are their text.
    expect(page.match(/>away</g)).toHaveLength(away.length + 1)
    expect(page).toMatch(/<pre class="error">osc link and relative<\/pre>/)
  })

  // Seen red against the old page/safe-html.ts, which kept ids as they came: the output's
  // `id="cell-3"` in cell 1 was the header's target.
  it('prefixes every id and anchor name from a notebook, so none can take the header link', async () => {
    const page = await pageOf([
      codeCell([display({ 'text/html': '<p id="cell-3">captured</p><a name="cell-2">n</a>' })]),
      markdownCell('<span id="cell-1">md</span>'),
      codeCell([error(['boom'])])
    ])
    const anchors = anchorsOf(page)
    expect(anchors.targets.filter(t => t.content).map(t => t.value)).toEqual([
      'user-content-cell-3',
      'user-content-cell-2',
      'user-content-cell-1'
    ])
    for (const cell of ['cell-1', 'cell-2', 'cell-3']) {
      expect(targetOf(anchors, cell)?.node.name).toBe('section')
    }
    expect(anchorProblems(page, NOTEBOOK_URL)).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------
// Bounded work: each piece is cleaned synchronously, so each is bounded, and what is not shown
// is named on the page.

/** The text a browser would show of `html`'s <main>, tags dropped and entities as they are. */
const textOf = (html: string): string =>
  (html.split('<main>')[1] ?? '').replace(/<[^>]*>/g, '').replace(/&quot;/g, '"')

describe('bounded work on the page', () => {
  // Seen red against the old page/safe-html.ts (no scan): the 513-deep output was shown, and
  // 150,000 nested tags took 12 s in sanitize-html.
  it('shows HTML nested as deep as a browser nests it, and names the output nested deeper', async () => {
    const nested = (depth: number, text: string) =>
      `${'<div>'.repeat(depth)}${text}${'</div>'.repeat(depth)}`
    const page = await pageOf([
      codeCell([
        display({ 'text/html': nested(512, 'at 512') }),
        display({ 'text/html': nested(513, 'at 513'), 'text/plain': 'the plain text of 513' }),
        // Within the 1 MiB kept of an output: opened, never closed.
        display({ 'text/html': `${'<div>'.repeat(150_000)}at 150000` }),
        // Each <div> deeper than the last, whatever the closing tags say.
        display({ 'text/html': `${'<div></span>'.repeat(80_000)}unclosed` }),
        // A paragraph ends the one before: a long list of them is not deep.
        display({ 'text/html': `${'<p>paragraph'.repeat(50_000)} and the last` })
      ]),
      markdownCell(`# Deep\n\n${nested(600, 'deep markdown')}`)
    ])
    const text = textOf(page)
    expect(text).toContain('at 512')
    expect(text).not.toMatch(/at 513|at 150000|unclosed/)
    expect(text).toContain('the plain text of 513')
    expect(
      page.match(/This text\/html output is not shown: it nests elements more than 512 deep/g)
    ).toHaveLength(3)
    expect(text).toContain('and the last')
    // A markdown cell too deep is its text, after a note.
    expect(page).toContain(
      '<p class="note">This markdown cell is shown as its text: it nests elements more than 512 deep.</p><pre class="text"># Deep'
    )
  })

  // Seen red against the old page/safe-html.ts: 100 KiB of markdown was rendered (markdown-it
  // takes up to 3 ms a KiB), and a 300 KiB traceback was coloured.
  it('shows long markdown as its text and a long traceback without colour', async () => {
    const markdown = `# Title\n\n${'*a **b ![c '.repeat(10_000)}`
    const traceback = `\u001b[0;31m${'ValueError <x> '.repeat(20_000)}\u001b[0m`
    const page = await pageOf([
      markdownCell(markdown),
      codeCell([display({ 'text/markdown': markdown }), error([traceback])])
    ])
    expect(page.split('<main>')[1]).not.toContain('<h1>')
    for (const what of ['This markdown cell', 'This text/markdown output']) {
      expect(page).toContain(
        `<p class="note">${what} is shown as its text: it is longer than 64 KiB.</p><pre class="text">${escape(markdown)}</pre>`
      )
    }
    expect(page).toContain(`<pre class="error">${'ValueError &lt;x&gt; '.repeat(20_000)}</pre>`)
  })

  // Seen red (the test's time ran out) against keepJson looking for its last character with a
  // regular expression over all the JSON kept so far, which is quadratic (250,000 numbers took 47 s).
  it('shows a large application/json output', async () => {
    const values = Array.from({ length: 500_000 }, (_, i) => i % 10)
    const page = await pageOf([
      codeCell([
        {
          output_type: 'execute_result',
          metadata: {},
          execution_count: 1,
          data: { 'application/json': values }
        }
      ])
    ])
    expect(page).toContain(`<pre class="json">${JSON.stringify(values, null, 2)}</pre>`)
  })
})

function escape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

describe('a page that cannot be finished', () => {
  const many = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      codeCell([display({ 'text/html': `<p>${'x'.repeat(10_000)} ${i}</p>` })])
    )

  // Seen red against the old renderPage, which left the part it had written.
  it('stops at an abort between batches, says why, and leaves no part of a page', async () => {
    const file = join(work, `${++pages}.ipynb`)
    const page = join(work, `${pages}.html`)
    writeFileSync(file, notebookOf(many(500)))
    const controller = new AbortController()
    // Aborted once the page has begun: the renderer must give the event loop back to see it.
    const watch = setInterval(() => {
      if (existsSync(page) && statSync(page).size > 0) controller.abort(new Error('time is up'))
    }, 1)
    const result = await renderPage(file, page, FAILED_IN_3, controller.signal).finally(() =>
      clearInterval(watch)
    )
    expect(result).toEqual({ failed: 'time is up' })
    expect(existsSync(page)).toBe(false)
  })

  it('leaves a file that was there before as it was', async () => {
    const file = join(work, `${++pages}.ipynb`)
    const page = join(work, `${pages}.html`)
    writeFileSync(file, notebookOf(many(1)))
    writeFileSync(page, 'not ours')
    const result = await renderPage(file, page, FAILED_IN_3)
    expect(result).toEqual({ failed: expect.stringContaining('EEXIST') })
    expect(readFileSync(page, 'utf8')).toBe('not ours')
  })
})

describe('the header', () => {
  // Seen red against the old page/template.ts: 300 and 1,000 characters, cut with no mark.
  it('cuts long texts to their length with the mark, and never in a character', async () => {
    const emoji = '\u{1F600}'
    const page = await pageOf([codeCell([])], {
      ...FAILED_IN_3,
      reading: {
        cells: 1,
        errorCount: 1,
        errors: [
          { cell: 1, ename: 'ValueError', evalue: 'e'.repeat(5_000), traceback: [], source: [] }
        ],
        glued: []
      },
      parameters: [
        // The mark's three characters would cut the emoji in two: it goes whole.
        {
          name: `${'n'.repeat(296)}${emoji}${'n'.repeat(10)}`,
          value: `${'v'.repeat(996)}${emoji}${'v'.repeat(10)}`
        },
        ...Array.from({ length: 100 }, (_, i) => ({ name: `p${i}`, value: i }))
      ]
    })
    const error = /cell 1<\/a>: <code>([^<]*)<\/code>/.exec(page)?.[1] ?? ''
    expect(error).toBe(`ValueError: ${'e'.repeat(285)}...`)
    expect(page).toContain(
      `<tr><td>${'n'.repeat(296)}...</td><td><code>${'v'.repeat(996)}...</code></td></tr>`
    )
    expect(page).toContain('<p class="note">... and 1 more parameters.</p>')
  })
})
