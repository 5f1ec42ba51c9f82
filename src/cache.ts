// On-disk run cache keyed by a hash of (run config, engine, code version). Entries are written
// atomically (temp file + rename) and carry a checksum; a corrupt entry is reported and retrained.
// A lock file makes concurrent workers that need the same run train it once; a lock whose owner was killed
// is taken over, with the partial files it left. A read-only or full cache directory costs the caching,
// never the run: one line says so, and the run is returned uncached.
import { createHash } from 'node:crypto';
import { mkdirSync, openSync, closeSync, readFileSync, writeFileSync, renameSync, unlinkSync, existsSync, readdirSync, statSync, linkSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import type { Params, RunConfig, TrainedInstance } from './types.js';
import { cacheDir, SRC_DIR } from './paths.js';

/** Files whose content defines training numerics: any change invalidates cached runs. */
const CODE_FILES = ['rng.ts', 'data.ts', 'models.ts', 'instance.ts'];
const CODE_DIRS = ['engines'];

let codeVersionMemo: string | undefined;
export function codeVersion(): string {
  if (codeVersionMemo) return codeVersionMemo;
  const h = createHash('sha256');
  const files: string[] = CODE_FILES.map((f) => join(SRC_DIR, f));
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts')) files.push(p);
    }
  };
  CODE_DIRS.forEach((d) => walk(join(SRC_DIR, d)));
  for (const f of files) h.update(f.slice(SRC_DIR.length)).update(readFileSync(f));
  return (codeVersionMemo = h.digest('hex').slice(0, 16));
}

/** JSON with sorted keys, so equal configs hash equally whatever their key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Cache key of a run. A training variant's key (e.g. a mutant's name and code version) enters it; absent
 *  otherwise, so real runs keep their keys. */
export function runKey(config: RunConfig, engine: string, variant?: string): string {
  return createHash('sha256').update(canonicalJson({ config, engine, code: codeVersion(), mutant: variant })).digest('hex').slice(0, 24);
}

interface Stored {
  format: 1;
  key: string;
  engine: string;
  seconds: number;
  config: RunConfig;
  instances: { finalLoss: number; losses: number[]; W: string; W2?: string; b: string; snapshots?: { step: number; W: string; W2?: string; b: string }[] }[];
}

const f32ToB64 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
const b64ToF32 = (s: string) => {
  const buf = Buffer.from(s, 'base64');
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
};

export interface CacheHit {
  engine: string;
  seconds: number;
  instances: TrainedInstance[];
}

const entryPath = (key: string) => join(cacheDir(), `${key}.json`);

/** The calls that write the cache, replaceable so tests can inject faults (a full disk, a kill mid-write). */
export const cacheFs = { writeFileSync, renameSync, linkSync };

/** Errors of a directory that cannot take writes: full, or read-only / not ours. */
const FULL = new Set(['ENOSPC', 'EDQUOT']);
const READ_ONLY = new Set(['EROFS', 'EACCES', 'EPERM']);
const isStorageError = (err: unknown) => FULL.has((err as NodeJS.ErrnoException)?.code ?? '') || READ_ONLY.has((err as NodeJS.ErrnoException)?.code ?? '');

/** Cache directories found unwritable in this process: told once, then left alone. */
const unwritable = new Set<string>();

/** One line on stderr naming the path, the cause and what to do; once per directory. */
function reportUnwritable(dir: string, path: string, err: NodeJS.ErrnoException): void {
  if (unwritable.has(dir)) return;
  unwritable.add(dir);
  const what = FULL.has(err.code ?? '') ? `${err.code}: the disk is full` : `${err.code}: the directory is read-only or not writable by this user`;
  const fix = FULL.has(err.code ?? '') ? `free space in ${dir}` : `make ${dir} writable`;
  process.stderr.write(`[tms] cannot write the run cache at ${path} (${what}); runs are trained but not cached and nothing partial is left: ${fix}, or point TMS_CACHE_DIR at another directory (TMS_CACHE=off skips the cache)\n`);
}

/** Forgets which cache directories were found unwritable (tests that fix the fault). */
export function forgetUnwritable(): void {
  unwritable.clear();
}

export function cacheEnabled(): boolean {
  return process.env.TMS_CACHE !== 'off';
}

/** Reads an entry; a missing one gives undefined, a corrupt one is deleted with a warning on stderr. */
export function readCache(key: string, config: RunConfig): CacheHit | undefined {
  const p = entryPath(key);
  let ino: number;
  let text: string;
  try {
    ino = statSync(p).ino;
    text = readFileSync(p, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return parseEntry(key, config, text);
  } catch (err) {
    process.stderr.write(`[tms] cache entry ${p} is corrupt (${(err as Error).message}); retraining\n`);
    try {
      // Only the file we read: another worker may have replaced it with a good entry meanwhile.
      if (statSync(p).ino === ino) unlinkSync(p);
    } catch {
      /* another worker removed it first */
    }
    return undefined;
  }
}

function parseEntry(key: string, config: RunConfig, text: string): CacheHit {
  const nl = text.indexOf('\n');
  if (nl < 0) throw new Error('no checksum line (truncated)');
  const sum = text.slice(0, nl);
  const body = text.slice(nl + 1);
  if (createHash('sha256').update(body).digest('hex') !== sum) throw new Error('checksum mismatch (truncated or edited)');
  const s = JSON.parse(body) as Stored;
  if (s.format !== 1 || s.key !== key) throw new Error('unexpected format or key');
  if (!Array.isArray(s.instances) || s.instances.length !== config.instances.length) {
    throw new Error(`holds ${s.instances?.length} instances, the config ${config.instances.length}`);
  }
  return {
    engine: s.engine,
    seconds: s.seconds,
    instances: s.instances.map((e, i) => {
      const params = decodeParams(config, e, `instance ${i}`);
      if (typeof e.finalLoss !== 'number' || !Array.isArray(e.losses)) throw new Error(`instance ${i} has no losses`);
      const every = config.train.snapshotEvery;
      if (!every) return { config: config.instances[i], params, finalLoss: e.finalLoss, losses: e.losses };
      const want = Math.floor(config.train.steps / every);
      if (!Array.isArray(e.snapshots) || e.snapshots.length !== want) throw new Error(`instance ${i} holds ${e.snapshots?.length ?? 'no'} snapshots, the config ${want}`);
      const snapshots = e.snapshots.map((x, j) => {
        if (x.step !== (j + 1) * every) throw new Error(`instance ${i}'s snapshot ${j} is of step ${x.step}, not ${(j + 1) * every}`);
        return { step: x.step, params: decodeParams(config, x, `instance ${i}'s snapshot ${j}`) };
      });
      return { config: config.instances[i], params, finalLoss: e.finalLoss, losses: e.losses, snapshots };
    }),
  };
}

/** Stored weights back to Params, checked for shape and finiteness. */
function decodeParams({ model: { kind, n, m } }: RunConfig, e: { W: string; W2?: string; b: string }, what: string): Params {
  const params: Params = { kind, n, m, W: b64ToF32(e.W), W2: e.W2 ? b64ToF32(e.W2) : undefined, b: b64ToF32(e.b) };
  if (params.W.length !== n * m || params.b.length !== n || (params.W2 && params.W2.length !== n * m)) throw new Error(`${what} has wrong shape`);
  for (const t of [params.W, params.W2, params.b]) if (t && !t.every(Number.isFinite)) throw new Error(`${what} has non-finite weights`);
  return params;
}

/** Atomic write: a reader sees either no entry or a whole one. */
export function atomicWrite(path: string, data: string | Buffer): void {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    cacheFs.writeFileSync(tmp, data);
    cacheFs.renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      /* never created */
    }
    throw err;
  }
}

/** Stores a run; false when the cache directory cannot take it (reported once: see reportUnwritable). */
export function writeCache(key: string, config: RunConfig, engine: string, seconds: number, instances: TrainedInstance[]): boolean {
  const dir = cacheDir();
  if (unwritable.has(dir)) return false;
  const stored: Stored = {
    format: 1,
    key,
    engine,
    seconds,
    config,
    instances: instances.map((t) => ({
      finalLoss: t.finalLoss,
      losses: t.losses,
      W: f32ToB64(t.params.W),
      W2: t.params.W2 && f32ToB64(t.params.W2),
      b: f32ToB64(t.params.b),
      ...(t.snapshots && { snapshots: t.snapshots.map((s) => ({ step: s.step, W: f32ToB64(s.params.W), W2: s.params.W2 && f32ToB64(s.params.W2), b: f32ToB64(s.params.b) })) }),
    })),
  };
  const body = JSON.stringify(stored);
  try {
    mkdirSync(dir, { recursive: true });
    atomicWrite(entryPath(key), `${createHash('sha256').update(body).digest('hex')}\n${body}`);
    return true;
  } catch (err) {
    if (!isStorageError(err)) throw err;
    reportUnwritable(dir, entryPath(key), err as NodeJS.ErrnoException);
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A lock file that holds no readable owner is taken over once it is this old. */
export const UNREADABLE_LOCK_STALE_MS = 60_000;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by another user
  }
}

/** Creates `path` holding `content`, atomically (never seen empty); false when it already exists. */
function createExclusive(path: string, content: string): boolean {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    cacheFs.writeFileSync(tmp, content);
    cacheFs.linkSync(tmp, path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
    // No hard links on this file system: exclusive create (a crash between open and write leaves an
    // empty lock, taken over after UNREADABLE_LOCK_STALE_MS).
    try {
      const fd = openSync(path, 'wx');
      cacheFs.writeFileSync(fd, content);
      closeSync(fd);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      /* gone */
    }
  }
}

const lockContent = () => `${process.pid} ${hostname()}`;

/** Why the lock at `path` is stale (its owner is gone), or undefined when it is live or missing. */
function staleReason(path: string): string | undefined {
  return staleOwner(path)?.why;
}

/** The stale lock's reason and, when it names one, its dead owner's pid. */
function staleOwner(path: string): { why: string; pid?: number } | undefined {
  let text: string;
  let age: number;
  try {
    age = Date.now() - statSync(path).mtimeMs;
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined; // gone: the caller retries
  }
  const match = /^(\d+)(?: (.*))?$/.exec(text.trim());
  if (!match) return age > UNREADABLE_LOCK_STALE_MS ? { why: `unreadable owner ${JSON.stringify(text.slice(0, 40))}, ${Math.round(age / 1000)} s old` } : undefined;
  const pid = Number(match[1]);
  const host = match[2];
  if (host !== undefined && host !== hostname()) return undefined; // another machine's process: cannot tell, so wait
  if (pid === process.pid) return undefined;
  return pidAlive(pid) ? undefined : { why: `owner process ${pid} is gone`, pid };
}

/** Removes the temp files a killed owner of lock `path` left for its key (a half-written entry or lock). */
function removeLeftovers(path: string, pid: number): string[] {
  const dir = dirname(path);
  const key = path.slice(dir.length + 1, -'.lock'.length);
  const mine = (f: string) => f.endsWith('.tmp') && (f.startsWith(`${key}.json.${pid}.`) || f.startsWith(`${key}.lock.${pid}.`));
  const gone: string[] = [];
  for (const f of readdirSync(dir).filter(mine)) {
    try {
      unlinkSync(join(dir, f));
      gone.push(f);
    } catch {
      /* removed by another waiter */
    }
  }
  return gone;
}

/**
 * Removes the lock at `path` if it is stale. Guarded by a second lock, so that two waiters that both saw
 * the dead owner cannot remove each other's fresh lock: the guard holder re-checks before removing.
 */
function takeOverIfStale(path: string): boolean {
  if (!staleReason(path)) return false;
  const guard = `${path}.takeover`;
  if (!createExclusive(guard, lockContent())) {
    // Held for microseconds by a live process; an old one was left by a crash.
    try {
      if (Date.now() - statSync(guard).mtimeMs > UNREADABLE_LOCK_STALE_MS) unlinkSync(guard);
    } catch {
      /* gone */
    }
    return false;
  }
  try {
    const stale = staleOwner(path);
    if (!stale) return false;
    unlinkSync(path);
    const left = stale.pid === undefined ? [] : removeLeftovers(path, stale.pid);
    process.stderr.write(`[tms] took over stale lock ${path} (${stale.why}${left.length ? `; removed its partial file${left.length > 1 ? 's' : ''} ${left.join(', ')}` : ''})\n`);
    return true;
  } finally {
    try {
      unlinkSync(guard);
    } catch {
      /* gone */
    }
  }
}

/**
 * Runs `work` holding the entry's lock, or waits for whoever holds it and returns undefined so the
 * caller re-reads the cache. A lock whose owner process died is taken over.
 */
export async function withTrainLock<T>(key: string, work: () => Promise<T>): Promise<T | undefined> {
  const dir = cacheDir();
  const lock = join(dir, `${key}.lock`);
  let waited = 0;
  for (;;) {
    // A directory that takes no writes can hold no lock either: train unlocked (writeCache will not store it).
    if (unwritable.has(dir)) return work();
    let locked: boolean;
    try {
      mkdirSync(dir, { recursive: true });
      locked = createExclusive(lock, lockContent());
    } catch (err) {
      if (!isStorageError(err)) throw err;
      reportUnwritable(dir, lock, err as NodeJS.ErrnoException);
      continue;
    }
    if (locked) {
      try {
        return await work();
      } finally {
        try {
          unlinkSync(lock);
        } catch {
          /* already gone */
        }
      }
    }
    // Someone else is training this run: wait for it, unless its process is gone.
    if (takeOverIfStale(lock)) continue;
    if (!existsSync(lock)) continue; // released between our attempts: try again
    if (waited === 25) process.stderr.write(`[tms] waiting for another process training run ${key} (lock ${lock}; if none is, delete that file)\n`);
    await sleep(200);
    waited++;
    if (!existsSync(lock)) return undefined;
  }
}
