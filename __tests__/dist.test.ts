/**
 * GitHub runs dist/, not src/: the committed bundle must be exactly what the sources build to.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, expect, it } from '@jest/globals'
import { ROOT } from './support/action.js'

const fresh = mkdtempSync(join(tmpdir(), 'datalore-dist-'))
afterAll(() => rmSync(fresh, { recursive: true, force: true }))

function files(dir: string): Map<string, string> {
  const found = new Map<string, string>()
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name)
      if (entry.isDirectory()) walk(path)
      else found.set(relative(dir, path), readFileSync(path, 'utf8'))
    }
  }
  walk(dir)
  return found
}

it('dist/ is the bundle of the current sources (run `npm run build` and commit dist/)', () => {
  execFileSync(
    join(ROOT, 'node_modules', '.bin', 'ncc'),
    ['build', 'src/index.ts', '-o', fresh, '--license', 'licenses.txt', '--quiet'],
    { cwd: ROOT, stdio: 'pipe' }
  )
  const built = files(fresh)
  const committed = files(join(ROOT, 'dist'))
  expect([...committed.keys()].sort()).toEqual([...built.keys()].sort())
  for (const [name, content] of built) {
    // A failure names the file instead of printing a megabyte of diff.
    expect({ name, same: committed.get(name) === content }).toEqual({ name, same: true })
  }
}, 120_000)
