// Thomson problem: k unit vectors in R^d minimising Σ 1/‖x_i − x_j‖ (electrostatic repulsion). Many of
// the paper's feature polytopes are its solutions; we solve small cases numerically to compare against.
import { symEig } from './sym-eig.js';
import { Rng } from '../rng.js';

/** Solved (k, d, starts, iters) cases: the descent is seeded, so each case has one answer (C4.6 asks for the
 *  same few cases once per named polytope, which cost 15 s a cold run). */
const solved = new Map<string, number[][]>();

/** Projected gradient descent from several seeded starts; returns the best configuration found (a fresh copy). */
export function thomson(k: number, d: number, starts = 8, iters = 3000): number[][] {
  const key = `${k}/${d}/${starts}/${iters}`;
  let X = solved.get(key);
  if (!X) solved.set(key, (X = solveThomson(k, d, starts, iters)));
  return X.map((x) => x.slice());
}

function solveThomson(k: number, d: number, starts: number, iters: number): number[][] {
  let best: number[][] = [];
  let bestE = Infinity;
  for (let s = 0; s < starts; s++) {
    const rng = new Rng(`thomson/${k}/${d}/${s}`);
    let X = Array.from({ length: k }, () => normalise(Array.from({ length: d }, () => rng.normal())));
    for (let it = 0; it < iters; it++) {
      const lr = 0.05 * (1 - it / iters) + 1e-3;
      const G = X.map(() => new Array(d).fill(0));
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) if (i !== j) {
        const diff = X[i].map((v, t) => v - X[j][t]);
        const r = Math.hypot(...diff);
        for (let t = 0; t < d; t++) G[i][t] += diff[t] / r ** 3; // −∇ of 1/r pushes apart
      }
      X = X.map((x, i) => normalise(x.map((v, t) => v + lr * G[i][t])));
    }
    const E = energy(X);
    if (E < bestE) [best, bestE] = [X, E];
  }
  return best;
}

export function energy(X: number[][]): number {
  let e = 0;
  for (let i = 0; i < X.length; i++) for (let j = i + 1; j < X.length; j++) e += 1 / Math.hypot(...X[i].map((v, t) => v - X[j][t]));
  return e;
}

function normalise(x: number[]): number[] {
  const n = Math.hypot(...x);
  return x.map((v) => v / n);
}

/** Sorted pairwise angles (degrees) of a set of vectors: a rotation-invariant fingerprint. */
export function pairwiseAngles(X: number[][]): number[] {
  const out: number[] = [];
  for (let i = 0; i < X.length; i++) for (let j = i + 1; j < X.length; j++) {
    const c = X[i].reduce((s, v, t) => s + v * X[j][t], 0) / (Math.hypot(...X[i]) * Math.hypot(...X[j]));
    out.push((Math.acos(Math.max(-1, Math.min(1, c))) * 180) / Math.PI);
  }
  return out.sort((a, b) => a - b);
}

/** Dimension of the span of a set of vectors: its numerical rank, the number of singular values above `tol`
 *  × the largest (from the eigenvalues of the Gram matrix). Order-free, unlike Gram–Schmidt, whose residual
 *  is measured against a plane fitted to the first vectors only (why: docs/design/c4.md). */
export function spanDimension(X: number[][], tol = 0.1): number {
  if (X.length === 0) return 0;
  const G = X.map((a) => X.map((b) => a.reduce((s, v, t) => s + v * b[t], 0)));
  const sv = symEig(G).values.map((e) => Math.sqrt(Math.max(0, e)));
  const top = Math.max(...sv);
  return top > 0 ? sv.filter((v) => v > tol * top).length : 0;
}
