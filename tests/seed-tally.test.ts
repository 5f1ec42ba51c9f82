// seedTally (src/claims/matchers.ts): the failure message of a check that asserts every seed through its worst value.
import { describe, expect, it } from 'vitest';
import { seedTally, verdict } from '../src/claims/matchers.js';
import '../src/claims/margins.js';

describe('seedTally', () => {
  const verdicts = [verdict(1, true, 'top 29'), verdict(2, false, 'top 41'), verdict(3, true, 'top 33')];
  it('says how many seeds held and lists each with its detail', () => {
    const msg = seedTally(verdicts);
    expect(msg).toMatch(/^held for 2\/3 seeds \(needs every seed\)/);
    expect(msg).toContain('seed 2: FAIL top 41');
    expect(msg).toContain('seed 3: ok   top 33');
  });
  it('is the message of the worst-value check when that fails', () => {
    expect(() => expect(Math.max(29, 41, 33), seedTally(verdicts)).toBeBelow(40)).toThrow(/held for 2\/3 seeds[\s\S]*seed 2: FAIL top 41/);
  });
});
