/**
 * What reaches the runner through stdout and stderr, whoever writes it. The runner reads both
 * streams for workflow commands (see ./log.ts), and the action's dependencies write to them too:
 * the artifact client through @actions/core (its progress, debug lines with the service's
 * answers, `setSecret`), libraries through console, Node itself (its warnings). One rule for all
 * of it: the action's own writes (./log.ts, through @actions/core) pass as they are; everything
 * else is outside text, printed as ./log.ts prints outside text (`logLines`: inert, secrets
 * redacted, URLs without queries, a run's name in front).
 *
 * A dependency's commands in @actions/core's own form are kept for what they are worth and no
 * more: a debug line stays a debug line (its text cleaned, so it cannot flood the log), a warning
 * or error becomes one of the action's warnings (never an error annotation, which only the
 * action's verdict makes), a notice stays a notice. Its `add-mask` is dropped: printing it as
 * text would show the value it hides, and the only one in use (the artifact client masking the
 * signatures of signed URLs) hides what never shows here anyway, since every URL is printed
 * without its query. Every other command (set-output, stop-commands, echo, group, add-path, ...)
 * is printed as inert text.
 *
 * Not covered (see SECURITY.md): what Node writes from C++ (a fatal error such as running out of
 * memory, `process._rawDebug`), writes straight to the file descriptors (fs.writeSync(1, ...), a
 * child process that inherits them), code that kept a reference to `write` from before
 * `guardStdio` ran, and anything printed before it runs (nothing reads an input by then).
 */
import { errorMessage } from './errors.js'
import { isOwnWrite, LINE_BREAKS, log, logLines } from './log.js'

type Done = (error?: Error | null) => void
type RawWrite = (text: string, done?: Done) => boolean

/** A line as @actions/core writes a command: `::name key=value,...::data`, data escaped. */
const CORE_COMMAND = /^::([a-z-]+)(?: [^:]*)?::(.*)$/

/**
 * Until the returned function is called, stdout and stderr pass everything but the action's
 * own writes through the rule above, and an uncaught exception ends the step as an error
 * annotation of the action's (Node would print it raw to stderr, from C++ where no guard is).
 */
export function guardStdio(): () => void {
  const { stdout, stderr } = process
  const originals = { stdout: stdout.write, stderr: stderr.write }
  const out = stdout.write.bind(stdout) as RawWrite
  const err = stderr.write.bind(stderr) as RawWrite
  stdout.write = guarded(out, (text, done) => fromDependency(text, out, done))
  stderr.write = guarded(err, (text, done) => err(asLines(text), done))
  const crashed = (error: unknown): void => {
    failedUnexpectedly(error)
    if (error instanceof Error && error.stack != null) log.debug(error.stack)
    // Continuing after an uncaught exception is not safe; ending once what was written has
    // reached the runner (on Windows a pipe is written asynchronously).
    out('', () => process.exit())
  }
  process.on('uncaughtException', crashed)
  return () => {
    stdout.write = originals.stdout
    stderr.write = originals.stderr
    process.off('uncaughtException', crashed)
  }
}

/** A failure nothing else caught, told as the action's error: the step fails. */
export function failedUnexpectedly(error: unknown): void {
  log.error(`The action failed unexpectedly: ${errorMessage(error)}`)
  process.exitCode = 1
}

/** A stream's `write` that hands every write but the action's own to `foreign`, as text. */
function guarded(
  write: RawWrite,
  foreign: (text: string, done?: Done) => boolean
): typeof process.stdout.write {
  const pass = write as (...args: unknown[]) => boolean
  return ((chunk: unknown, encodingOrDone?: unknown, maybeDone?: unknown): boolean => {
    if (isOwnWrite()) return pass(chunk, encodingOrDone, maybeDone)
    const done = (typeof encodingOrDone === 'function' ? encodingOrDone : maybeDone) as
      Done | undefined
    const encoding =
      typeof encodingOrDone === 'string' ? (encodingOrDone as BufferEncoding) : 'utf8'
    const bytes =
      typeof chunk === 'string' ? Buffer.from(chunk, encoding) : Buffer.from(chunk as Uint8Array)
    return foreign(bytes.toString('utf8'), done)
  }) as typeof process.stdout.write
}

/**
 * Outside text as whole lines of the log. A write that ends mid-line is ended there: what comes
 * next, from anyone, starts a line of its own (a dependency's "##" and the next write's "[" do
 * not make a "##[").
 */
function asLines(text: string): string {
  return text === '' ? '' : `${logLines(text.replace(/(?:\r\n|\r|\n)$/, ''))}\n`
}

/** A dependency's write to stdout: its commands kept for what they are worth, the rest inert. */
function fromDependency(text: string, write: RawWrite, done?: Done): boolean {
  const lines = text.split(LINE_BREAKS)
  if (lines.at(-1) === '') lines.pop()
  let plain: string[] = []
  let written = true
  const flush = (): void => {
    if (plain.length > 0) written = write(asLines(plain.join('\n')))
    plain = []
  }
  for (const line of lines) {
    const [, name = '', data = ''] = CORE_COMMAND.exec(line) ?? []
    if (!KEPT.has(name)) {
      plain.push(line)
      continue
    }
    flush()
    keep(name, unescapeData(data))
  }
  flush()
  // The caller's callback, once everything before it is written.
  if (done != null) write('', done)
  return written
}

/** The commands of a dependency that mean something here; any other is printed as text. */
const KEPT = new Set(['debug', 'notice', 'warning', 'error', 'add-mask'])

function keep(name: string, data: string): void {
  if (name === 'debug') log.debug(data)
  else if (name === 'notice') log.notice(data)
  else if (name !== 'add-mask') log.warning(data)
}

/** @actions/core's escaping of a command's data, undone: `%25`, `%0D`, `%0A`. */
function unescapeData(data: string): string {
  return data.replace(/%(25|0D|0A)/g, (_, code: string) =>
    code === '25' ? '%' : code === '0D' ? '\r' : '\n'
  )
}
