// The monosemantic / polysemantic neuron rule (src/metrics/polysemanticity.ts) used by claims 6 and 7:
// worked examples at and around the 90% threshold, the layout it reads, and invariances (fast-check).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Params } from '../src/types.js';
import { classifyNeuron, DEAD_NORM, MONO_SHARE, neurons, neuronWeights, polysemanticity, reluPairs, shareRank, summarise } from '../src/metrics/polysemanticity.js';

const FC = { seed: Number(process.env.TMS_FC_SEED ?? 0x5eed), numRuns: 200 };

/** Params from neuron rows: rows[k][i] = weight of neuron k from feature i, stored feature-major. */
function fromRows(rows: number[][], kind: Params['kind'] = 'relu-hidden'): Params {
  const m = rows.length;
  const n = rows[0].length;
  const W = new Float32Array(n * m);
  rows.forEach((r, k) => r.forEach((w, i) => (W[i * m + k] = w)));
  return { kind, n, m, W, W2: kind === 'abs' ? new Float32Array(n * m) : undefined, b: new Float32Array(n) };
}

const weights = (n: number) => fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n, maxLength: n });

describe('classifyNeuron', () => {
  it('one feature only: monosemantic, share 1, that feature on top (either sign)', () => {
    expect(classifyNeuron([0, 0, 0.8, 0])).toMatchObject({ kind: 'monosemantic', top: 2, share: 1 });
    expect(classifyNeuron([0, -1.5, 0])).toMatchObject({ kind: 'monosemantic', top: 1, share: 1 });
  });

  it('the threshold: a second weight of 1/3 of the first is still monosemantic (share 0.9), a bit more is not', () => {
    expect(MONO_SHARE).toBe(0.9);
    expect(classifyNeuron([3, 1]).share).toBeCloseTo(0.9, 12);
    expect(classifyNeuron([3, 1]).kind).toBe('monosemantic');
    expect(classifyNeuron([3, -1.05]).kind).toBe('polysemantic');
    expect(classifyNeuron([1, 1, 0]).share).toBeCloseTo(0.5, 12);
    expect(classifyNeuron([1, 1, 0]).kind).toBe('polysemantic');
    // many small weights add up: one weight 1 and ten of 0.15 give share 1/1.225 ≈ 0.82
    expect(classifyNeuron([1, ...new Array(10).fill(0.15)]).kind).toBe('polysemantic');
  });

  it('a neuron with weight norm below DEAD_NORM is dead (top −1), whatever its shape', () => {
    expect(classifyNeuron([0.05, 0.05, 0.02])).toMatchObject({ kind: 'dead', top: -1 });
    expect(classifyNeuron([0, 0, 0])).toMatchObject({ kind: 'dead', share: 0 });
    expect(classifyNeuron([DEAD_NORM * 1.01, 0]).kind).toBe('monosemantic');
  });

  it('is invariant to scaling by c > 0 (above the dead norm), to sign flips, and to permuting features (top moves along)', () => {
    fc.assert(fc.property(weights(6), fc.double({ min: 0.5, max: 4, noNaN: true }), fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), fc.nat(5),
      (w, c, flips, rot) => {
        const base = classifyNeuron(w);
        fc.pre(base.norm * 0.5 >= DEAD_NORM * 1.01 && Math.abs(base.share - MONO_SHARE) > 1e-9);
        const scaled = classifyNeuron(w.map((v) => v * c));
        const flipped = classifyNeuron(w.map((v, i) => (flips[i] ? -v : v)));
        const rotated = classifyNeuron(w.map((_, i) => w[(i + rot) % 6]));
        expect(scaled.kind).toBe(base.kind);
        expect(scaled.share).toBeCloseTo(base.share, 9);
        expect(flipped.kind).toBe(base.kind);
        expect(rotated.kind).toBe(base.kind);
        expect(w[(rotated.top + rot) % 6] ** 2).toBeCloseTo(w[base.top] ** 2, 9);
      }), FC);
  });

  it('share is in [1/n, 1] for a live neuron and equals max w² / Σ w²', () => {
    fc.assert(fc.property(weights(5), (w) => {
      const s = classifyNeuron(w);
      const e = w.reduce((a, v) => a + v * v, 0);
      fc.pre(e > 0);
      expect(s.share).toBeCloseTo(Math.max(...w.map((v) => v * v)) / e, 12);
      expect(s.share).toBeGreaterThanOrEqual(1 / 5 - 1e-12);
      expect(s.share).toBeLessThanOrEqual(1 + 1e-12);
    }), FC);
  });
});

describe('neurons / polysemanticity on Params', () => {
  it('reads neuron k from the feature-major layout W[i*m + k]', () => {
    const p = fromRows([[1, 0, 0], [0.6, 0.6, 0], [0, 0, 0.01]]);
    expect(neuronWeights(p.W, 3, 3, 1)).toEqual([Float32Array.from([0.6])[0], Float32Array.from([0.6])[0], 0]);
    expect(neurons(p).map((s) => s.kind)).toEqual(['monosemantic', 'polysemantic', 'dead']);
    expect(polysemanticity(p)).toEqual({ mono: 1, poly: 1, dead: 1, polyShare: 0.5, owners: [0] });
    expect(() => neuronWeights(p.W, 3, 3, 3)).toThrow(RangeError);
    expect(() => neuronWeights(p.W, 2, 3, 0)).toThrow(RangeError);
  });

  it('owners are distinct features, sorted; polyShare is NaN when every neuron is dead', () => {
    const p = fromRows([[0, 2, 0], [0, -1, 0], [1, 0, 0]]);
    expect(polysemanticity(p).owners).toEqual([0, 1]);
    expect(summarise(neurons(fromRows([[0, 0], [0.01, 0]]))).polyShare).toBeNaN();
  });

  it('permuting neurons permutes the classification; the summary is unchanged', () => {
    fc.assert(fc.property(fc.array(weights(4), { minLength: 3, maxLength: 3 }), fc.nat(2), (rows, r) => {
      const a = polysemanticity(fromRows(rows));
      const b = polysemanticity(fromRows(rows.map((_, k) => rows[(k + r) % 3])));
      expect(b).toEqual(a);
    }), FC);
  });
});

describe('shareRank: a neuron count as a continuous statistic', () => {
  it('"at most a monosemantic neurons" ⇔ shareRank(a + 1) < MONO_SHARE; "all r most monosemantic" ⇔ shareRank(r) ≥ MONO_SHARE', () => {
    fc.assert(fc.property(fc.array(weights(4), { minLength: 1, maxLength: 6 }), fc.nat(6), (rows, a) => {
      const p = fromRows(rows);
      const { mono } = polysemanticity(p);
      expect(shareRank(p, a + 1) < MONO_SHARE).toBe(mono <= a);
      if (a >= 1) expect(shareRank(p, a) >= MONO_SHARE).toBe(mono >= a);
    }), FC);
  });

  it('ranks live neurons only, 0 past the last; a bad rank is a RangeError', () => {
    const p = fromRows([[1, 0, 0], [0.6, 0.6, 0], [0, 0, 0.01]]);
    expect([1, 2, 3].map((r) => shareRank(p, r))).toEqual([1, 0.5, 0]);
    expect(() => shareRank(p, 0)).toThrow(/rank 0/);
    expect(() => shareRank(p, 1.5)).toThrow(RangeError);
  });
});

describe('reluPairs (abs model)', () => {
  it('pairs monosemantic neurons reading the same feature with opposite signs, each neuron once', () => {
    const p = fromRows([
      [0.9, 0, 0, 0.05], // +x0
      [-1.1, 0, 0, 0], //  −x0
      [0, 1, 0, 0], //     +x1 (no partner)
      [0, 0, -0.7, 0], //  −x2
      [0, 0, 0.8, 0.1], // +x2
      [0, 0, 0.9, 0], //   +x2 again: its partner is taken
      [0.7, 0.7, 0, 0], // polysemantic: never paired
    ], 'abs');
    expect(reluPairs(p)).toEqual([{ feature: 0, pos: 0, neg: 1 }, { feature: 2, pos: 4, neg: 3 }]);
  });

  it('never pairs same-sign neurons, and a pair always shares its top feature', () => {
    fc.assert(fc.property(fc.array(weights(3), { minLength: 2, maxLength: 6 }), (rows) => {
      const p = fromRows(rows, 'abs');
      const ns = neurons(p);
      const used = new Set<number>();
      for (const q of reluPairs(p)) {
        expect(ns[q.pos].top).toBe(q.feature);
        expect(ns[q.neg].top).toBe(q.feature);
        expect(ns[q.pos].weights[q.feature]).toBeGreaterThan(0);
        expect(ns[q.neg].weights[q.feature]).toBeLessThan(0);
        expect(used.has(q.pos) || used.has(q.neg)).toBe(false);
        used.add(q.pos).add(q.neg);
      }
    }), FC);
  });
});
