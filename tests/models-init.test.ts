// The 'alive-halves' initialisation (claim 7's intervention): the paper's draws with W2 ← |W2|.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initParams } from '../src/models.js';
import { Rng } from '../src/rng.js';

describe("initParams 'alive-halves'", () => {
  it('keeps W and |W2| of the xavier draws, and leaves every half-function with a live output', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 12 }), fc.integer(), (n, m, seed) => {
      const a = initParams('abs', n, m, new Rng(`t/${seed}`));
      const b = initParams('abs', n, m, new Rng(`t/${seed}`), 'alive-halves');
      expect(b.W).toEqual(a.W);
      expect(Array.from(b.W2!)).toEqual(Array.from(a.W2!, Math.abs));
      for (let i = 0; i < n; i++) for (const sign of [1, -1]) {
        let r = 0;
        let any = false;
        for (let k = 0; k < m; k++) {
          const w = sign * b.W[i * m + k];
          if (w > 0) any = true;
          r += b.W2![i * m + k] * Math.max(0, w);
        }
        if (any) expect(r).toBeGreaterThan(0);
      }
    }), { numRuns: 100 });
  });
});
