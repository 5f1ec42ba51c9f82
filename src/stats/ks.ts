// One-sample Kolmogorov–Smirnov test: pure functions, no dependencies.

/** D = sup_x |F_n(x) − F(x)|: the largest gap between the sample's empirical CDF and `cdf`. */
export function ksStatistic(sample: ArrayLike<number>, cdf: (x: number) => number): number {
  const xs = Float64Array.from(sample).sort();
  const n = xs.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(xs[i]);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

/**
 * Kolmogorov's survival function Q(λ) = P(K > λ) = 2 Σ_{j≥1} (−1)^{j−1} exp(−2 j² λ²),
 * with the dual series 1 − (√(2π)/λ) Σ_{j≥1} exp(−(2j−1)² π² / (8λ²)) for small λ (both converge fast there).
 */
export function kolmogorovQ(lambda: number): number {
  if (lambda <= 0) return 1;
  if (lambda < 1.18) {
    let s = 0;
    for (let j = 1; j <= 8; j++) s += Math.exp(-((2 * j - 1) ** 2) * Math.PI ** 2 / (8 * lambda * lambda));
    return Math.min(1, Math.max(0, 1 - (Math.sqrt(2 * Math.PI) / lambda) * s));
  }
  let s = 0;
  for (let j = 1; j <= 100; j++) {
    const term = Math.exp(-2 * j * j * lambda * lambda);
    s += j % 2 ? term : -term;
    if (term < 1e-17) break;
  }
  return Math.min(1, Math.max(0, 2 * s));
}

/**
 * P(D_n ≥ d) for a sample of size n from the hypothesised continuous distribution, using the
 * asymptotic distribution with Stephens' correction λ = (√n + 0.12 + 0.11/√n)·d (accurate to a few
 * percent of p for n ≥ 5, conservative enough for a pass/fail test at small alpha).
 */
export function ksPValue(d: number, n: number): number {
  const sn = Math.sqrt(n);
  return kolmogorovQ((sn + 0.12 + 0.11 / sn) * d);
}

/** One-sample KS test of `sample` against the continuous CDF `cdf`. */
export function ksTest(sample: ArrayLike<number>, cdf: (x: number) => number): { d: number; p: number; n: number } {
  const d = ksStatistic(sample, cdf);
  return { d, p: ksPValue(d, sample.length), n: sample.length };
}

/** CDF of U[a, b). */
export const uniformCdf = (a: number, b: number) => (x: number) => (x <= a ? 0 : x >= b ? 1 : (x - a) / (b - a));
