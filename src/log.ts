/**
 * Everything the action prints goes through here, and here alone text from outside (server
 * answers, artifact names, inputs a workflow may fill from an event) is made safe to print:
 *
 * - Secrets are redacted first, before anything cuts the text, so a cut never leaves part of
 *   the token behind. (`core.setSecret` makes the runner mask it too, but only in its own log.)
 * - URLs lose their query strings: a signed storage URL carries its credentials there.
 * - It never reaches stdout in a form the runner executes. The runner (actions/runner,
 *   ProcessInvoker and ActionCommand.cs) reads stdout and stderr line by line, ending a line at
 *   `\n`, `\r\n` and a lone `\r`; it takes a line as a `::command` when it starts with `::` after
 *   leading whitespace, and as a legacy `##[command]` wherever `##[` appears in it; and it
 *   matches both culture-sensitively, so invisible characters (zero-width, soft hyphen, control
 *   characters) inside `::` or `##[` are skipped. So: invisible characters go, every `##[` is
 *   broken, and a line that would start with `::` is prefixed with `| `.
 *   Annotations and debug lines are single commands whose data @actions/core escapes; their
 *   text is cleaned the same way, line breaks kept.
 *
 * What the action does not print itself (its dependencies, Node) is held to the same rule by
 * ./stdio-guard.ts, which tells this module's writes (`isOwnWrite`) from everyone else's.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import * as core from '@actions/core'

const secrets = new Set<string>()

/**
 * True while this module writes through @actions/core, which writes to stdout synchronously:
 * the write under way is the action's own, made safe here (./stdio-guard.ts lets it pass).
 */
let speaking = false

/** Whether stdout is being written by this module (through @actions/core) right now. */
export function isOwnWrite(): boolean {
  return speaking
}

function say(write: () => void): void {
  const before = speaking
  speaking = true
  try {
    write()
  } finally {
    speaking = before
  }
}

/** Masks a secret for the runner and for everything this module prints from now on. */
export function addSecret(secret: string): void {
  if (secret === '') return
  say(() => core.setSecret(secret))
  secrets.add(secret)
}

export function redact(text: string): string {
  let result = text
  for (const secret of secrets) result = result.split(secret).join('***')
  return result
}

const URL_QUERY = /(https?:\/\/[^\s?#"'<>`]*)[?#][^\s"'<>`]*/gi

/** URLs as they may be shown: without the query string or fragment. */
export function withoutQueries(text: string): string {
  return text.replace(URL_QUERY, '$1')
}

/**
 * Characters that no message needs and that hide what a line really says: controls (but tab
 * and line breaks), format and other default-ignorable characters, noncharacters, and lone
 * surrogates.
 */
const INVISIBLE =
  /(?![\t\n\r])[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}\p{Cs}]/gu

/** Outside text as it may be shown anywhere: secrets redacted, URLs without queries, nothing invisible. */
export function plain(text: string): string {
  return withoutQueries(redact(text)).replace(INVISIBLE, '')
}

/** Where the runner ends a line. */
export const LINE_BREAKS = /\r\n|\r|\n/g

/** The longest message printed in one piece; anything longer is cut (after redaction). */
const MAX_MESSAGE = 64 * 1024

/** How a cut is marked; it counts towards the characters a clipped text may have. */
const CUT_MARK = '...'

/**
 * At most `max` characters of `text` (at least 3), the mark included: made `plain` first and
 * ending in "..." when cut, never splitting a character. Use it wherever outside text is
 * shortened for a message. Only a window of the text is looked at, so a huge answer costs no
 * more than a short one; a secret cut by the window's edge is dropped whole, so no part of it
 * can show.
 */
export function clip(text: string, max: number): string {
  const window = 4 * max + longestSecret()
  const whole = text.length <= window
  const head = whole ? redact(text) : withoutPartialSecret(redact(text.slice(0, window)))
  const clean = withoutQueries(head).replace(INVISIBLE, '')
  if (whole && clean.length <= max) return clean
  let end = Math.max(0, Math.min(max - CUT_MARK.length, clean.length))
  if (/[\uD800-\uDBFF]/.test(clean.charAt(end - 1))) end--
  return `${clean.slice(0, end)}${CUT_MARK}`
}

function longestSecret(): number {
  let longest = 0
  for (const secret of secrets) longest = Math.max(longest, secret.length)
  return longest
}

/** `text` without a tail that could be the start of a secret. */
function withoutPartialSecret(text: string): string {
  let result = text
  for (const secret of secrets) {
    for (let length = Math.min(secret.length - 1, result.length); length > 0; length--) {
      if (result.endsWith(secret.slice(0, length))) {
        result = result.slice(0, result.length - length)
        break
      }
    }
  }
  return result
}

/** Outside text quoted for a message: clipped, on one line, unambiguous. */
export function quote(text: string, max = 200): string {
  return JSON.stringify(clip(text, max))
}

/** Names for a message: quoted, at most a few, then how many more. */
export function listOf(names: readonly string[], shown = 20): string {
  const listed = names.slice(0, shown).map(name => quote(name))
  const more = names.length > shown ? ` and ${names.length - shown} more` : ''
  return `${listed.join(', ')}${more}`
}

/** Text the runner reads as nothing but text, for a plain line of the log. */
export function inert(text: string): string {
  return clip(text, MAX_MESSAGE)
    .replace(/##\[/g, '## [')
    .split(LINE_BREAKS)
    .map(line => (/^\s*::/.test(line) ? `| ${line}` : line))
    .join('\n')
}

/** Text for a command's data or property: @actions/core escapes line breaks there. */
function commandText(text: string): string {
  return clip(text, MAX_MESSAGE)
}

export interface Annotation {
  title?: string
}

function annotation(properties?: Annotation): core.AnnotationProperties | undefined {
  if (properties?.title == null) return undefined
  return { title: clip(properties.title, 200).replace(LINE_BREAKS, ' ') }
}

/** An annotation kept back by a run of several, for the step to print within GitHub's limits. */
export interface HeldAnnotation {
  kind: 'error' | 'warning' | 'notice'
  message: string
  title?: string
}

/** One run of several: its name starts every line it prints, and its annotations wait. */
export interface RunLabel {
  name: string
  held: HeldAnnotation[]
}

const runLabel = new AsyncLocalStorage<RunLabel>()

/**
 * Runs `work` as one run of several: every line it prints (however deep) starts with the run's
 * name, and its annotations are printed as lines at once and kept in `label.held`. GitHub shows
 * at most 10 annotations of a kind per step, so the step decides which of them become one.
 */
export function asRun<T>(label: RunLabel, work: () => Promise<T>): Promise<T> {
  return runLabel.run(label, work)
}

/**
 * Text for lines of the log: `inert`, and within a run of several each line starting with the
 * run's name, this module's lines and other code's alike (the artifact client's "Uploading
 * artifact ...", which ./stdio-guard.ts passes through here). A name is checked when it is read
 * (no line break, no "##[", nothing invisible), so the prefix changes nothing of what the line is.
 */
export function logLines(text: string): string {
  const lines = inert(text)
  const label = runLabel.getStore()
  if (label == null) return lines
  return lines
    .split('\n')
    .map(line => `[${label.name}] ${line}`)
    .join('\n')
}

/** A run's words inside a workflow command, where the line itself cannot carry the name. */
function labelled(message: string): string {
  const label = runLabel.getStore()
  return label == null ? message : `[${label.name}] ${message}`
}

function annotate(kind: HeldAnnotation['kind'], message: string, properties?: Annotation): void {
  const label = runLabel.getStore()
  if (label == null) {
    say(() => core[kind](commandText(message), annotation(properties)))
    return
  }
  const title = properties?.title == null ? '' : `${properties.title}: `
  const shown = kind === 'notice' ? 'Notice' : kind === 'error' ? 'Error' : 'Warning'
  say(() => core.info(logLines(`${shown}: ${title}${message}`)))
  label.held.push({ kind, message, title: properties?.title })
}

export const log = {
  info: (message: string): void => say(() => core.info(logLines(message))),
  /** A collapsed group of lines in the log, each line as `info` prints it. */
  group: (title: string, lines: readonly string[]): void =>
    say(() => {
      core.startGroup(clip(labelled(title), 200).replace(LINE_BREAKS, ' '))
      for (const line of lines) core.info(logLines(line))
      core.endGroup()
    }),
  debug: (message: string): void => say(() => core.debug(commandText(labelled(message)))),
  warning: (message: string, properties?: Annotation): void =>
    annotate('warning', message, properties),
  error: (message: string, properties?: Annotation): void => annotate('error', message, properties),
  notice: (message: string, properties?: Annotation): void =>
    annotate('notice', message, properties),
  setOutput: (name: string, value: string): void => say(() => core.setOutput(name, redact(value)))
}
