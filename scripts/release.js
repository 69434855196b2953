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
import { parseArgs } from 'node:util'

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
 * One section of the CHANGELOG, found by its heading line ("## <heading>" or "## <heading> ..."):
 * the heading's line index and the section's body (trimmed), or undefined.
 * @param {string[]} lines @param {string} heading the heading's text after "## "
 */
function section(lines, heading) {
  const start = lines.findIndex(
    line => line === `## ${heading}` || line.startsWith(`## ${heading} `)
  )
  if (start < 0) return undefined
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '))
  const body = lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .trim()
  return { start, body }
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

/** Unknown options and a missing value are refused: a typo must not commit and tag. */
function readArgs() {
  try {
    return parseArgs({
      strict: true,
      allowPositionals: true,
      options: {
        check: { type: 'string' },
        notes: { type: 'string' },
        date: { type: 'string' },
        'no-tag': { type: 'boolean' },
        'no-commit': { type: 'boolean' }
      }
    })
  } catch (error) {
    return fail(
      `${error instanceof Error ? error.message : String(error)} (see scripts/release.js)`
    )
  }
}

const { values: options, positionals } = readArgs()
const cwd = process.cwd()
const changelogFile = join(cwd, 'CHANGELOG.md')

if (options.check != null || options.notes != null) {
  const tag = options.check ?? options.notes ?? ''
  const version = versionOfTag(tag)
  const lines = readFileSync(changelogFile, 'utf8').split(/\r?\n/)
  const found = section(lines, version)
  const notes = found?.body
  if (options.check != null) {
    const pkg = readJson(join(cwd, 'package.json'))
    if (pkg.version !== version) fail(`${tag} is not the version in package.json (${pkg.version})`)
    const lock = readJson(join(cwd, 'package-lock.json'))
    if (lock.version !== version || lock.packages?.['']?.version !== version) {
      fail(`package-lock.json is not at ${version}: run npm install`)
    }
    if (notes == null || notes === '') fail(`CHANGELOG.md has no section "## ${version} - <date>"`)
    const heading = found == null ? '' : (lines[found.start] ?? '')
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

const [version, ...extra] = positionals
if (version == null || !SEMVER.test(version) || extra.length > 0) {
  fail('give the one version to release, X.Y.Z, e.g. `npm run release -- 1.2.0`')
}
const date = options.date ?? new Date().toISOString().slice(0, 10)
if (!/^\d{4}-\d\d-\d\d$/.test(date)) fail(`--date must be YYYY-MM-DD, got ${date}`)
const commit = options['no-commit'] !== true
const tag = commit && options['no-tag'] !== true

const pkgFile = join(cwd, 'package.json')
const lockFile = join(cwd, 'package-lock.json')
const pkg = readJson(pkgFile)
if (!isNewer(version, pkg.version)) fail(`${version} is not newer than ${pkg.version}`)
if (commit && git('status', '--porcelain') !== '') {
  fail('the working tree has uncommitted changes: commit or stash them first')
}
if (tag && git('tag', '--list', `v${version}`) !== '') fail(`the tag v${version} exists already`)
const changelog = readFileSync(changelogFile, 'utf8')
const eol = changelog.includes('\r\n') ? '\r\n' : '\n'
const lines = changelog.split(/\r?\n/)
const unreleased = section(lines, 'Unreleased')
if (unreleased == null || unreleased.body === '') {
  fail(`CHANGELOG.md has nothing under "${UNRELEASED}": say what this release changes first`)
}

pkg.version = version
writeJson(pkgFile, pkg)
const lock = readJson(lockFile)
lock.version = version
if (lock.packages?.[''] != null) lock.packages[''].version = version
writeJson(lockFile, lock)
// The heading stays, empty, and the new version's heading goes under it.
lines.splice(unreleased.start + 1, 0, '', `## ${version} - ${date}`)
writeFileSync(changelogFile, lines.join(eol))
process.stdout.write(
  `Prepared ${version} (${date}): package.json, package-lock.json, CHANGELOG.md\n`
)
if (commit) {
  try {
    git('add', 'package.json', 'package-lock.json', 'CHANGELOG.md')
    git('commit', '-m', `Release ${version}`)
  } catch (error) {
    fail(
      `git could not commit (${error instanceof Error ? error.message.split('\n')[0] : String(error)}): package.json, package-lock.json and CHANGELOG.md are changed and staged; commit them yourself, or \`git checkout -- .\` to start again`
    )
  }
  process.stdout.write(`Committed "Release ${version}"\n`)
}
if (tag) {
  git('tag', '-a', `v${version}`, '-m', `v${version}`)
  process.stdout.write(
    `Tagged v${version}. Push both to release: git push origin HEAD v${version}\n`
  )
}
