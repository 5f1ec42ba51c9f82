// Seed lists of the claims, shiftable for flake checks: `TMS_SEED_OFFSET=<k>` adds k to every seed, so a
// spec can be rerun on independent seed sets (scripts/flake.ts uses offsets 1000, 2000, …) without editing it.
import { envInt } from '../env.js';

/** Largest offset: keeps seeds (≤ a few hundred in the claims) far below the seed limit 2^31 − 1. */
export const MAX_SEED_OFFSET = 1_000_000_000;

/** TMS_SEED_OFFSET as an integer (unset or empty = 0); a ConfigError names a bad value. */
export function seedOffset(env: NodeJS.ProcessEnv = process.env): number {
  return envInt('TMS_SEED_OFFSET', 0, MAX_SEED_OFFSET, 0, env);
}

/** `base` shifted by TMS_SEED_OFFSET. */
export function seedList(base: readonly number[], env: NodeJS.ProcessEnv = process.env): number[] {
  const o = seedOffset(env);
  return base.map((s) => s + o);
}
