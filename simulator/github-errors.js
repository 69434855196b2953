// @ts-check
/**
 * GitHub's error answers, for the fake REST API (./github-api.js) and for tests that script them
 * as faults: the error document ({message, documentation_url, status}), the messages GitHub
 * writes, and faults shaped as GitHub's rate limits and permission refusals.
 *
 * Plain JavaScript with no dependencies, so that `npm run demo` works before `npm ci`.
 */
import { randomUUID } from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import { DOCS, documentationUrl } from './github-routes.js'

/** @typedef {import('./github-routes.js').Route} Route */

/** A token of the fine-grained model without the permission (GET /user with GITHUB_TOKEN too). */
export const NOT_ACCESSIBLE_BY_INTEGRATION = 'Resource not accessible by integration'
export const NOT_ACCESSIBLE_BY_PAT = 'Resource not accessible by personal access token'
export const COMMENT_TOO_LONG = 'Body is too long (maximum is 65536 characters)'
export const ARTIFACT_EXPIRED = 'Artifact has expired'
export const SECONDARY_RATE_LIMIT_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID'
/**
 * What a person without write access gets for editing another's comment: GitHub's message for
 * this case was not found, so this one is a choice.
 */
export const CANNOT_EDIT_OTHERS_COMMENT = 'Must have admin rights to Repository.'
/** GitHub's answer to a request without a User-Agent: plain text, not JSON. */
export const USER_AGENT_REQUIRED =
  'Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). Check https://developer.github.com for other possible causes.\n'

/**
 * GitHub's error document: {message, documentation_url, status} (status as a string). A 401 or
 * 404 links the REST API's front page, others the route's reference page.
 * @param {number} status @param {Route} route @param {string} [message]
 */
export function errorDocument(status, route, message) {
  return {
    message: message ?? (status === 404 ? 'Not Found' : (STATUS_CODES[status] ?? 'Error')),
    documentation_url: status === 401 || status === 404 ? DOCS : documentationUrl(route),
    status: String(status)
  }
}

/** The 422 of a comment body past the limit. */
/** @param {Route} route */
export function commentTooLongDocument(route) {
  return {
    message: 'Validation Failed',
    errors: [
      { resource: 'IssueComment', code: 'unprocessable', field: 'data', message: COMMENT_TOO_LONG }
    ],
    documentation_url: documentationUrl(route),
    status: '422'
  }
}

/** Shaped like GitHub's x-github-request-id (e.g. C2D4:1A2B3C:4D5E6F:7A8B9C). */
export function requestId() {
  return randomUUID().toUpperCase().slice(0, 23).replace(/-/g, ':')
}

/**
 * @typedef {object} ScriptedAnswer  a fault as github-api.js takes it (`GitHubApi.fault`)
 * @property {Route | 'any'} on
 * @property {number} status
 * @property {Record<string, string>} [headers]
 * @property {string} [message]
 * @property {unknown} [body]
 * @property {number} [times]
 */

/**
 * 403 for a token without a permission, naming it as GitHub does.
 * @param {Route | 'any'} on @param {string} permissions  e.g. 'actions=read'
 * @param {{times?: number}} [more]
 * @returns {ScriptedAnswer}
 */
export function missingPermission(on, permissions, more = {}) {
  return {
    on,
    status: 403,
    message: NOT_ACCESSIBLE_BY_INTEGRATION,
    headers: { 'x-accepted-github-permissions': permissions },
    ...more
  }
}

/**
 * A secondary rate limit: 403 (or 429) with retry-after and GitHub's message.
 * @param {Route | 'any'} on @param {{retryAfter?: number, status?: 403 | 429, times?: number}} [more]
 * @returns {ScriptedAnswer}
 */
export function secondaryRateLimit(on, { retryAfter = 60, status = 403, ...more } = {}) {
  return {
    on,
    status,
    body: {
      message: `${SECONDARY_RATE_LIMIT_MESSAGE} ${requestId()}.`,
      documentation_url:
        'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      status: String(status)
    },
    headers: { 'retry-after': String(retryAfter) },
    ...more
  }
}

/**
 * 429 Too Many Requests with retry-after.
 * @param {Route | 'any'} on @param {{retryAfter?: number, times?: number}} [more]
 * @returns {ScriptedAnswer}
 */
export function tooManyRequests(on, { retryAfter = 60, ...more } = {}) {
  return { on, status: 429, headers: { 'retry-after': String(retryAfter) }, ...more }
}
