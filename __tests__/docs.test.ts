/** action.yml is the single source of the interface: the README's tables must say the same. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from '@jest/globals'
import { tableInReadme, tablesFromAction } from '../scripts/docs.js'
import { ROOT } from './support/action.js'

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
const generated = tablesFromAction(readFileSync(join(ROOT, 'action.yml'), 'utf8'))

it.each(['inputs', 'outputs'] as const)(
  "the README's %s table is the one action.yml gives (run `npm run docs`)",
  table => {
    expect(tableInReadme(readme, table)).toEqual(generated[table])
  }
)

it('documents every input and output the code reads or sets', async () => {
  const { Inputs } = await import('../src/inputs/names.js')
  const { Outputs } = await import('../src/outputs.js')
  expect(generated.inputs.map(row => row[0]).sort()).toEqual(
    Object.values(Inputs)
      .map(n => `\`${n}\``)
      .sort()
  )
  expect(generated.outputs.map(row => row[0]).sort()).toEqual(
    Object.values(Outputs)
      .map(n => `\`${n}\``)
      .sort()
  )
})
