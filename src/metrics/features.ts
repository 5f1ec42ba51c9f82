// Per-feature metrics of a tied model (the paper's metrics). All take Params in feature-major layout.
import type { Params } from '../types.js';

/** Norms below this count as "no direction": their unit vector and D_i are defined as 0, never NaN. */
export const ZERO_NORM = 1e-6;

export const column = (p: Params, i: number): Float32Array => p.W.subarray(i * p.m, (i + 1) * p.m);

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
}

/** ‖W_i‖ for every feature. */
export function featureNorms(p: Params): number[] {
  return Array.from({ length: p.n }, (_, i) => Math.sqrt(dot(column(p, i), column(p, i))));
}

/** Gram matrix WᵀW: G[i][j] = W_i · W_j. */
export function gram(p: Params): number[][] {
  return Array.from({ length: p.n }, (_, i) => Array.from({ length: p.n }, (_, j) => dot(column(p, i), column(p, j))));
}

/** (Ŵ_i · W_j)² for all i, j: the building block of interference and D_i. */
function projectedSquares(p: Params): number[][] {
  const G = gram(p);
  return G.map((row, i) => {
    const ni2 = G[i][i];
    return row.map((g) => (ni2 > ZERO_NORM ** 2 ? (g * g) / ni2 : 0));
  });
}

/** Interference (superposition) of feature i: Σ_{j≠i} (Ŵ_i · W_j)². */
export function interference(p: Params): number[] {
  return projectedSquares(p).map((row, i) => row.reduce((s, v, j) => (j === i ? s : s + v), 0));
}

/** Feature dimensionality D_i = ‖W_i‖² / Σ_j (Ŵ_i · W_j)²; 0 for an unrepresented (zero) feature. The sum runs over
 *  every feature j, or over `over` only (C4.7 reads D_i with the represented features alone). */
export function featureDimensionality(p: Params, over?: number[]): number[] {
  const P = projectedSquares(p);
  return P.map((row, i) => {
    const denom = over ? over.reduce((s, j) => s + row[j], 0) : row.reduce((s, v) => s + v, 0);
    return denom > 0 ? P[i][i] / denom : 0;
  });
}

/** Dimensions per feature D* = m / ‖W‖_F². */
export function dimensionsPerFeature(p: Params): number {
  const f = dot(p.W, p.W);
  return f > 0 ? p.m / f : Infinity;
}

/** Features with ‖W_i‖ above `threshold` (the paper's "represented": ≈1 vs ≈0). */
export function representedFeatures(p: Params, threshold = 0.5): number[] {
  return featureNorms(p).flatMap((nrm, i) => (nrm > threshold ? [i] : []));
}

/** Angle in degrees between W_i and W_j (NaN if either is a zero vector). */
export function angleDeg(p: Params, i: number, j: number): number {
  const a = column(p, i);
  const b = column(p, j);
  const c = dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
  return (Math.acos(Math.max(-1, Math.min(1, c))) * 180) / Math.PI;
}

/** Largest |WᵀW − P| entry, P the projection onto features 0..k-1 (diag 1 there, 0 elsewhere). */
export function projectionError(p: Params, k: number): number {
  return Math.max(...gram(p).flatMap((row, i) => row.map((g, j) => Math.abs(g - (i === j && i < k ? 1 : 0)))));
}
