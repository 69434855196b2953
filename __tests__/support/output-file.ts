/** GITHUB_OUTPUT as a test's own file, fresh for each test; what was written there, parsed. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach } from '@jest/globals'
import { parseOutputs } from '../../scripts/runner-files.js'

export function useOutputFile(): () => Record<string, string> {
  let file = ''
  beforeEach(() => {
    file = join(mkdtempSync(join(tmpdir(), 'outputs-')), 'github_output')
    writeFileSync(file, '')
    process.env.GITHUB_OUTPUT = file
  })
  afterEach(() => {
    delete process.env.GITHUB_OUTPUT
  })
  return () => parseOutputs(readFileSync(file, 'utf8'))
}
