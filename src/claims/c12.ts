// Claim 12: adversarial vulnerability grows with superposition. Uniform importance, sparsity swept; each
// model attacked with the optimal L2 attack of budget 0.1 × the mean input norm (src/metrics/adversarial.ts).
import type { RunConfig } from '../types.js';
import { DEFAULT_TRAIN } from '../types.js';
import { byTier } from '../tier.js';
import { logspace } from './phase.js';
import { seedList, seedsUpTo } from './seeds.js';

const shape = byTier({
  // Default: the C8 size (n = 20, m = 5) with batch 256 and 3,000 steps to fit CI; the paper tier trains
  // as the notebook does over the C4 range of 1/(1 − S).
  default: { n: 20, m: 5, steps: 3_000, batch: 256, points: 7, xMax: 100, samples: 400 },
  paper: { n: 20, m: 5, steps: DEFAULT_TRAIN.steps, batch: DEFAULT_TRAIN.batch, points: 10, xMax: 1000, samples: 2000 },
});

export const C12 = {
  ...shape,
  /** 1/(1 − S), log-spaced from 1 (dense) */
  xs: logspace(1, shape.xMax, shape.points),
  /** C12.2 compares the curves up to this 1/(1 − S), where superposition forms (1/D* rises from 1 to ≈ 5.6; its
   *  largest value is ≈ 5.9): the default tier's whole sweep. Past it, in the paper tier, vulnerability falls
   *  (by ≈ 45% at 1/(1 − S) = 464) while 1/D* creeps up: recorded, not compared (docs/design/c12.md) */
  trackXMax: 100,
  /** one curve per seed: each seed's init is shared along the sweep */
  seeds: seedList(seedsUpTo(8)),
  run(): RunConfig {
    return {
      namespace: 'C12',
      model: { kind: 'relu-output', n: this.n, m: this.m },
      data: { kind: 'independent' },
      train: { ...DEFAULT_TRAIN, steps: this.steps, batch: this.batch },
      instances: this.xs.flatMap((x) => this.seeds.map((seed) => ({ sparsity: 1 - 1 / x, importance: new Array(this.n).fill(1), seed }))),
    };
  },
};
