/**
 * An HTTP CONNECT proxy on 127.0.0.1 that knows one host name the machine's DNS does not:
 * a request can only reach that host through the proxy, which proves the proxy was used.
 */
import { createServer, Server } from 'node:http'
import { connect, Socket } from 'node:net'

export interface TestProxy {
  url: string
  /** `host:port` of every CONNECT it received. */
  connects: string[]
  close(): Promise<void>
}

export async function startProxy(names: Record<string, string>): Promise<TestProxy> {
  const connects: string[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((_req, res) => {
    res.writeHead(405).end('CONNECT only')
  })
  server.on('connect', (req, client: Socket) => {
    const target = req.url ?? ''
    connects.push(target)
    const [name = '', port = ''] = target.split(':')
    const upstream = connect(Number(port), names[name] ?? name, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.pipe(client)
      client.pipe(upstream)
    })
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('error', () => undefined)
      socket.on('close', () => sockets.delete(socket))
    }
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise(resolve => server.close(resolve))
    }
  }
}
