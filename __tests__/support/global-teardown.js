// @ts-check
/** jest globalTeardown: stops the Azurite of ./global-setup.js (if it started one). */
export default async function globalTeardown() {
  const global = /** @type {{__AZURITE__?: {stop(): Promise<void>}}} */ (globalThis)
  const azurite = global.__AZURITE__
  if (azurite == null) return
  delete global.__AZURITE__
  delete process.env.AZURITE_BLOB_URL
  await azurite.stop()
}
