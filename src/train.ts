// The one entry point specs, the CLI and the benchmark use to get a trained run: validated config in,
// cached-or-trained run out. Runs are shared across specs through the cache (and, within a process,
// through a memo of in-flight promises).
import type { RunConfig, TrainedInstance, TrainedRun } from './types.js';
import type { Engine, Progress } from './engines/engine.js';
import { announceRun, emitTrainEvent } from './train-events.js';
import { getEngine } from './engines/select.js';
import { cacheEnabled, readCache, runKey, withTrainLock, writeCache } from './cache.js';
import { ConfigError, validateRun } from './validate.js';
import { activeMutant } from './mutants.js';
import { noteRun } from './claims/record.js';
import { logRun } from './run-log.js';

const inFlight = new Map<string, Promise<TrainedRun>>();

export interface TrainOptions {
  engine?: Engine;
  onProgress?: (p: Progress) => void;
  /** skip the cache (benchmarks) */
  fresh?: boolean;
}

export async function trainRun(config: RunConfig, opts: TrainOptions = {}): Promise<TrainedRun> {
  const run = await getRun(config, opts);
  if (process.env.VITEST) noteRun(run); // claims report: which seeds / engine / time a claim's spec used
  logRun(run); // flake check: did the runs change with the seed offset
  return run;
}

/** The trained instances of several runs, in order; null entries (a tier without that extra run) are skipped. */
export async function trainInstances(...configs: (RunConfig | null)[]): Promise<TrainedInstance[]> {
  const runs = await Promise.all(configs.flatMap((c) => (c ? [trainRun(c)] : [])));
  return runs.flatMap((r) => r.instances);
}

async function getRun(config: RunConfig, opts: TrainOptions): Promise<TrainedRun> {
  validateRun(config);
  const engine = opts.engine ?? (await getEngine());
  const mutant = activeMutant();
  if (mutant && engine.name !== 'native') {
    throw new ConfigError(`TMS_MUTANT = "${mutant}": mutants exist only in the native engine; this run would use ${engine.name} (set TMS_ENGINE=native)`);
  }
  const key = runKey(config, engine.name);
  const useCache = cacheEnabled() && !opts.fresh;
  if (!useCache) return train(config, engine, key, opts.onProgress);
  let p = inFlight.get(key);
  if (!p) {
    p = cachedTrain(config, engine, key, opts.onProgress);
    inFlight.set(key, p);
    p.catch(() => inFlight.delete(key));
  }
  return p;
}

/** Forgets the in-process memo of runs (tests that edit the cache behind trainRun's back). */
export function forgetRuns(): void {
  inFlight.clear();
}

async function cachedTrain(config: RunConfig, engine: Engine, key: string, onProgress?: (p: Progress) => void): Promise<TrainedRun> {
  const cached = (): TrainedRun | undefined => {
    const hit = readCache(key, config);
    return hit && announceRun({ config, engine: hit.engine, instances: hit.instances, seconds: hit.seconds, key, cached: true });
  };
  for (;;) {
    const hit = cached();
    if (hit) return hit;
    const run = await withTrainLock(key, async () => {
      const again = cached(); // trained by another worker while we waited for the lock
      if (again) return again;
      const r = await train(config, engine, key, onProgress);
      writeCache(key, config, engine.name, r.seconds, r.instances); // only whole, finite runs get here
      return r;
    });
    if (run) return run;
  }
}

async function train(config: RunConfig, engine: Engine, key: string, onProgress?: (p: Progress) => void): Promise<TrainedRun> {
  const t0 = performance.now();
  const instances = await engine.train(config, (p) => {
    onProgress?.(p);
    emitTrainEvent({ type: 'progress', config, key, ...p });
  });
  return announceRun({ config, engine: engine.name, instances, seconds: (performance.now() - t0) / 1000, key, cached: false });
}
