// @ts-check
/**
 * CI's check of a downloaded workflow artifact: every file the action listed in its
 * `artifacts` output (env ARTIFACTS) is in the folder, byte for byte (sha256).
 *   ARTIFACTS='[...]' node scripts/verify-artifact.js <folder>
 */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

const folder = process.argv[2] ?? '.'
/** @type {Array<{name: string, file: string, size: number, sha256: string}>} */
const listed = JSON.parse(process.env.ARTIFACTS ?? '[]')
const found = new Map(
  readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map(path => join(folder, path))
    .filter(path => statSync(path).isFile())
    .map(path => [relative(folder, path).split(/[\\/]/).at(-1) ?? '', path])
)
let missing = 0
for (const artifact of listed) {
  const path = found.get(artifact.file)
  const sha256 = path && createHash('sha256').update(readFileSync(path)).digest('hex')
  const ok = sha256 === artifact.sha256
  if (!ok) missing++
  console.log(`${ok ? 'ok     ' : 'MISSING'} ${artifact.file} (${artifact.size} bytes)`)
}
if (listed.length === 0 || missing > 0) {
  console.error(
    listed.length === 0
      ? 'The action listed no artifacts.'
      : `${missing} file(s) missing or different.`
  )
  process.exit(1)
}
