// Mutation testing: deliberately broken models, to check that the claim specs notice when the model is
// wrong. `TMS_MUTANT=<name>` makes the native engine train the mutant instead of the paper's model; the
// mutant's name enters the run-cache key, so mutant runs never mix with real ones.
// The engine's only hook is `setupTraining` (init, data, traits and optimiser of one instance).
import type { DataConfig, InstanceConfig, ModelConfig, TrainConfig } from './types.js';
import { envChoice } from './env.js';
import { setupInstance, type InstanceSetup } from './engines/shared.js';
import { AdamW } from './engines/native/adamw.js';

export const MUTANTS = {
  'relu-removed': 'ReLU-output / ReLU-hidden models lose their output ReLU',
  'importance-ignored': 'every feature gets importance 1',
  'sparsity-inverted': 'sparsity S becomes 1 − S, clamped to [0, 0.999]',
  untied: 'tied models get a separate decoder W2 (initialised as a copy of W, trained on its own)',
  'bias-frozen': 'the bias b stays 0',
  sgd: 'plain SGD (no momentum, no weight decay) at the same lr instead of AdamW',
} as const;
export type MutantName = keyof typeof MUTANTS;
export const MUTANT_NAMES = Object.keys(MUTANTS) as MutantName[];

/** The mutant named by TMS_MUTANT, or undefined (unset or empty); a ConfigError names an unknown one. */
export function activeMutant(env: NodeJS.ProcessEnv = process.env): MutantName | undefined {
  return envChoice('TMS_MUTANT', MUTANT_NAMES, undefined, env);
}

/** What the run-cache key gets for the active mutant: its name, or undefined (no key change) when none.
 *  (This file's content is part of the cache's code version, like the engines'.) */
export function mutantKey(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return activeMutant(env);
}

export interface Optimizer {
  step(grads: Float32Array[]): void;
}
export type OptimizerFactory = (tensors: Float32Array[], cfg: TrainConfig) => Optimizer;

export interface TrainingSetup extends InstanceSetup {
  /** builds the optimiser over the trained tensors ([W, b] tied, [W, W2, b] untied) */
  makeOptimizer: OptimizerFactory;
}

const adamw: OptimizerFactory = (tensors, cfg) => new AdamW(tensors, cfg);

class Sgd implements Optimizer {
  constructor(private readonly tensors: Float32Array[], private readonly lr: number) {}
  step(grads: Float32Array[]): void {
    const lr = this.lr;
    this.tensors.forEach((p, q) => {
      const g = grads[q];
      for (let j = 0; j < p.length; j++) p[j] -= lr * g[j];
    });
  }
}

/**
 * Everything an engine needs to train one instance: `setupInstance` and AdamW when no mutant is active
 * (bit-identical to calling them directly), or the active mutant's changed versions.
 */
export function setupTraining(namespace: string, model: ModelConfig, data: DataConfig, inst: InstanceConfig, env: NodeJS.ProcessEnv = process.env): TrainingSetup {
  const mutant = activeMutant(env);
  if (!mutant) return { ...setupInstance(namespace, model, data, inst), makeOptimizer: adamw };
  const n = model.n;
  let cfg = inst;
  if (mutant === 'importance-ignored') cfg = { ...inst, importance: new Array(n).fill(1) };
  if (mutant === 'sparsity-inverted') {
    const flip = (s: number) => Math.min(0.999, Math.max(0, 1 - s));
    cfg = { ...inst, sparsity: Array.isArray(inst.sparsity) ? inst.sparsity.map(flip) : flip(inst.sparsity) };
  }
  const s = setupInstance(namespace, model, data, cfg);
  let makeOptimizer = adamw;
  let traits = s.traits;
  if (mutant === 'relu-removed') traits = { ...traits, outputRelu: false };
  if (mutant === 'untied' && traits.tied) {
    traits = { ...traits, tied: false };
    s.params.W2 = s.params.W.slice();
  }
  if (mutant === 'bias-frozen') {
    const b = s.params.b;
    makeOptimizer = (tensors, c) => {
      const keep = tensors.map((t) => t !== b);
      const inner = new AdamW(tensors.filter((_, q) => keep[q]), c);
      return { step: (grads) => inner.step(grads.filter((_, q) => keep[q])) };
    };
  }
  if (mutant === 'sgd') makeOptimizer = (tensors, c) => new Sgd(tensors, c.lr);
  return { ...s, traits, makeOptimizer };
}
