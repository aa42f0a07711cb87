import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Plugin } from 'vite';

/**
 * The strict Content-Security-Policy (see README "Security"). `wasm-unsafe-eval` lets the WASM backend
 * compile its WebAssembly; `blob:` workers and scripts are the WASM backend's thread workers, which it
 * builds from its own code; `blob:` media/images are the user's own files. No inline script, no eval,
 * no other origin.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "connect-src 'self' blob: data:",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  "style-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

/** Cross-origin isolation lets the WASM backend use threads (SharedArrayBuffer). */
export const ISOLATION_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Headers for the production build: cross-origin isolation and the CSP. */
export const PRODUCTION_HEADERS: Record<string, string> = {
  ...ISOLATION_HEADERS,
  'Content-Security-Policy': `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/**
 * The files of public/ the app shell needs offline (manifest, icons, sample photos), as paths relative
 * to the site root. Model weights are left out: the app caches those itself (IndexedDB).
 */
export function publicShellFiles(publicDir: string): string[] {
  return readdirSync(publicDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(publicDir, resolve(entry.parentPath, entry.name)).split('\\').join('/'))
    .filter((path) => !path.startsWith('models/'))
    .sort();
}

/**
 * Production-only: puts the CSP into index.html (for static hosts without header control), emits
 * `_headers` (the same headers in the format Netlify and Cloudflare Pages read) and `sw.js`, the
 * service worker, with the list of built files to precache.
 */
export function offlineAndCsp(): Plugin {
  let publicDir = '';
  return {
    name: 'whats-in-the-picture:offline-and-csp',
    apply: 'build',
    configResolved(config) {
      publicDir = config.publicDir;
    },
    transformIndexHtml(html) {
      return html.replace('<meta charset="UTF-8" />', `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`);
    },
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((name) => !name.endsWith('.map') && name !== 'sw.js' && name !== '_headers');
      const shell = publicDir ? publicShellFiles(publicDir) : [];
      const precache = ['./', ...[...files, ...shell].map((name) => `./${name}`), './models/imagenet_class_index.json', './models/catalog.json'];
      // Built files carry content hashes in their names; public files do not, so their bytes count too.
      const hash = createHash('sha256').update(precache.join('\n'));
      for (const path of shell) hash.update(readFileSync(resolve(publicDir, path)));
      const version = hash.digest('hex').slice(0, 12);
      const template = readFileSync(resolve(import.meta.dirname, '../src/offline/service-worker.js'), 'utf8');
      this.emitFile({
        type: 'asset',
        fileName: '_headers',
        source: `/*\n${Object.entries(PRODUCTION_HEADERS).map(([k, v]) => `  ${k}: ${v}`).join('\n')}\n`,
      });
      this.emitFile({
        type: 'asset',
        fileName: 'sw.js',
        source: template.replace('__CACHE_VERSION__', version).replace('__PRECACHE_MANIFEST__', JSON.stringify(precache)),
      });
    },
  };
}
