import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@keysmith/source', ...defaultServerConditions] },
  ssr: { resolve: { conditions: ['@keysmith/source', ...defaultServerConditions] } },
  // Property tests are CPU-bound; tests never assert speed (see packages/domain/vitest.config.ts).
  test: { include: ['src/**/*.test.ts'], environment: 'node', testTimeout: 30_000 },
});
