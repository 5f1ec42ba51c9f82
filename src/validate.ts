// Config validation at every entry point. Each error names the field, the value and the allowed range,
// so a bad config never becomes a NaN, a hang or a stack dump deep inside an engine.
import { totalmem } from 'node:os';
import { z } from 'zod';
import type { RunConfig } from './types.js';
import { MODEL_KINDS } from './models.js';

export const LIMITS = {
  n: 100_000,
  m: 10_000,
  steps: 10_000_000,
  batch: 1 << 20,
  instances: 100_000,
} as const;

const int = (min: number, max: number) =>
  z.number({ error: `must be an integer in [${min}, ${max}]` }).int(`must be an integer in [${min}, ${max}]`).min(min, `must be an integer in [${min}, ${max}]`).max(max, `must be an integer in [${min}, ${max}]`);
const prob = z.number({ error: 'must be a number in [0, 1)' }).min(0, 'must be a number in [0, 1)').lt(1, 'must be a number in [0, 1)');
const positive = (max: number) => z.number({ error: `must be a finite number in (0, ${max}]` }).gt(0, `must be a finite number in (0, ${max}]`).max(max, `must be a finite number in (0, ${max}]`);

const schema = z.object({
  namespace: z.string({ error: 'must be a non-empty string' }).min(1, 'must be a non-empty string'),
  model: z.object({
    kind: z.enum(MODEL_KINDS as [string, ...string[]], { error: `must be one of ${MODEL_KINDS.join(', ')}` }),
    n: int(1, LIMITS.n),
    m: int(1, LIMITS.m),
  }),
  data: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('independent') }),
    z.object({ kind: z.literal('correlated'), sets: z.array(z.array(z.number().int().min(0)).min(1)) }),
    z.object({ kind: z.literal('anticorrelated'), sets: z.array(z.array(z.number().int().min(0)).min(1)) }),
  ], { error: 'must be {kind: "independent"} or {kind: "correlated"|"anticorrelated", sets: number[][]}' }),
  train: z.object({
    steps: int(1, LIMITS.steps),
    batch: int(1, LIMITS.batch),
    lr: positive(1),
    weightDecay: z.number({ error: 'must be a number in [0, 1)' }).min(0, 'must be a number in [0, 1)').lt(1, 'must be a number in [0, 1)'),
    beta1: prob,
    beta2: prob,
    eps: positive(1),
  }),
  instances: z.array(z.object({
    sparsity: z.union([prob, z.array(prob)], { error: 'must be a number in [0, 1) or an array of them, one per feature' }),
    importance: z.array(z.number({ error: 'must be a finite number ≥ 0' }).min(0, 'must be a finite number ≥ 0').finite('must be a finite number ≥ 0')),
    seed: int(0, 2 ** 31 - 1),
  })).min(1, `must hold 1 to ${LIMITS.instances} instances`).max(LIMITS.instances, `must hold 1 to ${LIMITS.instances} instances`),
});

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const show = (v: unknown) => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

function fieldPath(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

function valueAt(obj: unknown, path: PropertyKey[]): unknown {
  let v: any = obj;
  for (const p of path) v = v == null ? undefined : v[p as any];
  return v;
}

/** Bytes one run needs while training (params + Adam state + batch buffers), per instance trained at a time. */
export function memoryEstimate(c: RunConfig): number {
  const { n, m } = c.model;
  const params = 2 * n * m + n;
  const floats = params * 4 + c.train.batch * (3 * n + 3 * m);
  return floats * 4 + 8 * c.train.batch * n;
}

/** Throws ConfigError naming the first bad field; returns the config typed. */
export function validateRun(config: unknown): RunConfig {
  const r = schema.safeParse(config);
  if (!r.success) {
    const issue = r.error.issues[0];
    const f = fieldPath(issue.path);
    throw new ConfigError(`invalid run config: ${f || '(root)'} = ${show(valueAt(config, issue.path))}: ${issue.message}`);
  }
  const c = config as RunConfig;
  const { n } = c.model;
  c.instances.forEach((inst, i) => {
    if (inst.importance.length !== n) {
      throw new ConfigError(`invalid run config: instances[${i}].importance has length ${inst.importance.length}: must have one entry per feature (n = ${n})`);
    }
    if (Array.isArray(inst.sparsity) && inst.sparsity.length !== n) {
      throw new ConfigError(`invalid run config: instances[${i}].sparsity has length ${inst.sparsity.length}: must be a number or have one entry per feature (n = ${n})`);
    }
  });
  if (c.data.kind !== 'independent') {
    const seen = new Set<number>();
    c.data.sets.forEach((set, k) => set.forEach((f) => {
      if (f >= n) throw new ConfigError(`invalid run config: data.sets[${k}] = ${show(set)}: feature indices must be in [0, ${n - 1}]`);
      if (seen.has(f)) throw new ConfigError(`invalid run config: data.sets[${k}] = ${show(set)}: feature ${f} is in more than one set`);
      seen.add(f);
    }));
    if (c.data.kind === 'anticorrelated') {
      c.instances.forEach((inst, i) => c.data.kind === 'anticorrelated' && c.data.sets.forEach((set, k) => {
        const total = set.reduce((a, f) => a + 1 - (Array.isArray(inst.sparsity) ? inst.sparsity[f] : inst.sparsity), 0);
        if (total > 1) throw new ConfigError(`invalid run config: data.sets[${k}] with instances[${i}].sparsity: feature probabilities sum to ${total.toFixed(3)}; an anticorrelated set needs Σ(1−S) ≤ 1`);
      }));
    }
  }
  const need = memoryEstimate(c);
  const budget = totalmem() / 2;
  if (need > budget) {
    throw new ConfigError(`invalid run config: model.n × train.batch too large: needs about ${(need / 2 ** 30).toFixed(1)} GiB, more than half this machine's ${(totalmem() / 2 ** 30).toFixed(1)} GiB; lower model.n, model.m or train.batch`);
  }
  return c;
}
