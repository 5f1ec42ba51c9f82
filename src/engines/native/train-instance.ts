// Trains one instance to completion. Pure: the result depends only on its arguments, which is what
// lets instances run in any order or on any worker thread and still give bit-identical weights.
import type { DataConfig, InstanceConfig, ModelConfig, TrainConfig, TrainedInstance } from '../../types.js';
import { allocBatch } from '../../data.js';
import { TrainingDivergedError } from '../../instance.js';
import { assertFiniteParams, LossLog, setupInstance } from '../shared.js';
import { allocWorkspace, forwardBackward } from './kernel.js';
import { AdamW } from './adamw.js';

export { LOSS_POINTS } from '../shared.js';

export interface InstanceJob {
  namespace: string;
  model: ModelConfig;
  data: DataConfig;
  train: TrainConfig;
  inst: InstanceConfig;
  index: number;
}

export function trainInstance(job: InstanceJob, onStep?: (step: number) => void): TrainedInstance {
  const { model, train, inst } = job;
  const { n, m } = model;
  const { traits, params, sampler, importance } = setupInstance(job.namespace, model, job.data, inst);
  const batch = allocBatch(train.batch, n);
  const ws = allocWorkspace(train.batch, m);
  const grads = { gW: new Float32Array(n * m), gW2: traits.tied ? undefined : new Float32Array(n * m), gb: new Float32Array(n) };
  const tensors = traits.tied ? [params.W, params.b] : [params.W, params.W2!, params.b];
  const gradList = traits.tied ? [grads.gW, grads.gb] : [grads.gW, grads.gW2!, grads.gb];
  const opt = new AdamW(tensors, train);

  const log = new LossLog(train.steps);
  for (let step = 0; step < train.steps; step++) {
    sampler.fill(batch);
    const loss = forwardBackward(traits, n, m, params.W, traits.tied ? params.W : params.W2!, params.b, importance, batch, ws, grads);
    if (!Number.isFinite(loss)) throw new TrainingDivergedError(job.index, step, `loss ${loss}`);
    opt.step(gradList);
    log.record(step, loss);
    onStep?.(step);
  }
  assertFiniteParams(params, job.index, train.steps);
  return { config: inst, params, ...log.result() };
}
