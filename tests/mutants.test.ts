// Each mutant of src/mutants.ts really changes training, and with TMS_MUTANT unset nothing changes: the
// hooked trainInstance gives the same bits as the plain loop (setupInstance + kernel + AdamW).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ModelKind, TrainedInstance } from '../src/types.js';
import { DEFAULT_TRAIN } from '../src/types.js';
import { MUTANT_NAMES, activeMutant, mutantVariant, setupTraining, type MutantName } from '../src/mutants.js';
import { loadVariant } from '../src/engines/native/setup.js';
import { trainInstance, type InstanceJob } from '../src/engines/native/train-instance.js';
import { setupInstance, LossLog } from '../src/engines/shared.js';
import { allocBatch } from '../src/data.js';
import { allocFastWorkspace, fastForwardBackward } from '../src/engines/native/fast-kernel.js';
import { AdamW } from '../src/engines/native/adamw.js';
import { trainRun } from '../src/train.js';
import { NativeEngine } from '../src/engines/native/index.js';
import { closePool } from '../src/engines/native/pool.js';
import { ConfigError } from '../src/validate.js';
import { weightsHash } from './helpers/weights-hash.js';

const old = process.env.TMS_MUTANT;
afterEach(() => {
  if (old === undefined) delete process.env.TMS_MUTANT;
  else process.env.TMS_MUTANT = old;
});

function job(kind: ModelKind = 'relu-output', sparsity = 0.7): InstanceJob {
  const n = 8;
  return {
    namespace: 'mutants-test',
    model: { kind, n, m: 3 },
    data: { kind: 'independent' },
    train: { ...DEFAULT_TRAIN, steps: 150, batch: 64 },
    inst: { sparsity, importance: Array.from({ length: n }, (_, i) => 0.8 ** i), seed: 3 },
    index: 0,
  };
}

// The harness hands a mutant to the engine as a variant the job carries (as it crosses into worker threads).
beforeAll(async () => {
  for (const m of MUTANT_NAMES) await loadVariant(mutantVariant(m));
});

function train(j: InstanceJob, mutant?: MutantName): TrainedInstance {
  if (mutant) process.env.TMS_MUTANT = mutant;
  else delete process.env.TMS_MUTANT;
  return trainInstance(mutant ? { ...j, variant: mutantVariant(mutant) } as InstanceJob : j);
}

/** The training loop as it was before the mutant hook: what "no mutant" must reproduce bit for bit. */
function plainLoop(j: InstanceJob): TrainedInstance {
  const { n, m } = j.model;
  const { traits, params, sampler, importance } = setupInstance(j.namespace, j.model, j.data, j.inst);
  const batch = allocBatch(j.train.batch, n);
  const ws = allocFastWorkspace(j.train.batch, n, m);
  const grads = { gW: new Float32Array(n * m), gW2: traits.tied ? undefined : new Float32Array(n * m), gb: new Float32Array(n) };
  const opt = new AdamW(traits.tied ? [params.W, params.b] : [params.W, params.W2!, params.b], j.train);
  const log = new LossLog(j.train.steps);
  for (let step = 0; step < j.train.steps; step++) {
    sampler.fill(batch);
    const loss = fastForwardBackward(traits, n, m, params.W, traits.tied ? params.W : params.W2!, params.b, importance, batch, ws, grads);
    opt.step(traits.tied ? [grads.gW, grads.gb] : [grads.gW, grads.gW2!, grads.gb]);
    log.record(step, loss);
  }
  return { config: j.inst, params, ...log.result() };
}

describe('mutants', () => {
  it('without TMS_MUTANT (unset or empty) training is bit-identical to the plain loop, for every model', () => {
    for (const kind of ['linear', 'relu-output', 'relu-hidden', 'abs'] as const) {
      const want = weightsHash([plainLoop(job(kind))]);
      expect(weightsHash([train(job(kind))])).toBe(want);
      process.env.TMS_MUTANT = '';
      expect(activeMutant()).toBeUndefined();
      expect(weightsHash([trainInstance(job(kind))])).toBe(want);
    }
  });

  const normal = () => train(job());
  const differs = (a: TrainedInstance, b: TrainedInstance) => weightsHash([a]) !== weightsHash([b]);

  it.each(MUTANT_NAMES)('%s changes training (different weights and loss), keeps the instance config', (name) => {
    const base = normal();
    const mutant = train(job(), name);
    expect(differs(mutant, base)).toBe(true);
    expect(mutant.finalLoss).not.toBe(base.finalLoss);
    expect(mutant.config).toEqual(job().inst); // specs still find the instance by its real sparsity / seed
  });

  it('relu-removed: the output ReLU is gone, the hidden one stays', () => {
    process.env.TMS_MUTANT = 'relu-removed';
    const j = job('relu-hidden');
    const t = setupTraining(j.namespace, j.model, j.data, j.inst).traits;
    expect(t).toMatchObject({ outputRelu: false, hiddenRelu: true });
    // The linear model has no ReLU to remove: same bits.
    expect(weightsHash([train(job('linear'), 'relu-removed')])).toBe(weightsHash([train(job('linear'))]));
  });

  it('importance-ignored / sparsity-inverted change what the model sees', () => {
    process.env.TMS_MUTANT = 'importance-ignored';
    const j = job('relu-output', 0.9);
    expect(Array.from(setupTraining(j.namespace, j.model, j.data, j.inst).importance)).toEqual(new Array(8).fill(1));
    // S = 0.9 inverted is S = 0.1: dense data, so a larger loss than at S = 0.9.
    expect(train(j, 'sparsity-inverted').finalLoss).toBeGreaterThan(train(j).finalLoss * 2);
    // Dense S = 0 becomes S = 0.999 (clamped).
    expect(train(job('relu-output', 0), 'sparsity-inverted').finalLoss).toBeLessThan(train(job('relu-output', 0)).finalLoss / 10);
  });

  it('untied: the decoder W2 starts as a copy of W and trains separately', () => {
    process.env.TMS_MUTANT = 'untied';
    const j = job();
    const s = setupTraining(j.namespace, j.model, j.data, j.inst);
    expect(s.traits.tied).toBe(false);
    expect(Array.from(s.params.W2!)).toEqual(Array.from(s.params.W));
    const t = train(j, 'untied');
    expect(t.params.W2).toBeDefined();
    expect(Array.from(t.params.W2!)).not.toEqual(Array.from(t.params.W));
  });

  it('bias-frozen: b stays exactly 0', () => {
    const t = train(job(), 'bias-frozen');
    expect(Array.from(t.params.b)).toEqual(new Array(8).fill(0));
    expect(train(job()).params.b.some((v) => v !== 0)).toBe(true);
  });

  it('sgd: at lr 1e-3 plain SGD barely moves the weights (AdamW moves each by ~lr per step)', () => {
    const j = job();
    const init = setupTraining(j.namespace, j.model, j.data, j.inst).params.W;
    const moved = (t: TrainedInstance) => Math.max(...Array.from(t.params.W, (w, i) => Math.abs(w - init[i])));
    expect(moved(train(j, 'sgd'))).toBeLessThan(moved(train(j)) / 10);
  });

  it('a mutant crosses into worker threads as data: threaded training gives the in-thread mutant bits', async () => {
    const j = job();
    const run = { namespace: j.namespace, model: j.model, data: j.data, train: j.train, instances: [j.inst, { ...j.inst, seed: 4 }] };
    const variant = mutantVariant('bias-frozen');
    const threaded = await trainRun(run, { engine: new NativeEngine({ threads: 2 }), fresh: true, variant });
    const inThread = await trainRun(run, { engine: new NativeEngine({ threads: 1 }), fresh: true, variant });
    expect(weightsHash(threaded.instances)).toBe(weightsHash(inThread.instances));
    expect(Array.from(threaded.instances[1].params.b)).toEqual(new Array(8).fill(0));
    await closePool();
  });

  it('a mutant with a non-native engine is refused', async () => {
    process.env.TMS_MUTANT = 'sgd';
    const fake = { name: 'tfjs-cpu', describe: () => 'fake', train: async () => [] };
    const j = job();
    const run = { namespace: j.namespace, model: j.model, data: j.data, train: j.train, instances: [j.inst] };
    await expect(trainRun(run, { engine: fake, fresh: true })).rejects.toThrow(ConfigError);
    await expect(trainRun(run, { engine: fake, fresh: true })).rejects.toThrow(/TMS_MUTANT = "sgd": training variants exist only in the native engine/);
  });
});
