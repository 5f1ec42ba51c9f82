// The claims' definitions (defineClaim in specs/), collected without training: every spec is written one way,
// docs/claims.md is generated from them and not stale, and the runs they train have the configs (hence cache
// keys, up to the code version) that tests/fixtures/run-config-keys.txt pins.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectTier, type CollectedClaim } from '../src/claims/collect.js';
import { REPO_ROOT } from '../src/paths.js';
import { DOC, definitionPart, latestVerdicts, renderClaimsDoc } from '../scripts/claims-doc.js';
import { configKeyLines } from '../scripts/run-keys.js';

let byTier: { default: CollectedClaim[]; paper: CollectedClaim[] };
beforeAll(() => {
  byTier = { default: collectTier('default'), paper: collectTier('paper') };
}, 180_000); // collecting every spec's definition imports all of them: slow on a loaded machine

const specs = readdirSync(join(REPO_ROOT, 'specs')).filter((f) => f.endsWith('.spec.ts')).sort();

describe('claim definitions', () => {
  it('every spec file defines its claim with defineClaim, and none builds its own describe/beforeAll', () => {
    expect(byTier.default.map((c) => c.spec).sort()).toEqual(specs.map((f) => `specs/${f}`));
    for (const f of specs) {
      const text = readFileSync(join(REPO_ROOT, 'specs', f), 'utf8');
      expect(text, f).not.toMatch(/\b(describe|beforeAll|it)\s*\(/);
      expect(text, f).toMatch(/spec: import\.meta\.url/);
    }
    for (const c of byTier.default) {
      expect(c.paper.section, c.id).toMatch(/^https:\/\/transformer-circuits\.pub\/2022\/toy_model\/index\.html(#[\w-]+)?$/);
      expect(c.paper.statement.length, c.id).toBeGreaterThan(40);
      expect(c.runs.length, c.id).toBeGreaterThan(0);
    }
  });

  it('docs/claims.md is generated from them and up to date (npm run claims:doc)', () => {
    const doc = renderClaimsDoc(byTier, latestVerdicts());
    expect(definitionPart(readFileSync(DOC, 'utf8'))).toBe(definitionPart(doc));
    for (const id of ['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8', 'C9', 'C10', 'C11', 'C12', 'C13']) expect(doc).toContain(`## ${id}\n`);
  });

  it('the runs keep their configs: same cache keys as pinned in tests/fixtures/run-config-keys.txt', () => {
    const want = readFileSync(join(REPO_ROOT, 'tests', 'fixtures', 'run-config-keys.txt'), 'utf8').trim().split('\n');
    expect(configKeyLines(byTier)).toEqual(want);
  });
});
