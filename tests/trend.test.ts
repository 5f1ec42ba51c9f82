import { describe, expect, it } from 'vitest';
import { kendallTrend } from '../src/stats/trend.js';

describe('kendallTrend', () => {
  it('is +1 / −1 for strictly monotone data and ~0 for none', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(kendallTrend(x, x).tau).toBeCloseTo(1, 12);
    expect(kendallTrend(x, [...x].reverse()).tau).toBeCloseTo(-1, 12);
    expect(Math.abs(kendallTrend(x, [3, 1, 4, 1, 5, 9, 2, 6]).z)).toBeLessThan(2);
  });
  it('matches the no-ties z score n = 10: z = 3S/√(n(n−1)(2n+5)/2)', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const { z } = kendallTrend(x, x);
    expect(z).toBeCloseTo(45 / Math.sqrt((10 * 9 * 25) / 18), 10);
  });
});
