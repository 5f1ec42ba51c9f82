// Mutation testing: deliberately broken models, to check that the claim specs notice when the model is
// wrong. `TMS_MUTANT=<name>` makes the harness hand the native engine the mutant as a training variant
// (src/engines/native/setup.ts) instead of the paper's model; the variant (name and this file's hash)
// enters the run-cache key, so mutant runs never mix with real ones.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DataConfig, InstanceConfig, ModelConfig } from './types.js';
import { envChoice } from './env.js';
import { setupInstance } from './engines/shared.js';
import { AdamW } from './engines/native/adamw.js';
import { adamw, plainSetup, type Optimizer, type SetupFn, type TrainingSetup, type TrainingVariant } from './engines/native/setup.js';

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

let version: string | undefined;
/** This file's content: an edited mutant retrains instead of reading stale cached runs. */
function mutantsVersion(): string {
  return (version ??= createHash('sha256').update(readFileSync(fileURLToPath(import.meta.url))).digest('hex').slice(0, 12));
}

/** The training variant of mutant `name` (plain data: a worker thread imports it by module URL). */
export function mutantVariant(name: MutantName): TrainingVariant {
  return { name: `TMS_MUTANT = "${name}"`, version: `${name}@${mutantsVersion()}`, module: import.meta.url, exportName: 'mutantSetup' };
}

/** The variant of the mutant TMS_MUTANT names, or undefined. */
export function mutantFromEnv(env: NodeJS.ProcessEnv = process.env): TrainingVariant | undefined {
  const m = activeMutant(env);
  return m && mutantVariant(m);
}

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

/** The setup of mutant `variantName` (a mutantVariant's name, or a bare mutant name). */
export function mutantSetup(variantName: string): SetupFn {
  const mutant = MUTANT_NAMES.find((m) => variantName === m || variantName === mutantVariant(m).name);
  if (!mutant) throw new Error(`unknown mutant ${variantName}`);
  return (namespace, model, data, inst) => mutate(mutant, namespace, model, data, inst);
}

function mutate(mutant: MutantName, namespace: string, model: ModelConfig, data: DataConfig, inst: InstanceConfig): TrainingSetup {
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

/** One instance's setup under TMS_MUTANT (the plain setup when none is active). */
export function setupTraining(namespace: string, model: ModelConfig, data: DataConfig, inst: InstanceConfig, env: NodeJS.ProcessEnv = process.env): TrainingSetup {
  const m = activeMutant(env);
  return m ? mutate(m, namespace, model, data, inst) : plainSetup(namespace, model, data, inst);
}
