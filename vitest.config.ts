import { defineConfig } from 'vitest/config';

// Specs train models: generous timeouts, and one file per worker so the 2 CI cores train in parallel.
export default defineConfig({
  test: {
    include: ['specs/**/*.spec.ts', 'tests/**/*.test.ts'],
    testTimeout: 30 * 60_000,
    hookTimeout: 30 * 60_000,
    pool: 'forks',
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
