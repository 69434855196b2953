/**
 * `baseline` and the inputs that go with it: which branch's last good run a step compares
 * with, the key each run's values are kept under, how much history travels with them, whether a
 * missing baseline fails the step, how far values may move (`tolerance`), whether a change fails
 * the step (`fail-on-change`), and the token that finds it. All of it is checked before any
 * request. With `baseline: off` (the default) the others would do nothing, so setting them is
 * refused; `github-token` alone is exempt, since action.yml fills it with the job's token.
 */
import { parseTolerance } from '../compare/tolerance.js'
import { InputError } from '../errors.js'
import { quote } from '../log.js'
import { UNPRINTABLE } from './artifact-name.js'
import type { CompareSettings, ManyEntry, Story } from './config.js'
import { Inputs } from './names.js'
import { notebookPath } from './notebook-id.js'
import { Input, readBoolean, readInteger } from './values.js'

/** `<prefix>-<name>` fits an artifact name comfortably, with `datalore-values-` and `.json`. */
export const MAX_KEY_LENGTH = 100
const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*$/
const KEY_EXAMPLE = '`baseline-key: sales-eu` (letters, digits, ".", "_" and "-")'
const BRANCH_EXAMPLE = '`baseline: main`, `baseline: auto` or `baseline: off`'
/** Longer than any ref GitHub takes. */
const MAX_BRANCH_LENGTH = 255
export const DEFAULT_HISTORY_LENGTH = 50

/** The workflow artifact that holds a run's values, by its key. */
export function valuesArtifactName(key: string): string {
  return `datalore-values-${key}.json`
}

/** Reads `github-token` alone, so that it can be masked before any other input is looked at. */
export function readGitHubToken(getInput: (name: string) => string): string {
  return getInput(Inputs.GitHubToken).trim()
}

/**
 * The `baseline` settings; undefined with `baseline: off`. `keyed`: another part of the step
 * (`comment`) names its runs by key, so `baseline-key` has an effect without `baseline`.
 */
export function readCompareSettings(input: Input, keyed = false): CompareSettings | undefined {
  const text = input(Inputs.Baseline)
  const word = text.toLowerCase()
  if (text === '' || word === 'off') {
    const set = [
      [Inputs.BaselineKey, !keyed && input(Inputs.BaselineKey) !== ''],
      [Inputs.HistoryLength, input(Inputs.HistoryLength) !== ''],
      [Inputs.BaselineRequired, readBoolean(input, Inputs.BaselineRequired, false)],
      [Inputs.Tolerance, input(Inputs.Tolerance) !== ''],
      [Inputs.FailOnChange, readBoolean(input, Inputs.FailOnChange, false)]
    ] as const
    const [name] = set.find(([, isSet]) => isSet) ?? []
    if (name != null) {
      throw new InputError(
        name,
        'has no effect with `baseline: off` (the default): no run is compared with another',
        `\`baseline: auto\` to compare with the base branch, or remove \`${name}\``
      )
    }
    return undefined
  }
  return {
    baseline: {
      branch: word === 'auto' ? 'auto' : { name: checkBranch(text) },
      historyLength:
        input(Inputs.HistoryLength) === ''
          ? DEFAULT_HISTORY_LENGTH
          : readInteger(input, Inputs.HistoryLength, 0, 1000, '`history-length: 50` (0: none)'),
      required: readBoolean(input, Inputs.BaselineRequired, false)
    },
    tolerance: parseTolerance(input(Inputs.Tolerance)),
    failOnChange: readBoolean(input, Inputs.FailOnChange, false)
  }
}

/**
 * With `baseline`: the token that lists runs and artifacts (it needs `actions: read`); with
 * `comment` alone, the one that comments (`pull-requests: write`).
 */
export function checkGitHubToken(token: string, baseline = true): string {
  const example = `\`github-token: \${{ github.token }}\` (the default) with \`permissions: ${baseline ? 'actions: read' : 'pull-requests: write'}\``
  if (token === '') {
    const who = baseline
      ? '`baseline` finds the last good run'
      : '`comment` comments on the pull request'
    throw new InputError(
      Inputs.GitHubToken,
      `is empty: ${who} through GitHub’s API, which needs a token`,
      example
    )
  }
  if (/\s/.test(token)) {
    throw new InputError(
      Inputs.GitHubToken,
      'contains whitespace; a token is a single word',
      example
    )
  }
  return token
}

/**
 * A branch name as git takes it (`git check-ref-format --branch`), given plainly or as
 * `refs/heads/<name>` (the way to name a branch called `auto` or `off`).
 */
export function checkBranch(text: string): string {
  const name = text.startsWith('refs/heads/') ? text.slice('refs/heads/'.length) : text
  const problem = branchProblem(name)
  if (problem != null) {
    throw new InputError(
      Inputs.Baseline,
      `must be \`off\`, \`auto\` or a branch name, got ${quote(text)}, which ${problem}`,
      BRANCH_EXAMPLE
    )
  }
  return name
}

/** Why `name` is no branch name git would make; undefined when it is one. */
export function branchProblem(name: string): string | undefined {
  if (name === '') return 'is empty'
  if (name.length > MAX_BRANCH_LENGTH) return `is longer than ${MAX_BRANCH_LENGTH} characters`
  // eslint-disable-next-line no-control-regex -- control characters are what git refuses
  if (/[\u0000-\u0020\u007f~^:?*[\\]/.test(name)) {
    return 'holds a space, a control character or one of ~ ^ : ? * [ \\'
  }
  if (UNPRINTABLE.test(name)) return 'holds invisible characters or "##["'
  if (name.includes('..')) return 'holds ".."'
  if (name.includes('@{') || name === '@') return 'holds "@{" or is "@"'
  if (name.startsWith('-')) return 'starts with "-"'
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//')) {
    return 'starts or ends with "/", or holds "//"'
  }
  if (name.endsWith('.')) return 'ends with "."'
  if (name.split('/').some(part => part.startsWith('.') || part.endsWith('.lock'))) {
    return 'has a part that starts with "." or ends with ".lock"'
  }
  return undefined
}

/** Text as a key: runs of other characters become "-", at most MAX_KEY_LENGTH. */
export function safeKey(text: string): string {
  return text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-._]+/, '')
    .slice(0, MAX_KEY_LENGTH)
    .replace(/[-.]+$/, '')
}

function checkKey(key: string): string {
  if (key.length > MAX_KEY_LENGTH || !KEY.test(key)) {
    throw new InputError(
      Inputs.BaselineKey,
      `must be 1 to ${MAX_KEY_LENGTH} letters, digits, ".", "_" or "-", starting with a letter or digit, got ${quote(key)}`,
      KEY_EXAMPLE
    )
  }
  return key
}

/**
 * The story with the key of each run's values: `baseline-key`, or the notebook ID made a safe
 * name; an entry of several takes its `name`, after `baseline-key` as a prefix (a matrix of jobs
 * running one list with other parameters keeps their values apart that way). Refuses what has no
 * values to keep (interactive mode, `wait: false`, `read-notebook: false`) and two runs whose
 * keys the artifact service may take for one.
 */
export function withBaselineKeys(story: Story, input: Input, readNotebook: boolean): Story {
  const refusal = (name: string, why: string, fix: string): InputError =>
    new InputError(name, `${why}: \`baseline\` compares the values of finished runs`, fix)
  if (story.kind === 'interactive') {
    throw refusal(
      Inputs.Mode,
      'is interactive, which gives no run to read values from',
      '`mode: run`'
    )
  }
  if (story.kind !== 'collect' && !story.wait) {
    throw refusal(Inputs.Wait, 'is false, so no run is waited for', '`wait: true` (the default)')
  }
  if (!readNotebook) {
    throw refusal(
      Inputs.ReadNotebook,
      'is false, so no executed notebook is read for its values',
      '`read-notebook: true` (the default)'
    )
  }
  return withRunKeys(story, input, '`baseline`')
}

/**
 * The story with the key of each run (see `withBaselineKeys`), for `needer` (the inputs that
 * name runs by key, for the message when a run has no key).
 */
export function withRunKeys(story: Story, input: Input, needer: string): Story {
  if (story.kind === 'interactive') return story
  const given = input(Inputs.BaselineKey)
  const stepKey = given === '' ? undefined : checkKey(given)
  if (story.kind === 'many') {
    const entries = story.entries.map(entry => ({
      ...entry,
      story: { ...entry.story, baselineKey: entryKey(entry, stepKey) }
    }))
    refuseSameKey(
      entries,
      story.entries[0]?.story.kind === 'collect' ? Inputs.RunId : Inputs.Notebooks
    )
    return { ...story, entries }
  }
  const key = stepKey ?? (story.notebook && safeKey(notebookPath(story.notebook)))
  if (key == null) {
    throw new InputError(
      Inputs.BaselineKey,
      `is needed with ${needer} and a \`run-id\` but no \`notebook-id\`: it names the values of the run`,
      '`baseline-key: sales`, or `notebook-id` beside `run-id`'
    )
  }
  return { ...story, baselineKey: key }
}

/** An entry's key: `<baseline-key>-<name>`, the name made safe. */
function entryKey(entry: ManyEntry, prefix: string | undefined): string {
  const { story } = entry
  // A run of a `runs` list given without a name is named by its run ID, which says nothing
  // about which notebook it ran: its notebook does.
  const label =
    story.kind === 'collect' && entry.name === story.runId
      ? story.notebook && notebookPath(story.notebook)
      : entry.name
  const own = label == null ? '' : safeKey(label)
  if (own === '') {
    throw new InputError(
      story.kind === 'collect' ? Inputs.RunId : Inputs.Notebooks,
      `has the entry ${quote(entry.name)}, whose values need a key: its \`name\` must hold letters or digits`,
      story.kind === 'collect'
        ? 'the `runs` output of the step that submitted the runs, which names each'
        : '`name: sales EU` on the entry'
    )
  }
  const key = prefix == null ? own : `${prefix}-${own}`
  return key.length > MAX_KEY_LENGTH ? safeKey(key) : key
}

/** Two keys the artifact service may take for one would overwrite each other's values. */
function refuseSameKey(entries: readonly ManyEntry[], input: string): void {
  const seen = new Map<string, ManyEntry>()
  for (const entry of entries) {
    const key = entry.story.baselineKey ?? ''
    const first = seen.get(key.toLowerCase())
    if (first != null) {
      throw new InputError(
        input,
        `has the entries ${quote(first.name)} and ${quote(entry.name)}, whose values would both be kept as ${quote(valuesArtifactName(key))}`,
        'give the entries names that differ in letters or digits'
      )
    }
    seen.set(key.toLowerCase(), entry)
  }
}
