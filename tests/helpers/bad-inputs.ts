// The bad inputs tests/validation.test.ts feeds to validateRun and the environment readers, with what each
// error message must contain. scripts/bad-inputs.ts renders the same list, with the messages actually
// produced, to docs/bad-inputs.md.
import type { RunConfig } from '../../src/types.js';
import { DEFAULT_TRAIN } from '../../src/types.js';
import { validateRun } from '../../src/validate.js';
import { showValue } from '../../src/errors.js';
import { engineFromEnv } from '../../src/engines/select.js';
import { tier } from '../../src/tier.js';
import { activeMutant } from '../../src/mutants.js';
import { seedOffset } from '../../src/claims/seeds.js';

/** A small valid config (n = 5): every case below breaks exactly one thing in it. */
export function goodConfig(): RunConfig {
  return {
    namespace: 'bad-inputs',
    model: { kind: 'relu-output', n: 5, m: 2 },
    data: { kind: 'independent' },
    train: { ...DEFAULT_TRAIN, steps: 100, batch: 64 },
    instances: [{ sparsity: 0.5, importance: [1, 0.9, 0.81, 0.729, 0.6561], seed: 1 }],
  };
}

export interface BadInput {
  /** which group of the doc it belongs to */
  group: string;
  /** the bad input, in words */
  input: string;
  /** runs the check that must throw a ConfigError */
  run: () => unknown;
  /** substrings the message must contain: the field path with the value shown, and the allowed range */
  shows: string;
  allowed: string;
}

type Edit = (c: any) => void;
const cfg = (edit: Edit) => () => {
  const c: any = goodConfig();
  edit(c);
  return validateRun(c);
};

/** Config cases: `set(path, value)` puts a value at a dotted path. */
function field(group: string, path: string, value: unknown, shows: string, allowed: string, input?: string): BadInput {
  const keys = path.split('.').flatMap((k) => k.split(/\[(\d+)\]/).filter(Boolean)).map((k) => (/^\d+$/.test(k) ? Number(k) : k));
  return {
    group,
    input: input ?? `${path} = ${showValue(value, 200)}`,
    run: cfg((c) => {
      let o = c;
      for (const k of keys.slice(0, -1)) o = o[k];
      if (value === undefined) delete o[keys.at(-1)!];
      else o[keys.at(-1)!] = value;
    }),
    shows,
    allowed,
  };
}

const INT = (lo: number, hi: number) => `must be an integer in [${lo}, ${hi}]`;
const PROB = 'must be a number in [0, 1)';
const POS1 = 'must be a finite number in (0, 1]';
const n5 = (v: unknown) => Array(5).fill(v);

export const CONFIG_CASES: BadInput[] = [
  // the whole config
  { group: 'config', input: 'config = null', run: () => validateRun(null), shows: '(root) = null', allowed: 'must be an object {namespace, model, data, train, instances}' },
  { group: 'config', input: 'config = "C1"', run: () => validateRun('C1'), shows: '(root) = "C1"', allowed: 'must be an object' },
  field('config', 'seeds', [1, 2], 'seeds = [1, 2]', 'unknown field of the run config (allowed: namespace, model, data, train, instances)', 'unknown top-level field seeds = [1, 2]'),
  field('config', 'namespace', '', 'namespace = ""', 'must be a non-empty string'),
  field('config', 'namespace', 42, 'namespace = 42', 'must be a non-empty string'),
  field('config', 'namespace', undefined, 'namespace = undefined (missing)', 'must be a non-empty string', 'namespace missing'),
  // model
  field('model', 'model', undefined, 'model = undefined (missing)', 'must be an object {kind, n, m, init?}', 'model missing'),
  field('model', 'model.kind', 'quadratic', 'model.kind = "quadratic"', 'must be one of linear, relu-output, relu-hidden, abs'),
  field('model', 'model.n', 0, 'model.n = 0', INT(1, 100000)),
  field('model', 'model.n', -3, 'model.n = -3', INT(1, 100000)),
  field('model', 'model.n', 2.5, 'model.n = 2.5', INT(1, 100000)),
  field('model', 'model.n', NaN, 'model.n = NaN', INT(1, 100000)),
  field('model', 'model.n', Infinity, 'model.n = Infinity', INT(1, 100000)),
  field('model', 'model.n', '5', 'model.n = "5"', INT(1, 100000)),
  field('model', 'model.n', 1e6, 'model.n = 1000000', INT(1, 100000)),
  field('model', 'model.m', 0, 'model.m = 0', INT(1, 10000)),
  field('model', 'model.m', -1, 'model.m = -1', INT(1, 10000)),
  field('model', 'model.m', 1.5, 'model.m = 1.5', INT(1, 10000)),
  field('model', 'model.m', 1e9, 'model.m = 1000000000', INT(1, 10000)),
  field('model', 'model.m', NaN, 'model.m = NaN', INT(1, 10000)),
  field('model', 'model.hidden', 3, 'model.hidden = 3', 'unknown field of model (allowed: kind, n, m, init)'),
  field('model', 'model.init', 'he', 'model.init = "he"', 'must be "xavier" or "alive-halves"'),
  field('model', 'model.init', 'alive-halves', 'model.init = "alive-halves" with model.kind = "relu-output"', 'only the abs model has the output layer W2 it changes'),
  // train
  field('train', 'train.steps', 0, 'train.steps = 0', INT(1, 10000000)),
  field('train', 'train.steps', 1.5, 'train.steps = 1.5', INT(1, 10000000)),
  field('train', 'train.steps', 1e9, 'train.steps = 1000000000', INT(1, 10000000)),
  field('train', 'train.steps', NaN, 'train.steps = NaN', INT(1, 10000000)),
  field('train', 'train.batch', 0, 'train.batch = 0', INT(1, 1048576)),
  field('train', 'train.batch', 2.5, 'train.batch = 2.5', INT(1, 1048576)),
  field('train', 'train.batch', 2 ** 21, 'train.batch = 2097152', INT(1, 1048576)),
  field('train', 'train.lr', 0, 'train.lr = 0', POS1),
  field('train', 'train.lr', -0.01, 'train.lr = -0.01', POS1),
  field('train', 'train.lr', NaN, 'train.lr = NaN', POS1),
  field('train', 'train.lr', Infinity, 'train.lr = Infinity', POS1),
  field('train', 'train.lr', 2, 'train.lr = 2', POS1),
  field('train', 'train.lr', '1e-3', 'train.lr = "1e-3"', POS1),
  field('train', 'train.weightDecay', 1, 'train.weightDecay = 1', PROB),
  field('train', 'train.weightDecay', -0.1, 'train.weightDecay = -0.1', PROB),
  field('train', 'train.weightDecay', NaN, 'train.weightDecay = NaN', PROB),
  field('train', 'train.beta1', 1, 'train.beta1 = 1', PROB),
  field('train', 'train.beta1', -0.1, 'train.beta1 = -0.1', PROB),
  field('train', 'train.beta2', 1, 'train.beta2 = 1', PROB),
  field('train', 'train.beta2', 1.5, 'train.beta2 = 1.5', PROB),
  field('train', 'train.eps', 0, 'train.eps = 0', POS1),
  field('train', 'train.eps', -1e-8, 'train.eps = -1e-8', POS1),
  field('train', 'train.stpes', 100, 'train.stpes = 100', 'unknown field of train (allowed: steps, batch, lr, weightDecay, beta1, beta2, eps, snapshotEvery, hiddenL1)', 'typo train.stpes = 100'),
  field('train', 'train.lr', undefined, 'train.lr = undefined (missing)', POS1, 'train.lr missing'),
  // instances
  field('instances', 'instances', [], 'instances = []', 'must hold 1 to 100000 instances'),
  field('instances', 'instances', 'all', 'instances = "all"', 'must be an array of 1 to 100000 instances'),
  field('instances', 'instances[0].sparsity', 1, 'instances[0].sparsity = 1', PROB),
  field('instances', 'instances[0].sparsity', -0.1, 'instances[0].sparsity = -0.1', PROB),
  field('instances', 'instances[0].sparsity', NaN, 'instances[0].sparsity = NaN', PROB),
  field('instances', 'instances[0].sparsity', '0.5', 'instances[0].sparsity = "0.5"', 'must be a number in [0, 1) or an array of them, one per feature'),
  field('instances', 'instances[0].sparsity', [0.1, 0.2], 'instances[0].sparsity = [0.1, 0.2] has length 2', 'one entry per feature (model.n = 5)'),
  field('instances', 'instances[0].sparsity', [0.1, 1, 0.1, 0.1, 0.1], 'instances[0].sparsity[1] = 1', PROB),
  field('instances', 'instances[0].sparsity', [0.1, NaN, 0.1, 0.1, 0.1], 'instances[0].sparsity[1] = NaN', PROB),
  field('instances', 'instances[0].importance', [1, -1, 1, 1, 1], 'instances[0].importance[1] = -1', 'must be a finite number ≥ 0'),
  field('instances', 'instances[0].importance', n5(NaN), 'instances[0].importance[0] = NaN', 'must be a finite number ≥ 0'),
  field('instances', 'instances[0].importance', n5(Infinity), 'instances[0].importance[0] = Infinity', 'must be a finite number ≥ 0'),
  field('instances', 'instances[0].importance', [1, 0.9], 'instances[0].importance = [1, 0.9] has length 2', 'one entry per feature (model.n = 5)'),
  field('instances', 'instances[0].importance', 1, 'instances[0].importance = 1', 'must be an array of finite numbers ≥ 0, one per feature'),
  field('instances', 'instances[0].seed', -1, 'instances[0].seed = -1', INT(0, 2147483647)),
  field('instances', 'instances[0].seed', 1.5, 'instances[0].seed = 1.5', INT(0, 2147483647)),
  field('instances', 'instances[0].seed', 2 ** 31, 'instances[0].seed = 2147483648', INT(0, 2147483647)),
  field('instances', 'instances[0].weight', 1, 'instances[0].weight = 1', 'unknown field of instances[0] (allowed: sparsity, importance, seed)'),
  // data
  field('data', 'data', { kind: 'clustered' }, 'data.kind = "clustered"', 'must be {kind: "independent"} or {kind: "correlated" | "anticorrelated", sets: number[][]}'),
  field('data', 'data', { kind: 'correlated' }, 'data.sets = undefined (missing)', 'must be a list of feature sets (number[][])', 'data = {kind: "correlated"} without sets'),
  field('data', 'data', { kind: 'independent', sets: [[0, 1]] }, 'data.sets = [[0, 1]]', 'unknown field of data (allowed: kind)'),
  field('data', 'data', { kind: 'correlated', sets: [[0, 7]] }, 'data.sets[0] = [0, 7]: feature index 7 out of range', 'feature indices must be integers in [0, 4] (model.n = 5)'),
  field('data', 'data', { kind: 'correlated', sets: [[-1, 2]] }, 'data.sets[0][0] = -1', 'must be a feature index: an integer in [0, n − 1]'),
  field('data', 'data', { kind: 'correlated', sets: [[0.5]] }, 'data.sets[0][0] = 0.5', 'must be a feature index: an integer in [0, n − 1]'),
  field('data', 'data', { kind: 'correlated', sets: [[]] }, 'data.sets[0] = []', 'must be a non-empty list of feature indices'),
  field('data', 'data', { kind: 'anticorrelated', sets: [[0, 1], [1, 2]] }, 'data.sets[1] = [1, 2]: feature 1 is also in data.sets[0]', 'each feature may be in at most one set'),
  field('data', 'data', { kind: 'anticorrelated', sets: [[0, 1, 2]] }, 'data.sets[0] = [0, 1, 2] with instances[0].sparsity = 0.5: feature probabilities Σ(1 − S_i) = 1.5', 'needs Σ(1 − S_i) ≤ 1', 'anticorrelated set [0, 1, 2] at S = 0.5 (Σp = 1.5)'),
  {
    group: 'data',
    input: 'correlated set [0, 1] whose features have different sparsities (0.5, 0.9)',
    run: cfg((c) => {
      c.data = { kind: 'correlated', sets: [[0, 1]] };
      c.instances[0].sparsity = [0.5, 0.9, 0.5, 0.5, 0.5];
    }),
    shows: 'data.sets[0] = [0, 1] with instances[0].sparsity: features 0 and 1 have sparsities 0.5 and 0.9',
    allowed: 'they must share one sparsity',
  },
  // memory
  {
    group: 'memory',
    input: 'model.n = 100000, train.batch = 1048576',
    run: cfg((c) => {
      c.model.n = 100_000;
      c.train.batch = 1 << 20;
      c.instances[0].importance = new Array(100_000).fill(1);
    }),
    shows: 'model.n = 100000, model.m = 2, train.batch = 1048576, 1 instances: needs about',
    allowed: "more than half this machine's",
  },
  {
    group: 'memory',
    input: 'model.n = 20000, model.m = 10000, 500 instances (their trained weights alone ≈ 800 GB)',
    run: cfg((c) => {
      c.model = { kind: 'linear', n: 20_000, m: 10_000 };
      const importance = new Array(20_000).fill(1);
      c.instances = Array.from({ length: 500 }, (_, seed) => ({ sparsity: 0.5, importance, seed }));
    }),
    shows: 'model.n = 20000, model.m = 10000, train.batch = 64, 500 instances: needs about',
    allowed: "more than half this machine's",
  },
];

const withEnv = (name: string, value: string, read: () => unknown) => () => {
  const old = process.env[name];
  process.env[name] = value;
  try {
    return read();
  } finally {
    if (old === undefined) delete process.env[name];
    else process.env[name] = old;
  }
};

export const ENV_CASES: BadInput[] = [
  { group: 'environment', input: 'TMS_ENGINE=gpu', run: withEnv('TMS_ENGINE', 'gpu', engineFromEnv), shows: 'TMS_ENGINE = "gpu"', allowed: 'must be one of native, native-f32, tfjs, webgpu, auto (unset means native-f32)' },
  { group: 'environment', input: 'TMS_ENGINE=Native', run: withEnv('TMS_ENGINE', 'Native', engineFromEnv), shows: 'TMS_ENGINE = "Native"', allowed: 'must be one of native, native-f32, tfjs, webgpu, auto' },
  { group: 'environment', input: 'TMS_TIER=fast', run: withEnv('TMS_TIER', 'fast', tier), shows: 'TMS_TIER = "fast"', allowed: 'must be one of default, paper (unset means default)' },
  { group: 'environment', input: 'TMS_TIER=PAPER', run: withEnv('TMS_TIER', 'PAPER', tier), shows: 'TMS_TIER = "PAPER"', allowed: 'must be one of default, paper' },
  { group: 'environment', input: 'TMS_MUTANT=no-relu', run: withEnv('TMS_MUTANT', 'no-relu', activeMutant), shows: 'TMS_MUTANT = "no-relu"', allowed: 'must be one of relu-removed, importance-ignored, sparsity-inverted, untied, bias-frozen, sgd (or unset)' },
  { group: 'environment', input: 'TMS_SEED_OFFSET=-1000', run: withEnv('TMS_SEED_OFFSET', '-1000', seedOffset), shows: 'TMS_SEED_OFFSET = "-1000"', allowed: 'must be an integer in [0, 1000000000] (unset means 0)' },
  { group: 'environment', input: 'TMS_SEED_OFFSET=1.5', run: withEnv('TMS_SEED_OFFSET', '1.5', seedOffset), shows: 'TMS_SEED_OFFSET = "1.5"', allowed: 'must be an integer in [0, 1000000000]' },
  { group: 'environment', input: 'TMS_SEED_OFFSET=1e3', run: withEnv('TMS_SEED_OFFSET', '1e3', seedOffset), shows: 'TMS_SEED_OFFSET = "1e3"', allowed: 'must be an integer in [0, 1000000000]' },
];

export const BAD_INPUTS: BadInput[] = [...CONFIG_CASES, ...ENV_CASES];

/** The error a case throws (undefined if it does not throw). */
export function errorOf(c: BadInput): Error | undefined {
  try {
    c.run();
    return undefined;
  } catch (e) {
    return e as Error;
  }
}
