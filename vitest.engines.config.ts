import { defineConfig } from 'vitest/config';

/**
 * Cross-engine end-to-end scenarios (`npm run test:engines`): Chromium, Firefox and WebKitGTK, one
 * after the other in one file, on the production build (`npm run build` first).
 */
export default defineConfig({
  test: {
    include: ['e2e/engines/**/*.e2e.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 420_000,
    hookTimeout: 120_000,
  },
});
