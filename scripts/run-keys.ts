// Lists every run the claims train, per tier, with its run-cache key and the key's config part (the hash of
// config + engine without the code version, which any edit of the engines changes): porting a spec must
// leave the third column unchanged (tests/fixtures/run-config-keys.txt; its hash names `native`, the engine of
// the day the fixture began, and is only an identity). The fourth column is the default engine's cache key.
//   npx tsx scripts/run-keys.ts
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { canonicalJson, runKey } from '../src/cache.js';
import { TIERS } from '../src/tier.js';
import { collectTier } from '../src/claims/collect.js';
import { DEFAULT_ENGINE } from '../src/engines/select.js';

export const configHash = (config: unknown) => createHash('sha256').update(canonicalJson({ config, engine: 'native' })).digest('hex').slice(0, 24);

/** "tier namespace config-hash" per distinct run of the claims, sorted (tests/fixtures/run-config-keys.txt). */
export function configKeyLines(byTier = Object.fromEntries(TIERS.map((t) => [t, collectTier(t)]))): string[] {
  const lines = new Set<string>();
  for (const tier of TIERS) for (const c of byTier[tier]) for (const r of c.runs) lines.add(`${tier} ${r.config.namespace} ${configHash(r.config)}`);
  return [...lines].sort();
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  for (const tier of TIERS) {
    const seen = new Set<string>();
    for (const c of collectTier(tier)) {
      for (const r of c.runs) {
        const line = `${tier} ${r.config.namespace} ${configHash(r.config)} ${runKey(r.config, DEFAULT_ENGINE)}`;
        if (!seen.has(line)) console.log(line);
        seen.add(line);
      }
    }
  }
}
