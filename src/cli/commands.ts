// The commands' flags and help texts (tms --help, tms <command> --help): what main.ts needs before it
// loads a command's module, so help and usage errors start fast (a command's module can pull in the
// figures' Vega, the engines, zod).
import { DEFAULT_TRAIN } from '../types.js';
import { MODEL_KINDS } from '../models.js';
import { ENGINE_NAMES } from '../engines/select.js';
import { TIERS } from '../tier.js';
import type { CommandSpec } from './args.js';

export const FIGURE_KINDS = ['norms', 'wtw', 'directions'] as const;
export type FigureKind = (typeof FIGURE_KINDS)[number];

export const trainCommand: CommandSpec = {
  name: 'train',
  brief: 'train one model configuration; save weights, metrics and config',
  usage: 'tms train [--kind K --n N --m M --sparsity S --importance D --seeds 1,2,3 ...] | --config FILE|DIR [--out DIR [--force]]',
  summary:
    'Train one run (one independent model per sparsity × seed) and save config.json, weights.json and\n' +
    'metrics.json (‖W_i‖, interference, D_i, D*, represented count) to --out. Runs are cached: training the\n' +
    'same config again loads it from .cache/runs unless --fresh.',
  flags: {
    config: { type: 'string', value: 'FILE|DIR', help: 'a RunConfig JSON file (src/types.ts; omitted train fields take the defaults) or a run directory, instead of the model/data/training flags' },
    kind: { type: 'choice', choices: MODEL_KINDS, default: 'relu-output', help: 'model family' },
    n: { type: 'int', value: 'N', default: '20', help: 'number of features' },
    m: { type: 'int', value: 'M', default: '5', help: 'hidden dimensions' },
    sparsity: { type: 'numbers', value: 'S[,S...]', default: '0.9', help: 'feature sparsity S in [0, 1); a list trains one instance per value' },
    importance: { type: 'number', value: 'DECAY', default: '1', help: 'importance of feature i is DECAY^i, DECAY in (0, 1] (0.7 in the paper\'s n=20 figures)' },
    seeds: { type: 'ints', value: '1,2,3', default: '1', help: 'seeds; one instance per seed (and per sparsity)' },
    steps: { type: 'int', value: 'N', default: String(DEFAULT_TRAIN.steps), help: 'training steps' },
    batch: { type: 'int', value: 'N', default: String(DEFAULT_TRAIN.batch), help: 'batch size' },
    lr: { type: 'number', value: 'LR', default: String(DEFAULT_TRAIN.lr), help: 'AdamW learning rate' },
    'weight-decay': { type: 'number', value: 'WD', default: String(DEFAULT_TRAIN.weightDecay), help: 'AdamW weight decay' },
    namespace: { type: 'string', value: 'NAME', default: 'cli', help: 'seed namespace (claims use their id, e.g. C2/linear)' },
    engine: { type: 'choice', choices: ENGINE_NAMES, default: '$TMS_ENGINE or native-f32', help: 'training engine' },
    out: { type: 'string', value: 'DIR', default: 'out/runs/<cache key>', help: 'where to write the run (a new directory, or an existing run with --force)' },
    force: { type: 'bool', help: 'let --out overwrite an existing run' },
    fresh: { type: 'bool', help: 'retrain even when the run is cached' },
    quiet: { type: 'bool', help: 'no progress bar' },
  },
  examples: [
    'tms train --kind relu-output --n 20 --m 5 --sparsity 0.9 --importance 0.7 --seeds 1,2,3 --out out/runs/demo',
    'tms train --kind relu-output --n 5 --m 2 --sparsity 0,0.8,0.9 --importance 0.9 --out out/runs/c1',
    'tms train --config my-run.json --engine tfjs',
  ],
};

export const figureCommand: CommandSpec = {
  name: 'figure',
  brief: 'render a figure (norms, wtw, directions) of a saved run',
  usage: 'tms figure --run DIR --kind norms|wtw|directions [--out FILE.png]',
  summary:
    'Render a figure of a saved run, one panel per instance:\n' +
    '  norms       ‖W_i‖ bars coloured by superposition (the paper\'s feature-norm chart)\n' +
    '  wtw         WᵀW and the bias b\n' +
    '  directions  each feature\'s direction W_i in the plane (m = 2 models only)',
  flags: {
    run: { type: 'string', value: 'DIR', help: 'a run directory written by `tms train`' },
    kind: { type: 'choice', choices: FIGURE_KINDS, help: 'which figure' },
    out: { type: 'string', value: 'FILE.png', default: 'DIR/<kind>.png', help: 'output PNG' },
    scale: { type: 'number', value: 'X', default: '2', help: 'pixel scale' },
  },
  examples: ['tms figure --run out/runs/demo --kind norms', 'tms figure --run out/runs/c1 --kind directions --out c1.png'],
};

export const reproduceCommand: CommandSpec = {
  name: 'reproduce',
  brief: 'run the claim specs and write the claims report (out/report/<tier>/)',
  usage: 'tms reproduce [--tier default|paper] [--filter C2[,C8.1,…]] [--engine native|native-f32|tfjs|webgpu|auto]',
  summary:
    'Train every claim\'s models and check the claims (the specs in specs/), then write the claims report:\n' +
    'out/report/<tier>/index.html (self-contained) and out/report/<tier>/summary.md. Trained runs are cached in .cache/runs,\n' +
    'so a second run only re-checks. Exit code 0 when every claim holds, 1 otherwise.',
  flags: {
    tier: { type: 'choice', choices: TIERS, default: '$TMS_TIER or default', help: 'default: CI budget on 2 cores; paper: the paper\'s settings' },
    filter: { type: 'string', value: 'IDS', help: 'only these claims or sub-claims, comma-separated (e.g. C2 or C2.3,C8)' },
    engine: { type: 'choice', choices: ENGINE_NAMES, default: '$TMS_ENGINE or native-f32', help: 'training engine' },
  },
  examples: ['npm run reproduce', 'npx tms reproduce --filter C8', 'npx tms reproduce --tier paper --filter C1'],
};

export const reportCommand: CommandSpec = {
  name: 'report',
  brief: 'rebuild the claims report from out/',
  usage: 'tms report [--tier default|paper]',
  summary:
    'Write out/report/<tier>/index.html and out/report/<tier>/summary.md from the recorded results (out/results/<tier>.json),\n' +
    'measurements (out/claims/<tier>/), golden figures (golden/) and failed comparisons (.artifacts/).',
  flags: {
    tier: { type: 'choice', choices: TIERS, default: '$TMS_TIER or default', help: 'which tier\'s results' },
  },
  examples: ['npx tms report', 'npx tms report --tier paper'],
};
