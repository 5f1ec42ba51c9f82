// Seed lists of the claims, shiftable for flake checks: `TMS_SEED_OFFSET=<k>` adds k to every seed, so a
// spec can be rerun on independent seed sets (scripts/flake.ts uses offsets 1000, 2000, …) without editing it.
import { envFlag, envInt } from '../env.js';
import { ConfigError } from '../errors.js';
import { LIMITS } from '../validate.js';
import type { InstanceConfig, RunConfig } from '../types.js';

/** Largest offset: keeps seedList seeds (≤ a few hundred in the claims) far below the seed limit 2^31 − 1; a stride
 *  (shiftedSeed) multiplies the offset, so a strided claim takes less (shiftedSeed says how much). */
export const MAX_SEED_OFFSET = 1_000_000_000;

/** TMS_SEED_OFFSET as an integer (unset or empty = 0); a ConfigError names a bad value. */
export function seedOffset(env: NodeJS.ProcessEnv = process.env): number {
  return envInt('TMS_SEED_OFFSET', 0, MAX_SEED_OFFSET, 0, env);
}

/** Every seed the helpers below handed out in this process: defineClaim refuses a run with any other seed,
 *  since TMS_SEED_OFFSET (the flake check) would not move it. */
const issued = new Set<number>();
const issue = (s: number): number => (issued.add(s), s);

/** Whether `seed` came from seedList / shiftedSeed (so it follows TMS_SEED_OFFSET). */
export function isIssuedSeed(seed: number): boolean {
  return issued.has(seed);
}

/** `base` shifted by TMS_SEED_OFFSET. */
export function seedList(base: readonly number[], env: NodeJS.ProcessEnv = process.env): number[] {
  const o = seedOffset(env);
  return base.map((s) => issue(s + o));
}

/** Seeds 1, 2, …, n: the base list of a claim that simply uses its first n seeds. */
export function seedsUpTo(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

/** TMS_SKIP_FIGURES=1: figure tests skip themselves (flake runs use other seeds than the goldens were drawn from). */
export function skipFigures(env: NodeJS.ProcessEnv = process.env): boolean {
  return envFlag('TMS_SKIP_FIGURES', env);
}

/**
 * `seed` shifted by TMS_SEED_OFFSET × `stride`, for claims that derive seeds from a base (e.g. C3's
 * cell·100 + seed): choose stride so that offset·stride exceeds the largest base seed, and the seed sets of
 * different offsets never overlap (offsets 1000k: stride 100 keeps base seeds < 100,000 apart).
 */
export function shiftedSeed(seed: number, stride = 1, env: NodeJS.ProcessEnv = process.env): number {
  const o = seedOffset(env);
  const s = seed + o * stride;
  // A stride multiplies the offset, so a large offset can pass the seed limit: say so here, not as 400 invalid instances later.
  if (s > LIMITS.seed) {
    throw new ConfigError(`TMS_SEED_OFFSET = ${o} moves seed ${seed} (${stride} per unit of offset) to ${s}, past the seed limit ${LIMITS.seed}: ` +
      `this seed takes offsets up to ${Math.floor((LIMITS.seed - seed) / stride)} (a flake check of K seed sets: --offset-step ≤ that / K)`);
  }
  return issue(s);
}

/**
 * More seeds at some of a claim's points, as a run of its own: the base run's settings, one instance per
 * (point, seed), point-major. Where a claim's evidence is thin it adds seeds this way, and the base run keeps
 * its cache key and its cached models. Null when there are no extra seeds (e.g. the paper tier).
 */
export function extraSeedsRun(base: RunConfig, points: Omit<InstanceConfig, 'seed'>[], seeds: readonly number[]): RunConfig | null {
  if (!seeds.length) return null;
  return { ...base, instances: points.flatMap((point) => seeds.map((seed) => ({ ...point, seed }))) };
}
