// What every engine shares beyond the kernels: per-instance setup (init, data stream, importance) and
// the loss log, so that engines agree on init, data and the recorded losses exactly.
import type { DataConfig, InstanceConfig, ModelConfig, Params } from '../types.js';
import { makeSampler, type Sampler } from '../data.js';
import { MODEL_TRAITS, initParams, type ModelTraits } from '../models.js';
import { featureProbs, instanceStreams, TrainingDivergedError } from '../instance.js';

/** How many loss points a run records (evenly spaced means over the run). */
export const LOSS_POINTS = 100;

export interface InstanceSetup {
  traits: ModelTraits;
  /** freshly initialised parameters (Xavier-normal W, b = 0) from the instance's init stream */
  params: Params;
  /** the instance's data stream (U[-1,1) values for the abs model) */
  sampler: Sampler;
  importance: Float64Array;
}

/** Init and data of one instance: depends only on (namespace, seed, model, data, sparsity, importance). */
export function setupInstance(namespace: string, model: ModelConfig, data: DataConfig, inst: InstanceConfig): InstanceSetup {
  const { n, m, kind } = model;
  const traits = MODEL_TRAITS[kind];
  const streams = instanceStreams(namespace, inst.seed);
  const params = initParams(kind, n, m, streams.init, model.init);
  const sampler = makeSampler(n, featureProbs(inst, n), data, traits.absTarget, streams.data);
  return { traits, params, sampler, importance: Float64Array.from(inst.importance) };
}

/**
 * Records one loss per step: `losses` holds LOSS_POINTS means of consecutive blocks of steps and
 * `finalLoss` the mean of the last 5% of steps (at least one).
 */
export class LossLog {
  readonly every: number;
  readonly tail: number;
  private readonly losses: number[] = [];
  private acc = 0;
  private tailSum = 0;

  constructor(private readonly steps: number) {
    this.every = Math.max(1, Math.floor(steps / LOSS_POINTS));
    this.tail = Math.max(1, Math.floor(steps / 20));
  }

  /** `loss` of step `step` (0-based, steps recorded in order). */
  record(step: number, loss: number): void {
    this.acc += loss;
    if ((step + 1) % this.every === 0) {
      this.losses.push(this.acc / this.every);
      this.acc = 0;
    }
    if (step >= this.steps - this.tail) this.tailSum += loss;
  }

  result(): { finalLoss: number; losses: number[] } {
    return { finalLoss: this.tailSum / this.tail, losses: this.losses };
  }
}

/** Throws TrainingDivergedError when a trained weight is not finite. */
export function assertFiniteParams(p: Params, index: number, step: number): void {
  for (const t of [p.W, p.W2, p.b]) {
    if (!t) continue;
    for (let j = 0; j < t.length; j++) {
      if (!Number.isFinite(t[j])) throw new TrainingDivergedError(index, step, `non-finite weight ${t[j]}`);
    }
  }
}
