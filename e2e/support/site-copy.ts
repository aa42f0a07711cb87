/**
 * A deployment of its own: a copy of the production build (E2E_DIST) in a temporary folder, changed by the
 * spec (models provisioned differently, catalog entries added…) and served by its own `vite preview` on
 * E2E_PORT + 1 with the production headers, as in playwright.config. Used as a worker fixture; a spec sets
 * `baseURL` to SITE_COPY_URL so that the page objects open that site.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from '@playwright/test';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const DIST = path.resolve(ROOT, process.env.E2E_DIST ?? 'dist');
const PORT = Number(process.env.E2E_PORT ?? 4173) + 1;
export const SITE_COPY_URL = `http://127.0.0.1:${PORT}/`;

/**
 * Copies the build (without its models/ folder when `withModels` is false), lets `prepare` change the copy,
 * serves it, hands `prepare`'s result to `use`, and removes everything afterwards.
 */
export async function withSiteCopy<T>(options: { withModels: boolean }, prepare: (site: string) => Promise<T>, use: (prepared: T) => Promise<void>): Promise<void> {
  const site = mkdtempSync(path.join(tmpdir(), 'site-copy-e2e-'));
  let preview: ChildProcess | undefined;
  try {
    cpSync(DIST, site, { recursive: true, filter: (from) => options.withModels || path.relative(DIST, from).split(path.sep)[0] !== 'models' });
    const prepared = await prepare(site);
    const vite = path.join(ROOT, 'node_modules/vite/bin/vite.js');
    preview = spawn(process.execPath, [vite, 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort', '--outDir', site], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    await expect.poll(() => fetch(SITE_COPY_URL).then((r) => r.status, () => 0), { timeout: 60_000 }).toBe(200);
    await use(prepared);
  } finally {
    preview?.kill();
    rmSync(site, { recursive: true, force: true });
  }
}
