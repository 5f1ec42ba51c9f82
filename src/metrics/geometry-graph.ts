// Claim 4's feature geometry: features are nodes, interference (Ŵ_i·Ŵ_j)² the edge weight. Strongly
// connected features form small groups ("polytopes"); groups sit near-orthogonal to each other.
import type { Params } from '../types.js';
import { column, featureDimensionality, featureNorms } from './features.js';

/** Edge threshold: two features share a group when cos²(W_i, W_j) > 0.05 (|cos| > 0.22). */
export const EDGE_COS2 = 0.05;

export function cos2Matrix(p: Params, features: number[]): number[][] {
  const unit = features.map((i) => {
    const c = column(p, i);
    const nrm = Math.hypot(...c);
    return Array.from(c, (v) => v / nrm);
  });
  return unit.map((a) => unit.map((b) => a.reduce((s, v, k) => s + v * b[k], 0) ** 2));
}

/** Connected components of the represented features (‖W_i‖ > threshold) under the edge threshold. */
export function featureGroups(p: Params, represented = 0.5): number[][] {
  const feats = featureNorms(p).flatMap((v, i) => (v > represented ? [i] : []));
  const C = cos2Matrix(p, feats);
  const seen = new Array(feats.length).fill(false);
  const groups: number[][] = [];
  for (let s = 0; s < feats.length; s++) {
    if (seen[s]) continue;
    const stack = [s];
    seen[s] = true;
    const g: number[] = [];
    while (stack.length) {
      const u = stack.pop()!;
      g.push(feats[u]);
      for (let v = 0; v < feats.length; v++) if (!seen[v] && C[u][v] > EDGE_COS2) {
        seen[v] = true;
        stack.push(v);
      }
    }
    groups.push(g.sort((a, b) => a - b));
  }
  return groups;
}

export type Polytope = 'dedicated' | 'digon' | 'triangle' | 'tetrahedron' | 'pentagon' | 'square-antiprism' | 'other';

/** The ideal feature dimensionality of each polytope (the paper's list), by group size. */
export const POLYTOPES: { kind: Polytope; size: number; D: number }[] = [
  { kind: 'dedicated', size: 1, D: 1 },
  { kind: 'digon', size: 2, D: 1 / 2 },
  { kind: 'triangle', size: 3, D: 2 / 3 },
  { kind: 'tetrahedron', size: 4, D: 3 / 4 },
  { kind: 'pentagon', size: 5, D: 2 / 5 },
  { kind: 'square-antiprism', size: 8, D: 3 / 8 },
];

/** Tolerance on each member's D_i when naming a group's polytope. */
export const POLYTOPE_D_TOL = 0.05;

/** Names a group by its size and its members' D_i (all within ±0.05 of the polytope's value). */
export function classifyGroup(p: Params, group: number[], D = featureDimensionality(p)): Polytope {
  const hit = POLYTOPES.find((t) => t.size === group.length && group.every((i) => Math.abs(D[i] - t.D) <= POLYTOPE_D_TOL));
  return hit ? hit.kind : 'other';
}

/** Largest cos² between features of different groups: small means groups are near-orthogonal. */
export function maxCrossGroupCos2(p: Params, groups: number[][]): number {
  const all = groups.flat();
  const C = cos2Matrix(p, all);
  const groupOf = new Map<number, number>();
  groups.forEach((g, k) => g.forEach((i) => groupOf.set(i, k)));
  let worst = 0;
  all.forEach((i, a) => all.forEach((j, b) => {
    if (groupOf.get(i) !== groupOf.get(j)) worst = Math.max(worst, C[a][b]);
  }));
  return worst;
}
