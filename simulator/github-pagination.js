// @ts-check
/**
 * Pagination as GitHub's REST API does it, for the fake in ./github-api.js: `per_page` (default
 * 30, at most 100) and `page` (from 1) in the query, and a `Link` header whose relations come in
 * the order GitHub writes them (prev, next, last, first), each an absolute URL with the request's
 * own query and `page` put last. Links name the repository by its id
 * (`/repositories/1300192/issues?page=2`), as GitHub's do: a client must follow them as given,
 * not rebuild them from the owner and name. One page, or none, and there is no `Link` at all.
 * See docs.github.com "Using pagination in the REST API".
 *
 * Plain JavaScript with no dependencies, so that `npm run demo` works before `npm ci`.
 */
import { URLSearchParams } from 'node:url'

export const DEFAULT_PER_PAGE = 30
export const MAX_PER_PAGE = 100

/**
 * `per_page` and `page` of a request. What GitHub does with a value that is not a positive
 * integer is not documented: here it is the default (30, page 1); more than 100 is 100.
 * @param {URLSearchParams} query
 * @returns {{perPage: number, page: number}}
 */
export function pageParams(query) {
  const perPage = positiveInteger(query.get('per_page')) ?? DEFAULT_PER_PAGE
  return {
    perPage: Math.min(perPage, MAX_PER_PAGE),
    page: positiveInteger(query.get('page')) ?? 1
  }
}

/**
 * The items of one page, and the number of the last page (0 when there are no items).
 * @template T
 * @param {readonly T[]} items  all of them, in the order they are served
 * @param {{perPage: number, page: number}} params
 * @returns {{items: T[], lastPage: number}}
 */
export function pageOf(items, { perPage, page }) {
  const start = (page - 1) * perPage
  return { items: items.slice(start, start + perPage), lastPage: Math.ceil(items.length / perPage) }
}

/**
 * The `Link` header of a page, or undefined when there is nothing to link to.
 * @param {string} base  the absolute URL without a query, e.g.
 *   http://127.0.0.1:40123/repositories/42/actions/runs
 * @param {URLSearchParams} query  the request's query
 * @param {number} page
 * @param {number} lastPage
 */
export function linkHeader(base, query, page, lastPage) {
  /** @param {number} n */
  const url = n => {
    const params = new URLSearchParams(query)
    params.delete('page')
    params.append('page', String(n))
    return `${base}?${params}`
  }
  /** @type {string[]} */
  const links = []
  if (page > 1) links.push(`<${url(page - 1)}>; rel="prev"`)
  if (page < lastPage)
    links.push(`<${url(page + 1)}>; rel="next"`, `<${url(lastPage)}>; rel="last"`)
  if (page > 1) links.push(`<${url(1)}>; rel="first"`)
  return links.length > 0 ? links.join(', ') : undefined
}

/** @param {string | null} text */
function positiveInteger(text) {
  if (text == null || !/^\d+$/.test(text)) return undefined
  const value = Number(text)
  return value >= 1 ? value : undefined
}
