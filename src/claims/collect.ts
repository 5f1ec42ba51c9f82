// Loads every spec's claim definition without running it (defineClaim only registers under the collector),
// for the active tier (TMS_TIER): what docs/claims.md, the report and the run-key listing are made from.
// A tier is fixed when a spec module loads, so one process collects one tier (collectTier spawns one per tier).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { collectClaims, runConfigs, specPath, type PaperText } from './define.js';
import { REPO_ROOT } from '../paths.js';
import type { RunConfig } from '../types.js';
import type { Tier } from '../tier.js';

export interface CollectedClaim {
  id: string;
  title: string;
  part?: string;
  spec: string;
  paper: PaperText;
  checks: { id: string; title: string }[];
  runs: { name: string; config: RunConfig }[];
}

/** The definitions of every spec in specs/, for this process's tier. */
export async function collectHere(specDir = join(REPO_ROOT, 'specs')): Promise<CollectedClaim[]> {
  const claims = collectClaims();
  if (!existsSync(specDir)) return [];
  // Only specs written with defineClaim can load outside vitest (others describe at import time).
  const specs = readdirSync(specDir).filter((f) => f.endsWith('.spec.ts') && readFileSync(join(specDir, f), 'utf8').includes('defineClaim(')).sort();
  for (const f of specs) await import(pathToFileURL(join(specDir, f)).href);
  return claims.map((c) => ({
    id: c.id, title: c.title, part: c.part, spec: specPath(c.spec), paper: c.paper,
    checks: c.checks.map((k) => ({ id: k.id, title: k.title })),
    runs: runConfigs(c.run()).map(([name, config]) => ({ name, config })),
  }));
}

/** The definitions for `tier` of the specs in `specDir`, collected in a child process (specs fix their tier when they load). */
export function collectTier(tier: Tier, specDir = join(REPO_ROOT, 'specs')): CollectedClaim[] {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts', 'claims-collect.ts'), specDir], {
    cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, TMS_TIER: tier, TMS_SEED_OFFSET: '' }, maxBuffer: 256 << 20,
  });
  return JSON.parse(out) as CollectedClaim[];
}
