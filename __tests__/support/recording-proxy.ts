/**
 * A reverse proxy on 127.0.0.1 in front of one HTTP server (Azurite's blob service, here): it
 * passes every request on as it came and records what was asked, so a test can say what reached
 * that server, and with which headers.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http'

export interface RecordedCall {
  method: string
  /** Path and query, as asked. */
  url: string
  headers: IncomingHttpHeaders
}

export interface RecordingProxy {
  /** http://127.0.0.1:<port>: the same paths as the target. */
  url: string
  calls: RecordedCall[]
  close(): Promise<void>
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const origin = new URL(target)
  const calls: RecordedCall[] = []
  const server = createServer((req, res) => {
    calls.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers })
    const upstream = httpRequest(
      {
        host: origin.hostname,
        port: origin.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: origin.host }
      },
      answer => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    upstream.on('error', () => res.writeHead(502).end())
    req.pipe(upstream)
  })
  server.keepAliveTimeout = 500
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: async () => {
      server.closeAllConnections()
      await new Promise(resolve => server.close(resolve))
    }
  }
}
