// Two tiers: `default` proves every claim within CI's budget on 2 cores; `paper` uses the paper's settings.
import { envChoice } from './env.js';

export type Tier = 'default' | 'paper';
export const TIERS: Tier[] = ['default', 'paper'];

/** The active tier from TMS_TIER (unset or empty = default); a ConfigError names a bad value. */
export function tier(): Tier {
  return envChoice('TMS_TIER', TIERS, 'default')!;
}

/** Pick the value for the active tier from a {default, paper} pair. */
export const byTier = <T>(v: Record<Tier, T>, t: Tier = tier()): T => v[t];
