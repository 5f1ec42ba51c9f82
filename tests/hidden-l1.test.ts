// The L1 penalty on the hidden activations (train.hiddenL1, src/engines/native/hidden-l1.ts): its gradient
// equals central finite differences of an independent float64 penalty for every model family (coordinates
// whose ±H step moves a hidden pre-activation across 0, the kink of |·| and of the ReLU, are skipped), and
// training with it is the same bits on worker threads, keyed apart in the cache, and refused by other engines.
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MODEL_KINDS, MODEL_TRAITS } from '../src/models.js';
import { allocBatch, makeSampler } from '../src/data.js';
import { Rng } from '../src/rng.js';
import { addHiddenL1 } from '../src/engines/native/hidden-l1.js';
import { runKey } from '../src/cache.js';
import { trainRun } from '../src/train.js';
import { NativeEngine } from '../src/engines/native/index.js';
import { closePool } from '../src/engines/native/pool.js';
import { validateRun } from '../src/validate.js';
import type { Engine } from '../src/engines/engine.js';
import { featureNorms } from '../src/metrics/features.js';
import { tinyRun } from './helpers/tiny-run.js';
import { weightsHash } from './helpers/weights-hash.js';

afterAll(() => closePool());
const H = 1e-5;

/** float64 λ/B Σ_b Σ_k |h_bk| and the sign pattern of the pre-activations (to spot kinks) */
function refPenalty(hiddenRelu: boolean, n: number, m: number, E: Float64Array, x: Float32Array, B: number, lambda: number) {
  let total = 0;
  let pattern = '';
  for (let b = 0; b < B; b++) {
    for (let k = 0; k < m; k++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += x[b * n + i] * E[i * m + k];
      pattern += s > 0 ? '+' : s < 0 ? '-' : '0';
      total += hiddenRelu ? Math.max(0, s) : Math.abs(s);
    }
  }
  return { value: (lambda * total) / B, pattern };
}

describe('addHiddenL1', () => {
  it('its gradient equals finite differences of the penalty, for every model family (fast-check)', () => {
    fc.assert(fc.property(fc.constantFrom(...MODEL_KINDS), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 12 }),
      fc.double({ min: 0, max: 0.9, noNaN: true }), fc.double({ min: 0.001, max: 2, noNaN: true }), fc.integer({ min: 1, max: 1e6 }), (kind, n, m, B, S, lambda, seed) => {
        const t = MODEL_TRAITS[kind];
        const rng = new Rng(`l1-${seed}`);
        const batch = allocBatch(B, n);
        makeSampler(n, new Array(n).fill(1 - S), { kind: 'independent' }, t.absTarget, rng).fill(batch);
        const E32 = Float32Array.from({ length: n * m }, () => rng.uniform() * 2 - 1);
        const g = new Float32Array(n * m);
        const got = addHiddenL1(t, m, E32, batch, lambda, g, new Float64Array(B * m));
        const E = Float64Array.from(E32);
        const base = refPenalty(t.hiddenRelu, n, m, E, batch.x, B, lambda);
        expect(Math.abs(got - base.value)).toBeLessThanOrEqual(1e-9 * (1 + base.value));
        for (let q = 0; q < n * m; q++) {
          const up = Float64Array.from(E);
          const dn = Float64Array.from(E);
          up[q] += H;
          dn[q] -= H;
          const a = refPenalty(t.hiddenRelu, n, m, up, batch.x, B, lambda);
          const b = refPenalty(t.hiddenRelu, n, m, dn, batch.x, B, lambda);
          if (a.pattern !== base.pattern || b.pattern !== base.pattern) continue; // a kink between the points
          const fd = (a.value - b.value) / (2 * H);
          expect(Math.abs(g[q] - fd)).toBeLessThanOrEqual(1e-4 * Math.abs(fd) + 1e-6 * lambda * 10);
        }
      }), { numRuns: 300 });
  });

  it('adds to the gradient it is given, and its derivative at a pre-activation of exactly 0 is 0', () => {
    const t = MODEL_TRAITS['relu-output'];
    const batch = allocBatch(1, 2);
    batch.x.set([1, 0]);
    batch.colPtr.set([0, 1, 1]);
    batch.rows.set([0]);
    batch.vals.set([1]);
    const g = Float32Array.from([0.5, 0.5, 0.5, 0.5]);
    addHiddenL1(t, 2, Float32Array.from([0, -2, 3, 3]), batch, 1, g, new Float64Array(2));
    expect([...g]).toEqual([0.5, -0.5, 0.5, 0.5]); // h = (0, −2): sign 0 and −1; feature 1 absent
  });
});

describe('training with hiddenL1', () => {
  const withL1 = (lambda: number | undefined, steps = 300) => {
    const c = tinyRun('hidden-l1', [1, 2, 3]);
    return { ...c, train: { ...c.train, steps, hiddenL1: lambda } };
  };
  it('is the same bits on worker threads; enters the run key; a large λ shrinks the weights', async () => {
    const a = await trainRun(withL1(0.05), { engine: new NativeEngine({ threads: 1 }), fresh: true });
    const b = await trainRun(withL1(0.05), { engine: new NativeEngine({ threads: 2 }), fresh: true });
    expect(weightsHash(b.instances)).toBe(weightsHash(a.instances));
    const plain = await trainRun(withL1(undefined), { engine: new NativeEngine({ threads: 1 }), fresh: true });
    expect(weightsHash(plain.instances)).not.toBe(weightsHash(a.instances));
    expect(runKey(withL1(0.05), 'native')).not.toBe(runKey(withL1(undefined), 'native'));
    // Adam moves each weight by ≈ lr a step whatever λ is, so give it the steps to get there
    const long = await trainRun(withL1(undefined, 3000), { engine: new NativeEngine({ threads: 1 }), fresh: true });
    const big = await trainRun(withL1(1, 3000), { engine: new NativeEngine({ threads: 1 }), fresh: true });
    const norm = (r: typeof a) => r.instances.reduce((s, t) => s + featureNorms(t.params).reduce((x, y) => x + y, 0), 0);
    expect(norm(big)).toBeLessThan(0.5 * norm(long));
  });

  it('is refused by an engine without it, and λ must be a finite number ≥ 0', async () => {
    const other: Engine = { name: 'other', describe: () => 'other', train: async () => [] };
    await expect(trainRun(withL1(0.1), { engine: other })).rejects.toThrow(/L1 penalty .*only the native engine.*TMS_ENGINE=native/);
    for (const bad of [-0.1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => validateRun(withL1(bad))).toThrow(/hiddenL1/);
  });
});
