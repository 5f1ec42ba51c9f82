// The WebGPU engine's step equals the native reference kernel (src/engines/native/kernel.ts) on the SAME
// batch, for all four model families and fast-check shapes (n not a multiple of the 64-thread workgroup,
// m = 1 and m = 64, several instances): loss, every gradient, and the parameters after one AdamW step.
// GPU work runs in a child process (tests/helpers/webgpu.ts); without an adapter these tests skip, except
// under CI=true, where that is a failure.
//
// Tolerances (float32 on both sides, different summation order; a GPU may also fuse multiply-adds):
//   loss:       |Δ| ≤ 1e-5·loss                      (native sums the loss in float64)
//   gradients:  |Δ| ≤ 1e-4·|g| + 1e-5·max|g|         (max over the tensor: cancellation makes small entries noisy)
//   AdamW step: |Δ| ≤ 1e-6 absolute, against adamw.ts applied to the GPU's own gradients
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ModelKind, Params, RunConfig } from '../src/types.js';
import { DEFAULT_TRAIN } from '../src/types.js';
import { MODEL_KINDS, MODEL_TRAITS } from '../src/models.js';
import { allocWorkspace, forwardBackward, type Grads } from '../src/engines/native/kernel.js';
import { AdamW } from '../src/engines/native/adamw.js';
import { setupInstance } from '../src/engines/shared.js';
import { allocBatch } from '../src/data.js';
import { gpuAvailability, runGpu } from './helpers/webgpu.js';

const LOSS_RTOL = 1e-5;
const G_RTOL = 1e-4;
const G_SCALE_TOL = 1e-5;
const ADAM_ATOL = 1e-6;
const FC_SEED = Number(process.env.TMS_FC_SEED ?? 0x9e7);

const avail = await gpuAvailability();

interface Case {
  run: RunConfig;
  /** per instance: the parameters before the step (init, bias moved off 0), the batch, the native result */
  before: Params[];
  x: number[][];
  native: { loss: number; grads: Grads }[];
}

const shape = (m: fc.Arbitrary<number>) =>
  fc.record({
    n: fc.integer({ min: 1, max: 150 }).filter((n) => n % 64 !== 0),
    m,
    B: fc.integer({ min: 1, max: 160 }),
    I: fc.integer({ min: 1, max: 4 }),
    sparsity: fc.array(fc.double({ min: 0, max: 0.95, noNaN: true }), { minLength: 4, maxLength: 4 }),
    label: fc.string({ maxLength: 6 }),
  });

/** Per family: m = 1, m = 64, then two free shapes. */
function shapesFor(kind: ModelKind) {
  const seed = FC_SEED + MODEL_KINDS.indexOf(kind);
  return [
    ...fc.sample(shape(fc.constant(1)), { seed, numRuns: 1 }),
    ...fc.sample(shape(fc.constant(64)), { seed: seed + 10, numRuns: 1 }),
    ...fc.sample(shape(fc.integer({ min: 2, max: 40 })), { seed: seed + 20, numRuns: 2 }),
  ];
}

function makeCase(kind: ModelKind, s: ReturnType<typeof shapesFor>[number], k: number): Case {
  const { n, m, B, I } = s;
  const run: RunConfig = {
    namespace: `webgpu-agree/${kind}/${k}/${s.label}`,
    // the abs family also runs the 'alive-halves' init once (init happens on the host, shared by engines)
    model: { kind, n, m, init: kind === 'abs' && k === 1 ? 'alive-halves' : 'xavier' },
    data: { kind: 'independent' },
    train: { ...DEFAULT_TRAIN, steps: 1, batch: B, lr: 1e-2 },
    instances: Array.from({ length: I }, (_, g) => ({ sparsity: s.sparsity[g], importance: Array.from({ length: n }, (_, i) => 0.9 ** i + 0.1 * g), seed: g + 1 })),
  };
  const t = MODEL_TRAITS[kind];
  const c: Case = { run, before: [], x: [], native: [] };
  for (const inst of run.instances) {
    const { params, sampler, importance } = setupInstance(run.namespace, run.model, run.data, inst);
    // Off the init (b = 0), so that the output ReLUs do not all sit at the same point.
    params.b.forEach((_, i) => (params.b[i] = 0.1 * Math.sin(3 * i + inst.seed)));
    const batch = allocBatch(B, n);
    sampler.fill(batch);
    const g: Grads = { gW: new Float32Array(n * m), gW2: t.tied ? undefined : new Float32Array(n * m), gb: new Float32Array(n) };
    const loss = forwardBackward(t, n, m, params.W, params.W2 ?? params.W, params.b, importance, batch, allocWorkspace(B, m), g);
    c.before.push(params);
    c.x.push(Array.from(batch.x));
    c.native.push({ loss, grads: g });
  }
  return c;
}

const cases = new Map<ModelKind, Case[]>(MODEL_KINDS.map((kind) => [kind, shapesFor(kind).map((s, k) => makeCase(kind, s, k))]));

interface StepResult {
  loss: number[];
  grads: number[];
  S: number;
  params: { W: number[]; W2?: number[]; b: number[] }[];
}
const results = new Map<ModelKind, StepResult[]>();
/** worst errors seen, printed once (the report quotes them) */
const worst = new Map<ModelKind, { loss: number; grad: number; adam: number }>();

describe.skipIf(!avail.run)(`webgpu step = native reference kernel (${avail.reason})`, () => {
  beforeAll(async () => {
    const all = [...cases.values()].flat();
    const out = await runGpu<StepResult>(all.map((c) => ({ kind: 'step', run: c.run, x: c.x, params: c.before.map((p) => ({ W: Array.from(p.W), W2: p.W2 && Array.from(p.W2), b: Array.from(p.b) })) })), 240_000);
    let j = 0;
    for (const [kind, cs] of cases) results.set(kind, cs.map(() => out[j++]));
  }, 300_000);

  for (const kind of MODEL_KINDS) {
    it(`${kind}: loss, gradients and one AdamW step on the same batch`, () => {
      const w = { loss: 0, grad: 0, adam: 0 };
      cases.get(kind)!.forEach((c, k) => {
        const r = results.get(kind)![k];
        const { n, m } = c.run.model;
        const t = MODEL_TRAITS[kind];
        const nm = n * m;
        const what = (g: number) => `${kind} case ${k} (n=${n} m=${m} B=${c.run.train.batch} I=${c.run.instances.length}) instance ${g}`;
        c.native.forEach((nat, g) => {
          const dl = Math.abs(r.loss[g] - nat.loss);
          w.loss = Math.max(w.loss, dl / Math.max(nat.loss, 1e-30));
          expect(dl, `${what(g)}: loss native ${nat.loss} webgpu ${r.loss[g]}`).toBeLessThanOrEqual(LOSS_RTOL * nat.loss);
          const o = g * r.S;
          const gpu: Grads = {
            gW: Float32Array.from(r.grads.slice(o, o + nm)),
            gW2: t.tied ? undefined : Float32Array.from(r.grads.slice(o + nm, o + 2 * nm)),
            gb: Float32Array.from(r.grads.slice(o + r.S - n, o + r.S)),
          };
          for (const f of ['gW', 'gW2', 'gb'] as const) {
            const a = nat.grads[f];
            const b = gpu[f];
            if (!a || !b) continue;
            const scale = Math.max(...a.map(Math.abs));
            for (let q = 0; q < a.length; q++) {
              const d = Math.abs(a[q] - b[q]);
              if (scale > 0) w.grad = Math.max(w.grad, d / scale);
              expect(d, `${what(g)} ${f}[${q}]: native ${a[q]} webgpu ${b[q]}`).toBeLessThanOrEqual(G_RTOL * Math.abs(a[q]) + G_SCALE_TOL * scale);
            }
          }
          // AdamW: PyTorch's update (adamw.ts) applied on the host to the GPU's own gradients.
          const p = c.before[g];
          const host = { W: p.W.slice(), W2: p.W2?.slice(), b: p.b.slice() };
          const tensors = t.tied ? [host.W, host.b] : [host.W, host.W2!, host.b];
          new AdamW(tensors, c.run.train).step(t.tied ? [gpu.gW, gpu.gb] : [gpu.gW, gpu.gW2!, gpu.gb]);
          for (const f of ['W', 'W2', 'b'] as const) {
            const a = host[f];
            const b = r.params[g][f];
            expect(b === undefined, `${what(g)} ${f} present`).toBe(a === undefined);
            if (!a || !b) continue;
            let moved = 0;
            for (let q = 0; q < a.length; q++) {
              const d = Math.abs(a[q] - b[q]);
              w.adam = Math.max(w.adam, d);
              moved = Math.max(moved, Math.abs(b[q] - p[f]![q]));
              expect(d, `${what(g)} AdamW ${f}[${q}]: host ${a[q]} webgpu ${b[q]}`).toBeLessThanOrEqual(ADAM_ATOL);
            }
            // the step moved something (so this is not agreement of the init); lr = 1e-2
            if (f === 'W' && scaleOf(gpu.gW) > 0) expect(moved, `${what(g)} W moved`).toBeGreaterThan(1e-3);
          }
        });
      });
      worst.set(kind, w);
      process.stdout.write(`[webgpu-agree] ${kind}: max loss rel err ${w.loss.toExponential(2)}, max grad err / max|g| ${w.grad.toExponential(2)}, max AdamW |Δ| ${w.adam.toExponential(2)}\n`);
    });
  }
});

function scaleOf(a: Float32Array): number {
  let s = 0;
  for (const v of a) s = Math.max(s, Math.abs(v));
  return s;
}
