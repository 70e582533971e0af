import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@keysmith/source', ...defaultServerConditions] },
  ssr: { resolve: { conditions: ['@keysmith/source', ...defaultServerConditions] } },
  test: {
    include: ['test/**/*.test.ts'],
    // Each file starts its own Keysmith on PGlite: CPU-heavy, so keep the pool small.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
