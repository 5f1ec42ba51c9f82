// planShards (scripts/lib/shard-plan.ts): the time-balanced split `vitest run --shard` uses, and the table it reads
// (scripts/shard-times.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planShards, unknownFileSeconds } from '../scripts/lib/shard-plan.js';
import { timesFromResults } from '../scripts/shard-times.js';

const tables = fc.dictionary(fc.stringMatching(/^[a-z]{1,6}\.ts$/), fc.double({ min: 0, max: 300, noNaN: true }), { minKeys: 1, maxKeys: 30 });

describe('planShards', () => {
  it('puts every file in exactly one of the shards, whatever order the files come in', () => {
    fc.assert(
      fc.property(tables, fc.integer({ min: 1, max: 8 }), fc.array(fc.stringMatching(/^[a-z]{1,6}\.ts$/), { maxLength: 5 }), (times, count, extra) => {
        const files = [...Object.keys(times), ...extra];
        const plan = planShards(files, times, count);
        expect(plan).toHaveLength(count);
        expect(plan.flatMap((s) => s.files).sort()).toEqual([...new Set(files)].sort());
        expect(planShards([...files].reverse(), times, count)).toEqual(plan);
      }),
    );
  });

  it('leaves the slowest shard at most one file longer than an even split (greedy bound)', () => {
    fc.assert(
      fc.property(tables, fc.integer({ min: 1, max: 8 }), (times, count) => {
        const plan = planShards(Object.keys(times), times, count);
        const total = Object.values(times).reduce((a, b) => a + b, 0);
        const longest = Math.max(...Object.values(times));
        expect(Math.max(...plan.map((s) => s.seconds))).toBeLessThanOrEqual(total / count + longest + 1e-9);
        plan.forEach((s) => expect(s.seconds).toBeCloseTo(s.files.reduce((a, f) => a + times[f], 0), 9));
      }),
    );
  });

  it('splits the three long specs apart, which a split by file count can put together', () => {
    const times = { 'c7.spec.ts': 136, 'c4.spec.ts': 130, 'c7-paper.spec.ts': 76, 'a.test.ts': 60, 'b.test.ts': 50, 'c.test.ts': 40 };
    const plan = planShards(Object.keys(times), times, 3);
    expect(plan.map((s) => s.files)).toEqual([['c.test.ts', 'c7.spec.ts'], ['b.test.ts', 'c4.spec.ts'], ['a.test.ts', 'c7-paper.spec.ts']]);
    expect(plan.map((s) => s.seconds)).toEqual([176, 180, 136]);
  });

  it('weighs a file missing from the table at the median of the table', () => {
    expect(unknownFileSeconds({ a: 1, b: 10, c: 4 })).toBe(4);
    expect(unknownFileSeconds({ a: 1, b: 10, c: 4, d: 6 })).toBe(5);
    expect(unknownFileSeconds({})).toBe(1);
    const plan = planShards(['a', 'b', 'new'], { a: 10, b: 2 }, 2);
    expect(plan.map((s) => s.seconds)).toEqual([10, 8]);
  });

  it('refuses a shard count that is not a positive integer', () => {
    expect(() => planShards(['a'], { a: 1 }, 0)).toThrow(/positive integer/);
    expect(() => planShards(['a'], { a: 1 }, 1.5)).toThrow(/positive integer/);
  });
});

describe('timesFromResults', () => {
  it('reads vitest\'s results cache: seconds to 0.1 s, keyed by path without the project prefix, sorted', () => {
    const json = JSON.stringify({ version: '4.1.12', results: [[':tests/b.test.ts', { duration: 1234.5, failed: false }], [':specs/a.spec.ts', { duration: 98_765, failed: true }], [':x.ts', { duration: null }]] });
    expect(Object.entries(timesFromResults(json))).toEqual([['specs/a.spec.ts', 98.8], ['tests/b.test.ts', 1.2]]);
  });
});
