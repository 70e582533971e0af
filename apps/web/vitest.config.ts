import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@keysmith/source', ...defaultServerConditions] },
  ssr: { resolve: { conditions: ['@keysmith/source', ...defaultServerConditions] } },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
