import { describe, expect, it } from '@jest/globals'
import { InputError } from '../src/errors.js'
import type { Config } from '../src/inputs/config.js'
import { readInputs } from '../src/inputs/read.js'
import { captureStdout } from './support/capture.js'
import { parseWorkflowCommands } from './support/workflow-commands.js'

const TOKEN = 'tok-123'

function read(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}): Config {
  return readInputs(name => inputs[name] ?? '', env)
}

function problem(inputs: Record<string, string>): { input: string; message: string } {
  try {
    read({ token: TOKEN, ...inputs })
  } catch (error) {
    if (error instanceof InputError) return { input: error.input, message: error.message }
    throw error
  }
  throw new Error('expected an InputError')
}

describe('defaults', () => {
  it('fills every default for a plain notebook ID', () => {
    expect(read({ 'notebook-id': 'owner/nb', token: TOKEN })).toEqual({
      token: TOKEN,
      host: 'https://datalore.jetbrains.com',
      story: {
        kind: 'submit',
        notebook: { ownerId: 'owner', notebookId: 'nb' },
        parameters: undefined,
        updateReport: 'never',
        directFileStorageWrite: false,
        wait: true
      },
      timeoutMs: 120 * 60_000,
      pollIntervalMs: 10_000,
      failOnRunFailure: true,
      artifacts: {
        mode: 'upload',
        path: undefined,
        name: undefined,
        retentionDays: undefined,
        compressionLevel: 6,
        ifNoArtifacts: 'warn',
        overwrite: false,
        readNotebook: true,
        notebookPage: true
      }
    })
  })

  it('takes the token from DATALORE_TOKEN when the input is empty, trimmed', () => {
    expect(read({ 'notebook-id': 'o/n' }, { DATALORE_TOKEN: ' abc\n' }).token).toBe('abc')
  })
})

describe('notebook-id and host', () => {
  it('takes the host from a notebook URL, with a path prefix and a trailing slash', () => {
    const config = read({
      token: TOKEN,
      'notebook-id': 'https://dl.example.com/datalore/notebook/o1/n1/'
    })
    expect(config.host).toBe('https://dl.example.com/datalore')
    expect(config.story.notebook).toEqual({ ownerId: 'o1', notebookId: 'n1' })
  })

  it('accepts a notebook URL that agrees with an explicit host', () => {
    const config = read({
      token: TOKEN,
      host: 'https://dl.example.com/',
      'notebook-id': 'https://dl.example.com/notebook/o1/n1'
    })
    expect(config.host).toBe('https://dl.example.com')
  })

  it.each([
    [
      { host: 'https://a.example.com', 'notebook-id': 'https://b.example.com/notebook/o/n' },
      'notebook-id',
      /is a URL on https:\/\/b\.example\.com, but `host` is https:\/\/a\.example\.com/
    ],
    [
      { 'notebook-id': 'just-one-part' },
      'notebook-id',
      /must be "ownerId\/notebookId".*got "just-one-part"/
    ],
    [{ 'notebook-id': 'a/b/c' }, 'notebook-id', /must be "ownerId\/notebookId"/],
    [{ 'notebook-id': '../etc' }, 'notebook-id', /must be "ownerId\/notebookId"/],
    [{ 'notebook-id': 'https://x.example.com/project/o/n' }, 'notebook-id', /not a notebook's URL/],
    [
      { 'notebook-id': 'https://x.example.com/notebook/o/n?tab=1' },
      'notebook-id',
      /query string.*For example: `notebook-id: https:\/\/x\.example\.com\/notebook\/o\/n`/
    ],
    [
      { 'notebook-id': 'o/n', host: 'datalore.example.com' },
      'host',
      /must be a URL starting with https:\/\//
    ],
    [
      { 'notebook-id': 'o/n', host: 'ftp://datalore.example.com' },
      'host',
      /must be an https:\/\/ URL/
    ],
    [
      { 'notebook-id': 'o/n', host: 'https://user:pw@datalore.example.com' },
      'host',
      /must not contain a user name or password/
    ],
    [
      { 'notebook-id': 'o/n', host: 'http://datalore.example.com' },
      'host',
      /uses http:\/\/.*allow-insecure-http.*For example: `host: https:\/\/datalore\.example\.com`/
    ],
    [{}, 'notebook-id', /is required \(or `run-id`/]
  ])('refuses %j as %s', (inputs, input, message) => {
    const found = problem(inputs)
    expect(found.input).toBe(input)
    expect(found.message).toMatch(message)
    expect(found.message).toMatch(/For example: /)
  })

  it('never echoes credentials given in a URL', () => {
    expect(
      problem({ 'notebook-id': 'o/n', host: 'https://user:hunter2@x.example.com' }).message
    ).not.toContain('hunter2')
  })

  it('allows http:// on loopback, and elsewhere only with allow-insecure-http', () => {
    expect(read({ token: TOKEN, 'notebook-id': 'o/n', host: 'http://127.0.0.1:8080' }).host).toBe(
      'http://127.0.0.1:8080'
    )
    expect(read({ token: TOKEN, 'notebook-id': 'o/n', host: 'http://localhost' }).host).toBe(
      'http://localhost'
    )
    expect(
      read({
        token: TOKEN,
        'notebook-id': 'o/n',
        host: 'http://dl.internal',
        'allow-insecure-http': 'true'
      }).host
    ).toBe('http://dl.internal')
  })
})

describe('numbers, switches and choices', () => {
  it('reads fractions of minutes and seconds', () => {
    const config = read({
      token: TOKEN,
      'notebook-id': 'o/n',
      'timeout-minutes': '0.5',
      'poll-interval-seconds': '2.5'
    })
    expect(config.timeoutMs).toBe(30_000)
    expect(config.pollIntervalMs).toBe(2_500)
  })

  it.each([
    ['timeout-minutes', '0'],
    ['timeout-minutes', '-5'],
    ['timeout-minutes', '1e3'],
    ['timeout-minutes', '43201'],
    ['timeout-minutes', 'ten'],
    ['poll-interval-seconds', '0'],
    ['poll-interval-seconds', '0.05'],
    ['timeout-minutes', '0.001'],
    ['poll-interval-seconds', '0x10'],
    ['poll-interval-seconds', '3601']
  ])('refuses %s: %s', (input, value) => {
    expect(problem({ 'notebook-id': 'o/n', [input]: value })).toEqual({
      input,
      message: expect.stringContaining(`got "${value}". For example: \`${input}: `)
    })
  })

  it.each(['wait', 'fail-on-run-failure', 'direct-file-storage-write', 'allow-insecure-http'])(
    'reads %s as a YAML boolean, and refuses anything else',
    input => {
      expect(problem({ 'notebook-id': 'o/n', [input]: 'yes' })).toEqual({
        input,
        message: expect.stringMatching(/must be true or false, got "yes"/)
      })
    }
  )

  it('sends update-report: on-success as "on success"', () => {
    expect(
      read({ token: TOKEN, 'notebook-id': 'o/n', 'update-report': 'on-success' }).story
    ).toMatchObject({ kind: 'submit', updateReport: 'on success' })
    expect(problem({ 'notebook-id': 'o/n', 'update-report': 'always' })).toEqual({
      input: 'update-report',
      message:
        'Input `update-report` must be one of "never", "on-success", got "always". For example: `update-report: on-success`'
    })
  })

  it('refuses an unknown mode', () => {
    expect(problem({ 'notebook-id': 'o/n', mode: 'batch' }).input).toBe('mode')
  })

  it('tells one of three stories: submit, collect a run, or run in place', () => {
    const notebook = { ownerId: 'o', notebookId: 'n' }
    expect(read({ token: TOKEN, 'notebook-id': 'o/n', wait: 'false' }).story).toMatchObject({
      kind: 'submit',
      notebook,
      wait: false
    })
    expect(read({ token: TOKEN, 'notebook-id': 'o/n', 'run-id': 'r1' }).story).toEqual({
      kind: 'collect',
      runId: 'r1',
      notebook
    })
    expect(read({ token: TOKEN, 'notebook-id': 'o/n', mode: 'interactive' }).story).toEqual({
      kind: 'interactive',
      notebook
    })
    expect(problem({ mode: 'interactive' }).input).toBe('notebook-id')
  })
})

describe('artifact settings', () => {
  it('reads every setting, with artifacts-path made absolute', () => {
    const config = read({
      token: TOKEN,
      'notebook-id': 'o/n',
      artifacts: 'download',
      'artifacts-path': 'out/datalore',
      'artifact-name': 'report',
      'retention-days': '14',
      'compression-level': '0',
      'if-no-artifacts': 'error',
      overwrite: 'true',
      'read-notebook': 'false',
      'notebook-page': 'false'
    })
    expect(config.artifacts).toEqual({
      mode: 'download',
      path: `${process.cwd()}/out/datalore`,
      name: 'report',
      retentionDays: 14,
      compressionLevel: 0,
      ifNoArtifacts: 'error',
      overwrite: true,
      readNotebook: false,
      notebookPage: false
    })
  })

  it.each([
    ['artifacts', 'zip', /must be one of "upload", "download", "none"/],
    ['artifact-name', 'a/b', /must not contain any of " : < > \| \* \? \\ \/ or line breaks/],
    ['artifact-name', 'x ##[error]y', /must not contain "##\[" or invisible characters/],
    ['artifact-name', 'x\u200by', /must not contain "##\[" or invisible characters/],
    ['overwrite', 'yes', /must be true or false, got "yes"/],
    ['artifact-name', 'a:b', /the artifact service refuses them/],
    ['retention-days', '0', /whole number from 1 to 400, got "0"/],
    ['retention-days', '1.5', /whole number from 1 to 400/],
    ['compression-level', '10', /whole number from 0 to 9, got "10"/],
    ['compression-level', '-1', /whole number from 0 to 9/],
    ['if-no-artifacts', 'fail', /must be one of "warn", "error", "ignore"/]
  ])('refuses %s: %s', (input, value, message) => {
    const found = problem({ 'notebook-id': 'o/n', [input]: value })
    expect(found.input).toBe(input)
    expect(found.message).toMatch(message)
    expect(found.message).toMatch(/For example: `/)
  })
})

describe('combinations that would silently do nothing', () => {
  it.each([
    [{ mode: 'interactive', parameters: 'a: 1' }, 'parameters'],
    [{ mode: 'interactive', 'update-report': 'on-success' }, 'update-report'],
    [{ mode: 'interactive', 'run-id': 'r1' }, 'run-id'],
    [{ 'run-id': 'r1', parameters: 'a: 1' }, 'parameters'],
    [{ 'run-id': 'r1', 'direct-file-storage-write': 'true' }, 'direct-file-storage-write'],
    [{ 'run-id': 'r1', wait: 'false' }, 'wait']
  ])('refuses %j', (inputs, input) => {
    expect(problem({ 'notebook-id': 'o/n', ...inputs }).input).toBe(input)
  })

  it('waits for a run by run-id alone', () => {
    const config = read({ token: TOKEN, 'run-id': 'run-42' })
    expect(config.story).toEqual({ kind: 'collect', runId: 'run-42', notebook: undefined })
  })

  it('refuses a run-id with spaces or slashes, or one that names a folder above', () => {
    expect(problem({ 'run-id': 'a b' }).input).toBe('run-id')
    expect(problem({ 'run-id': '../x' }).input).toBe('run-id')
    expect(problem({ 'run-id': '..' }).input).toBe('run-id')
    expect(problem({ 'run-id': '.' }).input).toBe('run-id')
    expect(problem({ 'run-id': 'r'.repeat(201) }).input).toBe('run-id')
  })
})

describe('token', () => {
  it('is required', () => {
    expect(() => read({ 'notebook-id': 'o/n' })).toThrow(
      /Input `token` is empty and DATALORE_TOKEN is not set/
    )
  })
  it('refuses inner whitespace without echoing the token', () => {
    expect(() => read({ 'notebook-id': 'o/n', token: 'abc def' })).toThrow(/contains whitespace/)
    expect(() => read({ 'notebook-id': 'o/n', token: 'abc def' })).not.toThrow(/abc def/)
  })
})

describe('several notebooks', () => {
  it('reads entries, with the step settings as defaults and entry parameters replacing by name', () => {
    const config = read({
      token: TOKEN,
      host: 'https://datalore.example.com',
      parameters: 'Region: EU\nLimit: "10"',
      'update-report': 'on-success',
      'max-parallel': '3',
      'fail-fast': 'true',
      notebooks: [
        '- abc/sales',
        '- notebook-id: https://datalore.example.com/notebook/abc/churn',
        '  name: churn US',
        '  update-report: never',
        '  direct-file-storage-write: "true"',
        '  artifact-name: churn-us',
        '  parameters:',
        '    Region: US',
        '    Cols: [a, b]'
      ].join('\n')
    })
    expect(config.host).toBe('https://datalore.example.com')
    expect(config.artifacts.folderPerRun).toBe(true)
    expect(config.story).toEqual({
      kind: 'many',
      maxParallel: 3,
      failFast: true,
      wait: true,
      entries: [
        {
          name: 'abc/sales',
          artifactName: undefined,
          story: {
            kind: 'submit',
            notebook: { ownerId: 'abc', notebookId: 'sales' },
            parameters: [
              { name: 'Region', value: 'EU' },
              { name: 'Limit', value: '10' }
            ],
            updateReport: 'on success',
            directFileStorageWrite: false,
            wait: true
          }
        },
        {
          name: 'churn US',
          artifactName: 'churn-us',
          story: {
            kind: 'submit',
            notebook: { ownerId: 'abc', notebookId: 'churn' },
            parameters: [
              { name: 'Limit', value: '10' },
              { name: 'Region', value: 'US' },
              { name: 'Cols', value: ['a', 'b'] }
            ],
            updateReport: 'never',
            directFileStorageWrite: true,
            wait: true
          }
        }
      ]
    })
  })

  it('takes the host from notebook URLs, and refuses a list that spans two servers', () => {
    expect(read({ token: TOKEN, notebooks: '- https://d.example.com/notebook/a/b' }).host).toBe(
      'https://d.example.com'
    )
    expect(
      problem({
        notebooks: '- https://d.example.com/notebook/a/b\n- https://e.example.com/notebook/a/c'
      })
    ).toEqual({
      input: 'notebooks',
      message: expect.stringMatching(
        /^Input `notebooks` entry #2 \("https:\/\/e\.example\.com\/notebook\/a\/c"\) is a notebook on https:\/\/e\.example\.com, but the step's Datalore is https:\/\/d\.example\.com/
      )
    })
  })

  it('reads the `runs` output of an earlier step as `run-id`, leaving out entries never submitted', () => {
    const runs = JSON.stringify([
      { name: 'sales', 'notebook-id': 'abc/sales', 'run-id': 'run-1', conclusion: 'submitted' },
      { name: 'late', 'notebook-id': 'abc/late', conclusion: 'skipped' },
      { name: 'churn', 'notebook-id': 'abc/churn', 'run-id': 'run-2', success: false }
    ])
    expect(read({ token: TOKEN, 'run-id': runs }).story).toEqual({
      kind: 'many',
      maxParallel: 5,
      failFast: false,
      wait: true,
      entries: [
        {
          name: 'sales',
          story: {
            kind: 'collect',
            runId: 'run-1',
            notebook: { ownerId: 'abc', notebookId: 'sales' }
          }
        },
        {
          name: 'churn',
          story: {
            kind: 'collect',
            runId: 'run-2',
            notebook: { ownerId: 'abc', notebookId: 'churn' }
          }
        }
      ]
    })
    // Plain run IDs, too.
    const plain = read({ token: TOKEN, 'run-id': '["run-1", "run-2"]' }).story
    expect(plain.kind === 'many' && plain.entries.map(e => e.name)).toEqual(['run-1', 'run-2'])
  })

  // A key in another case would be silently ignored: `Parameters:` sends no parameters.
  // Seen red against knownKey comparing keys case-insensitively (`includes(key.toLowerCase())`):
  // the list was read, with the entry's parameters left out.
  it.each([
    ['Parameters', 'parameters', '\n  Parameters:\n    Region: EU'],
    ['NAME', 'name', '\n  NAME: sales'],
    ['Update-Report', 'update-report', '\n  Update-Report: on-success'],
    ['Artifact-Name ', 'artifact-name', '\n  "Artifact-Name ": weekly']
  ])('refuses the key %j, naming the entry and the key it would be', (key, meant, lines) => {
    const found = problem({ notebooks: `- notebook-id: a/b\n  name: first${lines}` })
    expect(found.input).toBe('notebooks')
    expect(found.message).toContain(
      `entry #1 ("first") has the key ${JSON.stringify(key)}, which the action would ignore: keys are written in lower case, \`${meant}\``
    )
    expect(found.message).toMatch(new RegExp(`For example: \`${meant}:\`$`))
  })

  it.each([
    [{ 'run-id': '["run-1", "run-1"]' }, 'run-id', 'has the run-id "run-1" twice'],
    [
      { 'run-id': '["../x"]' },
      'run-id',
      'entry #1 ("../x") has a run ID that is not one Datalore gives'
    ],
    [{ notebooks: '- a/b', mode: 'interactive' }, 'mode', 'is interactive'],
    [{ notebooks: '- a/b', 'run-id': 'run-1' }, 'run-id', 'is set together with `notebooks`'],
    [{ notebooks: 'a: b' }, 'notebooks', 'must be a list'],
    [{ notebooks: '- [a, b]' }, 'notebooks', 'entry #1 must be a notebook ID or a mapping'],
    [
      { notebooks: '- notebook-id: a/b\n  name: "x\\u200By"' },
      'notebooks',
      'has a `name` that is not a short label'
    ],
    [
      { notebooks: '- notebook-id: a/b\n  update-report: always' },
      'notebooks',
      'must be "never" or "on-success"'
    ],
    [
      { notebooks: '- notebook-id: a/b\n  artifact-name: "a/b"' },
      'notebooks',
      '`artifact-name` must not contain any of'
    ]
  ])('refuses %j', (inputs, input, message) => {
    const found = problem(inputs)
    expect(found.input).toBe(input)
    expect(found.message).toContain(message)
  })
})

describe('YAML, read as data', () => {
  /** What reading `inputs` printed to stdout, and what it asked Node to print to stderr. */
  function printed(inputs: Record<string, string>): { stdout: string; nodeWarnings: unknown[] } {
    const nodeWarnings: unknown[] = []
    const emitWarning = process.emitWarning
    process.emitWarning = ((warning: unknown) => void nodeWarnings.push(warning)) as never
    try {
      return { stdout: captureStdout(() => read({ token: TOKEN, ...inputs })), nodeWarnings }
    } finally {
      process.emitWarning = emitWarning
    }
  }

  // The parser printed its warnings through process.emitWarning, quoting the input line, to
  // stderr: seen red against `parse` of the yaml package as the readers called it before (two
  // Node warnings, the second quoting "b: !!y ##[error]x"; nothing on stdout).
  it('prints nothing itself: its warnings are told once per input, as the action warns', () => {
    const { stdout, nodeWarnings } = printed({
      'notebook-id': 'o/n',
      parameters: 'a: !!x v\nb: !!y ##[error]x',
      notebooks: '',
      'run-id': ''
    })
    expect(nodeWarnings).toEqual([])
    const commands = parseWorkflowCommands(stdout)
    expect(commands).toEqual([
      expect.objectContaining({
        name: 'warning',
        properties: { title: 'YAML warnings' },
        data: 'Input `parameters` was read despite 2 YAML warnings: Unresolved tag: tag:yaml.org,2002:x at line 1, column 4; Unresolved tag: tag:yaml.org,2002:y at line 2, column 4. Every value is read as the text it was written as: a tag other than !!str, !!map or !!seq changes nothing.'
      })
    ])
  })

  it('quotes at most five warnings of an input, and counts the rest', () => {
    const list = Array.from({ length: 8 }, (_, i) => `- notebook-id: !!t${i} o/n\n  name: n${i}`)
    const { stdout } = printed({ notebooks: list.join('\n') })
    const [warning, ...more] = parseWorkflowCommands(stdout)
    expect(more).toEqual([])
    expect(warning?.data).toMatch(/^Input `notebooks` was read despite 8 YAML warnings: /)
    expect(warning?.data.match(/Unresolved tag/g)).toHaveLength(5)
    expect(warning?.data).toContain('tag:yaml.org,2002:t4 at line 9, column 16; and 3 more.')
  })

  // Read before as the text "{ a: b }" (with a warning on stderr): a key the workflow did not
  // write. Seen red against the readers' old `parse`: `parameters` were read with the key
  // "{ a: b }", the runs' list found no `run-id`, the entry's key "[ name ]" was only unknown.
  it.each([
    [{ 'notebook-id': 'o/n', parameters: '? {a: b}\n: c' }, 'parameters'],
    [{ 'notebook-id': 'o/n', parameters: '? [a]\n: c' }, 'parameters'],
    [{ notebooks: '- notebook-id: o/n\n  ? [name]\n  : x' }, 'notebooks'],
    [{ 'run-id': '- ? {run-id: r}\n  : x' }, 'run-id']
  ])('refuses a mapping or a list used as a key: %j', (inputs, input) => {
    const found = problem(inputs)
    expect(found.input).toBe(input)
    expect(found.message).toContain('uses a mapping or a list as a key')
  })

  // Seen red against plain objects built by assignment (`object[key] = item`): the parameter
  // was lost, set as the object's prototype.
  it('keeps a key named __proto__ a key', () => {
    const config = read({ token: TOKEN, 'notebook-id': 'o/n', parameters: '__proto__: x\nb: y' })
    expect(config.story.kind === 'submit' && config.story.parameters).toEqual([
      { name: '__proto__', value: 'x' },
      { name: 'b', value: 'y' }
    ])
  })
})
