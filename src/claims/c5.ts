// Claim 5 : non-uniform superposition.
//  (a) A pentagon (5 features in 2 dimensions, ReLU output, S = 0.9) with one feature's density swept:
//      the polytope deforms smoothly, then snaps to another configuration.
//  (b) Correlated feature sets end orthogonal to each other (local orthogonal bases); anticorrelated
//      features end antipodal (negative interference) where space is short.
import type { DataConfig, Params, RunConfig, TrainedInstance } from '../types.js';
import { DEFAULT_TRAIN } from '../types.js';
import { byTier } from '../tier.js';
import { logspace } from './phase.js';
import { seedList, seedsUpTo, shiftedSeed } from './seeds.js';
import { column, featureNorms } from '../metrics/features.js';
import { polarAngle } from '../metrics/geometry2d.js';
import { heldOutLoss } from '../metrics/evaluate.js';
import { argmin, median } from '../stats/summary.js';

const tiered = byTier({
  // Default tier: 3,000 steps. n = 5, m = 2 models have settled by then: at S = 0.9 the held-out and
  // final losses and the shapes after 3,000, 5,000 and 10,000 steps agree (pentagon gaps 72° ± 1°).
  // 18 grid points, 24 seeds per point: past the snap under half the seeds reach the digons, so C5.2's
  // "some seed reached them" needs the 24 (why: docs/design/c5.md); ≈ 1.3M steps of a 5×2 model.
  default: { steps: 3_000, points: 18, seeds: 24 },
  paper: { steps: DEFAULT_TRAIN.steps, points: 24, seeds: 12 },
});

export const C5 = {
  id: 'C5',
  title: 'Non-uniform superposition',
  /** (a) the pentagon regime of claim 1: S = 0.9 for features 0–3, all importances 1 (so that only the
   *  varied feature's density breaks the symmetry) */
  S: 0.9,
  n: 5,
  m: 2,
  /** the feature whose density is varied */
  varied: 4,
  steps: tiered.steps,
  /** ρ = p_4 / p: feature 4's density relative to the others', from 2 (denser) to 0.25 (sparser), log-spaced */
  ratios: logspace(2, 0.25, tiered.points),
  /** Best of N per grid point (why: docs/design/c5.md) */
  seedsPerPoint: tiered.seeds,
  /** each grid point gets its own seeds (point·100 + k, shifted by TMS_SEED_OFFSET), so points are
   *  independent trials */
  pointSeed(point: number, k: number): number {
    return shiftedSeed(point * 100 + k, 100); // stride 100: the points' seed blocks of different offsets never meet
  },
  /** held-out samples for choosing the best of N (same samples for every seed of a point) */
  heldOutSamples: 32_768,
  sweepRun(): RunConfig {
    const p = 1 - this.S;
    return {
      namespace: 'C5/sweep',
      model: { kind: 'relu-output', n: this.n, m: this.m },
      data: { kind: 'independent' },
      train: { ...DEFAULT_TRAIN, steps: this.steps },
      instances: this.ratios.flatMap((rho, a) => Array.from({ length: this.seedsPerPoint }, (_, k) => ({
        sparsity: Array.from({ length: this.n }, (_, i) => (i === this.varied ? 1 - p * rho : this.S)),
        importance: new Array(this.n).fill(1),
        seed: this.pointSeed(a, k + 1),
      }))),
    };
  },

  /** (b) 6 features in 3 dimensions, all importances 1 */
  corr: {
    n: 6,
    m: 3,
    /** two correlated sets of three: each set could fill the 3 dimensions alone */
    correlatedSets: [[0, 1, 2], [3, 4, 5]],
    /** correlated sets are sparse (S = 0.9) so that the two sets must share the space */
    correlatedS: 0.9,
    /** three anticorrelated pairs: exactly one member of each pair is present in every sample when
     *  p = 0.5 (the pair fires with Σp = 1), the strongest anticorrelation */
    anticorrelatedSets: [[0, 1], [2, 3], [4, 5]],
    /** independent features of this density keep 5–6 features and rarely put these partners antipodal
     *  (12-seed pilot: 4 seeds had one of the three pairs at cos < −0.7, none all three); the spec
     *  measures that control alongside */
    anticorrelatedS: 0.5,
    /** Checked on the best of 4 seeds (lowest held-out loss) per group, 16 groups (why: docs/design/c5.md) */
    seeds: seedList(seedsUpTo(64)),
    /** The independent-features controls (why: docs/design/c5.md) */
    controlSeeds: seedList(seedsUpTo(72)),
    bestOf: 4,
    steps: byTier({ default: 3_000, paper: DEFAULT_TRAIN.steps }),
  },
  corrRun(which: 'correlated' | 'correlated-control' | 'anticorrelated' | 'anticorrelated-control'): RunConfig {
    const c = this.corr;
    const data: DataConfig =
      which === 'correlated' ? { kind: 'correlated', sets: c.correlatedSets }
        : which === 'anticorrelated' ? { kind: 'anticorrelated', sets: c.anticorrelatedSets }
          : { kind: 'independent' };
    const S = which.startsWith('correlated') ? c.correlatedS : c.anticorrelatedS;
    return {
      namespace: `C5/${which}`,
      model: { kind: 'relu-output', n: c.n, m: c.m },
      data,
      train: { ...DEFAULT_TRAIN, steps: c.steps },
      instances: (which.endsWith('control') ? c.controlSeeds : c.seeds).map((seed) => ({ sparsity: S, importance: new Array(c.n).fill(1), seed })),
    };
  },
};

// ---- (a) measures of the sweep ----

/** Tolerances of the sweep, stated once. */
export const SWEEP_TOL = {
  /** represented: ‖W_i‖ > 0.5 */
  represented: 0.5,
  /** smooth: between neighbouring grid points no gap among features 0–3 moves more than this (degrees) … */
  smoothDeg: 5,
  /** … and ‖W_4‖ moves by at most this */
  smoothNorm: 0.1,
  /** snap: some gap among features 0–3 jumps by at least this (degrees) between neighbouring grid points */
  snapDeg: 20,
  /** the deformation before the snap: the gap holding feature 4 changes by at least this (degrees) */
  minDeformDeg: 6,
  /** a seed is on the best-of-N's branch at a point when all five features are represented and no gap (nor
   *  the hole gap) differs from the best's by more than this (degrees): other five-feature minima differ by 8–50° */
  branchDeg: 4,
} as const;

/** What the sweep looks at in one trained model (rotation-, reflection- and relabelling-invariant). */
export interface SweepShape {
  /** circular gaps (degrees) between the directions of features 0–3, sorted ascending: present in every
   *  configuration of the sweep, so neighbouring points are always comparable */
  gaps: number[];
  /** the gap among features 0–3 that holds feature 4's direction (degrees); NaN if feature 4 is not represented */
  holeGap: number;
  /** ‖W_4‖ */
  variedNorm: number;
  /** number of represented features */
  represented: number;
}

export function sweepShape(p: Params, varied = C5.varied): SweepShape {
  const others = Array.from({ length: p.n }, (_, i) => i).filter((i) => i !== varied);
  const ang = others.map((i) => polarAngle(p, i)).sort((a, b) => a - b);
  const gaps = ang.map((a, k) => (k + 1 < ang.length ? ang[k + 1] - a : 360 - a + ang[0]));
  const norms = featureNorms(p);
  let holeGap = NaN;
  if (norms[varied] > SWEEP_TOL.represented) {
    const a4 = polarAngle(p, varied);
    // the gap [ang[k], ang[k+1]) (circularly) containing a4
    const k = ang.findIndex((a, j) => (j + 1 < ang.length ? a4 >= a && a4 < ang[j + 1] : true));
    holeGap = gaps[k];
  }
  return { gaps: [...gaps].sort((a, b) => a - b), holeGap, variedNorm: norms[varied], represented: norms.filter((v) => v > SWEEP_TOL.represented).length };
}

/** How much the configuration moved between two grid points. */
export function shapeStep(a: SweepShape, b: SweepShape): { deg: number; norm: number; countChanged: boolean } {
  const deg = Math.max(...a.gaps.map((g, k) => Math.abs(g - b.gaps[k])));
  return { deg, norm: Math.abs(a.variedNorm - b.variedNorm), countChanged: a.represented !== b.represented };
}

export interface SweepPoint {
  rho: number;
  /** all N instances of the point, and the best of them by held-out loss */
  group: TrainedInstance[];
  heldOut: number[];
  best: TrainedInstance;
  shape: SweepShape;
  /** the best-of-N's branch at this point: how many of the N seeds are on it (see SWEEP_TOL.branchDeg; the
   *  best counts itself when it has all five features), and their median shape (null when none is) */
  branch: { seeds: number; shape: SweepShape | null };
}

/** Element-wise median of shapes (gaps are sorted, so the k-th gap of each shape is comparable). Near the
 *  critical point single minima scatter by ±2° about the branch: the median of its seeds is its position. */
export function medianShape(shapes: SweepShape[]): SweepShape | null {
  if (!shapes.length) return null;
  return {
    gaps: shapes[0].gaps.map((_, k) => median(shapes.map((s) => s.gaps[k]))),
    holeGap: median(shapes.map((s) => s.holeGap)),
    variedNorm: median(shapes.map((s) => s.variedNorm)),
    represented: shapes[0].represented,
  };
}

/** The seeds of a point on the best's five-feature branch (see SweepPoint.branch). */
export function branchOf(group: TrainedInstance[], best: SweepShape): SweepPoint['branch'] {
  const near = (s: SweepShape) => s.represented === C5.n && shapeStep(s, best).deg <= SWEEP_TOL.branchDeg && Math.abs(s.holeGap - best.holeGap) <= SWEEP_TOL.branchDeg;
  const on = group.map((t) => sweepShape(t.params)).filter(near);
  return { seeds: on.length, shape: medianShape(on) };
}

/** Groups the sweep run by grid point and picks each point's best of N by held-out loss (common samples). */
export function sweepPoints(instances: TrainedInstance[]): SweepPoint[] {
  const N = C5.seedsPerPoint;
  const data: DataConfig = { kind: 'independent' };
  return C5.ratios.map((rho, a) => {
    const group = instances.slice(a * N, (a + 1) * N);
    const heldOut = group.map((t) => heldOutLoss(t.params, t.config, data, C5.heldOutSamples, `C5/held-out/point=${a}`));
    const best = group[argmin(heldOut)];
    const shape = sweepShape(best.params);
    return { rho, group, heldOut, best, shape, branch: branchOf(group, shape) };
  });
}

// ---- (b) measures of correlated / anticorrelated sets ----

/** cos(W_i, W_j); 0 when either is (near) zero. */
export function cosine(p: Params, i: number, j: number): number {
  const a = column(p, i);
  const b = column(p, j);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let k = 0; k < a.length; k++) {
    ab += a[k] * b[k];
    aa += a[k] * a[k];
    bb += b[k] * b[k];
  }
  return aa > 1e-12 && bb > 1e-12 ? ab / Math.sqrt(aa * bb) : 0;
}

/** All pairs (i < j) inside the sets, and all pairs across different sets. */
export function setPairs(sets: number[][]): { within: [number, number][]; across: [number, number][] } {
  const within: [number, number][] = [];
  const across: [number, number][] = [];
  sets.forEach((s, a) => s.forEach((i, x) => {
    s.slice(x + 1).forEach((j) => within.push([i, j]));
    sets.slice(a + 1).forEach((t) => t.forEach((j) => across.push([i, j])));
  }));
  return { within, across };
}
