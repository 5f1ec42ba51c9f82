// The run cache under abuse: corrupt or truncated entries are detected and retrained, writes are atomic,
// concurrent processes that need the same run train it once and all get the same bits, a lock left by a
// dead process is taken over, and diverged runs never land in the cache.
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunConfig } from '../src/types.js';
import { DEFAULT_TRAIN } from '../src/types.js';
import { canonicalJson, codeVersion, readCache, runKey, withTrainLock, writeCache, atomicWrite } from '../src/cache.js';
import { variantKey } from '../src/engines/native/setup.js';
import { mutantVariant } from '../src/mutants.js';
import { forgetRuns, trainRun } from '../src/train.js';
import { NativeEngine } from '../src/engines/native/index.js';
import { closePool } from '../src/engines/native/pool.js';
import { TrainingDivergedError } from '../src/instance.js';
import { trainInstance } from '../src/engines/native/train-instance.js';
import { weightsHash } from './helpers/weights-hash.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const engine = new NativeEngine({ threads: 1 });

function tiny(namespace = 'cache-test', steps = 50): RunConfig {
  const n = 6;
  return {
    namespace,
    model: { kind: 'relu-output', n, m: 3 },
    data: { kind: 'independent' },
    train: { ...DEFAULT_TRAIN, steps, batch: 32 },
    instances: [1, 2].map((seed) => ({ sparsity: 0.7, importance: Array.from({ length: n }, (_, i) => 0.8 ** i), seed })),
  };
}

let dir: string;
const oldDir = process.env.TMS_CACHE_DIR;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tms-cache-test-'));
  process.env.TMS_CACHE_DIR = dir;
  forgetRuns();
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
  if (oldDir === undefined) delete process.env.TMS_CACHE_DIR;
  else process.env.TMS_CACHE_DIR = oldDir;
});
afterAll(() => closePool());

const files = () => readdirSync(dir).sort();
const entryFile = (key: string) => join(dir, `${key}.json`);
function captureStderr(): string[] {
  const lines: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => (lines.push(String(chunk)), true));
  return lines;
}
/** Runs `npx tsx <script> args…` and resolves with its stdout. */
function tsx(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn('npx', ['--no-install', 'tsx', script, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${script} exited ${code}: ${err}`))));
  });
}

describe('corrupt entries are detected and retrained', () => {
  const corruptions: [string, (text: string) => string, RegExp][] = [
    ['truncated to half', (t) => t.slice(0, t.length / 2), /checksum mismatch/],
    ['cut just after the checksum line', (t) => t.slice(0, t.indexOf('\n') + 1), /checksum mismatch/],
    ['empty', () => '', /no checksum line/],
    ['one byte of a weight changed', (t) => t.replace(/"W":"(.)/, (_, c) => `"W":"${c === 'A' ? 'B' : 'A'}`), /checksum mismatch/],
    ['garbage', () => 'not a cache entry', /no checksum line/],
    ['valid checksum, wrong weight shape', (t) => resum(t, (s) => ({ ...s, instances: s.instances.map((e: any) => ({ ...e, W: Buffer.from(new Float32Array(2).buffer).toString('base64') })) })), /wrong shape/],
    ['valid checksum, an instance missing', (t) => resum(t, (s) => ({ ...s, instances: s.instances.slice(1) })), /holds 1 instances, the config 2/],
    ['valid checksum, NaN weights', (t) => resum(t, (s) => ({ ...s, instances: s.instances.map((e: any) => ({ ...e, b: Buffer.from(new Float32Array(6).fill(NaN).buffer).toString('base64') })) })), /non-finite/],
  ];
  function resum(text: string, edit: (s: any) => any): string {
    const body = JSON.stringify(edit(JSON.parse(text.slice(text.indexOf('\n') + 1))));
    return `${createHash('sha256').update(body).digest('hex')}\n${body}`;
  }

  for (const [what, corrupt, reason] of corruptions) {
    it(what, async () => {
      const first = await trainRun(tiny(), { engine });
      expect(first.cached).toBe(false);
      const path = entryFile(first.key);
      writeFileSync(path, corrupt(readFileSync(path, 'utf8')));
      forgetRuns();
      const err = captureStderr();
      const again = await trainRun(tiny(), { engine });
      vi.restoreAllMocks();
      expect(again.cached).toBe(false); // retrained, not served from the broken entry
      expect(err.join('')).toMatch(new RegExp(`cache entry .*${first.key}\\.json is corrupt \\(.*\\); retraining`));
      expect(err.join('')).toMatch(reason);
      expect(weightsHash(again.instances)).toBe(weightsHash(first.instances));
      // The retrained entry is whole and valid, and nothing else is left behind.
      expect(readCache(first.key, tiny())).toBeDefined();
      expect(files()).toEqual([`${first.key}.json`]);
      forgetRuns();
      expect((await trainRun(tiny(), { engine })).cached).toBe(true);
    });
  }
});

describe('atomic writes', () => {
  it('writeCache leaves exactly one entry and no temp files; a failed write leaves no temp file', async () => {
    const run = await trainRun(tiny(), { engine });
    writeCache(run.key, tiny(), 'native', 1, run.instances);
    expect(files()).toEqual([`${run.key}.json`]);
    expect(() => atomicWrite(join(dir, 'no-such-dir', 'x.json'), 'x')).toThrow(/ENOENT/);
    mkdirSync(join(dir, 'is-a-dir.json'));
    expect(() => atomicWrite(join(dir, 'is-a-dir.json'), 'x')).toThrow();
    expect(files().filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a reader never sees a half-written entry while another process rewrites it', async () => {
    const config: RunConfig = { ...tiny(), model: { kind: 'relu-output', n: 500, m: 1000 }, instances: [{ sparsity: 0.5, importance: new Array(500).fill(1), seed: 1 }] };
    const cfgFile = join(dir, 'config.json.in');
    writeFileSync(cfgFile, JSON.stringify(config));
    const key = runKey(config, 'native');
    const err = captureStderr();
    const writer = tsx(join('tests', 'helpers', 'cache-writer.ts'), [cfgFile, '60'], { TMS_CACHE_DIR: dir });
    let reads = 0;
    let hits = 0;
    let finished = false;
    writer.finally(() => (finished = true)).catch(() => {});
    while (!finished) {
      const hit = readCache(key, config);
      reads++;
      if (hit) {
        hits++;
        const v = hit.instances[0].params.W[0];
        expect(hit.instances[0].params.W.every((x) => x === v)).toBe(true); // one write's content, not a mix
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    await writer;
    vi.restoreAllMocks();
    expect(err.join('')).not.toMatch(/corrupt/);
    expect(reads).toBeGreaterThan(5);
    expect(hits).toBeGreaterThan(0);
  }, 60_000);
});

describe('concurrent processes', () => {
  it('4 processes needing the same run: one trains, the others wait on the lock, all get identical bits', async () => {
    const config = tiny('cache-test/concurrent', 300);
    const cfgFile = join(dir, 'config.json.in');
    writeFileSync(cfgFile, JSON.stringify(config));
    const barrier = mkdtempSync(join(tmpdir(), 'tms-barrier-'));
    try {
      const N = 4;
      const outs = await Promise.all(Array.from({ length: N }, () =>
        tsx(join('tests', 'helpers', 'cache-worker.ts'), [cfgFile, barrier, String(N), '1500'], { TMS_CACHE_DIR: dir, TMS_THREADS: '1' })));
      const results = outs.map((o) => JSON.parse(o.trim().split('\n').at(-1)!) as { pid: number; cached: boolean; hash: string; start: number; end: number });
      const trainers = results.filter((r) => !r.cached);
      expect(trainers).toHaveLength(1);
      expect(new Set(results.map((r) => r.hash)).size).toBe(1);
      // The others started before the trainer finished (so the entry did not exist yet): they waited on the lock.
      for (const r of results.filter((x) => x.cached)) expect(r.start).toBeLessThan(trainers[0].end);
      // The entry is valid, equal to a fresh in-process training, and no lock or temp file is left.
      const key = runKey(config, 'native');
      expect(files()).toEqual([`${key}.json`, 'config.json.in'].sort());
      const hit = readCache(key, config)!;
      expect(weightsHash(hit.instances)).toBe(results[0].hash);
      expect(weightsHash(await engine.train(config))).toBe(results[0].hash);
    } finally {
      rmSync(barrier, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('locks', () => {
  const deadPid = () => Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }));

  for (const [format, content] of [['pid host', (pid: number) => `${pid} ${hostname()}`], ['pid only (older format)', (pid: number) => String(pid)]] as const) {
    it(`a lock left by a dead process is taken over (${format})`, async () => {
      const config = tiny();
      const key = runKey(config, 'native');
      const pid = deadPid();
      writeFileSync(join(dir, `${key}.lock`), content(pid));
      const err = captureStderr();
      const run = await trainRun(config, { engine });
      vi.restoreAllMocks();
      expect(run.cached).toBe(false);
      expect(err.join('')).toContain(`took over stale lock`);
      expect(err.join('')).toContain(`owner process ${pid} is gone`);
      expect(files()).toEqual([`${key}.json`]);
    });
  }

  it('a lock held by a live process is waited for, and taken over once that process dies', async () => {
    const config = tiny();
    const key = runKey(config, 'native');
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 1500)']);
    writeFileSync(join(dir, `${key}.lock`), `${holder.pid} ${hostname()}`);
    const t0 = Date.now();
    const err = captureStderr();
    const run = await trainRun(config, { engine });
    vi.restoreAllMocks();
    expect(Date.now() - t0).toBeGreaterThan(1000);
    expect(run.cached).toBe(false);
    expect(err.join('')).toContain(`owner process ${holder.pid} is gone`);
  });

  it('a live lock on another host is never taken over; its release lets the waiter re-read the cache', async () => {
    const key = 'k'.repeat(24);
    const lock = join(dir, `${key}.lock`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(lock, `${deadPid()} some-other-host`);
    let worked = false;
    const p = withTrainLock(key, async () => (worked = true));
    await new Promise((r) => setTimeout(r, 600));
    expect(worked).toBe(false);
    expect(existsSync(lock)).toBe(true);
    rmSync(lock);
    expect(await p).toBeUndefined(); // released: the caller re-reads the cache
    expect(worked).toBe(false);
  });

  it('a lock released while its work throws leaves no lock behind', async () => {
    await expect(withTrainLock('e'.repeat(24), async () => {
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(files()).toEqual([]);
  });
});

describe('diverged runs', () => {
  // Adam normalises step sizes, so a large lr alone does not diverge; a gradient beyond Float32's range
  // does: importance 1e300 makes the first step's gradient Inf, the weights NaN, and step 1's loss NaN.
  const diverging = (): RunConfig => {
    const c = tiny('cache-test/diverge');
    c.instances[1].importance = new Array(6).fill(1e300);
    return c;
  };

  it('training stops with TrainingDivergedError naming the instance and step', () => {
    const c = diverging();
    const job = { namespace: c.namespace, model: c.model, data: c.data, train: c.train, inst: c.instances[1], index: 1 };
    expect(() => trainInstance(job)).toThrow(TrainingDivergedError);
    expect(() => trainInstance(job)).toThrow(/instance 1 produced loss NaN at step 1; nothing was cached/);
    // Weights that go non-finite on the last step are caught after the loop.
    expect(() => trainInstance({ ...job, train: { ...c.train, steps: 1 } })).toThrow(/instance 1 produced non-finite weight NaN at step 1/);
  });

  for (const threads of [1, 2]) {
    it(`a diverged run never lands in the cache (${threads === 1 ? 'in-thread' : 'worker threads'})`, async () => {
      const e = await trainRun(diverging(), { engine: new NativeEngine({ threads }) }).catch((x) => x);
      expect(e).toBeInstanceOf(TrainingDivergedError);
      expect(e).toMatchObject({ instance: 1, step: 1 });
      expect(files()).toEqual([]); // no entry, no lock, no temp file
      // And the failure is not memoised: a fixed config trains.
      expect((await trainRun(tiny('cache-test/diverge'), { engine })).cached).toBe(false);
    }, 60_000);
  }
});

describe('cache key', () => {
  it('is unchanged when no mutant is active, differs per mutant', () => {
    const c = tiny();
    const plain = runKey(c, 'native');
    expect(plain).toBe(createHash('sha256').update(canonicalJson({ config: c, engine: 'native', code: codeVersion() })).digest('hex').slice(0, 24));
    const sgd = runKey(c, 'native', variantKey(mutantVariant('sgd')));
    const untied = runKey(c, 'native', variantKey(mutantVariant('untied')));
    expect(new Set([plain, sgd, untied]).size).toBe(3);
  });
});
