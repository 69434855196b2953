// @ts-check
/**
 * `npm run release -- X.Y.Z`: prepares a release in the working copy, as actions/typescript-action
 * does it: the version in package.json and package-lock.json, the CHANGELOG's "Unreleased"
 * section turned into "X.Y.Z - <date>", one commit, and the tag vX.Y.Z. Pushing the tag is left
 * to you (`git push origin main vX.Y.Z`); the release workflow then checks, publishes and moves
 * the major tag.
 *
 *   npm run release -- 1.2.0                 bump, CHANGELOG, commit, tag
 *   npm run release -- 1.2.0 --no-tag        bump, CHANGELOG, commit
 *   npm run release -- 1.2.0 --no-commit     bump and CHANGELOG only
 *   node scripts/release.js --check v1.2.0   the tag matches package.json and the CHANGELOG
 *   node scripts/release.js --notes v1.2.0   the CHANGELOG section of that version (release notes)
 *
 * Options: `--date YYYY-MM-DD` (default: today, UTC). It works on the current directory.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/
const UNRELEASED = '## Unreleased'

/** @param {string} message @returns {never} */
function fail(message) {
  process.stderr.write(`release: ${message}\n`)
  process.exit(1)
}

/** @param {string} file */
function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'))
}

/** @param {string} file @param {unknown} value */
function writeJson(file, value) {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`)
}

/** @param {string} version @returns {number[]} */
function parts(version) {
  return version.split('.').map(Number)
}

/** @param {string} a @param {string} b */
function isNewer(a, b) {
  const [x, y] = [parts(a), parts(b)]
  for (let i = 0; i < 3; i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0)
  }
  return false
}

/**
 * The body of one section of the CHANGELOG (without its heading), or undefined.
 * @param {string} changelog @param {string} heading the heading's text after "## "
 */
export function section(changelog, heading) {
  const lines = changelog.split('\n')
  const start = lines.findIndex(
    line => line === `## ${heading}` || line.startsWith(`## ${heading} `)
  )
  if (start < 0) return undefined
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '))
  return lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .trim()
}

/** @param {string[]} args */
function git(...args) {
  return execFileSync('git', args, { encoding: 'utf8' }).trim()
}

/** @param {string} tag */
function versionOfTag(tag) {
  const version = tag.replace(/^v/, '')
  if (!tag.startsWith('v') || !SEMVER.test(version)) fail(`${tag} is not a tag vX.Y.Z`)
  return version
}

const args = process.argv.slice(2)
const flag = (/** @type {string} */ name) => args.includes(name)
const valueOf = (/** @type {string} */ name) => {
  const index = args.indexOf(name)
  return index < 0 ? undefined : args[index + 1]
}
const cwd = process.cwd()
const changelogFile = join(cwd, 'CHANGELOG.md')

if (flag('--check') || flag('--notes')) {
  const tag = valueOf('--check') ?? valueOf('--notes') ?? ''
  const version = versionOfTag(tag)
  const changelog = readFileSync(changelogFile, 'utf8')
  const notes = section(changelog, version)
  if (flag('--check')) {
    const pkg = readJson(join(cwd, 'package.json'))
    if (pkg.version !== version) fail(`${tag} is not the version in package.json (${pkg.version})`)
    const lock = readJson(join(cwd, 'package-lock.json'))
    if (lock.version !== version || lock.packages?.['']?.version !== version) {
      fail(`package-lock.json is not at ${version}: run npm install`)
    }
    if (notes == null || notes === '') fail(`CHANGELOG.md has no section "## ${version} - <date>"`)
    const heading = changelog.split('\n').find(line => line.startsWith(`## ${version} `)) ?? ''
    if (!/^## \S+ - \d{4}-\d\d-\d\d$/.test(heading)) {
      fail(
        `CHANGELOG.md's heading for ${version} must be "## ${version} - YYYY-MM-DD", not ${JSON.stringify(heading)}`
      )
    }
    process.stdout.write(`${tag}: package.json, package-lock.json and CHANGELOG.md agree\n`)
  } else {
    if (notes == null) fail(`CHANGELOG.md has no section for ${version}`)
    process.stdout.write(`${notes}\n`)
  }
  process.exit(0)
}

const version = args.find(arg => SEMVER.test(arg))
if (version == null) fail('give the version to release, e.g. `npm run release -- 1.2.0`')
const date = valueOf('--date') ?? new Date().toISOString().slice(0, 10)
if (!/^\d{4}-\d\d-\d\d$/.test(date)) fail(`--date must be YYYY-MM-DD, got ${date}`)
const commit = !flag('--no-commit')
const tag = commit && !flag('--no-tag')

const pkgFile = join(cwd, 'package.json')
const lockFile = join(cwd, 'package-lock.json')
const pkg = readJson(pkgFile)
if (!isNewer(version, pkg.version)) fail(`${version} is not newer than ${pkg.version}`)
if (commit && git('status', '--porcelain') !== '') {
  fail('the working tree has uncommitted changes: commit or stash them first')
}
if (tag && git('tag', '--list', `v${version}`) !== '') fail(`the tag v${version} exists already`)
const changelog = readFileSync(changelogFile, 'utf8')
const unreleased = section(changelog, 'Unreleased')
if (unreleased == null || unreleased === '') {
  fail(`CHANGELOG.md has nothing under "${UNRELEASED}": say what this release changes first`)
}

pkg.version = version
writeJson(pkgFile, pkg)
const lock = readJson(lockFile)
lock.version = version
if (lock.packages?.[''] != null) lock.packages[''].version = version
writeJson(lockFile, lock)
writeFileSync(
  changelogFile,
  changelog.replace(UNRELEASED, `${UNRELEASED}\n\n## ${version} - ${date}`)
)
process.stdout.write(
  `Prepared ${version} (${date}): package.json, package-lock.json, CHANGELOG.md\n`
)
if (commit) {
  git('add', 'package.json', 'package-lock.json', 'CHANGELOG.md')
  git('commit', '-m', `Release ${version}`)
  process.stdout.write(`Committed "Release ${version}"\n`)
}
if (tag) {
  git('tag', '-a', `v${version}`, '-m', `v${version}`)
  process.stdout.write(
    `Tagged v${version}. Push both to release: git push origin HEAD v${version}\n`
  )
}
