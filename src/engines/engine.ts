// One interface for every training engine. An engine trains all instances of a run; each instance is
// independent (own seed streams), so engines may order or parallelise them freely.
import type { RunConfig, TrainedInstance } from '../types.js';
import type { TrainingVariant } from './native/setup.js';

export interface Progress {
  /** steps done, summed over instances */
  done: number;
  total: number;
}

export interface Engine {
  /** stable id used in the cache key, e.g. "native" or "tfjs-wasm" */
  readonly name: string;
  /** one line for humans: what actually runs */
  describe(): string;
  /** `variant`: an alternative setup (only engines with supportsVariants take one) */
  train(run: RunConfig, onProgress?: (p: Progress) => void, variant?: TrainingVariant): Promise<TrainedInstance[]>;
  /** whether train() honours a TrainingVariant */
  readonly supportsVariants?: boolean;
  /** whether train() records TrainConfig.snapshotEvery's parameter snapshots */
  readonly supportsSnapshots?: boolean;
  /** whether train() adds TrainConfig.hiddenL1's penalty */
  readonly supportsHiddenL1?: boolean;
}
