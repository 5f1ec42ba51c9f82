// Claim 3's closed form : n = 2 features, m = 1 dimension, ReLU output, feature 1 importance 1,
// feature 2 importance r, both with density s. Losses are per sample, summed over features.
export type Phase = 'not-learned' | 'dedicated' | 'superposition';
export const PHASES: Phase[] = ['not-learned', 'dedicated', 'superposition'];

/** The three candidate optima's expected losses. E[min(x1,x2)²] = 1/6 for U[0,1]. */
export function candidateLosses(r: number, s: number): Record<Phase, number> {
  return {
    'not-learned': r * (s / 3 - (s * s) / 4), // W = [1, 0], b = [0, s/2]: feature 2 replaced by its mean
    dedicated: s / 3 - (s * s) / 4, // W = [0, 1], b = [s/2, 0]: feature 1 dropped instead
    superposition: ((1 + r) * s * s) / 6, // W = [1, −1], b = 0: an antipodal pair
  };
}

/** The theory's phase: the candidate with the lowest loss. */
export function theoreticalPhase(r: number, s: number): Phase {
  const L = candidateLosses(r, s);
  return PHASES.reduce((a, b) => (L[b] < L[a] ? b : a));
}

/** Density below which superposition wins: s* = 4r/(2+5r) for r ≤ 1, 4/(5+2r) for r ≥ 1. */
export const criticalDensity = (r: number): number => (r <= 1 ? (4 * r) / (2 + 5 * r) : 4 / (5 + 2 * r));

/** Weights and biases of each candidate, in our Params layout (n = 2, m = 1). */
export function candidateParams(phase: Phase, s: number): { W: number[]; b: number[] } {
  if (phase === 'not-learned') return { W: [1, 0], b: [0, s / 2] };
  if (phase === 'dedicated') return { W: [0, 1], b: [s / 2, 0] };
  return { W: [1, -1], b: [0, 0] };
}

/** Empirical phase of a trained n=2, m=1 model, from the rule stated here: ‖W_2‖ < 0.5 → not learned;
 *  else ‖W_1‖ < 0.5 → dedicated (feature 2 owns the dimension); else opposite signs → superposition. */
export function empiricalPhase(W: ArrayLike<number>): Phase | 'other' {
  const [w1, w2] = [W[0], W[1]];
  if (Math.abs(w2) < 0.5) return 'not-learned';
  if (Math.abs(w1) < 0.5) return 'dedicated';
  return w1 * w2 < 0 ? 'superposition' : 'other';
}

export const logspace = (a: number, b: number, k: number): number[] =>
  Array.from({ length: k }, (_, i) => Math.exp(Math.log(a) + ((Math.log(b) - Math.log(a)) * i) / (k - 1)));
