/**
 * A loopback-only static file server for tests that must go through the app's real fetch-based loading
 * path (`loadModel`). Binds 127.0.0.1 on a free port; nothing leaves the machine.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, sep } from 'node:path';

export interface StaticServer {
  /** Base URL ending in `/`, e.g. `http://127.0.0.1:41234/`. */
  url: string;
  /** Paths requested so far, in order. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * `pageFallback`: answer a missing file with this HTML and status 200, as single-page-app hosts and
 * `vite preview` do, instead of a 404.
 */
export async function serveDirectory(root: string, { pageFallback }: { pageFallback?: string } = {}): Promise<StaticServer> {
  const base = normalize(root + sep);
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const file = normalize(join(base, path));
    let size = -1;
    try {
      if (file.startsWith(base)) {
        const stat = statSync(file);
        if (stat.isFile()) size = stat.size;
      }
    } catch {
      size = -1;
    }
    if (size < 0 && pageFallback !== undefined) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', Connection: 'close' }).end(pageFallback);
      return;
    }
    if (size < 0) {
      res.writeHead(404, { 'Content-Type': 'text/plain', Connection: 'close' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': file.endsWith('.json') ? 'application/json' : 'application/octet-stream',
      'Content-Length': String(size),
      // No keep-alive: an idle pooled connection closed by the server between tests makes fetch fail.
      Connection: 'close',
    });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
