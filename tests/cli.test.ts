// The `tms` command line, run as a user runs it (node bin/tms.mjs): help, one-line errors with exit code 2,
// a tiny training run into a temp directory and a figure from it.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/paths.js';
import { parseFlags, UsageError } from '../src/cli/args.js';
import { trainCommand } from '../src/cli/commands.js';
import { selectSpecs } from '../src/cli/reproduce.js';

const run = promisify(execFile);
let tmp: string;

async function tms(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, TMS_OUT_DIR: join(tmp, 'out'), TMS_CACHE_DIR: join(tmp, 'cache'), TMS_THREADS: '1', TMS_ENGINE: '', TMS_TIER: '' };
  try {
    const r = await run(process.execPath, [join(REPO_ROOT, 'bin', 'tms.mjs'), ...args], { cwd: tmp, env });
    return { code: 0, ...r };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** A user error: exit code 2 and exactly one line on stderr, no stack trace. */
function expectUsageError(r: { code: number; stderr: string }, ...parts: (string | RegExp)[]) {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  for (const p of parts) expect(r.stderr).toMatch(p);
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'tms-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('tms --help', () => {
  it('lists the commands, and each command documents its flags', async () => {
    const top = await tms('--help');
    expect(top.code).toBe(0);
    for (const c of ['train', 'figure', 'reproduce', 'report']) expect(top.stdout).toContain(`  ${c} `);
    const helps = await Promise.all(['train', 'figure', 'reproduce', 'report'].map((c) => tms(c, '--help')));
    helps.forEach((h) => expect(h.code).toBe(0));
    expect(helps[0].stdout).toMatch(/^Usage: tms train/);
    expect(helps[0].stdout).toContain('--kind linear|relu-output|relu-hidden|abs');
    expect(helps[1].stdout).toContain('--kind norms|wtw|directions');
    expect(helps[2].stdout).toContain('--tier default|paper');
  });
});

describe('errors are one line, exit code 2', () => {
  it('unknown command, unknown flag, bad choice, bad number', async () => {
    const [cmd, flag, choice, num] = await Promise.all([
      tms('trian'),
      tms('train', '--nn', '3'),
      tms('train', '--kind', 'relu'),
      tms('train', '--steps', '1e3.5'),
    ]);
    expectUsageError(cmd, 'unknown command "trian"', 'train, figure, reproduce, report');
    expectUsageError(flag, '--nn', 'allowed flags: --config, --kind');
    expectUsageError(choice, '--kind must be one of linear, relu-output, relu-hidden, abs; got "relu"');
    expectUsageError(num, '--steps must be an integer');
  });

  it('config validation (validateRun) names the field and the flag; bad --config files and filters', async () => {
    writeFileSync(join(tmp, 'bad.json'), JSON.stringify({ namespace: 'x', model: { kind: 'linear', n: 3, m: 0 } }));
    const [sparsity, file, notJson, filter, tier] = await Promise.all([
      tms('train', '--sparsity', '1.5', '--steps', '10'),
      tms('train', '--config', 'bad.json'),
      tms('train', '--config', 'missing.json'),
      tms('reproduce', '--filter', 'C99'),
      tms('reproduce', '--tier', 'full'),
    ]);
    expectUsageError(sparsity, 'instances[0].sparsity = 1.5: must be a number in [0, 1) (set by --sparsity)');
    // validateRun lists every problem of a config file, one per line; still no stack trace
    expect(file.code, file.stderr).toBe(2);
    expect(file.stderr).toMatch(/^tms train: error: invalid run config: model\.m = 0: must be an integer in \[1, 10000\]/);
    expect(file.stderr).not.toMatch(/\n\s+at /);
    expectUsageError(notJson, '--config: cannot read missing.json');
    expectUsageError(filter, '--filter C99: no spec for C99 in specs/; claims with specs: C1');
    expectUsageError(tier, '--tier must be one of default, paper');
  });

  it('parseFlags: --flag=value, lists, booleans', () => {
    expect(parseFlags(trainCommand, ['--n=5', '--seeds', '1,2,3', '--sparsity', '0.9', '--fresh'])).toEqual({ n: 5, seeds: [1, 2, 3], sparsity: [0.9], fresh: true });
    expect(() => parseFlags(trainCommand, ['--seeds', '1,,2'])).toThrow(UsageError);
    expect(() => parseFlags(trainCommand, ['--n'])).toThrow('--n needs an integer');
    expect(() => parseFlags(trainCommand, ['--n', '3', '--n', '4'])).toThrow('--n is given twice');
    expect(() => parseFlags(trainCommand, ['5'])).toThrow('unexpected argument "5"');
  });

  it('reproduce --filter selects spec files by claim id, sub-claims by test name', () => {
    const files = ['specs/c1-five.spec.ts', 'specs/c2-linear.spec.ts', 'specs/c2-relu-output.spec.ts'];
    expect(selectSpecs(undefined, files)).toEqual({ files });
    expect(selectSpecs('C2', files)).toEqual({ files: files.slice(1), pattern: undefined });
    const { files: f, pattern } = selectSpecs('C2.3,C1', files);
    expect(f).toEqual(['specs/c2-linear.spec.ts', 'specs/c2-relu-output.spec.ts', 'specs/c1-five.spec.ts']);
    const re = new RegExp(pattern!);
    expect(re.test('C2 ReLU > C2.3 from S = 0.7 on')).toBe(true);
    expect(re.test('C2 ReLU > C2.4 least important')).toBe(false);
    expect(re.test('C1 five features > C1.2 S=0.8')).toBe(true);
    expect(() => selectSpecs('2', files)).toThrow('--filter must be claim ids');
  });
});

describe('tms train → tms figure', () => {
  it('trains a tiny model into --out, then renders its figures', async () => {
    const dir = join(tmp, 'run');
    const r = await tms('train', '--kind', 'relu-output', '--n', '5', '--m', '2', '--sparsity', '0,0.9', '--importance', '0.9',
      '--seeds', '1,2', '--steps', '200', '--batch', '256', '--out', dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/100% · step 800\/800 \(4 × 200\) · \d+ steps\/s · ETA/);
    expect(r.stdout).toMatch(/S = 0\.9, seed 2\s+\S+\s+\d\/5/);

    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ engine: 'native-f32', cached: false, config: { model: { kind: 'relu-output', n: 5, m: 2 }, train: { steps: 200, batch: 256 } } });
    expect(config.config.instances).toHaveLength(4);
    const weights = JSON.parse(readFileSync(join(dir, 'weights.json'), 'utf8'));
    expect(weights.instances[3]).toMatchObject({ seed: 2, sparsity: 0.9 });
    expect(weights.instances[3].W).toHaveLength(5);
    expect(weights.instances[3].W[0]).toHaveLength(2);
    expect(weights.instances[3].b).toHaveLength(5);
    const metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'));
    const m0 = metrics.instances[0];
    for (const k of ['norms', 'interference', 'dimensionality']) expect(m0[k]).toHaveLength(5);
    expect(m0.dimensionsPerFeature).toBeGreaterThan(0);
    expect(Number.isInteger(m0.represented)).toBe(true);

    const [norms, dirs, wtw] = await Promise.all([
      tms('figure', '--run', dir, '--kind', 'norms'),
      tms('figure', '--run', dir, '--kind', 'directions', '--out', join(tmp, 'dirs.png')),
      tms('figure', '--run', dir, '--kind', 'wtw', '--scale', '1'),
    ]);
    for (const f of [norms, dirs, wtw]) expect(f.code, f.stderr).toBe(0);
    for (const p of [join(dir, 'norms.png'), join(tmp, 'dirs.png'), join(dir, 'wtw.png')]) {
      expect(readFileSync(p).subarray(1, 4).toString()).toBe('PNG');
    }
  }, 60_000);

  it('a figure of a missing run, or directions of an m ≠ 2 model, is a usage error', async () => {
    const dir = join(tmp, 'run-m3');
    const t = await tms('train', '--n', '4', '--m', '3', '--steps', '20', '--batch', '32', '--quiet', '--out', dir);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stderr).not.toContain('steps/s');
    const [missing, dirs] = await Promise.all([tms('figure', '--run', join(tmp, 'nope'), '--kind', 'norms'), tms('figure', '--run', dir, '--kind', 'directions')]);
    expectUsageError(missing, 'config.json not found', 'tms train --out');
    expectUsageError(dirs, '--kind directions needs a model with m = 2');
    expect(existsSync(join(dir, 'directions.png'))).toBe(false);
  }, 60_000);
});
