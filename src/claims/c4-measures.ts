// The statistics behind claim 4's assertions.
import type { Params } from '../types.js';
import { column, dimensionsPerFeature, featureDimensionality, featureNorms, representedFeatures } from '../metrics/features.js';
import { pairwiseAngles } from '../metrics/thomson.js';
import { classifyGroup, featureGroups, type Polytope } from '../metrics/geometry-graph.js';
import { binomUpperTail } from '../stats/binomial.js';
import { median } from '../stats/summary.js';

export const FRACTIONS = [1, 3 / 4, 2 / 3, 1 / 2, 2 / 5, 3 / 8];
const nearAny = (d: number, tol: number) => FRACTIONS.some((f) => Math.abs(d - f) <= tol);
/** D_i counts as "at a fraction" within ±0.05, as the issue states. */
export const FRACTION_TOL = 0.05;
/** The windows ±0.05 around the six fractions cover 65% of [0.3, 1], so a share at ±0.05 alone cannot tell
 *  clustering from a smooth spread; clustering is tested in the narrower windows ±0.02 against that spread. */
export const CLUSTER_TOL = 0.02;
/** The D* = 1/2 plateau band. */
export const PLATEAU_BAND = [0.45, 0.55] as const;

export interface SweepPoint {
  x: number; // 1/(1−S)
  dStar: number;
  sumD: number;
  Di: number[]; // represented features only
  nearFraction: number; // share of represented features with D_i at a fraction
  polytopes: Partial<Record<Polytope, number>>;
}

export function sweepPoint(p: Params, x: number): SweepPoint {
  const D = featureDimensionality(p);
  const rep = featureNorms(p).flatMap((v, i) => (v > 0.5 ? [i] : []));
  const Di = rep.map((i) => D[i]);
  const polytopes: Partial<Record<Polytope, number>> = {};
  for (const g of featureGroups(p)) {
    const k = classifyGroup(p, g, D);
    polytopes[k] = (polytopes[k] ?? 0) + 1;
  }
  return {
    x,
    dStar: dimensionsPerFeature(p),
    sumD: D.reduce((s, v) => s + v, 0),
    Di,
    nearFraction: Di.length ? Di.filter((d) => nearAny(d, FRACTION_TOL)).length / Di.length : 0,
    polytopes,
  };
}

/** Share of the interval [lo, hi] lying within ±tol of a fraction (what a uniform spread of D_i would hit). */
export function windowCoverage(lo: number, hi: number, tol: number): number {
  if (!(hi > lo)) return nearAny(lo, tol) ? 1 : 0;
  const cuts = FRACTIONS.map((f) => [Math.max(lo, f - tol), Math.min(hi, f + tol)] as const).filter(([a, b]) => b > a).sort((u, v) => u[0] - v[0]);
  let covered = 0;
  let end = lo;
  for (const [a, b] of cuts) {
    if (b <= end) continue;
    covered += b - Math.max(a, end);
    end = b;
  }
  return covered / (hi - lo);
}

export interface FractionClustering {
  /** 1/(1−S) of the pooled sweep points */
  xs: number[];
  n: number;
  /** share of pooled D_i within ±FRACTION_TOL of a fraction */
  share: number;
  /** share within ±CLUSTER_TOL, and what a uniform spread over the pooled D_i range would give */
  narrowShare: number;
  narrowNull: number;
  /** one-sided binomial p-value of the narrow count under that uniform spread */
  p: number;
}

/**
 * The listed fractions (≥ 3/8) can describe the features only where the mean D_i of the represented
 * features, ≈ m / #represented since Σ D_i ≈ m, is at least 3/8; below that most D_i must lie under every
 * listed fraction (the sparse end, where larger configurations take over). So the D_i are pooled over the
 * sweep points with 1/(1−S) > 1 (dense D_i = 1 is trivial) and m / #represented ≥ 3/8.
 */
export function fractionClustering(points: SweepPoint[], m: number): FractionClustering {
  const pool = points.filter((q) => q.x > 1 && q.Di.length > 0 && m / q.Di.length >= 3 / 8);
  const D = pool.flatMap((q) => q.Di);
  const count = (tol: number) => D.filter((d) => nearAny(d, tol)).length;
  const narrowNull = windowCoverage(Math.min(...D), Math.max(...D), CLUSTER_TOL);
  const k = count(CLUSTER_TOL);
  return {
    xs: pool.map((q) => q.x),
    n: D.length,
    share: D.length ? count(FRACTION_TOL) / D.length : 0,
    narrowShare: D.length ? k / D.length : 0,
    narrowNull,
    p: binomUpperTail(D.length, narrowNull, k),
  };
}

/**
 * The plateau test: the longest run of consecutive sweep points with D* in the band, and how flat it is.
 * "Sticky" means D* changes much more slowly (per unit of log 1/(1−S)) inside the run than on average
 * across the whole descent from the dense regime (last point with D* ≥ 0.85) to past the plateau
 * (first point with D* ≤ 0.4): a smooth curve through 1/2 would have no such flat stretch. The slope
 * inside is the median of the run's consecutive steps: the run's edge points are often already leaving the
 * plateau (D* 0.54, 0.52, 0.52, then 0.45 still in the band), and an end-to-end slope charges the plateau
 * with that exit step.
 */
export function plateau(points: SweepPoint[]): { run: number; from: number; to: number; slopeIn: number; slopeAround: number } {
  const inBand = (d: number) => d >= PLATEAU_BAND[0] && d <= PLATEAU_BAND[1];
  let best = { run: 0, i: -1, j: -1 };
  for (let i = 0; i < points.length; i++) {
    let j = i;
    while (j < points.length && inBand(points[j].dStar)) j++;
    if (j - i > best.run) best = { run: j - i, i, j: j - 1 };
  }
  const slope = (a: SweepPoint, b: SweepPoint) => Math.abs(b.dStar - a.dStar) / Math.log(b.x / a.x);
  const lastDense = points.reduce((k, p, idx) => (p.dStar >= 0.85 ? idx : k), -1);
  const firstLow = points.findIndex((p) => p.dStar <= 0.4);
  return {
    run: best.run,
    from: best.run ? points[best.i].x : NaN,
    to: best.run ? points[best.j].x : NaN,
    slopeIn: best.run >= 2 ? median(points.slice(best.i, best.j).map((q, k) => slope(q, points[best.i + k + 1]))) : NaN,
    slopeAround: lastDense >= 0 && firstLow > lastDense ? slope(points[lastDense], points[firstLow]) : NaN,
  };
}

/** The regular tetrahedron's pairwise angle, arccos(−1/3) ≈ 109.47°: the Thomson solution for 4 points in 3D. */
export const TETRAHEDRON_DEG = (Math.acos(-1 / 3) * 180) / Math.PI;

export interface FourGroup {
  members: number[];
  /** the largest |angle − TETRAHEDRON_DEG| over its six pairs */
  maxErrDeg: number;
  /** D_i by the paper's formula: every feature in the denominator, the unrepresented ones too */
  D: number[];
  /** D_i with only the represented features (‖W_j‖ > 0.5) in the denominator */
  Drep: number[];
}

/** Every four-feature group of the geometry graph, with how far its angles are from the regular tetrahedron's. */
export function fourGroups(p: Params): FourGroup[] {
  const D = featureDimensionality(p);
  const Drep = featureDimensionality(p, representedFeatures(p));
  return featureGroups(p).filter((g) => g.length === 4).map((g) => ({
    members: g,
    maxErrDeg: Math.max(...pairwiseAngles(g.map((i) => Array.from(column(p, i)))).map((a) => Math.abs(a - TETRAHEDRON_DEG))),
    D: g.map((i) => D[i]),
    Drep: g.map((i) => Drep[i]),
  }));
}
