import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { SHARD_TIMES_FILE } from './scripts/lib/shard-plan.js';
import { timedSequencer } from './scripts/lib/shard-sequencer.js';

// Specs train models: generous timeouts. Two files at once even on 2 cores (vitest's default, cores − 1, runs one
// there): a spec's analysis, figures and imports, and the tests that wait on the software GPU, Chromium or a child
// process, overlap another spec's training (cold suite on 2 cores: 748 s with one worker, 526 s with two when set;
// 1,030 s and 989 s now that training fills both cores: docs/suite-time.md).
export default defineConfig({
  test: {
    include: ['specs/**/*.spec.ts', 'tests/**/*.test.ts'],
    testTimeout: 30 * 60_000,
    hookTimeout: 30 * 60_000,
    pool: 'forks',
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // the claim harness's hooks into training: run notes for the report, TMS_MUTANT
    setupFiles: ['./src/claims/harness.ts'],
    // `--shard=i/N` splits the files by their measured seconds (npm run shard:times), not by count
    sequence: { sequencer: timedSequencer(SHARD_TIMES_FILE) },
    // TMS_REPORT=1 also records every test's verdict (out/results/<tier>.json) and writes the claims report
    // (out/report/); `tms reproduce` always does.
    reporters: process.env.TMS_REPORT && process.env.TMS_REPORT !== '0' ? ['default', './src/report/vitest-reporter.ts'] : ['default'],
  },
});
