// `tms train`: train one run from flags or a config file, with a progress bar, and save weights,
// metrics and config to a directory that `tms figure` reads.
import { accessSync, constants, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { RunConfig } from '../types.js';
import { DEFAULT_TRAIN } from '../types.js';
import { geometricImportance } from '../instance.js';
import { ConfigError, validateRun } from '../validate.js';
import { getEngine, type EngineName } from '../engines/select.js';
import { trainRun } from '../train.js';
import { outDir } from '../claims/record.js';
import { parseFlags, shownPath, UsageError } from './args.js';
import { FIGURE_KINDS, trainCommand } from './commands.js';
import { ProgressBar } from './progress.js';
import { instanceLabel, instanceMetrics, saveRun } from './run-files.js';

const MODEL_FLAGS = ['kind', 'n', 'm', 'sparsity', 'importance', 'seeds', 'steps', 'batch', 'lr', 'weight-decay', 'namespace'];

/** Which flag set a config field, so validation errors can point at the flag the user typed. */
const FIELD_FLAGS: [RegExp, string][] = [
  [/^model\.n = \d+, model\.m = /, '--n/--m/--batch'], [/^model\.n × train\.batch/, '--n/--batch'],
  [/^namespace\b/, '--namespace'], [/^model\.kind\b/, '--kind'], [/^model\.n\b/, '--n'], [/^model\.m\b/, '--m'],
  [/^instances\[\d+\]\.sparsity/, '--sparsity'], [/^instances\[\d+\]\.importance/, '--importance'], [/^instances\[\d+\]\.seed/, '--seeds'],
  [/^train\.steps/, '--steps'], [/^train\.batch/, '--batch'], [/^train\.lr/, '--lr'], [/^train\.weightDecay/, '--weight-decay'],
];

/** Refuses a list flag that names one value twice (it would train the same instance twice, or pool it twice). */
function distinct(flag: string, values: number[]): number[] {
  const twice = values.find((v, i) => values.indexOf(v) !== i);
  if (twice !== undefined) throw new UsageError(`--${flag} ${values.join(',')}: ${twice} is given twice; each value must be distinct`);
  return values;
}

function configFromFlags(f: Record<string, unknown>): RunConfig {
  const n = (f.n as number | undefined) ?? 20;
  const decay = (f.importance as number | undefined) ?? 1;
  // Importance decay^i: above 1 the last features outweigh the first by decay^(n-1) (2 gives 524288 at n = 20).
  if (!(decay > 0 && decay <= 1)) throw new UsageError(`--importance must be a decay in (0, 1] (feature i gets importance DECAY^i); got ${decay}`);
  const sparsities = distinct('sparsity', (f.sparsity as number[] | undefined) ?? [0.9]);
  const seeds = distinct('seeds', (f.seeds as number[] | undefined) ?? [1]);
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

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A RunConfig file, a run directory, or a run directory's config.json (the RunConfig sits under "config"
 * there); omitted train fields take DEFAULT_TRAIN's values.
 */
export function configFromFile(path: string): unknown {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'config.json') : path;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--config: cannot read ${shownPath(resolve(file))} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give a RunConfig JSON file or a run directory written by \`tms train\``);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--config: ${shownPath(resolve(file))} is not valid JSON (${(e as Error).message})`);
  }
  const saved = isObject(json) && isObject(json.config) && !('model' in json);
  const config = saved ? (json as { config: Record<string, unknown> }).config : json;
  if (!isObject(config)) return config; // validateRun names what is wrong with it
  if (config.train === undefined) return { ...config, train: { ...DEFAULT_TRAIN } };
  if (isObject(config.train)) return { ...config, train: { ...DEFAULT_TRAIN, ...config.train } };
  return config;
}

const RUN_FILES = ['config.json', 'weights.json', 'metrics.json'];

/** Where an explicit --out may write: a new directory or one without a run; an existing run only with --force. */
export function checkOutDir(dir: string, force: boolean): void {
  const shown = shownPath(dir);
  let up = dir;
  while (!existsSync(up) && dirname(up) !== up) up = dirname(up);
  if (up === dir) {
    if (!statSync(dir).isDirectory()) throw new UsageError(`--out ${shown} is a file; --out must be a directory (new, or an existing run with --force)`);
    const run = RUN_FILES.filter((f) => existsSync(join(dir, f)));
    if (run.length && !force) throw new UsageError(`--out ${shown} already holds a run (${run.join(', ')}); add --force to overwrite it, or choose another --out`);
  } else if (!statSync(up).isDirectory()) {
    throw new UsageError(`--out ${shown}: ${shownPath(up)} is a file, so no directory can be made there; --out must be a directory path`);
  }
  try {
    accessSync(up, constants.W_OK);
  } catch {
    throw new UsageError(`--out ${shown}: ${shownPath(up)} is not writable; --out must be a directory you can write`);
  }
}

export interface TrainPlan {
  flags: Record<string, unknown>;
  config: RunConfig;
  /** the explicit --out, checked; undefined means out/runs/<cache key> */
  out?: string;
}

/** Everything `tms train` checks before it trains: flags, the config they or the file give, the --out path. */
export function planTrain(argv: string[]): TrainPlan {
  const f = parseFlags(trainCommand, argv);
  let config: RunConfig;
  if (f.config !== undefined) {
    const clash = MODEL_FLAGS.filter((k) => k in f);
    if (clash.length) throw new UsageError(`--config cannot be combined with ${clash.map((k) => `--${k}`).join(', ')}: put those settings in the file`);
    config = validateRun(configFromFile(f.config as string));
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
  const out = f.out === undefined ? undefined : resolve(f.out as string);
  if (out) checkOutDir(out, !!f.force);
  return { flags: f, config, out };
}

export async function train(argv: string[]): Promise<number> {
  const { flags: f, config, out } = planTrain(argv);
  const engine = await getEngine(f.engine as EngineName | undefined);
  const bar = f.quiet ? undefined : new ProgressBar({ stepsPerInstance: config.train.steps, instances: config.instances.length });
  const what = `${config.instances.length} instance(s) of ${config.model.kind} n=${config.model.n} m=${config.model.m}`;
  // Announced on the first step, so a run that comes from the cache never claims to be training.
  let announced = false;
  const announce = () => {
    if (!announced) process.stderr.write(`training ${what}, ${config.train.steps} steps, batch ${config.train.batch} on ${engine.describe()}\n`);
    announced = true;
  };
  const run = await trainRun(config, { engine, fresh: !!f.fresh, onProgress: (p) => { announce(); bar?.update(p); } });
  if (!run.cached) announce();
  const how = run.cached ? `loaded ${what} from the run cache (trained earlier in ${run.seconds.toFixed(1)} s on ${run.engine})` : `trained in ${run.seconds.toFixed(1)} s`;
  if (bar && announced) bar.finish(how);
  else process.stderr.write(`${how}\n`);

  const dir = out ?? resolve(join(outDir(), 'runs', run.key));
  // figures of the run being replaced would no longer match its weights
  if (out && f.force) for (const k of FIGURE_KINDS) rmSync(join(dir, `${k}.png`), { force: true });
  saveRun(dir, run);
  const rows = run.instances.map((t) => {
    const m = instanceMetrics(t.params);
    return [instanceLabel(t.config), t.finalLoss.toExponential(3), `${m.represented}/${config.model.n}`, m.dimensionsPerFeature.toFixed(3)];
  });
  const head = ['instance', 'final loss', 'represented', 'D*'];
  const w = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const fmt = (r: string[]) => r.map((c, k) => c.padEnd(w[k])).join('  ').trimEnd();
  process.stdout.write([fmt(head), ...rows.map(fmt)].join('\n') + '\n');
  const shown = shownPath(dir);
  // m = 2 models are best seen as directions in the plane (the paper's pentagon/antipodal pictures).
  const kind = config.model.m === 2 ? 'directions' : 'norms';
  process.stdout.write(`wrote ${shown}/{config,weights,metrics}.json\nfigure: tms figure --run ${shown} --kind ${kind}\n`);
  return 0;
}
