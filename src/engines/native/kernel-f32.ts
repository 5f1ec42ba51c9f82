// The float32 numerics ("f32", engine native-f32): the same forward + backward as kernel.ts, but every
// multiply and every add is an IEEE float32 operation (the product rounded to float32, then the sum), in
// the fixed order per element written below; no fused multiply-add. This is the readable reference:
// wasm-kernel-f32.ts computes the same bits with f32x4 lanes (tests/native-kernel-f32.test.ts).
// fr(a ∘ b) of two float32 values computed in double equals the float32 operation a ∘ b for + − × (double
// has more than 2·24 + 2 bits, so rounding twice rounds once), which is how JavaScript writes it.
// The loss (logged, not trained on) stays a double sum: per feature over samples in increasing b, then over
// features in increasing i, of the float32 terms fr(w·diff).
import type { Batch } from '../../data.js';
import type { ModelTraits } from '../../models.js';
import type { Grads, Workspace } from './kernel.js';

const fr = Math.fround;

/** Writes gradients into `g` (overwritten) and returns the loss; arguments as kernel.ts's forwardBackward. */
export function forwardBackwardF32(
  t: ModelTraits, n: number, m: number, E: Float32Array, D: Float32Array, bias: Float32Array,
  importance: Float64Array, batch: Batch, ws: Workspace, g: Grads,
): number {
  const { B, x, colPtr, rows, vals } = batch;
  const { hpre, h, dh } = ws;
  const gE = g.gW;
  const gD = t.tied ? g.gW : g.gW2!;
  const gb = g.gb;
  gE.fill(0);
  if (!t.tied) gD.fill(0);
  gb.fill(0);
  dh.fill(0);

  // Encoder: hpre_bk = fr(hpre_bk + fr(x_bi E_ik)), features in increasing i.
  hpre.fill(0);
  for (let i = 0; i < n; i++) {
    const o = i * m;
    for (let j = colPtr[i], end = colPtr[i + 1]; j < end; j++) {
      const hb = rows[j] * m;
      const v = vals[j];
      for (let k = 0; k < m; k++) hpre[hb + k] = fr(hpre[hb + k] + fr(v * E[o + k]));
    }
  }
  if (t.hiddenRelu) for (let q = 0; q < B * m; q++) h[q] = hpre[q] > 0 ? hpre[q] : 0;
  else h.set(hpre);

  const c = fr(2 / (B * n));
  const lossOf = new Float64Array(n); // per-feature loss sums (double), samples in increasing b
  for (let b = 0; b < B; b++) {
    const hb = b * m;
    const xb = b * n;
    for (let i = 0; i < n; i++) {
      const o = i * m;
      // s = fr(s + fr(D_ik h_k)) from s = b_i, k in increasing order
      let s = bias[i];
      for (let k = 0; k < m; k++) s = fr(s + fr(D[o + k] * h[hb + k]));
      const xi = x[xb + i];
      const y = t.absTarget ? Math.abs(xi) : xi;
      const out = t.outputRelu && s < 0 ? 0 : s;
      const diff = fr(out - y);
      const w = fr(fr(importance[i]) * diff);
      lossOf[i] += fr(w * diff);
      if (t.outputRelu && s <= 0) continue; // ReLU'(s) = 0 (PyTorch's convention at 0)
      const gi = fr(c * w);
      if (gi === 0) continue;
      gb[i] = fr(gb[i] + gi);
      for (let k = 0; k < m; k++) {
        gD[o + k] = fr(gD[o + k] + fr(gi * h[hb + k]));
        dh[hb + k] = fr(dh[hb + k] + fr(gi * D[o + k]));
      }
    }
  }
  if (t.hiddenRelu) for (let q = 0; q < B * m; q++) if (!(hpre[q] > 0)) dh[q] = 0;

  // Encoder gradient: gE_ik = fr(gE_ik + fr(x_bi dh_bk)), samples in increasing b (tied: after gD's chain).
  for (let i = 0; i < n; i++) {
    const o = i * m;
    for (let j = colPtr[i], end = colPtr[i + 1]; j < end; j++) {
      const hb = rows[j] * m;
      const v = vals[j];
      for (let k = 0; k < m; k++) gE[o + k] = fr(gE[o + k] + fr(v * dh[hb + k]));
    }
  }
  let loss = 0;
  for (let i = 0; i < n; i++) loss += lossOf[i];
  return loss / (B * n);
}
