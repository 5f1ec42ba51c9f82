// The statistics behind claim 4's assertions.
import type { Params } from '../types.js';
import { dimensionsPerFeature, featureDimensionality, featureNorms } from '../metrics/features.js';
import { classifyGroup, featureGroups, type Polytope } from '../metrics/geometry-graph.js';

export const FRACTIONS = [1, 3 / 4, 2 / 3, 1 / 2, 2 / 5, 3 / 8];
/** D_i counts as "at a fraction" within ±0.05, as the issue states. */
export const FRACTION_TOL = 0.05;
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
    nearFraction: Di.length ? Di.filter((d) => FRACTIONS.some((f) => Math.abs(d - f) <= FRACTION_TOL)).length / Di.length : 0,
    polytopes,
  };
}

/**
 * The plateau test: the longest run of consecutive sweep points with D* in the band, and how flat it is.
 * "Sticky" means D* changes much more slowly (per unit of log 1/(1−S)) inside the run than on average
 * across the whole descent from the dense regime (last point with D* ≥ 0.85) to past the plateau
 * (first point with D* ≤ 0.4): a smooth curve through 1/2 would have no such flat stretch.
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
    slopeIn: best.run >= 2 ? slope(points[best.i], points[best.j]) : NaN,
    slopeAround: lastDense >= 0 && firstLow > lastDense ? slope(points[lastDense], points[firstLow]) : NaN,
  };
}
