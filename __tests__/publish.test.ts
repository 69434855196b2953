/**
 * Ready to publish: action.yml keeps the Marketplace's rules, the repository's name is the one in
 * package.json everywhere a workflow uses the action, and the release script and workflow do
 * what the README's Contributing section says (the script run for real in a scratch repository).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { ROOT } from './support/action.js'
import { REPOSITORY } from './support/repository.js'

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8')

interface ActionMetadata {
  name?: string
  description?: string
  author?: string
  branding?: { icon?: string; color?: string }
  runs?: { using?: string; main?: string }
}

/** The colours GitHub's metadata syntax allows for `branding.color`. */
const COLORS = ['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark']
/**
 * Feather icons that GitHub's metadata syntax lists for `branding.icon` (a few of them: add the
 * one you choose from that list when changing the icon).
 */
const ICONS = ['play-circle', 'play', 'activity', 'bar-chart', 'book-open', 'check-circle', 'cpu']

/** The Marketplace's rules for an action's metadata, as the release form checks them. */
export function marketplaceProblems(action: ActionMetadata): string[] {
  const problems: string[] = []
  const description = action.description ?? ''
  if (action.name == null || action.name.trim() === '') problems.push('name is missing')
  if (description.trim() === '') problems.push('description is missing')
  if (description.length >= 125)
    problems.push(`description is ${description.length} characters (fewer than 125)`)
  if (/\n/.test(description.trim())) problems.push('description is more than one line')
  if (!COLORS.includes(action.branding?.color ?? ''))
    problems.push(`branding.color ${action.branding?.color} is not one of ${COLORS.join(', ')}`)
  if (!ICONS.includes(action.branding?.icon ?? ''))
    problems.push(`branding.icon ${action.branding?.icon} is not a listed Feather icon`)
  if (action.runs?.using !== 'node24') problems.push('runs.using is not node24')
  return problems
}

describe('action.yml and the Marketplace', () => {
  it('keeps every rule', () => {
    expect(marketplaceProblems(parse(read('action.yml')) as ActionMetadata)).toEqual([])
  })

  it('would catch a description too long, a colour or icon not allowed', () => {
    const action = parse(read('action.yml')) as ActionMetadata
    expect(
      marketplaceProblems({
        ...action,
        description: 'x'.repeat(125),
        branding: { icon: 'datalore', color: 'pink' }
      })
    ).toEqual([
      'description is 125 characters (fewer than 125)',
      expect.stringMatching(/^branding\.color pink/),
      expect.stringMatching(/^branding\.icon datalore/)
    ])
  })
})

/** Every `uses: <owner>/<repo>@<ref>` of this action in a text (by the name "datalore"). */
function usesOfThisAction(text: string): Array<{ repo: string; ref: string }> {
  return [...text.matchAll(/uses:\s*([\w.-]+\/[\w.-]+)@(\S+)/g)]
    .map(m => ({ repo: m[1] ?? '', ref: m[2] ?? '' }))
    .filter(use => /datalore/i.test(use.repo))
}

describe("the repository's name", () => {
  const name = REPOSITORY
  const places: Array<[string, string]> = [
    ['README.md', read('README.md')],
    ...readdirSync(join(ROOT, 'examples')).map((file): [string, string] => [
      `examples/${file}`,
      read(`examples/${file}`)
    ])
  ]

  it.each(places)('is the one in package.json in every uses: of %s', (_path, text) => {
    const uses = usesOfThisAction(text)
    expect(uses.length).toBeGreaterThan(0)
    expect(uses.filter(use => use.repo !== name)).toEqual([])
  })

  it('is used @v1 in the README, and pinned to a full commit SHA', () => {
    const readme = usesOfThisAction(read('README.md'))
    expect(readme.filter(u => u.ref === 'v1').length).toBeGreaterThan(3)
    // Pinned: a real SHA once released, or the README's placeholder for one.
    expect(read('README.md')).toMatch(
      new RegExp(`uses: ${name}@([0-9a-f]{40}|<40-character commit SHA>) # v\\d+\\.\\d+\\.\\d+`)
    )
  })

  it('is written nowhere else: action.yml and SECURITY.md name no repository', () => {
    for (const path of ['action.yml', 'SECURITY.md']) {
      expect({ path, names: read(path).match(/[\w.-]+\/[\w.-]*datalore[\w.-]*/gi) }).toEqual({
        path,
        names: null
      })
    }
  })

  it('would catch a drift', () => {
    const drifted = usesOfThisAction('- uses: someone/datalore-run@v1')
    expect(drifted).toEqual([{ repo: 'someone/datalore-run', ref: 'v1' }])
    expect(drifted.filter(use => use.repo !== name)).toHaveLength(1)
  })
})

/** Runs scripts/release.js in `cwd`. */
function release(cwd: string, ...args: string[]): { code: number | null; out: string } {
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'release.js'), ...args], {
    cwd,
    encoding: 'utf8'
  })
  return { code: result.status, out: `${result.stdout}${result.stderr}` }
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim()
}

/** A scratch repository with a package at `version` and an Unreleased section. */
function scratchRepository(version: string, unreleased = '### Added\n\n- Something new.'): string {
  const dir = mkdtempSync(join(tmpdir(), 'release-'))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x', version }, null, 2))
  writeFileSync(
    join(dir, 'package-lock.json'),
    JSON.stringify({ name: 'x', version, packages: { '': { name: 'x', version } } }, null, 2)
  )
  writeFileSync(
    join(dir, 'CHANGELOG.md'),
    `# Changelog\n\n## Unreleased\n\n${unreleased}\n\n## 0.9.0 - 2026-01-02\n\n- Old.\n`
  )
  git(dir, 'init', '-q')
  git(dir, 'config', 'user.email', 'test@example.com')
  git(dir, 'config', 'user.name', 'Test')
  git(dir, 'add', '.')
  git(dir, 'commit', '-qm', 'start')
  return dir
}

describe('npm run release', () => {
  it('bumps the version, dates the CHANGELOG section, commits and tags', () => {
    const dir = scratchRepository('0.9.0')
    const result = release(dir, '1.2.3', '--date', '2026-11-26')
    expect(result).toEqual({ code: 0, out: expect.stringContaining('Tagged v1.2.3') })
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version).toBe('1.2.3')
    const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'))
    expect([lock.version, lock.packages[''].version]).toEqual(['1.2.3', '1.2.3'])
    expect(readFileSync(join(dir, 'CHANGELOG.md'), 'utf8')).toBe(
      '# Changelog\n\n## Unreleased\n\n## 1.2.3 - 2026-11-26\n\n### Added\n\n- Something new.\n\n## 0.9.0 - 2026-01-02\n\n- Old.\n'
    )
    expect(git(dir, 'log', '-1', '--format=%s')).toBe('Release 1.2.3')
    expect(git(dir, 'describe', '--tags')).toBe('v1.2.3')
    expect(git(dir, 'status', '--porcelain')).toBe('')

    // What the release workflow checks before publishing, and the notes it publishes.
    expect(release(dir, '--check', 'v1.2.3')).toEqual({
      code: 0,
      out: 'v1.2.3: package.json, package-lock.json and CHANGELOG.md agree\n'
    })
    expect(release(dir, '--check', 'v1.2.4')).toEqual({
      code: 1,
      out: 'release: v1.2.4 is not the version in package.json (1.2.3)\n'
    })
    expect(release(dir, '--notes', 'v1.2.3')).toEqual({
      code: 0,
      out: '### Added\n\n- Something new.\n'
    })
  })

  it('refuses what would make a bad release', () => {
    const dir = scratchRepository('1.0.0')
    expect(release(dir, '0.9.9').out).toBe('release: 0.9.9 is not newer than 1.0.0\n')
    expect(release(dir, '1.0')).toMatchObject({ code: 1 })
    // A typo in an option, a missing value or a second version: refused, nothing changed.
    expect(release(dir, '1.1.0', '--no-tags')).toMatchObject({
      code: 1,
      out: expect.stringMatching(/^release: Unknown option '--no-tags'/)
    })
    expect(release(dir, '1.1.0', '--date')).toMatchObject({ code: 1 })
    expect(release(dir, '1.1.0', '1.2.0')).toMatchObject({ code: 1 })
    expect(git(dir, 'status', '--porcelain')).toBe('')
    writeFileSync(join(dir, 'stray.txt'), 'x')
    expect(release(dir, '1.1.0').out).toMatch(/uncommitted changes/)
    const empty = scratchRepository('1.0.0', '')
    expect(release(empty, '1.1.0').out).toMatch(/nothing under "## Unreleased"/)
    expect(release(empty, '--check', 'v1.0.0').out).toMatch(/no section "## 1\.0\.0 - <date>"/)
  })

  it('prepares without committing with --no-commit', () => {
    const dir = scratchRepository('0.9.0')
    expect(release(dir, '1.0.0', '--no-commit', '--date', '2026-11-26').code).toBe(0)
    expect(git(dir, 'log', '-1', '--format=%s')).toBe('start')
    expect(git(dir, 'tag')).toBe('')
  })
})

describe('this repository', () => {
  it('has its version prepared: package.json, the lock file and a dated CHANGELOG section agree', () => {
    const pkg = JSON.parse(read('package.json')) as { version: string }
    expect(release(ROOT, '--check', `v${pkg.version}`).code).toBe(0)
  })
})

describe('the release workflow', () => {
  interface Job {
    uses?: string
    needs?: string[]
    permissions?: Record<string, string>
    steps?: Array<{ run?: string; uses?: string }>
  }
  interface Workflow {
    on: Record<string, unknown>
    permissions: Record<string, string>
    jobs: Record<string, Job>
  }
  const workflow = parse(read('.github/workflows/release.yml')) as Workflow
  const ci = parse(read('.github/workflows/ci.yml')) as Workflow
  const runs = (job: Job | undefined): string =>
    (job?.steps ?? []).map(step => step.run ?? step.uses ?? '').join('\n')

  it('runs on a version tag, and checks everything before it publishes', () => {
    expect(workflow.on).toEqual({ push: { tags: ['v[0-9]+.[0-9]+.[0-9]+'] } })
    expect(workflow.permissions).toEqual({ contents: 'read' })
    const { ci: checks, version, release: publish } = workflow.jobs
    // CI itself, called on the tag: the install, the tests and dist/ rebuilt and compared.
    expect(checks?.uses).toBe('./.github/workflows/ci.yml')
    expect(ci.on).toHaveProperty('workflow_call')
    expect(runs(ci.jobs.test)).toMatch(
      /npm ci[\s\S]*npm test[\s\S]*npm run build\ngit diff --exit-code -- dist\//
    )
    expect(runs(version)).toMatch(/release\.js --check "\$GITHUB_REF_NAME"/)
    // Publishing needs both, and only it may write.
    expect(publish?.needs).toEqual(['ci', 'version'])
    expect(publish?.permissions).toEqual({ contents: 'write' })
    expect(runs(publish)).toMatch(
      /release\.js --notes[\s\S]*gh release create "\$GITHUB_REF_NAME" --verify-tag[\s\S]*--sort=-v:refname[\s\S]*git push --force origin "refs\/tags\/\$major"/
    )
  })

  it('moves the major tag only to the newest release of that major (run for real, pushing to a scratch origin)', () => {
    const step = workflow.jobs.release?.steps?.find(st => st.run?.includes('--sort=-v:refname'))
    const script = step?.run ?? ''
    expect(script).not.toBe('')
    const dir = scratchRepository('1.0.0')
    const origin = mkdtempSync(join(tmpdir(), 'origin-'))
    git(origin, 'init', '-q', '--bare')
    git(dir, 'remote', 'add', 'origin', origin)
    const commits: Record<string, string> = {}
    for (const version of ['v1.5.0', 'v1.4.1']) {
      git(dir, 'commit', '-q', '--allow-empty', '-m', version)
      git(dir, 'tag', version)
      commits[version] = git(dir, 'rev-parse', 'HEAD')
    }
    const moveFor = (tag: string): string =>
      execFileSync('bash', ['-e', '-c', script], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, GITHUB_REF_NAME: tag, GITHUB_SHA: commits[tag] }
      })
    // A fix of an older line: v1 stays where it is.
    expect(moveFor('v1.4.1')).toContain('::notice::v1 stays: v1.5.0 is newer than v1.4.1')
    expect(git(origin, 'tag', '--list', 'v1')).toBe('')
    moveFor('v1.5.0')
    expect(git(origin, 'rev-parse', 'v1')).toBe(commits['v1.5.0'])
  })
})
