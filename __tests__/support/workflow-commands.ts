/**
 * Reads a step's stdout (or stderr) the way the GitHub runner does, to find every workflow
 * command in it. Modelled on actions/runner: ProcessInvoker reads lines with .NET's
 * StreamReader.ReadLine (a line ends at "\n", "\r\n" or a lone "\r"); ActionCommand.TryParseV2
 * takes a line as `::name k=v,k=v::data` when it starts with "::" after TrimStart (all .NET
 * whitespace), and ActionCommand.TryParse takes `##[name k=v;]data` wherever "##[" appears in
 * the line. Both match culture-sensitively (ICU), which skips ignorable characters: the model
 * drops them before matching. Command names are case-insensitive.
 */

export interface WorkflowCommand {
  form: '::' | '##['
  /** Lower-cased, as the runner compares them. */
  name: string
  properties: Record<string, string>
  data: string
  /** 1-based line number in the output, as the runner split it. */
  line: number
  raw: string
}

/** What ICU's matching skips: controls (tab is whitespace), format and default-ignorable characters. */
const IGNORABLE =
  /(?![\t])[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}]/gu
/** .NET's Char.IsWhiteSpace, as String.TrimStart strips it. */
const LEADING_WHITESPACE = /^[\s\u0085]+/

export function splitLines(output: string): string[] {
  return output.split(/\r\n|\r|\n/)
}

/** The runner's unescaping: data, properties, and the legacy form each decode their own set. */
const ESCAPES = {
  data: ['%0D', '%0A'],
  property: ['%0D', '%0A', '%3A', '%2C'],
  legacy: ['%3B', '%0D', '%0A', '%5D']
}

function unescape(text: string, kind: keyof typeof ESCAPES): string {
  let result = text
  for (const code of ESCAPES[kind]) {
    result = result.split(code).join(decodeURIComponent(code))
  }
  return result.split('%25').join('%')
}

/** `name k=v<sep>k=v`: the command's name, lower-cased, and its properties, unescaped. */
function parseInfo(
  info: string,
  separator: string,
  kind: 'property' | 'legacy'
): Pick<WorkflowCommand, 'name' | 'properties'> {
  const space = info.indexOf(' ')
  const properties: Record<string, string> = {}
  if (space >= 0) {
    for (const pair of info.slice(space + 1).split(separator)) {
      const at = pair.indexOf('=')
      if (at > 0) properties[pair.slice(0, at)] = unescape(pair.slice(at + 1), kind)
    }
  }
  return { name: (space < 0 ? info : info.slice(0, space)).toLowerCase(), properties }
}

function parseV2(text: string): Omit<WorkflowCommand, 'line' | 'raw'> | undefined {
  if (!text.startsWith('::')) return undefined
  const end = text.indexOf('::', 2)
  const info = end < 0 ? text.slice(2) : text.slice(2, end)
  const data = end < 0 ? '' : unescape(text.slice(end + 2), 'data')
  return { form: '::', ...parseInfo(info, ',', 'property'), data }
}

function parseLegacy(text: string): Omit<WorkflowCommand, 'line' | 'raw'> | undefined {
  const start = text.indexOf('##[')
  if (start < 0) return undefined
  const close = text.indexOf(']', start)
  const info = close < 0 ? text.slice(start + 3) : text.slice(start + 3, close)
  const data = close < 0 ? '' : unescape(text.slice(close + 1), 'legacy')
  return { form: '##[', ...parseInfo(info, ';', 'legacy'), data }
}

/**
 * Every line the runner would try to run as a command. Stricter than the runner in one way:
 * a line that starts with "::" or holds "##[" counts even when it is malformed, because the
 * action must never print one.
 */
export function parseWorkflowCommands(output: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = []
  splitLines(output).forEach((raw, index) => {
    const visible = raw.replace(IGNORABLE, '')
    const found = parseV2(visible.replace(LEADING_WHITESPACE, '')) ?? parseLegacy(visible)
    if (found) commands.push({ ...found, line: index + 1, raw })
  })
  return commands
}

const ANNOTATIONS = new Set(['debug', 'notice', 'warning', 'error'])

/**
 * The commands in `output` that the action has no business printing: anything but its own
 * annotations (with at most a title), groups, and `add-mask` of one of `secrets`.
 */
export function foreignCommands(output: string, secrets: string[]): WorkflowCommand[] {
  return parseWorkflowCommands(output).filter(command => {
    if (command.form !== '::') return true
    if (command.name === 'add-mask') return !secrets.includes(command.data)
    if (command.name === 'group') return Object.keys(command.properties).length > 0
    if (command.name === 'endgroup') return command.data !== ''
    if (ANNOTATIONS.has(command.name)) {
      return Object.keys(command.properties).some(key => key !== 'title')
    }
    return true
  })
}
