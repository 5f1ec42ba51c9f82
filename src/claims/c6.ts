// Claim 6 : privileged basis. ReLU-hidden model (h = ReLU(Wx), x' = ReLU(Wᵀh + b)), n = 10
// features, m = 5 neurons, importance 0.7^i, swept from dense to sparse.
import type { Params, RunConfig } from '../types.js';
import { DEFAULT_TRAIN } from '../types.js';
import { geometricImportance } from '../instance.js';
import { byTier } from '../tier.js';
import { seedList, seedsUpTo } from './seeds.js';
import { featureNorms } from '../metrics/features.js';
import { polysemanticity } from '../metrics/polysemanticity.js';

export const C6 = {
  id: 'C6',
  title: 'Privileged basis: monosemantic when dense, polysemantic when sparse',
  n: 10,
  m: 5,
  decay: 0.7,
  /** Dense (0, 0.5), the transition (0.7, 0.8) and sparse (0.9 …). The default tier stops at 0.99. */
  sparsities: byTier({ default: [0, 0.5, 0.7, 0.8, 0.9, 0.97, 0.99], paper: [0, 0.5, 0.7, 0.8, 0.9, 0.97, 0.99, 0.997] }),
  /** Pooled statistics over all seeds, and the best of N by held-out loss (the paper shows the best of 1000) (why: docs/design/c6.md) */
  seeds: seedList(byTier({ default: seedsUpTo(12), paper: seedsUpTo(20) })),
  /** The dense regime, where C6.1 checks monosemanticity. */
  dense: [0, 0.5],
  /** Extra seeds at the dense sparsities, default tier (why: docs/design/c6.md) */
  denseSeeds: seedList(byTier({ default: seedsUpTo(24).slice(12), paper: [] as number[] })),
  /** The paper's 10,000 steps everywhere but the dense sparsities of the default tier (after 5,000 steps 3 of 4
   *  seeds still had rotated, polysemantic neurons at S = 0) … */
  steps: DEFAULT_TRAIN.steps,
  /** … which train 20,000: on native-f32 the dense models align with the neurons more slowly (48 fresh S = 0
   *  seeds: 36 fully monosemantic after 10,000 steps, 45 after 20,000), and C6.1 pools them (why: docs/design/c6.md) */
  denseSteps: byTier({ default: 20_000, paper: DEFAULT_TRAIN.steps }),
  /** Every sparsity but the dense ones (those train in denseRun()). */
  run(): RunConfig {
    return {
      namespace: 'C6',
      model: { kind: 'relu-hidden', n: this.n, m: this.m },
      data: { kind: 'independent' },
      train: { ...DEFAULT_TRAIN, steps: this.steps },
      instances: this.sparsities.filter((S) => !this.dense.includes(S)).flatMap((sparsity) => this.seeds.map((seed) => ({ sparsity, importance: geometricImportance(this.n, this.decay), seed }))),
    };
  },
  /** The dense sparsities, a run of their own: every seed and the extra dense seeds, denseSteps each. */
  denseRun(): RunConfig {
    const base = this.run();
    const points = this.dense.map((sparsity) => ({ sparsity, importance: geometricImportance(this.n, this.decay) }));
    return { ...base, train: { ...base.train, steps: this.denseSteps }, instances: points.flatMap((point) => [...this.seeds, ...this.denseSeeds].map((seed) => ({ ...point, seed }))) };
  },
};

/**
 * Does importance predict owning a monosemantic neuron? Among the represented features (‖W_i‖ > 0.5)
 * of one model, every (owner, non-owner) pair is scored 1 when the owner is the more important (lower
 * index). Pooled over models, good / total is an AUC: 1 = owners always more important, 0.5 = no relation.
 * Models where every represented feature owns a neuron, or none does, give no pairs.
 */
export function ownershipPairs(p: Params): { good: number; total: number; owners: number[]; others: number[] } {
  const norms = featureNorms(p);
  const owners = polysemanticity(p).owners.filter((i) => norms[i] > 0.5);
  const others = norms.flatMap((v, i) => (v > 0.5 && !owners.includes(i) ? [i] : []));
  let good = 0;
  for (const o of owners) for (const r of others) good += o < r ? 1 : 0;
  return { good, total: owners.length * others.length, owners, others };
}
