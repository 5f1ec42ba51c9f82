// Config validation at every entry point. Each error names the field, the value and the allowed range,
// so a bad config never becomes a NaN, a hang or a stack dump deep inside an engine.
// Unknown fields are errors (a typo such as `train.stpes` would otherwise be ignored silently).
import { totalmem } from 'node:os';
import { z } from 'zod';
import type { RunConfig } from './types.js';
import { MODEL_KINDS } from './models.js';
import { ConfigError, showValue } from './errors.js';

export { ConfigError } from './errors.js';

export const LIMITS = {
  n: 100_000,
  m: 10_000,
  steps: 10_000_000,
  batch: 1 << 20,
  instances: 100_000,
  seed: 2 ** 31 - 1,
  namespace: 200,
} as const;

const num = (msg: string) => z.number({ error: msg });
const int = (min: number, max: number) => {
  const msg = `must be an integer in [${min}, ${max}]`;
  return num(msg).int(msg).min(min, msg).max(max, msg);
};
const PROB = 'must be a number in [0, 1)';
const prob = num(PROB).min(0, PROB).lt(1, PROB);
const positive = (max: number) => {
  const msg = `must be a finite number in (0, ${max}]`;
  return num(msg).gt(0, msg).max(max, msg);
};
const IMPORTANCE = 'must be a finite number ≥ 0';
const featureIndex = num('must be a feature index: an integer in [0, n − 1]').int('must be a feature index: an integer in [0, n − 1]').min(0, 'must be a feature index: an integer in [0, n − 1]');
const sets = z.array(z.array(featureIndex, { error: 'must be a list of feature indices' }).min(1, 'must be a non-empty list of feature indices'), { error: 'must be a list of feature sets (number[][])' });

const schema = z.strictObject({
  namespace: z.string({ error: `must be a non-empty string of at most ${LIMITS.namespace} characters` })
    .min(1, `must be a non-empty string of at most ${LIMITS.namespace} characters`)
    .max(LIMITS.namespace, `must be a non-empty string of at most ${LIMITS.namespace} characters`),
  model: z.strictObject({
    kind: z.enum(MODEL_KINDS as [string, ...string[]], { error: `must be one of ${MODEL_KINDS.join(', ')}` }),
    n: int(1, LIMITS.n),
    m: int(1, LIMITS.m),
    init: z.enum(['xavier', 'alive-halves'], { error: 'must be "xavier" or "alive-halves"' }).optional(),
  }, { error: 'must be an object {kind, n, m, init?}' }),
  data: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('independent') }),
    z.strictObject({ kind: z.literal('correlated'), sets }),
    z.strictObject({ kind: z.literal('anticorrelated'), sets }),
  ], { error: 'must be {kind: "independent"} or {kind: "correlated" | "anticorrelated", sets: number[][]}' }),
  train: z.strictObject({
    steps: int(1, LIMITS.steps),
    batch: int(1, LIMITS.batch),
    lr: positive(1),
    weightDecay: num(PROB).min(0, PROB).lt(1, PROB),
    beta1: prob,
    beta2: prob,
    eps: positive(1),
    snapshotEvery: int(1, LIMITS.steps).optional(),
    hiddenL1: num('must be a finite number ≥ 0').min(0, 'must be a finite number ≥ 0').optional(),
  }, { error: 'must be an object {steps, batch, lr, weightDecay, beta1, beta2, eps, snapshotEvery?, hiddenL1?}' }),
  instances: z.array(z.strictObject({
    sparsity: z.union([prob, z.array(prob)], { error: 'must be a number in [0, 1) or an array of them, one per feature' }),
    importance: z.array(num(IMPORTANCE).min(0, IMPORTANCE), { error: 'must be an array of finite numbers ≥ 0, one per feature' }),
    seed: int(0, LIMITS.seed),
  }, { error: 'must be an object {sparsity, importance, seed}' }), { error: `must be an array of 1 to ${LIMITS.instances} instances` })
    .min(1, `must hold 1 to ${LIMITS.instances} instances`).max(LIMITS.instances, `must hold 1 to ${LIMITS.instances} instances`),
}, { error: 'must be an object {namespace, model, data, train, instances}' });

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('') || '(root)';
}

function valueAt(obj: unknown, path: readonly PropertyKey[]): unknown {
  let v: any = obj;
  for (const p of path) v = v == null ? undefined : v[p as any];
  return v;
}

type Issue = z.core.$ZodIssue;

/**
 * A union's error says only "must be A or B"; when the value had the right shape for one branch (e.g. an
 * array of sparsities with one bad entry), that branch's own issue is the useful one.
 */
function specific(issue: Issue): Issue {
  if (issue.code !== 'invalid_union') return issue;
  const deeper = issue.errors.filter((errs) => errs.length > 0 && !(errs[0].code === 'invalid_type' && errs[0].path.length === 0));
  if (deeper.length !== 1) return issue;
  const inner = deeper[0][0];
  return specific({ ...inner, path: [...issue.path, ...inner.path] } as Issue);
}

function describeIssue(config: unknown, raw: Issue): string {
  const issue = specific(raw);
  if (issue.code === 'unrecognized_keys') {
    const parent = issue.path.length ? fieldPath(issue.path) : 'the run config';
    const allowed = allowedKeys(config, issue.path);
    return issue.keys.map((k) => {
      const p = [...issue.path, k];
      return `${fieldPath(p)} = ${showValue(valueAt(config, p))}: unknown field of ${parent}${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}`;
    }).join('\n');
  }
  return `${fieldPath(issue.path)} = ${showValue(valueAt(config, issue.path))}: ${issue.message}`;
}

/** The allowed keys of the object at `path` (for "unknown field" messages). */
function allowedKeys(config: unknown, path: readonly PropertyKey[]): string[] {
  if (path.length === 0) return Object.keys(schema.shape);
  const head = path[0];
  if (head === 'model') return Object.keys(schema.shape.model.shape);
  if (head === 'train') return Object.keys(schema.shape.train.shape);
  if (head === 'instances') return ['sparsity', 'importance', 'seed'];
  if (head === 'data') return (valueAt(config, ['data', 'kind']) === 'independent') ? ['kind'] : ['kind', 'sets'];
  return [];
}

/** Bytes one run needs while training: params + Adam state + batch buffers of the instance being trained,
 *  plus the trained parameters of every instance, which the run holds until it returns. */
export function memoryEstimate(c: RunConfig): number {
  const { n, m } = c.model;
  const params = 2 * n * m + n;
  const training = params * 4 * 4 + c.train.batch * (3 * n + 3 * m) * 4 + 8 * c.train.batch * n;
  const results = c.instances.length * params * 4;
  return training + results;
}

/** Throws ConfigError naming every bad field (one per line); returns the config typed. */
export function validateRun(config: unknown): RunConfig {
  const r = schema.safeParse(config);
  if (!r.success) {
    // Missing fields are all named (a short list, and each needs the user to act); other problems up to 5.
    const isMissing = (i: Issue) => valueAt(config, specific(i).path) === undefined;
    const others = r.error.issues.filter((i) => !isMissing(i));
    const shown = r.error.issues.filter((i) => isMissing(i) || others.indexOf(i) < 5);
    const lines = shown.map((i) => describeIssue(config, i));
    const more = others.length > 5 ? `\n(and ${others.length - 5} more)` : '';
    throw new ConfigError(`invalid run config: ${lines.join('\n  ')}${more}`);
  }
  const c = config as RunConfig;
  const { n } = c.model;
  const fail = (msg: string) => {
    throw new ConfigError(`invalid run config: ${msg}`);
  };
  if (c.model.init === 'alive-halves' && c.model.kind !== 'abs') fail(`model.init = "alive-halves" with model.kind = "${c.model.kind}": only the abs model has the output layer W2 it changes; use "xavier"`);
  c.instances.forEach((inst, i) => {
    if (inst.importance.length !== n) {
      fail(`instances[${i}].importance = ${showValue(inst.importance)} has length ${inst.importance.length}: must have one entry per feature (model.n = ${n})`);
    }
    if (Array.isArray(inst.sparsity) && inst.sparsity.length !== n) {
      fail(`instances[${i}].sparsity = ${showValue(inst.sparsity)} has length ${inst.sparsity.length}: must be one number, or an array with one entry per feature (model.n = ${n})`);
    }
  });
  const S = (inst: RunConfig['instances'][number], f: number) => (Array.isArray(inst.sparsity) ? inst.sparsity[f] : inst.sparsity);
  if (c.data.kind !== 'independent') {
    const seen = new Map<number, number>();
    c.data.sets.forEach((set, k) => set.forEach((f) => {
      if (f >= n) fail(`data.sets[${k}] = ${showValue(set)}: feature index ${f} out of range; feature indices must be integers in [0, ${n - 1}] (model.n = ${n})`);
      if (seen.has(f)) fail(`data.sets[${k}] = ${showValue(set)}: feature ${f} is also in data.sets[${seen.get(f)}]; each feature may be in at most one set`);
      seen.set(f, k);
    }));
    const sets = c.data.sets;
    if (c.data.kind === 'correlated') {
      // One coin per set: its members must share one sparsity, or the data would silently ignore all but the first's.
      c.instances.forEach((inst, i) => sets.forEach((set, k) => {
        const bad = set.find((f) => S(inst, f) !== S(inst, set[0]));
        if (bad !== undefined) fail(`data.sets[${k}] = ${showValue(set)} with instances[${i}].sparsity: features ${set[0]} and ${bad} have sparsities ${S(inst, set[0])} and ${S(inst, bad)}; features of a correlated set appear together, so they must share one sparsity`);
      }));
    } else {
      c.instances.forEach((inst, i) => sets.forEach((set, k) => {
        const total = set.reduce((a, f) => a + 1 - S(inst, f), 0);
        if (total > 1 + 1e-12) fail(`data.sets[${k}] = ${showValue(set)} with instances[${i}].sparsity = ${showValue(inst.sparsity)}: feature probabilities Σ(1 − S_i) = ${+total.toFixed(6)}; an anticorrelated set fires at most one feature, so it needs Σ(1 − S_i) ≤ 1`);
      }));
    }
  }
  const need = memoryEstimate(c);
  const budget = totalmem() / 2;
  if (need > budget) {
    fail(`model.n = ${n}, model.m = ${c.model.m}, train.batch = ${c.train.batch}, ${c.instances.length} instances: needs about ${(need / 2 ** 30).toFixed(1)} GiB, ` +
      `more than half this machine's ${(totalmem() / 2 ** 30).toFixed(1)} GiB (the allowed maximum); lower model.n, model.m, train.batch or the number of instances`);
  }
  return c;
}
