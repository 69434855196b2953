import { errorMessage } from './errors.js'
import { log } from './log.js'
import { run } from './main.js'

// `run` reports its own failures; this is the backstop that keeps even an unexpected one from
// reaching stderr as a raw stack trace (which the runner would read for commands too).
await run().catch((error: unknown) => {
  log.error(`The action failed unexpectedly: ${errorMessage(error)}`)
  process.exitCode = 1
})
