// Small statistics helpers for multi-seed assertions.

export const mean = (xs: number[]): number => xs.reduce((s, v) => s + v, 0) / xs.length;

export function sd(xs: number[]): number {
  const mu = mean(xs);
  return Math.sqrt(xs.reduce((s, v) => s + (v - mu) ** 2, 0) / Math.max(1, xs.length - 1));
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** Index of the best (lowest-loss) element: the paper's "best of N runs". */
export function argmin(xs: number[]): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i] < xs[best]) best = i;
  return best;
}

/** P(X ≥ k) for X ~ Binomial(n, p): used to bound a spec's false-fail rate from per-seed pass rates. */
export function binomialTail(n: number, k: number, p: number): number {
  let total = 0;
  for (let j = k; j <= n; j++) total += choose(n, j) * p ** j * (1 - p) ** (n - j);
  return Math.min(1, total);
}

function choose(n: number, k: number): number {
  let r = 1;
  for (let j = 1; j <= k; j++) r = (r * (n - k + j)) / j;
  return r;
}
