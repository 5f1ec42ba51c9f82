// Tegum products (claim 9): a model's features split into factors, groups of features whose subspaces are
// orthogonal to each other (geometry-graph.ts's groups), and the arrangement is named by its factors: a
// triangle and a digon in orthogonal subspaces make a triangular bipyramid.
import type { Params } from '../types.js';
import { featureDimensionality } from './features.js';
import { classifyGroup, cos2Matrix, featureGroups, type Polytope } from './geometry-graph.js';

export type TegumName = 'triangular-bipyramid' | 'pentagonal-bipyramid' | 'octahedron' | 'square-pyramid';

/** Each product's factors (a dedicated feature is a one-vertex factor: with two digons it makes a square pyramid). */
export const TEGUM_PRODUCTS: Record<TegumName, Polytope[]> = {
  'triangular-bipyramid': ['triangle', 'digon'],
  'pentagonal-bipyramid': ['pentagon', 'digon'],
  octahedron: ['digon', 'digon', 'digon'],
  'square-pyramid': ['dedicated', 'digon', 'digon'],
};

/** "No interference across factors": every cos² between features of different factors at most this (|cos| ≤ 0.1). */
export const TEGUM_CROSS_COS2 = 0.01;

export interface Factor {
  members: number[];
  kind: Polytope;
}

/** The represented features' factors (groups named by classifyGroup), largest first. */
export function tegumFactors(p: Params): Factor[] {
  const D = featureDimensionality(p);
  return featureGroups(p).map((g) => ({ members: g, kind: classifyGroup(p, g, D) })).sort((a, b) => b.members.length - a.members.length || a.members[0] - b.members[0]);
}

/** Largest cos² between features of different factors among `factors` (0 for a single factor). */
export function crossFactorCos2(p: Params, factors: Factor[]): number {
  const all = factors.flatMap((f, k) => f.members.map((i) => [i, k] as const));
  const C = cos2Matrix(p, all.map(([i]) => i));
  let worst = 0;
  all.forEach(([, ka], a) => all.forEach(([, kb], b) => {
    if (ka !== kb) worst = Math.max(worst, C[a][b]);
  }));
  return worst;
}

const sameKinds = (a: Polytope[], b: Polytope[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** The product the whole model forms (its factors are exactly the product's, orthogonal to each other), or 'other'. */
export function tegumProduct(p: Params): TegumName | 'other' {
  const f = tegumFactors(p);
  const name = (Object.keys(TEGUM_PRODUCTS) as TegumName[]).find((k) => sameKinds(f.map((x) => x.kind), TEGUM_PRODUCTS[k]));
  return name && crossFactorCos2(p, f) <= TEGUM_CROSS_COS2 ? name : 'other';
}

/** The factors of `name` found inside the model (a sub-product, e.g. a triangle and one of several digons),
 *  orthogonal to each other; null if the model has no such factors. */
export function findProduct(p: Params, name: TegumName): Factor[] | null {
  const left = tegumFactors(p);
  const picked: Factor[] = [];
  for (const kind of TEGUM_PRODUCTS[name]) {
    const k = left.findIndex((f) => f.kind === kind);
    if (k < 0) return null;
    picked.push(...left.splice(k, 1));
  }
  return crossFactorCos2(p, picked) <= TEGUM_CROSS_COS2 ? picked : null;
}

/** Groups of ≥ `size` features all within ±tol of D = d (e.g. five features at 3/5 each, the spread the paper rules out). */
export function groupsAllAt(p: Params, d: number, size: number, tol = 0.05): number[][] {
  const D = featureDimensionality(p);
  return featureGroups(p).filter((g) => g.length >= size && g.every((i) => Math.abs(D[i] - d) <= tol));
}
