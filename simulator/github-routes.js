// @ts-check
/**
 * The routes of the fake GitHub REST API (./github-api.js): GitHub's own operation names (the
 * OpenAPI description's operationId), the paths they answer under a repository, the permission
 * each read route needs, and the page of docs.github.com that GitHub's error documents link.
 *
 * Plain JavaScript with no dependencies, so that `npm run demo` works before `npm ci`.
 */

/**
 * @typedef {'repos/get' | 'actions/list-workflow-runs-for-repo' | 'actions/list-workflow-runs' |
 *   'actions/get-workflow-run' | 'actions/list-workflow-run-artifacts' | 'actions/get-artifact' |
 *   'actions/download-artifact' | 'issues/list-comments' | 'issues/get-comment' |
 *   'issues/create-comment' | 'issues/update-comment' | 'users/get-authenticated' | 'unknown'} Route
 */

export const DOCS = 'https://docs.github.com/rest'

/**
 * The routes under /repos/{owner}/{repo} (or /repositories/{id}), by the rest of the path.
 * @type {Array<['GET' | 'POST' | 'PATCH', RegExp, Route]>}
 */
export const REPOSITORY_ROUTES = [
  ['GET', /^$/, 'repos/get'],
  ['GET', /^\/actions\/runs$/, 'actions/list-workflow-runs-for-repo'],
  ['GET', /^\/actions\/workflows\/([^/]+)\/runs$/, 'actions/list-workflow-runs'],
  ['GET', /^\/actions\/runs\/(\d+)$/, 'actions/get-workflow-run'],
  ['GET', /^\/actions\/runs\/(\d+)\/artifacts$/, 'actions/list-workflow-run-artifacts'],
  ['GET', /^\/actions\/artifacts\/(\d+)$/, 'actions/get-artifact'],
  ['GET', /^\/actions\/artifacts\/(\d+)\/([^/]+)$/, 'actions/download-artifact'],
  ['GET', /^\/issues\/(\d+)\/comments$/, 'issues/list-comments'],
  ['POST', /^\/issues\/(\d+)\/comments$/, 'issues/create-comment'],
  ['GET', /^\/issues\/comments\/(\d+)$/, 'issues/get-comment'],
  ['PATCH', /^\/issues\/comments\/(\d+)$/, 'issues/update-comment']
]

/**
 * The permission the repository's read routes need of a token of the fine-grained model (the
 * comment routes decide theirs by the kind of issue: see github-api.js `commentAccess`).
 * @type {Partial<Record<Route, 'metadata' | 'actions'>>}
 */
export const ROUTE_SCOPES = {
  'repos/get': 'metadata',
  'actions/list-workflow-runs-for-repo': 'actions',
  'actions/list-workflow-runs': 'actions',
  'actions/get-workflow-run': 'actions',
  'actions/list-workflow-run-artifacts': 'actions',
  'actions/get-artifact': 'actions',
  'actions/download-artifact': 'actions'
}

/** @type {Partial<Record<Route, string>>} */
const REFERENCE_PAGES = {
  'repos/get': 'repos/repos#get-a-repository',
  'actions/list-workflow-runs-for-repo':
    'actions/workflow-runs#list-workflow-runs-for-a-repository',
  'actions/list-workflow-runs': 'actions/workflow-runs#list-workflow-runs-for-a-workflow',
  'actions/get-workflow-run': 'actions/workflow-runs#get-a-workflow-run',
  'actions/list-workflow-run-artifacts': 'actions/artifacts#list-workflow-run-artifacts',
  'actions/get-artifact': 'actions/artifacts#get-an-artifact',
  'actions/download-artifact': 'actions/artifacts#download-an-artifact',
  'issues/list-comments': 'issues/comments#list-issue-comments',
  'issues/get-comment': 'issues/comments#get-an-issue-comment',
  'issues/create-comment': 'issues/comments#create-an-issue-comment',
  'issues/update-comment': 'issues/comments#update-an-issue-comment',
  'users/get-authenticated': 'users/users#get-the-authenticated-user'
}

/** The reference page of a route, as GitHub's error documents link it. */
/** @param {Route} route */
export function documentationUrl(route) {
  const page = REFERENCE_PAGES[route]
  return page ? `${DOCS}/${page}` : DOCS
}
