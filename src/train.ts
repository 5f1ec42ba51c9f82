// The one entry point specs, the CLI and the benchmark use to get a trained run: validated config in,
// cached-or-trained run out. Runs are shared across specs through the cache (and, within a process,
// through a memo of in-flight promises).
import type { RunConfig, TrainedInstance, TrainedRun } from './types.js';
import type { Engine, Progress } from './engines/engine.js';
import { announceRun, emitTrainEvent } from './train-events.js';
import { getEngine } from './engines/select.js';
import { cacheEnabled, readCache, runKey, withTrainLock, writeCache } from './cache.js';
import { ConfigError, validateRun } from './validate.js';
import { logRun } from './run-log.js';
import { variantKey, type TrainingVariant } from './engines/native/setup.js';

const inFlight = new Map<string, Promise<TrainedRun>>();

export interface TrainOptions {
  engine?: Engine;
  onProgress?: (p: Progress) => void;
  /** skip the cache (benchmarks) */
  fresh?: boolean;
  /** train this variant instead of the paper's model (default: the registered provider's) */
  variant?: TrainingVariant;
}

/** What a harness plugs in from above: which variant (if any) trains. */
export interface TrainHooks {
  /** the variant to train, asked per run (e.g. from TMS_MUTANT); undefined = the paper's model */
  variant?: () => TrainingVariant | undefined;
}

const hooks: TrainHooks[] = [];

/** Registers hooks; returns a function that removes them. */
export function useTrainHooks(h: TrainHooks): () => void {
  hooks.push(h);
  return () => {
    const i = hooks.indexOf(h);
    if (i >= 0) hooks.splice(i, 1);
  };
}

function activeVariant(opts: TrainOptions): TrainingVariant | undefined {
  if (opts.variant) return opts.variant;
  for (const h of hooks) {
    const v = h.variant?.();
    if (v) return v;
  }
  return undefined;
}

export async function trainRun(config: RunConfig, opts: TrainOptions = {}): Promise<TrainedRun> {
  const run = await getRun(config, opts);
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
  const variant = activeVariant(opts);
  if (variant && !engine.supportsVariants) {
    throw new ConfigError(`${variant.name}: training variants exist only in the native engine; this run would use ${engine.name} (set TMS_ENGINE=native)`);
  }
  if (config.train.snapshotEvery !== undefined && !engine.supportsSnapshots) {
    throw new ConfigError(`run ${config.namespace} records parameter snapshots during training (train.snapshotEvery), which only the native engine does; this run would use ${engine.name} (set TMS_ENGINE=native)`);
  }
  if (config.train.hiddenL1 !== undefined && !engine.supportsHiddenL1) {
    throw new ConfigError(`run ${config.namespace} trains with an L1 penalty on the hidden activations (train.hiddenL1), which only the native engine does; this run would use ${engine.name} (set TMS_ENGINE=native)`);
  }
  const key = runKey(config, engine.name, variantKey(variant));
  const useCache = cacheEnabled() && !opts.fresh;
  if (!useCache) return train(config, engine, key, opts.onProgress, variant);
  let p = inFlight.get(key);
  if (!p) {
    p = cachedTrain(config, engine, key, opts.onProgress, variant);
    inFlight.set(key, p);
    p.catch(() => inFlight.delete(key));
  }
  return p;
}

/** Forgets the in-process memo of runs (tests that edit the cache behind trainRun's back). */
export function forgetRuns(): void {
  inFlight.clear();
}

async function cachedTrain(config: RunConfig, engine: Engine, key: string, onProgress?: (p: Progress) => void, variant?: TrainingVariant): Promise<TrainedRun> {
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
      const r = await train(config, engine, key, onProgress, variant);
      writeCache(key, config, engine.name, r.seconds, r.instances); // only whole, finite runs get here
      return r;
    });
    if (run) return run;
  }
}

async function train(config: RunConfig, engine: Engine, key: string, onProgress?: (p: Progress) => void, variant?: TrainingVariant): Promise<TrainedRun> {
  const t0 = performance.now();
  const report = (p: Progress) => {
    onProgress?.(p);
    emitTrainEvent({ type: 'progress', config, key, ...p });
  };
  const instances = await (variant ? engine.train(config, report, variant) : engine.train(config, report));
  return announceRun({ config, engine: engine.name, instances, seconds: (performance.now() - t0) / 1000, key, cached: false });
}
