// Claim 2's antipodal-pair statistic: pairs are found by direction and summed dimensionality, so a pair
// with unequal norms (unequal importance) still counts, while a triangle or a lone feature does not.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Params } from '../src/types.js';
import { antipodalShare } from '../src/claims/c2-measures.js';
import { featureDimensionality } from '../src/metrics/features.js';

/** Params from feature columns (each of length m). */
const params = (cols: number[][]): Params => ({ kind: 'relu-output', n: cols.length, m: cols[0].length, W: Float32Array.from(cols.flat()), b: new Float32Array(cols.length) });

describe('antipodalShare', () => {
  it('counts an unequal-norm antipodal pair (D_i ≈ 0.64 and 0.36), which D_i = 1/2 ± 0.1 missed', () => {
    const p = params([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, -0.75]]);
    const D = featureDimensionality(p);
    expect(D[2]).toBeCloseTo(0.64, 2);
    expect(D[3]).toBeCloseTo(0.36, 2);
    expect(antipodalShare(p, [2, 3])).toBe(1);
  });

  it('does not count a triangle, nor a pair that shares its dimension with a third feature', () => {
    const tri = [0, 1, 2].map((k) => [Math.cos((2 * Math.PI * k) / 3), Math.sin((2 * Math.PI * k) / 3)]);
    expect(antipodalShare(params(tri), [0, 1, 2])).toBe(0);
    // a pair plus a third feature leaning into its axis: D_i + D_j falls well below 1
    expect(antipodalShare(params([[1, 0], [-1, 0], [0.7, 0.7]]), [0, 1, 2])).toBe(0);
  });

  it('any rotation or rescaling of the pair keeps it a pair', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }), fc.double({ min: 0.3, max: 1.5, noNaN: true }), fc.double({ min: 0.3, max: 1.5, noNaN: true }), (t, a, b) => {
      const u = [Math.cos(t), Math.sin(t), 0];
      const p = params([[0, 0, 1], u.map((v) => a * v), u.map((v) => -b * v)]);
      expect(antipodalShare(p, [1, 2])).toBe(1);
    }));
  });
});
