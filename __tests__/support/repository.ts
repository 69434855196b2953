/** `owner/repo`, from package.json's `repository`: the one place the repository's name is written. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './action.js'

function repositoryName(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    repository?: { url?: string }
  }
  const match = /github\.com\/([^/]+\/[^/.]+)(\.git)?$/.exec(pkg.repository?.url ?? '')
  if (match?.[1] == null) throw new Error('package.json has no GitHub repository URL')
  return match[1]
}

export const REPOSITORY = repositoryName()
