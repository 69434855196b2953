/**
 * A cancelled job: the runner sends SIGINT (then SIGTERM) and kills the process soon after.
 * The abort signal stops waiting and requests at once so outputs and the summary can still
 * be written; a backstop exits the process if anything holds it open.
 */
import { CancelledError } from './errors.js'

/** Exit no later than this after the signal, whatever is still pending. */
const EXIT_BACKSTOP_MS = 1_800

export function watchForCancel(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController()
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) return
    process.exitCode = 1
    controller.abort(new CancelledError(signal))
    setTimeout(() => process.exit(1), EXIT_BACKSTOP_MS).unref()
  }
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']
  for (const name of signals) process.on(name, onSignal)
  return {
    signal: controller.signal,
    dispose: () => {
      for (const name of signals) process.off(name, onSignal)
    }
  }
}

/** Settles with `work`, or rejects with the signal's reason as soon as it is aborted. */
export async function unlessAborted<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined
): Promise<T> {
  if (signal == null) return work
  let onAbort: (() => void) | undefined
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason)
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    return await Promise.race([work, aborted])
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort)
  }
}
