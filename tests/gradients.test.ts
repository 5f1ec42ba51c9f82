// The native engine's analytic gradients (forwardBackward in src/engines/native/kernel.ts) equal
// central finite differences of an independent float64 implementation of the loss, for all four
// model families on random small shapes, sparsities, importances and parameters.
//
// Finite differences: float64, step H = 1e-5, so truncation (~H²·f''') and round-off (~1e-16·L/H) are
// both below 1e-9 relative. The kernel works in float32 (ε ≈ 6e-8), so the tolerance is
//   |g_native − g_fd| ≤ 1e-3·|g_fd| + 1e-4·max_j |g_fd_j| + 1e-9,
// ~100× the float32 error of these small sums, yet far below the O(|g|) error of a wrong formula.
// ReLU kinks: a coordinate is skipped when perturbing it by ±H flips any ReLU (hidden pre-activation
// or output pre-activation crossing 0), since the loss is not differentiable there; the test also
// checks that most coordinates are checked. The kernel's loss must match the float64 loss to 1e-5
// relative (float32 storage of activations).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MODEL_KINDS, MODEL_TRAITS, type ModelTraits } from '../src/models.js';
import type { ModelKind } from '../src/types.js';
import { allocBatch, makeSampler } from '../src/data.js';
import { Rng } from '../src/rng.js';
import { allocWorkspace, forwardBackward, type Grads } from '../src/engines/native/kernel.js';

const H = 1e-5;

/**
 * Float64 reference: loss = (1/(B·n)) Σ_b Σ_i I_i (x'_bi − y_bi)², plus the ReLU pattern (which
 * pre-activations are > 0), used to detect kinks between evaluation points.
 * E, D feature-major [n×m] (D = E when tied); x sample-major [B×n].
 */
function refLoss(t: ModelTraits, n: number, m: number, E: Float64Array, D: Float64Array, b: Float64Array, imp: ArrayLike<number>, x: Float32Array, B: number): { loss: number; pattern: string } {
  let loss = 0;
  let pattern = '';
  const h = new Float64Array(m);
  for (let s = 0; s < B; s++) {
    h.fill(0);
    for (let i = 0; i < n; i++) for (let k = 0; k < m; k++) h[k] += x[s * n + i] * E[i * m + k];
    if (t.hiddenRelu) {
      for (let k = 0; k < m; k++) {
        pattern += h[k] > 0 ? '1' : '0';
        if (!(h[k] > 0)) h[k] = 0;
      }
    }
    for (let i = 0; i < n; i++) {
      let o = b[i];
      for (let k = 0; k < m; k++) o += D[i * m + k] * h[k];
      if (t.outputRelu) {
        pattern += o > 0 ? '1' : '0';
        if (!(o > 0)) o = 0;
      }
      const xi = x[s * n + i];
      const y = t.absTarget ? Math.abs(xi) : xi;
      loss += imp[i] * (o - y) ** 2;
    }
  }
  return { loss: loss / (B * n), pattern };
}

const caseArb = fc.record({
  n: fc.integer({ min: 1, max: 8 }),
  m: fc.integer({ min: 1, max: 5 }),
  B: fc.integer({ min: 1, max: 16 }),
  sparsity: fc.double({ min: 0, max: 0.95, noNaN: true }),
  importance: fc.array(fc.double({ min: 0, max: 2, noNaN: true }), { minLength: 8, maxLength: 8 }),
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
          expect(Math.abs(loss - base.loss)).toBeLessThanOrEqual(1e-5 * Math.abs(base.loss) + 1e-12);

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
          const scale = Math.max(0, ...fd.map((e) => Math.abs(e.fd)));
          for (const e of fd) {
            const tol = 1e-3 * Math.abs(e.fd) + 1e-4 * scale + 1e-9;
            expect(Math.abs(e.an - e.fd), `${kind} n=${n} m=${m} B=${B}: d loss/d ${e.name}[${e.j}] analytic ${e.an} vs fd ${e.fd}`).toBeLessThanOrEqual(tol);
          }
        }),
        { numRuns: 150 },
      );
      // Kinks are rare at random points: nearly all coordinates must have been checked.
      expect(checked / total).toBeGreaterThan(0.9);
    });
  }
});
