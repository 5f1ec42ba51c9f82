// A run directory written by `tms train --out <dir>`, as the trained instances a claim's checks take: so
// a check can be tried on runs trained from the command line before its spec exists.
import type { TrainedInstance } from '../types.js';
import { loadRun } from '../cli/run-files.js';

export function loadRunDir(dir: string): { namespace: string; instances: TrainedInstance[] } {
  const run = loadRun(dir, 'loadRunDir');
  return {
    namespace: run.config.config.namespace,
    instances: run.instances.map((t, k) => ({
      config: run.config.config.instances[k],
      params: t.params,
      finalLoss: t.finalLoss,
      losses: t.losses,
    })),
  };
}
