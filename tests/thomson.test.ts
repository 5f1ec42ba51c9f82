// spanDimension is the numerical rank C4.6 uses to tell a polytope from a distorted group of the same D_i:
// it must not depend on the order of the vectors, and must see a slightly noisy planar pentagon as planar.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pairwiseAngles, spanDimension, thomson } from '../src/metrics/thomson.js';
import { Rng } from '../src/rng.js';
import { frame } from './helpers/frame.js';

/** Points given in d coordinates, embedded in R^30 through a random frame, plus `noise` × N(0, 1) per coordinate of R^30. */
function embed(points: number[][], seed: number, noise = 0): number[][] {
  const rng = new Rng(`thomson-test/${seed}`);
  const F = frame(rng, points[0].length, 30);
  return points.map((p) => F[0].map((_, t) => p.reduce((s, c, k) => s + c * F[k][t], 0) + noise * rng.normal()));
}

const pentagon = Array.from({ length: 5 }, (_, i) => [Math.cos((2 * Math.PI * i) / 5), Math.sin((2 * Math.PI * i) / 5)]);
const permutations = fc.array(fc.nat(1000), { minLength: 5, maxLength: 5 }).map((keys) => keys.map((k, i) => [k, i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => i));

describe('spanDimension', () => {
  it('a pentagon spans 2 dimensions, a square antiprism 3, a simplex of 4 points 3', () => {
    expect(spanDimension(embed(pentagon, 1))).toBe(2);
    expect(spanDimension(embed(thomson(8, 3), 2))).toBe(3);
    expect(spanDimension(embed(thomson(4, 3), 3))).toBe(3);
    expect(spanDimension([])).toBe(0);
  });

  it('a pentagon with 1% noise per coordinate (≈ 5% of its norm out of its plane) spans 2 in every order', () => {
    // Gram–Schmidt from two vertices 144° apart amplified that noise past 10% (C4.6's default-tier pentagons).
    fc.assert(fc.property(fc.nat(50), permutations, (seed, order) => {
      const X = embed(pentagon, 100 + seed, 0.01);
      expect(spanDimension(order.map((i) => X[i]))).toBe(2);
    }), { numRuns: 200 });
  });

  it('a pentagon with one vertex tilted 30% out of its plane spans 3', () => {
    const tilted = pentagon.map((p, i) => [...p, i === 2 ? 0.3 : 0]);
    expect(spanDimension(embed(tilted, 4))).toBe(3);
  });

  it('the rank does not change with the order of the vectors', () => {
    const bipyramid = thomson(5, 3);
    fc.assert(fc.property(fc.nat(100), permutations, fc.double({ min: 0, max: 0.2, noNaN: true }), (seed, order, noise) => {
      const X = embed(bipyramid, 200 + seed, noise);
      expect(spanDimension(order.map((i) => X[i]))).toBe(spanDimension(X));
    }), { numRuns: 100 });
  });
});

describe('thomson', () => {
  it('5 points in 2D are the regular pentagon (pairwise angles 72° and 144°)', () => {
    const a = pairwiseAngles(thomson(5, 2));
    for (const v of a.slice(0, 5)) expect(v).toBeCloseTo(72, 1);
    for (const v of a.slice(5)) expect(v).toBeCloseTo(144, 1);
  });

  it('a solved case is remembered: the same answer again, as a copy the caller may change', () => {
    const first = thomson(4, 3);
    const again = thomson(4, 3);
    expect(again).toEqual(first);
    first[0][0] = 99;
    expect(thomson(4, 3)[0][0]).toBe(again[0][0]);
    expect(thomson(4, 3, 1, 100)).not.toEqual(again); // another (starts, iters) is another case
  });
});
