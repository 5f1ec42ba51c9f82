// Monotone-trend test: Kendall's τ-b between x and y, with its normal-approximation z score under the
// null of no association (ties handled by the τ-b variance). Used for "the count grows with S".

export function kendallTrend(x: number[], y: number[]): { tau: number; z: number } {
  const n = x.length;
  let s = 0;
  let tx = 0;
  let ty = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
    const a = Math.sign(x[j] - x[i]);
    const b = Math.sign(y[j] - y[i]);
    s += a * b;
    if (a === 0) tx++;
    if (b === 0) ty++;
  }
  const n0 = (n * (n - 1)) / 2;
  const tau = s / Math.sqrt((n0 - tx) * (n0 - ty));
  // Variance of S under H0 with ties (Kendall 1970), tie groups counted from the data.
  const groups = (v: number[]) => [...v.reduce((m, t) => m.set(t, (m.get(t) ?? 0) + 1), new Map<number, number>()).values()];
  const term = (g: number[]) => g.reduce((acc, t) => acc + t * (t - 1) * (2 * t + 5), 0);
  const pair = (g: number[]) => g.reduce((acc, t) => acc + t * (t - 1), 0);
  const triple = (g: number[]) => g.reduce((acc, t) => acc + t * (t - 1) * (t - 2), 0);
  const gx = groups(x);
  const gy = groups(y);
  const v = (n * (n - 1) * (2 * n + 5) - term(gx) - term(gy)) / 18 +
    (pair(gx) * pair(gy)) / (2 * n * (n - 1)) +
    (triple(gx) * triple(gy)) / (9 * n * (n - 1) * (n - 2));
  return { tau, z: s / Math.sqrt(v) };
}
