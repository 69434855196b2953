// @ts-check
/**
 * Loaded with `node --import` before the action: the file system looks as if it had only
 * FAKE_FREE_BYTES free when the action first asks, and shrinks by whatever is really written
 * from then on. A disk nearly full, without filling the machine's.
 */
import fs from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'

const fakeFree = Number(process.env.FAKE_FREE_BYTES)
const realStatfs = fs.promises.statfs
/** @type {number | undefined} */
let firstFree

/** @type {typeof fs.promises.statfs} */
const statfs = /** @type {any} */ (
  async (/** @type {fs.PathLike} */ path) => {
    const stats = await realStatfs(path)
    const real = stats.bavail * stats.bsize
    firstFree ??= real
    const free = Math.max(0, fakeFree - (firstFree - real))
    const blocks = Math.floor(free / stats.bsize)
    return { ...stats, bavail: blocks, bfree: blocks }
  }
)
fs.promises.statfs = statfs
syncBuiltinESMExports()
