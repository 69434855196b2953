// @ts-check
/**
 * The tokens of the fake GitHub REST API (./github-api.js) and what each may do, as GitHub
 * decides it:
 * - a job token (GITHUB_TOKEN, an installation token, `ghs_...`) has a permission per scope:
 *   GitHub's "permissive" default is write on every scope; a workflow's `permissions:` leaves the
 *   scopes it does not name at none (metadata stays read); a fork's pull request and Dependabot
 *   get every scope at most read;
 * - a personal token acts as its person: classic (`ghp_...`, no permissions of its own: the
 *   person's role decides) or fine-grained (`github_pat_...`, permissions like a job token's).
 *
 * Plain JavaScript with no dependencies, so that `npm run demo` works before `npm ci`.
 */
import { randomBytes } from 'node:crypto'

/**
 * @typedef {import('./github-documents.js').Account} Account
 *
 * @typedef {'none' | 'read' | 'write'} Access
 * @typedef {{actions?: Access, contents?: Access, issues?: Access, pull_requests?: Access,
 *   metadata?: Access}} Permissions
 *
 * @typedef {object} TokenSpec
 * @property {'job' | 'personal'} kind  job: an installation token (GITHUB_TOKEN); personal: a
 *   person's token
 * @property {string} [token]  default: a new one, shaped like GitHub's (ghs_, ghp_, github_pat_)
 * @property {string} [login]  personal: the person (default 'octocat')
 * @property {'read' | 'write' | 'admin'} [role]  personal: the person's role on the repository
 *   (default 'write')
 * @property {Permissions} [permissions]  job: its permissions (default: every scope write);
 *   personal: makes it a fine-grained token with these
 * @property {boolean} [readOnly]  every scope at most read (a fork's pull request, Dependabot)
 * @property {number} [rateLimit]  requests an hour (default 1,000 for a job token, 5,000 for a person)
 * @property {number} [runId]  job: the run it belongs to
 *
 * @typedef {object} TokenRecord
 * @property {string} token
 * @property {'job' | 'personal'} kind
 * @property {Account} account  whom it acts as
 * @property {'read' | 'write' | 'admin'} role
 * @property {Permissions | undefined} permissions  undefined: a classic personal token
 * @property {boolean} readOnly
 * @property {number | undefined} runId
 */

/**
 * A token's record.
 * @param {TokenSpec} spec @param {Account} account  whom it acts as (github-actions[bot] for a job token)
 * @returns {TokenRecord}
 */
export function tokenRecord(spec, account) {
  const fineGrained = spec.kind === 'personal' && spec.permissions != null
  return {
    token:
      spec.token ??
      (spec.kind === 'job'
        ? `ghs_${randomToken(36)}`
        : fineGrained
          ? `github_pat_${randomToken(82)}`
          : `ghp_${randomToken(36)}`),
    kind: spec.kind,
    account,
    role: spec.kind === 'job' ? 'write' : (spec.role ?? 'write'),
    permissions:
      spec.kind === 'job' ? (spec.permissions ?? allPermissions('write')) : spec.permissions,
    readOnly: spec.readOnly ?? false,
    runId: spec.runId
  }
}

/**
 * Whether a token grants `access` to `scope`. A classic personal token has no permissions of its
 * own: its person's role decides, where it matters (github-api.js `updateComment`).
 * @param {TokenRecord} token @param {keyof Permissions} scope @param {'read' | 'write'} access
 */
export function grants(token, scope, access) {
  if (token.permissions == null) return true
  const rank = { none: 0, read: 1, write: 2 }
  let level = rank[token.permissions[scope] ?? 'none']
  if (scope === 'metadata') level = Math.max(level, rank.read)
  if (token.readOnly) level = Math.min(level, rank.read)
  return level >= rank[access]
}

/**
 * The token of an Authorization header (`token X` or `Bearer X`, as GitHub takes them); anything
 * else (Basic, a bare token) is returned whole, a token GitHub does not know.
 * @param {string | undefined} header
 */
export function credentialOf(header) {
  if (header == null || header.trim() === '') return undefined
  const match = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header)
  return match?.[1] ?? header
}

/** @param {Access} access @returns {Permissions} */
function allPermissions(access) {
  return {
    actions: access,
    contents: access,
    issues: access,
    pull_requests: access,
    metadata: 'read'
  }
}

/** @param {number} length */
function randomToken(length) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
  return [...randomBytes(length)].map(byte => alphabet[byte % alphabet.length]).join('')
}
