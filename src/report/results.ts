// Test verdicts as the claims report reads them: out/results/<tier>.json, written by the vitest reporter
// (vitest-reporter.ts). Runs of part of the suite update only the spec files they ran, so
// `npx vitest run specs/c8-…` refreshes C8 without forgetting C1.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { atomicWrite } from '../cache.js';
import type { Tier } from '../tier.js';

export type TestState = 'passed' | 'failed' | 'skipped' | 'pending';

export interface TestRecord {
  /** the test's own name, e.g. "C2.3 from S = 0.7 on, …" */
  name: string;
  /** describe blocks and name joined with " > " */
  fullName: string;
  /** claim id the name starts with ("C2"), or null for tests that are not claims */
  claim: string | null;
  /** sub-claim id ("C2.3", "C2.fig"), or null */
  subId: string | null;
  state: TestState;
  durationMs: number;
  errors: string[];
}

export interface ModuleRecord {
  /** path relative to the repository root, e.g. "specs/c1-five-features-in-two-dims.spec.ts" */
  file: string;
  state: string;
  durationMs: number;
  /** errors outside any test: import failures, failing beforeAll hooks */
  errors: string[];
  tests: TestRecord[];
  finishedAt: string;
}

export interface ResultsFile {
  format: 1;
  tier: Tier;
  modules: Record<string, ModuleRecord>;
}

/** "C2.3 from …" → { claim: "C2", subId: "C2.3" }; "C1 …" → { claim: "C1", subId: null }. */
export function claimOf(name: string): { claim: string | null; subId: string | null } {
  const m = /^(C\d+)(\.[\w-]+)?(?=[\s:]|$)/.exec(name.trim());
  return m ? { claim: m[1], subId: m[2] ? m[1] + m[2] : null } : { claim: null, subId: null };
}

/** The claim a spec file belongs to, from its name: specs/c2-linear.spec.ts → "C2". */
export function claimOfFile(file: string): string | null {
  const m = /(?:^|\/)c(\d+)-[^/]*\.spec\.[cm]?[jt]s$/i.exec(file);
  return m ? `C${m[1]}` : null;
}

export const resultsPath = (outDir: string, tier: Tier) => join(outDir, 'results', `${tier}.json`);

export function readResults(outDir: string, tier: Tier): ResultsFile | undefined {
  const p = resultsPath(outDir, tier);
  if (!existsSync(p)) return undefined;
  const r = JSON.parse(readFileSync(p, 'utf8')) as ResultsFile;
  return r.format === 1 ? r : undefined;
}

/**
 * Writes `modules` into the tier's results file, replacing earlier records of the same files and
 * dropping records of files that no longer exist (`exists`).
 */
export function mergeResults(outDir: string, tier: Tier, modules: ModuleRecord[], exists: (file: string) => boolean): ResultsFile {
  const prev = readResults(outDir, tier);
  const merged: ResultsFile = { format: 1, tier, modules: {} };
  for (const [file, m] of Object.entries(prev?.modules ?? {})) if (exists(file)) merged.modules[file] = m;
  for (const m of modules) merged.modules[m.file] = m;
  const p = resultsPath(outDir, tier);
  mkdirSync(dirname(p), { recursive: true });
  atomicWrite(p, JSON.stringify(merged, null, 2) + '\n');
  return merged;
}
