import { errorMessage } from './errors.js'
import { log } from './log.js'
import { run } from './main.js'
import { guardStdio } from './stdio-guard.js'

// Before anything can print: whatever the action's dependencies (or Node) write to stdout and
// stderr is outside text, and the runner reads both streams for workflow commands.
guardStdio()

// `run` reports its own failures; this is the backstop that keeps even an unexpected one from
// reaching stderr as a raw stack trace (which the runner would read for commands too).
await run().catch((error: unknown) => {
  log.error(`The action failed unexpectedly: ${errorMessage(error)}`)
  process.exitCode = 1
})
