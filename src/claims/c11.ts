// Claim 11 : learning dynamics. Uniform superposition (all importances 1, ReLU output) in the regime where
// features end as digons or dropped (1/(1−S) = 2.5, C4's D* = 1/2 plateau), with the parameters
// snapshotted during training: each feature's dimensionality D_i moves between levels in short jumps, and
// the loss falls during those jumps.
import type { RunConfig, TrainedInstance } from '../types.js';
import { DEFAULT_TRAIN } from '../types.js';
import { byTier } from '../tier.js';
import { seedList, seedsUpTo } from './seeds.js';
import { featureDimensionality } from '../metrics/features.js';
import { heldOutLosses } from '../metrics/evaluate.js';
import { transit, type Transit } from '../metrics/dynamics.js';

export const C11 = {
  id: 'C11',
  n: 20,
  m: 5,
  S: 0.6,
  steps: DEFAULT_TRAIN.steps,
  /** 400 snapshots: a jump of D_i takes ≈ 250–1,000 steps here, so it spans 10–40 of them */
  snapshotEvery: 25,
  seeds: seedList(byTier({ default: seedsUpTo(24), paper: seedsUpTo(24) })),
  /** the first 5% of training, where every weight leaves its initialisation fast, is left out */
  skipShare: 0.05,
  /** a feature's transit: the shortest stretch of training holding this share of its net change in D_i */
  transitShare: 0.8,
  /** features whose D_i changes by at least this (net, after the skipped start) count as having moved */
  movedMin: 0.2,
  /** held-out samples for the loss at each snapshot (the same samples at every snapshot of a seed) */
  heldOutSamples: 1024,
  run(): RunConfig {
    return {
      namespace: 'C11',
      model: { kind: 'relu-output', n: this.n, m: this.m },
      data: { kind: 'independent' },
      train: { ...DEFAULT_TRAIN, snapshotEvery: this.snapshotEvery },
      instances: this.seeds.map((seed) => ({ sparsity: this.S, importance: new Array(this.n).fill(1), seed })),
    };
  },
};

/** One seed's trajectory after the skipped start: steps, D_i per snapshot, held-out loss per snapshot,
 *  and the transit of each feature that moved. */
export interface Trajectory {
  seed: number;
  steps: number[];
  D: number[][];
  loss: number[];
  moved: { feature: number; transit: Transit; from: number; to: number }[];
}

export function trajectory(t: TrainedInstance, run: RunConfig): Trajectory {
  const shots = t.snapshots!.slice(Math.floor(t.snapshots!.length * C11.skipShare));
  const D = shots.map((s) => featureDimensionality(s.params));
  const loss = heldOutLosses(shots.map((s) => s.params), t.config, run.data, C11.heldOutSamples, `C11/held-out/seed=${t.config.seed}`);
  const moved = Array.from({ length: C11.n }, (_, i) => i).flatMap((i) => {
    const xs = D.map((d) => d[i]);
    const tr = transit(xs, C11.transitShare);
    return tr.net >= C11.movedMin ? [{ feature: i, transit: tr, from: xs[tr.start], to: xs[tr.start + tr.length] }] : [];
  });
  return { seed: t.config.seed, steps: shots.map((s) => s.step), D, loss, moved };
}
