/**
 * The job summary as GitHub's renderer reads it (CommonMark, which cmark-gfm implements): the
 * action writes one raw HTML block, so every top-level node must be that one block. A value
 * that ended it (a blank line, `\r\r`) would turn the rest into Markdown: a paragraph, a
 * heading, a link, an image.
 */
import { Parser } from 'commonmark'

export function summaryBlocks(summary: string): string[] {
  const blocks: string[] = []
  const document = new Parser().parse(summary)
  for (let node = document.firstChild; node != null; node = node.next) blocks.push(node.type)
  return blocks
}

/** Empty, or exactly one HTML block. */
export function holdsItsShape(summary: string): boolean {
  const blocks = summaryBlocks(summary)
  return blocks.length === 0 || (blocks.length === 1 && blocks[0] === 'html_block')
}
