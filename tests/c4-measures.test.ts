// The C4.4 null model: how much of an interval the ±tol windows around the fractions cover.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FRACTIONS, windowCoverage } from '../src/claims/c4-measures.js';

describe('windowCoverage', () => {
  it('matches a fine grid count on random intervals and tolerances', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 1.2, noNaN: true }), fc.double({ min: 0.001, max: 0.8, noNaN: true }), fc.double({ min: 0.001, max: 0.1, noNaN: true }), (lo, w, tol) => {
      const hi = lo + w;
      const N = 20_000;
      let c = 0;
      for (let k = 0; k < N; k++) {
        const d = lo + (w * (k + 0.5)) / N;
        if (FRACTIONS.some((f) => Math.abs(d - f) <= tol)) c++;
      }
      expect(windowCoverage(lo, hi, tol)).toBeCloseTo(c / N, 3);
    }), { numRuns: 200 });
  });

  it('is 65% of [0.3, 1] at ±0.05: why C4.4 does not rely on that band alone', () => {
    expect(windowCoverage(0.3, 1, 0.05)).toBeCloseTo(0.655, 3);
  });
});
