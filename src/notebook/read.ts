/**
 * Reads an executed notebook (nbformat 4, as Jupyter and Datalore write it) as a stream of
 * JSON tokens, keeping only what the step reports: the error outputs (with their cell's number
 * and the start of its source) and the values glued with scrapbook's convention. Everything
 * else, above all the base64 plots that make notebooks hundreds of MiB, passes through in
 * small pieces and is never held: memory stays flat whatever the file's size.
 *
 * A notebook is data from outside. Whatever it holds (not JSON, cut short, another format,
 * absurd sizes or nesting), reading it ends with a reading or with the reason it could not be
 * read, never with an exception, and every piece kept is capped.
 */
import { errorMessage } from '../errors.js'
import { JsonNumber } from './json-value.js'
import { notebookTokens, Token, TokenTooLong, TokenWalker } from './tokens.js'

export interface CellError {
  /** The cell's 1-based position among all cells: the number a person counts when scrolling. */
  cell: number
  ename: string
  evalue: string
  traceback: string[]
  /** The first lines of the cell's source. */
  source: string[]
}

export interface GluedValue {
  name: string
  /** As JSON.parse would give it, but each number a JsonNumber: its text as the notebook wrote it. */
  data: unknown
  encoder: string
  /** Set when the value could not be kept whole (too large, too deep): it is left out. */
  leftOut?: string
}

export interface NotebookReading {
  cells: number
  /** Error outputs in notebook order; at most MAX_ERRORS are kept, `errorCount` has them all. */
  errors: CellError[]
  errorCount: number
  /** Every glue output in notebook order (a name may repeat: the last one wins). */
  glued: GluedValue[]
}

export type ReadResult = { reading: NotebookReading } | { unreadable: string }

export const SCRAP_JSON = 'application/scrapbook.scrap.json+json'
export const SCRAP_TEXT = 'application/scrapbook.scrap.text+json'
const OUTPUT_TYPES = new Set(['stream', 'display_data', 'execute_result', 'error'])

/** What is kept of each piece: enough to explain, never enough to hurt. */
export const LIMITS = {
  errors: 20,
  sourceLines: 20,
  sourceChars: 8 * 1024,
  name: 1_000,
  evalue: 16 * 1024,
  tracebackEntry: 8 * 1024,
  /** A traceback keeps its first and last entries: the call and where it broke. */
  tracebackHead: 10,
  tracebackTail: 50,
  /** A glued value larger than this (serialized, roughly) is left out whole, never cut. */
  gluedChars: 256 * 1024,
  gluedDepth: 64,
  glues: 10_000,
  cells: 1_000_000,
  outputsPerCell: 100_000
}

class Unreadable extends Error {}

/** Reads `file`; stops early when `signal` is aborted (the reason is then the signal's). */
export async function readExecutedNotebook(
  file: string,
  signal?: AbortSignal
): Promise<ReadResult> {
  const reader = new NotebookTokens()
  try {
    for await (const tokens of notebookTokens(file, signal)) {
      for (const token of tokens) reader.push(token)
    }
    return { reading: reader.finish() }
  } catch (error) {
    if (signal?.aborted) return { unreadable: errorMessage(signal.reason) }
    if (error instanceof Unreadable || error instanceof TokenTooLong) {
      return { unreadable: error.message }
    }
    return { unreadable: `it is not JSON, or it is cut short (${errorMessage(error)})` }
  }
}

/** A value being kept: a capped string, a source, a traceback, or a glued JSON value. */
type Capture =
  | { kind: 'text'; max: number; text: string; set: (text: string) => void }
  | { kind: 'lines'; parts: string[]; chars: number; set: (lines: string[]) => void }
  | { kind: 'traceback'; head: string[]; tail: string[]; dropped: number; entry: string }
  | {
      kind: 'json'
      stack: unknown[]
      keys: Array<string | undefined>
      key?: string
      chars: number
      leftOut?: string
      string?: string
      set: (value: unknown, leftOut?: string) => void
    }

interface Cell {
  type?: unknown
  source: string[]
  errors: CellError[]
  outputs: number
}

interface Output {
  type?: unknown
  ename?: unknown
  evalue?: unknown
  traceback?: string[]
  /** Its glued values: one per scrapbook MIME type in its data. */
  scraps: Scrap[]
}

interface Scrap {
  mime: string
  name?: string
  encoder?: string
  hasData?: boolean
  data?: unknown
  leftOut?: string
}

/**
 * The state machine. `path` holds, for each open container the reader descends into, what it
 * is; everything else is passed over by depth alone (`skipValue`), or kept by the open `capture`.
 */
class NotebookTokens extends TokenWalker {
  private readonly path: Array<'top' | 'cells' | 'cell' | 'outputs' | 'output' | 'data' | 'scrap'> =
    []
  private capture: Capture | undefined
  private captureDepth = 0
  private nbformat: unknown
  private cells = 0
  private sawCells = false
  private cell: Cell | undefined
  private output: Output | undefined
  private readonly errors: CellError[] = []
  private errorCount = 0
  private readonly glued: GluedValue[] = []

  push(token: Token): void {
    if (this.skipped(token)) return
    if (this.capture != null) return this.keep(token)
    this.route(token)
  }

  finish(): NotebookReading {
    if (this.nbformat !== 4) {
      throw new Unreadable(
        typeof this.nbformat === 'number'
          ? `it is nbformat ${this.nbformat}; the action reads nbformat 4, as Jupyter and Datalore write it`
          : 'it has no "nbformat": it is not a Jupyter notebook'
      )
    }
    if (!this.sawCells || this.cells === 0) throw new Unreadable('it has no cells')
    return {
      cells: this.cells,
      errors: this.errors,
      errorCount: this.errorCount,
      glued: this.glued
    }
  }

  /** A value starts where the reader stands: descend into it, keep it, or skip it. */
  protected value(token: Token): void {
    const where = this.path.at(-1)
    const key = this.key
    const isObject = token.name === 'startObject'
    const isArray = token.name === 'startArray'
    const isString = token.name === 'startString'
    const wrong = (what: string): never => {
      throw new Unreadable(`${what} does not have the shape of nbformat 4`)
    }
    switch (where) {
      case undefined:
        if (!isObject) wrong('the document')
        return void this.path.push('top')
      case 'top':
        if (key === 'cells') {
          if (!isArray) wrong('"cells"')
          this.sawCells = true
          return void this.path.push('cells')
        }
        if (key === 'nbformat' && token.name === 'numberValue') {
          this.nbformat = Number(token.value)
          return
        }
        return this.skipValue(token)
      case 'cells':
        if (!isObject) wrong('a cell')
        if (++this.cells > LIMITS.cells)
          throw new Unreadable(`it has more than ${LIMITS.cells} cells`)
        this.cell = { source: [], errors: [], outputs: 0 }
        return void this.path.push('cell')
      case 'cell':
        if (key === 'cell_type' && isString)
          return this.keepText(64, text => (this.current().type = text))
        if (key === 'source') return this.keepSource(token)
        if (key === 'outputs') {
          if (!isArray) wrong('"outputs" of a cell')
          return void this.path.push('outputs')
        }
        return this.skipValue(token)
      case 'outputs':
        if (!isObject) wrong('an output')
        if (++this.current().outputs > LIMITS.outputsPerCell) {
          throw new Unreadable(`a cell has more than ${LIMITS.outputsPerCell} outputs`)
        }
        this.output = { scraps: [] }
        return void this.path.push('output')
      case 'output':
        return this.outputValue(token, key, wrong)
      case 'data':
        if (key === SCRAP_JSON || key === SCRAP_TEXT) {
          if (!isObject) wrong(`"${key}"`)
          this.output?.scraps.push({ mime: key })
          return void this.path.push('scrap')
        }
        return this.skipValue(token)
      case 'scrap':
        return this.scrapValue(token, key)
      default:
        return this.skipValue(token)
    }
  }

  /** A glued value: `{"name": ..., "data": ..., "encoder": ..., "version": ...}`. */
  private scrapValue(token: Token, key: string | undefined): void {
    const scrap = this.output?.scraps.at(-1)
    if (scrap == null) return this.skipValue(token)
    if (key === 'name' && token.name === 'startString') {
      return this.keepText(LIMITS.name, text => (scrap.name = text))
    }
    if (key === 'encoder' && token.name === 'startString') {
      return this.keepText(64, text => (scrap.encoder = text))
    }
    if (key === 'data') {
      scrap.hasData = true
      return this.keepJson(token, (value, leftOut) => {
        scrap.data = value
        scrap.leftOut = leftOut
      })
    }
    return this.skipValue(token)
  }

  private outputValue(token: Token, key: string | undefined, wrong: (what: string) => never): void {
    const output = this.output ?? { scraps: [] }
    const isString = token.name === 'startString'
    switch (key) {
      case 'output_type':
        if (!isString) wrong('"output_type"')
        return this.keepText(64, text => (output.type = text))
      case 'ename':
        if (!isString) wrong('"ename"')
        return this.keepText(LIMITS.name, text => (output.ename = text))
      case 'evalue':
        if (!isString) wrong('"evalue"')
        return this.keepText(LIMITS.evalue, text => (output.evalue = text))
      case 'traceback':
        if (token.name !== 'startArray') wrong('"traceback"')
        output.traceback = []
        this.captureDepth = 1
        this.capture = { kind: 'traceback', head: [], tail: [], dropped: 0, entry: '' }
        return
      case 'data':
        if (token.name !== 'startObject') wrong('"data" of an output')
        return void this.path.push('data')
      default:
        return this.skipValue(token)
    }
  }

  /** The end of a container the reader descended into. */
  protected close(): void {
    const closed = this.path.pop()
    this.key = undefined
    if (closed === 'output') this.closeOutput()
    if (closed === 'cell') this.closeCell()
  }

  private closeOutput(): void {
    const output = this.output ?? { scraps: [] }
    this.output = undefined
    if (typeof output.type !== 'string' || !OUTPUT_TYPES.has(output.type)) {
      throw new Unreadable(`an output of cell ${this.cells} has an unknown "output_type"`)
    }
    if (output.type === 'error') {
      if (
        typeof output.ename !== 'string' ||
        typeof output.evalue !== 'string' ||
        output.traceback == null
      ) {
        throw new Unreadable(
          `the error output of cell ${this.cells} lacks "ename", "evalue" or "traceback"`
        )
      }
      this.errorCount++
      if (this.errors.length < LIMITS.errors) {
        const error: CellError = {
          cell: this.cells,
          ename: output.ename,
          evalue: output.evalue,
          traceback: output.traceback,
          source: []
        }
        this.errors.push(error)
        this.current().errors.push(error)
      }
    }
    if (output.type === 'display_data' || output.type === 'execute_result') {
      for (const scrap of output.scraps) this.glue(scrap)
    }
  }

  private closeCell(): void {
    const cell = this.current()
    this.cell = undefined
    if (typeof cell.type !== 'string') throw new Unreadable(`cell ${this.cells} has no "cell_type"`)
    for (const error of cell.errors) error.source = cell.source
  }

  private glue(scrap: Scrap): void {
    if (scrap.name == null || scrap.name === '' || scrap.hasData !== true) {
      throw new Unreadable(`a glued value in cell ${this.cells} has no "name" or "data"`)
    }
    if (this.glued.length >= LIMITS.glues) {
      throw new Unreadable(`it glues more than ${LIMITS.glues} values`)
    }
    const encoder = scrap.encoder ?? (scrap.mime === SCRAP_TEXT ? 'text' : 'json')
    const leftOut =
      scrap.leftOut ??
      (encoder !== 'json' && encoder !== 'text'
        ? `its encoder ${JSON.stringify(encoder)} is not "json" or "text"`
        : encoder === 'text' && typeof scrap.data !== 'string'
          ? 'a text glue whose data is not a string'
          : undefined)
    this.glued.push({
      name: scrap.name,
      data: leftOut == null ? scrap.data : undefined,
      encoder,
      ...(leftOut == null ? {} : { leftOut })
    })
  }

  private current(): Cell {
    return this.cell ?? { source: [], errors: [], outputs: 0 }
  }

  private keepText(max: number, set: (text: string) => void): void {
    this.captureDepth = 1
    this.capture = { kind: 'text', max, text: '', set }
  }

  private keepSource(token: Token): void {
    const cell = this.current()
    const set = (lines: string[]): void => {
      cell.source = lines
    }
    if (token.name !== 'startString' && token.name !== 'startArray') {
      throw new Unreadable(`the "source" of cell ${this.cells} is neither text nor a list of lines`)
    }
    this.captureDepth = 1
    this.capture = { kind: 'lines', parts: [], chars: 0, set }
  }

  private keepJson(token: Token, set: (value: unknown, leftOut?: string) => void): void {
    this.capture = { kind: 'json', stack: [], keys: [], chars: 0, set }
    this.captureDepth = 0
    this.keep(token)
  }

  /** A token inside a kept value. */
  private keep(token: Token): void {
    const capture = this.capture
    if (capture == null) return
    const opens =
      token.name === 'startObject' || token.name === 'startArray' || token.name === 'startString'
    const closes =
      token.name === 'endObject' || token.name === 'endArray' || token.name === 'endString'
    if (opens) this.captureDepth++
    if (closes) this.captureDepth--
    switch (capture.kind) {
      case 'text':
        if (token.name === 'stringChunk' && capture.text.length < capture.max) {
          capture.text += token.value.slice(0, capture.max - capture.text.length)
        }
        break
      case 'lines':
        this.keepLines(capture, token)
        break
      case 'traceback':
        this.keepTraceback(capture, token)
        break
      case 'json':
        this.keepJsonToken(capture, token)
        break
    }
    if (this.captureDepth > 0) return
    this.capture = undefined
    this.key = undefined
    switch (capture.kind) {
      case 'text':
        return capture.set(capture.text)
      case 'lines':
        return capture.set(capture.parts.join('').split('\n').slice(0, LIMITS.sourceLines))
      case 'traceback': {
        const skipped = capture.dropped > 0 ? [`... (${capture.dropped} more entries)`] : []
        if (this.output) this.output.traceback = [...capture.head, ...skipped, ...capture.tail]
        return
      }
      case 'json':
        return capture.set(capture.stack[0], capture.leftOut)
    }
  }

  private keepLines(capture: Extract<Capture, { kind: 'lines' }>, token: Token): void {
    if (token.name === 'stringChunk') {
      const piece = token.value.slice(0, LIMITS.sourceChars - capture.chars)
      capture.parts.push(piece)
      capture.chars += piece.length
    } else if (
      token.name !== 'startString' &&
      token.name !== 'endString' &&
      token.name !== 'endArray'
    ) {
      throw new Unreadable(`the "source" of cell ${this.cells} is neither text nor a list of lines`)
    }
  }

  private keepTraceback(capture: Extract<Capture, { kind: 'traceback' }>, token: Token): void {
    switch (token.name) {
      case 'stringChunk':
        if (capture.entry.length < LIMITS.tracebackEntry) {
          capture.entry += token.value.slice(0, LIMITS.tracebackEntry - capture.entry.length)
        }
        return
      case 'endString':
        if (capture.head.length < LIMITS.tracebackHead) capture.head.push(capture.entry)
        else {
          capture.tail.push(capture.entry)
          if (capture.tail.length > LIMITS.tracebackTail) {
            capture.tail.shift()
            capture.dropped++
          }
        }
        capture.entry = ''
        return
      case 'startString':
      case 'endArray':
        return
      default:
        throw new Unreadable(`the "traceback" of cell ${this.cells} is not a list of text`)
    }
  }

  /** Builds a glued JSON value with an explicit stack, within its size and depth limits. */
  private keepJsonToken(capture: Extract<Capture, { kind: 'json' }>, token: Token): void {
    if (capture.leftOut != null) return
    const put = (value: unknown): void => {
      const parent = capture.stack.at(-1)
      if (Array.isArray(parent)) parent.push(value)
      else if (parent != null && typeof parent === 'object' && capture.key != null) {
        ;(parent as Record<string, unknown>)[capture.key] = value
      } else if (capture.stack.length === 0) capture.stack.push(value)
    }
    const grow = (chars: number): void => {
      capture.chars += chars
      if (capture.chars > LIMITS.gluedChars) {
        capture.leftOut = `it is larger than ${LIMITS.gluedChars / 1024} KiB`
      }
    }
    switch (token.name) {
      case 'startObject':
      case 'startArray': {
        if (capture.stack.length >= LIMITS.gluedDepth) {
          capture.leftOut = `it is nested deeper than ${LIMITS.gluedDepth} levels`
          return
        }
        const container = token.name === 'startArray' ? [] : Object.create(null)
        const isRoot = capture.stack.length === 0
        if (!isRoot) put(container)
        capture.keys.push(capture.key)
        capture.stack.push(container)
        capture.key = undefined
        return grow(2)
      }
      case 'endObject':
      case 'endArray': {
        const done = capture.stack.length > 1 ? capture.stack.pop() : undefined
        capture.key = capture.keys.pop()
        void done
        return
      }
      case 'keyValue':
        capture.key = token.value
        return grow(token.value.length + 4)
      case 'startString':
        capture.string = ''
        return
      case 'stringChunk':
        capture.string = (capture.string ?? '') + token.value
        return grow(token.value.length)
      case 'endString':
        put(capture.string ?? '')
        capture.string = undefined
        return grow(2)
      case 'numberValue':
        put(new JsonNumber(token.value))
        return grow(token.value.length)
      case 'nullValue':
      case 'trueValue':
      case 'falseValue':
        put(token.value)
        return grow(5)
      default:
        return
    }
  }
}
