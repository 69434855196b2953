/**
 * The executed notebook as one self-contained HTML page: a header with the run, then every
 * cell with its source and outputs. It is written while the notebook's tokens stream by, so
 * neither the notebook nor the page is ever held whole: plots go from the notebook into the
 * page in pieces, and only small texts (a source, an HTML table, a traceback) are kept, capped,
 * until their output ends.
 *
 * Jupyter writes a cell's keys in sorted order, outputs before source: the page writes them as
 * they come and lets CSS show the source first.
 */
import { FileHandle, open, rm } from 'node:fs/promises'
import { errorMessage } from '../errors.js'
import { stripAnsi } from '../notebook/explain.js'
import { notebookTokens, Token, TokenWalker } from '../notebook/tokens.js'
import type { PageFacts } from './facts.js'
import { ansiToHtml, escapeHtml, markdownToHtml, SafeHtml, sanitize } from './safe-html.js'
import { pageHead, pageFoot } from './template.js'

/**
 * What is kept of a piece until its output ends; a larger piece is named, not shown. HTML is
 * cleaned in one synchronous piece (about half a second a MiB at worst), so it is kept to 1 MiB;
 * an SVG only goes into the page as base64.
 */
const CAP = {
  source: 256 * 1024,
  text: 1024 * 1024,
  html: 1024 * 1024,
  svg: 2 * 1024 * 1024,
  traceback: 1024 * 1024,
  json: 1024 * 1024
}
const IMAGES: Record<string, string> = {
  'image/png': 'image/png',
  'image/jpeg': 'image/jpeg',
  'image/gif': 'image/gif'
}
/** Where a note sends the reader for what the page does not show. */
const HAS_IT = 'the notebook in the zip has it'
/** Representations shown, best first; any other is named as not shown. */
const SHOWN = [
  'text/html',
  'text/markdown',
  'image/svg+xml',
  'application/json',
  'text/latex',
  'text/plain'
]

/**
 * Writes the page of `notebook` to `page`; says why when it could not, and then leaves no part
 * of a page behind. Between batches of tokens the event loop runs: an abort (a cancel, or
 * `timeout-minutes` running out) ends it there.
 */
export async function renderPage(
  notebook: string,
  page: string,
  facts: PageFacts,
  signal?: AbortSignal
): Promise<{ written: true } | { failed: string }> {
  let out: FileHandle | undefined
  try {
    // `wx`: a page is a new file, never one that was there (or a link planted in its place).
    out = await open(page, 'wx')
    const renderer = new PageRenderer(facts)
    await out.writeFile(pageHead(facts))
    for await (const tokens of notebookTokens(notebook, signal)) {
      for (const token of tokens) renderer.push(token)
      await out.writeFile(renderer.take())
      signal?.throwIfAborted()
    }
    await out.writeFile(renderer.take() + pageFoot())
    await out.close()
    return { written: true }
  } catch (error) {
    if (out != null) {
      await out.close().catch(() => undefined)
      await rm(page, { force: true }).catch(() => undefined)
    }
    return { failed: signal?.aborted ? errorMessage(signal.reason) : errorMessage(error) }
  }
}

type Frame = 'top' | 'cells' | 'cell' | 'outputs' | 'output' | 'data' | 'skip'

interface Output {
  type?: string
  name?: string
  /** Captured representations and texts, by key. */
  texts: Map<string, string>
  /** Keys whose text was larger than its cap. */
  tooLarge: Set<string>
  json?: string
  imageWritten: boolean
  notShown: string[]
}

/**
 * The state machine: `frames` says where the tokens are; a string being kept goes to `keep`,
 * an image streams straight into the page, and everything else is passed over by depth.
 */
class PageRenderer extends TokenWalker {
  private html: string[] = []
  private readonly frames: Frame[] = []
  private cellNumber = 0
  private cell: { type?: string; count?: number; source: string; sourceCut: boolean } | undefined
  private output: Output | undefined
  /** The string being kept, and where it goes once it ends. */
  private keep:
    | { text: string; cap: number; done: (text: string, cut: boolean) => void; cut: boolean }
    | undefined
  /** A plot streaming into the page: only base64 characters pass. */
  private image = false
  /** An array of strings being kept as one text (a source, a stream's text, a traceback). */
  private lines:
    | {
        parts: string[]
        joiner: string
        cap: number
        size: number
        cut: boolean
        done: (text: string, cut: boolean) => void
      }
    | undefined
  private json: { depth: number; text: string; last: string; cap: number; cut: boolean } | undefined
  private readonly failed: Set<number>

  constructor(facts: PageFacts) {
    super()
    this.failed = new Set(facts.reading?.errors.map(e => e.cell))
  }

  take(): string {
    const html = this.html.join('')
    this.html = []
    return html
  }

  push(token: Token): void {
    if (this.skipped(token)) return
    if (this.json != null) return this.keepJson(token)
    if (this.image) return this.streamImage(token)
    if (this.keep != null) return this.keepString(token)
    if (this.lines != null) return this.keepLines(token)
    this.route(token)
  }

  protected value(token: Token): void {
    const where = this.frames.at(-1)
    const key = this.key
    const container = token.name === 'startObject' || token.name === 'startArray'
    switch (where) {
      case undefined:
        return void this.frames.push('top')
      case 'top':
        if (key === 'cells' && token.name === 'startArray') {
          this.html.push('<main>')
          return void this.frames.push('cells')
        }
        return this.skipValue(token)
      case 'cells':
        if (token.name !== 'startObject') return this.skipValue(token)
        this.cellNumber++
        this.cell = { source: '', sourceCut: false }
        this.html.push(
          `<section class="cell${this.failed.has(this.cellNumber) ? ' failed' : ''}" id="cell-${this.cellNumber}"><div class="outputs">`
        )
        return void this.frames.push('cell')
      case 'cell':
        return this.cellValue(token, key, container)
      case 'outputs':
        if (token.name !== 'startObject') return this.skipValue(token)
        this.output = { texts: new Map(), tooLarge: new Set(), imageWritten: false, notShown: [] }
        return void this.frames.push('output')
      case 'output':
        return this.outputValue(token, key)
      case 'data':
        return this.dataValue(token, key)
      default:
        return this.skipValue(token)
    }
  }

  private cellValue(token: Token, key: string | undefined, container: boolean): void {
    const cell = this.cell
    if (cell == null) return this.skipValue(token)
    if (key === 'cell_type' && token.name === 'startString') {
      return this.keepText(32, text => (cell.type = text))
    }
    if (key === 'execution_count' && token.name === 'numberValue') {
      cell.count = Number(token.value)
      return
    }
    if (key === 'source') {
      const done = (text: string, cut: boolean): void => {
        cell.source = text
        cell.sourceCut = cut
      }
      if (token.name === 'startString') return this.keepText(CAP.source, done)
      if (token.name === 'startArray') return this.startLines('', CAP.source, done)
    }
    if (key === 'outputs' && token.name === 'startArray') return void this.frames.push('outputs')
    if (container || token.name === 'startString') return this.skipValue(token)
  }

  private outputValue(token: Token, key: string | undefined): void {
    const output = this.output
    if (output == null) return this.skipValue(token)
    const text = (name: string) => (value: string, cut: boolean) => {
      output.texts.set(name, value)
      if (cut) output.tooLarge.add(name)
    }
    switch (key) {
      case 'output_type':
        if (token.name === 'startString') return this.keepText(32, value => (output.type = value))
        break
      case 'name':
        if (token.name === 'startString') return this.keepText(32, value => (output.name = value))
        break
      case 'ename':
      case 'evalue':
        if (token.name === 'startString') return this.keepText(CAP.text, text(key))
        break
      case 'text':
      case 'traceback': {
        const cap = key === 'traceback' ? CAP.traceback : CAP.text
        if (token.name === 'startString') return this.keepText(cap, text(key))
        // A traceback's entries are lines of their own; a text's are pieces of one text.
        if (token.name === 'startArray')
          return this.startLines(key === 'traceback' ? '\n' : '', cap, text(key))
        break
      }
      case 'data':
        if (token.name === 'startObject') return void this.frames.push('data')
        break
    }
    return this.skipValue(token)
  }

  /** One representation of a display or a result. */
  private dataValue(token: Token, mime: string | undefined): void {
    const output = this.output
    if (output == null || mime == null) return this.skipValue(token)
    const image = IMAGES[mime]
    if (image != null && token.name === 'startString') {
      this.html.push(`<img alt="" src="data:${image};base64,`)
      this.image = true
      output.imageWritten = true
      return
    }
    if (
      mime === 'application/json' &&
      (token.name === 'startObject' || token.name === 'startArray')
    ) {
      this.json = { depth: 0, text: '', last: '', cap: CAP.json, cut: false }
      return this.keepJson(token)
    }
    if (SHOWN.includes(mime) && (token.name === 'startString' || token.name === 'startArray')) {
      const cap = mime === 'text/html' ? CAP.html : mime === 'image/svg+xml' ? CAP.svg : CAP.text
      const done = (text: string, cut: boolean): void => {
        output.texts.set(mime, text)
        if (cut) output.tooLarge.add(mime)
      }
      return token.name === 'startString'
        ? this.keepText(cap, done)
        : this.startLines('', cap, done)
    }
    if (!mime.startsWith('application/scrapbook.')) output.notShown.push(mime)
    return this.skipValue(token)
  }

  protected close(): void {
    const closed = this.frames.pop()
    this.key = undefined
    if (closed === 'output') this.closeOutput()
    if (closed === 'cell') this.closeCell()
    if (closed === 'cells') this.html.push('</main>')
  }

  private closeCell(): void {
    const cell = this.cell ?? { source: '', sourceCut: false }
    this.cell = undefined
    const number = this.cellNumber
    const cut = cell.sourceCut
      ? '<p class="note">(the source is longer; the rest is not shown)</p>'
      : ''
    const source =
      cell.type === 'markdown'
        ? `<div class="markdown">${markdownOrText(cell.source, 'This markdown cell')}${cut}</div>`
        : cell.type === 'code'
          ? `<pre class="code">${escapeHtml(cell.source)}</pre>${cut}`
          : `<pre class="raw">${escapeHtml(cell.source)}</pre>${cut}`
    const prompt =
      cell.type === 'code'
        ? `<a class="prompt" href="#cell-${number}">[${cell.count ?? ' '}]</a>`
        : `<a class="prompt" href="#cell-${number}">${number}</a>`
    const failed = this.failed.has(number) ? '<p class="failed-mark">This cell failed.</p>' : ''
    this.html.push(`</div><div class="source">${prompt}${failed}${source}</div></section>`)
  }

  private closeOutput(): void {
    const output = this.output
    this.output = undefined
    if (output == null) return
    const parts: string[] = []
    switch (output.type) {
      case 'stream': {
        const stderr = output.name === 'stderr'
        parts.push(
          `<pre class="stream${stderr ? ' stderr' : ''}">${escapeHtml(stripAnsi(output.texts.get('text') ?? ''))}</pre>`
        )
        if (output.tooLarge.has('text')) parts.push(large('The rest of this output'))
        break
      }
      case 'error': {
        const traceback =
          output.texts.get('traceback') ??
          `${output.texts.get('ename') ?? ''}: ${output.texts.get('evalue') ?? ''}`
        parts.push(`<pre class="error">${ansiToHtml(traceback)}</pre>`)
        if (output.tooLarge.has('traceback')) parts.push(large('The rest of this traceback'))
        break
      }
      case 'display_data':
      case 'execute_result':
        parts.push(...this.representations(output))
        break
      default:
        parts.push(
          `<p class="note">An output of type ${escapeHtml(String(output.type))} is not shown.</p>`
        )
    }
    this.html.push(`<div class="output">${parts.join('')}</div>`)
  }

  /**
   * The best representation of a display that can be shown (a plot was written already, as it
   * came); each better one that cannot is named in a note.
   */
  private representations(output: Output): string[] {
    const parts: string[] = []
    const present = SHOWN.filter(
      mime => output.texts.has(mime) || (mime === 'application/json' && output.json != null)
    )
    for (const mime of present) {
      if (mime === 'text/plain' && output.imageWritten) break
      if (output.tooLarge.has(mime)) {
        parts.push(large(`This ${mime} output`))
        continue
      }
      const shown = representation(mime, output.texts.get(mime) ?? '', output.json)
      if ('html' in shown) {
        parts.push(shown.html)
        break
      }
      parts.push(withheld(`This ${mime} output`, shown.withheld))
    }
    const notShown = [...new Set(output.notShown)]
    if (notShown.length > 0) {
      parts.push(
        `<p class="note">Not shown: ${notShown.map(m => `<code>${escapeHtml(m)}</code>`).join(', ')} (this page runs no script).</p>`
      )
    }
    return parts
  }

  private keepText(cap: number, done: (text: string, cut: boolean) => void): void {
    this.keep = { text: '', cap, done, cut: false }
  }

  private keepString(token: Token): void {
    const keep = this.keep
    if (keep == null) return
    if (token.name === 'stringChunk') {
      if (keep.text.length + token.value.length > keep.cap) {
        keep.text += token.value.slice(0, keep.cap - keep.text.length)
        keep.cut = true
      } else keep.text += token.value
    } else if (token.name === 'endString') {
      this.keep = undefined
      keep.done(keep.text, keep.cut)
    }
  }

  /** A list of strings kept as one text, `joiner` between them (a traceback's entries). */
  private startLines(
    joiner: string,
    cap: number,
    done: (text: string, cut: boolean) => void
  ): void {
    this.lines = { parts: [], joiner, cap, size: 0, cut: false, done }
  }

  private keepLines(token: Token): void {
    const lines = this.lines
    if (lines == null) return
    switch (token.name) {
      case 'startString':
        if (lines.parts.length > 0 && lines.joiner !== '') lines.parts.push(lines.joiner)
        return
      case 'stringChunk':
        if (lines.size + token.value.length > lines.cap) lines.cut = true
        if (lines.size < lines.cap) {
          const piece = token.value.slice(0, lines.cap - lines.size)
          lines.parts.push(piece)
          lines.size += piece.length
        }
        return
      case 'endArray':
        this.lines = undefined
        return lines.done(lines.parts.join(''), lines.cut)
      case 'startObject':
      case 'startArray':
        // Not a list of strings: what was kept stands, this element is passed over.
        this.skipValue(token)
        return
      default:
        return
    }
  }

  /** application/json: kept as compact text and shown pretty-printed when it ends. */
  private keepJson(token: Token): void {
    const json = this.json
    if (json == null) return
    const add = (text: string): void => {
      if (json.text.length + text.length > json.cap) json.cut = true
      else json.text += text
      json.last = text.at(-1) ?? json.last
    }
    // By the last character written, not by a look at the text: that would cost its length each time.
    const comma = (): void => {
      if (json.last !== '' && !'[{,:'.includes(json.last)) add(',')
    }
    switch (token.name) {
      case 'startObject':
      case 'startArray':
        comma()
        add(token.name === 'startObject' ? '{' : '[')
        json.depth++
        return
      case 'endObject':
      case 'endArray':
        add(token.name === 'endObject' ? '}' : ']')
        if (--json.depth > 0) return
        this.json = undefined
        if (this.output) {
          this.output.json = json.cut ? undefined : prettyJson(json.text)
          if (json.cut) this.output.tooLarge.add('application/json')
          this.output.texts.set('application/json', '')
        }
        return
      case 'keyValue':
        comma()
        add(`${JSON.stringify(token.value)}:`)
        return
      case 'startString':
        comma()
        add('"')
        return
      case 'stringChunk':
        add(JSON.stringify(token.value).slice(1, -1))
        return
      case 'endString':
        add('"')
        return
      case 'numberValue':
      case 'nullValue':
      case 'trueValue':
      case 'falseValue':
        comma()
        add(String(token.value))
        return
      default:
        return
    }
  }

  /** Base64 characters only: nothing in a plot's string can leave the attribute. */
  private streamImage(token: Token): void {
    if (token.name === 'stringChunk') this.html.push(token.value.replace(/[^A-Za-z0-9+/=]/g, ''))
    else if (token.name === 'endString') {
      this.html.push('">')
      this.image = false
    }
  }
}

/** One representation of a display as HTML, or why it is not shown. */
function representation(mime: string, text: string, json: string | undefined): SafeHtml {
  switch (mime) {
    case 'text/html': {
      const shown = sanitize(text)
      return 'html' in shown ? { html: `<div class="html">${shown.html}</div>` } : shown
    }
    case 'text/markdown':
      return { html: `<div class="markdown">${markdownOrText(text, `This ${mime} output`)}</div>` }
    case 'image/svg+xml':
      return {
        html: `<img alt="" src="data:image/svg+xml;base64,${Buffer.from(text).toString('base64')}">`
      }
    case 'application/json':
      return { html: `<pre class="json">${escapeHtml(json ?? '')}</pre>` }
    default:
      return { html: `<pre class="text">${escapeHtml(stripAnsi(text))}</pre>` }
  }
}

/** Markdown rendered; or, when it cannot be, a note saying why and its text. */
function markdownOrText(text: string, what: string): string {
  const shown = markdownToHtml(text)
  if ('html' in shown) return shown.html
  return `<p class="note">${escapeHtml(what)} is shown as its text: ${escapeHtml(shown.withheld)}.</p><pre class="text">${escapeHtml(text)}</pre>`
}

function withheld(what: string, why: string): string {
  return `<p class="note">${escapeHtml(what)} is not shown: ${escapeHtml(why)}; ${HAS_IT}.</p>`
}

function large(what: string): string {
  return `<p class="note">${escapeHtml(what)} is too large to show here; ${HAS_IT}.</p>`
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}
