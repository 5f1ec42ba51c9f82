// The closed-form losses of claim 3 equal Monte-Carlo estimates of the same three weight settings,
// computed with the native kernel's loss on sampled data.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { candidateLosses, candidateParams, PHASES } from '../src/claims/phase.js';
import { allocBatch, makeSampler } from '../src/data.js';
import { Rng } from '../src/rng.js';
import { MODEL_TRAITS } from '../src/models.js';
import { allocWorkspace, forwardBackward } from '../src/engines/native/kernel.js';

function monteCarlo(r: number, s: number, phase: (typeof PHASES)[number], seed: number, B = 1 << 16): number {
  const { W, b } = candidateParams(phase, s);
  const batch = allocBatch(B, 2);
  makeSampler(2, [s, s], { kind: 'independent' }, false, new Rng(`mc/${seed}`)).fill(batch);
  const g = { gW: new Float32Array(2), gb: new Float32Array(2) };
  const loss = forwardBackward(MODEL_TRAITS['relu-output'], 2, 1, Float32Array.from(W), Float32Array.from(W), Float32Array.from(b), Float64Array.from([1, r]), batch, allocWorkspace(B, 1), g);
  return loss * 2; // the kernel averages over the n = 2 features; the closed form sums them
}

describe('C3 closed form', () => {
  it('matches Monte-Carlo estimates of the three candidate losses (within 5 standard errors)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 10, noNaN: true }), fc.double({ min: 0.05, max: 1, noNaN: true }), fc.constantFrom(...PHASES), fc.nat(1000), (r, s, phase, seed) => {
        const exact = candidateLosses(r, s)[phase];
        const mc = monteCarlo(r, s, phase, seed);
        // Per-sample loss ≤ (1 + r); its sd is below (1 + r)·sqrt(s), so 5 SE = 5(1+r)sqrt(s/B).
        expect(Math.abs(mc - exact)).toBeLessThan(5 * (1 + r) * Math.sqrt(s / (1 << 16)));
      }),
      { numRuns: 40, seed: 42 },
    );
  });
});
