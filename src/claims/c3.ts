// Claim 3 : the phase change of n = 2 features in m = 1 dimension.
import type { RunConfig } from '../types.js';
import { DEFAULT_TRAIN } from '../types.js';
import { byTier } from '../tier.js';
import { logspace } from './phase.js';
import { shiftedSeed } from './seeds.js';

const grid = byTier({ default: 12, paper: 30 });

export const C3 = {
  id: 'C3',
  title: 'Phase change: 2 features in 1 dimension',
  /** relative importance of feature 2 (rows), 0.1 … 10 log-spaced */
  rs: logspace(0.1, 10, grid),
  /** feature density s = 1 − S (columns), 1 … 0.01 log-spaced */
  densities: logspace(1, 0.01, grid),
  /** Best of N per cell: a single run lands in a local minimum (feature 2 dropped or given feature 1's
   *  dimension where the antipodal pair is optimal) about half the time, so N = 6 leaves ~1.6% of
   *  superposition cells unresolved. */
  seeds: [1, 2, 3, 4, 5, 6],
  /** Each cell gets its own seeds (cell·100 + seed), so cells are independent trials rather than
   *  sharing N initialisations across the whole grid. */
  cellSeed(cell: number, seed: number): number {
    return shiftedSeed(cell * 100 + seed, 100);
  },
  run(): RunConfig {
    return {
      namespace: 'C3',
      model: { kind: 'relu-output', n: 2, m: 1 },
      data: { kind: 'independent' },
      // The default tier trains 3,000 steps: n = 2 models settle fast, the local minima are the issue.
      train: { ...DEFAULT_TRAIN, steps: byTier({ default: 3_000, paper: 10_000 }) },
      instances: this.rs.flatMap((r, a) => this.densities.flatMap((s, b) =>
        this.seeds.map((seed) => ({ sparsity: 1 - s, importance: [1, r], seed: this.cellSeed(a * this.densities.length + b, seed) })))),
    };
  },
};
