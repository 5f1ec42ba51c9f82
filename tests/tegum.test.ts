// Tegum-product naming (src/metrics/tegum.ts) on hand-built feature arrangements.
import { describe, expect, it } from 'vitest';
import type { Params } from '../src/types.js';
import { crossFactorCos2, findProduct, groupsAllAt, tegumFactors, tegumProduct } from '../src/metrics/tegum.js';

const params = (cols: number[][]): Params => {
  const m = cols[0].length;
  return { kind: 'relu-output', n: cols.length, m, W: Float32Array.from(cols.flat()), b: new Float32Array(cols.length) };
};
const polygon = (k: number) => Array.from({ length: k }, (_, t) => [Math.cos((2 * Math.PI * t) / k), Math.sin((2 * Math.PI * t) / k), 0]);
const digon = [[0, 0, 1], [0, 0, -1]];

describe('tegum products', () => {
  it('names the octahedron, the two bipyramids and the square pyramid from their factors', () => {
    expect(tegumProduct(params([[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], ...digon]))).toBe('octahedron');
    expect(tegumProduct(params([...polygon(3), ...digon]))).toBe('triangular-bipyramid');
    expect(tegumProduct(params([...polygon(5), ...digon]))).toBe('pentagonal-bipyramid');
    expect(tegumProduct(params([[1, 0, 0], [0, 1, 0], [0, -1, 0], ...digon]))).toBe('square-pyramid');
  });

  it('a digon tilted towards the triangle\'s plane (cos² 0.02 across factors) is no product, though the groups stay apart', () => {
    const t = Math.sqrt(0.02);
    const p = params([...polygon(3), [t, 0, Math.sqrt(1 - t * t)], [-t, 0, -Math.sqrt(1 - t * t)]]);
    expect(tegumFactors(p).map((f) => f.kind)).toEqual(['triangle', 'digon']);
    expect(crossFactorCos2(p, tegumFactors(p))).toBeCloseTo(0.02, 3);
    expect(tegumProduct(p)).toBe('other');
    expect(findProduct(p, 'triangular-bipyramid')).toBeNull();
  });

  it('finds a triangular bipyramid inside a larger model, and not where there is no triangle', () => {
    const lift = (v: number[]) => [...v, 0];
    const p = params([...polygon(3).map(lift), ...digon.map(lift), [0, 0, 0, 1], [0, 0, 0, -1]]);
    expect(tegumProduct(p)).toBe('other');
    expect(findProduct(p, 'triangular-bipyramid')!.map((f) => f.kind)).toEqual(['triangle', 'digon']);
    expect(findProduct(params([[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], ...digon]), 'triangular-bipyramid')).toBeNull();
  });

  it('counts groups with every member at a given D_i (five at 2/5 in a pentagon; none at 3/5)', () => {
    const p = params([...polygon(5), ...digon]);
    expect(groupsAllAt(p, 2 / 5, 5)).toHaveLength(1);
    expect(groupsAllAt(p, 3 / 5, 5)).toHaveLength(0);
  });
});
