// The fast native kernels (generated JS in fast-kernel.ts, WebAssembly SIMD in wasm-kernel.ts) compute
// exactly what the readable reference kernel.ts computes: same loss and gradients, bit for bit, for
// every model kind, odd and even m, n not a multiple of the SIMD blocks, dense and sparse batches.
import { describe, expect, it } from 'vitest';
import { allocBatch, makeSampler } from '../src/data.js';
import { MODEL_KINDS, MODEL_TRAITS, initParams } from '../src/models.js';
import { Rng } from '../src/rng.js';
import { allocWorkspace, forwardBackward, type Grads } from '../src/engines/native/kernel.js';
import { allocFastWorkspace, fastForwardBackward } from '../src/engines/native/fast-kernel.js';
import { fusedAvailable, WasmStepper, wasmSimdAvailable } from '../src/engines/native/wasm-kernel.js';

const hex = (g: Grads) => [g.gW, g.gW2, g.gb].map((a) => a && Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex'));

describe.each(MODEL_KINDS)('%s kernels', (kind) => {
  it.each([
    [7, 1, 0.5, 16],
    [20, 5, 0, 64],
    [13, 6, 0.9, 50],
    [30, 9, 0.7, 33],
    [9, 12, 0.97, 40],
    [11, 131, 0.8, 20], // beyond the JS kernel's unrolling (it runs the reference there); many SIMD locals
    [40, 30, 0.9, 200], // several blocks of samples, the last one partial; m split into register chunks
    [17, 3, 0.5, 129], // odd batch: the forward tile's single-sample tail
    [3, 2, 0, 65], // n below the forward tile (8 features): a narrower tile
    [2, 1, 0.99, 300], // nearly empty batch
  ])('n=%i m=%i S=%f B=%i: bit-identical loss and gradients', (n, m, S, B) => {
    const t = MODEL_TRAITS[kind];
    const rng = new Rng(`kernel-test/${kind}/${n}/${m}`);
    const p = initParams(kind, n, m, rng);
    for (let i = 0; i < n; i++) p.b[i] = (rng.uniform() - 0.5) * 0.5; // some outputs on each side of the ReLU
    const imp = Float64Array.from({ length: n }, (_, i) => 0.9 ** i);
    const probs = Array.from({ length: n }, () => 1 - S);
    const batch = allocBatch(B, n);
    makeSampler(n, probs, { kind: 'independent' }, t.absTarget, new Rng(`kernel-test/data/${n}`)).fill(batch);
    const D = t.tied ? p.W : p.W2!;
    const grads = (): Grads => ({ gW: new Float32Array(n * m).fill(7), gW2: t.tied ? undefined : new Float32Array(n * m).fill(7), gb: new Float32Array(n).fill(7) });

    const gRef = grads();
    const lRef = forwardBackward(t, n, m, p.W, D, p.b, imp, batch, allocWorkspace(B, m), gRef);
    const gFast = grads();
    const lFast = fastForwardBackward(t, n, m, p.W, D, p.b, imp, batch, allocFastWorkspace(B, n, m), gFast);
    expect(Object.is(lFast, lRef)).toBe(true);
    expect(hex(gFast)).toEqual(hex(gRef));

    if (!wasmSimdAvailable) return;
    for (const fused of [false, true]) {
    if (fused && !fusedAvailable) continue;
    const w = new WasmStepper(t, n, m, B, imp, fused);
    for (let r = 0; r < 2; r++) { // twice: the second call must not depend on what the first left behind
      w.batch.x.set(batch.x);
      w.batch.colPtr.set(batch.colPtr);
      w.batch.rows.set(batch.rows);
      w.batch.vals.set(batch.vals);
      const lW = w.run(p.W, D, p.b);
      expect(Object.is(lW, lRef)).toBe(true);
      expect(hex(w.grads)).toEqual(hex(gRef));
    }
    const lT = w.runTimed(p.W, D, p.b, {}); // the profiling path (bench/profile.ts) computes the same
    expect(Object.is(lT, lRef)).toBe(true);
    expect(hex(w.grads)).toEqual(hex(gRef));
    }
  });
});
