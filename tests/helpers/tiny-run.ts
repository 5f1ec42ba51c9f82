// A run small enough to train in milliseconds, for tests and the specs they plant.
import { DEFAULT_TRAIN, type RunConfig } from '../../src/types.js';

export const tinyRun = (namespace: string, seeds: number[]): RunConfig => ({
  namespace,
  model: { kind: 'relu-output', n: 4, m: 2 },
  data: { kind: 'independent' },
  train: { ...DEFAULT_TRAIN, steps: 20, batch: 8 },
  instances: seeds.map((seed) => ({ sparsity: 0.5, importance: [1, 1, 1, 1], seed })),
});
