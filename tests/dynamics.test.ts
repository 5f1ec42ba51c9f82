import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dropConcentration, markStretches, pooledConcentration, transit } from '../src/metrics/dynamics.js';

const ramp = (K: number, a = 0, b = 1) => Array.from({ length: K + 1 }, (_, k) => a + ((b - a) * k) / K);

describe('transit', () => {
  it('a steady drift needs `share` of the run; a jump one interval', () => {
    expect(transit(ramp(100), 0.8).fraction).toBeCloseTo(0.8, 10);
    expect(transit(ramp(40, 0.5, 0), 0.5).fraction).toBeCloseTo(0.5, 10);
    const step = [...new Array(30).fill(0.3), ...new Array(31).fill(0.5)];
    expect(transit(step)).toMatchObject({ start: 29, length: 1, fraction: 1 / 60 });
    expect(transit(step).net).toBeCloseTo(0.2, 12);
  });

  it('is the shortest stretch: brute force over all stretches agrees (fast-check)', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 2, maxLength: 40 }), fc.double({ min: 0.1, max: 1, noNaN: true }), (xs, share) => {
      const t = transit(xs, share);
      const need = share * Math.abs(xs.at(-1)! - xs[0]);
      let best = xs.length - 1;
      for (let a = 0; a < xs.length; a++) for (let b = a + 1; b < xs.length; b++) if (Math.abs(xs[b] - xs[a]) >= need) best = Math.min(best, b - a);
      expect(t.length).toBe(best);
      expect(Math.abs(xs[t.start + t.length] - xs[t.start])).toBeGreaterThanOrEqual(need);
    }));
  });

  it('does not depend on an offset, a scale or the direction of the series (fast-check)', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 2, maxLength: 30 }), fc.integer({ min: -9, max: 9 }), (xs, c) => {
      const t = transit(xs);
      expect(transit(xs.map((v) => 2 * v + c)).length).toBe(t.length);
      expect(transit([...xs].reverse()).length).toBe(t.length);
    }));
  });
});

describe('dropConcentration', () => {
  it('is 1 for an evenly falling loss, and large when the loss falls only inside the marks', () => {
    const even = ramp(10, 1, 0);
    const marks = markStretches(10, [{ start: 2, length: 3 }]);
    expect(marks.filter(Boolean).length).toBe(3);
    expect(dropConcentration(even, marks).ratio).toBeCloseTo(1, 12);
    const stepLoss = [1, 1, 1, 0.7, 0.4, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1];
    const c = dropConcentration(stepLoss, marks);
    expect(c.dropShare).toBeCloseTo(1, 12);
    expect(c.timeShare).toBeCloseTo(0.3, 12);
    expect(c.ratio).toBeCloseTo(1 / 0.3, 10);
    expect(dropConcentration([1, 1, 1], [false, false]).ratio).toBeNaN();
    expect(() => dropConcentration([1, 0], [true, true])).toThrow(/2 marks for 1 intervals/);
  });

  it('pooled, sums the decreases and the intervals: a large drop outweighs a small one', () => {
    const marks = markStretches(10, [{ start: 2, length: 3 }]);
    const big = dropConcentration([1, 1, 1, 0.7, 0.4, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], marks); // all 0.9 inside
    const small = dropConcentration(ramp(10, 0.1, 0), markStretches(10, [{ start: 0, length: 5 }])); // 0.05 of 0.1 inside
    const p = pooledConcentration([big, small]);
    expect(p.dropShare).toBeCloseTo(0.95, 12);
    expect(p.timeShare).toBeCloseTo(8 / 20, 12);
    expect(p.ratio).toBeCloseTo(0.95 / 0.4, 10);
    expect(pooledConcentration([]).ratio).toBeNaN();
  });
});
