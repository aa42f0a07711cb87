import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { ISOLATION_HEADERS, offlineAndCsp, PRODUCTION_HEADERS } from './scripts/vite-plugin-offline.ts';

export default defineConfig({
  base: './',
  plugins: [react(), offlineAndCsp()],
  // The dev server skips the CSP: React's fast refresh injects inline scripts.
  server: { headers: ISOLATION_HEADERS },
  // Preview serves the production build with the headers of the documented deployment (dist/_headers).
  preview: { headers: PRODUCTION_HEADERS },
  worker: {
    format: 'es',
    // The WASM backend rebuilds its thread workers from a function's source text (Function#toString);
    // renamed identifiers would break that code, so the worker bundle is only stripped of whitespace (no renaming, no rewriting).
    rolldownOptions: { output: { minify: { mangle: false, compress: false } } },
  },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 4096 },
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    // Real models on the CPU backend: set-up hooks load and run them, which takes long on a busy machine.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
