// The run cache under faults tests/cache.test.ts does not cover: a process SIGKILLed while training and while
// writing the entry (real child processes, frozen at that point so the kill lands there), waiters racing to
// take over a killed owner's lock, and a full or read-only cache directory (injected through cacheFs: ENOSPC
// after half the bytes, EROFS on every write). Each ends with the cache intact, no torn entry read back as
// valid, and one line that names the path and what to do.
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunConfig } from '../src/types.js';
import { cacheFs, forgetUnwritable, readCache, runKey } from '../src/cache.js';
import { forgetRuns, trainRun } from '../src/train.js';
import { NativeEngine } from '../src/engines/native/index.js';
import { closePool } from '../src/engines/native/pool.js';
import { tinyRun } from './helpers/tiny-run.js';
import { weightsHash } from './helpers/weights-hash.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const engine = new NativeEngine({ threads: 1 });
const config = (namespace = 'cache-faults', steps = 2000): RunConfig => ({ ...tinyRun(namespace, [1, 2]), train: { ...tinyRun('', []).train, steps } });

let dir: string;
let scratch: string;
const oldDir = process.env.TMS_CACHE_DIR;
const realFs = { ...cacheFs };
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tms-cache-faults-'));
  scratch = mkdtempSync(join(tmpdir(), 'tms-cache-faults-cfg-'));
  process.env.TMS_CACHE_DIR = dir;
  forgetRuns();
  forgetUnwritable();
});
afterEach(() => {
  Object.assign(cacheFs, realFs);
  vi.restoreAllMocks();
  for (const d of [dir, scratch]) rmSync(d, { recursive: true, force: true });
  if (oldDir === undefined) delete process.env.TMS_CACHE_DIR;
  else process.env.TMS_CACHE_DIR = oldDir;
});
afterAll(() => closePool());

const files = () => readdirSync(dir).sort();
function captureStderr(): string[] {
  const lines: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => (lines.push(String(chunk)), true));
  return lines;
}
const errno = (code: string) => Object.assign(new Error(`${code}: injected`), { code });

/** Starts `npx tsx <helper> args…` with this test's cache dir; resolves stdout/stderr on exit. */
function child(helper: string, args: string[]): { p: ChildProcess; out: () => string; done: Promise<{ code: number | null; signal: string | null; out: string; err: string }> } {
  const p = spawn('npx', ['--no-install', 'tsx', join('tests', 'helpers', helper), ...args], { cwd: ROOT, env: { ...process.env, TMS_CACHE_DIR: dir, TMS_THREADS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  p.stdout!.on('data', (d) => (out += d));
  p.stderr!.on('data', (d) => (err += d));
  return { p, out: () => out, done: new Promise((done) => p.on('close', (code, signal) => done({ code, signal, out, err }))) };
}
async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  for (const t0 = Date.now(); !ok(); await new Promise((r) => setTimeout(r, 10))) if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
}
/** The victim's real pid: npx → tsx → node; the lock names the process that trains. */
const lockOwner = (key: string) => Number(readFileSync(join(dir, `${key}.lock`), 'utf8').split(' ')[0]);
/** SIGKILLs the frozen victim (the process named in the lock) and waits until it is gone. */
async function killOwner(key: string, victim: ReturnType<typeof child>): Promise<number> {
  const pid = lockOwner(key);
  process.kill(pid, 'SIGKILL');
  await until(`process ${pid} to die`, () => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  });
  await victim.done;
  return pid;
}

describe('a process SIGKILLed', () => {
  it('while training leaves only its lock: the next run takes it over, trains, and caches a valid entry', async () => {
    const c = config();
    const key = runKey(c, 'native');
    writeFileSync(join(scratch, 'config.json'), JSON.stringify(c));
    const victim = child('cache-victim.ts', [join(scratch, 'config.json'), 'train']);
    await until('the victim to be training', () => victim.out().includes('training'));
    const pid = await killOwner(key, victim);
    expect(files()).toEqual([`${key}.lock`]); // no entry, no temp file
    expect(readFileSync(join(dir, `${key}.lock`), 'utf8')).toBe(`${pid} ${hostname()}`);
    expect(readCache(key, c)).toBeUndefined();
    const err = captureStderr();
    const run = await trainRun(c, { engine });
    vi.restoreAllMocks();
    expect(run.cached).toBe(false);
    expect(err).toEqual([`[tms] took over stale lock ${join(dir, `${key}.lock`)} (owner process ${pid} is gone)\n`]);
    expect(files()).toEqual([`${key}.json`]);
    expect(weightsHash(readCache(key, c)!.instances)).toBe(weightsHash(run.instances));
  }, 60_000);

  it('halfway through writing the entry leaves a torn temp file that is never read, and the taker-over removes it', async () => {
    const c = config('cache-faults/write', 50);
    const key = runKey(c, 'native');
    writeFileSync(join(scratch, 'config.json'), JSON.stringify(c));
    const victim = child('cache-victim.ts', [join(scratch, 'config.json'), 'write']);
    await until('the victim to be writing', () => /writing \S+\n/.test(victim.out()));
    const tmp = /writing (\S+)\n/.exec(victim.out())![1];
    const pid = await killOwner(key, victim);
    expect(files()).toEqual([`${key}.json.${pid}.${basename(tmp).split('.')[3]}.tmp`, `${key}.lock`].sort());
    expect(statSync(tmp).size).toBeGreaterThan(0);
    const err = captureStderr();
    expect(readCache(key, c)).toBeUndefined(); // the torn bytes are not the entry
    const run = await trainRun(c, { engine });
    vi.restoreAllMocks();
    expect(run.cached).toBe(false);
    expect(err).toEqual([`[tms] took over stale lock ${join(dir, `${key}.lock`)} (owner process ${pid} is gone; removed its partial file ${basename(tmp)})\n`]);
    expect(files()).toEqual([`${key}.json`]);
    forgetRuns();
    expect((await trainRun(c, { engine })).cached).toBe(true);
  }, 60_000);

  it('after its entry is in place but before it releases the lock: the entry is served as is, and the stale lock blocks nothing', async () => {
    const c = config('cache-faults/written', 50);
    const key = runKey(c, 'native');
    writeFileSync(join(scratch, 'config.json'), JSON.stringify(c));
    const victim = child('cache-victim.ts', [join(scratch, 'config.json'), 'written']);
    await until('the victim to have written', () => /written \S+\n/.test(victim.out()));
    const pid = await killOwner(key, victim);
    expect(files()).toEqual([`${key}.json`, `${key}.lock`].sort());
    const entry = readCache(key, c);
    expect(entry).toBeDefined(); // whole: the rename was the last step of the write
    const run = await trainRun(c, { engine });
    expect(run.cached).toBe(true);
    expect(weightsHash(run.instances)).toBe(weightsHash(entry!.instances));
    // The dead owner's lock is left, and taken over by the next process that must train this key.
    rmSync(join(dir, `${key}.json`));
    forgetRuns();
    const err = captureStderr();
    const again = await trainRun(c, { engine });
    vi.restoreAllMocks();
    expect(again.cached).toBe(false);
    expect(err).toEqual([`[tms] took over stale lock ${join(dir, `${key}.lock`)} (owner process ${pid} is gone)\n`]);
    expect(weightsHash(again.instances)).toBe(weightsHash(entry!.instances)); // same bits as the killed process trained
    expect(files()).toEqual([`${key}.json`]);
  }, 60_000);

  it('at any point of its life (killed after 0.2–3 s, wherever that lands): the cache holds a whole entry or none, and the next run gets the same bits', async () => {
    const c = config('cache-faults/anywhere', 3000);
    const key = runKey(c, 'native');
    writeFileSync(join(scratch, 'config.json'), JSON.stringify(c));
    const reference = weightsHash((await trainRun(c, { engine, fresh: true })).instances);
    for (const ms of [200, 900, 1600, 3000]) {
      rmSync(dir, { recursive: true, force: true });
      forgetRuns();
      const victim = child('cache-victim.ts', [join(scratch, 'config.json'), 'run']);
      await new Promise((r) => setTimeout(r, ms));
      victim.p.kill('SIGKILL'); // npx; the process that trains is its grandchild: kill the lock's owner too, if any
      try {
        process.kill(lockOwner(key), 'SIGKILL');
      } catch {
        /* no lock yet, or already released */
      }
      await victim.done;
      await new Promise((r) => setTimeout(r, 100)); // let the grandchild's exit land
      const entry = readCache(key, c);
      if (entry) expect(weightsHash(entry.instances), `killed after ${ms} ms: the entry left`).toBe(reference);
      const err = captureStderr();
      const run = await trainRun(c, { engine });
      vi.restoreAllMocks();
      expect(weightsHash(run.instances), `killed after ${ms} ms: the next run`).toBe(reference);
      expect(run.cached).toBe(entry !== undefined);
      expect(err.filter((l) => !l.includes('took over stale lock')), `killed after ${ms} ms: stderr`).toEqual([]);
      expect(files().filter((f) => f.endsWith('.tmp')), 'no temp file left').toEqual([]);
    }
  }, 120_000);

  it('while two other processes wait on its lock: exactly one takes over and trains, the other reads that entry', async () => {
    const c = config('cache-faults/race');
    const key = runKey(c, 'native');
    writeFileSync(join(scratch, 'config.json'), JSON.stringify(c));
    const victim = child('cache-victim.ts', [join(scratch, 'config.json'), 'train']);
    await until('the victim to be training', () => victim.out().includes('training'));
    const barrier = mkdtempSync(join(scratch, 'barrier-'));
    const waiters = [0, 1].map(() => child('cache-worker.ts', [join(scratch, 'config.json'), barrier, '2', '0']));
    await until('both waiters to be ready', () => readdirSync(barrier).length === 2);
    await new Promise((r) => setTimeout(r, 500)); // both now polling the victim's live lock
    const pid = await killOwner(key, victim);
    const ends = await Promise.all(waiters.map((w) => w.done));
    for (const e of ends) expect(e.code, e.err).toBe(0);
    const results = ends.map((e) => JSON.parse(e.out.trim().split('\n').at(-1)!) as { cached: boolean; hash: string });
    expect(results.map((r) => r.cached).sort()).toEqual([false, true]);
    expect(new Set(results.map((r) => r.hash)).size).toBe(1);
    const takeovers = ends.flatMap((e) => e.err.split('\n').filter((l) => l.includes('took over stale lock')));
    expect(takeovers).toEqual([`[tms] took over stale lock ${join(dir, `${key}.lock`)} (owner process ${pid} is gone)`]);
    expect(files()).toEqual([`${key}.json`]);
    expect(weightsHash(readCache(key, c)!.instances)).toBe(results[0].hash);
  }, 120_000);
});

describe('a cache directory that takes no writes', () => {
  it('full (ENOSPC after half the bytes): the run is returned uncached, one line names the entry, nothing partial is left', async () => {
    const write = realFs.writeFileSync;
    cacheFs.writeFileSync = ((path: string, data: string) => {
      if (!String(path).includes('.json.')) return write(path, data);
      write(path, data.slice(0, data.length >> 1));
      throw errno('ENOSPC');
    }) as typeof cacheFs.writeFileSync;
    const c = config('cache-faults/full', 50);
    const key = runKey(c, 'native');
    const err = captureStderr();
    const run = await trainRun(c, { engine });
    const other = await trainRun(config('cache-faults/full-2', 50), { engine });
    vi.restoreAllMocks();
    expect([run.cached, other.cached]).toEqual([false, false]);
    expect(weightsHash(run.instances)).toBe(weightsHash(await engine.train(c)));
    expect(err).toEqual([ // once per directory, not per run
      `[tms] cannot write the run cache at ${join(dir, `${key}.json`)} (ENOSPC: the disk is full); runs are trained but not cached and nothing partial is left: free space in ${dir}, or point TMS_CACHE_DIR at another directory (TMS_CACHE=off skips the cache)\n`,
    ]);
    expect(files()).toEqual([]); // no torn entry, temp file or lock
    // Space freed: the same process caches again once told so.
    Object.assign(cacheFs, realFs);
    forgetUnwritable();
    forgetRuns();
    expect((await trainRun(c, { engine })).cached).toBe(false);
    expect(files()).toEqual([`${key}.json`]);
  });

  it('full before even the lock can be written: the run still trains, and the line names the lock', async () => {
    cacheFs.writeFileSync = (() => {
      throw errno('ENOSPC');
    }) as typeof cacheFs.writeFileSync;
    const c = config('cache-faults/full-lock', 50);
    const err = captureStderr();
    const run = await trainRun(c, { engine });
    vi.restoreAllMocks();
    expect(run.cached).toBe(false);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(new RegExp(`^\\[tms\\] cannot write the run cache at ${join(dir, runKey(c, 'native'))}\\.lock \\(ENOSPC: the disk is full\\); .*free space in `));
    expect(files()).toEqual([]);
  });

  it('read-only (EROFS): cached runs are still served, new ones train uncached with one line, and the entries stay intact', async () => {
    const kept = config('cache-faults/kept', 50);
    const keptRun = await trainRun(kept, { engine });
    const keptFile = join(dir, `${keptRun.key}.json`);
    const bytes = readFileSync(keptFile);
    for (const k of ['writeFileSync', 'renameSync', 'linkSync'] as const) cacheFs[k] = (() => {
      throw errno('EROFS');
    }) as never;
    forgetRuns();
    const err = captureStderr();
    const hit = await trainRun(kept, { engine });
    const fresh = await trainRun(config('cache-faults/new', 50), { engine });
    const fresh2 = await trainRun(config('cache-faults/new-2', 50), { engine });
    vi.restoreAllMocks();
    expect([hit.cached, fresh.cached, fresh2.cached]).toEqual([true, false, false]);
    expect(err).toEqual([
      `[tms] cannot write the run cache at ${join(dir, `${fresh.key}.lock`)} (EROFS: the directory is read-only or not writable by this user); runs are trained but not cached and nothing partial is left: make ${dir} writable, or point TMS_CACHE_DIR at another directory (TMS_CACHE=off skips the cache)\n`,
    ]);
    expect(files()).toEqual([`${keptRun.key}.json`]);
    expect(readFileSync(keptFile).equals(bytes)).toBe(true);
    expect(readCache(keptRun.key, kept)).toBeDefined();
  });
});
