import { run } from './main.js'
import { failedUnexpectedly, guardStdio } from './stdio-guard.js'

// Before anything can print: whatever the action's dependencies (or Node) write to stdout and
// stderr is outside text, and the runner reads both streams for workflow commands.
guardStdio()

// `run` reports its own failures; this is the backstop that keeps even an unexpected one from
// reaching stderr as a raw stack trace (which the runner would read for commands too).
await run().catch(failedUnexpectedly)

// The outputs and the summary are written. Whatever is still pending is work the step gave up
// at its deadline (the artifact client's upload cannot be stopped, only no longer waited for):
// it must not hold the step open past `timeout-minutes`. A second lets the last writes drain.
setTimeout(() => process.exit(), 1_000).unref()
