/**
 * Azurite's blob service for tests. The jest global setup (./global-setup.js) starts one for the
 * whole run and publishes it as AZURITE_BLOB_URL / AZURITE_ACCOUNT / AZURITE_KEY; `useAzurite()`
 * returns that one, or starts a private one when the variables are absent (a file run without the
 * global setup). Account and key are the storage emulator's well-known devstoreaccount1 ones.
 */
import {
  accountSasQuery,
  blobSasUrl,
  DEV_STORAGE_ACCOUNT,
  DEV_STORAGE_KEY,
  type StorageAccount
} from '../../simulator/blob-store.js'
import { startAzurite as startAzuriteProcess } from '../../harness/azurite.js'
import type { AzuriteHandle, AzuriteOptions } from '../../harness/azurite.js'

export type { AzuriteHandle, AzuriteOptions, StorageAccount }

export interface AzuriteEndpoint extends StorageAccount {
  /** http://127.0.0.1:<port>/devstoreaccount1 */
  url: string
  account: string
  key: string
  /** It is the run-wide instance of the global setup (then stop() does nothing). */
  shared: boolean
  stop(): Promise<void>
}

/** Starts a private Azurite (blob service only) on 127.0.0.1 and a free port. */
export function startAzurite(options?: AzuriteOptions): Promise<AzuriteHandle> {
  return startAzuriteProcess(options)
}

/** The run-wide Azurite of the global setup, or a private one if there is none. */
export async function useAzurite(): Promise<AzuriteEndpoint> {
  const url = process.env.AZURITE_BLOB_URL
  if (url) {
    return {
      url,
      account: process.env.AZURITE_ACCOUNT ?? DEV_STORAGE_ACCOUNT,
      key: process.env.AZURITE_KEY ?? DEV_STORAGE_KEY,
      shared: true,
      stop: async () => undefined
    }
  }
  const own = await startAzuriteProcess()
  return { url: own.url, account: own.account, key: own.key, shared: false, stop: own.stop }
}

/** A service SAS URL for one blob ('r' to read; 'cw' to upload). */
export function sasUrl(
  storage: StorageAccount,
  container: string,
  blob: string,
  permissions = 'r',
  ttlMinutes = 60
): string {
  return blobSasUrl(storage, { container, blob, permissions, ttlMinutes })
}

/** The blobs of a container (name and size), listed with an account SAS. */
export async function listBlobs(
  storage: StorageAccount,
  container: string
): Promise<{ name: string; size: number }[]> {
  const blobs: { name: string; size: number }[] = []
  let marker = ''
  do {
    const query = `restype=container&comp=list${marker ? `&marker=${encodeURIComponent(marker)}` : ''}`
    const response = await fetch(
      `${storage.url}/${container}?${query}&${accountSasQuery(storage)}`,
      {
        headers: { 'x-ms-version': '2020-12-06' }
      }
    )
    const xml = await response.text()
    if (response.status === 404) return []
    if (!response.ok) throw new Error(`List blobs: HTTP ${response.status} ${xml}`)
    for (const [, body = ''] of xml.matchAll(/<Blob>([\s\S]*?)<\/Blob>/g)) {
      blobs.push({
        name: unescapeXml(/<Name>([\s\S]*?)<\/Name>/.exec(body)?.[1] ?? ''),
        size: Number(/<Content-Length>(\d+)<\/Content-Length>/.exec(body)?.[1] ?? NaN)
      })
    }
    marker = /<NextMarker>([^<]*)<\/NextMarker>/.exec(xml)?.[1] ?? ''
  } while (marker)
  return blobs
}

/** A blob's bytes, read through a read SAS. */
export async function getBlob(
  storage: StorageAccount,
  container: string,
  blob: string
): Promise<Buffer> {
  const response = await fetch(sasUrl(storage, container, blob), {
    headers: { 'x-ms-version': '2020-12-06' }
  })
  if (!response.ok) throw new Error(`GET ${blob}: HTTP ${response.status} ${await response.text()}`)
  return Buffer.from(await response.arrayBuffer())
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+);/g, (_, name: string) =>
    name.startsWith('#')
      ? String.fromCodePoint(Number(name.slice(1)))
      : ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[name]!
  )
}
