import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * The timing tests (`*.timing.test.ts`), one file at a time, after the main suite
 * (vitest.config.ts excludes them): they judge the event loop, which other test files running
 * beside them on a 2-core machine would disturb.
 */
export default defineConfig({
  resolve: { conditions: ['@keysmith/source', ...defaultServerConditions] },
  ssr: { resolve: { conditions: ['@keysmith/source', ...defaultServerConditions] } },
  test: {
    include: ['test/**/*.timing.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    maxWorkers: 1,
    // The stall test settles the heap it filled itself (global gc) before it measures.
    execArgv: ['--expose-gc'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
