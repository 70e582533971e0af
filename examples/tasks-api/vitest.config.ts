import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@keysmith/source', ...defaultServerConditions] },
  ssr: { resolve: { conditions: ['@keysmith/source', ...defaultServerConditions] } },
  test: {
    include: ['test/**/*.test.ts'],
    // Starts a Keysmith on PGlite and the example servers: keep the pool small.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
