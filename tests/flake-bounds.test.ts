// The modelled false-fail bound of scripts/flake.ts: Clopper–Pearson on pooled per-seed failures, then the
// binomial tail of "more than n − min of n seeds fail"; and the verdict lines toHoldForSeeds logs for it.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verdict } from '../src/claims/matchers.js';
import { clopperPearsonUpper, seedModelBound } from '../src/stats/proportion.js';
import { binomialTail } from '../src/stats/summary.js';

describe('seed-model false-fail bound', () => {
  it('Clopper–Pearson upper bounds: 0/20 → 0.1391, 0/240 → 0.01240', () => {
    expect(clopperPearsonUpper(0, 20)).toBeCloseTo(0.1391, 4);
    expect(clopperPearsonUpper(0, 240)).toBeCloseTo(0.012404, 5);
    expect(clopperPearsonUpper(0, 240)).toBeCloseTo(1 - 0.05 ** (1 / 240), 8);
    expect(clopperPearsonUpper(2, 240)).toBeCloseTo(0.0260, 4); // qbeta(0.95, 3, 238) = 0.025999
  });

  it('binomial tails: P(Bin(12, 0.0124) > 0) ≈ 0.139', () => {
    expect(binomialTail(12, 1, 0.0124)).toBeCloseTo(1 - (1 - 0.0124) ** 12, 12);
    expect(binomialTail(12, 1, 0.0124)).toBeCloseTo(0.139, 3);
    expect(binomialTail(10, 3, 0.1)).toBeCloseTo(0.0701908, 6); // 1 − P(X ≤ 2)
  });

  it('every seed required: no tighter than the run-level bound (≈ 3/K)', () => {
    const { q, bound } = seedModelBound(0, 240, 12, 12);
    expect(q).toBeCloseTo(0.0124, 4);
    expect(bound).toBeCloseTo(0.139108, 5); // = the run-level bound 0/20: 1 − 0.05^(1/20) exactly
    expect(bound).toBeCloseTo(clopperPearsonUpper(0, 20), 8);
  });

  it('slack pays: 8 of 10 seeds required, 0/200 seeds failed', () => {
    const { q, bound } = seedModelBound(0, 200, 10, 8);
    expect(q).toBeCloseTo(1 - 0.05 ** (1 / 200), 8); // 0.01487
    expect(bound).toBeCloseTo(binomialTail(10, 3, q), 12);
    expect(bound).toBeCloseTo(3.6462e-4, 7); // scipy: binom.sf(2, 10, q)
  });

  it('edge cases: nothing pooled gives 1, min ≤ 0 can never fail', () => {
    expect(seedModelBound(0, 0, 5, 5)).toEqual({ q: 1, bound: 1 });
    expect(seedModelBound(3, 10, 5, 0).bound).toBe(0);
    expect(seedModelBound(10, 10, 5, 1).bound).toBe(1);
  });
});

describe('toHoldForSeeds verdict lines (TMS_VERDICTS_DIR)', () => {
  it('appends one line per call when set, writes nothing when unset', () => {
    const saved = { dir: process.env.TMS_VERDICTS_DIR, offset: process.env.TMS_SEED_OFFSET };
    const root = mkdtempSync(join(tmpdir(), 'tms-verdicts-'));
    const dir = join(root, 'v');
    const seeds = (pass: boolean[]) => pass.map((p, i) => verdict(i + 1, p, 'detail'));
    try {
      delete process.env.TMS_VERDICTS_DIR;
      expect(seeds([true, true])).toHoldForSeeds(2);
      expect(existsSync(dir)).toBe(false);
      process.env.TMS_VERDICTS_DIR = dir;
      delete process.env.TMS_SEED_OFFSET;
      expect(seeds([true, false, true])).toHoldForSeeds(2);
      process.env.TMS_SEED_OFFSET = '3000';
      expect(() => expect(seeds([false, false, true])).toHoldForSeeds(2)).toThrow(/held for 1\/3 seeds/);
      const lines = readFileSync(join(dir, 'verdicts.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      const test = 'appends one line per call when set, writes nothing when unset';
      expect(lines).toEqual([
        { test, id: 'appends', n: 3, min: 2, passed: 2, offset: '0' },
        { test, id: 'appends', n: 3, min: 2, passed: 1, offset: '3000' },
      ]);
    } finally {
      for (const [k, v] of [['TMS_VERDICTS_DIR', saved.dir], ['TMS_SEED_OFFSET', saved.offset]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      rmSync(root, { recursive: true, force: true });
    }
  });
});
