// The k-of-N seed design (src/stats/design.ts): a claim that holds for ≥ 97% of seeds fails a spec < 1% of the time.
import { describe, expect, it } from 'vitest';
import { requiredSeeds, SEED_DESIGN } from '../src/stats/design.js';
import { binomialTail } from '../src/stats/summary.js';

describe('requiredSeeds', () => {
  it('gives the strictest k with P(Binomial(N, 3%) > N − k) < 1%', () => {
    expect([1, 3, 6, 12, 15, 18, 20, 21].map((n) => requiredSeeds(n))).toEqual([1, 2, 4, 10, 13, 15, 17, 18]);
    for (const n of [3, 6, 12, 21, 50]) {
      const k = requiredSeeds(n);
      expect(binomialTail(n, n - k + 1, SEED_DESIGN.perSeedFailure)).toBeLessThan(SEED_DESIGN.specFalseFail);
      if (k < n) expect(binomialTail(n, n - k, SEED_DESIGN.perSeedFailure)).toBeGreaterThanOrEqual(SEED_DESIGN.specFalseFail);
    }
  });
});
