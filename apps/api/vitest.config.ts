import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@keysmith/source', ...defaultServerConditions] },
  ssr: { resolve: { conditions: ['@keysmith/source', ...defaultServerConditions] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Tests that judge timing run alone afterwards (vitest.timing.config.ts): beside other test
    // files on a 2-core machine, the operating system's scheduling would be measured, not ours.
    exclude: ['test/**/*.timing.test.ts', '**/node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    // Each file opens its own database; argon2 and PGlite are CPU-heavy, so keep the pool small.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
