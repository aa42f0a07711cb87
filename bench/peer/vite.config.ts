/**
 * Build of the benchmark's peer baseline page (not part of the app): TF.js on the main thread, as the
 * `@tensorflow-models/mobilenet` demos do. Built by `npm run bench` with
 * `vite build --config bench/peer/vite.config.ts --outDir bench-results/peer-dist` (bench/build.mjs),
 * served under /peer/ next to the app build (whose models/ folder it reads).
 */
import { defineConfig } from 'vite';
// The same cross-origin isolation as the app, so the WASM backend gets its threads.
import { ISOLATION_HEADERS } from '../../scripts/vite-plugin-offline.ts';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  publicDir: false,
  logLevel: 'warn',
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  build: {
    target: 'es2022',
    // The WASM threaded backend rebuilds its thread workers from function source text: keep it intact.
    minify: false,
    sourcemap: false,
    chunkSizeWarningLimit: 8192,
    reportCompressedSize: false,
  },
});
