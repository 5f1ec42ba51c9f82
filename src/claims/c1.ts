// Claim 1 : 5 features in 2 dimensions, ReLU output, importance 0.9^i.
import type { RunConfig } from '../types.js';
import { DEFAULT_TRAIN } from '../types.js';
import { geometricImportance } from '../instance.js';
import { byTier } from '../tier.js';
import { extraSeedsRun, seedList, seedsUpTo } from './seeds.js';

export const C1 = {
  id: 'C1',
  title: '5 features in 2 dimensions',
  sparsities: [0, 0.8, 0.9],
  /** Fixed seed list; S = 0.8 and 0.9 have local minima, so the spec takes the best of these. */
  seeds: seedList(byTier({ default: seedsUpTo(12), paper: seedsUpTo(20) })),
  /** Extra seeds at S = 0.8 (default tier; the paper tier has 20 there already). A seed reaches the optimum
   *  there (two antipodal pairs without feature 4) only 30% of the time (142 of 480 over 40 flake seed sets;
   *  the usual local minimum drops feature 3 instead, ≈ 6% more loss), so the best of 12 missed it in 2 of 40
   *  sets (0.70^12 = 1.4%). With 20 seeds: 0.70^20 ≈ 0.08%. A run of its own, so the sweep's cache stands. */
  pairSeeds: seedList(byTier({ default: seedsUpTo(20).slice(12), paper: [] as number[] })),
  pairS: 0.8,
  run(): RunConfig {
    return {
      namespace: 'C1',
      model: { kind: 'relu-output', n: 5, m: 2 },
      data: { kind: 'independent' },
      // The paper's settings in both tiers: with 5,000 steps some dense seeds still carry a third feature.
      train: DEFAULT_TRAIN,
      instances: this.sparsities.flatMap((sparsity) => this.seeds.map((seed) => ({ sparsity, importance: geometricImportance(5, 0.9), seed }))),
    };
  },
  /** The extra S = 0.8 seeds (same settings as run()); null when the tier has none. */
  pairRun(): RunConfig | null {
    return extraSeedsRun(this.run(), [{ sparsity: this.pairS, importance: geometricImportance(5, 0.9) }], this.pairSeeds);
  },
};
