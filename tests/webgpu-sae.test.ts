// The sparse autoencoder on the webgpu engine (src/engines/webgpu/sae.ts): its float32 gradients and loss
// match the float64 reference (native saeLoss, itself checked against finite differences in sae.test.ts) on
// random shapes with rows of zeros; trained on a toy of known directions it recovers them, keeps unit decoder
// columns, and ends where the native SAE ends (the same batches, init and resampling draws). GPU work runs in
// a child process (tests/helpers/webgpu.ts).
import { describe, expect, it } from 'vitest';
import { recoveryCosines, saeLoss, trainSae, type SaeConfig, type SaeGrads, type SaeParams } from '../src/engines/native/sae.js';
import { Rng } from '../src/rng.js';
import type { Params } from '../src/types.js';
import { gpuAvailability, runGpu } from './helpers/webgpu.js';
import type { SaeJson } from './helpers/webgpu-child.js';

const avail = await gpuAvailability();
const f64 = (a: number[]) => Float64Array.from(a);
const fromJson = (p: SaeJson): SaeParams => ({ d: p.d, m: p.m, Wenc: f64(p.Wenc), benc: f64(p.benc), Wdec: f64(p.Wdec), bdec: f64(p.bdec) });

describe.skipIf(!avail.run)(`the sparse autoencoder on the webgpu engine (${avail.reason})`, () => {
  it('gives the float64 reference loss and gradients to float32 precision (odd sizes, rows of zeros, λ = 0 and > 0)', async () => {
    const cases = [[3, 2, 17, 0.2], [7, 5, 33, 0], [40, 8, 96, 0.05], [13, 3, 1, 0.5]] as const;
    const jobs = cases.map(([d, m, B, l1], c) => {
      const rng = new Rng(`webgpu-sae-${c}`);
      const r = (k: number) => Array.from({ length: k }, () => rng.uniform() * 2 - 1);
      const H = r(B * m).map((v, q) => (Math.floor(q / m) % 3 === 0 ? 0 : v));
      return { kind: 'sae-grad' as const, p: { d, m, Wenc: r(d * m), benc: r(d), Wdec: r(d * m), bdec: r(m) }, H, B, l1 };
    });
    const out = await runGpu<{ loss: number; grads: Record<keyof SaeGrads, number[]> }>(jobs, 300_000);
    jobs.forEach((job, c) => {
      const p = fromJson(job.p);
      const g: SaeGrads = { Wenc: new Float64Array(p.d * p.m), benc: new Float64Array(p.d), Wdec: new Float64Array(p.d * p.m), bdec: new Float64Array(p.m) };
      const loss = saeLoss(p, Float64Array.from(job.H, (v) => Math.fround(v)), job.B, job.l1, g);
      expect(out[c].loss, `case ${c}: loss`).toBeCloseTo(loss, 4);
      for (const name of ['Wenc', 'benc', 'Wdec', 'bdec'] as const) {
        const scale = Math.max(1e-3, ...Array.from(g[name], Math.abs));
        out[c].grads[name].forEach((v, q) => expect(Math.abs(v - g[name][q]), `case ${c}: ${name}[${q}]`).toBeLessThan(1e-4 * scale));
      }
    });
  }, 400_000);

  it('trains like the native SAE: recovers known directions, unit decoder columns, the same end to float32 precision', async () => {
    // a toy with 3 features on known unit directions in 2 dimensions (sae.test.ts's)
    const dirs = [[1, 0], [-0.5, Math.sqrt(3) / 2], [-0.5, -Math.sqrt(3) / 2]];
    const toy: Params = { kind: 'relu-output', n: 3, m: 2, W: Float32Array.from(dirs.flat()), b: new Float32Array(3) };
    const inst = { sparsity: 0.9, importance: [1, 1, 1], seed: 1 };
    const cfg: SaeConfig = { d: 5, l1: 0.05, steps: 1500, batch: 256, lr: 3e-3, resampleEvery: 500 };
    const [gpu] = await runGpu<{ params: SaeJson; finalLoss: number; resampled: number }>([
      { kind: 'sae-train', toy: { kind: toy.kind, n: 3, m: 2, W: Array.from(toy.W), b: Array.from(toy.b) }, inst, cfg, label: 'webgpu-sae-train' },
    ], 300_000);
    const native = trainSae(toy, inst, { kind: 'independent' }, cfg, 'webgpu-sae-train');
    const p = fromJson(gpu.params);
    for (let j = 0; j < cfg.d; j++) expect(Math.hypot(p.Wdec[2 * j], p.Wdec[2 * j + 1])).toBeCloseTo(1, 5);
    expect(Math.min(...recoveryCosines(p, toy, [0, 1, 2]))).toBeGreaterThan(0.99);
    expect(Math.min(...recoveryCosines(native.params, toy, [0, 1, 2]))).toBeGreaterThan(0.99);
    // same batches and draws: the runs stay together (float32 against float64 rounding only)
    expect(gpu.resampled).toBe(native.resampled);
    expect(Math.abs(gpu.finalLoss - native.finalLoss)).toBeLessThan(0.02 * native.finalLoss);
    for (const name of ['Wenc', 'Wdec'] as const) p[name].forEach((v, q) => expect(Math.abs(v - native.params[name][q]), `${name}[${q}]`).toBeLessThan(0.02));
  }, 400_000);
});
