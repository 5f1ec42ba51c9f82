// Specs record the numbers they measured, so `reproduce` and the report can show them beside the
// paper's statements. One JSON file per claim under out/claims/, merged across a spec's tests.
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import type { TrainedRun } from '../types.js';
import { join } from 'node:path';
import { REPO_ROOT } from '../paths.js';
import { atomicWrite } from '../cache.js';
import { tier } from '../tier.js';

export function outDir(): string {
  return process.env.TMS_OUT_DIR ?? join(REPO_ROOT, 'out');
}

export interface Measurement {
  /** what was measured, in words */
  what: string;
  /** the measured value(s) */
  value: unknown;
  /** the paper's statement or number it is compared with */
  paper?: string;
  /** the tolerance / threshold the assertion used */
  tolerance?: string;
}

/** What out/claims/<tier>/<id>.json holds. `title` and `paper` are set by defineClaim (recordClaim). */
export interface ClaimFile {
  id: string;
  tier: string;
  title?: string;
  paper?: string;
  measurements: Measurement[];
}

function update(id: string, change: (prev: ClaimFile) => ClaimFile): void {
  const dir = join(outDir(), 'claims', tier());
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${id}.json`);
  const prev: ClaimFile = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ClaimFile) : { id, tier: tier(), measurements: [] };
  atomicWrite(file, JSON.stringify({ ...change(prev), id, tier: tier() }, null, 2));
}

/** Claim ids this process has recorded into: their first record() drops what earlier runs left. */
const fresh = new Set<string>();

/** Adds measurements for claim `id` (e.g. "C2.3") of the active tier. A process's first record for an id
 *  replaces the file's measurements, so a renamed or removed measurement does not linger from old runs. */
export function record(id: string, m: Measurement): void {
  const keep = fresh.has(id);
  fresh.add(id);
  update(id, (prev) => ({ ...prev, measurements: (keep ? prev.measurements.filter((x) => x.what !== m.what) : []).concat([m]) }));
}

/** Records a claim's title and the paper's statement (for claims the report's table does not list). */
export function recordClaim(id: string, text: { title: string; paper: string }): void {
  update(id, (prev) => ({ ...prev, ...text }));
}

/** What the report shows about a run a claim trained: out/claims/<tier>/runs/<namespace>.json. */
export interface RunNote {
  namespace: string;
  key: string;
  engine: string;
  kind: string;
  n: number;
  m: number;
  steps: number;
  batch: number;
  instances: number;
  seeds: number[];
  seconds: number;
  cached: boolean;
}

/**
 * Notes which run a claim used (seeds, engine, training time), for runs whose namespace starts with a
 * claim id. A trainRun hook (src/claims/harness.ts); never throws.
 */
export function noteRun(run: TrainedRun): void {
  if (!/^C\d+/.test(run.config.namespace)) return;
  try {
    const dir = join(outDir(), 'claims', tier(), 'runs');
    mkdirSync(dir, { recursive: true });
    const { config: c } = run;
    const note: RunNote = {
      namespace: c.namespace, key: run.key, engine: run.engine, kind: c.model.kind, n: c.model.n, m: c.model.m,
      steps: c.train.steps, batch: c.train.batch, instances: c.instances.length,
      seeds: [...new Set(c.instances.map((i) => i.seed))].sort((a, b) => a - b),
      seconds: run.seconds, cached: run.cached,
    };
    atomicWrite(join(dir, `${c.namespace.replace(/[^\w.-]+/g, '_')}.json`), JSON.stringify(note, null, 2));
  } catch {
    /* the report is best-effort; a spec never fails because of it */
  }
}
