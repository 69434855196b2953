/**
 * Workflow commands forged through what the action does not write itself: the YAML parser's
 * warnings (which printed the offending input line to stderr), a dependency's own writes to
 * stdout and stderr, Node's warnings, an uncaught exception. Each run of the bundle is read as
 * the runner reads both streams (./support/action.ts fails on any command on stderr, and on any
 * on stdout the action did not mean); each test here says what the action did mean.
 */
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { DataloreSimulator, startDataloreSimulator } from '../simulator/datalore.js'
import { ActionResult, errorsOf, leaksOf, ROOT, runAction, RunOptions } from './support/action.js'

let sim: DataloreSimulator

beforeAll(async () => {
  sim = await startDataloreSimulator()
  sim.addNotebook('team/nb', { durationMs: 0 })
  sim.addNotebook('team/slow', { durationMs: 1_500 })
})
afterAll(() => sim.close())
afterEach(() => {
  sim.requests.length = 0
})

async function run(inputs: Record<string, string>, options?: RunOptions): Promise<ActionResult> {
  const result = await runAction(
    {
      host: sim.url,
      token: sim.token,
      'poll-interval-seconds': '0.2',
      artifacts: 'none',
      ...inputs
    },
    options
  )
  expect(leaksOf(result, sim.token)).toEqual([])
  return result
}

/** The annotations of a kind, as `[title, message]`. */
function annotations(result: ActionResult, kind: string): Array<[string | undefined, string]> {
  return result.commands.filter(c => c.name === kind).map(c => [c.properties.title, c.data])
}

/** A pull request's title, in the README's own pattern `{"Title": "${{ ... }}"}`. */
const title = (text: string) => `{"Title": "${text}"}`

// Each of these made the parser print a warning that quoted a line holding a command: on the
// bundle before this test, every row failed in runAction with "The action printed workflow
// commands it did not mean: stderr line 3: ..." (seen red on the old dist/index.js).
const PARAMETERS = 'Input `parameters`'
const NOTEBOOKS = 'Input `notebooks`'
const readWithWarnings: Array<[string, string, Record<string, string>]> = [
  [
    'an unresolved tag beside "##[error]"',
    PARAMETERS,
    { parameters: title('a", "b": !!x "##[error]forged') }
  ],
  [
    'a line that starts with ::add-mask::',
    PARAMETERS,
    { parameters: title('x\n::add-mask::forged", !!x "k": "v') }
  ],
  [
    'a line before the tag that is ::error',
    PARAMETERS,
    { parameters: '::error title=Forged::forged: 1\n!!x a: b' }
  ],
  [
    'invisible characters inside "::"',
    PARAMETERS,
    { parameters: ':\u200b:error::forged: 1\n!!x a: b' }
  ],
  ['an unknown directive', PARAMETERS, { parameters: '%FOO ##[error]forged\n---\na: b' }],
  [
    'a line of `notebooks` that starts with ::stop-commands::',
    NOTEBOOKS,
    {
      notebooks:
        '- notebook-id: team/nb\n  parameters: {Title: a,\n    ::stop-commands::forged: b,\n    !!x c: d}'
    }
  ],
  [
    'a comment of `notebooks` that holds ##[error]',
    NOTEBOOKS,
    { notebooks: '- !!x team/nb # ##[error]forged\n- notebook-id: team/nb\n  name: second' }
  ],
  [
    "an entry's parameters given as text",
    'The `parameters` of `notebooks` entry #1 ("team/nb")',
    {
      notebooks: '- notebook-id: team/nb\n  parameters: |\n    ::add-mask::forged: 1\n    !!x a: b'
    }
  ]
]

/** The inputs of a row, with a notebook to run the parameters with. */
const withNotebook = (inputs: Record<string, string>) =>
  'parameters' in inputs ? { 'notebook-id': 'team/nb', ...inputs } : inputs

describe('hostile YAML in every input read as YAML', () => {
  it.each(readWithWarnings)(
    'is read, its warning told as data: %s',
    async (_name, place, inputs) => {
      const result = await run(withNotebook(inputs))

      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      expect(result.outputs.conclusion).toBe('success')
      expect(annotations(result, 'warning')).toEqual([
        [
          'YAML warnings',
          expect.stringMatching(
            /^.* was read despite a YAML warning: (Unresolved tag: [^\n]* at line \d+, column \d+\. Every value is read as the text it was written as: a tag other than !!str, !!map or !!seq changes nothing\.|Unknown directive %FOO at line 1, column 1\.)$/
          )
        ]
      ])
      expect(annotations(result, 'warning')[0]?.[1].startsWith(`${place} was read despite`)).toBe(
        true
      )
      expect(annotations(result, 'error')).toEqual([])
    }
  )

  // Refused before any request, with one error annotation of the action's. The first four were
  // read before (a key that is a mapping or list silently became the text "{ ... }"), and their
  // warning forged a command on the old bundle as above.
  it.each([
    ['parameters', 'a mapping as a key', { parameters: '? {"##[error]forged": y}\n: z' }],
    ['parameters', 'a list as a key', { parameters: '? [a, "##[error]forged"]\n: z' }],
    [
      'notebooks',
      'a mapping as a key in an entry',
      { notebooks: '- notebook-id: team/nb\n  ? {"##[error]forged": x}\n  : y' }
    ],
    [
      'run-id',
      'an unresolved tag in a list of runs',
      { 'run-id': '["r1", !!x "##[error]forged"]' }
    ],
    ['parameters', 'bad indentation', { parameters: 'k: [\n::error::forged\n]' }],
    [
      'notebooks',
      'bad indentation',
      { notebooks: '- team/nb\n  - ::add-mask::forged\n - ##[error]forged' }
    ],
    [
      'notebooks',
      'entries that are commands',
      {
        notebooks:
          '- ::error::forged\n- ::add-mask::forged\n- ::stop-commands::forged\n- "##[error]forged"\n- ":\\u200b:error::forged"'
      }
    ]
  ])('refuses `%s` with %s', async (input, _name, inputs) => {
    const result = await run(withNotebook(inputs))

    expect(result.stderr).toBe('')
    expect(result.code).toBe(1)
    expect(sim.requests).toEqual([])
    expect(errorsOf(result)).toEqual([expect.stringMatching(new RegExp(`^Input \`${input}\` `))])
  })
})

/** Runs team/slow with ./support/noisy-dependency.js, signalled to write once the run is submitted. */
async function runNoisy(crash?: 'exception' | 'rejection'): Promise<ActionResult> {
  let signalled = false
  return await run(
    { 'notebook-id': 'team/slow' },
    {
      nodeArgs: ['--import', join(ROOT, '__tests__', 'support', 'noisy-dependency.js')],
      env: crash == null ? {} : { NOISE_CRASH: crash },
      onStdout: (text, child) => {
        if (signalled || !text.includes(' submitted: ')) return
        signalled = true
        child.kill('SIGUSR2')
      }
    }
  )
}

// Seen red on the old bundle: runAction failed with 'stdout line 5: "::add-mask::forged"'. The
// crash rows seen red against the guard without its uncaughtException handler: Node printed the
// stack from C++, 'stderr line 17: "::add-mask::forged"'.
describe('what a dependency writes to stdout and stderr itself', () => {
  it('is printed as inert text, its debug lines as debug lines, nothing else as a command', async () => {
    const result = await runNoisy()

    expect(result.code).toBe(0)
    expect(result.outputs.success).toBe('true')
    // The first line, an add-mask in @actions/core's form, is dropped (see below).
    expect(result.stdout).toContain(
      ' submitted: ' +
        `${sim.url}/notebook/team/slow\n| ::set-output name=success::false\n|   ::stop-commands::forged\n` +
        '## [error]forged\n| ::error::forged\n| ::group::forged\n| ::echo::on\n'
    )
    expect(result.stdout).toContain('from a buffer ## [warning]forged\n')
    // A line one write leaves open is ended there: "##" and "[error]" make no command.
    expect(result.stdout).toContain('a line cut in two writes ##\n[error]forged\n')
    expect(result.stderr).toContain('| ::add-mask::forged\n')
    expect(result.stderr).toContain('| ::error::on stderr\n')
    expect(result.stderr).toMatch(/Warning: a warning\n\| ::error::forged ## \[error\]forged\n/)
    // @actions/core's lines keep their kind, but a dependency makes no error annotation and
    // masks nothing (the value is not even shown).
    expect(result.commands).toContainEqual(
      expect.objectContaining({
        name: 'debug',
        data: 'dependency debug\n::error::forged % ##[error]forged'
      })
    )
    expect(annotations(result, 'warning')).toEqual([
      [undefined, 'dependency warning ##[error]forged'],
      [undefined, 'dependency error']
    ])
    expect(errorsOf(result)).toEqual([])
    expect(result.commands.filter(c => c.name === 'add-mask').map(c => c.data)).toEqual([sim.token])
    expect(result.stdout).not.toMatch(/dependency-mask|::add-mask::forged/)
  })

  it.each(['exception', 'rejection'] as const)(
    'ends the step with an error annotation of the action after an uncaught %s',
    async crash => {
      const result = await runNoisy(crash)

      expect(result.code).toBe(1)
      expect(errorsOf(result)).toEqual([
        // Data of a command: @actions/core escapes its line breaks.
        'The action failed unexpectedly: crash\n::add-mask::forged\n##[error]forged'
      ])
      expect(result.stderr).not.toContain('crash')
    }
  )
})
