// @ts-check
/**
 * What the simulator's servers share: a real HTTP(S) server on 127.0.0.1, an exception in a
 * handler answered rather than crashing the process, a close that does not wait for
 * keep-alive connections to time out, and a count of the TCP connections open at once.
 */
import http from 'node:http'
import https from 'node:https'

/**
 * @typedef {(req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>} Handler
 * @typedef {(res: http.ServerResponse, error: unknown) => void} ErrorAnswer
 */

export class LoopbackServer {
  /**
   * @param {Handler} handle
   * @param {ErrorAnswer} answerError  for an exception thrown before the answer started
   * @param {{key: string | Buffer, cert: string | Buffer}} [tls]  serve https with this certificate
   */
  constructor(handle, answerError, tls) {
    /** @type {Handler} */
    const handler = (req, res) =>
      handle(req, res).catch(error => {
        if (!res.headersSent) answerError(res, error)
        else res.destroy()
      })
    this.scheme = tls ? 'https' : 'http'
    this.server = tls ? https.createServer(tls, handler) : http.createServer(handler)
    /** @type {Set<import('node:net').Socket>} the TCP connections open now */
    this.sockets = new Set()
    /** The most connections open at once since the start or the last `resetConnectionCounts()`. */
    this.maxOpenConnections = 0
    /** Connections accepted since the start or the last `resetConnectionCounts()`. */
    this.connectionsOpened = 0
    this.server.on('connection', socket => {
      this.sockets.add(socket)
      this.connectionsOpened++
      this.maxOpenConnections = Math.max(this.maxOpenConnections, this.sockets.size)
      socket.on('close', () => this.sockets.delete(socket))
    })
  }

  /** Starts counting afresh: the maximum from the connections open now, none opened yet. */
  resetConnectionCounts() {
    this.maxOpenConnections = this.sockets.size
    this.connectionsOpened = 0
  }

  /**
   * @param {number} [port]  default 0: an ephemeral port
   * @returns {Promise<string>} the base URL, e.g. http://127.0.0.1:40123
   */
  async listen(port = 0) {
    await new Promise(resolve => this.server.listen(port, '127.0.0.1', () => resolve(undefined)))
    const address = /** @type {import('node:net').AddressInfo} */ (this.server.address())
    return `${this.scheme}://127.0.0.1:${address.port}`
  }

  async close() {
    for (const socket of this.sockets) socket.destroy()
    await new Promise(resolve => this.server.close(() => resolve(undefined)))
  }
}

/** A path segment decoded, or as it is when it is not valid percent-encoding. */
/** @param {string} segment */
export function safeDecode(segment) {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

/** Answers with a JSON body. */
/** @param {http.ServerResponse} res @param {number} status @param {unknown} body */
export function json(res, status, body) {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text))
  })
  res.end(text)
}

/** @param {number} ms */
export function sleep(ms) {
  // A delayed answer never holds the process open on its own: a closed server's test is over.
  return new Promise(resolve => setTimeout(resolve, ms).unref())
}
