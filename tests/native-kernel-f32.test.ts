// The float32 numerics (engine native-f32): the f32x4 WebAssembly kernel (wasm-kernel-f32.ts) computes the
// bits of its readable reference (kernel-f32.ts) for every model family and shape; the reference's gradients
// are those of the loss (finite differences); training is bit-identical on any thread count and with the JS
// fallback, close to the f64-exact engine's losses but not the same bits; and it is selected by its own name.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocBatch, makeSampler, type Batch } from '../src/data.js';
import { MODEL_KINDS, MODEL_TRAITS, initParams, type ModelTraits } from '../src/models.js';
import { Rng } from '../src/rng.js';
import { allocWorkspace, type Grads } from '../src/engines/native/kernel.js';
import { forwardBackwardF32 } from '../src/engines/native/kernel-f32.js';
import { WasmStepperF32, wasmSimdAvailable } from '../src/engines/native/wasm-kernel-f32.js';
import { NativeEngine } from '../src/engines/native/index.js';
import { closePool } from '../src/engines/native/pool.js';
import { engineFromEnv, getEngine } from '../src/engines/select.js';
import { runKey } from '../src/cache.js';
import { geometricImportance } from '../src/instance.js';
import { DEFAULT_TRAIN, type ModelKind, type RunConfig, type TrainedInstance } from '../src/types.js';

/** the loss and each gradient array as their bits (Uint32 views) */
const bits = (loss: number, g: Grads) => [Float64Array.of(loss), g.gW, g.gW2 ?? new Float32Array(0), g.gb].map((a) => new Uint32Array(a.buffer, a.byteOffset, a.byteLength / 4));
/** where two bit patterns first differ ('' when they do not): a short failure message, not a huge diff */
function firstDiff(got: Uint32Array[], want: Uint32Array[]): string {
  const names = ['loss', 'gW', 'gW2', 'gb'];
  for (let a = 0; a < want.length; a++) {
    if (got[a].length !== want[a].length) return `${names[a]}: length ${got[a].length} vs ${want[a].length}`;
    const j = got[a].findIndex((v, q) => v !== want[a][q]);
    if (j >= 0) return `${names[a]}[${j}]: bits ${got[a][j].toString(16)} vs ${want[a][j].toString(16)}`;
  }
  return '';
}

interface Case { kind: ModelKind; n: number; m: number; B: number; S: number; seed: number; offBias?: boolean }

function setup({ kind, n, m, B, S, seed, offBias }: Case) {
  const t = MODEL_TRAITS[kind];
  const rng = new Rng(`kernel-f32-test/${kind}/${seed}`);
  const p = initParams(kind, n, m, rng);
  // outputs on both sides of the ReLU; or (offBias) all off where the input is empty, as in trained sparse models
  for (let i = 0; i < n; i++) p.b[i] = offBias ? -rng.uniform() * 0.25 : (rng.uniform() - 0.5) * 0.5;
  const imp = Float64Array.from({ length: n }, (_, i) => 0.9 ** i);
  const batch = allocBatch(B, n);
  makeSampler(n, new Array(n).fill(1 - S), { kind: 'independent' }, t.absTarget, rng).fill(batch);
  const D = t.tied ? p.W : p.W2!;
  const grads = (): Grads => ({ gW: new Float32Array(n * m).fill(7), gW2: t.tied ? undefined : new Float32Array(n * m).fill(7), gb: new Float32Array(n).fill(7) });
  return { t, p, D, imp, batch, grads };
}

function checkWasm(c: Case) {
  const { t, p, D, imp, batch, grads } = setup(c);
  const g = grads();
  const want = bits(forwardBackwardF32(t, c.n, c.m, p.W, D, p.b, imp, batch, allocWorkspace(c.B, c.m), g), g);
  // with and without each skip of work that changes nothing (idle output groups, shared empty rows): the same bits
  for (const skipIdle of [true, false]) for (const emptyRows of [true, false]) {
    checkStepper(new WasmStepperF32(t, c.n, c.m, c.B, imp, { skipIdle, emptyRows }), `${JSON.stringify(c)} skipIdle ${skipIdle} emptyRows ${emptyRows}`, p, D, batch, want);
  }
}

function checkStepper(w: WasmStepperF32, label: string, p: ReturnType<typeof setup>['p'], D: Float32Array, batch: Batch, want: Uint32Array[]) {
  w.batch.x.set(batch.x);
  w.batch.colPtr.set(batch.colPtr);
  w.batch.rows.set(batch.rows);
  w.batch.vals.set(batch.vals);
  for (let r = 0; r < 2; r++) expect(firstDiff(bits(w.run(p.W, D, p.b), w.grads), want), `${label} run ${r}`).toBe(''); // nothing left over between calls
  expect(firstDiff(bits(w.runTimed(p.W, D, p.b, {}), w.grads), want), `${label} runTimed`).toBe(''); // bench/profile.ts's path
}

const caseArb = (kind: ModelKind) => fc.record({
  kind: fc.constant(kind),
  n: fc.integer({ min: 1, max: 45 }), // below, at and above the 16-feature tile; every n % 4
  m: fc.integer({ min: 1, max: 70 }), // one and several register chunks; every m % 4
  // odd batches, one to three blocks of 64, or two to three of 256 (the block of batches mostly without inputs)
  B: fc.oneof(fc.integer({ min: 1, max: 150 }), fc.integer({ min: 257, max: 600 })),
  // dense to near-empty: at 0.9–0.99 samples without inputs sit beside samples with some
  S: fc.oneof(fc.double({ min: 0, max: 0.95, noNaN: true }), fc.constantFrom(0.9, 0.97, 0.99, 0.999)),
  seed: fc.integer({ min: 0, max: 1e6 }),
  offBias: fc.boolean(),
});

describe.skipIf(!wasmSimdAvailable)('wasm f32x4 kernel = kernel-f32.ts, bit for bit', () => {
  describe.each(MODEL_KINDS)('%s', (kind) => {
    it('random shapes', () => fc.assert(fc.property(caseArb(kind), checkWasm), { numRuns: 40 }));
    it.each([
      [400, 30, 0.9, 130], // the paper's C4 size, three blocks
      [100, 40, 0.99, 65],
      [5, 3, 1, 70], // an empty batch: no non-zeros at all
      [1, 1, 0, 1],
      [20, 8, 0.99, 1024], // C7's shape: most samples empty
    ])('n=%i m=%i S=%f B=%i', (n, m, S, B) => {
      checkWasm({ kind, n, m, B, S, seed: 1 });
      checkWasm({ kind, n, m, B, S, seed: 2, offBias: true });
    });
  });
});

// Finite differences of a float64 loss at the same float32 point. f32 arithmetic rounds every product and
// sum, so the analytic gradient is good to about (terms per sum)·ε relative to the magnitude of the terms
// that enter it (gradMag, as in gradients.test.ts): measured worst 1.2e-7·gradMag over these 600 cases, so
// 1e-4·|fd| + 2e-6·gradMag leaves a 16× margin while a wrong term (or a dropped factor) fails by orders.
function refLoss(t: ModelTraits, n: number, m: number, E: Float64Array, D: Float64Array, b: Float64Array, imp: ArrayLike<number>, x: Float32Array, B: number) {
  let loss = 0, gradMag = 0, pattern = '';
  for (let s = 0; s < B; s++) {
    const h = new Float64Array(m), hAbs = new Float64Array(m);
    for (let i = 0; i < n; i++) for (let k = 0; k < m; k++) { h[k] += x[s * n + i] * E[i * m + k]; hAbs[k] += Math.abs(x[s * n + i] * E[i * m + k]); }
    if (t.hiddenRelu) for (let k = 0; k < m; k++) { pattern += h[k] > 0 ? '1' : '0'; if (!(h[k] > 0)) h[k] = 0; }
    const hSum = hAbs.reduce((a, v) => a + v, 0);
    for (let i = 0; i < n; i++) {
      let o = b[i], a = Math.abs(b[i]), dSum = 0;
      for (let k = 0; k < m; k++) { o += D[i * m + k] * h[k]; a += Math.abs(D[i * m + k]) * hAbs[k]; dSum += Math.abs(D[i * m + k]); }
      if (t.outputRelu) { pattern += o > 0 ? '1' : '0'; if (!(o > 0)) o = 0; }
      const y = t.absTarget ? Math.abs(x[s * n + i]) : x[s * n + i];
      loss += imp[i] * (o - y) ** 2;
      gradMag += 2 * imp[i] * (a + Math.abs(y)) * (1 + hSum + dSum);
    }
  }
  return { loss: loss / (B * n), gradMag: gradMag / (B * n), pattern };
}

describe('kernel-f32.ts gradients = central finite differences (float64)', () => {
  const H = 1e-5;
  it.each(MODEL_KINDS)('%s', (kind) => {
    const t = MODEL_TRAITS[kind];
    let checked = 0, total = 0;
    fc.assert(fc.property(
      fc.record({ n: fc.integer({ min: 1, max: 8 }), m: fc.integer({ min: 1, max: 5 }), B: fc.integer({ min: 1, max: 16 }),
        S: fc.double({ min: 0, max: 0.95, noNaN: true }), seed: fc.integer({ min: 0, max: 1e6 }) }),
      ({ n, m, B, S, seed }) => {
        const rng = new Rng(`grad-f32/${kind}/${seed}`);
        const W = Float32Array.from({ length: n * m }, () => rng.normal());
        const W2 = t.tied ? undefined : Float32Array.from({ length: n * m }, () => rng.normal());
        const bias = Float32Array.from({ length: n }, () => 0.3 * rng.normal());
        const imp = Array.from({ length: n }, () => 0.1 + rng.uniform());
        const batch: Batch = allocBatch(B, n);
        makeSampler(n, new Array(n).fill(1 - S), { kind: 'independent' }, t.absTarget, rng).fill(batch);
        const g: Grads = { gW: new Float32Array(n * m), gW2: W2 && new Float32Array(n * m), gb: new Float32Array(n) };
        const loss = forwardBackwardF32(t, n, m, W, W2 ?? W, bias, Float64Array.from(imp), batch, allocWorkspace(B, m), g);
        const E = Float64Array.from(W), D2 = W2 && Float64Array.from(W2), b = Float64Array.from(bias);
        const f = () => refLoss(t, n, m, E, D2 ?? E, b, imp, batch.x, B);
        const base = f();
        expect(Math.abs(loss - base.loss)).toBeLessThanOrEqual(1e-5 * base.gradMag);
        const groups: [Float64Array, Float32Array, string][] = [[E, g.gW, 'W'], [b, g.gb, 'b']];
        if (D2) groups.push([D2, g.gW2!, 'W2']);
        for (const [p, an, name] of groups) {
          for (let j = 0; j < p.length; j++) {
            total++;
            const p0 = p[j];
            p[j] = p0 + H; const up = f();
            p[j] = p0 - H; const dn = f();
            p[j] = p0;
            if (up.pattern !== base.pattern || dn.pattern !== base.pattern) continue; // a ReLU kink in (−H, H)
            checked++;
            const fd = (up.loss - dn.loss) / (2 * H);
            expect(Math.abs(an[j] - fd), `${kind} n=${n} m=${m} B=${B} d/d${name}[${j}]: ${an[j]} vs fd ${fd}`).toBeLessThanOrEqual(1e-4 * Math.abs(fd) + 2e-6 * base.gradMag);
          }
        }
      }), { numRuns: 150 });
    expect(checked / total).toBeGreaterThan(0.9);
  });
});

const run = (kind: ModelKind, n: number, m: number, sparsities: number[]): RunConfig => ({
  namespace: 'native-f32-test',
  model: { kind, n, m },
  data: { kind: 'independent' },
  train: { ...DEFAULT_TRAIN, steps: 120, batch: 256 },
  instances: sparsities.map((sparsity, seed) => ({ sparsity, importance: geometricImportance(n, 0.9), seed })),
});
const weightBits = (ts: TrainedInstance[]) => ts.map((t) => [t.params.W, t.params.W2, t.params.b].map((a) => a && Buffer.from(a.buffer).toString('base64')));
const lossBits = (ts: TrainedInstance[]) => ts.map((t) => Buffer.from(Float64Array.from([...t.losses, t.finalLoss]).buffer).toString('base64'));

afterAll(closePool);
afterEach(() => { delete process.env.TMS_NATIVE_KERNEL; });

describe('native-f32 training', () => {
  it.each([
    ['relu-output', 20, 5, [0, 0.9, 0.99]],
    ['abs', 12, 6, [0, 0.7, 0.97]],
    ['relu-hidden', 9, 4, [0.5]],
  ] as const)('%s n=%i m=%i: same bits on 1 and 2 threads and with the JS fallback; losses near the f64 engine', async (kind, n, m, S) => {
    const cfg = run(kind, n, m, [...S]);
    const one = await new NativeEngine({ threads: 1, numerics: 'f32' }).train(cfg);
    const two = await new NativeEngine({ threads: 2, numerics: 'f32' }).train(cfg);
    expect(weightBits(two)).toEqual(weightBits(one));
    expect(lossBits(two)).toEqual(lossBits(one));
    process.env.TMS_NATIVE_KERNEL = 'js'; // the reference kernel (where WebAssembly SIMD is missing)
    const js = await new NativeEngine({ threads: 1, numerics: 'f32' }).train(cfg);
    expect(weightBits(js)).toEqual(weightBits(one));
    delete process.env.TMS_NATIVE_KERNEL;
    const f64 = await new NativeEngine({ threads: 1 }).train(cfg);
    // A different computation: not the f64 engine's bits ...
    expect(weightBits(f64)).not.toEqual(weightBits(one));
    // ... but the same training: the two differ by float32 rounding of sums of ≤ 20 terms per step (~1e-6
    // relative), and 120 AdamW steps here left at most 4e-8 relative in the logged losses (measured); 1e-5
    // leaves a 250× margin while a wrong loss or gradient term fails.
    for (let k = 0; k < one.length; k++) {
      for (let j = 0; j < one[k].losses.length; j++) {
        const [a, b] = [one[k].losses[j], f64[k].losses[j]];
        expect(Math.abs(a - b), `instance ${k} loss point ${j}: f32 ${a} vs f64 ${b}`).toBeLessThanOrEqual(1e-5 * Math.abs(b));
      }
    }
  });
});

describe('selecting native-f32', () => {
  afterEach(() => { delete process.env.TMS_ENGINE; });
  it('TMS_ENGINE=native-f32 gives the native engine with f32 numerics, under its own name (and cache key)', async () => {
    process.env.TMS_ENGINE = 'native-f32';
    expect(engineFromEnv()).toBe('native-f32');
    const e = await getEngine();
    expect(e).toBeInstanceOf(NativeEngine);
    expect((e as NativeEngine).numerics).toBe('f32');
    expect(e.name).toBe('native-f32');
    expect(e.describe()).toMatch(/^native-f32 \(float32 arithmetic/);
    const cfg = run('linear', 4, 2, [0]);
    expect(runKey(cfg, e.name)).not.toBe(runKey(cfg, 'native'));
  });
  it('is the default; TMS_ENGINE=native gives the f64-exact engine', async () => {
    delete process.env.TMS_ENGINE;
    expect(engineFromEnv()).toBe('native-f32');
    expect((await getEngine()).name).toBe('native-f32');
    process.env.TMS_ENGINE = 'native';
    const e = await getEngine();
    expect(e.name).toBe('native');
    expect((e as NativeEngine).numerics).toBe('f64');
    expect(e.describe()).not.toMatch(/float32 arithmetic/);
  });
});
