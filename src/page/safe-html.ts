/**
 * Notebook content as HTML that cannot act: markdown rendered by markdown-it and HTML outputs
 * cleaned by sanitize-html to formatting, tables and `data:` images (no script, frame, object,
 * form, event handler, style sheet, and no link or image that would leave the page), and
 * IPython's ANSI colours turned into spans by ansi_up. Whatever a library made of the notebook's
 * text passes the sanitizer last: ansi_up's own links (OSC 8 terminal hyperlinks) and markdown-it's
 * are checked after they were made, not only before. The page's Content-Security-Policy is the
 * second wall: it allows inline styles and `data:` images only.
 *
 * Ids and anchors. The page's own anchors are `cell-N`; an id from a notebook could capture them
 * (an output with `id="cell-3"` ahead of cell 3 takes the header's "failed in cell 3" link). So
 * every id and anchor name from a notebook is prefixed with `user-content-`, as GitHub does, and
 * a notebook's `#x` link becomes `#user-content-x`: it can reach the notebook's own anchors, never
 * the page's. A link is kept only when its target is in the same piece (the output or markdown
 * cell it is in): the page is written as the notebook streams by, so a target further down is not
 * known yet, and a link that goes nowhere is not kept.
 *
 * Bounded work. Every piece is cleaned synchronously, so each is bounded: htmlparser2 (under
 * sanitize-html) keeps its open elements in an array it shifts at the front, which makes nesting
 * quadratic (150,000 nested tags took 10-15 s), so a piece is first scanned, linearly, and one
 * nested deeper than a browser builds is not shown; markdown-it takes up to 3 ms a KiB, so
 * longer markdown is shown as text; longer tracebacks go without colour.
 */
import { AnsiUp } from 'ansi_up'
import MarkdownIt from 'markdown-it'
import sanitizeHtml from 'sanitize-html'
import { escapeHtml } from '../html.js'
import { stripAnsi } from '../notebook/explain.js'

// The parser sanitize-html uses, loaded once sanitize-html has loaded it with require(): a static
// import beside it would be a cycle to a module registry that follows both (Jest's).
const { Parser } = await import('htmlparser2')

export { escapeHtml }

/** Deeper than this is not shown: Chromium's parser stops nesting at 512 too. */
const MAX_DEPTH = 512
/** Markdown rendered at most this long; longer is shown as its text. */
const MAX_MARKDOWN = 64 * 1024
/** A traceback coloured at most this long; longer is shown without colour. */
const MAX_ANSI = 256 * 1024
/** What every id and anchor name from a notebook starts with; the page's own never do. */
const CONTENT_ID_PREFIX = 'user-content-'

/** A piece of notebook content as HTML, or why it is not shown. */
export type SafeHtml = { html: string } | { withheld: string }

/** Images the page may show: only what is inside it already. */
const DATA_IMAGE = /^data:image\/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=\s]*$/i
/** What sanitize-html drops as it is: sanitize-html's own list, and `<iframe>`, whose text it would parse again. */
const TEXT_DROPPED = ['script', 'style', 'textarea', 'option', 'xmp', 'iframe']
/** The parser options sanitize-html uses, so that the scan sees what it will see. */
const PARSER = { decodeEntities: true }

const HTML_TAGS = new Set([
  ...sanitizeHtml.defaults.allowedTags,
  'a',
  'img',
  'span',
  'del',
  'ins',
  'sub',
  'sup',
  'details',
  'summary'
])

const HTML_POLICY: sanitizeHtml.IOptions = {
  allowedTags: [...HTML_TAGS],
  allowedAttributes: {
    '*': ['title', 'align', 'colspan', 'rowspan', 'id'],
    a: ['href', 'name'],
    img: ['src', 'alt', 'width', 'height']
  },
  // Only anchors inside the page and data: images are kept; any other URL goes.
  allowedSchemes: [],
  allowedSchemesByTag: { img: ['data'] },
  allowProtocolRelative: false,
  nonTextTags: TEXT_DROPPED
}

/** An operating system command (a title, a hyperlink), ended by BEL or ST; and one left open. */
// eslint-disable-next-line no-control-regex -- the escape character is what is matched
const OSC = /\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g
// eslint-disable-next-line no-control-regex -- the escape character is what is matched
const OSC_START = /\u001b\]/g

/** ansi_up writes spans with these styles, and nothing else is kept of what it wrote. */
const ANSI_STYLE =
  /^(?:(?:color|background-color):rgb\(\d{1,3},\d{1,3},\d{1,3}\)|font-weight:bold|opacity:0\.7|font-style:italic|text-decoration:underline)(?:;(?:(?:color|background-color):rgb\(\d{1,3},\d{1,3},\d{1,3}\)|font-weight:bold|opacity:0\.7|font-style:italic|text-decoration:underline))*$/

const ANSI_POLICY: sanitizeHtml.IOptions = {
  allowedTags: ['span'],
  allowedAttributes: { span: ['style'] },
  allowedSchemes: [],
  // The styles are checked whole against what ansi_up writes (below), not parsed as CSS.
  parseStyleAttributes: false,
  nonTextTags: TEXT_DROPPED,
  transformTags: {
    span: (tagName, { style }): sanitizeHtml.Tag => ({
      tagName,
      attribs: style != null && ANSI_STYLE.test(style) ? { style } : {}
    })
  }
}

/** An HTML output, cleaned. */
export function sanitize(html: string): SafeHtml {
  if (nestedTooDeep(html)) return tooDeep
  return { html: withContentAnchors(html) }
}

const tooDeep: SafeHtml = { withheld: `it nests elements more than ${MAX_DEPTH} deep` }

const markdown = new MarkdownIt({ html: true, linkify: false })

/** Markdown, rendered and cleaned; not when longer than MAX_MARKDOWN. */
export function markdownToHtml(text: string): SafeHtml {
  if (text.length > MAX_MARKDOWN) return tooLong
  return sanitize(markdown.render(text))
}

const tooLong: SafeHtml = { withheld: `it is longer than ${MAX_MARKDOWN / 1024} KiB` }

/** A traceback in its colours; longer than MAX_ANSI, without them. */
export function ansiToHtml(text: string): string {
  if (text.length > MAX_ANSI) return escapeHtml(stripAnsi(text))
  const ansi = new AnsiUp()
  ansi.use_classes = false
  // Operating system commands are no colour: a terminal hyperlink (OSC 8) is its text, and one
  // left open would make ansi_up wait for its end and drop the rest. What ansi_up writes is
  // cleaned all the same, so that a link it made would be its text.
  const html = ansi.ansi_to_html(text.replace(OSC, '').replace(OSC_START, ''))
  if (nestedTooDeep(html)) return escapeHtml(stripAnsi(text))
  return sanitizeHtml(html, ANSI_POLICY)
}

/**
 * Is `html` nested deeper than MAX_DEPTH, as htmlparser2 parses it? The scan stops there, so
 * it costs at most MAX_DEPTH steps a tag (the parser's own work at that depth).
 */
function nestedTooDeep(html: string): boolean {
  let depth = 0
  let tooDeep = false
  const parser: InstanceType<typeof Parser> = new Parser(
    {
      onopentagname: () => {
        if (++depth <= MAX_DEPTH) return
        tooDeep = true
        parser.pause()
      },
      onclosetag: () => void depth--
    },
    PARSER
  )
  parser.write(html)
  if (!tooDeep) parser.end()
  return tooDeep
}

/**
 * Cleans `html` with ids and anchor names prefixed and `#x` links pointed at the prefixed
 * anchors. Links are kept only when their target survived in the same piece: the targets are
 * known only once the piece is cleaned, so a piece with a link to elsewhere is cleaned twice.
 */
function withContentAnchors(html: string): string {
  const anchors = new Set<string>()
  const linked = new Set<string>()
  const once = sanitizeHtml(html, {
    ...HTML_POLICY,
    transformTags: { '*': (tagName, attribs) => contentTag(tagName, attribs, anchors, linked) }
  })
  if ([...linked].every(target => anchors.has(target))) return once
  return sanitizeHtml(once, {
    ...HTML_POLICY,
    transformTags: {
      a: (tagName, { href, ...rest }) => ({
        tagName,
        attribs: href != null && anchors.has(href.slice(1)) ? { ...rest, href } : rest
      })
    }
  })
}

/** One element as sanitize-html opens it: its anchors prefixed and recorded. */
function contentTag(
  tagName: string,
  attribs: sanitizeHtml.Attributes,
  anchors: Set<string>,
  linked: Set<string>
): sanitizeHtml.Tag {
  // An image that would load from elsewhere goes, with no trace: as a tag not allowed.
  if (tagName === 'img' && !DATA_IMAGE.test(attribs.src ?? '')) {
    return { tagName: 'dropped-img', attribs: {} }
  }
  const { id, name, href, ...others } = attribs
  const result: sanitizeHtml.Attributes = others
  // Only an element that stays in the page is a target; anything else is dropped whole.
  const stays = HTML_TAGS.has(tagName)
  const anchor = (value: string): string => {
    const prefixed = `${CONTENT_ID_PREFIX}${value}`
    if (stays) anchors.add(prefixed)
    return prefixed
  }
  if (id) result.id = anchor(id)
  if (tagName !== 'a') return { tagName, attribs: result }
  if (name) result.name = anchor(name)
  if (href?.startsWith('#') && href.length > 1) {
    result.href = `#${CONTENT_ID_PREFIX}${href.slice(1)}`
    linked.add(result.href.slice(1))
  }
  return { tagName, attribs: result }
}
