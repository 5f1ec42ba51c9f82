// The statistics behind claim 2's assertions, one function each, so specs and the report share them.
import type { Params } from '../types.js';
import { median } from '../stats/summary.js';
import { column, featureDimensionality, featureNorms, interference } from '../metrics/features.js';

/** Thresholds stated once: represented ‖W_i‖ > 0.5; dedicated interference < 0.1; superposed > 0.5. */
export const C2_THRESHOLDS = { represented: 0.5, dedicated: 0.1, superposed: 0.5, unrepresented: 0.1 } as const;

export const representedCount = (p: Params, t = C2_THRESHOLDS.represented) => featureNorms(p).filter((v) => v > t).length;

/**
 * Among represented features, the share of (dedicated, superposed) pairs in which the dedicated feature
 * is the more important one (importance decreases with index). 1 = every superposed feature is less
 * important than every dedicated one; 0.5 = no relation. NaN when either group is empty.
 */
export function dedicatedBeforeSuperposed(p: Params): { auc: number; dedicated: number[]; superposed: number[] } {
  const norms = featureNorms(p);
  const itf = interference(p);
  const rep = norms.flatMap((v, i) => (v > C2_THRESHOLDS.represented ? [i] : []));
  const dedicated = rep.filter((i) => itf[i] < C2_THRESHOLDS.dedicated);
  const superposed = rep.filter((i) => itf[i] > C2_THRESHOLDS.superposed);
  let good = 0;
  for (const d of dedicated) for (const s of superposed) good += d < s ? 1 : 0;
  return { auc: good / (dedicated.length * superposed.length), dedicated, superposed };
}

/** An antipodal pair: opposite directions (cos ≤ −0.9) that together fill one dimension (D_i + D_j = 1 ± 0.1). */
export const ANTIPODAL = { cos: -0.9, dimTol: 0.1 } as const;

/** Share of superposed features that sit in an antipodal pair with another feature (why: docs/design/c2.md) */
export function antipodalShare(p: Params, superposed: number[]): number {
  const D = featureDimensionality(p);
  const unit = (i: number) => {
    const w = Array.from(column(p, i));
    const n = Math.hypot(...w);
    return w.map((v) => v / n);
  };
  const dirs = new Map(superposed.map((i) => [i, unit(i)]));
  const paired = superposed.filter((i) => superposed.some((j) => {
    if (j === i) return false;
    const cos = dirs.get(i)!.reduce((s, v, k) => s + v * dirs.get(j)![k], 0);
    return cos <= ANTIPODAL.cos && Math.abs(D[i] + D[j] - 1) <= ANTIPODAL.dimTol;
  }));
  return paired.length / superposed.length;
}

/**
 * Median over unrepresented features (‖W_i‖ < 0.1) of |b_i − (1−S)/2|. The median, not the worst case:
 * a feature that is starting to be learned (0.05 < ‖W_i‖ < 0.1) legitimately moves its bias, and the
 * claim is about the unrepresented features as a group. The tolerance is 10% of (1−S)/2 plus 2·lr:
 * Adam moves every parameter by about lr per step whatever the gradient's size, so biases jitter by that.
 */
export function biasOfUnrepresented(p: Params, S: number): { median: number; worst: number; count: number } {
  const norms = featureNorms(p);
  const target = (1 - S) / 2;
  const errs = norms.flatMap((v, i) => (v < C2_THRESHOLDS.unrepresented ? [Math.abs(p.b[i] - target)] : []));
  return { median: errs.length ? median(errs) : NaN, worst: Math.max(0, ...errs), count: errs.length };
}

export const biasTolerance = (S: number, lr: number) => 0.1 * ((1 - S) / 2) + 2 * lr;
