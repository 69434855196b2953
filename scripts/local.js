// @ts-check
/**
 * `npm run local`: runs the action from source with @github/local-action (no bundle needed),
 * against the Datalore simulator on 127.0.0.1:8111, with the inputs of .env (or .env.example).
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { startDataloreSimulator } from '../simulator/datalore.js'
import { DEMO_NOTEBOOK, DEMO_NOTEBOOK_SPEC } from '../simulator/demo-notebook.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const envFile = existsSync(`${root}.env`) ? '.env' : '.env.example'
for (const dir of ['workspace', 'artifacts', 'temp'])
  mkdirSync(`${root}.local-action/${dir}`, { recursive: true })

const sim = await startDataloreSimulator({ port: 8111, token: 'local-simulator-token' })
sim.addNotebook(DEMO_NOTEBOOK, DEMO_NOTEBOOK_SPEC)
console.log(`Datalore simulator on ${sim.url}; running src/main.ts with ${envFile}`)

const child = spawn('npx', ['local-action', 'run', '.', 'src/main.ts', envFile], {
  cwd: root,
  stdio: 'inherit'
})
const code = await new Promise(resolve => child.on('close', resolve))
await sim.close()
process.exitCode = typeof code === 'number' ? code : 1
