// The C4.4 null model: how much of an interval the ±tol windows around the fractions cover.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FRACTIONS, windowCoverage, plateau } from '../src/claims/c4-measures.js';

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

describe('plateau: the D* = 1/2 run and its flatness', () => {
  const at = (xs: number[], ds: number[]) => xs.map((x, k) => ({ x, dStar: ds[k], sumD: 0, Di: [], nearFraction: 0, polytopes: {} }));
  it('takes the median step inside the run, so an edge point already leaving the plateau does not dominate', () => {
    const xs = [1, 1.5, 2, 2.5, 3, 3.5, 4, 5];
    const ds = [1, 0.9, 0.54, 0.52, 0.52, 0.45, 0.38, 0.3];
    const p = plateau(at(xs, ds));
    expect(p).toMatchObject({ run: 4, from: 2, to: 3.5 });
    const step = (a: number, b: number) => Math.abs(ds[b] - ds[a]) / Math.log(xs[b] / xs[a]);
    expect(p.slopeIn).toBeCloseTo([step(2, 3), step(3, 4), step(4, 5)].sort((a, b) => a - b)[1], 12);
    expect(p.slopeAround).toBeCloseTo(step(1, 6), 12); // last D* ≥ 0.85 → first D* ≤ 0.4
  });
  it('a smooth descent through 1/2 has no flat run', () => {
    const xs = Array.from({ length: 16 }, (_, k) => 1.3 ** k);
    const p = plateau(at(xs, xs.map((x) => Math.max(0.2, 1 - 0.2 * Math.log(x)))));
    expect(p.run).toBeGreaterThanOrEqual(2);
    expect(p.slopeAround / p.slopeIn).toBeLessThan(1.5);
  });
});
