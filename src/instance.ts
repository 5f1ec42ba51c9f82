// Per-instance helpers shared by every engine, so that engines agree on init and data exactly.
import type { InstanceConfig } from './types.js';
import { Rng } from './rng.js';

/** Feature probabilities p_i = 1 − S_i. */
export function featureProbs(inst: InstanceConfig, n: number): Float64Array {
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) p[i] = 1 - (Array.isArray(inst.sparsity) ? inst.sparsity[i] : inst.sparsity);
  return p;
}

/** Independent RNG streams of one instance: init and data never share draws. */
export function instanceStreams(namespace: string, seed: number): { init: Rng; data: Rng } {
  const base = `${namespace}/seed=${seed}`;
  return { init: new Rng(`${base}/init`), data: new Rng(`${base}/data`) };
}

/** Importance i ↦ decay^i, the paper's usual choice. */
export function geometricImportance(n: number, decay: number): number[] {
  return Array.from({ length: n }, (_, i) => decay ** i);
}

export class TrainingDivergedError extends Error {
  constructor(
    readonly instance: number,
    readonly step: number,
    what: string,
  ) {
    super(`training diverged: instance ${instance} produced ${what} at step ${step}; nothing was cached. ` +
      `Lower train.lr or check the config.`);
    this.name = 'TrainingDivergedError';
  }
}
