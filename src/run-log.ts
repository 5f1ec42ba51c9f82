// Which runs a spec trained, for scripts/flake.ts's check that the runs change with TMS_SEED_OFFSET: with
// TMS_VERDICTS_DIR set, trainRun appends one line per run (cached or not) to <dir>/runs.jsonl.
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainedRun } from './types.js';
import { canonicalJson } from './cache.js';

/** One run a spec asked trainRun for (a line of <TMS_VERDICTS_DIR>/runs.jsonl). */
export interface RunLine {
  namespace: string;
  /** the run's cache key */
  key: string;
  /** its instances' seeds, in order */
  seeds: number[];
  /** one id per instance: a hash of everything that defines its training (namespace, model, data, train, the
   *  instance's own config with its seed), so the same instance is recognised inside differently keyed runs */
  instances: string[];
  /** the engine that trained it (absent in lines logged before engines were recorded) */
  engine?: string;
}

export function runLine(run: Pick<TrainedRun, 'config' | 'key'> & Partial<Pick<TrainedRun, 'engine'>>): RunLine {
  const { namespace, model, data, train, instances } = run.config;
  return {
    namespace,
    key: run.key,
    seeds: instances.map((i) => i.seed),
    instances: instances.map((inst) => createHash('sha256').update(canonicalJson({ namespace, model, data, train, inst })).digest('hex').slice(0, 16)),
    ...(run.engine ? { engine: run.engine } : {}),
  };
}

/** Appends the run's line when TMS_VERDICTS_DIR is set (a flake check); nothing otherwise. */
export function logRun(run: Pick<TrainedRun, 'config' | 'key'> & Partial<Pick<TrainedRun, 'engine'>>): void {
  const dir = process.env.TMS_VERDICTS_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, 'runs.jsonl'), `${JSON.stringify(runLine(run))}\n`); // one write per line: no interleaving
}
