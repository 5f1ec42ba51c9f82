// extraSeedsRun (src/claims/seeds.ts): the claims' extra seeds as runs of their own (C1, C4, C6, C7).
import { describe, expect, it } from 'vitest';
import { extraSeedsRun } from '../src/claims/seeds.js';
import { runKey } from '../src/cache.js';
import { C4 } from '../src/claims/c4.js';
import type { RunConfig } from '../src/types.js';

const base: RunConfig = {
  namespace: 'X',
  model: { kind: 'relu-output', n: 3, m: 2 },
  data: { kind: 'independent' },
  train: { steps: 10, batch: 8, lr: 1e-3, weightDecay: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
  instances: [{ sparsity: 0, importance: [1, 1, 1], seed: 1 }],
};

describe('extraSeedsRun', () => {
  it("keeps the base run's settings and lays instances out point-major; null without seeds", () => {
    const r = extraSeedsRun(base, [{ sparsity: 0.5, importance: [1, 1, 1] }, { sparsity: 0.9, importance: [3, 2, 1] }], [7, 8])!;
    expect({ ...r, instances: [] }).toEqual({ ...base, instances: [] });
    expect(r.instances.map((i) => [i.sparsity, i.seed])).toEqual([[0.5, 7], [0.5, 8], [0.9, 7], [0.9, 8]]);
    expect(r.instances[2].importance).toEqual([3, 2, 1]);
    expect(extraSeedsRun(base, [{ sparsity: 0.5, importance: [1, 1, 1] }], [])).toBeNull();
  });

  it("an extra run has a cache key of its own, and leaves the base run's key as it was", () => {
    const before = runKey(C4.run(), 'native');
    const extra = C4.polytopeRun();
    expect(extra && runKey(extra, 'native')).not.toBe(before);
    expect(runKey(C4.run(), 'native')).toBe(before);
  });
});
