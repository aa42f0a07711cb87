/**
 * A small static server for the benchmark and the soak: the app build at `/`, the peer page build at
 * `/peer/`. The app gets the headers of its documented deployment (the build's `_headers`: COOP/COEP/CORP
 * + CSP), the peer page the same cross-origin isolation (so the WASM backend has threads on both).
 * It counts the bytes it serves, so the benchmark can show that a warm load fetched no model files.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { APP_DIST, PEER_DIST } from './build.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

/** Parses a Netlify/Cloudflare `_headers` file (only its `/*` block is used). */
function readHeadersFile(path) {
  const headers = {};
  let inAll = false;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    if (!/^\s/.test(line)) {
      inAll = line.trim() === '/*';
      continue;
    }
    const match = /^\s+([^:]+):\s*(.*)$/.exec(line);
    if (inAll && match) headers[match[1].trim()] = match[2].trim();
  }
  return headers;
}

/**
 * Serves the app build (and with `peer`, the peer page build) on `port` (0: any free port).
 * Returns { origin, counters, resetCounters(), close() }.
 */
export function serveBuilds({ peer = false, port = 0 } = {}) {
  const appHeaders = readHeadersFile(join(APP_DIST, '_headers'));
  const isolation = Object.fromEntries(Object.entries(appHeaders).filter(([name]) => name.startsWith('Cross-Origin-')));
  return startServer({
    mounts: [...(peer ? [{ prefix: '/peer/', dir: PEER_DIST, headers: isolation }] : []), { prefix: '/', dir: APP_DIST, headers: appHeaders }],
    port,
  });
}

/** @param {{ mounts: { prefix: string, dir: string, headers: Record<string,string> }[] }} options (any order: sorted here) */
async function startServer({ mounts, host = '127.0.0.1', port }) {
  const sorted = [...mounts].sort((a, b) => b.prefix.length - a.prefix.length).map((m) => ({ ...m, dir: resolve(m.dir) }));
  const counters = { requests: 0, bytes: 0, modelBytes: 0, modelRequests: 0, firstModelAt: 0, lastModelAt: 0 };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let pathname;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const mount = sorted.find((m) => pathname.startsWith(m.prefix)) ?? null;
    if (!mount || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(mount ? 405 : 404).end();
      return;
    }
    let rel = pathname.slice(mount.prefix.length);
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = normalize(join(mount.dir, rel));
    if (!file.startsWith(mount.dir + sep) && file !== mount.dir) {
      res.writeHead(403).end();
      return;
    }
    let size;
    try {
      const info = statSync(file);
      if (!info.isFile()) throw new Error('not a file');
      size = info.size;
    } catch {
      res.writeHead(404, { ...mount.headers, 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    counters.requests++;
    // Model files only: not the class index, nor the catalog the app reads at start.
    const isModel = pathname.includes('/models/') && !pathname.endsWith('imagenet_class_index.json') && !pathname.endsWith('/catalog.json');
    if (isModel) {
      counters.modelRequests++;
      if (!counters.firstModelAt) counters.firstModelAt = Date.now();
      res.on('finish', () => {
        counters.lastModelAt = Date.now();
      });
    }
    res.writeHead(200, {
      ...mount.headers,
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': String(size),
      'Cache-Control': 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    counters.bytes += size;
    if (isModel) counters.modelBytes += size;
    createReadStream(file).pipe(res);
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, ok);
  });
  const address = server.address();
  return {
    origin: `http://${host}:${address.port}`,
    counters,
    resetCounters() {
      for (const key of Object.keys(counters)) counters[key] = 0;
    },
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}
