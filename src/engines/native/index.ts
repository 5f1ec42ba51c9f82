// The native engine: hand-written Float32Array kernels, one instance at a time on this thread.
import type { Engine, Progress } from '../engine.js';
import type { RunConfig, TrainedInstance } from '../../types.js';
import { trainInstance } from './train-instance.js';

export class NativeEngine implements Engine {
  readonly name = 'native';
  describe(): string {
    return 'native (fused Float32Array kernels, analytic gradients)';
  }
  async train(run: RunConfig, onProgress?: (p: Progress) => void): Promise<TrainedInstance[]> {
    const total = run.instances.length * run.train.steps;
    const every = Math.max(1, Math.floor(run.train.steps / 50));
    return run.instances.map((inst, index) =>
      trainInstance({ namespace: run.namespace, model: run.model, data: run.data, train: run.train, inst, index }, (s) => {
        if (onProgress && (s + 1) % every === 0) onProgress({ done: index * run.train.steps + s + 1, total });
      }),
    );
  }
}
