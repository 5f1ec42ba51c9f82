// Whole runs on the webgpu engine: bit-identical from run to run; an instance's result does not depend on
// which other instances share its dispatches; the loss log has LossLog's shape across a partial last
// block of steps; training lowers the loss; a non-finite loss throws TrainingDivergedError naming the
// instance and the step. GPU work runs in a child process (tests/helpers/webgpu.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunConfig } from '../src/types.js';
import { DEFAULT_TRAIN } from '../src/types.js';
import { LOSS_POINTS } from '../src/engines/shared.js';
import { gpuAvailability, runGpu } from './helpers/webgpu.js';

const avail = await gpuAvailability();

interface Trained {
  ok: boolean;
  name: string;
  instances?: { finalLoss: number; losses: number[]; W: number[]; W2?: number[]; b: number[] }[];
  message?: string;
  instance?: number;
  step?: number;
}

const n = 9;
// 300 steps: one full block of 256 and a partial one, so the pipelined read-back meets both
const base: RunConfig = {
  namespace: 'webgpu-train',
  model: { kind: 'relu-hidden', n, m: 3 },
  data: { kind: 'correlated', sets: [[0, 1], [4, 5, 6]] },
  train: { ...DEFAULT_TRAIN, steps: 300, batch: 96, lr: 1e-2 },
  instances: [
    { sparsity: 0.5, importance: Array.from({ length: n }, (_, i) => 0.9 ** i), seed: 1 },
    { sparsity: 0.8, importance: Array.from({ length: n }, () => 1), seed: 2 },
    { sparsity: Array.from({ length: n }, (_, i) => 0.1 * i), importance: Array.from({ length: n }, () => 1), seed: 3 },
  ],
};
const diverging: RunConfig = {
  ...base,
  model: { kind: 'linear', n, m: 3 },
  train: { ...base.train, steps: 20 },
  // importance 1e38: the float32 loss overflows to Infinity at the first step, in instance 1 only
  instances: [base.instances[0], { ...base.instances[1], importance: base.instances[1].importance.map(() => 1e38) }],
};

let first: Trained, again: Trained, alone: Trained, diverged: Trained;

describe.skipIf(!avail.run)(`webgpu whole runs (${avail.reason})`, () => {
  beforeAll(async () => {
    [first, again, alone, diverged] = await runGpu<Trained>([
      { kind: 'train', run: base },
      { kind: 'train', run: base },
      { kind: 'train', run: { ...base, instances: [base.instances[2]] } },
      { kind: 'train', run: diverging },
    ], 240_000);
  }, 300_000);

  it('bit-identical from run to run', () => {
    expect(first.ok, first.message).toBe(true);
    expect(again.instances).toEqual(first.instances);
  });

  it("an instance's result does not depend on the other instances of its run", () => {
    expect(alone.instances![0]).toEqual(first.instances![2]);
  });

  it("the loss log has LossLog's shape and training lowers the loss", () => {
    for (const t of first.instances!) {
      expect(t.losses).toHaveLength(LOSS_POINTS);
      expect(t.losses.every(Number.isFinite)).toBe(true);
      expect(t.finalLoss).toBeLessThan(t.losses[0]);
      // finalLoss averages the last 5% of steps (15 of 300): close to the last loss points
      expect(Math.abs(t.finalLoss - t.losses[LOSS_POINTS - 1])).toBeLessThan(0.5 * t.losses[0]);
    }
  });

  it('a non-finite loss throws TrainingDivergedError naming the instance and the step', () => {
    expect(diverged).toMatchObject({ ok: false, name: 'TrainingDivergedError', instance: 1, step: 0 });
    expect(diverged.message).toMatch(/instance 1 produced loss (Infinity|NaN) at step 0/);
  });
});
