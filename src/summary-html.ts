/**
 * The job summary's HTML, as every part of it is written: outside text escaped and cut to a size
 * of its own as written, links only to http(s), tables of bounded rows and bytes, and the blocks
 * kept while the whole fits under GitHub's limit. What ./summary.ts and ./summary-changes.ts
 * both write with.
 *
 * The summary is HTML that GitHub's Markdown renderer passes through as it is: every line
 * starts with a tag of ours, and no value from outside may end a block (a blank line would,
 * and `\r` counts as a line break) or add markup. So every outside value goes through `text`.
 *
 * GitHub drops a step's summary over 1 MiB entirely, so sizes are counted as written: escaped
 * (`"` is six bytes as `&quot;`), in UTF-8 bytes.
 */
import { escapeHtml } from './html.js'
import { clip, LINE_BREAKS, redact } from './log.js'

/** GitHub's limit for a step's summary, in bytes: over it, the summary is dropped whole. */
const GITHUB_SUMMARY_BYTES = 1024 * 1024
/** What the action writes at most, the line that ends it and the closing note included. */
export const MAX_SUMMARY_BYTES = GITHUB_SUMMARY_BYTES - 1024
/** What one list may add to the summary, whatever its rows hold. */
const MAX_LIST_BYTES = 256 * 1024
/** Bytes of one value from outside as escaped HTML (a name, a status); a problem may say more. */
const MAX_VALUE = 300
/** The mark of a value that was cut, within its size. */
const MARK = '...'

/**
 * Outside text as HTML of at most `max` bytes as written, its "..." included when it is cut:
 * made plain (`clip`), escaped, each line break written as `lineBreak`. A cut never splits an
 * entity or a character.
 */
export function escaped(value: string, max: number, lineBreak: string): string {
  // Every character is at least one byte: no more than `max` of them can be shown.
  const shown = clip(value, max)
  const whole = shown.split(LINE_BREAKS).map(escapeHtml).join(lineBreak)
  if (Buffer.byteLength(whole) <= max) return whole
  const room = max - MARK.length
  let html = ''
  let bytes = 0
  // Line breaks and characters (a surrogate pair is one), as they are written.
  for (const [unit] of shown.matchAll(/\r\n|[\s\S]/gu)) {
    const piece = unit === '\r\n' || unit === '\r' || unit === '\n' ? lineBreak : escapeHtml(unit)
    const size = Buffer.byteLength(piece)
    if (bytes + size > room) break
    html += piece
    bytes += size
  }
  return `${html}${MARK}`
}

/** Outside text as HTML on one line: at most `max` bytes as written. */
export function text(value: string, max = MAX_VALUE): string {
  return escaped(value, max, ' ')
}

/** Outside text that may span lines: each line break becomes `<br>`; at most `max` bytes. */
export function paragraph(value: string, max: number): string {
  return escaped(value, max, '<br>')
}

/**
 * The summary's blocks, each a whole element (or a few) on a line of its own, kept while they
 * fit under MAX_SUMMARY_BYTES as written (secrets redacted, as `writeSummary` writes them).
 * A block that does not fit is left out whole and counted; the summary ends by saying so.
 * Exported for its tests: the limits of the values and lists keep a summary under this one as
 * they are, so only a test reaches it; it holds whatever those limits become.
 */
export class SummaryBlocks {
  private readonly kept: string[] = []
  private bytes = 0
  private leftOut = 0
  /** The closing note, at its longest. */
  private static readonly NOTE_ROOM = 200
  private readonly max = MAX_SUMMARY_BYTES - SummaryBlocks.NOTE_ROOM

  /** Bytes the next block may take. */
  get room(): number {
    return Math.max(0, this.max - this.bytes - 1)
  }

  /** Adds the block when it fits; says whether it did. */
  add(html: string): boolean {
    const size = Buffer.byteLength(redact(html)) + 1
    if (this.bytes + size > this.max) {
      this.leftOut++
      return false
    }
    this.bytes += size
    this.kept.push(html)
    return true
  }

  /** Blocks that belong together (under one heading): from the first on, while they fit. */
  section(blocks: readonly string[]): void {
    const fitted = blocks.findIndex(block => !this.add(block))
    if (fitted >= 0) this.leftOut += blocks.length - fitted - 1
  }

  html(): string {
    const note =
      this.leftOut === 0
        ? []
        : [
            `<p>... and ${this.leftOut} more part(s) left out: GitHub shows a step's summary only up to 1 MiB. The step's log and outputs have them.</p>`
          ]
    return [...this.kept, ...note].join('\n')
  }
}

/** A link only to an http(s) URL; anything else is shown as text. */
export function link(url: string, labelHtml: string): string {
  return /^https?:\/\//i.test(url) ? `<a href="${text(url, 2_000)}">${labelHtml}</a>` : labelHtml
}

export function row(name: string, valueHtml: string): string {
  return `<tr><th align="left">${name}</th><td>${valueHtml}</td></tr>`
}

/**
 * A table of at most `maxRows` rows and `maxBytes` (as written), then a line saying how many more
 * there are and where to find them. Rows are made only as far as they are shown.
 */
export function table(
  header: string,
  count: number,
  rowAt: (index: number) => string,
  maxRows: number,
  rest: string,
  maxBytes: number
): string {
  // Room for the table's own tags and the line that counts the rest.
  const budget = Math.min(MAX_LIST_BYTES, maxBytes) - Buffer.byteLength(header) - 300
  const shown: string[] = []
  let bytes = 0
  for (let index = 0; index < Math.min(count, maxRows); index++) {
    const tableRow = rowAt(index)
    bytes += Buffer.byteLength(tableRow)
    if (bytes > budget) break
    shown.push(tableRow)
  }
  const parts = [`<table>${header}${shown.join('')}</table>`]
  if (count > shown.length) {
    parts.push(`<p>... and ${count - shown.length} more: ${rest}.</p>`)
  }
  return parts.join('\n')
}
