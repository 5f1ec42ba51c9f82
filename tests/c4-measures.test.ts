// The C4.4 null model: how much of an interval the ±tol windows around the fractions cover.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FRACTIONS, fourGroups, windowCoverage, plateau } from '../src/claims/c4-measures.js';
import { Rng } from '../src/rng.js';
import { frame } from './helpers/frame.js';
import type { Params } from '../src/types.js';

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

describe('fourGroups: C4.7 names a tetrahedron by its angles', () => {
  /** n features in m = 6 dimensions: rows of W as given, the rest zero; a random rotation of R^6 (fixed per seed). */
  const model = (rows: number[][], n: number, seed: number): Params => {
    const R = frame(new Rng(`four-groups/${seed}`), 6, 6);
    const W = new Float32Array(n * 6);
    rows.forEach((r, i) => R.forEach((_, t) => (W[i * 6 + t] = r.reduce((s, c, k) => s + c * R[k][t], 0))));
    return { kind: 'relu-output', n, m: 6, W, b: new Float32Array(n) };
  };
  const tet = [[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]].map((v) => [...v.map((x) => x / Math.sqrt(3)), 0, 0, 0]);
  it('finds a planted regular tetrahedron in any rotation: angles exact, D_i = 3/4', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1000 }), (seed) => {
      // beside it: a digon, a dedicated feature, and no other four-feature group
      const p = model([...tet, [0, 0, 0, 1, 0, 0], [0, 0, 0, -1, 0, 0], [0, 0, 0, 0, 1, 0]], 8, seed);
      const g = fourGroups(p);
      expect(g).toHaveLength(1);
      expect(g[0].members).toEqual([0, 1, 2, 3]);
      expect(g[0].maxErrDeg).toBeLessThan(1e-3);
      for (const d of [...g[0].D, ...g[0].Drep]) expect(d).toBeCloseTo(0.75, 4);
    }), { numRuns: 30 });
  });
  it('unrepresented features lower the paper\'s D_i below 3/4 but not D_i over the represented ones', () => {
    // 12 weak features (‖W_j‖ = 0.3, under the 0.5 of "represented"), each along the tetrahedron's first vertex
    const weak = Array.from({ length: 12 }, () => tet[0].map((x) => 0.3 * x));
    const g = fourGroups(model([...tet, ...weak], 16, 1))[0];
    expect(g.members).toEqual([0, 1, 2, 3]);
    expect(g.D[0]).toBeLessThan(0.7);
    for (const d of g.Drep) expect(d).toBeCloseTo(0.75, 4);
  });
  it('a stretched tetrahedron (angles of 124° and 83°) is a four-feature group off by more than 10°', () => {
    const stretched = tet.map((v) => [v[0], v[1], 1.6 * v[2], 0, 0, 0]);
    const g = fourGroups(model(stretched, 4, 2));
    expect(g).toHaveLength(1);
    expect(g[0].maxErrDeg).toBeGreaterThan(10);
  });
});
