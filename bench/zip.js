// @ts-check
/**
 * Just enough of a zip reader to check an uploaded workflow artifact byte for byte: the entries
 * from the central directory (ZIP64 included), each entry's bytes streamed through inflateRaw
 * (deflated) or as they are (stored) into sha256. Plain JavaScript, so the benchmark runs on
 * any Node without a TypeScript step (the tests' reader is __tests__/support/zip.ts).
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import zlib from 'node:zlib'

const EOCD = 0x06054b50
const ZIP64_LOCATOR = 0x07064b50
const ZIP64_EOCD = 0x06064b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50
const MAX32 = 0xffffffff

/**
 * @typedef {object} ZipEntry
 * @property {string} name
 * @property {number} method  0 stored, 8 deflated
 * @property {number} compressedSize
 * @property {number} size
 * @property {number} localHeaderOffset
 *
 * @typedef {object} EntryDigest
 * @property {string} name  without a leading slash
 * @property {number} size
 * @property {string} sha256
 */

/** @param {import('node:fs/promises').FileHandle} handle @param {number} offset @param {number} length */
async function readAt(handle, offset, length) {
  const buffer = Buffer.alloc(length)
  const { bytesRead } = await handle.read(buffer, 0, length, offset)
  return buffer.subarray(0, bytesRead)
}

/**
 * The entries listed in a zip file's central directory.
 * @param {string} file
 * @returns {Promise<ZipEntry[]>}
 */
export async function listZip(file) {
  const handle = await open(file, 'r')
  try {
    const { size } = await handle.stat()
    const tailLength = Math.min(size, 22 + 0xffff)
    const tail = await readAt(handle, size - tailLength, tailLength)
    let at = -1
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        at = i
        break
      }
    }
    if (at < 0) throw new Error(`${file} is not a zip: no end of central directory`)
    let count = tail.readUInt16LE(at + 10)
    let cdSize = tail.readUInt32LE(at + 12)
    let cdOffset = tail.readUInt32LE(at + 16)
    if (at >= 20 && tail.readUInt32LE(at - 20) === ZIP64_LOCATOR) {
      const zip64At = Number(tail.readBigUInt64LE(at - 20 + 8))
      const record = await readAt(handle, zip64At, 56)
      if (record.readUInt32LE(0) !== ZIP64_EOCD) throw new Error('bad ZIP64 end record')
      count = Number(record.readBigUInt64LE(32))
      cdSize = Number(record.readBigUInt64LE(40))
      cdOffset = Number(record.readBigUInt64LE(48))
    }
    const cd = await readAt(handle, cdOffset, cdSize)
    /** @type {ZipEntry[]} */
    const entries = []
    let p = 0
    for (let i = 0; i < count; i++) {
      if (cd.readUInt32LE(p) !== CENTRAL) throw new Error(`bad central directory entry ${i}`)
      const method = cd.readUInt16LE(p + 10)
      let compressedSize = cd.readUInt32LE(p + 20)
      let uncompressed = cd.readUInt32LE(p + 24)
      const nameLength = cd.readUInt16LE(p + 28)
      const extraLength = cd.readUInt16LE(p + 30)
      const commentLength = cd.readUInt16LE(p + 32)
      let localHeaderOffset = cd.readUInt32LE(p + 42)
      const name = cd.subarray(p + 46, p + 46 + nameLength).toString('utf8')
      const extra = cd.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength)
      for (let e = 0; e + 4 <= extra.length;) {
        const id = extra.readUInt16LE(e)
        const length = extra.readUInt16LE(e + 2)
        if (id === 0x0001) {
          let q = e + 4
          if (uncompressed === MAX32) {
            uncompressed = Number(extra.readBigUInt64LE(q))
            q += 8
          }
          if (compressedSize === MAX32) {
            compressedSize = Number(extra.readBigUInt64LE(q))
            q += 8
          }
          if (localHeaderOffset === MAX32) localHeaderOffset = Number(extra.readBigUInt64LE(q))
        }
        e += 4 + length
      }
      entries.push({ name, method, compressedSize, size: uncompressed, localHeaderOffset })
      p += 46 + nameLength + extraLength + commentLength
    }
    return entries
  } finally {
    await handle.close()
  }
}

/**
 * sha256 and size of every file entry of a zip file, read back through inflateRaw.
 * @param {string} file
 * @returns {Promise<EntryDigest[]>}
 */
export async function digestZip(file) {
  const entries = await listZip(file)
  const handle = await open(file, 'r')
  /** @type {{entry: ZipEntry, dataOffset: number}[]} */
  const located = []
  try {
    for (const entry of entries) {
      const header = await readAt(handle, entry.localHeaderOffset, 30)
      if (header.readUInt32LE(0) !== LOCAL) throw new Error(`bad local header for ${entry.name}`)
      const dataOffset =
        entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28)
      located.push({ entry, dataOffset })
    }
  } finally {
    await handle.close()
  }
  /** @type {EntryDigest[]} */
  const digests = []
  for (const { entry, dataOffset } of located) {
    if (entry.name.endsWith('/')) continue
    const hash = createHash('sha256')
    let size = 0
    const sink = new Writable({
      highWaterMark: 1 << 20,
      write(chunk, _encoding, done) {
        size += chunk.length
        hash.update(chunk)
        done()
      }
    })
    const source =
      entry.compressedSize === 0
        ? Readable.from([])
        : createReadStream(file, {
            start: dataOffset,
            end: dataOffset + entry.compressedSize - 1,
            highWaterMark: 1 << 20
          })
    if (entry.method === 8) await pipeline(source, zlib.createInflateRaw(), sink)
    else if (entry.method === 0) await pipeline(source, sink)
    else throw new Error(`${entry.name}: compression method ${entry.method} not supported`)
    if (size !== entry.size)
      throw new Error(`${entry.name}: ${size} bytes inflated, central directory says ${entry.size}`)
    digests.push({ name: entry.name.replace(/^\/+/, ''), size, sha256: hash.digest('hex') })
  }
  return digests
}
