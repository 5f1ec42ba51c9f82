// The statistical checks a data generator must pass, shared by the CPU sampler's tests (tests/data.test.ts)
// and the GPU generator's (tests/webgpu-data.test.ts): each at ALPHA = 1e-6 (stricter than a 4.5σ bound,
// whose two-sided level is 6.8e-6).
import { expect } from 'vitest';
import { ksTest, uniformCdf } from '../../src/stats/ks.js';
import { binomTwoSidedP } from '../../src/stats/binomial.js';

export const ALPHA = 1e-6;

/** Drawn samples: present[s·n + i] says whether feature i is in sample s. */
export interface Presence {
  N: number;
  present: Uint8Array;
}

/** How many of the drawn samples hold feature i (of n). */
export function count(d: Presence, n: number, i: number): number {
  let k = 0;
  for (let s = 0; s < d.N; s++) k += d.present[s * n + i];
  return k;
}

/** k successes in N trials are plausible for probability p (p ≥ 1: every trial). */
export function expectBinomial(k: number, N: number, p: number, what: string): void {
  if (p >= 1) return void expect(k, `${what}: always present`).toBe(N);
  expect(binomTwoSidedP(N, p, k), `${what}: ${k} of ${N} with p = ${p}`).toBeGreaterThan(ALPHA);
}

/** Values lie in [0, 1) (signed: [-1, 1)) and, given 10 or more, pass a KS test against that uniform. */
export function expectUniform(values: number[], signed: boolean): void {
  if (values.length === 0) return;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  expect(lo).toBeGreaterThanOrEqual(signed ? -1 : 0);
  expect(hi).toBeLessThan(1);
  if (values.length < 10) return;
  const { d, p } = ksTest(values, signed ? uniformCdf(-1, 1) : uniformCdf(0, 1));
  expect(p, `KS D = ${d} over ${values.length} values`).toBeGreaterThan(ALPHA);
}
