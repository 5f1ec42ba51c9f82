// A trained run on disk, as `tms train` writes it and `tms figure` reads it:
//   config.json   the RunConfig, engine, cache key, training time
//   weights.json  per instance: W as n rows of m numbers (row i = feature i's direction W_i), W2 (abs), b
//   metrics.json  per instance: final loss, ‖W_i‖, interference, D_i, D*, represented count
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Params, RunConfig, TrainedRun } from '../types.js';
import { dimensionsPerFeature, featureDimensionality, featureNorms, interference, representedFeatures } from '../metrics/features.js';
import { validateRun } from '../validate.js';
import { UsageError } from './args.js';

/** ‖W_i‖ above this counts as represented (the paper's ≈1 vs ≈0). */
export const REPRESENTED = 0.5;

/** ‖W_i‖ below this: W_i has no direction worth the name, so its interference is n/a (reported as null). */
export const NO_DIRECTION = 1e-2;

/** Interference per feature; null for a feature of norm ≈ 0, whose unit vector Ŵ_i is noise. */
export function reportedInterference(p: Params): (number | null)[] {
  const norms = featureNorms(p);
  return interference(p).map((v, i) => (norms[i] < NO_DIRECTION ? null : v));
}

export interface SavedInstance {
  seed: number;
  sparsity: number | number[];
  importance: number[];
  finalLoss: number;
  losses: number[];
  /** n rows of m numbers: row i is W_i */
  W: number[][];
  W2?: number[][];
  b: number[];
}

export interface SavedWeights {
  kind: Params['kind'];
  n: number;
  m: number;
  layout: string;
  instances: SavedInstance[];
}

export interface SavedConfig {
  config: RunConfig;
  engine: string;
  key: string;
  seconds: number;
  cached: boolean;
  trainedAt: string;
}

const rows = (a: Float32Array, n: number, m: number) => Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * m, (i + 1) * m)));

export function instanceMetrics(p: Params) {
  return {
    norms: featureNorms(p),
    interference: reportedInterference(p),
    dimensionality: featureDimensionality(p),
    dimensionsPerFeature: dimensionsPerFeature(p),
    represented: representedFeatures(p, REPRESENTED).length,
  };
}

export function saveRun(dir: string, run: TrainedRun): void {
  mkdirSync(dir, { recursive: true });
  const { n, m, kind } = run.config.model;
  const config: SavedConfig = { config: run.config, engine: run.engine, key: run.key, seconds: run.seconds, cached: run.cached, trainedAt: new Date().toISOString() };
  const weights: SavedWeights = {
    kind, n, m,
    layout: 'W[i] is feature i\'s direction W_i (length m); for abs, W is the input layer W1 and W2[i] holds output i\'s weights',
    instances: run.instances.map((t) => ({
      seed: t.config.seed,
      sparsity: t.config.sparsity,
      importance: t.config.importance,
      finalLoss: t.finalLoss,
      losses: t.losses,
      W: rows(t.params.W, n, m),
      ...(t.params.W2 ? { W2: rows(t.params.W2, n, m) } : {}),
      b: Array.from(t.params.b),
    })),
  };
  const metrics = {
    representedThreshold: REPRESENTED,
    interferenceNA: `interference is null (n/a) where ‖W_i‖ < ${NO_DIRECTION}`,
    instances: run.instances.map((t) => ({ seed: t.config.seed, sparsity: t.config.sparsity, finalLoss: t.finalLoss, ...instanceMetrics(t.params) })),
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  writeFileSync(join(dir, 'weights.json'), JSON.stringify(weights) + '\n');
  writeFileSync(join(dir, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
}

export interface LoadedRun {
  config: SavedConfig;
  instances: (SavedInstance & { params: Params })[];
}

function readJson<T>(path: string, flag: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (e) {
    throw new UsageError(`${flag}: cannot read ${path} (${(e as Error).message})`);
  }
}

/** Loads a run directory written by saveRun; a missing or malformed one is a UsageError naming `flag`. */
export function loadRun(dir: string, flag = '--run'): LoadedRun {
  for (const f of ['config.json', 'weights.json']) {
    if (!existsSync(join(dir, f))) throw new UsageError(`${flag}: ${join(dir, f)} not found; make a run directory with \`tms train --out ${dir}\``);
  }
  const config = readJson<SavedConfig>(join(dir, 'config.json'), flag);
  if (typeof config !== 'object' || config === null || typeof config.config !== 'object') {
    throw new UsageError(`${flag}: ${join(dir, 'config.json')} has no "config" field, so it is not a run written by \`tms train\``);
  }
  validateRun(config.config);
  const w = readJson<SavedWeights>(join(dir, 'weights.json'), flag);
  if (typeof w !== 'object' || w === null || !Array.isArray(w.instances) || w.instances.some((t) => typeof t !== 'object' || t === null || ![t.W, t.b, t.importance].every(Array.isArray))) {
    throw new UsageError(`${flag}: ${join(dir, 'weights.json')} is not a run's weights (it needs "instances": [{W, b, ...}, ...]); rewrite it with \`tms train --out ${dir} --force\``);
  }
  const { n, m, kind } = config.config.model;
  const flat = (r: number[][] | undefined, what: string) => {
    if (!r) return undefined;
    if (r.length !== n || r.some((row) => row.length !== m)) throw new UsageError(`${flag}: weights.json ${what} is not ${n} rows of ${m} numbers`);
    return Float32Array.from(r.flat());
  };
  const instances = w.instances.map((t) => ({ ...t, params: { kind, n, m, W: flat(t.W, 'W')!, W2: flat(t.W2, 'W2'), b: Float32Array.from(t.b) } }));
  return { config, instances };
}

/** "S = 0.9, seed 1": a short label for an instance. */
export function instanceLabel(t: { sparsity: number | number[]; seed: number }): string {
  const s = t.sparsity;
  const S = Array.isArray(s) ? (s.every((v) => v === s[0]) ? String(s[0]) : 'per-feature') : String(s);
  return `S = ${S}, seed ${t.seed}`;
}
