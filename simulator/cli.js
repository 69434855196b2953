#!/usr/bin/env node
// @ts-check
/**
 * Runs the Datalore simulator on its own, with the demo notebook, until it is stopped:
 *   node simulator/cli.js [--port 8111] [--token <token>]
 * Prints its URL once it listens. Used by `npm run local` and by CI's job that runs the action
 * from the checkout (`uses: ./`).
 */
import { parseArgs } from 'node:util'
import { startDataloreSimulator } from './datalore.js'
import {
  DEMO_FAILING_NOTEBOOK,
  DEMO_FAILING_NOTEBOOK_SPEC,
  DEMO_NOTEBOOK,
  DEMO_NOTEBOOK_SPEC
} from './demo-notebook.js'

const { values } = parseArgs({
  options: { port: { type: 'string', default: '8111' }, token: { type: 'string' } }
})
const sim = await startDataloreSimulator({ port: Number(values.port), token: values.token })
sim.addNotebook(DEMO_NOTEBOOK, DEMO_NOTEBOOK_SPEC)
sim.addNotebook(DEMO_FAILING_NOTEBOOK, DEMO_FAILING_NOTEBOOK_SPEC)
console.log(`Datalore simulator listening on ${sim.url} with notebook ${DEMO_NOTEBOOK}`)
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => void sim.close().then(() => process.exit(0)))
}
