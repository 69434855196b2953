/**
 * Fetches a run's artifacts to disk: streamed (never a whole file in memory), several at a
 * time, checked against Content-Length, retried from scratch when cut short. Where each body
 * comes from (and who gets the token) is the Datalore client's business: this only streams,
 * verifies and pools.
 *
 * Inside `artifacts-path` the action touches only what it made: files arrive in a staging
 * folder it creates fresh (never one that was there, nor a symlink), are created exclusively
 * (never through a link planted under their name), and are moved in without replacing
 * anything; only the staging folder is deleted, on every way out. Each attempt writes to a
 * name of its own there, and a failed attempt's file is removed (unlinked, never followed)
 * before the next: a retry never meets what an earlier attempt left.
 */
import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { link, lstat, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { after, type Clock } from '../clock.js'
import type { Artifact } from '../datalore/api.js'
import { errorMessage, NetworkError, ProtocolError, TimeoutError } from '../errors.js'
import { discard, HttpResponse, toNetworkError } from '../http.js'
import { quote } from '../log.js'
import { isRetryable, retrying } from '../retry.js'
import { DiskFullError, DiskGuard } from './disk.js'
import { releaseStreamedBuffers } from './release-buffers.js'
import { inFreshFolder } from './temporary.js'
import type { Slots } from '../slots.js'

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
  /** Opens an artifact's body (DataloreClient.openArtifact): a 200 answer, or it throws. */
  open: (artifact: Artifact, signal?: AbortSignal) => Promise<HttpResponse>
  clock: Clock
  /** No new attempt starts after this (monotonic) time. */
  deadline: number
  retryCapMs: number
  signal?: AbortSignal
  concurrency?: number
  /** Shared by every run of the step, so that downloads stay bounded for the whole step. */
  slots?: Slots
  onRetry?: (artifact: Artifact, error: unknown, attempt: number, delayMs: number) => void
  /** A body that sends nothing for this long is given up (and retried). Default 60 s. */
  idleTimeoutMs?: number
}

const ATTEMPTS = 5
// Eight at a time: many small artifacts are bound by latency, not bandwidth (see BENCHMARKS.md).
const CONCURRENCY = 8
/** A body that sends nothing for this long is given up (and retried): not a limit on the whole body. */
const IDLE_TIMEOUT_MS = 60_000
/** Unfinished downloads live in a fresh folder named so, so a half file never sits beside the finished ones. */
const PARTIAL_PREFIX = '.datalore-partial-'

interface DownloadContext extends DownloadOptions {
  partialDir: string
  disk: DiskGuard
}

export interface Downloads {
  downloaded: DownloadedArtifact[]
  failed: FailedArtifact[]
}

export function downloadArtifacts(options: DownloadOptions): Promise<Downloads> {
  return inFreshFolder(options.dir, PARTIAL_PREFIX, partialDir => downloadAll(options, partialDir))
}

async function downloadAll(options: DownloadOptions, partialDir: string): Promise<Downloads> {
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
    // Once cancelled or out of time, no worker starts another: the rest are named below.
    while (next < options.artifacts.length && !signal.aborted) {
      const index = next++
      const artifact = options.artifacts[index]
      if (artifact == null) continue
      try {
        const attempt = (number: number): Promise<DownloadedArtifact> => {
          const once = (): Promise<DownloadedArtifact> =>
            downloadOne(artifact, `${index}.${number}`, settings)
          return options.slots == null ? once() : options.slots.use(once, signal)
        }
        results[index] = await retrying(attempt, {
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
  }
  // Whatever was never started is named too, so nothing is silently missing.
  const never = errorMessage(signal.reason)
  for (let index = next; index < options.artifacts.length; index++) {
    results[index] = { name: options.artifacts[index]?.name ?? '', error: never }
  }
  return {
    downloaded: results.filter((r): r is DownloadedArtifact => 'sha256' in r),
    failed: results.filter((r): r is FailedArtifact => 'error' in r)
  }
}

/** One attempt at one artifact, written to `staged` (a name of this attempt's own) in the staging folder. */
async function downloadOne(
  artifact: Artifact & { file: string },
  staged: string,
  options: DownloadContext
): Promise<DownloadedArtifact> {
  const response = await options.open(artifact, options.signal)
  const declared = response.headers['content-length']
  const expected = declared == null ? undefined : Number(declared)
  try {
    await options.disk.beforeDownload(expected)
  } catch (error) {
    discard(response)
    throw error
  }
  const partial = join(options.partialDir, staged)
  const hash = createHash('sha256')
  let size = 0
  const idleMs = options.idleTimeoutMs ?? IDLE_TIMEOUT_MS
  const stall = (): void => {
    response.body.destroy(
      new NetworkError(
        `no data from ${new URL(response.url).host} for ${idleMs / 1000} s`,
        'ETIMEDOUT',
        true
      )
    )
  }
  const idle = setTimeout(stall, idleMs)
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      idle.refresh()
      size += chunk.length
      hash.update(chunk)
      releaseStreamedBuffers(chunk.length)
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
    if (!response.body.complete || (expected != null && size !== expected)) {
      throw new NetworkError(
        `the download ended after ${size} of ${expected ?? 'an unknown number of'} bytes`,
        'ESHORT',
        true
      )
    }
  } catch (error) {
    // What this attempt wrote is of no use to the next one, nor to the disk's free space.
    await unlink(partial).catch(() => undefined)
    if (options.signal?.aborted) throw options.signal.reason
    if (error instanceof NetworkError || error instanceof DiskFullError) throw error
    throw toNetworkError(error, response.url)
  } finally {
    clearTimeout(idle)
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
