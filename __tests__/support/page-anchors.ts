/**
 * What a page links to and what it names, read with a real HTML parser (htmlparser2, as a
 * browser would build the tree), and everything wrong with it: a link that leaves the page or
 * goes nowhere, a notebook's link to the page's own anchors, an anchor from a notebook that
 * takes one of the page's. Content is what the notebook put in: everything in an output, and in
 * a markdown cell's rendering; the rest (the header, the sections, the prompts) is the page's.
 */

// sanitize-html loads htmlparser2 with require(): a test that renders a page imports this module
// after the renderer, so that htmlparser2 is loaded once, by sanitize-html, before this import.
const { parseDocument } = await import('htmlparser2')

export interface Node {
  type?: string
  name?: string
  attribs?: Record<string, string>
  children?: Node[]
  data?: string
}

export interface Anchors {
  /** Every link, and whether a notebook's content wrote it. */
  links: Array<{ href: string; content: boolean }>
  /** Every id and `<a name>` in tree order, and whether a notebook's content wrote it. */
  targets: Array<{ value: string; id: boolean; content: boolean; node: Node }>
}

export function parsePage(html: string): Node {
  return parseDocument(html) as unknown as Node
}

export function anchorsOf(html: string): Anchors {
  const found: Anchors = { links: [], targets: [] }
  const visit = (node: Node, content: boolean): void => {
    const classes = (node.attribs?.class ?? '').split(' ')
    const inside = content || classes.includes('output') || classes.includes('markdown')
    if (node.type === 'tag') {
      const { href, id, name } = node.attribs ?? {}
      if (href != null) found.links.push({ href, content: inside })
      if (id != null) found.targets.push({ value: id, id: true, content: inside, node })
      if (name != null && node.name === 'a') {
        found.targets.push({ value: name, id: false, content: inside, node })
      }
    }
    for (const child of node.children ?? []) visit(child, inside)
  }
  visit(parsePage(html), false)
  return found
}

/** Where a browser goes for `#fragment`: the first element with that id, else the first such `<a name>`. */
export function targetOf(
  anchors: Anchors,
  fragment: string
): Anchors['targets'][number] | undefined {
  return (
    anchors.targets.find(t => t.id && t.value === fragment) ??
    anchors.targets.find(t => !t.id && t.value === fragment)
  )
}

/**
 * Everything wrong with the page's links and anchors; empty when there is nothing. The page's
 * own links may go to `notebookUrl`; every other link must be an anchor on the page, of its
 * own side (content to content, page to page).
 */
export function anchorProblems(html: string, notebookUrl: string): string[] {
  const anchors = anchorsOf(html)
  const problems: string[] = []
  for (const { href, content } of anchors.links) {
    if (!content && href === notebookUrl) continue
    const target = href.startsWith('#') ? targetOf(anchors, href.slice(1)) : undefined
    if (target == null) problems.push(`a link to ${JSON.stringify(href)}, not to an anchor here`)
    else if (target.content !== content) {
      problems.push(
        `${content ? 'content' : 'the page'} links ${JSON.stringify(href)} to ${content ? "the page's" : "the notebook's"} anchor`
      )
    }
  }
  const own = anchors.targets.filter(t => !t.content).map(t => t.value)
  if (new Set(own).size !== own.length) problems.push(`the page's own ids repeat: ${own.join(' ')}`)
  for (const target of anchors.targets.filter(t => t.content && own.includes(t.value))) {
    problems.push(`content names ${JSON.stringify(target.value)}, one of the page's own anchors`)
  }
  return problems
}

/** The `content` of the page's Content-Security-Policy meta tag, as a browser reads it. */
export function contentSecurityPolicyOf(html: string): string | undefined {
  let found: string | undefined
  const visit = (node: Node): void => {
    if (
      found == null &&
      node.name === 'meta' &&
      node.attribs?.['http-equiv']?.toLowerCase() === 'content-security-policy'
    ) {
      found = node.attribs.content
    }
    for (const child of node.children ?? []) visit(child)
  }
  visit(parsePage(html))
  return found
}
