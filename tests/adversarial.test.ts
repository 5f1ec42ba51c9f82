// The optimal L2 attack (src/metrics/adversarial.ts) against brute force: random search over δ in the full
// input space, a fine grid over the m = 2 hidden-space circle, cases with a closed-form answer, and a
// finite-difference check that the returned attack is a local maximum in the ball.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Params } from '../src/types.js';
import { attack, attackModel, vulnerability } from '../src/metrics/adversarial.js';
import { symEig } from '../src/metrics/sym-eig.js';
import { forward } from '../src/metrics/evaluate.js';
import { Rng } from '../src/rng.js';

/** ℓ_x(δ) computed directly by the model's forward pass (no reduction to the hidden space). */
function directLoss(p: Params, I: number[], x: number[], delta: ArrayLike<number>): number {
  const y = forward(p, x.map((v, i) => v + delta[i]));
  return x.reduce((s, v, i) => s + I[i] * (v - y[i]) ** 2, 0) / p.n;
}

function randomModel(rng: Rng, n: number, m: number, kind: Params['kind'] = 'relu-output'): Params {
  return { kind, n, m, W: Float32Array.from({ length: n * m }, () => rng.normal() * 0.7), b: Float32Array.from({ length: n }, () => 0.3 * rng.normal() - 0.1) };
}
const randomInput = (rng: Rng, n: number, p: number) => Array.from({ length: n }, () => (rng.uniform() < p ? rng.uniform() : 0));
const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));

describe('symEig', () => {
  it('reconstructs random symmetric matrices with orthonormal eigenvectors', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1e6 }), (m, seed) => {
      const rng = new Rng(`eig${seed}`);
      const B = Array.from({ length: m }, () => Array.from({ length: m }, () => rng.normal()));
      const A = B.map((r, i) => r.map((_, j) => (B[i][j] + B[j][i]) / 2));
      const { values, vectors: Q } = symEig(A);
      for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) {
        expect(values.reduce((s, l, k) => s + Q[i][k] * l * Q[j][k], 0)).toBeCloseTo(A[i][j], 9);
        expect(Q.reduce((s, row) => s + row[i] * row[j], 0)).toBeCloseTo(i === j ? 1 : 0, 9);
      }
    }), { numRuns: 200 });
  });
});

describe('attack', () => {
  it('stays within the budget, and its reported loss is the forward pass at x + δ', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 1e6 }), (n, m, seed) => {
      const rng = new Rng(`budget${seed}`);
      const p = randomModel(rng, n, m);
      const I = Array.from({ length: n }, () => 0.2 + rng.uniform());
      const x = randomInput(rng, n, 0.5);
      const eps = 0.05 + 0.3 * rng.uniform();
      const a = attack(attackModel(p, I), x, eps);
      expect(norm(a.delta)).toBeLessThanOrEqual(eps * (1 + 1e-9));
      expect(a.attacked).toBeCloseTo(directLoss(p, I, x, a.delta), 6);
      expect(a.clean).toBeCloseTo(directLoss(p, I, x, new Array(n).fill(0)), 9);
      expect(a.attacked).toBeGreaterThanOrEqual(a.clean);
    }), { numRuns: 150 });
  });

  it('beats or matches random search over δ in the whole input space (n ≤ 6, 10,000 draws on the sphere)', () => {
    for (let t = 0; t < 30; t++) {
      const rng = new Rng(`search${t}`);
      const n = 3 + (t % 4);
      const m = 1 + (t % 3);
      const p = randomModel(rng, n, m);
      const I = Array.from({ length: n }, () => 0.2 + rng.uniform());
      const x = randomInput(rng, n, 0.6);
      const eps = 0.1 + 0.3 * rng.uniform();
      const a = attack(attackModel(p, I), x, eps);
      let best = 0;
      for (let k = 0; k < 10_000; k++) {
        const d = Array.from({ length: n }, () => rng.normal());
        const r = norm(d);
        best = Math.max(best, directLoss(p, I, x, d.map((v) => (eps * v) / r)));
      }
      expect(a.attacked, `case ${t}`).toBeGreaterThanOrEqual(best * (1 - 1e-6));
    }
  });

  it('finds the maximum of a 2,000-point grid over the hidden-space circle (m = 2, trained-like models with n = 5..20)', () => {
    for (let t = 0; t < 60; t++) {
      const rng = new Rng(`grid${t}`);
      const n = 5 + (t % 16);
      const p = randomModel(rng, n, 2);
      const I = Array.from({ length: n }, () => 1);
      const x = randomInput(rng, n, 0.3);
      const eps = 0.05 + 0.4 * rng.uniform();
      const am = attackModel(p, I);
      const a = attack(am, x, eps);
      // δ = Wᵀ A⁻¹ z reaches hidden offset z with the least norm, so the circle zᵀA⁻¹z = ε² is the boundary
      let best = 0;
      for (let k = 0; k < 2000; k++) {
        const th = (2 * Math.PI * k) / 2000;
        const u = [Math.cos(th), Math.sin(th)];
        const y = am.invSqrt.map((row) => row[0] * u[0] + row[1] * u[1]);
        const d = Array.from({ length: n }, (_, i) => eps * (p.W[i * 2] * y[0] + p.W[i * 2 + 1] * y[1]));
        best = Math.max(best, directLoss(p, I, x, d));
      }
      expect(a.attacked, `case ${t}`).toBeGreaterThanOrEqual(best * (1 - 1e-4));
    }
  });

  it('is a local maximum in the ball: no finite-difference move of u gains (to 1e-6 relative)', () => {
    for (let t = 0; t < 40; t++) {
      const rng = new Rng(`fd${t}`);
      const n = 6 + (t % 10);
      const m = 2 + (t % 3);
      const p = randomModel(rng, n, m);
      const I = Array.from({ length: n }, () => 1);
      const x = randomInput(rng, n, 0.3);
      const eps = 0.2;
      const am = attackModel(p, I);
      const a = attack(am, x, eps);
      const deltaOf = (u: number[]) => {
        const r = Math.max(1, norm(u));
        const y = am.invSqrt.map((row) => row.reduce((s, v, l) => s + (v * u[l]) / r, 0));
        return Array.from({ length: n }, (_, i) => eps * y.reduce((s, v, k) => s + p.W[i * m + k] * v, 0));
      };
      for (let k = 0; k < 2 * m; k++) {
        const u = Array.from(a.u);
        u[k % m] += (k < m ? 1 : -1) * 1e-4;
        expect(directLoss(p, I, x, deltaOf(u)), `case ${t}, axis ${k}`).toBeLessThanOrEqual(a.attacked * (1 + 1e-6));
      }
    }
  });

  it('closed forms: one feature attacks along ±ε; an orthonormal basis with no bias loses exactly ε²/n', () => {
    const one: Params = { kind: 'relu-output', n: 1, m: 1, W: Float32Array.of(0.9), b: Float32Array.of(-0.05) };
    for (const x of [0, 0.3, 0.8]) {
      const eps = 0.1;
      const want = Math.max(directLoss(one, [1], [x], [eps]), directLoss(one, [1], [x], [-eps]));
      expect(attack(attackModel(one, [1]), [x], eps).attacked).toBeCloseTo(want, 12);
    }
    const basis: Params = { kind: 'relu-output', n: 3, m: 3, W: Float32Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1), b: new Float32Array(3) };
    const a = attack(attackModel(basis, [1, 1, 1]), [0.5, 0.6, 0.7], 0.1);
    expect(a.attacked - a.clean).toBeCloseTo(0.01 / 3, 10);
  });

  it('refuses models it does not solve (hidden ReLU, untied)', () => {
    const p = randomModel(new Rng('refuse'), 4, 2, 'relu-hidden');
    expect(() => attackModel(p, [1, 1, 1, 1])).toThrow(/tied model without a hidden ReLU/);
  });
});

describe('vulnerability', () => {
  const p = randomModel(new Rng('vuln'), 8, 3);
  const inst = { sparsity: 0.7, importance: new Array(8).fill(1), seed: 1 };
  it('is reproducible per label, and its budget is the given share of the inputs\' mean norm', () => {
    const a = vulnerability(p, inst, { kind: 'independent' }, 300, 'v');
    expect(vulnerability(p, inst, { kind: 'independent' }, 300, 'v')).toEqual(a);
    expect(a.eps).toBeCloseTo(0.1 * a.meanNorm, 12);
    expect(a.vulnerability).toBeCloseTo((a.attacked - a.clean) / a.eps ** 2, 12);
    const b = vulnerability(p, inst, { kind: 'independent' }, 300, 'v', 0.3);
    expect(b.eps).toBeCloseTo(3 * a.eps, 12);
    expect(b.attacked).toBeGreaterThan(a.attacked);
  });
});
