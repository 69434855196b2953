/**
 * Every invalid input fails the bundled action before any request, with a message that names
 * the input and shows a good value.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { DataloreSimulator, startDataloreSimulator } from '../simulator/datalore.js'
import { errorsOf, leaksOf, runAction } from './support/action.js'

let sim: DataloreSimulator
beforeAll(async () => {
  sim = await startDataloreSimulator()
  sim.addNotebook('team/nb')
})
afterAll(() => sim.close())

const invalid: Array<[string, Record<string, string>]> = [
  ['notebook-id', { 'notebook-id': 'nb-without-owner' }],
  ['notebook-id', { 'notebook-id': 'a/b/c' }],
  ['notebook-id', { 'notebook-id': 'owner/../etc' }],
  ['notebook-id', { 'notebook-id': 'https://datalore.example.com/workspace/a/b' }],
  ['notebook-id', { 'notebook-id': 'https://datalore.example.com/notebook/a/b?utm=1' }],
  ['notebook-id', { 'notebook-id': 'https://me:hunter2@datalore.example.com/notebook/a/b' }],
  [
    'notebook-id',
    {
      'notebook-id': 'https://other.example.com/notebook/a/b',
      host: 'https://datalore.example.com'
    }
  ],
  ['host', { host: 'datalore.example.com' }],
  ['host', { host: 'https://user:hunter2@datalore.example.com' }],
  ['host', { host: 'https://datalore.example.com/?x=1' }],
  ['host', { host: 'http://datalore.example.com' }],
  ['parameters', { parameters: 'a: 1\na: 2' }],
  ['parameters', { parameters: '{"a": 1, "a": 2}' }],
  ['parameters', { parameters: 'a: {nested: true}' }],
  ['parameters', { parameters: '[{"value": 1}]' }],
  ['parameters', { parameters: '[not json' }],
  ['parameters', { parameters: 'just a sentence' }],
  ['timeout-minutes', { 'timeout-minutes': '0' }],
  ['timeout-minutes', { 'timeout-minutes': '-1' }],
  ['timeout-minutes', { 'timeout-minutes': '100000' }],
  ['poll-interval-seconds', { 'poll-interval-seconds': 'fast' }],
  ['retention-days', { 'retention-days': '0' }],
  ['compression-level', { 'compression-level': '11' }],
  ['update-report', { 'update-report': 'always' }],
  ['mode', { mode: 'batch' }],
  ['artifacts', { artifacts: 'zip' }],
  ['if-no-artifacts', { 'if-no-artifacts': 'fail' }],
  ['wait', { wait: 'yes' }],
  ['fail-on-run-failure', { 'fail-on-run-failure': 'no' }],
  ['artifact-name', { 'artifact-name': 'reports/weekly' }],
  ['run-id', { 'run-id': 'run 1' }],
  ['parameters', { 'run-id': 'run-1', parameters: 'a: 1' }],
  ['token', { token: 'two words' }]
]

it.each(invalid)('refuses a bad %s before any request: %j', async (input, inputs) => {
  const result = await runAction({
    host: sim.url,
    token: sim.token,
    'notebook-id': 'team/nb',
    ...inputs
  })

  expect(result.code).toBe(1)
  expect(sim.requests).toHaveLength(0)
  const [error, ...more] = errorsOf(result)
  expect(more).toEqual([])
  expect(error).toMatch(new RegExp(`^Input \`${input}\` .*For example: `))
  expect(result.stdout).toContain(`::error title=Invalid input ${input}::`)
  expect(result.outputs).toEqual({ conclusion: 'failure' })
  expect(leaksOf(result, sim.token)).toEqual([])
  // Credentials in a URL are never echoed back.
  expect(result.stdout).not.toContain('hunter2')
})
