// src/metrics/evaluate.ts: the plain forward pass of every model kind, held-out loss and the abs model's
// per-feature errors, on hand-built models whose answers are known in closed form.
import { describe, expect, it } from 'vitest';
import type { Params } from '../src/types.js';
import { absErrors, forward, heldOutLoss, heldOutLosses, hidden, hiddenBatch, hiddenBatchSparse, output } from '../src/metrics/evaluate.js';
import { allocBatch, makeSampler } from '../src/data.js';
import { Rng } from '../src/rng.js';

const params = (kind: Params['kind'], n: number, m: number, W: number[], b: number[], W2?: number[]): Params =>
  ({ kind, n, m, W: Float32Array.from(W), W2: W2 ? Float32Array.from(W2) : undefined, b: Float32Array.from(b) });

/** Abs model computing |x_i| exactly for the features listed: neurons 2j, 2j+1 read ±x_i, output i adds them. */
function absModel(n: number, computed: number[], side: 'both' | 'pos' = 'both'): Params {
  const m = 2 * computed.length;
  const W = new Array(n * m).fill(0);
  const W2 = new Array(n * m).fill(0);
  computed.forEach((i, j) => {
    W[i * m + 2 * j] = 1;
    W[i * m + 2 * j + 1] = -1;
    W2[i * m + 2 * j] = 1;
    W2[i * m + 2 * j + 1] = side === 'both' ? 1 : 0;
  });
  return params('abs', n, m, W, new Array(n).fill(0), W2);
}

describe('forward', () => {
  it('implements each model family of the paper (feature-major W, tied or W2 decoder, ReLUs where they belong)', () => {
    // n = 2, m = 1: W_0 = 1, W_1 = −1, b = (0.1, 0.1)
    const W = [1, -1];
    const x = [0.5, 0.2];
    expect([...forward(params('linear', 2, 1, W, [0.1, 0.1]), x)].map((v) => +v.toFixed(6))).toEqual([0.4, -0.2]);
    expect([...forward(params('relu-output', 2, 1, W, [0.1, 0.1]), x)].map((v) => +v.toFixed(6))).toEqual([0.4, 0]);
    // relu-hidden: h = ReLU(0.3) = 0.3; with x = (0.2, 0.5) h = ReLU(−0.3) = 0
    expect([...forward(params('relu-hidden', 2, 1, W, [0.1, 0.1]), [0.2, 0.5])].map((v) => +v.toFixed(6))).toEqual([0.1, 0.1]);
    const abs = absModel(3, [1]);
    expect(hidden(abs, [0.3, -0.4, 0.9])[1]).toBeCloseTo(0.4, 6);
    expect(output(abs, hidden(abs, [0.3, -0.4, 0.9]), 1)).toBeCloseTo(0.4, 6);
    expect(output(abs, hidden(abs, [0.3, -0.4, 0.9]), 0)).toBe(0);
  });
});

describe('heldOutLoss', () => {
  it('is 0 for a model that reconstructs every input, and E[x²]·p·mean(I) for the zero model', () => {
    const ident = params('relu-output', 2, 2, [1, 0, 0, 1], [0, 0]);
    const inst = { sparsity: 0.7, importance: [1, 0.5], seed: 1 };
    expect(heldOutLoss(ident, inst, { kind: 'independent' }, 4096, 't')).toBeLessThan(1e-12);
    const zero = params('relu-output', 2, 2, [0, 0, 0, 0], [0, 0]);
    const L = heldOutLoss(zero, inst, { kind: 'independent' }, 65536, 't');
    const want = (1 / 3) * 0.3 * ((1 + 0.5) / 2);
    expect(Math.abs(L - want) / want).toBeLessThan(0.03); // ≈ 5 standard errors at 65,536 samples
  });

  it('the same label gives the same samples for every model (common random numbers)', () => {
    const a = params('relu-output', 3, 2, [1, 0, 0, 1, 0.7, 0.7], [0, 0, 0]);
    const inst = { sparsity: 0.9, importance: [1, 1, 1], seed: 1 };
    expect(heldOutLoss(a, inst, { kind: 'independent' }, 2048, 'same')).toBe(heldOutLoss(a, inst, { kind: 'independent' }, 2048, 'same'));
  });

  it('heldOutLosses gives each parameter set exactly its heldOutLoss (samples drawn once, a partial last batch included)', () => {
    const inst = { sparsity: 0.6, importance: [1, 0.8, 0.5], seed: 1 };
    const sets = [[1, 0, 0, 1, 0.7, 0.7], [0.2, -1, 0.5, 0.5, 0, 1], [0, 0, 0, 0, 0, 0]].map((W, k) => params('relu-output', 3, 2, W, [0.01 * k, 0, -0.02]));
    const all = heldOutLosses(sets, inst, { kind: 'independent' }, 2500, 'snap');
    expect(all).toEqual(sets.map((p) => heldOutLoss(p, inst, { kind: 'independent' }, 2500, 'snap')));
    expect(new Set(all).size).toBe(3);
    expect(heldOutLosses([], inst, { kind: 'independent' }, 10, 'x')).toEqual([]);
  });
});

describe('absErrors', () => {
  const inst = (n: number) => ({ sparsity: 0.99, importance: new Array(n).fill(1), seed: 1 });

  it('an exact |x_i| circuit scores 0 on both sides; an uncomputed feature (output 0) scores 1', () => {
    const e = absErrors(absModel(4, [0, 2]), inst(4), 1000, 'a');
    expect(e.pos[0]).toBeLessThan(1e-9);
    expect(e.neg[2]).toBeLessThan(1e-9);
    expect(e.full[0]).toBeLessThan(1e-9);
    expect(e.pos[1]).toBeCloseTo(1, 9);
    expect(e.full[3]).toBeCloseTo(1, 9);
  });

  it('a one-sided circuit (ReLU(x_i) only) scores 0 on its side and 1 on the other, 1/2 overall', () => {
    const e = absErrors(absModel(3, [1], 'pos'), inst(3), 1000, 'b');
    expect(e.pos[1]).toBeLessThan(1e-9);
    expect(e.neg[1]).toBeCloseTo(1, 9);
    expect(e.full[1]).toBeCloseTo(0.5, 9);
  });

  it('the constant 1/2 scores E[(1/2 − |x|)²]/E[x²] = (1/12)/(1/3) = 1/4', () => {
    const p = params('abs', 1, 1, [0], [0.5], [0]);
    const e = absErrors(p, inst(1), 40_000, 'c');
    expect(e.full[0]).toBeCloseTo(0.25, 2);
  });

  it('refuses other model kinds', () => {
    expect(() => absErrors(params('relu-hidden', 1, 1, [1], [0]), inst(1), 10, 'd')).toThrow(/abs/);
  });
});

describe('hiddenBatchSparse', () => {
  it('gives hiddenBatch\'s bits from the column lists, for every kind, sparse and dense batches, listed zeros included', () => {
    for (const kind of ['linear', 'relu-output', 'relu-hidden', 'abs'] as const) {
      for (const S of [0, 0.7, 0.99]) {
        const [n, m, B] = [7, 3, 50];
        const rng = new Rng(`hbs-${kind}-${S}`);
        const p = params(kind, n, m, Array.from({ length: n * m }, () => rng.uniform() * 2 - 1), new Array(n).fill(0), kind === 'abs' || kind === 'relu-hidden' ? Array.from({ length: n * m }, () => rng.uniform()) : undefined);
        const batch = allocBatch(B, n);
        makeSampler(n, new Array(n).fill(1 - S), { kind: 'independent' }, kind === 'abs', rng).fill(batch);
        if (batch.colPtr[1] > batch.colPtr[0]) { batch.vals[batch.colPtr[0]] = 0; batch.x[batch.rows[batch.colPtr[0]] * n] = 0; } // a listed zero
        const dense = new Float64Array(B * m), sparse = new Float64Array(B * m);
        hiddenBatch(p, batch.x, B, dense);
        hiddenBatchSparse(p, batch, sparse);
        expect(Array.from(sparse, (v) => Object.is(v, -0) ? '-0' : v), `${kind} S=${S}`).toEqual(Array.from(dense, (v) => Object.is(v, -0) ? '-0' : v));
      }
    }
  });
});
