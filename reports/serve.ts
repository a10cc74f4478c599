/**
 * Serves a report folder over HTTP on the loopback interface only: the
 * multi-file Allure report loads its data with fetch(), which browsers refuse
 * from file:// URLs. Static files, GET and HEAD, nothing outside the folder.
 */
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'
import type { AddressInfo } from 'node:net'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.pcapng': 'application/x-pcapng',
  '.pcap': 'application/vnd.tcpdump.pcap',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
}

export const LOOPBACK = '127.0.0.1'

export interface ServedReport {
  server: Server
  url: string
  port: number
  close(): Promise<void>
}

/** Maps a request path onto a file inside `root`, or undefined when it would leave it. */
export function fileFor(root: string, urlPath: string): string | undefined {
  let path: string
  try {
    path = decodeURIComponent(urlPath.split('?')[0]!.split('#')[0]!)
  } catch {
    return undefined
  }
  if (path.includes('\0')) return undefined
  const full = resolve(root, '.' + normalize('/' + path))
  const rootAbs = resolve(root)
  if (full !== rootAbs && !full.startsWith(rootAbs + sep)) return undefined
  if (existsSync(full) && statSync(full).isDirectory()) return join(full, 'index.html')
  return full
}

export function serveReport(root: string, port = 0): Promise<ServedReport> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end()
      return
    }
    const file = fileFor(root, req.url ?? '/')
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
      return
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': statSync(file).size,
      'cache-control': 'no-store',
    })
    if (req.method === 'HEAD') res.end()
    else createReadStream(file).pipe(res)
  })
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject)
    // Loopback only: a report may carry a DUT's identities and addresses.
    server.listen(port, LOOPBACK, () => {
      const p = (server.address() as AddressInfo).port
      resolvePromise({
        server,
        port: p,
        url: `http://${LOOPBACK}:${p}/`,
        close: () =>
          new Promise<void>((r) => {
            server.close(() => r())
            // Browsers keep connections alive; without this, close() waits for them.
            server.closeAllConnections()
          }),
      })
    })
  })
}
