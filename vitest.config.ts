import { defineConfig } from 'vitest/config';

// Specs train models: generous timeouts, and one file per worker so the 2 CI cores train in parallel.
export default defineConfig({
  test: {
    include: ['specs/**/*.spec.ts', 'tests/**/*.test.ts'],
    testTimeout: 30 * 60_000,
    hookTimeout: 30 * 60_000,
    pool: 'forks',
    // the claim harness's hooks into training: run notes for the report, TMS_MUTANT
    setupFiles: ['./src/claims/harness.ts'],
    // TMS_REPORT=1 also records every test's verdict (out/results/<tier>.json) and writes the claims report
    // (out/report/); `tms reproduce` always does.
    reporters: process.env.TMS_REPORT && process.env.TMS_REPORT !== '0' ? ['default', './src/report/vitest-reporter.ts'] : ['default'],
  },
});
