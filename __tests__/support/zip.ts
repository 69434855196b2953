/**
 * A small zip reader for tests: lists the entries of a zip (a Buffer, or a file of any size) from
 * its central directory, ZIP64 included, and streams each entry's bytes back through
 * node:zlib's inflateRaw, checking its CRC-32 and size. Enough to compare what
 * the artifact client uploaded with the files it was given, byte for byte.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import { PassThrough, Readable, Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import zlib from 'node:zlib'

export type ZipSource = Buffer | string

export interface ZipEntry {
  /** The entry's path inside the archive, as stored ('dir/' for directories). */
  name: string
  isDirectory: boolean
  /** 0: stored, 8: deflated (the only two this reader inflates). */
  method: number
  flags: number
  /** General purpose bit 11: the name is UTF-8 (otherwise it is read as CP437). */
  utf8: boolean
  /** General purpose bit 3: sizes and CRC follow the data (streamed writers do this). */
  hasDataDescriptor: boolean
  crc32: number
  compressedSize: number
  size: number
  localHeaderOffset: number
  /** Where the entry's (compressed) data starts. */
  dataOffset: number
  /** Some of its sizes or offset came from a ZIP64 extra field. */
  zip64: boolean
  /** DOS date and time, read as local time. */
  mtime: Date
  /** Unix permission and type bits, when it was made on Unix. */
  unixMode: number | undefined
  comment: string
}

export interface ZipArchive {
  entries: ZipEntry[]
  comment: string
  /** It has a ZIP64 end of central directory record. */
  zip64: boolean
  /** Size of the whole zip in bytes. */
  size: number
}

export interface EntryDigest {
  size: number
  sha256: string
  crc32: number
}

const EOCD = 0x06054b50
const ZIP64_LOCATOR = 0x07064b50
const ZIP64_EOCD = 0x06064b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50

interface Reader {
  size: number
  read(offset: number, length: number): Promise<Buffer>
  stream(offset: number, length: number): Readable
  close(): Promise<void>
}

async function reader(source: ZipSource): Promise<Reader> {
  if (Buffer.isBuffer(source)) {
    return {
      size: source.length,
      read: async (offset, length) => source.subarray(offset, offset + length),
      stream: (offset, length) => Readable.from([source.subarray(offset, offset + length)]),
      close: async () => undefined
    }
  }
  const handle: FileHandle = await open(source, 'r')
  const { size } = await handle.stat()
  return {
    size,
    async read(offset, length) {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)))
      let done = 0
      while (done < buffer.length) {
        const { bytesRead } = await handle.read(buffer, done, buffer.length - done, offset + done)
        if (bytesRead === 0) break
        done += bytesRead
      }
      return buffer.subarray(0, done)
    },
    stream: (offset, length) =>
      length === 0
        ? Readable.from([])
        : createReadStream(source, { start: offset, end: offset + length - 1 }),
    close: () => handle.close()
  }
}

function u64(buffer: Buffer, offset: number): number {
  const value = buffer.readBigUInt64LE(offset)
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`zip: 64-bit value too large`)
  return Number(value)
}

/** Reads the central directory. */
export async function readZip(source: ZipSource): Promise<ZipArchive> {
  const file = await reader(source)
  try {
    return await readDirectory(file)
  } finally {
    await file.close()
  }
}

/** The entries of a zip, in central directory order. */
export async function listZip(source: ZipSource): Promise<ZipEntry[]> {
  return (await readZip(source)).entries
}

async function readDirectory(file: Reader): Promise<ZipArchive> {
  const tailLength = Math.min(file.size, 22 + 0xffff)
  const tailStart = file.size - tailLength
  const tail = await file.read(tailStart, tailLength)
  let eocd = -1
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD && i + 22 + tail.readUInt16LE(i + 20) <= tail.length) {
      eocd = i
      break
    }
  }
  if (eocd < 0) throw new Error('zip: no end of central directory record (not a zip?)')
  let count = tail.readUInt16LE(eocd + 10)
  let directorySize = tail.readUInt32LE(eocd + 12)
  let directoryOffset = tail.readUInt32LE(eocd + 16)
  const comment = tail.subarray(eocd + 22, eocd + 22 + tail.readUInt16LE(eocd + 20)).toString()
  const eocdAt = tailStart + eocd
  let zip64 = false
  if (eocdAt >= 20) {
    const locator = await file.read(eocdAt - 20, 20)
    if (locator.readUInt32LE(0) === ZIP64_LOCATOR) {
      const recordAt = u64(locator, 8)
      const record = await file.read(recordAt, 56)
      if (record.readUInt32LE(0) !== ZIP64_EOCD)
        throw new Error('zip: ZIP64 locator does not point at a ZIP64 end of central directory')
      zip64 = true
      count = u64(record, 32)
      directorySize = u64(record, 40)
      directoryOffset = u64(record, 48)
    }
  }
  const directory = await file.read(directoryOffset, directorySize)
  if (directory.length !== directorySize) throw new Error('zip: central directory is truncated')
  const entries: ZipEntry[] = []
  let at = 0
  for (let n = 0; n < count; n++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL)
      throw new Error(`zip: bad central directory entry #${n}`)
    const madeBy = directory.readUInt16LE(at + 4)
    const flags = directory.readUInt16LE(at + 8)
    const method = directory.readUInt16LE(at + 10)
    const time = directory.readUInt16LE(at + 12)
    const date = directory.readUInt16LE(at + 14)
    const crc32 = directory.readUInt32LE(at + 16)
    let compressedSize = directory.readUInt32LE(at + 20)
    let size = directory.readUInt32LE(at + 24)
    const nameLength = directory.readUInt16LE(at + 28)
    const extraLength = directory.readUInt16LE(at + 30)
    const commentLength = directory.readUInt16LE(at + 32)
    const externalAttributes = directory.readUInt32LE(at + 38)
    let localHeaderOffset = directory.readUInt32LE(at + 42)
    const rawName = directory.subarray(at + 46, at + 46 + nameLength)
    const extra = directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength)
    const entryComment = directory.subarray(
      at + 46 + nameLength + extraLength,
      at + 46 + nameLength + extraLength + commentLength
    )
    at += 46 + nameLength + extraLength + commentLength

    const utf8 = (flags & 0x800) !== 0
    let name = utf8 ? rawName.toString('utf8') : cp437(rawName)
    let entryZip64 = false
    for (let x = 0; x + 4 <= extra.length;) {
      const id = extra.readUInt16LE(x)
      const length = extra.readUInt16LE(x + 2)
      const data = extra.subarray(x + 4, x + 4 + length)
      if (id === 0x0001) {
        // ZIP64: only the fields whose 32-bit value is saturated are present, in this order
        let p = 0
        entryZip64 = true
        if (size === 0xffffffff) {
          size = u64(data, p)
          p += 8
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = u64(data, p)
          p += 8
        }
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = u64(data, p)
      } else if (id === 0x7075 && !utf8 && data.length > 5 && data[0] === 1) {
        // Info-ZIP Unicode Path, valid while its CRC matches the header's name
        if (data.readUInt32LE(1) === crc32Of(rawName)) name = data.subarray(5).toString('utf8')
      }
      x += 4 + length
    }

    const local = await file.read(localHeaderOffset, 30)
    if (local.length < 30 || local.readUInt32LE(0) !== LOCAL)
      throw new Error(`zip: no local header for ${name} at ${localHeaderOffset}`)
    const dataOffset = localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28)

    entries.push({
      name,
      isDirectory: name.endsWith('/'),
      method,
      flags,
      utf8,
      hasDataDescriptor: (flags & 0x8) !== 0,
      crc32,
      compressedSize,
      size,
      localHeaderOffset,
      dataOffset,
      zip64: entryZip64,
      mtime: new Date(
        (date >> 9) + 1980,
        ((date >> 5) & 0xf) - 1,
        date & 0x1f,
        time >> 11,
        (time >> 5) & 0x3f,
        (time & 0x1f) * 2
      ),
      unixMode: madeBy >> 8 === 3 ? externalAttributes >>> 16 : undefined,
      comment: entryComment.toString(utf8 ? 'utf8' : 'latin1')
    })
  }
  return { entries, comment, zip64, size: file.size }
}

/**
 * The entry's bytes as a stream; it errors if they do not match the entry's CRC-32 and size.
 */
export async function openEntry(source: ZipSource, entry: ZipEntry): Promise<Readable> {
  if (entry.method !== 0 && entry.method !== 8)
    throw new Error(`zip: ${entry.name} uses compression method ${entry.method}`)
  const file = await reader(source)
  const raw = file.stream(entry.dataOffset, entry.compressedSize)
  const out = new PassThrough()
  let crc = 0
  let size = 0
  const check = new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      crc = crc32Of(chunk, crc)
      size += chunk.length
      done(null, chunk)
    },
    flush(done: TransformCallback) {
      if (size !== entry.size)
        return done(
          new Error(`zip: ${entry.name} has ${size} bytes, the directory says ${entry.size}`)
        )
      if (crc !== entry.crc32) return done(new Error(`zip: ${entry.name} fails its CRC-32 check`))
      done()
    }
  })
  const stages: NodeJS.ReadWriteStream[] = entry.method === 8 ? [zlib.createInflateRaw()] : []
  pipeline([raw, ...stages, check, out])
    .catch(error => out.destroy(error))
    .finally(() => void file.close())
  return out
}

/** The entry's bytes (checked against its CRC-32 and size). */
export async function readEntry(source: ZipSource, entry: ZipEntry): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of await openEntry(source, entry)) chunks.push(chunk)
  return Buffer.concat(chunks)
}

/** Size, sha256 (hex) and CRC-32 of the entry's bytes, streamed (any size). */
export async function entryDigest(source: ZipSource, entry: ZipEntry): Promise<EntryDigest> {
  const hash = createHash('sha256')
  let size = 0
  let crc = 0
  for await (const chunk of await openEntry(source, entry)) {
    hash.update(chunk)
    size += chunk.length
    crc = crc32Of(chunk, crc)
  }
  return { size, sha256: hash.digest('hex'), crc32: crc }
}

/** Every file entry (directories left out) by name, with its size and sha256. */
export async function zipDigests(source: ZipSource): Promise<Map<string, EntryDigest>> {
  const result = new Map<string, EntryDigest>()
  for (const entry of await listZip(source)) {
    if (entry.isDirectory) continue
    if (result.has(entry.name)) throw new Error(`zip: ${entry.name} appears twice`)
    result.set(entry.name, await entryDigest(source, entry))
  }
  return result
}

// ─── CRC-32 and CP437 ───

let table: Uint32Array | undefined
const nativeCrc32 = (zlib as { crc32?: (data: Buffer, value?: number) => number }).crc32

/** CRC-32 (zip's), continuing from `value`. */
export function crc32Of(data: Buffer, value = 0): number {
  if (nativeCrc32) return nativeCrc32(data, value)
  if (table == null) {
    table = new Uint32Array(256)
    for (let n = 0; n < 256; n++) {
      let c = n
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
      table[n] = c >>> 0
    }
  }
  let crc = ~value >>> 0
  for (const byte of data) crc = (table[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8)
  return ~crc >>> 0
}

const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0'

function cp437(bytes: Buffer): string {
  let text = ''
  for (const byte of bytes)
    text += byte < 0x80 ? String.fromCharCode(byte) : CP437_HIGH[byte - 0x80]
  return text
}
