// Exact binomial tail probabilities (log-space pmf sums): for checking observed frequencies.

function logChoose(n: number, k: number): number {
  return lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1);
}

/** log Γ(x) for x > 0 (Lanczos, g = 7; relative error ~1e-15). */
export function lgamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** P(X = k) for X ~ Binomial(n, p). */
export function binomPmf(n: number, p: number, k: number): number {
  if (k < 0 || k > n) return 0;
  if (p <= 0) return k === 0 ? 1 : 0;
  if (p >= 1) return k === n ? 1 : 0;
  return Math.exp(logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p));
}

/** P(X ≥ k) for X ~ Binomial(n, p): the one-sided p-value of k or more successes. */
export function binomUpperTail(n: number, p: number, k: number): number {
  let s = 0;
  for (let j = Math.max(0, k); j <= n; j++) s += binomPmf(n, p, j);
  return Math.min(1, s);
}

/**
 * Two-sided exact p-value of observing k successes in n Bernoulli(p) trials: 2·min(P(X ≤ k), P(X ≥ k)),
 * capped at 1.
 */
export function binomTwoSidedP(n: number, p: number, k: number): number {
  let lo = 0;
  let hi = 0;
  for (let j = 0; j <= k; j++) lo += binomPmf(n, p, j);
  for (let j = k; j <= n; j++) hi += binomPmf(n, p, j);
  return Math.min(1, 2 * Math.min(lo, hi));
}
