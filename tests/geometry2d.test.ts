// shapeConditions spells out shape2d's definition as threshold checks (so the flake check can model a
// shape claim's margins): it must agree with shape2d exactly, on near-shapes as well as clear ones.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Params } from '../src/types.js';
import { shape2d, shapeConditions } from '../src/metrics/geometry2d.js';

const params = (cols: [number, number][]): Params => ({ kind: 'relu-output', n: cols.length, m: 2, W: Float32Array.from(cols.flat()), b: new Float32Array(cols.length) });
const holds = (c: { value: number; op: '>=' | '<='; limit: number }) => (c.op === '>=' ? c.value >= c.limit : c.value <= c.limit);

/** Five features near a template (angles in degrees, norms), jittered by up to `jitter`° and ±`normJitter`. */
const near = (angles: number[], norms: number[]) =>
  fc.tuple(fc.array(fc.double({ min: -9, max: 9, noNaN: true }), { minLength: 5, maxLength: 5 }), fc.array(fc.double({ min: -0.15, max: 0.15, noNaN: true }), { minLength: 5, maxLength: 5 }), fc.double({ min: 0, max: 360, noNaN: true }))
    .map(([da, dn, rot]) => params(angles.map((a, i) => {
      const t = ((a + da[i] + rot) * Math.PI) / 180;
      const r = Math.max(0, norms[i] + (norms[i] > 0 ? dn[i] : 0.1 * dn[i]));
      return [r * Math.cos(t), r * Math.sin(t)];
    })));

const configs = fc.oneof(
  near([0, 72, 144, 216, 288], [1, 1, 1, 1, 1]), // pentagon-ish
  near([0, 90, 180, 270, 0], [1, 1, 1, 1, 0.05]), // two antipodal pairs, fifth feature dropped
  near([0, 90, 180, 270, 45], [1, 1, 1, 1, 0.6]), // pairs plus a fifth represented feature
  fc.array(fc.tuple(fc.double({ min: -1.2, max: 1.2, noNaN: true }), fc.double({ min: -1.2, max: 1.2, noNaN: true })), { minLength: 5, maxLength: 5 }).map(params),
);

describe('shapeConditions agrees with shape2d', () => {
  for (const shape of ['pentagon', 'antipodal-pairs'] as const) {
    it(`${shape}: every condition holds exactly when shape2d says ${shape}`, () => {
      fc.assert(fc.property(configs, (p) => {
        expect(shapeConditions(p, shape).every(holds)).toBe(shape2d(p) === shape);
      }), { numRuns: 2000 });
    });
  }

  it('a regular pentagon and an exact cross pass with zero error', () => {
    const pent = params([0, 1, 2, 3, 4].map((k) => [Math.cos((2 * Math.PI * k) / 5), Math.sin((2 * Math.PI * k) / 5)]));
    expect(shape2d(pent)).toBe('pentagon');
    expect(shapeConditions(pent, 'pentagon').find((c) => c.what.startsWith('largest gap'))!.value).toBeCloseTo(0, 4);
    const cross = params([[1, 0], [0, 1], [-1, 0], [0, -1], [0.01, 0.01]]);
    expect(shape2d(cross)).toBe('antipodal-pairs');
    expect(shapeConditions(cross, 'antipodal-pairs').every(holds)).toBe(true);
  });
});
