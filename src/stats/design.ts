// How many of N seeds a claim must hold for. A claim that holds for a seed with probability ≥ 97% (3% of
// seeds may stall in a slow or local minimum within the training budget) must fail the spec with
// probability < 1%: the spec requires the largest k with P(Binomial(N, 0.03) > N − k) < 0.01.
// `npm run flake` checks the 3% design rate against pooled per-seed verdicts.
import { binomialTail } from './summary.js';

export const SEED_DESIGN = { perSeedFailure: 0.03, specFalseFail: 0.01 } as const;

export function requiredSeeds(n: number, q: number = SEED_DESIGN.perSeedFailure, alpha: number = SEED_DESIGN.specFalseFail): number {
  // allowed failures a: smallest a with P(#fail ≥ a + 1) < alpha
  let a = 0;
  while (a < n && binomialTail(n, a + 1, q) >= alpha) a++;
  // Never fewer than a majority: with very few verdicts the 1% target is out of reach, and a spec that
  // passes with most seeds failing would assert nothing.
  return Math.max(n - a, Math.ceil(n / 2));
}
