/**
 * Notebook content as HTML that cannot act: markdown rendered by markdown-it and HTML outputs
 * cleaned by sanitize-html to formatting, tables and `data:` images (no script, frame, object,
 * form, event handler, style sheet, and no link or image that would leave the page), and
 * IPython's ANSI colours turned into spans by ansi_up, which escapes the text. The page's
 * Content-Security-Policy is the second wall: it allows inline styles and `data:` images only.
 */
import { AnsiUp } from 'ansi_up'
import MarkdownIt from 'markdown-it'
import sanitizeHtml from 'sanitize-html'

export { escapeHtml } from '../html.js'

/** Images the page may show: only what is inside it already. */
const DATA_IMAGE = /^data:image\/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=\s]*$/i

const POLICY: sanitizeHtml.IOptions = {
  allowedTags: [
    ...sanitizeHtml.defaults.allowedTags.filter(tag => tag !== 'a'),
    'a',
    'img',
    'span',
    'del',
    'ins',
    'sub',
    'sup',
    'details',
    'summary'
  ],
  allowedAttributes: {
    '*': ['title', 'align', 'colspan', 'rowspan', 'id'],
    a: ['href', 'name'],
    img: ['src', 'alt', 'width', 'height']
  },
  // Only anchors inside the page and data: images are kept; any other URL goes.
  allowedSchemes: [],
  allowedSchemesByTag: { img: ['data'] },
  allowProtocolRelative: false,
  exclusiveFilter: frame =>
    frame.tag === 'img' && !DATA_IMAGE.test(String(frame.attribs.src ?? '')),
  transformTags: {
    a: (tagName, attribs) => {
      const { href, ...rest } = attribs
      return { tagName, attribs: href?.startsWith('#') ? { ...rest, href } : rest }
    }
  }
}

export function sanitize(html: string): string {
  return sanitizeHtml(html, POLICY)
}

const markdown = new MarkdownIt({ html: true, linkify: false })

export function markdownToHtml(text: string): string {
  return sanitize(markdown.render(text))
}

export function ansiToHtml(text: string): string {
  const ansi = new AnsiUp()
  ansi.use_classes = false
  return ansi.ansi_to_html(text)
}
