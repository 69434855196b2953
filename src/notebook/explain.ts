/**
 * What the executed notebooks say, in the words the step uses: why the run failed (the cell,
 * its error, its traceback) and what it computed (the glued values). Everything here is text
 * from a notebook: it goes out through the log module and the summary's escaping like any
 * other outside text, with IPython's colour codes removed first.
 */
import { clip, LINE_BREAKS } from '../log.js'
import { shellInertJson, utf16Bytes } from '../output-json.js'
import type { CellError, GluedValue, NotebookReading } from './read.js'

/** One executed notebook the run listed, and what reading it found. */
export interface NotebookFinding {
  /** The artifact's name, as Datalore listed it. */
  name: string
  reading?: NotebookReading
  /** Why it could not be read. */
  unreadable?: string
}

export interface NotebookError extends CellError {
  /** The notebook it is in, when the run listed several. */
  notebook: string
}

/**
 * The output `values` holds at most this much, measured as GitHub measures an output (UTF-16, the
 * JSON as written, escapes included): half of an output's 1 MB, so that the `runs` output of
 * several notebooks has room for the values of more than one.
 */
export const MAX_VALUES_BYTES = 512 * 1024
const MAX_ERROR_LINE = 1_000
const ANNOTATION_TRACEBACK_LINES = 12
const MAX_ANNOTATION = 4_000

/** ANSI escape sequences: CSI (colours, cursor) and OSC (titles, links), as IPython writes them. */
const ANSI =
  // eslint-disable-next-line no-control-regex -- the escape character is what is removed
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '')
}

/** Every error output of every notebook read, in order. */
export function errorsOf(findings: readonly NotebookFinding[]): NotebookError[] {
  return findings.flatMap(f => (f.reading?.errors ?? []).map(e => ({ ...e, notebook: f.name })))
}

/** `ename: evalue` on one line, as the `error` output gives it. */
export function errorLine(error: CellError): string {
  const line = stripAnsi(`${error.ename}: ${error.evalue}`).replace(/\s*(\r\n|\r|\n)\s*/g, ' ')
  return clip(line.trim(), MAX_ERROR_LINE)
}

/** The traceback as lines of text: entries hold several lines each, in colour. */
export function tracebackLines(error: CellError): string[] {
  return error.traceback.flatMap(entry => stripAnsi(entry).split(LINE_BREAKS))
}

/** Where the cell is, for a title or a heading. */
export function cellLabel(error: NotebookError, several: boolean): string {
  return several ? `cell ${error.cell} of ${error.notebook}` : `cell ${error.cell}`
}

/** The annotation's message: the error, then the last lines of the traceback. */
export function annotationMessage(error: CellError): string {
  const lines = tracebackLines(error)
  const last = lines.slice(-ANNOTATION_TRACEBACK_LINES)
  const cut = lines.length > last.length ? ['...'] : []
  return clip([errorLine(error), '', ...cut, ...last].join('\n'), MAX_ANNOTATION)
}

/** The log group's lines: the start of the cell's source, then the whole traceback. */
export function tracebackGroup(error: CellError): string[] {
  const source = error.source.map(line => `    ${line}`)
  return [`Cell ${error.cell}:`, ...source, '', ...tracebackLines(error)]
}

export interface Values {
  /**
   * Name -> value, in the order the names first appear; the last glue of a name wins. Numbers
   * are JsonNumbers: write a value with `writeJson` (notebook/json-value.ts) to keep them exact.
   */
  entries: Array<[string, unknown]>
  /** The `values` output: JSON that `fromJSON` reads with the values' own types. */
  json: string
  /** Values not in the output, with why: too large for it, or not kept whole when read. */
  leftOut: Array<{ name: string; why: string }>
}

export function valuesOf(findings: readonly NotebookFinding[]): Values {
  const latest = new Map<string, GluedValue>()
  for (const glued of findings.flatMap(f => f.reading?.glued ?? [])) latest.set(glued.name, glued)
  const entries: Array<[string, unknown]> = []
  const leftOut: Values['leftOut'] = []
  const members: string[] = []
  // `{}`, then each member and a comma: the JSON exactly as it is written.
  let bytes = utf16Bytes('{}')
  for (const [name, glued] of latest) {
    if (glued.leftOut != null) {
      leftOut.push({ name, why: glued.leftOut })
      continue
    }
    const member = `${shellInertJson(name)}:${shellInertJson(glued.data)}`
    const size = utf16Bytes(member) + (members.length > 0 ? utf16Bytes(',') : 0)
    if (bytes + size > MAX_VALUES_BYTES) {
      // Never cut: a value that does not fit is left out whole.
      leftOut.push({
        name,
        why: `the \`values\` output holds at most ${MAX_VALUES_BYTES / 1024} KiB (as GitHub counts: two bytes a character)`
      })
      continue
    }
    bytes += size
    members.push(member)
    entries.push([name, glued.data])
  }
  return { entries, json: `{${members.join(',')}}`, leftOut }
}
