/**
 * Fetches a run's artifacts to disk: streamed (never a whole file in memory), several at a
 * time, checked against Content-Length, retried from scratch when cut short. The token goes
 * to the Datalore origin only: an artifact stored elsewhere (an absolute URL, or a redirect to
 * object storage with a signed URL) is fetched without it.
 *
 * Inside `artifacts-path` the action touches only what it made: files arrive in a staging
 * folder it creates fresh (never one that was there, nor a symlink), are created exclusively
 * (never through a link planted under their name), and are moved in without replacing
 * anything; only the staging folder is deleted.
 */
import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { link, lstat, mkdtemp, rename, rm, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { after, type Clock } from '../clock.js'
import type { Artifact } from '../datalore.js'
import {
  errorMessage,
  HttpStatusError,
  NetworkError,
  ProtocolError,
  TimeoutError
} from '../errors.js'
import { discard, HttpResponse, HttpTransport, toNetworkError, withoutQuery } from '../http.js'
import { quote } from '../log.js'
import { isRetryable, parseRetryAfter, retrying } from '../retry.js'
import { DiskFullError, DiskGuard } from './disk.js'
import { streamed } from './garbage.js'

export interface DownloadedArtifact {
  /** The name as Datalore gave it. */
  name: string
  /** The file name it was written as, inside the artifacts folder. */
  file: string
  size: number
  sha256: string
}

export interface FailedArtifact {
  name: string
  error: string
}

export interface DownloadOptions {
  /** What the run listed, with the safe file name for each. */
  artifacts: ReadonlyArray<Artifact & { file: string }>
  dir: string
  /** Datalore's base URL: the only origin that gets the token. */
  host: string
  token: string
  transport: HttpTransport
  clock: Clock
  /** No new attempt starts after this (monotonic) time. */
  deadline: number
  retryCapMs: number
  signal?: AbortSignal
  concurrency?: number
  onRetry?: (artifact: Artifact, error: unknown, attempt: number, delayMs: number) => void
}

const ATTEMPTS = 5
// Eight at a time: many small artifacts are bound by latency, not bandwidth (see BENCHMARKS.md).
const CONCURRENCY = 8
const MAX_REDIRECTS = 5
/** A body that sends nothing for this long is given up (and retried). */
const IDLE_TIMEOUT_MS = 60_000
const CONNECT_TIMEOUT_MS = 60_000
/** Unfinished downloads live in a fresh folder named so, so a half file never sits beside the finished ones. */
const PARTIAL_PREFIX = '.datalore-partial-'

interface DownloadContext extends DownloadOptions {
  partialDir: string
  disk: DiskGuard
}

export async function downloadArtifacts(
  options: DownloadOptions
): Promise<{ downloaded: DownloadedArtifact[]; failed: FailedArtifact[] }> {
  const partialDir = await mkdtemp(join(options.dir, PARTIAL_PREFIX))
  const results = new Array<DownloadedArtifact | FailedArtifact>(options.artifacts.length)
  // Downloads in flight stop at the deadline too, not only new attempts.
  const timeUp = new AbortController()
  const timer = after(options.deadline - options.clock.now(), () =>
    timeUp.abort(new TimeoutError('`timeout-minutes` ran out before the download finished'))
  )
  const signal = options.signal ? AbortSignal.any([options.signal, timeUp.signal]) : timeUp.signal
  const settings: DownloadContext = {
    ...options,
    signal,
    partialDir,
    disk: new DiskGuard(options.dir)
  }
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < options.artifacts.length) {
      const index = next++
      const artifact = options.artifacts[index]
      if (artifact == null) continue
      try {
        results[index] = await retrying(() => downloadOne(artifact, settings), {
          shouldRetry: isRetryable,
          maxAttempts: ATTEMPTS,
          capMs: options.retryCapMs,
          deadline: options.deadline,
          clock: options.clock,
          signal,
          onRetry: (error, attempt, delayMs) => options.onRetry?.(artifact, error, attempt, delayMs)
        })
      } catch (error) {
        // Cancelled too: whatever did not arrive is named, so nothing is silently missing.
        results[index] = { name: artifact.name, error: errorMessage(error) }
      }
    }
  }
  try {
    await Promise.all(Array.from({ length: options.concurrency ?? CONCURRENCY }, worker))
  } finally {
    timer.cancel()
    await rm(partialDir, { recursive: true, force: true })
  }
  return {
    downloaded: results.filter((r): r is DownloadedArtifact => 'sha256' in r),
    failed: results.filter((r): r is FailedArtifact => 'error' in r)
  }
}

/** A path longer than this is no path Datalore would list. */
const MAX_PATH_LENGTH = 4_096

/**
 * `GET <host><path>`, the path percent-encoded per segment; an absolute URL is taken as is.
 * The path comes from the server: one that climbs with "." or ".." segments (which URLs
 * resolve, also percent-encoded) or is absurdly long is refused.
 */
export function artifactUrl(host: string, path: string): string {
  const refuse = (why: string): never => {
    throw new ProtocolError(
      `Datalore listed it at ${quote(path)}, which the action will not request: ${why}`
    )
  }
  if (path.length > MAX_PATH_LENGTH) refuse(`longer than ${MAX_PATH_LENGTH} characters`)
  if (/^https?:\/\//i.test(path)) {
    if (!URL.canParse(path)) refuse('not a valid URL')
    return path
  }
  if (path.split(/[/\\]/).some(segment => /^(\.|%2e){1,2}$/i.test(segment))) {
    refuse('it has "." or ".." segments')
  }
  const encoded = path
    .split('/')
    .map(segment => encodeURIComponent(segment))
    .join('/')
  return `${host}${encoded.startsWith('/') ? '' : '/'}${encoded}`
}

async function downloadOne(
  artifact: Artifact & { file: string },
  options: DownloadContext
): Promise<DownloadedArtifact> {
  const response = await fetchFollowingRedirects(artifactUrl(options.host, artifact.path), options)
  if (response.status !== 200) {
    discard(response)
    throw new HttpStatusError(
      `${withoutQuery(response.url)} answered ${response.status}`,
      response.status,
      parseRetryAfter(response.headers['retry-after'], Date.now())
    )
  }
  const declared = response.headers['content-length']
  const expected = declared == null ? undefined : Number(declared)
  try {
    await options.disk.beforeDownload(expected)
  } catch (error) {
    discard(response)
    throw error
  }
  const partial = join(options.partialDir, artifact.file)
  const hash = createHash('sha256')
  let size = 0
  const stall = (): void => {
    response.body.destroy(
      new NetworkError(
        `no data from ${new URL(response.url).host} for ${IDLE_TIMEOUT_MS / 1000} s`,
        'ETIMEDOUT',
        true
      )
    )
  }
  const idle = setTimeout(stall, IDLE_TIMEOUT_MS)
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      idle.refresh()
      size += chunk.length
      hash.update(chunk)
      streamed(chunk.length)
      options.disk.streamed(chunk.length).then(
        () => done(null, chunk),
        (error: unknown) => done(error as Error)
      )
    }
  })
  try {
    // `wx`: created here and now, never opened through whatever else carries its name.
    await pipeline(response.body, measure, createWriteStream(partial, { flags: 'wx' }), {
      signal: options.signal
    })
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason
    if (error instanceof NetworkError || error instanceof DiskFullError) throw error
    throw toNetworkError(error, response.url)
  } finally {
    clearTimeout(idle)
  }
  if (!response.body.complete || (expected != null && size !== expected)) {
    throw new NetworkError(
      `the download ended after ${size} of ${expected ?? 'an unknown number of'} bytes`,
      'ESHORT',
      true
    )
  }
  await moveIn(partial, join(options.dir, artifact.file))
  return { name: artifact.name, file: artifact.file, size, sha256: hash.digest('hex') }
}

/**
 * Moves a finished file into place without replacing anything: a hard link fails when the name
 * is taken (by a file, a folder or a symlink that appeared meanwhile). Where links are not
 * supported, the name is checked just before a rename.
 */
async function moveIn(from: string, to: string): Promise<void> {
  const taken = (): ProtocolError =>
    new ProtocolError(`${quote(to)} appeared while it was downloading; it was left as it is`)
  const linked = await link(from, to).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') throw taken()
      return false
    }
  )
  if (linked) return unlink(from)
  const exists = await lstat(to).then(
    () => true,
    () => false
  )
  if (exists) throw taken()
  await rename(from, to)
}

/**
 * Follows redirects by hand: the token is sent only while the URL is on Datalore's origin,
 * never over a downgrade from https to http, and a loop ends with an error instead of a hang.
 */
async function fetchFollowingRedirects(
  start: string,
  options: DownloadContext
): Promise<HttpResponse> {
  const trusted = new URL(options.host)
  const visited = new Set<string>()
  let url = start
  for (let hop = 0; ; hop++) {
    const target = new URL(url)
    if (trusted.protocol === 'https:' && target.protocol !== 'https:') {
      throw new ProtocolError(
        `refusing to download ${withoutQuery(url)} over ${target.protocol}// when Datalore is on https://`
      )
    }
    visited.add(url)
    const onDatalore = target.origin === trusted.origin
    const response = await options.transport.send({
      method: 'GET',
      url,
      headers: {
        ...(onDatalore ? { authorization: `Bearer ${options.token}` } : {}),
        // The bytes as stored: a compressed transfer would not match Content-Length or sha256.
        'accept-encoding': 'identity'
      },
      timeoutMs: CONNECT_TIMEOUT_MS,
      signal: options.signal
    })
    const location = response.headers.location
    if (response.status < 300 || response.status >= 400 || location == null) return response
    discard(response)
    const nextUrl = new URL(location, url).toString()
    if (visited.has(nextUrl) || hop + 1 >= MAX_REDIRECTS) {
      throw new ProtocolError(
        visited.has(nextUrl)
          ? `the download redirects in a loop (${[...visited, nextUrl].map(withoutQuery).join(' -> ')})`
          : `the download was redirected more than ${MAX_REDIRECTS} times`
      )
    }
    url = nextUrl
  }
}
