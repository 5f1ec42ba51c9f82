// pairState (src/metrics/correlated.ts) on hand-built m = 2 models at and around its thresholds.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Params } from '../src/types.js';
import { collapsedPairs, COLLAPSE_COS, NORM_RATIO, ORTHO_COS, pairState, REPRESENTED } from '../src/metrics/correlated.js';

const model = (cols: [number, number][]): Params => ({ kind: 'relu-output', n: cols.length, m: 2, W: Float32Array.from(cols.flat()), b: new Float32Array(cols.length) });
const polar = (r: number, deg: number): [number, number] => [r * Math.cos((deg * Math.PI) / 180), r * Math.sin((deg * Math.PI) / 180)];

describe('pairState', () => {
  it('names the four states of the paper\'s picture', () => {
    const p = model([polar(0.71, 30), polar(0.7, 31), polar(1, 100), polar(1, 190), polar(1, 250), polar(1, 310), polar(1, 0), polar(0.1, 90)]);
    expect(pairState(p, 0, 1)).toBe('collapsed');
    expect(pairState(p, 2, 3)).toBe('orthogonal');
    expect(pairState(p, 4, 5)).toBe('side-by-side');
    expect(pairState(p, 6, 7)).toBe('dropped');
    expect(collapsedPairs(p, [[0, 1], [2, 3], [4, 5], [6, 7]])).toBe(1);
  });

  it('collapsed exactly when both are represented, cos > COLLAPSE_COS and the norm ratio ≤ NORM_RATIO', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 1.5, noNaN: true }), fc.double({ min: 0.01, max: 1.5, noNaN: true }), fc.double({ min: 0, max: 180, noNaN: true }), fc.double({ min: 0, max: 360, noNaN: true }), (r1, r2, gap, rot) => {
      const p = model([polar(r1, rot), polar(r2, rot + gap)]);
      const [a, b] = [Math.fround(r1), Math.fround(r2)];
      const cos = Math.cos((gap * Math.PI) / 180);
      const represented = Math.min(r1, r2) > REPRESENTED + 1e-6;
      const away = Math.abs(cos - COLLAPSE_COS) > 1e-4 && Math.abs(Math.max(a, b) / Math.min(a, b) - NORM_RATIO) > 1e-4 && Math.abs(Math.abs(cos) - ORTHO_COS) > 1e-4 && Math.abs(Math.min(r1, r2) - REPRESENTED) > 1e-4;
      if (!away) return;
      const s = pairState(p, 0, 1);
      if (!represented) expect(s).toBe('dropped');
      else if (cos > COLLAPSE_COS && Math.max(a, b) / Math.min(a, b) <= NORM_RATIO) expect(s).toBe('collapsed');
      else if (Math.abs(cos) < ORTHO_COS) expect(s).toBe('orthogonal');
      else expect(s).toBe('side-by-side');
    }), { numRuns: 3000 });
  });

  it('one direction with unequal norms is not a collapse', () => {
    expect(pairState(model([polar(1, 10), polar(0.6, 10)]), 0, 1)).toBe('side-by-side');
  });
});
