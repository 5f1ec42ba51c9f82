// How a correlated pair of features sits in the hidden space (C10). With W_i, W_j the pair's directions:
//  - collapsed: both represented (‖W‖ > REPRESENTED), one direction (cos > COLLAPSE_COS) and near-equal
//    norms (ratio ≤ NORM_RATIO): the model keeps only the pair's principal component, x_i + x_j, and
//    reads it back into both outputs (each ‖W‖² ≈ 1/2 when the values are independent given the coin).
//  - orthogonal: both represented and |cos| < ORTHO_COS: the pair has a local orthogonal basis.
//  - side by side: both represented, neither of the above (e.g. adjacent vertices of a hexagon, cos ≈ 1/2).
//  - dropped: at least one of the two not represented.
import type { Params } from '../types.js';
import { featureNorms, gram } from './features.js';

export const REPRESENTED = 0.5;
export const COLLAPSE_COS = 0.9;
export const NORM_RATIO = 1.25;
export const ORTHO_COS = 0.2;

export type PairState = 'collapsed' | 'orthogonal' | 'side-by-side' | 'dropped';

export function pairState(p: Params, i: number, j: number): PairState {
  const N = featureNorms(p);
  if (Math.min(N[i], N[j]) <= REPRESENTED) return 'dropped';
  const cos = gram(p)[i][j] / (N[i] * N[j]);
  if (cos > COLLAPSE_COS && Math.max(N[i], N[j]) / Math.min(N[i], N[j]) <= NORM_RATIO) return 'collapsed';
  if (Math.abs(cos) < ORTHO_COS) return 'orthogonal';
  return 'side-by-side';
}

/** The state of each pair of `pairs`. */
export const pairStates = (p: Params, pairs: readonly (readonly [number, number])[]): PairState[] => pairs.map(([i, j]) => pairState(p, i, j));

/** How many of `pairs` have collapsed to their principal component. */
export const collapsedPairs = (p: Params, pairs: readonly (readonly [number, number])[]): number => pairStates(p, pairs).filter((s) => s === 'collapsed').length;
