// The native engine (analytic gradients, float32 kernels) and the tfjs engine (autodiff, tf ops) agree,
// for all four model families: on the loss and the gradients of one batch, and on the loss and the
// weights after 1 and 5 AdamW steps of whole runs (same init, same data stream, several instances,
// which the tfjs engine trains batched).
//
// Tolerances (float32 engines that sum in different orders):
//   weights after 1 and 5 steps: |Δ| ≤ 1e-5 absolute        (weights are O(1); lr = 1e-2)
//   loss (each recorded point):  |Δ| ≤ 1e-5 relative
//   gradients of one batch:      |Δ| ≤ 1e-4·|g| + 1e-6·max|g|
// Runs on whatever backend loadTfjsEngine picks here (wasm, else cpu).
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelKind, RunConfig, TrainedInstance } from '../src/types.js';
import { DEFAULT_TRAIN } from '../src/types.js';
import { MODEL_KINDS, MODEL_TRAITS } from '../src/models.js';
import { NativeEngine } from '../src/engines/native/index.js';
import { allocWorkspace, forwardBackward, type Grads } from '../src/engines/native/kernel.js';
import { setupInstance } from '../src/engines/shared.js';
import { allocBatch } from '../src/data.js';
import { loadTfjsEngine, TfjsEngine } from '../src/engines/tfjs/index.js';
import { TrainingDivergedError } from '../src/instance.js';

const W_ATOL = 1e-5;
const LOSS_RTOL = 1e-5;
const G_RTOL = 1e-4;
const G_SCALE_TOL = 1e-6;

let tfjs: TfjsEngine;
beforeAll(async () => {
  tfjs = await loadTfjsEngine();
}, 60_000);

function run(kind: ModelKind, steps: number): RunConfig {
  const n = 7;
  return {
    namespace: `engines-agree/${kind}`,
    model: { kind, n, m: 3 },
    data: { kind: 'independent' },
    train: { ...DEFAULT_TRAIN, steps, batch: 128, lr: 1e-2 },
    instances: [
      { sparsity: 0, importance: Array.from({ length: n }, (_, i) => 0.8 ** i), seed: 1 },
      { sparsity: 0.7, importance: Array.from({ length: n }, () => 1), seed: 2 },
      { sparsity: Array.from({ length: n }, (_, i) => 0.1 * i), importance: Array.from({ length: n }, (_, i) => 1 + 0.1 * i), seed: 3 },
    ],
  };
}

function expectSameRun(a: TrainedInstance[], b: TrainedInstance[], what: string): number {
  expect(b.length).toBe(a.length);
  let worst = 0;
  a.forEach((x, k) => {
    const y = b[k];
    for (const f of ['W', 'W2', 'b'] as const) {
      const p = x.params[f];
      const q = y.params[f];
      expect(q === undefined, `${what} instance ${k} ${f}`).toBe(p === undefined);
      if (!p || !q) continue;
      expect(q.length).toBe(p.length);
      for (let j = 0; j < p.length; j++) {
        const d = Math.abs(p[j] - q[j]);
        worst = Math.max(worst, d);
        expect(d, `${what} instance ${k} ${f}[${j}]: native ${p[j]} tfjs ${q[j]}`).toBeLessThanOrEqual(W_ATOL);
      }
    }
    expect(y.losses.length).toBe(x.losses.length);
    for (const [u, v] of [[x.finalLoss, y.finalLoss], ...x.losses.map((l, j) => [l, y.losses[j]])]) {
      expect(Math.abs(u - v), `${what} instance ${k} loss native ${u} tfjs ${v}`).toBeLessThanOrEqual(LOSS_RTOL * Math.abs(u));
    }
  });
  return worst;
}

describe('native and tfjs engines agree', () => {
  it('engine name carries the backend', () => {
    expect(tfjs.name).toBe(`tfjs-${tfjs.backend}`);
    expect(['wasm', 'cpu', 'node', 'node-gpu']).toContain(tfjs.backend);
  });

  for (const kind of MODEL_KINDS) {
    it(`${kind}: loss and gradients of one batch`, () => {
      const r = run(kind, 1);
      const t = MODEL_TRAITS[kind];
      for (const inst of r.instances) {
        const { params, sampler, importance } = setupInstance(r.namespace, r.model, r.data, inst);
        // Move off the init (b = 0) so that output ReLUs are not all at the same point.
        params.b.forEach((_, i) => (params.b[i] = 0.1 * Math.sin(3 * i + inst.seed)));
        const { n, m } = r.model;
        const B = r.train.batch;
        const batch = allocBatch(B, n);
        sampler.fill(batch);
        const g: Grads = { gW: new Float32Array(n * m), gW2: t.tied ? undefined : new Float32Array(n * m), gb: new Float32Array(n) };
        const loss = forwardBackward(t, n, m, params.W, params.W2 ?? params.W, params.b, importance, batch, allocWorkspace(B, m), g);
        const tf = tfjs.lossAndGrads(params, batch.x, B, importance);
        expect(Math.abs(tf.loss - loss)).toBeLessThanOrEqual(LOSS_RTOL * loss);
        for (const f of ['gW', 'gW2', 'gb'] as const) {
          const a = g[f];
          const b = tf.grads[f];
          expect(b === undefined).toBe(a === undefined);
          if (!a || !b) continue;
          const scale = Math.max(...a.map(Math.abs));
          for (let j = 0; j < a.length; j++) {
            expect(Math.abs(a[j] - b[j]), `${kind} ${f}[${j}]: native ${a[j]} tfjs ${b[j]}`).toBeLessThanOrEqual(G_RTOL * Math.abs(a[j]) + G_SCALE_TOL * scale);
          }
        }
      }
    });

    it(`${kind}: weights and losses after 1 and 5 AdamW steps`, async () => {
      for (const steps of [1, 5]) {
        const r = run(kind, steps);
        const a = await new NativeEngine().train(r);
        const tensors = tfjs.tf.memory().numTensors;
        const b = await tfjs.train(r);
        expect(tfjs.tf.memory().numTensors, 'tfjs tensors leaked by train()').toBe(tensors);
        expectSameRun(a, b, `${kind} after ${steps} steps`);
        // The steps moved the weights (so agreement is not just agreement of the init).
        expect(Math.abs(a[0].params.W[0] - b[0].params.W[0])).toBeLessThan(Math.abs(a[0].params.W[0] - setupInstance(r.namespace, r.model, r.data, r.instances[0]).params.W[0]));
      }
    });
  }

  it('tfjs throws TrainingDivergedError on a non-finite loss, and frees its tensors', async () => {
    const r = run('linear', 3);
    // importance 1e38: the float32 loss overflows to Infinity at the first step
    r.instances = [r.instances[0], { ...r.instances[1], importance: r.instances[1].importance.map(() => 1e38) }];
    const tensors = tfjs.tf.memory().numTensors;
    const err = await tfjs.train(r).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainingDivergedError);
    expect((err as TrainingDivergedError).instance).toBe(1);
    expect((err as TrainingDivergedError).step).toBe(0);
    expect(tfjs.tf.memory().numTensors).toBe(tensors);
  });

  it('tfjs results do not depend on how instances are grouped', async () => {
    const r = run('relu-hidden', 5);
    const together = await tfjs.train(r);
    const oneByOne = await new TfjsEngine({ tf: tfjs.tf, backend: tfjs.backend, isGpu: tfjs.isGpu }, { groupFloats: 1 }).train(r);
    const pairs = await new TfjsEngine({ tf: tfjs.tf, backend: tfjs.backend, isGpu: tfjs.isGpu }, { groupFloats: 2 * r.train.batch * r.model.n }).train(r);
    for (const other of [oneByOne, pairs]) {
      expect(other.map((x) => x.config)).toEqual(r.instances);
      expectSameRun(together, other, 'grouping');
    }
  });
});
