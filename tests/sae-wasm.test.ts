// The WebAssembly sparse autoencoder (src/engines/native/wasm-sae.ts) gives sae.ts's reference bits: the loss,
// every gradient and the fired latents, on random shapes (odd d and m: pad lanes), rows of zeros and of −0,
// λ = 0, and extreme values; its hidden pass gives hiddenBatchSparse's bits; and trainSae trains the same SAE
// with either kernel.
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { saeLoss, trainSae, type SaeGrads, type SaeParams } from '../src/engines/native/sae.js';
import { WasmSae } from '../src/engines/native/wasm-sae.js';
import { Rng } from '../src/rng.js';
import { allocBatch, makeSampler } from '../src/data.js';
import { hiddenBatchSparse } from '../src/metrics/evaluate.js';
import type { Params } from '../src/types.js';

const grads = (d: number, m: number): SaeGrads => ({ Wenc: new Float64Array(d * m), benc: new Float64Array(d), Wdec: new Float64Array(d * m), bdec: new Float64Array(m) });
const bits = (a: ArrayLike<number>) => Array.from(a, (v) => (Object.is(v, -0) ? '-0' : String(v)));

afterEach(() => { delete process.env.TMS_NATIVE_KERNEL; });

describe('WasmSae', () => {
  it('gives the reference loss, gradients and fired latents bit for bit (fast-check)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 40 }),
      fc.constantFrom(0, 1e-3, 0.2, 0.9), fc.double({ min: 0, max: 0.8, noNaN: true }), fc.constantFrom(1, 1e-3, 1e3), fc.integer({ min: 1, max: 1e6 }),
      (d, m, B, l1, zeroShare, scale, seed) => {
        const rng = new Rng(`sae-wasm-${seed}`);
        const r = (k: number) => Float64Array.from({ length: k }, () => (rng.uniform() * 2 - 1) * scale);
        const p: SaeParams = { d, m, Wenc: r(d * m), benc: r(d), Wdec: r(d * m), bdec: r(m) };
        const H = r(B * m);
        for (let b = 0; b < B; b++) if (rng.uniform() < zeroShare) for (let k = 0; k < m; k++) H[b * m + k] = rng.uniform() < 0.3 ? -0 : 0;
        const g = grads(d, m);
        const fired = new Uint8Array(d);
        const loss = saeLoss(p, H, B, l1, g, fired);
        const w = new WasmSae(d, m, B);
        w.H.set(H);
        const gw = grads(d, m);
        expect(bits([w.loss(p, l1, gw)])).toEqual(bits([loss]));
        for (const name of ['Wenc', 'benc', 'Wdec', 'bdec'] as const) expect(bits(gw[name]), name).toEqual(bits(g[name]));
        expect([...w.fired]).toEqual([...fired]);
      }), { numRuns: 300 });
  });

  it('hidden() gives hiddenBatchSparse\'s bits on the batch its sampler draws (every kind, odd m, sparse and dense)', () => {
    for (const kind of ['linear', 'relu-output', 'relu-hidden', 'abs'] as const) {
      for (const S of [0, 0.6, 0.97]) {
        const [n, m, B] = [7, 3, 50];
        const rng = new Rng(`sae-wasm-hidden-${kind}`);
        const toy: Params = { kind, n, m, W: Float32Array.from({ length: n * m }, () => rng.uniform() * 2 - 1), b: new Float32Array(n) };
        const w = new WasmSae(4, m, B, n);
        const js = allocBatch(B, n);
        const draw = (batch: typeof js) => makeSampler(n, new Array(n).fill(1 - S), { kind: 'independent' }, kind === 'abs', new Rng(`sae-wasm-hidden-data-${S}`)).fill(batch);
        draw(w.batch);
        draw(js);
        w.hidden(toy);
        const H = new Float64Array(B * m);
        hiddenBatchSparse(toy, js, H);
        expect(bits(w.H), `${kind} S=${S}`).toEqual(bits(H));
      }
    }
  });

  it('a planted difference is seen: one bit of one weight changes the gradients', () => {
    const rng = new Rng('sae-wasm-plant');
    const [d, m, B] = [5, 3, 16];
    const r = (k: number) => Float64Array.from({ length: k }, () => rng.uniform() * 2 - 1);
    const p: SaeParams = { d, m, Wenc: r(d * m), benc: r(d).fill(0.5), Wdec: r(d * m), bdec: r(m) };
    const H = r(B * m);
    const g = grads(d, m);
    saeLoss(p, H, B, 0.2, g);
    const w = new WasmSae(d, m, B);
    w.H.set(H);
    const q = { ...p, Wdec: p.Wdec.slice() };
    q.Wdec[4] = q.Wdec[4] * (1 + 2 ** -52);
    const gw = grads(d, m);
    w.loss(q, 0.2, gw);
    expect(bits(gw.Wenc)).not.toEqual(bits(g.Wenc));
  });

  it('trainSae gives the same SAE with the WebAssembly kernel and with the JavaScript reference', () => {
    const toy: Params = { kind: 'relu-output', n: 5, m: 3, W: Float32Array.from({ length: 15 }, (_, q) => Math.sin(q + 1)), b: new Float32Array(5) };
    const inst = { sparsity: 0.8, importance: [1, 1, 1, 1, 1], seed: 3 };
    const cfg = { d: 7, l1: 0.1, steps: 400, batch: 64, lr: 3e-3, resampleEvery: 100 };
    const wasm = trainSae(toy, inst, { kind: 'independent' }, cfg, 'sae-wasm-train');
    process.env.TMS_NATIVE_KERNEL = 'js';
    const js = trainSae(toy, inst, { kind: 'independent' }, cfg, 'sae-wasm-train');
    for (const name of ['Wenc', 'benc', 'Wdec', 'bdec'] as const) expect(bits(wasm.params[name]), name).toEqual(bits(js.params[name]));
    expect(wasm.finalLoss).toBe(js.finalLoss);
    expect(wasm.resampled).toBe(js.resampled);
  });
});
