// The sparse autoencoder of claim 13b (src/engines/native/sae.ts): analytic gradients equal central finite
// differences of its loss (random shapes, skipping coordinates whose ±H step flips a latent's ReLU), the
// decoder is renormalised, training is deterministic, and it recovers the directions of a toy whose
// activations are a few known unit vectors.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normaliseDecoder, recoveryCosines, saeLoss, saeStats, trainSae, type SaeParams } from '../src/engines/native/sae.js';
import { Rng } from '../src/rng.js';
import type { Params } from '../src/types.js';

const H = 1e-6;
function randomSae(d: number, m: number, rng: Rng): SaeParams {
  const r = (k: number) => Float64Array.from({ length: k }, () => rng.uniform() * 2 - 1);
  return { d, m, Wenc: r(d * m), benc: r(d), Wdec: r(d * m), bdec: r(m) };
}
/** the sign pattern of every latent pre-activation, to spot a kink between evaluation points */
function pattern(p: SaeParams, X: Float64Array, B: number): string {
  let s = '';
  for (let b = 0; b < B; b++) for (let j = 0; j < p.d; j++) {
    let a = p.benc[j];
    for (let k = 0; k < p.m; k++) a += p.Wenc[j * p.m + k] * (X[b * p.m + k] - p.bdec[k]);
    s += a > 0 ? '1' : '0';
  }
  return s;
}

describe('saeLoss', () => {
  it('its gradients equal finite differences of the loss (fast-check)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 9 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 1e6 }), (d, m, B, l1, seed) => {
      const rng = new Rng(`sae-fd-${seed}`);
      const p = randomSae(d, m, rng);
      const X = Float64Array.from({ length: B * m }, () => rng.uniform() * 2 - 1);
      const g = { Wenc: new Float64Array(d * m), benc: new Float64Array(d), Wdec: new Float64Array(d * m), bdec: new Float64Array(m) };
      saeLoss(p, X, B, l1, g);
      const base = pattern(p, X, B);
      let checked = 0;
      let total = 0;
      for (const name of ['Wenc', 'benc', 'Wdec', 'bdec'] as const) {
        for (let q = 0; q < p[name].length; q++) {
          total++;
          const v = p[name][q];
          p[name][q] = v + H;
          const up = saeLoss(p, X, B, l1);
          const pu = pattern(p, X, B);
          p[name][q] = v - H;
          const dn = saeLoss(p, X, B, l1);
          const pd = pattern(p, X, B);
          p[name][q] = v;
          if (pu !== base || pd !== base) continue;
          checked++;
          const fd = (up - dn) / (2 * H);
          expect(Math.abs(g[name][q] - fd), `${name}[${q}]`).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(fd)));
        }
      }
      expect(checked).toBeGreaterThan(0.8 * total);
    }), { numRuns: 200 });
  });

  it('rows of zeros, taken together, give the mean of the per-row losses and gradients (fast-check)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 1e6 }), (d, m, zero, l1, seed) => {
      const rng = new Rng(`sae-zero-${seed}`);
      const p = randomSae(d, m, rng);
      const B = zero.length;
      const X = Float64Array.from({ length: B * m }, (_, q) => (zero[Math.floor(q / m)] ? 0 : rng.uniform() * 2 - 1));
      const grads = () => ({ Wenc: new Float64Array(d * m), benc: new Float64Array(d), Wdec: new Float64Array(d * m), bdec: new Float64Array(m) });
      const g = grads();
      const fired = new Uint8Array(d);
      const loss = saeLoss(p, X, B, l1, g, fired);
      const sum = grads();
      const firedRows = new Uint8Array(d);
      let rows = 0;
      for (let b = 0; b < B; b++) {
        const gb = grads();
        rows += saeLoss(p, X.subarray(b * m, (b + 1) * m), 1, l1, gb, firedRows);
        for (const name of ['Wenc', 'benc', 'Wdec', 'bdec'] as const) gb[name].forEach((v, q) => (sum[name][q] += v / B));
      }
      expect(loss).toBeCloseTo(rows / B, 12);
      for (const name of ['Wenc', 'benc', 'Wdec', 'bdec'] as const) g[name].forEach((v, q) => expect(v, `${name}[${q}]`).toBeCloseTo(sum[name][q], 12));
      expect([...fired]).toEqual([...firedRows]);
    }), { numRuns: 200 });
  });

  it('a wrong gradient fails the check: the L1 term counts', () => {
    const rng = new Rng('sae-l1');
    const p = randomSae(3, 2, rng);
    p.benc.fill(5); // every latent on
    const X = Float64Array.from({ length: 8 }, () => rng.uniform());
    const g0 = { Wenc: new Float64Array(6), benc: new Float64Array(3), Wdec: new Float64Array(6), bdec: new Float64Array(2) };
    const g1 = { Wenc: new Float64Array(6), benc: new Float64Array(3), Wdec: new Float64Array(6), bdec: new Float64Array(2) };
    const l0 = saeLoss(p, X, 4, 0, g0);
    const l1 = saeLoss(p, X, 4, 0.5, g1);
    expect(l1).toBeGreaterThan(l0);
    for (let j = 0; j < 3; j++) expect(g1.benc[j] - g0.benc[j]).toBeCloseTo(0.5, 12); // ∂(λ Σ z)/∂b_enc = λ while on
  });
});

describe('trainSae', () => {
  // A toy with 3 features on known unit directions in 2 dimensions, sparse: the SAE should find them.
  const dirs = [[1, 0], [-0.5, Math.sqrt(3) / 2], [-0.5, -Math.sqrt(3) / 2]];
  const toy: Params = { kind: 'relu-output', n: 3, m: 2, W: Float32Array.from(dirs.flat()), b: new Float32Array(3) };
  const inst = { sparsity: 0.9, importance: [1, 1, 1], seed: 1 };
  const cfg = { d: 3, l1: 0.05, steps: 3000, batch: 256, lr: 3e-3, resampleEvery: 1000 };

  it('is deterministic, keeps unit decoder columns, and recovers known directions', () => {
    const a = trainSae(toy, inst, { kind: 'independent' }, cfg, 'sae-test');
    const b = trainSae(toy, inst, { kind: 'independent' }, cfg, 'sae-test');
    expect([...a.params.Wdec]).toEqual([...b.params.Wdec]);
    for (let j = 0; j < 3; j++) expect(Math.hypot(a.params.Wdec[2 * j], a.params.Wdec[2 * j + 1])).toBeCloseTo(1, 12);
    const cos = recoveryCosines(a.params, toy, [0, 1, 2]);
    expect(Math.min(...cos)).toBeGreaterThan(0.99);
    const s = saeStats(a.params, toy, inst, { kind: 'independent' }, 8192, 'sae-test/eval');
    expect(s.dead).toBe(0);
    expect(s.l0).toBeGreaterThan(0.2); // ≈ 3 × 0.1 features active
    expect(s.l0).toBeLessThan(0.5);
  });

  it('normaliseDecoder leaves zero columns and scales the others to length 1', () => {
    const p: SaeParams = { d: 2, m: 2, Wenc: new Float64Array(4), benc: new Float64Array(2), Wdec: Float64Array.from([3, 4, 0, 0]), bdec: new Float64Array(2) };
    normaliseDecoder(p);
    [0.6, 0.8, 0, 0].forEach((v, k) => expect(p.Wdec[k]).toBeCloseTo(v, 15));
  });
});
