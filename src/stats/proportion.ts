// Confidence bounds for a binomial proportion (pass rates of repeated spec runs).
import { binomPmf } from './binomial.js';

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
