/// <reference types="@webgpu/types" />
// The sparse autoencoder of claim 13b (native/sae.ts) on the GPU, in float32. The batches are the native
// engine's (same sampler, same streams: `${label}/data`, init and resampling as sae.ts draws them), computed on
// the host and uploaded a block of steps at a time; everything else runs on the GPU, three dispatches a step:
//   row:     one thread per sample: hc = h − b_dec, a, z = ReLU(a), r = ĥ − h, and the per-row gradient pieces
//            (dz_j, c r_k, c r_k − Σ_j dz_j W_enc_jk) and loss term;
//   update:  one thread per parameter: its gradient summed over the batch in sample order, then Adam (sae.ts's
//            form); b_enc's threads also mark the latents that fired;
//   norm:    one thread per latent: its decoder column back to unit length.
// Dead latents are resampled on the host every `resampleEvery` steps, as sae.ts does. Runs agree with the
// native SAE statistically, not bit for bit (float32 against float64).
import type { DataConfig, InstanceConfig, Params } from '../../types.js';
import { allocBatch, makeSampler } from '../../data.js';
import { featureProbs } from '../../instance.js';
import { MODEL_TRAITS } from '../../models.js';
import { Rng } from '../../rng.js';
import { hiddenBatchSparse } from '../../metrics/evaluate.js';
import { initialSae, resampleDead, type SaeConfig, type SaeGrads, type SaeParams, type TrainedSae } from '../native/sae.js';
import { readFloats } from './readback.js';
import { computeStep, type Access } from './pipeline.js';
import { UNIFORM_STRIDE, WG } from './layout.js';

const COPY_SRC = 4, COPY_DST = 8, UNIFORM = 64, STORAGE = 128;

/** Steps per command buffer (their batches uploaded together). */
export const SAE_STEPS_PER_SUBMIT = 64;

interface SaeShape { d: number; m: number; B: number; K: number }

/** Offsets in P: [W_enc d·m (row j = latent j)][b_enc d][W_dec d·m (column j at j·m)][b_dec m]. */
const offsets = ({ d, m }: SaeShape) => ({ WENC: 0, BENC: d * m, WDEC: d * m + d, BDEC: 2 * d * m + d, SIZE: 2 * d * m + d + m });

function header(s: SaeShape): string {
  const o = offsets(s);
  return /* wgsl */ `
const D = ${s.d}u; const M = ${s.m}u; const B = ${s.B}u; const WG = ${WG}u;
const WENC = ${o.WENC}u; const BENC = ${o.BENC}u; const WDEC = ${o.WDEC}u; const BDEC = ${o.BDEC}u; const SIZE = ${o.SIZE}u;
struct Step { slot: u32, l1: f32, lr: f32, c1: f32, c2: f32, beta1: f32, beta2: f32, eps: f32 }
@group(0) @binding(0) var<uniform> st: Step;
`;
}

/** Per sample b: the forward pass and the row's gradient pieces (saeRow's quantities, float32). */
function rowKernel(s: SaeShape): string {
  return /* wgsl */ `${header(s)}
@group(0) @binding(1) var<storage, read> P: array<f32>;
@group(0) @binding(2) var<storage, read> H: array<f32>;
@group(0) @binding(3) var<storage, read_write> Z: array<f32>;
@group(0) @binding(4) var<storage, read_write> DZ: array<f32>;
@group(0) @binding(5) var<storage, read_write> HC: array<f32>;
@group(0) @binding(6) var<storage, read_write> CR: array<f32>;
@group(0) @binding(7) var<storage, read_write> BD: array<f32>;
@group(0) @binding(8) var<storage, read_write> LB: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let b = gid.x;
  if (b >= B) { return; }
  let h0 = (st.slot * B + b) * M;
  var hc: array<f32, M>;
  for (var k = 0u; k < M; k = k + 1u) { hc[k] = H[h0 + k] - P[BDEC + k]; HC[b * M + k] = hc[k]; }
  var a: array<f32, D>;
  var z: array<f32, D>;
  var l1sum = 0.0;
  for (var j = 0u; j < D; j = j + 1u) {
    var v = P[BENC + j];
    for (var k = 0u; k < M; k = k + 1u) { v = v + P[WENC + j * M + k] * hc[k]; }
    a[j] = v;
    z[j] = select(0.0, v, v > 0.0);
    Z[b * D + j] = z[j];
    l1sum = l1sum + z[j];
  }
  let c = 2.0 / f32(M * B);
  var rec = 0.0;
  var cr: array<f32, M>;
  for (var k = 0u; k < M; k = k + 1u) {
    var v = P[BDEC + k];
    for (var j = 0u; j < D; j = j + 1u) { v = v + P[WDEC + j * M + k] * z[j]; }
    let r = v - H[h0 + k];
    rec = rec + r * r;
    cr[k] = c * r;
    CR[b * M + k] = cr[k];
  }
  var bd: array<f32, M>;
  for (var k = 0u; k < M; k = k + 1u) { bd[k] = cr[k]; }
  for (var j = 0u; j < D; j = j + 1u) {
    var v = 0.0;
    for (var k = 0u; k < M; k = k + 1u) { v = v + P[WDEC + j * M + k] * cr[k]; }
    let dz = select(0.0, v + st.l1 / f32(B), a[j] > 0.0);
    DZ[b * D + j] = dz;
    if (dz != 0.0) { for (var k = 0u; k < M; k = k + 1u) { bd[k] = bd[k] - dz * P[WENC + j * M + k]; } }
  }
  for (var k = 0u; k < M; k = k + 1u) { BD[b * M + k] = bd[k]; }
  LB[b] = rec / f32(M) + st.l1 * l1sum;
}
`;
}

/** Per parameter: its gradient over the batch (samples in order), then Adam as sae.ts steps it. */
function updateKernel(s: SaeShape, gradOut: boolean): string {
  return /* wgsl */ `${header(s)}
@group(0) @binding(1) var<storage, read_write> P: array<f32>;
@group(0) @binding(2) var<storage, read> Z: array<f32>;
@group(0) @binding(3) var<storage, read> DZ: array<f32>;
@group(0) @binding(4) var<storage, read> HC: array<f32>;
@group(0) @binding(5) var<storage, read> CR: array<f32>;
@group(0) @binding(6) var<storage, read> BD: array<f32>;
@group(0) @binding(7) var<storage, read_write> MOM: array<f32>;
@group(0) @binding(8) var<storage, read_write> FIRED: array<u32>;
@group(0) @binding(9) var<storage, read_write> GOUT: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let q = gid.x;
  if (q >= SIZE) { return; }
  var g = 0.0;
  if (q < BENC) {
    let j = q / M; let k = q % M;
    for (var b = 0u; b < B; b = b + 1u) { g = g + DZ[b * D + j] * HC[b * M + k]; }
  } else if (q < WDEC) {
    let j = q - BENC;
    var fired = false;
    for (var b = 0u; b < B; b = b + 1u) { g = g + DZ[b * D + j]; fired = fired || Z[b * D + j] > 0.0; }
    if (fired) { FIRED[j] = 1u; }
  } else if (q < BDEC) {
    let j = (q - WDEC) / M; let k = (q - WDEC) % M;
    for (var b = 0u; b < B; b = b + 1u) { g = g + CR[b * M + k] * Z[b * D + j]; }
  } else {
    let k = q - BDEC;
    for (var b = 0u; b < B; b = b + 1u) { g = g + BD[b * M + k]; }
  }
  ${gradOut ? 'GOUT[q] = g;' : ''}
  let m1 = st.beta1 * MOM[2u * q] + (1.0 - st.beta1) * g;
  let m2 = st.beta2 * MOM[2u * q + 1u] + (1.0 - st.beta2) * g * g;
  MOM[2u * q] = m1;
  MOM[2u * q + 1u] = m2;
  P[q] = P[q] - (st.lr * (m1 / st.c1)) / (sqrt(m2 / st.c2) + st.eps);
}
`;
}

/** Per latent: its decoder column rescaled to unit length (a zero column stays). */
function normKernel(s: SaeShape): string {
  return /* wgsl */ `${header(s)}
@group(0) @binding(1) var<storage, read_write> P: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let j = gid.x;
  if (j >= D) { return; }
  var ss = 0.0;
  for (var k = 0u; k < M; k = k + 1u) { let w = P[WDEC + j * M + k]; ss = ss + w * w; }
  if (ss == 0.0) { return; }
  let inv = 1.0 / sqrt(ss);
  for (var k = 0u; k < M; k = k + 1u) { P[WDEC + j * M + k] = P[WDEC + j * M + k] * inv; }
}
`;
}

/** One SAE's buffers and pipelines on a device (d latents, m dimensions, batch B, K steps per submit). */
export class GpuSae {
  private readonly s: SaeShape;
  private readonly o: ReturnType<typeof offsets>;
  private readonly buf: Record<'P' | 'H' | 'Z' | 'DZ' | 'HC' | 'CR' | 'BD' | 'LB' | 'MOM' | 'FIRED' | 'GOUT' | 'UNI', GPUBuffer>;
  private readonly steps: { pipe: GPUComputePipeline; group: GPUBindGroup; groups: number }[];

  constructor(private readonly device: GPUDevice, d: number, m: number, B: number, K = SAE_STEPS_PER_SUBMIT, gradOut = false) {
    const s = (this.s = { d, m, B, K });
    const o = (this.o = offsets(s));
    const mk = (floats: number) => device.createBuffer({ size: Math.max(16, floats * 4), usage: STORAGE | COPY_SRC | COPY_DST });
    this.buf = {
      P: mk(o.SIZE), H: mk(K * B * m), Z: mk(B * d), DZ: mk(B * d), HC: mk(B * m), CR: mk(B * m), BD: mk(B * m), LB: mk(B),
      MOM: mk(2 * o.SIZE), FIRED: mk(d), GOUT: mk(gradOut ? o.SIZE : 4),
      UNI: device.createBuffer({ size: K * UNIFORM_STRIDE, usage: UNIFORM | COPY_DST }),
    };
    const b = this.buf;
    const make = (code: string, bufs: [GPUBuffer, Access][], threads: number) => ({ ...computeStep(device, code, b.UNI, 32, bufs), groups: Math.ceil(threads / WG) });
    this.steps = [
      make(rowKernel(s), [[b.P, 'read'], [b.H, 'read'], [b.Z, 'rw'], [b.DZ, 'rw'], [b.HC, 'rw'], [b.CR, 'rw'], [b.BD, 'rw'], [b.LB, 'rw']], B),
      make(updateKernel(s, gradOut), [[b.P, 'rw'], [b.Z, 'read'], [b.DZ, 'read'], [b.HC, 'read'], [b.CR, 'read'], [b.BD, 'read'], [b.MOM, 'rw'], [b.FIRED, 'rw'], [b.GOUT, 'rw']], o.SIZE),
      make(normKernel(s), [[b.P, 'rw']], d),
    ];
  }

  upload(p: SaeParams): void {
    const { o } = this;
    const P = new Float32Array(o.SIZE);
    P.set(p.Wenc, o.WENC);
    P.set(p.benc, o.BENC);
    P.set(p.Wdec, o.WDEC);
    P.set(p.bdec, o.BDEC);
    this.device.queue.writeBuffer(this.buf.P, 0, P);
  }

  async download(): Promise<SaeParams> {
    const { o, s } = this;
    const P = await this.read(this.buf.P, o.SIZE);
    const f64 = (a: number, len: number) => Float64Array.from(P.subarray(a, a + len));
    return { d: s.d, m: s.m, Wenc: f64(o.WENC, s.d * s.m), benc: f64(o.BENC, s.d), Wdec: f64(o.WDEC, s.d * s.m), bdec: f64(o.BDEC, s.m) };
  }

  /** Runs steps t0 + 1 … t0 + k (k ≤ K) on the batches H (k × B × m, float32), Adam with lr and l1. */
  run(H: Float32Array, t0: number, k: number, cfg: Pick<SaeConfig, 'l1' | 'lr'>): void {
    const { s } = this;
    this.device.queue.writeBuffer(this.buf.H, 0, H as Float32Array<ArrayBuffer>, 0, k * s.B * s.m);
    const rec = new ArrayBuffer(k * UNIFORM_STRIDE);
    const [b1, b2, eps] = [0.9, 0.999, 1e-8];
    for (let j = 0; j < k; j++) {
      const t = t0 + j + 1;
      new Uint32Array(rec, j * UNIFORM_STRIDE, 1)[0] = j;
      new Float32Array(rec, j * UNIFORM_STRIDE + 4, 7).set([cfg.l1, cfg.lr, 1 - b1 ** t, 1 - b2 ** t, b1, b2, eps]);
    }
    this.device.queue.writeBuffer(this.buf.UNI, 0, rec);
    const enc = this.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    for (let j = 0; j < k; j++) {
      for (const st of this.steps) {
        pass.setPipeline(st.pipe);
        pass.setBindGroup(0, st.group, [j * UNIFORM_STRIDE]);
        pass.dispatchWorkgroups(st.groups);
      }
    }
    pass.end();
    this.device.queue.submit([enc.finish()]);
  }

  /** Which latents fired since the last clearFired(). */
  async fired(): Promise<Uint32Array> {
    return new Uint32Array((await this.read(this.buf.FIRED, this.s.d)).buffer);
  }

  clearFired(): void {
    this.device.queue.writeBuffer(this.buf.FIRED, 0, new Uint32Array(this.s.d));
  }

  /** The last step's loss: its per-sample terms summed in sample order, over B. */
  async lastLoss(): Promise<number> {
    const LB = await this.read(this.buf.LB, this.s.B);
    let sum = 0;
    for (const v of LB) sum += v;
    return sum / this.s.B;
  }

  /** The last step's gradients (a GpuSae made with gradOut). */
  async lastGrads(): Promise<SaeGrads> {
    const { o, s } = this;
    const G = await this.read(this.buf.GOUT, o.SIZE);
    const f64 = (a: number, len: number) => Float64Array.from(G.subarray(a, a + len));
    return { Wenc: f64(o.WENC, s.d * s.m), benc: f64(o.BENC, s.d), Wdec: f64(o.WDEC, s.d * s.m), bdec: f64(o.BDEC, s.m) };
  }

  private read(src: GPUBuffer, floats: number): Promise<Float32Array> {
    return readFloats(this.device, src, floats);
  }

  destroy(): void {
    for (const b of Object.values(this.buf)) b.destroy();
  }
}

/** trainSae (native/sae.ts) on the GPU: the same batches, init and resampling draws; float32 arithmetic. */
export async function trainSaeGpu(device: GPUDevice, toy: Params, inst: InstanceConfig, data: DataConfig, cfg: SaeConfig, label: string): Promise<TrainedSae> {
  const { m } = toy;
  const { d, batch: B } = cfg;
  const init = new Rng(`${label}/init`);
  const resample = new Rng(`${label}/resample`);
  const sampler = makeSampler(toy.n, featureProbs(inst, toy.n), data, MODEL_TRAITS[toy.kind].absTarget, new Rng(`${label}/data`));
  const xb = allocBatch(B, toy.n);
  const H = new Float64Array(B * m);
  const p = initialSae(d, m, init);
  const K = SAE_STEPS_PER_SUBMIT;
  const gpu = new GpuSae(device, d, m, B, K);
  const block = new Float32Array(K * B * m);
  let resampled = 0;
  try {
    gpu.upload(p);
    for (let t0 = 0; t0 < cfg.steps;) {
      // a block ends at the next resampling step, so the host sees the fired latents there
      const R = cfg.resampleEvery;
      const end = Math.min(cfg.steps, t0 + K, R ? (Math.floor(t0 / R) + 1) * R : Infinity);
      for (let j = 0; j < end - t0; j++) {
        sampler.fill(xb);
        hiddenBatchSparse(toy, xb, H);
        block.set(H, j * B * m);
      }
      gpu.run(block, t0, end - t0, cfg);
      t0 = end;
      if (R && t0 % R === 0 && t0 < cfg.steps) {
        const fired = await gpu.fired();
        const q = await gpu.download();
        resampled += resampleDead(q, fired, resample);
        gpu.upload(q);
        gpu.clearFired();
      }
    }
    return { params: await gpu.download(), finalLoss: await gpu.lastLoss(), resampled };
  } finally {
    gpu.destroy();
  }
}
