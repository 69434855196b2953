// @ts-check
/**
 * Reading back what the artifact client uploaded, to compare it with the files it was given byte
 * for byte: the entries of a zip (a Buffer, or a file of any size), ZIP64 included, read with
 * yauzl. yauzl checks each entry's size and name; the CRC-32 it leaves to its caller, so it is
 * checked here.
 */
import { createHash } from 'node:crypto'
import { crc32 } from 'node:zlib'
import yauzl from 'yauzl'

/**
 * @typedef {object} ZipEntry
 * @property {string} name  the entry's path inside the archive ('dir/' for a folder)
 * @property {boolean} utf8  general purpose bit 11: the name is UTF-8 (otherwise CP437)
 * @property {boolean} hasDataDescriptor  general purpose bit 3: sizes and CRC follow the data
 *   (streaming writers do this)
 * @property {boolean} zip64  its sizes or offset are in a ZIP64 extra field
 * @property {number} size
 *
 * @typedef {object} EntryDigest
 * @property {number} size
 * @property {string} sha256  hex
 */

/** The entries of a zip, in central directory order. */
/** @param {Buffer | string} source  the zip, or the path of one @returns {Promise<ZipEntry[]>} */
export async function listZip(source) {
  /** @type {ZipEntry[]} */
  const entries = []
  for await (const entry of (await open(source)).eachEntry()) {
    entries.push({
      name: entry.fileName,
      utf8: (entry.generalPurposeBitFlag & 0x800) !== 0,
      hasDataDescriptor: (entry.generalPurposeBitFlag & 0x8) !== 0,
      zip64: entry.extraFields.some(field => field.id === 0x0001),
      size: entry.uncompressedSize
    })
  }
  return entries
}

/**
 * Every file entry (folders left out) by name, with the size and sha256 of its bytes, streamed
 * (any size). Fails if an entry's bytes do not match its size or CRC-32, or a name appears twice.
 * @param {Buffer | string} source  the zip, or the path of one
 * @returns {Promise<Map<string, EntryDigest>>}
 */
export async function zipDigests(source) {
  /** @type {Map<string, EntryDigest>} */
  const digests = new Map()
  const zip = await open(source)
  for await (const entry of zip.eachEntry()) {
    if (entry.fileName.endsWith('/')) continue
    if (digests.has(entry.fileName)) throw new Error(`zip: ${entry.fileName} appears twice`)
    const hash = createHash('sha256')
    let crc = 0
    let size = 0
    for await (const chunk of await zip.openReadStreamPromise(entry)) {
      hash.update(chunk)
      crc = crc32(chunk, crc)
      size += chunk.length
    }
    if (crc !== entry.crc32) throw new Error(`zip: ${entry.fileName} fails its CRC-32 check`)
    digests.set(entry.fileName, { size, sha256: hash.digest('hex') })
  }
  return digests
}

/** @param {Buffer | string} source */
function open(source) {
  // A file is closed at the end of the entries (autoClose), or when a loop over them is left.
  return Buffer.isBuffer(source) ? yauzl.fromBufferPromise(source) : yauzl.openPromise(source)
}
