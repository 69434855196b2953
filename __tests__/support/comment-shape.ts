/**
 * A pull request comment's body as GitHub shows it: CommonMark (which cmark-gfm implements)
 * renders it, raw HTML passing through, and what comes out is read the way GitHub's filters
 * read it. GitHub finds mentions (`@name`, `@org/team`) and references (`#123`) in one text node
 * at a time, after entities are decoded, and skips code and pre: here they are looked for in
 * every text node, to be strict. Links may go only to the hosts the action chose, nothing may
 * load (no image), only tags GitHub's sanitizer keeps may be there, and the only HTML comments
 * are the marker and the empty ones that keep an `@` or `#` apart from its word.
 */
import { HtmlRenderer, Parser } from 'commonmark'
import { parseDocument } from 'htmlparser2'
import { summaryBlocks } from './summary-shape.js'

/** Tags the body may render to; GitHub's sanitizer keeps every one of them. */
const TAGS = new Set([
  'h3',
  'h4',
  'p',
  'a',
  'code',
  'pre',
  'table',
  'tr',
  'th',
  'td',
  'details',
  'summary',
  'sub',
  'br'
])

type Node = ReturnType<typeof parseDocument>['children'][number]

/** What is wrong with the body as GitHub would show it (nothing: []), and its text. */
export function readComment(
  body: string,
  hosts: readonly string[]
): { problems: string[]; text: string } {
  const problems: string[] = []
  const blocks = summaryBlocks(body)
  if (blocks.join() !== 'html_block,html_block') {
    problems.push(`not the marker and one HTML block: ${blocks.join(', ')}`)
  }
  const html = new HtmlRenderer().render(new Parser().parse(body))
  let text = ''
  const comments: string[] = []
  const visit = (node: Node): void => {
    if (node.type === 'comment') comments.push(node.data)
    else if (node.type === 'text') {
      if (/@[A-Za-z0-9]/.test(node.data)) problems.push(`a mention: ${JSON.stringify(node.data)}`)
      if (/#[0-9]/.test(node.data)) problems.push(`a reference: ${JSON.stringify(node.data)}`)
      text += node.data
    } else if ('attribs' in node) {
      if (!TAGS.has(node.name)) problems.push(`a <${node.name}>`)
      for (const [name, value] of Object.entries(node.attribs)) {
        if (name !== 'href' && name !== 'align') problems.push(`an attribute ${name}`)
        if (name === 'href' && !hosts.includes(hostOf(value))) problems.push(`a link to ${value}`)
      }
    }
    if ('children' in node) for (const child of node.children) visit(child as Node)
  }
  for (const node of parseDocument(html).children) visit(node)
  if (!/^ datalore-run-action:comment key=/.test(comments[0] ?? '')) {
    problems.push('no marker first')
  }
  for (const comment of comments.slice(1)) {
    if (comment !== ' ') problems.push(`a comment ${JSON.stringify(comment)}`)
  }
  return { problems, text }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return `(not a URL: ${url})`
  }
}
