// Specs record the numbers they measured, so `reproduce` and the report can show them beside the
// paper's statements. One JSON file per claim under out/claims/, merged across a spec's tests.
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import type { RunConfig, TrainedRun } from '../types.js';
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

/** The sizes one run of a claim trains in the active tier (what the report's settings state). */
export interface RunSize {
  namespace: string;
  kind: string;
  n: number;
  m: number;
  steps: number;
  batch: number;
  instances: number;
  seeds: number[];
  sparsities: number;
}

export function runSize(c: RunConfig): RunSize {
  return {
    namespace: c.namespace, kind: c.model.kind, n: c.model.n, m: c.model.m, steps: c.train.steps, batch: c.train.batch,
    instances: c.instances.length, seeds: [...new Set(c.instances.map((i) => i.seed))].sort((a, b) => a - b),
    sparsities: new Set(c.instances.map((i) => JSON.stringify(i.sparsity))).size,
  };
}

/** One spec's definition of (part of) a claim, as defineClaim recorded it. */
export interface SpecDefinition {
  spec: string;
  part?: string;
  title: string;
  statement: string;
  section: string;
  settings: string;
  runs: RunSize[];
  /** the runs it trained or loaded, when it got that far */
  ran?: RunNote[];
}

/** What out/claims/<tier>/<id>.json holds. `definitions` (one per spec file) are set by defineClaim (recordClaim). */
export interface ClaimFile {
  id: string;
  tier: string;
  definitions?: Record<string, SpecDefinition>;
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

/** Records a spec's definition of claim `id` (title, the paper's text, spec file, the sizes of its runs). */
export function recordClaim(id: string, d: { title: string; paper: { statement: string; section: string; settings: string }; spec: string; part?: string; configs: RunConfig[] }): void {
  const def: SpecDefinition = { spec: d.spec, part: d.part, title: d.title, ...d.paper, runs: d.configs.map(runSize) };
  update(id, (prev) => ({ ...prev, definitions: { ...(fresh.has(`def:${id}`) ? prev.definitions : {}), [d.spec]: def } }));
  fresh.add(`def:${id}`);
}

/** What the report shows about a run a claim trained (defineClaim records the runs its spec got). */
export interface RunNote extends Omit<RunSize, 'sparsities'> {
  key: string;
  engine: string;
  seconds: number;
  cached: boolean;
}

export function runNote(run: TrainedRun): RunNote {
  const { sparsities: _, ...size } = runSize(run.config);
  return { ...size, key: run.key, engine: run.engine, seconds: run.seconds, cached: run.cached };
}

/** Records the runs spec `spec` trained for claim `id` (every run, in the order run() named them). */
export function recordRuns(id: string, spec: string, runs: TrainedRun[]): void {
  update(id, (prev) => {
    const d = prev.definitions?.[spec];
    return d ? { ...prev, definitions: { ...prev.definitions, [spec]: { ...d, ran: runs.map(runNote) } } } : prev;
  });
}
