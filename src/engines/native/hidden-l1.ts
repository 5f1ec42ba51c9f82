// The L1 penalty λ·mean_b ‖h_b‖₁ on the hidden activations (TrainConfig.hiddenL1, claim 13): its gradient
// added to the encoder's, after the kernel. Plain JavaScript in a fixed order (features in increasing i, each
// feature's non-zeros in increasing b), so the bits are the same with every kernel and thread count.
import type { Batch } from '../../data.js';
import type { ModelTraits } from '../../models.js';

/**
 * gE += ∂/∂E of λ/B Σ_b Σ_k |h_bk|, h_b = E x_b (through the hidden ReLU where the model has one; |·|'s
 * derivative is sign, 0 at 0, as PyTorch's). Returns the penalty itself. `pre` is scratch of B·m.
 */
export function addHiddenL1(t: ModelTraits, m: number, E: Float32Array, batch: Batch, lambda: number, gE: Float32Array, pre: Float64Array): number {
  const { B, n, colPtr, rows, vals } = batch;
  pre.fill(0, 0, B * m);
  for (let i = 0; i < n; i++) {
    const o = i * m;
    for (let j = colPtr[i], end = colPtr[i + 1]; j < end; j++) {
      const hb = rows[j] * m;
      const v = vals[j];
      for (let k = 0; k < m; k++) pre[hb + k] += v * E[o + k];
    }
  }
  let penalty = 0;
  for (let q = 0; q < B * m; q++) {
    const s = pre[q];
    // d|h|/d(pre): ReLU hidden: 1 where pre > 0 (h = pre ≥ 0), else 0; no ReLU: sign(pre)
    const d = s > 0 ? 1 : t.hiddenRelu || s === 0 ? 0 : -1;
    penalty += t.hiddenRelu ? (s > 0 ? s : 0) : Math.abs(s);
    pre[q] = d;
  }
  const c = lambda / B;
  for (let i = 0; i < n; i++) {
    const o = i * m;
    for (let j = colPtr[i], end = colPtr[i + 1]; j < end; j++) {
      const hb = rows[j] * m;
      const v = vals[j];
      for (let k = 0; k < m; k++) gE[o + k] += c * v * pre[hb + k];
    }
  }
  return (lambda * penalty) / B;
}
