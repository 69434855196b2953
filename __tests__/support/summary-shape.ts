/**
 * The job summary as GitHub's renderer reads it (CommonMark, which cmark-gfm implements). The
 * action writes raw HTML blocks and, for a comparison with the baseline, charts: fenced
 * ```mermaid blocks of its own making. So every top-level node must be one of those two, and a
 * chart must be exactly what the action draws, line for line (this file's own rule, not the
 * product's): an `xychart-beta` with a numbered title of plain characters, labels of plain
 * characters, and plain decimals. A value that ended an HTML block (a blank line, `\r\r`) would
 * turn the rest into Markdown: a paragraph, a heading, a link, an image; one that reached a
 * chart could end its fence, start a directive (`%%{init}%%`) or add a statement.
 */
import { Parser } from 'commonmark'

/** A chart as the action draws it: no backtick, no `%`, no `;`, no `:` (click, href), no `"`. */
const CHART =
  /^xychart-beta\n {2}title "[0-9]\. [A-Za-z0-9 _.[\]-]{0,60}"\n {2}x-axis \["[a-z0-9 ?]+"(, "[a-z0-9 ?]+")*\]\n {2}y-axis "value( x 1e-?\d+)?"\n {2}line \[-?\d+(\.\d+)?(, -?\d+(\.\d+)?)*\]\n$/

export function summaryBlocks(summary: string): string[] {
  const blocks: string[] = []
  const document = new Parser().parse(summary)
  for (let node = document.firstChild; node != null; node = node.next) {
    blocks.push(
      node.type === 'code_block' && node.info === 'mermaid' && CHART.test(node.literal ?? '')
        ? 'chart'
        : node.type
    )
  }
  return blocks
}

/** Empty, or HTML blocks with the action's charts between them, an HTML block first. */
export function holdsItsShape(summary: string): boolean {
  const blocks = summaryBlocks(summary)
  return (
    blocks.length === 0 ||
    (blocks[0] === 'html_block' && blocks.every(b => b === 'html_block' || b === 'chart'))
  )
}

/** The charts' texts, as the renderer reads them. */
export function summaryCharts(summary: string): string[] {
  const charts: string[] = []
  const document = new Parser().parse(summary)
  for (let node = document.firstChild; node != null; node = node.next) {
    if (node.type === 'code_block' && node.info === 'mermaid') charts.push(node.literal ?? '')
  }
  return charts
}
