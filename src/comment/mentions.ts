/**
 * A comment notifies where a job summary does not: GitHub makes `@name` and `@org/team` in a
 * comment's text a mention (whoever it names is notified and subscribed), and `#123` a
 * reference that shows on that issue. It finds them in the rendered text, raw HTML included,
 * after entities are read: `&#64;name` is a mention like `@name` (github/cmark-gfm#181,
 * openjdk/skara#1548). A backslash does not escape them either (github/markup#1168).
 *
 * So every `@` and `#` of the text is followed by an empty HTML comment, `@<!-- -->name`, as
 * LLVM's bots write them: GitHub's sanitizer drops the comment, the text reads (and copies) as
 * it was, and the mention filter, which reads one text node at a time, never sees `@name`
 * together. A zero-width character after the `@` would work too, but it stays in what a
 * reader copies out of the comment, and the log's rules remove such characters from text.
 */

/** Our tags, entities, and the characters that start a mention or a reference. */
const PIECES = /<[^>]*>|&#?[A-Za-z0-9]+;|[@#]/g

/**
 * HTML made by the summary's helpers (../summary.ts), with no `@` or `#` of its text left able
 * to mention or reference. The helpers escape every `<`, `>` and `&` of outside text, so the
 * tags and entities here are the action's own and are kept as they are (a link's href among
 * them).
 */
export function withoutMentions(html: string): string {
  return html.replace(PIECES, piece =>
    piece === '@' || piece === '#' ? `${piece}<!-- -->` : piece
  )
}
