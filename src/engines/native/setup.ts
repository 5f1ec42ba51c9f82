// How the native engine sets up one instance (init, data, traits, optimiser): the paper's model and AdamW,
// or a training variant handed down by the caller (e.g. the mutation check). A job crosses into worker
// threads as data, so a variant is named by a module URL and an export that the worker imports.
import type { DataConfig, InstanceConfig, ModelConfig, TrainConfig } from '../../types.js';
import { setupInstance, type InstanceSetup } from '../shared.js';
import { AdamW } from './adamw.js';

export interface Optimizer {
  step(grads: Float32Array[]): void;
}
export type OptimizerFactory = (tensors: Float32Array[], cfg: TrainConfig) => Optimizer;

export interface TrainingSetup extends InstanceSetup {
  /** builds the optimiser over the trained tensors ([W, b] tied, [W, W2, b] untied) */
  makeOptimizer: OptimizerFactory;
}

export type SetupFn = (namespace: string, model: ModelConfig, data: DataConfig, inst: InstanceConfig) => TrainingSetup;

/** A replacement for the plain setup: `import(module)[exportName](name)` gives its SetupFn. Plain data. */
export interface TrainingVariant {
  /** with `version`, enters the run-cache key, so variant runs never mix with real ones */
  name: string;
  /** e.g. a hash of the variant's code, so an edited variant retrains */
  version?: string;
  module: string;
  exportName: string;
}

export const adamw: OptimizerFactory = (tensors, cfg) => new AdamW(tensors, cfg);

/** The paper's model: setupInstance and AdamW. */
export const plainSetup: SetupFn = (namespace, model, data, inst) => ({ ...setupInstance(namespace, model, data, inst), makeOptimizer: adamw });

/** What the run-cache key gets for a variant. */
export const variantKey = (v: TrainingVariant | undefined): string | undefined => v && (v.version ? `${v.name}@${v.version}` : v.name);

const loaded = new Map<string, SetupFn>();
const refKey = (v: TrainingVariant) => `${v.module}#${v.exportName}#${v.name}`;

/** Imports a variant's module (once per thread), so that the synchronous setupTraining can use it. */
export async function loadVariant(v: TrainingVariant | undefined): Promise<void> {
  if (!v || loaded.has(refKey(v))) return;
  const mod = (await import(v.module)) as Record<string, (name: string) => SetupFn>;
  const make = mod[v.exportName];
  if (typeof make !== 'function') throw new Error(`training variant ${v.name}: ${v.module} has no export ${v.exportName}`);
  loaded.set(refKey(v), make(v.name));
}

/** One instance's setup: the plain one, or the job's (loaded) variant. */
export function setupTraining(job: { namespace: string; model: ModelConfig; data: DataConfig; inst: InstanceConfig; variant?: TrainingVariant }): TrainingSetup {
  if (!job.variant) return plainSetup(job.namespace, job.model, job.data, job.inst);
  const fn = loaded.get(refKey(job.variant));
  if (!fn) throw new Error(`training variant ${job.variant.name} was not loaded (loadVariant) before training`);
  return fn(job.namespace, job.model, job.data, job.inst);
}
