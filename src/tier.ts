// Two tiers: `default` proves every claim within CI's budget on 2 cores; `paper` uses the paper's settings.
export type Tier = 'default' | 'paper';
export const TIERS: Tier[] = ['default', 'paper'];

export function tier(): Tier {
  const t = (process.env.TMS_TIER ?? 'default').trim();
  if (!TIERS.includes(t as Tier)) throw new Error(`TMS_TIER must be one of ${TIERS.join(', ')}; got "${t}"`);
  return t as Tier;
}

/** Pick the value for the active tier from a {default, paper} pair. */
export const byTier = <T>(v: Record<Tier, T>, t: Tier = tier()): T => v[t];
