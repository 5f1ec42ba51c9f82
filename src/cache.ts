// On-disk run cache keyed by a hash of (run config, engine, code version). Entries are written
// atomically (temp file + rename) and carry a checksum; a corrupt entry is reported and retrained.
// A lock file makes concurrent workers that need the same run train it once.
import { createHash } from 'node:crypto';
import { mkdirSync, openSync, closeSync, readFileSync, writeFileSync, renameSync, unlinkSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
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

export function runKey(config: RunConfig, engine: string): string {
  return createHash('sha256').update(canonicalJson({ config, engine, code: codeVersion() })).digest('hex').slice(0, 24);
}

interface Stored {
  format: 1;
  key: string;
  engine: string;
  seconds: number;
  config: RunConfig;
  instances: { finalLoss: number; losses: number[]; W: string; W2?: string; b: string }[];
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

export function cacheEnabled(): boolean {
  return process.env.TMS_CACHE !== 'off';
}

/** Reads an entry; a missing one gives undefined, a corrupt one is deleted with a warning. */
export function readCache(key: string, config: RunConfig): CacheHit | undefined {
  const p = entryPath(key);
  if (!existsSync(p)) return undefined;
  try {
    const text = readFileSync(p, 'utf8');
    const nl = text.indexOf('\n');
    const sum = text.slice(0, nl);
    const body = text.slice(nl + 1);
    if (createHash('sha256').update(body).digest('hex') !== sum) throw new Error('checksum mismatch (truncated or edited)');
    const s = JSON.parse(body) as Stored;
    if (s.format !== 1 || s.key !== key) throw new Error('unexpected format or key');
    const { kind, n, m } = config.model;
    return {
      engine: s.engine,
      seconds: s.seconds,
      instances: s.instances.map((e, i) => {
        const params: Params = { kind, n, m, W: b64ToF32(e.W), W2: e.W2 ? b64ToF32(e.W2) : undefined, b: b64ToF32(e.b) };
        if (params.W.length !== n * m || params.b.length !== n) throw new Error(`instance ${i} has wrong shape`);
        return { config: config.instances[i], params, finalLoss: e.finalLoss, losses: e.losses };
      }),
    };
  } catch (err) {
    process.stderr.write(`[tms] cache entry ${p} is corrupt (${(err as Error).message}); retraining\n`);
    try {
      unlinkSync(p);
    } catch {
      /* another worker removed it first */
    }
    return undefined;
  }
}

/** Atomic write: a reader sees either no entry or a whole one. */
export function atomicWrite(path: string, data: string | Buffer): void {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

export function writeCache(key: string, config: RunConfig, engine: string, seconds: number, instances: TrainedInstance[]): void {
  mkdirSync(cacheDir(), { recursive: true });
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
    })),
  };
  const body = JSON.stringify(stored);
  atomicWrite(entryPath(key), `${createHash('sha256').update(body).digest('hex')}\n${body}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `work` holding the entry's lock, or waits for whoever holds it and returns undefined so the
 * caller re-reads the cache. A lock whose owner process died is taken over.
 */
export async function withTrainLock<T>(key: string, work: () => Promise<T>): Promise<T | undefined> {
  mkdirSync(cacheDir(), { recursive: true });
  const lock = join(cacheDir(), `${key}.lock`);
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      try {
        return await work();
      } finally {
        try {
          unlinkSync(lock);
        } catch {
          /* already gone */
        }
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    // Someone else is training this run: wait for it, unless its process is gone.
    let owner = NaN;
    try {
      owner = Number(readFileSync(lock, 'utf8'));
    } catch {
      continue; // lock vanished: try again
    }
    if (Number.isFinite(owner) && owner > 0 && owner !== process.pid && !pidAlive(owner)) {
      try {
        unlinkSync(lock);
      } catch {
        /* raced with another taker */
      }
      continue;
    }
    await sleep(200);
    if (!existsSync(lock)) return undefined;
  }
}
