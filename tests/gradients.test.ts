// The native engine's analytic gradients (forwardBackward in src/engines/native/kernel.ts) equal
// central finite differences of an independent float64 implementation of the loss, for all four
// model families on random small shapes (n 1..8, m 1..5, B 1..16), sparsities, importances and params.
//
// Finite differences: float64, step H = 1e-5, so truncation (~H²·|f'''|) and round-off (~1e-16·L/H)
// are far below the tolerance. The kernel works in float32 (ε ≈ 6e-8), and a gradient that is a small
// difference of large terms is only as accurate as ε × those terms, so the tolerance is
//   |g_native − g_fd| ≤ 1e-4·|g_fd| + 2e-6·gradMag        (GRAD_RTOL, GRAD_MAG_TOL)
// where gradMag (see refLoss) sums the absolute values of every term that enters the gradients.
// Measured worst case over 12,000 random cases: 1.7e-7·gradMag, so ~10× margin, while a 0.1% error
// in any part of the backward pass fails. The kernel's loss must match the float64 loss to
// 1e-5·lossMag (measured worst 1.1e-7·lossMag).
// ReLU kinks: a coordinate is skipped when perturbing it by ±H flips any ReLU (a hidden or an output
// pre-activation crossing 0), where the loss is not differentiable; the test checks that > 90% of
// coordinates were checked. ReLU'(0) = 0 (PyTorch's convention) is checked separately.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MODEL_KINDS, MODEL_TRAITS, type ModelTraits } from '../src/models.js';
import type { ModelKind } from '../src/types.js';
import { allocBatch, makeSampler } from '../src/data.js';
import { Rng } from '../src/rng.js';
import { allocWorkspace, forwardBackward, type Grads } from '../src/engines/native/kernel.js';

const H = 1e-5;
const LOSS_RTOL = 1e-5;
const GRAD_RTOL = 1e-4;
const GRAD_MAG_TOL = 2e-6;

/**
 * Float64 reference: loss = (1/(B·n)) Σ_b Σ_i I_i (x'_bi − y_bi)², plus
 * - pattern: which ReLU pre-activations are > 0, to detect kinks between evaluation points;
 * - lossMag, gradMag: the same sums taken over absolute values of every term (|b_i| + Σ|D_ik h_k| + |y|,
 *   with h from Σ|x E|), i.e. the scale on which float32 rounding in the kernel acts. A result that
 *   is a small difference of large terms can only be checked to ε·(these), not to ε·(itself).
 * E, D feature-major [n×m] (D = E when tied); x sample-major [B×n].
 */
function refLoss(t: ModelTraits, n: number, m: number, E: Float64Array, D: Float64Array, b: Float64Array, imp: ArrayLike<number>, x: Float32Array, B: number) {
  let loss = 0;
  let lossMag = 0;
  let gradMag = 0;
  let pattern = '';
  const h = new Float64Array(m);
  const hAbs = new Float64Array(m);
  for (let s = 0; s < B; s++) {
    h.fill(0);
    hAbs.fill(0);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < m; k++) {
        h[k] += x[s * n + i] * E[i * m + k];
        hAbs[k] += Math.abs(x[s * n + i] * E[i * m + k]);
      }
    }
    if (t.hiddenRelu) {
      for (let k = 0; k < m; k++) {
        pattern += h[k] > 0 ? '1' : '0';
        if (!(h[k] > 0)) h[k] = 0;
      }
    }
    let hSum = 0;
    for (let k = 0; k < m; k++) hSum += hAbs[k];
    for (let i = 0; i < n; i++) {
      let o = b[i];
      let a = Math.abs(b[i]);
      let dSum = 0;
      for (let k = 0; k < m; k++) {
        o += D[i * m + k] * h[k];
        a += Math.abs(D[i * m + k]) * hAbs[k];
        dSum += Math.abs(D[i * m + k]);
      }
      if (t.outputRelu) {
        pattern += o > 0 ? '1' : '0';
        if (!(o > 0)) o = 0;
      }
      const xi = x[s * n + i];
      const y = t.absTarget ? Math.abs(xi) : xi;
      loss += imp[i] * (o - y) ** 2;
      a += Math.abs(y);
      lossMag += imp[i] * a * a;
      gradMag += 2 * imp[i] * a * (1 + hSum + dSum);
    }
  }
  return { loss: loss / (B * n), lossMag: lossMag / (B * n), gradMag: gradMag / (B * n), pattern };
}

const caseArb = fc.record({
  n: fc.integer({ min: 1, max: 8 }),
  m: fc.integer({ min: 1, max: 5 }),
  B: fc.integer({ min: 1, max: 16 }),
  sparsity: fc.double({ min: 0, max: 0.95, noNaN: true }),
  // importance 0 or in [1e-3, 2] (fast-check's doubles otherwise include subnormals, whose products underflow)
  importance: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 2, noNaN: true })), { minLength: 8, maxLength: 8 }),
  wScale: fc.double({ min: 0.1, max: 2, noNaN: true }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

describe('native analytic gradients = central finite differences (float64)', () => {
  for (const kind of MODEL_KINDS as ModelKind[]) {
    it(kind, () => {
      const t = MODEL_TRAITS[kind];
      let checked = 0;
      let total = 0;
      fc.assert(
        fc.property(caseArb, ({ n, m, B, sparsity, importance, wScale, seed }) => {
          const rng = new Rng(`grad-test/${kind}/${seed}`);
          const imp = importance.slice(0, n);
          const W = Float32Array.from({ length: n * m }, () => wScale * rng.normal());
          const W2 = t.tied ? undefined : Float32Array.from({ length: n * m }, () => wScale * rng.normal());
          const bias = Float32Array.from({ length: n }, () => 0.3 * rng.normal());
          const batch = allocBatch(B, n);
          makeSampler(n, new Array(n).fill(1 - sparsity), { kind: 'independent' }, t.absTarget, rng).fill(batch);

          const g: Grads = { gW: new Float32Array(n * m), gW2: W2 && new Float32Array(n * m), gb: new Float32Array(n) };
          const loss = forwardBackward(t, n, m, W, W2 ?? W, bias, Float64Array.from(imp), batch, allocWorkspace(B, m), g);

          // Float64 copies of exactly the same (float32) point.
          const E = Float64Array.from(W);
          const D2 = W2 && Float64Array.from(W2);
          const b = Float64Array.from(bias);
          const f = () => refLoss(t, n, m, E, D2 ?? E, b, imp, batch.x, B);
          const base = f();
          expect(Math.abs(loss - base.loss)).toBeLessThanOrEqual(LOSS_RTOL * base.lossMag);

          const groups: [Float64Array, Float32Array, string][] = [[E, g.gW, 'W'], [b, g.gb, 'b']];
          if (D2) groups.push([D2, g.gW2!, 'W2']);
          const fd: { name: string; j: number; fd: number; an: number }[] = [];
          for (const [p, an, name] of groups) {
            for (let j = 0; j < p.length; j++) {
              total++;
              const p0 = p[j];
              p[j] = p0 + H;
              const up = f();
              p[j] = p0 - H;
              const dn = f();
              p[j] = p0;
              if (up.pattern !== base.pattern || dn.pattern !== base.pattern) continue; // a ReLU kink in (−H, H)
              checked++;
              fd.push({ name, j, fd: (up.loss - dn.loss) / (2 * H), an: an[j] });
            }
          }
          for (const e of fd) {
            const tol = GRAD_RTOL * Math.abs(e.fd) + GRAD_MAG_TOL * base.gradMag;
            expect(Math.abs(e.an - e.fd), `${kind} n=${n} m=${m} B=${B}: d loss/d ${e.name}[${e.j}] analytic ${e.an} vs fd ${e.fd}`).toBeLessThanOrEqual(tol);
          }
        }),
        { numRuns: 300 },
      );
      // Kinks are rare at random points: nearly all coordinates must have been checked.
      expect(checked / total).toBeGreaterThan(0.9);
    });
  }
  it("ReLU'(0) = 0, as in PyTorch: a dead hidden unit leaves an output pre-activation of exactly 0 with no gradient", () => {
    for (const kind of ['relu-hidden', 'abs'] as const) {
      const t = MODEL_TRAITS[kind];
      // n = m = 1, W = −1 so h = ReLU(−x) = 0 for x > 0, and b = 0: the output pre-activation is exactly
      // 0 while the target x is not, so ReLU'(0) = 1 would give ∂L/∂b ≠ 0.
      const batch = allocBatch(1, 1);
      batch.x[0] = 0.5;
      batch.colPtr.set([0, 1]);
      batch.rows[0] = 0;
      batch.vals[0] = 0.5;
      const W = Float32Array.of(-1);
      const W2 = t.tied ? undefined : Float32Array.of(1);
      const g: Grads = { gW: new Float32Array(1), gW2: W2 && new Float32Array(1), gb: new Float32Array(1) };
      const loss = forwardBackward(t, 1, 1, W, W2 ?? W, new Float32Array(1), Float64Array.of(1), batch, allocWorkspace(1, 1), g);
      expect(loss).toBeCloseTo(0.25, 12);
      expect(Array.from(g.gb)).toEqual([0]);
      expect(Array.from(g.gW)).toEqual([0]);
    }
  });
});
