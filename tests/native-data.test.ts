// The native engine's WebAssembly column writer (wasm-data.ts) makes the same batches as data.ts's JS
// sampler, draw for draw: same x, same CSC, and the stream continues identically afterwards.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocBatch, makeSampler, type Batch } from '../src/data.js';
import { Rng } from '../src/rng.js';
import { MODEL_TRAITS } from '../src/models.js';
import { WasmStepper } from '../src/engines/native/wasm-kernel.js';
import { formulaGap, gapTableBytes, gapTables, wasmLog, wasmTableGap } from '../src/engines/native/wasm-data.js';
import type { DataConfig } from '../src/types.js';

const used = (b: Batch) => {
  const nz = b.colPtr[b.n];
  return { x: Array.from(b.x), colPtr: Array.from(b.colPtr), rows: Array.from(b.rows.subarray(0, nz)), vals: Array.from(b.vals.subarray(0, nz)) };
};

function compare(n: number, B: number, probs: number[], signed: boolean, data: DataConfig = { kind: 'independent' }) {
  const label = `native-data/${n}/${B}/${probs.join(',')}`;
  const wasm = new WasmStepper(MODEL_TRAITS[signed ? 'abs' : 'relu-output'], n, 3, B, new Float64Array(n).fill(1));
  expect(wasm.batch.columns).toBeDefined();
  const js = allocBatch(B, n);
  const [rJs, rWasm] = [new Rng(label), new Rng(label)];
  const [sJs, sWasm] = [makeSampler(n, probs, data, signed, rJs), makeSampler(n, probs, data, signed, rWasm)];
  for (let step = 0; step < 3; step++) { // the stream must continue identically after each batch
    sJs.fill(js);
    sWasm.fill(wasm.batch);
    expect(used(wasm.batch)).toEqual(used(js));
  }
  expect(rWasm.nextU32()).toBe(rJs.nextU32());
}

describe('WebAssembly column writer', () => {
  it('its log equals Math.log on every value uniformOpen() returns (k·2⁻²⁴, k = 1 … 2²⁴)', () => {
    const log = wasmLog();
    let mismatches = 0;
    let first = '';
    for (let k = 1; k <= 2 ** 24; k++) {
      const u = k * 5.9604644775390625e-8;
      const a = log(u), b = Math.log(u);
      if (!Object.is(a, b) && mismatches++ === 0) first = `log(${u}) = ${a}, Math.log = ${b}`;
    }
    expect({ mismatches, first }).toEqual({ mismatches: 0, first: '' });
  });

  it('Math.log is non-decreasing on k·2⁻²⁴ (k = 1 … 2²⁴), so the geometric gap is non-increasing in k (what gapTables relies on)', () => {
    let drops = 0;
    for (let k = 2, prev = Math.log(5.9604644775390625e-8); k <= 2 ** 24; k++) {
      const l = Math.log(k * 5.9604644775390625e-8);
      if (l < prev) drops++;
      prev = l;
    }
    expect(drops).toBe(0);
  });

  it.each([[0.2499, 1024], [0.1, 256], [0.01, 1024], [0.001, 4096], [0.0005, 37]])(
    'p=%f B=%i: the gap tables give the formula\'s gap for every k = 1 … 2²⁴', (p, B) => {
      const memory = new WebAssembly.Memory({ initial: Math.ceil((64 + gapTableBytes(B)) / 65536) });
      new Int32Array(memory.buffer, 64, gapTables(p, B).length).set(gapTables(p, B));
      const gap = wasmTableGap(memory);
      const logq = Math.log1p(-p);
      let mismatches = 0;
      let first = '';
      for (let k = 1; k <= 2 ** 24; k++) {
        const a = gap(64 - 4, 64 + 4 * B, k), b = formulaGap(k, logq, B);
        if (a !== b && mismatches++ === 0) first = `k = ${k}: tables ${a}, formula ${b}`;
      }
      expect({ mismatches, first }).toEqual({ mismatches: 0, first: '' });
    });

  it('more distinct small probabilities than table slots: the rest compute their gaps, same batches', () => {
    compare(9, 300, [0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.2, 0.003, 0.1], false);
  });

  it.each([
    [7, 33, 1], [20, 64, 0.5], [11, 200, 0.9], [12, 257, 0.97], [13, 129, 0.25], [5, 40, 0.3], [9, 50, 0.1], [4, 1, 1], [30, 1024, 0.01], [6, 300, 0.2499], [3, 5000, 0.0005],
  ])('n=%i B=%i p=%f: same batches as the JS sampler (unsigned and signed)', (n, B, p) => {
    for (const signed of [false, true]) compare(n, B, Array(n).fill(p), signed);
  });

  it('per-feature probabilities across the wasm/JS boundary, and correlated sets beside independent features', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 24 }), fc.integer({ min: 1, max: 150 }), fc.array(fc.constantFrom(1, 0.9, 0.5, 0.25, 0.2, 0.05, 0), { minLength: 24, maxLength: 24 }), fc.boolean(),
      (n, B, ps, signed) => compare(n, B, ps.slice(0, n), signed),
    ), { numRuns: 60 });
    compare(8, 70, [1, 0.5, 0.5, 0.3, 1, 0.1, 0.6, 0.9], false, { kind: 'correlated', sets: [[1, 2]] });
    compare(8, 70, [1, 0.5, 0.5, 0.3, 1, 0.1, 0.6, 0.9], true, { kind: 'anticorrelated', sets: [[3, 4, 5]] });
  });
});
