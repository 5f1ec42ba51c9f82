// Fused forward + backward for one instance and one batch, with analytic gradients. This is the readable
// reference: fast-kernel.ts (generated JS) and wasm-kernel.ts (WebAssembly SIMD) compute the same bits
// faster (tests/native-kernel.test.ts), and training uses one of those.
// Loss = mean over batch and features of I_i (x'_i − y_i)² (the reference notebook's reduction).
// Layout: W feature-major (W_i = W[i*m..i*m+m)), activations sample-major (h_b = h[b*m..b*m+m)).
import type { Batch } from '../../data.js';
import type { ModelTraits } from '../../models.js';

export interface Workspace {
  hpre: Float32Array; // B×m pre-activation of the hidden layer
  h: Float32Array; // B×m hidden activations
  dh: Float32Array; // B×m gradient wrt hidden pre-activation
}

export function allocWorkspace(B: number, m: number): Workspace {
  return { hpre: new Float32Array(B * m), h: new Float32Array(B * m), dh: new Float32Array(B * m) };
}

export interface Grads {
  gW: Float32Array;
  gW2?: Float32Array;
  gb: Float32Array;
}

/**
 * Writes gradients into `g` (overwritten) and returns the loss.
 * E is the encoder (W, or W1 for abs); D the decoder rows (W when tied, W2 otherwise).
 */
export function forwardBackward(
  t: ModelTraits,
  n: number,
  m: number,
  E: Float32Array,
  D: Float32Array,
  bias: Float32Array,
  importance: Float64Array,
  batch: Batch,
  ws: Workspace,
  g: Grads,
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

  // Encoder over non-zeros only: hpre_b += x_bi · E_i.
  hpre.fill(0);
  for (let i = 0; i < n; i++) {
    const o = i * m;
    for (let j = colPtr[i], end = colPtr[i + 1]; j < end; j++) {
      const hb = rows[j] * m;
      const v = vals[j];
      for (let k = 0; k < m; k++) hpre[hb + k] += v * E[o + k];
    }
  }
  if (t.hiddenRelu) for (let q = 0; q < B * m; q++) h[q] = hpre[q] > 0 ? hpre[q] : 0;
  else h.set(hpre);

  // Decoder, loss and its backward, fused per (sample, feature).
  const c = 2 / (B * n);
  let loss = 0;
  for (let b = 0; b < B; b++) {
    const hb = b * m;
    const xb = b * n;
    for (let i = 0; i < n; i++) {
      const o = i * m;
      let s = bias[i];
      for (let k = 0; k < m; k++) s += D[o + k] * h[hb + k];
      const xi = x[xb + i];
      const y = t.absTarget ? (xi < 0 ? -xi : xi) : xi;
      const out = t.outputRelu && s < 0 ? 0 : s;
      const diff = out - y;
      const w = importance[i] * diff;
      loss += w * diff;
      if (t.outputRelu && s <= 0) continue; // ReLU'(s) = 0 (PyTorch's convention at 0)
      const gi = c * w;
      if (gi === 0) continue;
      gb[i] += gi;
      for (let k = 0; k < m; k++) {
        gD[o + k] += gi * h[hb + k];
        dh[hb + k] += gi * D[o + k];
      }
    }
  }
  if (t.hiddenRelu) for (let q = 0; q < B * m; q++) if (!(hpre[q] > 0)) dh[q] = 0;

  // Encoder gradient over non-zeros only: gE_i += x_bi · dh_b.
  for (let i = 0; i < n; i++) {
    const o = i * m;
    for (let j = colPtr[i], end = colPtr[i + 1]; j < end; j++) {
      const hb = rows[j] * m;
      const v = vals[j];
      for (let k = 0; k < m; k++) gE[o + k] += v * dh[hb + k];
    }
  }
  return loss / (B * n);
}
