// The `tms train` / `tms figure` details a user trips over: run directories as --config, defaults for omitted
// train fields, --out safety, the cache message, "did you mean", the m = 2 hint, n/a interference.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/paths.js';
import { DEFAULT_TRAIN, type Params } from '../src/types.js';
import { interference } from '../src/metrics/features.js';
import { planTrain } from '../src/cli/train.js';
import { instanceMetrics, NO_DIRECTION, reportedInterference } from '../src/cli/run-files.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'tms-cli-details-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function tms(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, TMS_OUT_DIR: join(tmp, 'out'), TMS_CACHE_DIR: join(tmp, 'cache'), TMS_THREADS: '1', TMS_ENGINE: '', TMS_TIER: '' };
  return promisify(execFile)(process.execPath, [join(REPO_ROOT, 'bin', 'tms.mjs'), ...args], { cwd: tmp, env })
    .then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }));
}

/** planTrain with `tmp` as working directory. */
function plan(...argv: string[]) {
  const cwd = process.cwd();
  process.chdir(tmp);
  try {
    return planTrain(argv);
  } finally {
    process.chdir(cwd);
  }
}

const TINY = ['--n', '5', '--m', '2', '--sparsity', '0,0.9', '--importance', '0.9', '--seeds', '1,2', '--steps', '100', '--batch', '64'];

describe('tms train: a run directory as --config, the cache message, --out', () => {
  it('a second train of the same run says it loaded from the cache, never "training"; its config.json is a --config', async () => {
    const first = await tms('train', ...TINY, '--out', 'run');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/^training 4 instance\(s\) of relu-output n=5 m=2, 100 steps/);
    expect(first.stderr).toMatch(/trained in [\d.]+ s/);
    // m = 2: the useful picture is the directions in the plane
    expect(first.stdout).toContain('figure: tms figure --run run --kind directions\n');

    const [file, dir] = await Promise.all([tms('train', '--config', 'run/config.json', '--out', 'again'), tms('train', '--config', 'run', '--out', 'again-dir', '--quiet')]);
    for (const r of [file, dir]) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toContain('training');
      expect(r.stderr).toMatch(/^loaded 4 instance\(s\) of relu-output n=5 m=2 from the run cache \(trained earlier in [\d.]+ s on native-f32\)\n$/);
    }
    const cfg = (d: string) => JSON.parse(readFileSync(join(tmp, d, 'config.json'), 'utf8'));
    expect(cfg('again').config).toEqual(cfg('run').config);
    expect(cfg('again').key).toBe(cfg('run').key);
    expect(readFileSync(join(tmp, 'again', 'weights.json'), 'utf8')).toBe(readFileSync(join(tmp, 'run', 'weights.json'), 'utf8'));

    // an existing run is overwritten only with --force
    const refused = await tms('train', ...TINY, '--out', 'run');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('tms train: error: --out run already holds a run (config.json, weights.json, metrics.json); add --force to overwrite it, or choose another --out\n');
    writeFileSync(join(tmp, 'run', 'norms.png'), 'a figure of the old run');
    const forced = await tms('train', ...TINY, '--out', 'run', '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(existsSync(join(tmp, 'run', 'norms.png')), 'a stale figure is removed').toBe(false);
  }, 60_000);

  it('--out onto a file is refused before training (a run of 10⁶ steps would not finish in time)', async () => {
    writeFileSync(join(tmp, 'a-file'), 'x');
    const r = await tms('train', '--n', '5', '--m', '2', '--steps', '1000000', '--out', 'a-file');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('tms train: error: --out a-file is a file; --out must be a directory (new, or an existing run with --force)\n');
    expect(readFileSync(join(tmp, 'a-file'), 'utf8')).toBe('x');
  }, 20_000);

  it('m ≠ 2: the hint names --kind norms', async () => {
    const r = await tms('train', '--n', '4', '--m', '3', '--steps', '20', '--batch', '16', '--quiet', '--out', 'm3');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('figure: tms figure --run m3 --kind norms\n');
  }, 30_000);
});

describe('config files', () => {
  const base = { namespace: 'x', model: { kind: 'linear', n: 2, m: 1 }, data: { kind: 'independent' }, instances: [{ sparsity: 0, importance: [1, 1], seed: 1 }] };

  it('omitted train fields take the defaults; given ones are kept', () => {
    writeFileSync(join(tmp, 'no-train.json'), JSON.stringify(base));
    writeFileSync(join(tmp, 'some-train.json'), JSON.stringify({ ...base, train: { steps: 7, lr: 0.01 } }));
    expect(plan('--config', 'no-train.json').config.train).toEqual(DEFAULT_TRAIN);
    expect(plan('--config', 'some-train.json').config.train).toEqual({ ...DEFAULT_TRAIN, steps: 7, lr: 0.01 });
  });

  it('every missing field is named, with no "(and N more)"', () => {
    writeFileSync(join(tmp, 'sparse.json'), JSON.stringify({ model: {}, instances: [{}, {}] }));
    let msg = '';
    try {
      plan('--config', 'sparse.json');
    } catch (e) {
      msg = (e as Error).message;
    }
    const missing = ['namespace', 'model.kind', 'model.n', 'model.m', 'data', ...[0, 1].flatMap((i) => ['sparsity', 'importance', 'seed'].map((k) => `instances[${i}].${k}`))];
    for (const f of missing) expect(msg).toContain(`${f} = undefined (missing)`);
    expect(msg).not.toContain('more)');
  });
});

describe('tms figure and the flag parser', () => {
  it('a .jpg --out is refused and nothing is written; the error has one prefix', async () => {
    const [jpg, noRun] = await Promise.all([tms('figure', '--run', 'run', '--kind', 'norms', '--out', 'fig.jpg'), tms('figure', '--kind', 'norms')]);
    expect(jpg.code).toBe(2);
    expect(jpg.stderr).toBe('tms figure: error: --out must be a .png file (figures are rendered as PNG); got "fig.jpg"\n');
    expect(existsSync(join(tmp, 'fig.jpg'))).toBe(false);
    expect(noRun.stderr).toMatch(/^tms figure: error: --run DIR is required/);
    expect(noRun.stderr).not.toMatch(/error: tms figure/);
  }, 30_000);

  it('a run directory with a foreign config.json or broken weights.json is a usage error, not a crash', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(tmp, 'foreign'), { recursive: true });
    writeFileSync(join(tmp, 'foreign', 'config.json'), JSON.stringify({ namespace: 'x' }));
    writeFileSync(join(tmp, 'foreign', 'weights.json'), '{}');
    mkdirSync(join(tmp, 'broken'), { recursive: true });
    writeFileSync(join(tmp, 'broken', 'config.json'), readFileSync(join(tmp, 'run', 'config.json')));
    writeFileSync(join(tmp, 'broken', 'weights.json'), JSON.stringify({ instances: [{ W: [] }] }));
    const [foreign, broken] = await Promise.all([tms('figure', '--run', 'foreign', '--kind', 'norms'), tms('figure', '--run', 'broken', '--kind', 'directions')]);
    expect(foreign.code, foreign.stderr).toBe(2);
    expect(foreign.stderr).toMatch(/^tms figure: error: --run: \S+config\.json has no "config" field, so it is not a run written by `tms train`\n$/);
    expect(broken.code, broken.stderr).toBe(2);
    expect(broken.stderr).toMatch(/^tms figure: error: --run: \S+weights\.json is not a run's weights/);
  }, 30_000);

  it('misspelled flags and commands get a "did you mean"', async () => {
    const [cmd, flag, far] = await Promise.all([tms('trian'), tms('train', '--stpes', '10'), tms('train', '--zzzzzz', '1')]);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toMatch(/^tms: error: unknown command "trian" \(did you mean tms train\?\)/);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/^tms train: error: unknown flag --stpes \(did you mean --steps\?\); allowed flags: /);
    expect(far.stderr).not.toContain('did you mean');
    expect(plan.bind(null, '--impotance', '0.9')).toThrow('did you mean --importance?');
    expect(plan.bind(null, '--weight_decay', '0.1')).toThrow('did you mean --weight-decay?');
    expect(plan.bind(null, '--kind', 'relu-outptu')).toThrow('--kind must be one of linear, relu-output, relu-hidden, abs; got "relu-outptu" (did you mean relu-output?)');
    expect(plan.bind(null, '--kind', 'relu')).toThrow(/got "relu"$/); // relu-output or relu-hidden: no guess
  }, 30_000);
});

describe('interference of a feature with norm ≈ 0 is n/a', () => {
  // n = 3, m = 2: W_0 = (1, 0), W_1 = (0.6, 0.8), W_2 = 1e-4 · (1, 0): its unit vector Ŵ_2 = (1, 0) is noise
  const p: Params = { kind: 'relu-output', n: 3, m: 2, W: Float32Array.from([1, 0, 0.6, 0.8, 1e-4, 0]), b: new Float32Array(3) };

  it('the raw metric would report a large interference for it; the CLI reports null', () => {
    expect(interference(p)[2]).toBeGreaterThan(1); // (Ŵ_2·W_0)² + (Ŵ_2·W_1)² = 1 + 0.36
    const shown = reportedInterference(p);
    expect(shown[2]).toBeNull();
    expect(shown[0]).toBeCloseTo(0.36, 5);
    expect(shown[1]).toBeCloseTo(0.36, 5);
    expect(instanceMetrics(p).interference).toEqual(shown);
    expect(1e-4).toBeLessThan(NO_DIRECTION);
    // JSON (metrics.json) keeps the null
    expect(JSON.parse(JSON.stringify(instanceMetrics(p))).interference[2]).toBeNull();
  });
});
