// Claim 7 : computation in superposition. Absolute-value model h = ReLU(W1 x),
// y' = ReLU(W2 h + b), inputs U[−1, 1), target |x|, feature probability p ∈ {1, .3, .1, .03, .01, .003, .001}.
import type { Params, RunConfig, TrainedInstance } from '../types.js';
import { DEFAULT_TRAIN } from '../types.js';
import { byTier } from '../tier.js';
import { extraSeedsRun, seedList } from './seeds.js';
import { initParams } from '../models.js';
import { instanceStreams } from '../instance.js';
import { absErrors, type AbsErrors } from '../metrics/evaluate.js';

const shape = byTier({
  // The paper's n = 100, m = 40 in both tiers, with the paper's 10,000 steps and batch 1024: three seeds at every
  // density (each model counts tens of features), three more at the sparse densities, where C7.5 pools its gain over
  // (p, seed) models (why: docs/design/c7.md)
  default: { n: 100, m: 40, seeds: [1, 2, 3], sparseSeeds: [4, 5, 6] },
  paper: { n: 100, m: 40, seeds: [1, 2, 3], sparseSeeds: [4, 5, 6] },
});

/** the sparse feature probabilities C7.2, C7.4 and C7.5 look at */
export const SPARSE_P = [0.01, 0.003, 0.001];

export const C7 = {
  id: 'C7',
  title: 'Computation in superposition: the absolute-value model',
  ...shape,
  seeds: seedList(shape.seeds),
  /** Extra seeds at the sparse densities (SPARSE_P), where C7.4 and C7.5 pool over (p, seed) models (why: docs/design/c7.md) */
  sparseSeeds: seedList(shape.sparseSeeds),
  /** feature probabilities p = 1 − S */
  densities: [1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001],
  /** All importances 1, not the 0.8^i of one reference: with 0.8^i and n = 100, features beyond the
   *  40th weigh < 1e-4 of feature 0 in the loss, so whether the model computes more features than it
   *  has neurons could not be seen. Every seed is counted (no best-of-N). */
  importance(): number[] {
    return new Array(this.n).fill(1);
  },
  run(): RunConfig {
    return {
      namespace: 'C7',
      model: { kind: 'abs', n: this.n, m: this.m },
      data: { kind: 'independent' },
      train: DEFAULT_TRAIN,
      instances: this.densities.flatMap((p) => this.seeds.map((seed) => ({ sparsity: 1 - p, importance: this.importance(), seed }))),
    };
  },
  /** The extra sparse-density seeds (same namespace and settings as run()); null when the tier has none. */
  sparseRun(): RunConfig | null {
    return extraSeedsRun(this.run(), SPARSE_P.map((p) => ({ sparsity: 1 - p, importance: this.importance() })), this.sparseSeeds);
  },
  /** C7.5's intervention: every sparse model (run() and sparseRun()) again from the same draws with
   *  W2 ← |W2| ('alive-halves'), so no half-function starts with a dead output. Same namespace and seeds:
   *  each model is paired with its paper-init twin. */
  runAliveHalves(): RunConfig {
    const base = this.run();
    const sparse = base.instances.filter((i) => SPARSE_P.some((p) => Math.abs(1 - (i.sparsity as number) - p) < 1e-12));
    return {
      ...base,
      model: { ...base.model, init: 'alive-halves' },
      instances: [...sparse, ...(this.sparseRun()?.instances ?? [])],
    };
  },
  /** fresh samples per feature for absErrors (half with x_i > 0, half with x_i < 0) */
  evalSamples: 2_000,
};

/** A half-function ReLU(±x_i) counts as computed when its relative error (absErrors) is at most this:
 *  the output explains ≥ 90% of E[x_i²] on that side. |x_i| is computed when both halves are. */
export const COMPUTED_MAX = 0.1;

export interface Computation {
  errors: AbsErrors;
  /** features with |x_i| computed (both halves) */
  full: number[];
  /** features with at least one of ReLU(x_i), ReLU(−x_i) computed */
  some: number[];
  /** number of half-functions ReLU(±x_i) computed (0 … 2n) */
  halves: number;
}

export function computation(t: TrainedInstance, samples = C7.evalSamples): Computation {
  const errors = absErrors(t.params, t.config, samples, `C7/eval/seed=${t.config.seed}`);
  const ok = (v: number) => v <= COMPUTED_MAX;
  const idx = errors.pos.map((_, i) => i);
  return {
    errors,
    full: idx.filter((i) => ok(errors.pos[i]) && ok(errors.neg[i])),
    some: idx.filter((i) => ok(errors.pos[i]) || ok(errors.neg[i])),
    halves: idx.reduce((s, i) => s + (ok(errors.pos[i]) ? 1 : 0) + (ok(errors.neg[i]) ? 1 : 0), 0),
  };
}

/**
 * Which half-functions are alive at initialisation: output i reads ReLU(±W1_i x) with weight
 * W2_i · ReLU(±W1_i) > 0, i.e. the output's pre-activation rises with |x_i| on that side. A half that is
 * not alive then has a dead output ReLU for its own feature (no gradient) when features are sparse.
 */
export function aliveAtInit(namespace: string, seed: number, n: number, m: number): { pos: boolean[]; neg: boolean[] } {
  const p: Params = initParams('abs', n, m, instanceStreams(namespace, seed).init);
  const ray = (sign: number, i: number) => {
    let r = 0;
    for (let k = 0; k < m; k++) r += p.W2![i * m + k] * Math.max(0, sign * p.W[i * m + k]);
    return r > 0;
  };
  return { pos: Array.from({ length: n }, (_, i) => ray(1, i)), neg: Array.from({ length: n }, (_, i) => ray(-1, i)) };
}
