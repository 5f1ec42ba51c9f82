// Specs record the numbers they measured, so `reproduce` and the report can show them beside the
// paper's statements. One JSON file per claim under out/claims/, merged across a spec's tests.
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
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

/** Adds measurements for claim `id` (e.g. "C2.3") of the active tier. */
export function record(id: string, m: Measurement): void {
  const dir = join(outDir(), 'claims', tier());
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${id}.json`);
  const prev = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { measurements: Measurement[] }) : { measurements: [] };
  const measurements = prev.measurements.filter((x) => x.what !== m.what).concat([m]);
  atomicWrite(file, JSON.stringify({ id, tier: tier(), measurements }, null, 2));
}
