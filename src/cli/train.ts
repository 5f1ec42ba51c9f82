// `tms train`: train one run from flags or a config file, with a progress bar, and save weights,
// metrics and config to a directory that `tms figure` reads.
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { RunConfig } from '../types.js';
import { DEFAULT_TRAIN } from '../types.js';
import { MODEL_KINDS } from '../models.js';
import { geometricImportance } from '../instance.js';
import { ConfigError, validateRun } from '../validate.js';
import { ENGINE_NAMES, getEngine, type EngineName } from '../engines/select.js';
import { trainRun } from '../train.js';
import { outDir } from '../claims/record.js';
import { parseFlags, UsageError, type CommandSpec } from './args.js';
import { ProgressBar } from './progress.js';
import { instanceLabel, instanceMetrics, saveRun } from './run-files.js';

export const trainCommand: CommandSpec = {
  name: 'train',
  brief: 'train one model configuration; save weights, metrics and config',
  usage: 'tms train [--kind K --n N --m M --sparsity S --importance D --seeds 1,2,3 ...] | --config FILE [--out DIR]',
  summary:
    'Train one run (one independent model per sparsity × seed) and save config.json, weights.json and\n' +
    'metrics.json (‖W_i‖, interference, D_i, D*, represented count) to --out. Runs are cached: training the\n' +
    'same config again loads it from .cache/runs unless --fresh.',
  flags: {
    config: { type: 'string', value: 'FILE', help: 'a RunConfig JSON file (see src/types.ts) instead of the model/data/training flags' },
    kind: { type: 'choice', choices: MODEL_KINDS, default: 'relu-output', help: 'model family' },
    n: { type: 'int', value: 'N', default: '20', help: 'number of features' },
    m: { type: 'int', value: 'M', default: '5', help: 'hidden dimensions' },
    sparsity: { type: 'numbers', value: 'S[,S...]', default: '0.9', help: 'feature sparsity S in [0, 1); a list trains one instance per value' },
    importance: { type: 'number', value: 'DECAY', default: '1', help: 'importance of feature i is DECAY^i (0.7 in the paper\'s n=20 figures)' },
    seeds: { type: 'ints', value: '1,2,3', default: '1', help: 'seeds; one instance per seed (and per sparsity)' },
    steps: { type: 'int', value: 'N', default: String(DEFAULT_TRAIN.steps), help: 'training steps' },
    batch: { type: 'int', value: 'N', default: String(DEFAULT_TRAIN.batch), help: 'batch size' },
    lr: { type: 'number', value: 'LR', default: String(DEFAULT_TRAIN.lr), help: 'AdamW learning rate' },
    'weight-decay': { type: 'number', value: 'WD', default: String(DEFAULT_TRAIN.weightDecay), help: 'AdamW weight decay' },
    namespace: { type: 'string', value: 'NAME', default: 'cli', help: 'seed namespace (claims use their id, e.g. C2/linear)' },
    engine: { type: 'choice', choices: ENGINE_NAMES, default: '$TMS_ENGINE or native', help: 'training engine' },
    out: { type: 'string', value: 'DIR', default: 'out/runs/<cache key>', help: 'where to write the run' },
    fresh: { type: 'bool', help: 'retrain even when the run is cached' },
    quiet: { type: 'bool', help: 'no progress bar' },
  },
  examples: [
    'tms train --kind relu-output --n 20 --m 5 --sparsity 0.9 --importance 0.7 --seeds 1,2,3 --out out/runs/demo',
    'tms train --kind relu-output --n 5 --m 2 --sparsity 0,0.8,0.9 --importance 0.9 --out out/runs/c1',
    'tms train --config my-run.json --engine tfjs',
  ],
};

const MODEL_FLAGS = ['kind', 'n', 'm', 'sparsity', 'importance', 'seeds', 'steps', 'batch', 'lr', 'weight-decay', 'namespace'];

/** Which flag set a config field, so validation errors can point at the flag the user typed. */
const FIELD_FLAGS: [RegExp, string][] = [
  [/^model\.n = \d+, model\.m = /, '--n/--m/--batch'], [/^model\.n × train\.batch/, '--n/--batch'],
  [/^namespace\b/, '--namespace'], [/^model\.kind\b/, '--kind'], [/^model\.n\b/, '--n'], [/^model\.m\b/, '--m'],
  [/^instances\[\d+\]\.sparsity/, '--sparsity'], [/^instances\[\d+\]\.importance/, '--importance'], [/^instances\[\d+\]\.seed/, '--seeds'],
  [/^train\.steps/, '--steps'], [/^train\.batch/, '--batch'], [/^train\.lr/, '--lr'], [/^train\.weightDecay/, '--weight-decay'],
];

function configFromFlags(f: Record<string, unknown>): RunConfig {
  const n = (f.n as number | undefined) ?? 20;
  const decay = (f.importance as number | undefined) ?? 1;
  const sparsities = (f.sparsity as number[] | undefined) ?? [0.9];
  const seeds = (f.seeds as number[] | undefined) ?? [1];
  return {
    namespace: (f.namespace as string | undefined) ?? 'cli',
    model: { kind: ((f.kind as string | undefined) ?? 'relu-output') as RunConfig['model']['kind'], n, m: (f.m as number | undefined) ?? 5 },
    data: { kind: 'independent' },
    train: {
      ...DEFAULT_TRAIN,
      steps: (f.steps as number | undefined) ?? DEFAULT_TRAIN.steps,
      batch: (f.batch as number | undefined) ?? DEFAULT_TRAIN.batch,
      lr: (f.lr as number | undefined) ?? DEFAULT_TRAIN.lr,
      weightDecay: (f['weight-decay'] as number | undefined) ?? DEFAULT_TRAIN.weightDecay,
    },
    instances: sparsities.flatMap((sparsity) => seeds.map((seed) => ({ sparsity, importance: geometricImportance(n, decay), seed }))),
  };
}

function configFromFile(path: string): RunConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`--config: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return JSON.parse(text) as RunConfig;
  } catch (e) {
    throw new UsageError(`--config: ${path} is not valid JSON (${(e as Error).message})`);
  }
}

export async function train(argv: string[]): Promise<number> {
  const f = parseFlags(trainCommand, argv);
  let config: RunConfig;
  if (f.config !== undefined) {
    const clash = MODEL_FLAGS.filter((k) => k in f);
    if (clash.length) throw new UsageError(`--config cannot be combined with ${clash.map((k) => `--${k}`).join(', ')}: put those settings in the file`);
    config = configFromFile(f.config as string);
    validateRun(config);
  } else {
    config = configFromFlags(f);
    try {
      validateRun(config);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      const field = e.message.replace(/^invalid run config: /, '');
      const flag = FIELD_FLAGS.find(([re]) => re.test(field))?.[1];
      throw new ConfigError(flag ? `${e.message} (set by ${flag})` : e.message);
    }
  }
  const engine = await getEngine(f.engine as EngineName | undefined);
  const bar = f.quiet ? undefined : new ProgressBar({ stepsPerInstance: config.train.steps, instances: config.instances.length });
  process.stderr.write(`training ${config.instances.length} instance(s) of ${config.model.kind} n=${config.model.n} m=${config.model.m}, ` +
    `${config.train.steps} steps, batch ${config.train.batch} on ${engine.describe()}\n`);
  const run = await trainRun(config, { engine, fresh: !!f.fresh, onProgress: bar && ((p) => bar.update(p)) });
  const how = run.cached ? `loaded from the run cache (trained earlier in ${run.seconds.toFixed(1)} s)` : `trained in ${run.seconds.toFixed(1)} s`;
  if (bar) bar.finish(how);
  else process.stderr.write(`${how}\n`);

  const dir = resolve((f.out as string | undefined) ?? join(outDir(), 'runs', run.key));
  saveRun(dir, run);
  const rows = run.instances.map((t) => {
    const m = instanceMetrics(t.params);
    return [instanceLabel(t.config), t.finalLoss.toExponential(3), `${m.represented}/${config.model.n}`, m.dimensionsPerFeature.toFixed(3)];
  });
  const head = ['instance', 'final loss', 'represented', 'D*'];
  const w = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const fmt = (r: string[]) => r.map((c, k) => c.padEnd(w[k])).join('  ').trimEnd();
  process.stdout.write([fmt(head), ...rows.map(fmt)].join('\n') + '\n');
  const rel = relative(process.cwd(), dir);
  const shown = rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? dir : rel;
  process.stdout.write(`wrote ${shown}/{config,weights,metrics}.json\nfigure: tms figure --run ${shown} --kind norms\n`);
  return 0;
}
