// Geometry of features in a 2-D hidden space (claim 1): orthogonal pairs, antipodal pairs, polygons.
import type { Params } from '../types.js';
import { angleDeg, column, representedFeatures } from './features.js';

/** Polar angle of W_i in degrees, [0, 360). */
export function polarAngle(p: Params, i: number): number {
  const [x, y] = column(p, i);
  const a = (Math.atan2(y, x) * 180) / Math.PI;
  return a < 0 ? a + 360 : a;
}

/** Gaps (degrees) between consecutive represented features around the circle, sorted by angle. */
export function angularGaps(p: Params, features = representedFeatures(p)): number[] {
  const a = features.map((i) => polarAngle(p, i)).sort((x, y) => x - y);
  return a.map((v, k) => (k + 1 < a.length ? a[k + 1] - v : 360 - v + a[0]));
}

export interface PolygonFit {
  /** features used */
  features: number[];
  /** largest deviation of a gap from 360/k, degrees */
  maxGapError: number;
  /** largest relative deviation of a norm from the mean norm */
  maxNormSpread: number;
}

/** How close the represented features are to a regular k-gon (equal gaps of 360/k, equal norms). */
export function polygonFit(p: Params, features = representedFeatures(p)): PolygonFit {
  const k = features.length;
  const gaps = angularGaps(p, features);
  const norms = features.map((i) => Math.hypot(...column(p, i)));
  const mean = norms.reduce((s, v) => s + v, 0) / Math.max(1, k);
  return {
    features,
    maxGapError: k ? Math.max(...gaps.map((g) => Math.abs(g - 360 / k))) : Infinity,
    maxNormSpread: k ? Math.max(...norms.map((v) => Math.abs(v - mean) / mean)) : Infinity,
  };
}

/**
 * Pairs the represented features into antipodal pairs (angle within `tolDeg` of 180°), greedily by
 * best match. Returns the pairs found and the features left over.
 */
export function antipodalPairs(p: Params, tolDeg: number, features = representedFeatures(p)): { pairs: [number, number][]; unpaired: number[] } {
  const left = new Set(features);
  const cands: [number, number, number][] = [];
  for (const i of features) for (const j of features) if (i < j) {
    let d = Math.abs(polarAngle(p, i) - polarAngle(p, j));
    d = Math.min(d, 360 - d);
    if (Math.abs(180 - d) <= tolDeg) cands.push([Math.abs(180 - d), i, j]);
  }
  cands.sort((a, b) => a[0] - b[0]);
  const pairs: [number, number][] = [];
  for (const [, i, j] of cands) if (left.has(i) && left.has(j)) {
    pairs.push([i, j]);
    left.delete(i);
    left.delete(j);
  }
  return { pairs, unpaired: [...left] };
}

export type Shape2d = 'orthogonal-pair' | 'antipodal-pairs' | 'pentagon' | 'other';

/** Tolerances of `shape2d`, stated once: angles within 5°, norms within 10% of their mean. */
export const SHAPE_TOL = { angleDeg: 5, normSpread: 0.1, represented: 0.5 } as const;

/**
 * Names the arrangement of represented features in a 2-D hidden space:
 * - orthogonal-pair: 2 features, 90° ± 5° apart;
 * - antipodal-pairs: 4 features forming 2 antipodal pairs (180° ± 5°), the pairs 90° ± 5° apart;
 * - pentagon: 5 features with all gaps 72° ± 5° and norms within 10%;
 * - other: anything else.
 */
export function shape2d(p: Params): Shape2d {
  const rep = representedFeatures(p, SHAPE_TOL.represented);
  const fit = polygonFit(p, rep);
  const regular = fit.maxGapError <= SHAPE_TOL.angleDeg && fit.maxNormSpread <= SHAPE_TOL.normSpread;
  if (rep.length === 2 && Math.abs(angleDeg(p, rep[0], rep[1]) - 90) <= SHAPE_TOL.angleDeg) return 'orthogonal-pair';
  if (rep.length === 4 && antipodalPairs(p, SHAPE_TOL.angleDeg, rep).pairs.length === 2 && fit.maxGapError <= SHAPE_TOL.angleDeg) return 'antipodal-pairs';
  if (rep.length === 5 && regular) return 'pentagon';
  return 'other';
}

/** One inequality of a shape's definition, as a threshold check (value op limit). */
export interface ShapeCondition {
  what: string;
  value: number;
  op: '>=' | '<=';
  limit: number;
}

/**
 * The inequalities `shape2d` tests for `shape`, with their values, so a spec can check a shape as
 * threshold checks whose margins the flake check can model (shape2d(p) === shape exactly when all hold;
 * property-tested in tests/geometry2d.test.ts). Antipodal pairs are formed greedily, best match first,
 * as antipodalPairs does; the worse of the first two pairs is the one that decides.
 */
export function shapeConditions(p: Params, shape: Exclude<Shape2d, 'other' | 'orthogonal-pair'>): ShapeCondition[] {
  const rep = representedFeatures(p, SHAPE_TOL.represented);
  const fit = polygonFit(p, rep);
  const gaps: ShapeCondition = { what: `largest gap error from ${shape === 'pentagon' ? 72 : 90}° (deg)`, value: fit.maxGapError, op: '<=', limit: SHAPE_TOL.angleDeg };
  if (shape === 'pentagon') {
    return [
      { what: 'represented features', value: rep.length, op: '>=', limit: 5 },
      { what: 'represented features', value: rep.length, op: '<=', limit: 5 },
      gaps,
      { what: 'largest norm deviation from the mean (relative)', value: fit.maxNormSpread, op: '<=', limit: SHAPE_TOL.normSpread },
    ];
  }
  const pairs = antipodalPairs(p, 180, rep).pairs.slice(0, 2);
  const dev = (i: number, j: number) => {
    const d = Math.abs(polarAngle(p, i) - polarAngle(p, j));
    return Math.abs(180 - Math.min(d, 360 - d));
  };
  return [
    { what: 'represented features', value: rep.length, op: '>=', limit: 4 },
    { what: 'represented features', value: rep.length, op: '<=', limit: 4 },
    { what: 'worst antipodal pair, deviation from 180° (deg)', value: pairs.length === 2 ? Math.max(...pairs.map(([i, j]) => dev(i, j))) : 180, op: '<=', limit: SHAPE_TOL.angleDeg },
    gaps,
  ];
}
