// Normal-theory helpers for the flake check's margin model (scripts/flake.ts): a test's statistic measured
// in K independent seed sets, its distance to the threshold modelled as normal, and a confidence bound on
// the chance that it lands on the wrong side.
import { lgamma } from './binomial.js';

/** Φ(x), the standard normal CDF: ½(1 ± P(½, x²/2)), accurate to ~1e-15 and monotone. */
export function normalCdf(x: number): number {
  const half = gammaP(0.5, (x * x) / 2) / 2;
  return x >= 0 ? 0.5 + half : 0.5 - half;
}

/** Regularized lower incomplete gamma P(a, x) (series below a + 1, continued fraction above). */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const lead = Math.exp(-x + a * Math.log(x) - lgamma(a));
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let k = 1; k < 500 && Math.abs(term) > Math.abs(sum) * 1e-15; k++) sum += (term *= x / (a + k));
    return Math.min(1, sum * lead);
  }
  // Lentz's continued fraction for Q(a, x)
  let b = x + 1 - a;
  let c = 1e300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    d = Math.abs(d) < 1e-300 ? 1e-300 : d;
    c = b + an / c;
    c = Math.abs(c) < 1e-300 ? 1e-300 : c;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return Math.max(0, 1 - lead * h);
}

/** Regularized incomplete beta I_x(a, b) (continued fraction, Numerical Recipes' betacf). */
export function betaI(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  const cf = (x: number, a: number, b: number) => {
    let c = 1;
    let d = 1 - ((a + b) * x) / (a + 1);
    d = Math.abs(d) < 1e-300 ? 1e-300 : d;
    d = 1 / d;
    let h = d;
    for (let m = 1; m < 500; m++) {
      const m2 = 2 * m;
      let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
      d = 1 + aa * d; d = Math.abs(d) < 1e-300 ? 1e-300 : d; c = 1 + aa / c; c = Math.abs(c) < 1e-300 ? 1e-300 : c; d = 1 / d; h *= d * c;
      aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
      d = 1 + aa * d; d = Math.abs(d) < 1e-300 ? 1e-300 : d; c = 1 + aa / c; c = Math.abs(c) < 1e-300 ? 1e-300 : c; d = 1 / d;
      const del = d * c;
      h *= del;
      if (Math.abs(del - 1) < 1e-15) break;
    }
    return h;
  };
  return x < (a + 1) / (a + b + 2) ? (front * cf(x, a, b)) / a : 1 - (front * cf(1 - x, b, a)) / b;
}

/** CDF of Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = betaI(df / (df + t * t), df / 2, 0.5) / 2;
  return t >= 0 ? 1 - tail : tail;
}

/** Inverse of a monotone increasing CDF on [lo, hi] by bisection. */
function invert(cdf: (x: number) => number, p: number, lo: number, hi: number): number {
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The p-quantile of Student's t (df ≥ 1). */
export const studentTQuantile = (p: number, df: number): number => invert((t) => studentTCdf(t, df), p, -1e3, 1e3);

/** The p-quantile of χ² with `df` degrees of freedom. */
export const chiSquareQuantile = (p: number, df: number): number => invert((x) => gammaP(df / 2, x / 2), p, 0, 1e4);

/** A normal model's bound on P(margin < 0) from K measured margins (see marginBound). */
export interface MarginBound {
  k: number;
  mean: number;
  sd: number;
  /** lower confidence bound on the mean margin (one-sided, 1 − alpha/2, Student's t) */
  meanLo: number;
  /** upper confidence bound on the sd (one-sided, 1 − alpha/2, χ²) */
  sdHi: number;
  /** Φ(−meanLo / sdHi): P(margin < 0) at the worst (mean, sd) of the joint (1 − alpha) confidence region */
  bound: number;
}

/**
 * Upper confidence bound on P(margin < 0) when the margins are K independent draws of a normal variable:
 * with probability ≥ 1 − alpha the mean is ≥ meanLo and the sd ≤ sdHi (each one-sided at 1 − alpha/2,
 * Bonferroni), and P(margin < 0) = Φ(−mean/sd) is largest at that corner. `shift` moves the failure
 * threshold (a discrete statistic fails at margin < −½ step, say). K < 2 or zero spread gives no bound (1).
 */
export function marginBound(margins: number[], alpha = 0.05, shift = 0): MarginBound {
  const k = margins.length;
  const mean = margins.reduce((s, v) => s + v, 0) / Math.max(1, k);
  const sd = k > 1 ? Math.sqrt(margins.reduce((s, v) => s + (v - mean) ** 2, 0) / (k - 1)) : NaN;
  if (k < 2 || !(sd > 0)) return { k, mean, sd: k > 1 ? sd : NaN, meanLo: NaN, sdHi: NaN, bound: 1 };
  const meanLo = mean - (studentTQuantile(1 - alpha / 2, k - 1) * sd) / Math.sqrt(k) - shift;
  const sdHi = sd * Math.sqrt((k - 1) / chiSquareQuantile(alpha / 2, k - 1));
  return { k, mean, sd, meanLo, sdHi, bound: normalCdf(-meanLo / sdHi) };
}
