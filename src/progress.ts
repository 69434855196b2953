/** What the log says while the action waits: a line per status change, a heartbeat a minute. */
import type { Clock } from './clock.js'
import type { RunStatus } from './datalore/api.js'
import { errorMessage } from './errors.js'
import { log, quote } from './log.js'
import { formatDuration } from './format.js'
import type { WaitEvents } from './wait.js'

export const HEARTBEAT_MS = 60_000

export function reportProgress(
  clock: Clock,
  print: (line: string) => void = log.info,
  warn: (line: string) => void = log.warning,
  /** Off for a run of several: the step has one heartbeat for all of them. */
  heartbeat = true
): WaitEvents {
  const waitStarted = clock.now()
  let lastLine = waitStarted
  let lastStatus: string | undefined
  const line = (text: string): void => {
    lastLine = clock.now()
    print(text)
  }
  return {
    status: (status: RunStatus) => {
      if (status.endTime != null) {
        line(`Run ${status.runId} finished at ${status.endTime}: success=${status.success}`)
      } else if (status.status !== lastStatus) {
        lastStatus = status.status
        // Datalore does not document its status values: shown as they come.
        line(
          `Run ${status.runId}: status ${status.status == null ? '(none)' : quote(status.status)}`
        )
      } else if (heartbeat && clock.now() - lastLine >= HEARTBEAT_MS) {
        line(`Run ${status.runId} still running after ${formatDuration(clock.now() - waitStarted)}`)
      }
    },
    pollFailed: (error: unknown, retryInMs: number) =>
      warn(
        `Could not read the run's status: ${errorMessage(error)}. Trying again in ${formatDuration(retryInMs)}.`
      )
  }
}
