// The command-line mistakes `tms train` and `tms figure` refuse before they train or render, with what each
// one-line message must contain. tests/cli-bad-inputs.test.ts checks them; scripts/bad-inputs.ts lists them,
// with the messages actually produced, in docs/bad-inputs.md. Paths are relative to the repository root.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { planTrain } from '../../src/cli/train.js';
import { trainCommand } from '../../src/cli/commands.js';
import { planFigure } from '../../src/cli/figure.js';
import { parseFlags } from '../../src/cli/args.js';
import { REPO_ROOT } from '../../src/paths.js';
import type { BadInput } from './bad-inputs.js';

/** Runs `check` in `dir` (the repository root, or a fresh temp directory, removed after), so the paths it shows are stable. */
const inDir = (dir: () => string, check: () => unknown) => () => {
  const cwd = process.cwd();
  const d = dir();
  process.chdir(d);
  try {
    return check();
  } finally {
    process.chdir(cwd);
    if (d !== REPO_ROOT) rmSync(d, { recursive: true, force: true });
  }
};
const repo = () => REPO_ROOT;
/** A fresh temp directory holding `files` (name → content). */
const scratch = (files: Record<string, string>) => () => {
  const dir = mkdtempSync(join(tmpdir(), 'tms-bad-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
};

const train = (input: string, argv: string[], shows: string, allowed: string, where = repo): BadInput =>
  ({ group: 'command line', input: `tms train ${input}`, run: inDir(where, () => planTrain(argv)), shows, allowed });
const figure = (input: string, argv: string[], shows: string, allowed: string, where = repo): BadInput =>
  ({ group: 'command line', input: `tms figure ${input}`, run: inDir(where, () => planFigure(argv)), shows, allowed });

export const CLI_CASES: BadInput[] = [
  { group: 'command line', input: 'tms train --stpes 100', run: () => parseFlags(trainCommand, ['--stpes', '100']), shows: 'unknown flag --stpes (did you mean --steps?)', allowed: 'allowed flags: --config' },
  train('--importance 2', ['--importance', '2'], '--importance must be a decay in (0, 1]', 'got 2'),
  train('--importance 0', ['--importance', '0'], '--importance must be a decay in (0, 1]', 'got 0'),
  train('--seeds 1,2,1', ['--seeds', '1,2,1'], '--seeds 1,2,1: 1 is given twice', 'each value must be distinct'),
  train('--sparsity 0.9,0.9', ['--sparsity', '0.9,0.9'], '--sparsity 0.9,0.9: 0.9 is given twice', 'each value must be distinct'),
  train('--out package.json (a file)', ['--out', 'package.json'], '--out package.json is a file', '--out must be a directory'),
  train('--out package.json/run (under a file)', ['--out', 'package.json/run'], 'package.json is a file', '--out must be a directory path'),
  train('--out run (run/ holds a run)', ['--out', 'run'], '--out run already holds a run (config.json)', 'add --force to overwrite it', scratch({ 'run/config.json': '{}' })),
  train('--config run.json (misses model.kind, model.n, model.m, data and 3 instance fields)', ['--config', 'run.json'],
    'model.kind = undefined (missing)', 'must be one of linear', scratch({ 'run.json': JSON.stringify({ namespace: 'x', model: {}, instances: [{}] }) })),
  train('--config run.json (not JSON)', ['--config', 'run.json'], '--config: run.json', 'is not valid JSON', scratch({ 'run.json': '{model: 1}' })),
  figure('--run DIR --kind norms --out fig.jpg', ['--run', 'out/runs/demo', '--kind', 'norms', '--out', 'fig.jpg'], '--out must be a .png file', 'got "fig.jpg"'),
  figure('--run DIR --kind norms --out fig (no extension)', ['--run', 'out/runs/demo', '--kind', 'norms', '--out', 'fig'], '--out must be a .png file', 'got "fig"'),
  figure('--run DIR --kind norms --out fig.png (a directory)', ['--run', 'out/runs/demo', '--kind', 'norms', '--out', 'fig.png'], '--out fig.png is a directory', '--out must be a .png file path',
    scratch({ 'fig.png/keep': '' })),
  figure('--kind norms (no --run)', ['--kind', 'norms'], '--run DIR is required', 'a directory written by `tms train`'),
];
