// @ts-check
/**
 * Starts Azurite's blob service (the `azurite` devDependency) as a child process on 127.0.0.1 and
 * an ephemeral port. Plain JavaScript so that jest's globalSetup (which Node imports without
 * ts-jest) and the benchmark can use it; tests use the typed wrapper in
 * __tests__/support/azurite.ts.
 *
 * The child watches its stdin: when this process dies, the pipe closes and Azurite shuts down,
 * so a crashed or killed jest leaves no Azurite behind.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEV_STORAGE_ACCOUNT, DEV_STORAGE_KEY } from '../simulator/blob-store.js'

/**
 * @typedef {object} AzuriteOptions
 * @property {string} [location]  workspace folder (default: a new temporary one, removed by stop())
 * @property {boolean} [inMemory]  --inMemoryPersistence instead of a workspace on disk
 * @property {string} [debugLog]  write Azurite's debug log to this file
 * @property {number} [timeoutMs]  how long to wait for it to listen (default 30000)
 *
 * @typedef {object} AzuriteHandle
 * @property {string} url  the blob endpoint, account included: http://127.0.0.1:<port>/devstoreaccount1
 * @property {string} origin  http://127.0.0.1:<port>
 * @property {number} port
 * @property {string} account  devstoreaccount1
 * @property {string} key  the well-known devstoreaccount1 key (base64)
 * @property {string} connectionString
 * @property {number | undefined} pid
 * @property {() => Promise<void>} stop
 */

// Ends the child when its stdin closes (that is, when the process that started it is gone).
const WATCH_PARENT =
  'data:text/javascript,' +
  encodeURIComponent(
    "process.stdin.on('end',()=>{process.kill(process.pid,'SIGTERM');setTimeout(()=>process.exit(0),3000).unref()});process.stdin.resume();process.on('SIGTERM',()=>process.stdin.destroy())"
  )

/**
 * @param {AzuriteOptions} [options]
 * @returns {Promise<AzuriteHandle>}
 */
export async function startAzurite(options = {}) {
  const main = createRequire(import.meta.url).resolve('azurite/dist/src/blob/main.js')
  const ownLocation = options.location == null && !options.inMemory
  const location = options.location ?? mkdtempSync(join(tmpdir(), 'azurite-'))
  const args = [
    '--import',
    WATCH_PARENT,
    main,
    '--blobHost',
    '127.0.0.1',
    '--blobPort',
    '0',
    '--location',
    location,
    '--silent',
    '--disableTelemetry',
    // @azure/storage-blob speaks a newer x-ms-version than Azurite knows
    '--skipApiVersionCheck'
  ]
  if (options.inMemory) args.push('--inMemoryPersistence')
  if (options.debugLog) args.push('--debug', options.debugLog)
  const env = { ...process.env }
  delete env.NODE_OPTIONS
  delete env.AZURITE_ACCOUNTS
  const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'pipe'] })
  let output = ''
  const origin = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`Azurite did not start within ${options.timeoutMs ?? 30000} ms:\n${output}`))
    }, options.timeoutMs ?? 30000)
    /** @param {Buffer} chunk */
    const onData = chunk => {
      output += chunk.toString('utf8')
      const match = /successfully listens on (http:\/\/[\d.]+:\d+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('error', error => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('exit', code => {
      clearTimeout(timer)
      reject(new Error(`Azurite exited (${code}) before listening:\n${output}`))
    })
  })
  // Keep draining its output, and let this process exit without waiting for it.
  child.stdout.removeAllListeners('data').resume()
  child.stderr.removeAllListeners('data').resume()
  child.removeAllListeners('exit')
  const exited = new Promise(resolve => child.on('exit', resolve))
  for (const stream of [child.stdin, child.stdout, child.stderr])
    /** @type {any} */ (stream)._handle?.unref?.()
  child.unref()

  const url = `${origin}/${DEV_STORAGE_ACCOUNT}`
  return {
    url,
    origin,
    port: Number(new URL(origin).port),
    account: DEV_STORAGE_ACCOUNT,
    key: DEV_STORAGE_KEY,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${DEV_STORAGE_ACCOUNT};AccountKey=${DEV_STORAGE_KEY};BlobEndpoint=${url};`,
    pid: child.pid,
    async stop() {
      if (child.exitCode == null && child.signalCode == null) {
        child.ref()
        child.stdin.end()
        child.kill('SIGTERM')
        const killer = setTimeout(() => child.kill('SIGKILL'), 5000)
        await exited
        clearTimeout(killer)
      }
      if (ownLocation) rmSync(location, { recursive: true, force: true })
    }
  }
}
