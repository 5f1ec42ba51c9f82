// Confidence bounds for a binomial proportion (pass rates of repeated spec runs).
import { binomPmf } from './binomial.js';
import { binomialTail } from './summary.js';

/** P(X ≤ k) for X ~ Binomial(n, p). */
export function binomCdf(n: number, p: number, k: number): number {
  let s = 0;
  for (let j = 0; j <= k; j++) s += binomPmf(n, p, j);
  return Math.min(1, s);
}

/**
 * One-sided Clopper–Pearson upper bound: the largest p with P(X ≤ k | n, p) ≥ alpha. With k = 0 it is
 * 1 − alpha^(1/n) (n = 20, alpha = 0.05: 0.139).
 */
export function clopperPearsonUpper(k: number, n: number, alpha = 0.05): number {
  if (n <= 0) return 1;
  if (k >= n) return 1;
  let lo = k / n;
  let hi = 1;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (binomCdf(n, mid, k) > alpha) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Wilson score interval for k successes in n trials (z = 1.96: 95%). */
export function wilsonInterval(k: number, n: number, z = 1.959963984540054): [number, number] {
  if (n <= 0) return [0, 1];
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** A spec-level false-fail bound modelled from pooled per-seed verdicts (see seedModelBound). */
export interface SeedModelBound {
  /** one-sided upper confidence bound on the per-seed failure rate (Clopper–Pearson) */
  q: number;
  /** P(Binomial(n, q) > n − min): the spec's false-fail rate if each seed fails independently with rate q */
  bound: number;
}

/**
 * False-fail bound of a check that passes when at least `min` of its `n` seeds pass, from `failures` failing
 * seeds among `total` pooled ones (all K runs' seeds): q is the one-sided (1 − alpha) Clopper–Pearson upper
 * bound on the per-seed failure rate, and since P(more than n − min of n seeds fail) grows with the rate,
 * P(Binomial(n, q) > n − min) bounds the check's false-fail rate at the same confidence (seeds independent).
 * With min = n it is 1 − (1 − q)^n ≈ n·q: no tighter than counting runs; slack (min < n) is what pays.
 */
export function seedModelBound(failures: number, total: number, n: number, min: number, alpha = 0.05): SeedModelBound {
  const q = clopperPearsonUpper(failures, total, alpha);
  const allowed = n - Math.max(0, min); // failing seeds the check tolerates
  const bound = allowed >= n ? 0 : binomialTail(n, allowed + 1, q);
  return { q, bound };
}
