// C8 — Superposition lowers the loss. At S = 0.99 (n = 20, m = 5, importance 0.7^i) the linear model can
// only give the top 5 features their own dimensions, so its loss sits at the no-superposition bound
// (the other 15 features predicted by their mean). The ReLU-output model packs more features into the
// 5 dimensions and ends far below that bound. Checked for most seeds (toHoldForMostSeeds). Walked through in docs/adding-a-claim.md.
import { expect } from 'vitest';
import { defineClaim, PAPER_URL } from '../src/claims/define.js';
import { verdict } from '../src/claims/matchers.js';
import { seedList, seedsUpTo } from '../src/claims/seeds.js';
import { byTier } from '../src/tier.js';
import { DEFAULT_TRAIN, type ModelKind, type RunConfig, type TrainedRun } from '../src/types.js';
import { geometricImportance } from '../src/instance.js';
import { featureNorms, interference, representedFeatures } from '../src/metrics/features.js';
import { normBars } from '../src/figures/norm-bars.js';

const N = 20;
const M = 5;
const S = 0.99;
const importance = geometricImportance(N, 0.7);
// 24 seeds: the per-seed verdicts' modelled bound falls fast with seeds (3: ≈ 3q², 0.69% each at K = 20; 12: 0.15%)
const seeds = seedList(byTier({ default: seedsUpTo(24), paper: seedsUpTo(8) }));
/** 3,000 steps already give the paper's picture here (ReLU/bound ≈ 0.21 vs ≈ 0.19 after 10,000). */
const steps = byTier({ default: 3000, paper: DEFAULT_TRAIN.steps });

/** Least loss without superposition: top M features exact, each other one predicted by its mean p/2,
 *  leaving its variance p/3 − p²/4; weighted by importance and averaged over features as the engines do. */
const p = 1 - S;
const BOUND = (importance.slice(M).reduce((a, v) => a + v, 0) * (p / 3 - p ** 2 / 4)) / N;
/** |linear / bound − 1| allowed: the final loss averages 5% of the steps' batches, about ±1% noise. */
const LINEAR_TOL = 0.07;
/** ReLU / bound must be at most this (measured ≈ 0.2 for every seed so far). */
const RELU_MAX = 0.5;

const config = (kind: ModelKind): RunConfig => ({
  namespace: `C8/${kind}`,
  model: { kind, n: N, m: M },
  data: { kind: 'independent' },
  train: { ...DEFAULT_TRAIN, steps },
  instances: seeds.map((seed) => ({ sparsity: S, importance, seed })),
});
const ratios = (r: TrainedRun) => r.instances.map((t) => t.finalLoss / BOUND);

defineClaim({
  id: 'C8',
  title: 'superposition lowers the loss at high sparsity',
  spec: import.meta.url,
  paper: {
    statement: 'With sparse features the ReLU output model represents more features than it has dimensions, accepting interference because ' +
      'that lowers the loss; for the linear model representing more features than dimensions is never worthwhile, so it keeps only the top m.',
    section: `${PAPER_URL}#demonstrating-math`,
    settings: 'Linear and ReLU output models as in the basic results (importance decaying with i, sparsity swept); here n = 20, m = 5, importance 0.7^i, S = 0.99.',
  },
  run: () => ({ linear: config('linear'), relu: config('relu-output') }),
  checks: [
    {
      id: 'C8.1',
      title: `the linear model stays at the no-superposition bound (most seeds, ±${Math.round(LINEAR_TOL * 100)}%)`,
      check: ({ linear }, record) => {
        const r = ratios(linear);
        record({ what: 'linear loss / no-superposition bound, per seed', value: r, paper: 'linear: only the top m features, no superposition', tolerance: `1 ± ${LINEAR_TOL}` });
        const verdicts = linear.instances.map((t, k) => verdict(t.config.seed, Math.abs(r[k] - 1) <= LINEAR_TOL && representedFeatures(t.params).length === M,
          `loss/bound ${r[k].toFixed(3)}, ${representedFeatures(t.params).length} features represented`));
        expect(verdicts).toHoldForMostSeeds();
      },
    },
    {
      id: 'C8.2',
      title: `the ReLU-output model superposes and ends below ${RELU_MAX} × the bound (most seeds)`,
      check: ({ relu }, record) => {
        const r = ratios(relu);
        const represented = relu.instances.map((t) => representedFeatures(t.params).length);
        record({ what: 'ReLU loss / no-superposition bound, per seed', value: r, paper: 'lower loss than without superposition', tolerance: `≤ ${RELU_MAX}` });
        record({ what: 'ReLU features represented (‖W_i‖ > 0.5), per seed', value: represented, paper: 'more features than dimensions', tolerance: `> ${M}` });
        const verdicts = relu.instances.map((t, k) => verdict(t.config.seed, r[k] <= RELU_MAX && represented[k] > M,
          `loss/bound ${r[k].toFixed(3)}, ${represented[k]} features represented`));
        expect(verdicts).toHoldForMostSeeds();
      },
    },
  ],
  figure: {
    draw: ({ linear, relu }) => {
      const panel = (name: string, r: TrainedRun) => {
        const t = r.instances[0];
        return { label: `${name}: loss = ${(t.finalLoss / BOUND).toFixed(2)} × bound`, norms: featureNorms(t.params), interference: interference(t.params) };
      };
      return { spec: normBars([panel('linear', linear), panel('ReLU output', relu)], `C8: S = ${S}, n = ${N}, m = ${M} (seed ${seeds[0]})`) };
    },
  },
});
