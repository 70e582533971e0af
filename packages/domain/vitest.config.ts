import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Property tests run thousands of cases and are CPU-bound: on a busy 2-core machine a few take
    // several seconds. Tests never assert speed, so the default 5 s limit only made them flaky.
    testTimeout: 30_000,
  },
});
