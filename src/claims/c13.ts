// Claim 13 : sparse coding. (a) An L1 penalty λ·mean_b ‖h_b‖₁ on the hidden activations of the ReLU output
// model removes superposition, at a higher loss: C8's setting (n = 20, m = 5, importance 0.7^i, S = 0.99),
// where the unpenalised model packs 12–13 features into its 5 dimensions.
import type { RunConfig } from '../types.js';
import { DEFAULT_TRAIN } from '../types.js';
import { byTier } from '../tier.js';
import { seedList, seedsUpTo } from './seeds.js';
import { geometricImportance } from '../instance.js';

export const C13 = {
  id: 'C13',
  n: 20,
  m: 5,
  S: 0.99,
  decay: 0.7,
  /** C8's step count per tier: the unpenalised model has its superposed configuration by 3,000 steps */
  steps: byTier({ default: 3_000, paper: DEFAULT_TRAIN.steps }),
  /** λ = 0 (no penalty) and the λ whose claim is checked, 12 seeds each … */
  lambda: 0.01,
  seeds: seedList(byTier({ default: seedsUpTo(12), paper: seedsUpTo(24) })),
  /** … and the sweep between them, for the trend (its own seeds: λ = 0 and λ's runs keep theirs) */
  sweep: [0.001, 0.003],
  sweepSeeds: seedList(byTier({ default: seedsUpTo(6), paper: seedsUpTo(12) })),
  run(lambda: number, seeds: number[]): RunConfig {
    return {
      namespace: `C13/l1=${lambda}`,
      model: { kind: 'relu-output', n: this.n, m: this.m },
      data: { kind: 'independent' },
      train: { ...DEFAULT_TRAIN, steps: this.steps, ...(lambda > 0 && { hiddenL1: lambda }) },
      instances: seeds.map((seed) => ({ sparsity: this.S, importance: geometricImportance(this.n, this.decay), seed })),
    };
  },
};
