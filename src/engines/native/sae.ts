// A sparse autoencoder trained on the hidden activations h = W x of a trained toy model (claim 13b; not in
// the paper): z = ReLU(W_enc (h − b_dec) + b_enc), ĥ = W_dec z + b_dec, loss = mean over the batch of
// mean_k (ĥ_k − h_k)² + λ Σ_j z_j, with analytic gradients and Adam; the decoder's columns are renormalised to
// unit length after every step, and latents that never fired in the last `resampleEvery` steps are
// resampled (new random unit direction for the decoder column, the same as the encoder row, encoder bias 0).
// The settings follow the toy SAE of the ARENA exercises. Float64 in a fixed order, so a (toy model, config,
// seed) gives the same bits everywhere: this file's JavaScript is the reference, and training runs its
// WebAssembly SIMD twin (wasm-sae.ts, the same bits) unless TMS_NATIVE_KERNEL=js or SIMD is missing.
import type { DataConfig, InstanceConfig, Params } from '../../types.js';
import { allocBatch, makeSampler } from '../../data.js';
import { featureProbs } from '../../instance.js';
import { MODEL_TRAITS } from '../../models.js';
import { Rng } from '../../rng.js';
import { hiddenBatch, hiddenBatchSparse } from '../../metrics/evaluate.js';
import { kernelKind } from './train-instance.js';
import { WasmSae } from './wasm-sae.js';

export interface SaeConfig {
  /** latents (dictionary size) */
  d: number;
  /** L1 coefficient on the latents */
  l1: number;
  steps: number;
  batch: number;
  lr: number;
  /** resample dead latents every this many steps (0: never) */
  resampleEvery: number;
}

export const ARENA_SAE: Omit<SaeConfig, 'd'> = { l1: 0.2, steps: 20_000, batch: 1024, lr: 1e-3, resampleEvery: 2_500 };

/** SAE parameters: W_enc d×m (row j = latent j's encoder), b_enc d, W_dec m×d stored column-major
 *  (W_dec[j*m + k]: latent j's decoder direction, unit length), b_dec m. */
export interface SaeParams {
  d: number;
  m: number;
  Wenc: Float64Array;
  benc: Float64Array;
  Wdec: Float64Array;
  bdec: Float64Array;
}

export interface SaeGrads {
  Wenc: Float64Array;
  benc: Float64Array;
  Wdec: Float64Array;
  bdec: Float64Array;
}

const zerosLike = (p: SaeParams): SaeGrads => ({ Wenc: new Float64Array(p.Wenc.length), benc: new Float64Array(p.d), Wdec: new Float64Array(p.Wdec.length), bdec: new Float64Array(p.m) });

/** Loss of the SAE on a batch of activations H (B×m, sample-major); with `g`, its gradients (overwritten);
 *  with `fired`, sets fired[j] = 1 for every latent active on some sample. Rows of exact zeros (every sample
 *  whose toy input is empty: most of them at high sparsity) share one forward and backward pass, weighted by
 *  their count, before the other rows in order. */
export function saeLoss(p: SaeParams, H: Float64Array, B: number, l1: number, g?: SaeGrads, fired?: Uint8Array | Int32Array): number {
  const { d, m } = p;
  if (g) for (const a of [g.Wenc, g.benc, g.Wdec, g.bdec]) a.fill(0);
  const s = scratchFor(d, m);
  let zeros = 0;
  for (let b = 0; b < B; b++) if (isZeroRow(H, b * m, m)) zeros++;
  let loss = 0;
  if (zeros > 0) loss += saeRow(p, s.zero, 0, zeros, B, l1, s, g, fired);
  if (zeros < B) for (let b = 0; b < B; b++) if (!isZeroRow(H, b * m, m)) loss += saeRow(p, H, b * m, 1, B, l1, s, g, fired);
  return loss / B;
}

const isZeroRow = (H: Float64Array, at: number, m: number) => {
  for (let k = 0; k < m; k++) if (H[at + k] !== 0) return false;
  return true;
};

interface RowScratch { zero: Float64Array; hc: Float64Array; a: Float64Array; z: Float64Array; r: Float64Array; dz: Float64Array }
let scratch: RowScratch | undefined;
const scratchFor = (d: number, m: number): RowScratch => {
  if (!scratch || scratch.a.length !== d || scratch.hc.length !== m) scratch = { zero: new Float64Array(m), hc: new Float64Array(m), a: new Float64Array(d), z: new Float64Array(d), r: new Float64Array(m), dz: new Float64Array(d) };
  return scratch;
};

/** One row h = H[at … at+m) counted `w` times: adds its loss terms (returned) and w × its gradients to g. */
function saeRow(p: SaeParams, H: Float64Array, at: number, w: number, B: number, l1: number, s: RowScratch, g?: SaeGrads, fired?: Uint8Array | Int32Array): number {
  const { d, m, Wenc, benc, Wdec, bdec } = p;
  const { hc, a, z, r, dz } = s;
  for (let k = 0; k < m; k++) hc[k] = H[at + k] - bdec[k];
  let l1sum = 0;
  for (let j = 0; j < d; j++) {
    let v = benc[j];
    for (let k = 0; k < m; k++) v += Wenc[j * m + k] * hc[k];
    a[j] = v;
    z[j] = v > 0 ? v : 0;
    l1sum += z[j];
    if (fired && v > 0) fired[j] = 1;
  }
  let rec = 0;
  for (let k = 0; k < m; k++) {
    let v = bdec[k];
    for (let j = 0; j < d; j++) v += Wdec[j * m + k] * z[j];
    r[k] = v - H[at + k];
    rec += r[k] * r[k];
  }
  if (!g) return w * (rec / m + l1 * l1sum);
  // dL/dĥ = 2r/(mB) per copy of the row; ĥ = W_dec z + b_dec
  const c = (2 * w) / (m * B);
  for (let k = 0; k < m; k++) g.bdec[k] += c * r[k];
  for (let j = 0; j < d; j++) {
    let v = 0;
    for (let k = 0; k < m; k++) {
      g.Wdec[j * m + k] += c * r[k] * z[j];
      v += Wdec[j * m + k] * c * r[k];
    }
    dz[j] = a[j] > 0 ? v + (w * l1) / B : 0; // ReLU'(0) = 0
  }
  // a = W_enc (h − b_dec) + b_enc
  for (let j = 0; j < d; j++) {
    if (dz[j] === 0) continue;
    g.benc[j] += dz[j];
    for (let k = 0; k < m; k++) {
      g.Wenc[j * m + k] += dz[j] * hc[k];
      g.bdec[k] -= dz[j] * Wenc[j * m + k];
    }
  }
  return w * (rec / m + l1 * l1sum);
}

/** Rescales every decoder column to unit length (a zero column is left as it is). */
export function normaliseDecoder(p: SaeParams): void {
  for (let j = 0; j < p.d; j++) {
    let s = 0;
    for (let k = 0; k < p.m; k++) s += p.Wdec[j * p.m + k] ** 2;
    if (s === 0) continue;
    const inv = 1 / Math.sqrt(s);
    for (let k = 0; k < p.m; k++) p.Wdec[j * p.m + k] *= inv;
  }
}

export interface TrainedSae {
  params: SaeParams;
  /** loss (reconstruction + L1) of the last step */
  finalLoss: number;
  /** resampled latents, summed over all resamplings */
  resampled: number;
}

/** The initial SAE (Kaiming-uniform-like): W_dec random unit columns drawn from `init`, W_enc its transpose, biases 0. */
export function initialSae(d: number, m: number, init: Rng): SaeParams {
  const p: SaeParams = { d, m, Wenc: new Float64Array(d * m), benc: new Float64Array(d), Wdec: Float64Array.from({ length: d * m }, () => init.uniform() * 2 - 1), bdec: new Float64Array(m) };
  normaliseDecoder(p);
  p.Wenc.set(p.Wdec);
  return p;
}

/** Resamples every latent that did not fire: a new random unit decoder column from `rng`, the same encoder row,
 *  encoder bias 0. Returns how many were resampled. */
export function resampleDead(p: SaeParams, fired: ArrayLike<number>, rng: Rng): number {
  const { d, m } = p;
  let count = 0;
  for (let j = 0; j < d; j++) {
    if (fired[j]) continue;
    count++;
    for (let k = 0; k < m; k++) p.Wdec[j * m + k] = rng.normal();
    p.benc[j] = 0;
  }
  normaliseDecoder(p);
  for (let j = 0; j < d; j++) if (!fired[j]) for (let k = 0; k < m; k++) p.Wenc[j * m + k] = p.Wdec[j * m + k];
  return count;
}

/** Trains an SAE on the hidden activations of `toy` (inputs drawn as the toy was trained: `inst`, `data`). */
export function trainSae(toy: Params, inst: InstanceConfig, data: DataConfig, cfg: SaeConfig, label: string): TrainedSae {
  const { m } = toy;
  const { d, batch: B } = cfg;
  const init = new Rng(`${label}/init`);
  const resample = new Rng(`${label}/resample`);
  const sampler = makeSampler(toy.n, featureProbs(inst, toy.n), data, MODEL_TRAITS[toy.kind].absTarget, new Rng(`${label}/data`));
  const wasm = kernelKind() === 'wasm' ? new WasmSae(d, m, B, toy.n) : undefined;
  const xb = wasm ? wasm.batch : allocBatch(B, toy.n);
  const H = wasm ? wasm.H : new Float64Array(B * m);
  const p = initialSae(d, m, init);
  const g = zerosLike(p);
  const tensors = [p.Wenc, p.benc, p.Wdec, p.bdec];
  const grads = [g.Wenc, g.benc, g.Wdec, g.bdec];
  const m1 = tensors.map((t) => new Float64Array(t.length));
  const m2 = tensors.map((t) => new Float64Array(t.length));
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  const fired = wasm ? wasm.fired : new Uint8Array(d);
  let loss = NaN;
  let resampled = 0;
  for (let step = 1; step <= cfg.steps; step++) {
    sampler.fill(xb);
    if (wasm) wasm.hidden(toy);
    else hiddenBatchSparse(toy, xb, H);
    loss = wasm ? wasm.loss(p, cfg.l1, g) : saeLoss(p, H, B, cfg.l1, g, fired);
    const c1 = 1 - b1 ** step;
    const c2 = 1 - b2 ** step;
    tensors.forEach((t, q) => {
      const gq = grads[q];
      for (let i = 0; i < t.length; i++) {
        m1[q][i] = b1 * m1[q][i] + (1 - b1) * gq[i];
        m2[q][i] = b2 * m2[q][i] + (1 - b2) * gq[i] * gq[i];
        t[i] -= (cfg.lr * (m1[q][i] / c1)) / (Math.sqrt(m2[q][i] / c2) + eps);
      }
    });
    normaliseDecoder(p);
    if (cfg.resampleEvery && step % cfg.resampleEvery === 0 && step < cfg.steps) {
      resampled += resampleDead(p, fired, resample);
      fired.fill(0);
    }
  }
  return { params: p, finalLoss: loss, resampled };
}

/** Latent activations z of one activation vector h (length m). */
export function saeEncode(p: SaeParams, h: ArrayLike<number>, z = new Float64Array(p.d)): Float64Array {
  for (let j = 0; j < p.d; j++) {
    let s = p.benc[j];
    for (let k = 0; k < p.m; k++) s += p.Wenc[j * p.m + k] * (h[k] - p.bdec[k]);
    z[j] = s > 0 ? s : 0;
  }
  return z;
}

export interface SaeStats {
  /** mean number of active latents per sample */
  l0: number;
  /** mean over samples of mean_k (ĥ_k − h_k)² */
  mse: number;
  /** share of latents never active on the evaluation samples */
  dead: number;
}

/** L0, reconstruction error and dead latents of an SAE on fresh activations of its toy model. */
export function saeStats(sae: SaeParams, toy: Params, inst: InstanceConfig, data: DataConfig, samples: number, label: string): SaeStats {
  const B = 1024;
  const sampler = makeSampler(toy.n, featureProbs(inst, toy.n), data, MODEL_TRAITS[toy.kind].absTarget, new Rng(label));
  const xb = allocBatch(B, toy.n);
  const H = new Float64Array(B * toy.m);
  const z = new Float64Array(sae.d);
  const alive = new Uint8Array(sae.d);
  let l0 = 0;
  let mse = 0;
  let count = 0;
  while (count < samples) {
    sampler.fill(xb);
    hiddenBatch(toy, xb.x, B, H);
    const take = Math.min(B, samples - count);
    for (let b = 0; b < take; b++) {
      const h = H.subarray(b * toy.m, (b + 1) * toy.m);
      saeEncode(sae, h, z);
      let e = 0;
      for (let k = 0; k < sae.m; k++) {
        let s = sae.bdec[k];
        for (let j = 0; j < sae.d; j++) s += sae.Wdec[j * sae.m + k] * z[j];
        e += (s - h[k]) ** 2;
      }
      mse += e / sae.m;
      for (let j = 0; j < sae.d; j++) if (z[j] > 0) {
        l0++;
        alive[j] = 1;
      }
    }
    count += take;
  }
  return { l0: l0 / samples, mse: mse / samples, dead: 1 - alive.reduce((a, v) => a + v, 0) / sae.d };
}

/** For each given feature of the toy model, the largest cosine between its direction W_i and a decoder column. */
export function recoveryCosines(sae: SaeParams, toy: Params, features: number[]): number[] {
  return features.map((i) => {
    let ni = 0;
    for (let k = 0; k < toy.m; k++) ni += toy.W[i * toy.m + k] ** 2;
    let best = -1;
    for (let j = 0; j < sae.d; j++) {
      let dot = 0;
      for (let k = 0; k < toy.m; k++) dot += toy.W[i * toy.m + k] * sae.Wdec[j * sae.m + k];
      best = Math.max(best, dot / Math.sqrt(ni)); // decoder columns are unit length
    }
    return best;
  });
}
