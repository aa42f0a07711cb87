/** The built app served by `vite preview`, and a proxy that records every request meant for another host. */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';

export interface Running {
  url: string;
  close(): Promise<void>;
}

const PREVIEW_START_MS = 180_000;

/** `vite preview` of the production build (`dist`, or E2E_DIST) on 127.0.0.1:port. */
export async function startPreview(port: number, dist: string): Promise<Running> {
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', dist], {
    detached: true,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}/`;
  const close = async () => {
    if (server.pid && server.exitCode === null) process.kill(-server.pid, 'SIGTERM');
  };
  // Starting npx and Vite takes long on a busy machine: wait generously, and never leave it behind.
  const end = Date.now() + PREVIEW_START_MS;
  while (!(await fetch(url).then((r) => r.ok, () => false))) {
    if (Date.now() > end || server.exitCode !== null) {
      await close();
      throw new Error(`vite preview did not start on port ${port} within ${PREVIEW_START_MS / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, close };
}

/**
 * An HTTP proxy that forwards nothing: it writes down every request (plain `GET http://…` and HTTPS
 * `CONNECT host:443`) and refuses it. Browsers send all traffic for hosts other than the app's through
 * it, so `requests` is every attempt the page made to reach another origin.
 */
export async function startRecordingProxy(port: number): Promise<Running & { requests: string[] }> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    response.writeHead(403).end();
  });
  server.on('connect', (request, socket) => {
    requests.push(`CONNECT ${request.url}`);
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
