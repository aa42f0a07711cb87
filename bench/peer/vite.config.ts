/**
 * Build of the benchmark's peer baseline page (not part of the app): TF.js on the main thread, as the
 * `@tensorflow-models/mobilenet` demos do. Built by `npm run bench` with
 * `vite build --config bench/peer/vite.config.ts` into bench-results/peer-dist/, served under /peer/
 * next to the app build (whose models/ folder it reads).
 */
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/** The same cross-origin isolation as the app (vite.config.ts), so the WASM backend gets its threads. */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  publicDir: false,
  logLevel: 'warn',
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  build: {
    outDir: resolve(import.meta.dirname, '../../bench-results/peer-dist'),
    emptyOutDir: true,
    target: 'es2022',
    // The WASM threaded backend rebuilds its thread workers from function source text: keep it intact.
    minify: false,
    sourcemap: false,
    chunkSizeWarningLimit: 8192,
    reportCompressedSize: false,
  },
});
