/**
 * The kinds of failure the action tells apart. Each one ends the step with a message for a
 * person: what failed, which input or server answer caused it, and what to do next.
 */

/** An input the workflow passed is unusable. Raised before any request is made. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    readonly problem: string,
    readonly example: string
  ) {
    super(`Input \`${input}\` ${problem}. For example: ${example}`)
    this.name = 'InputError'
  }
}

/** Datalore answered, but not in the documented shape: the action cannot trust the answer. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ProtocolError'
  }
}

/**
 * A status answer that is not JSON at all: cut or garbled on the way, or a page that answers
 * in Datalore's place. Once may pass; the wait loop decides how often to believe that.
 */
export class GarbledAnswerError extends ProtocolError {
  constructor(message: string) {
    super(message)
    this.name = 'GarbledAnswerError'
  }
}

/** Datalore answered with an HTTP error status. */
export class HttpStatusError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** How long the server asked us to wait (Retry-After), in milliseconds. */
    readonly retryAfterMs: number | undefined
  ) {
    super(message)
    this.name = 'HttpStatusError'
  }
}

/** The request did not complete: refused, reset, timed out, TLS failure, ... */
export class NetworkError extends Error {
  constructor(
    message: string,
    /** Node's error code (ECONNREFUSED, ECONNRESET, ...), or ETIMEDOUT for our own timeouts. */
    readonly code: string,
    /** False only when the request provably never reached the server (connection refused). */
    readonly mayHaveReachedServer: boolean,
    /** A TLS certificate problem will not fix itself by retrying. */
    readonly permanent = false
  ) {
    super(message)
    this.name = 'NetworkError'
  }
}

/** `timeout-minutes` passed before the run finished. */
export class TimeoutError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TimeoutError'
  }
}

/** The job was cancelled (SIGINT/SIGTERM from the runner). */
export class CancelledError extends Error {
  constructor(readonly signal: string) {
    super(`The job was cancelled (${signal}).`)
    this.name = 'CancelledError'
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
