// @ts-check
/**
 * jest globalSetup: one Azurite blob service for the whole run, published to the test workers as
 * AZURITE_BLOB_URL (http://127.0.0.1:<port>/devstoreaccount1), AZURITE_ACCOUNT and AZURITE_KEY.
 * If AZURITE_BLOB_URL is already set (an Azurite you run yourself), that one is used instead.
 * See ./azurite.ts (`useAzurite()`) for the test side.
 */
import { startAzurite } from '../../harness/azurite.js'

export default async function globalSetup() {
  if (process.env.AZURITE_BLOB_URL) return
  const azurite = await startAzurite()
  Object.assign(globalThis, { __AZURITE__: azurite })
  process.env.AZURITE_BLOB_URL = azurite.url
  process.env.AZURITE_ACCOUNT = azurite.account
  process.env.AZURITE_KEY = azurite.key
}
