// @ts-check
/**
 * `npm run docs`: writes the README's inputs and outputs tables from action.yml, the single
 * source of the interface. A test (`__tests__/docs.test.ts`) fails when they differ.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const root = fileURLToPath(new URL('..', import.meta.url))

/**
 * @typedef {{description?: string, default?: string, required?: boolean}} Entry
 * @typedef {{inputs: Record<string, Entry>, outputs: Record<string, Entry>}} Action
 */

/** One line for a table cell: folded YAML text, pipes escaped. */
/** @param {string} text */
function cell(text) {
  return text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|')
}

/**
 * The rows of both tables, as cell texts.
 * @param {string} actionYml
 * @returns {{inputs: string[][], outputs: string[][]}}
 */
export function tablesFromAction(actionYml) {
  const action = /** @type {Action} */ (parse(actionYml))
  return {
    inputs: Object.entries(action.inputs).map(([name, input]) => [
      `\`${name}\``,
      input.default == null || input.default === '' ? '' : `\`${input.default}\``,
      cell(input.description ?? '')
    ]),
    outputs: Object.entries(action.outputs).map(([name, output]) => [
      `\`${name}\``,
      cell(output.description ?? '')
    ])
  }
}

/** @param {string[][]} rows @param {readonly string[]} header */
function markdownTable(rows, header) {
  const line = (/** @type {readonly string[]} */ cells) => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

/** @type {Record<'inputs' | 'outputs', [string, string]>} */
const MARKERS = {
  inputs: ['<!-- inputs: generated from action.yml by `npm run docs` -->', '<!-- inputs end -->'],
  outputs: ['<!-- outputs: generated from action.yml by `npm run docs` -->', '<!-- outputs end -->']
}

/**
 * The README's table rows between the markers, as cell texts (alignment padding removed).
 * @param {string} readme
 * @param {'inputs' | 'outputs'} table
 */
export function tableInReadme(readme, table) {
  const [start, end] = MARKERS[table]
  const from = readme.indexOf(start)
  const to = readme.indexOf(end)
  if (from < 0 || to < from)
    throw new Error(`README.md has no ${table} table between "${start}" and "${end}"`)
  return readme
    .slice(from + start.length, to)
    .split('\n')
    .filter(line => line.startsWith('|'))
    .slice(2)
    .map(line =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map(text => text.trim())
    )
}

/** @param {string} readme @param {string} actionYml */
export function readmeWithTables(readme, actionYml) {
  const tables = tablesFromAction(actionYml)
  let result = readme
  for (const [table, header] of /** @type {const} */ ([
    ['inputs', ['input', 'default', 'description']],
    ['outputs', ['output', 'description']]
  ])) {
    const [start, end] = MARKERS[table]
    const from = result.indexOf(start)
    const to = result.indexOf(end)
    if (from < 0 || to < from) throw new Error(`README.md has no "${start}" ... "${end}" markers`)
    result = `${result.slice(0, from + start.length)}\n\n${markdownTable(tables[table], header)}\n\n${result.slice(to)}`
  }
  return result
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const readmePath = `${root}README.md`
  const readme = readFileSync(readmePath, 'utf8')
  writeFileSync(readmePath, readmeWithTables(readme, readFileSync(`${root}action.yml`, 'utf8')))
  console.log('README.md: inputs and outputs tables written from action.yml')
}
