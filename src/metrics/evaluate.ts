// Evaluating a trained model on fresh data, outside any engine: a plain forward pass of the four model
// families and two statistics built on it.
//  - heldOutLoss: the training loss (Σ_i I_i (y_i − y'_i)², averaged over samples and features, as the
//    engines do) on a fixed fresh sample. Comparing instances on the *same* samples (common random
//    numbers) separates minima whose losses differ by less than the noise of the training-loss tail.
//  - absErrors: for the abs model, how well output i computes ReLU(x_i), ReLU(−x_i) and |x_i| when
//    feature i is present.
import type { DataConfig, InstanceConfig, Params } from '../types.js';
import { MODEL_TRAITS } from '../models.js';
import { allocBatch, makeSampler, type Batch } from '../data.js';
import { featureProbs } from '../instance.js';
import { Rng } from '../rng.js';

/** Hidden activations h (length m) for one input x (length n; or x[at …] of a batch): Wx, through a ReLU where the model has one. */
export function hidden(p: Params, x: ArrayLike<number>, h: Float64Array<ArrayBufferLike> = new Float64Array(p.m), at = 0): Float64Array<ArrayBufferLike> {
  hiddenBatch(p, x, 1, h, at);
  return h;
}

/** hidden() of B inputs x[at …] (B×n, sample-major), as the B×m sample-major rows of H. */
export function hiddenBatch(p: Params, x: ArrayLike<number>, B: number, H: Float64Array<ArrayBufferLike>, at = 0): void {
  const { n, m, W } = p;
  const relu = MODEL_TRAITS[p.kind].hiddenRelu;
  H.fill(0, 0, B * m);
  for (let b = 0; b < B; b++) {
    const xo = at + b * n, o = b * m;
    for (let i = 0; i < n; i++) {
      const xi = x[xo + i];
      if (xi === 0) continue;
      for (let k = 0; k < m; k++) H[o + k] += W[i * m + k] * xi;
    }
    if (relu) for (let k = 0; k < m; k++) if (H[o + k] < 0) H[o + k] = 0;
  }
}

/** hiddenBatch() of a whole batch, read from its column lists: each row still sums its inputs in increasing i,
 *  so H has hiddenBatch's bits (a listed value of 0 adds ±0 to a sum that is never −0). */
export function hiddenBatchSparse(p: Params, batch: Batch, H: Float64Array<ArrayBufferLike>): void {
  const { n, m, W } = p;
  const { B, colPtr, rows, vals } = batch;
  H.fill(0, 0, B * m);
  for (let i = 0; i < n; i++) {
    for (let q = colPtr[i]; q < colPtr[i + 1]; q++) {
      const o = rows[q] * m, v = vals[q];
      for (let k = 0; k < m; k++) H[o + k] += W[i * m + k] * v;
    }
  }
  if (MODEL_TRAITS[p.kind].hiddenRelu) for (let q = 0; q < B * m; q++) if (H[q] < 0) H[q] = 0;
}

/** Output i from the hidden activations: D_i·h + b_i (D = W tied, else W2), through the output ReLU if any. */
export function output(p: Params, h: ArrayLike<number>, i: number): number {
  const t = MODEL_TRAITS[p.kind];
  return outputOf(t.tied ? p.W : p.W2!, p.b, p.m, t.outputRelu, h, i);
}

function outputOf(D: Float32Array, b: Float32Array, m: number, relu: boolean, h: ArrayLike<number>, i: number): number {
  let s = b[i];
  for (let k = 0; k < m; k++) s += D[i * m + k] * h[k];
  return relu && s < 0 ? 0 : s;
}

/** y' for one input x (length n; or x[at …] of a batch). */
export function forward(p: Params, x: ArrayLike<number>, y = new Float64Array(p.n), h = new Float64Array(p.m), at = 0): Float64Array {
  hidden(p, x, h, at);
  const t = MODEL_TRAITS[p.kind]; // looked up once, not per output
  const D = t.tied ? p.W : p.W2!;
  for (let i = 0; i < p.n; i++) y[i] = outputOf(D, p.b, p.m, t.outputRelu, h, i);
  return y;
}


/**
 * The training loss of `p` on `samples` fresh samples drawn (from the stream `label`) with the instance's
 * sparsity and the run's data config. The same label gives the same samples for every model.
 */
export function heldOutLoss(p: Params, inst: InstanceConfig, data: DataConfig, samples: number, label: string): number {
  return heldOutLosses([p], inst, data, samples, label)[0];
}

/** heldOutLoss of several parameter sets of one instance (e.g. its training snapshots) on the same
 *  samples, drawn once: each value is exactly what heldOutLoss gives for that set. */
export function heldOutLosses(ps: Params[], inst: InstanceConfig, data: DataConfig, samples: number, label: string): number[] {
  if (!ps.length) return [];
  const { n } = ps[0];
  const B = 1024;
  const sampler = makeSampler(n, featureProbs(inst, n), data, MODEL_TRAITS[ps[0].kind].absTarget, new Rng(label));
  const batch = allocBatch(B, n);
  const h = new Float64Array(ps[0].m);
  const y = new Float64Array(n);
  const totals = new Array<number>(ps.length).fill(0);
  let count = 0;
  while (count < samples) {
    sampler.fill(batch);
    const take = Math.min(B, samples - count);
    ps.forEach((p, q) => {
      const abs = MODEL_TRAITS[p.kind].absTarget;
      let total = totals[q];
      const x = batch.x;
      for (let s = 0, at = 0; s < take; s++, at += n) {
        forward(p, x, y, h, at);
        for (let i = 0; i < n; i++) total += inst.importance[i] * ((abs ? Math.abs(x[at + i]) : x[at + i]) - y[i]) ** 2;
      }
      totals[q] = total;
    });
    count += take;
  }
  return totals.map((t) => t / (samples * n));
}

export interface AbsErrors {
  /** E[(y'_i − x_i)² | x_i > 0] / E[x_i² | x_i > 0]: 0 = ReLU(x_i) computed exactly, 1 = output 0 there */
  pos: number[];
  /** E[(y'_i + x_i)² | x_i < 0] / E[x_i² | x_i < 0]: the same for ReLU(−x_i) */
  neg: number[];
  /** (pos + neg)/2 ≈ E[(y'_i − |x_i|)²] / E[x_i²]: 0 = |x_i| computed exactly */
  full: number[];
}

/**
 * Abs model: how well output i computes |x_i| when feature i is present. For each feature i, `samples`
 * draws with x_i present (half with x_i ~ U(0, 1), half with x_i ~ U(−1, 0)) and every other feature
 * drawn from the instance's distribution; each side's squared error is divided by that side's Σ x_i²
 * (≈ samples/2 · 1/3), so a zero output scores exactly 1 on that side, and the constant 1/2 about 1/4.
 */
export function absErrors(p: Params, inst: InstanceConfig, samples: number, label: string): AbsErrors {
  if (p.kind !== 'abs') throw new Error(`absErrors: needs an abs model, got ${p.kind}`);
  const { n } = p;
  const B = 256;
  const rng = new Rng(label);
  const sampler = makeSampler(n, featureProbs(inst, n), { kind: 'independent' }, true, rng);
  const batch = allocBatch(B, n);
  const h = new Float64Array(p.m);
  const pos = new Float64Array(n);
  const neg = new Float64Array(n);
  const pos2 = new Float64Array(n); // Σ x_i² per side: the errors are relative to the sample's own second moment
  const neg2 = new Float64Array(n);
  const half = Math.max(1, samples >> 1);
  for (let i = 0; i < n; i++) {
    for (const sign of [1, -1]) {
      let done = 0;
      while (done < half) {
        sampler.fill(batch);
        const take = Math.min(B, half - done);
        for (let s = 0; s < take; s++) {
          const x = batch.x.subarray(s * n, (s + 1) * n);
          x[i] = sign * rng.uniformOpen(); // feature i present with the given sign
          const e = (output(p, hidden(p, x, h), i) - Math.abs(x[i])) ** 2;
          if (sign > 0) [pos[i], pos2[i]] = [pos[i] + e, pos2[i] + x[i] * x[i]];
          else [neg[i], neg2[i]] = [neg[i] + e, neg2[i] + x[i] * x[i]];
        }
        done += take;
      }
    }
  }
  const rel = (a: Float64Array, a2: Float64Array) => Array.from(a, (e, i) => e / a2[i]);
  const P = rel(pos, pos2);
  const N = rel(neg, neg2);
  return { pos: P, neg: N, full: P.map((v, i) => (v + N[i]) / 2) };
}
