// Environment variables that steer a run (TMS_ENGINE, TMS_TIER, TMS_MUTANT, TMS_SEED_OFFSET, …), read in
// one way: unset or empty means the default; anything else must be valid or a ConfigError names it.
import { ConfigError, showValue } from './errors.js';

/** One of `allowed`; unset or empty (after trimming) gives `dflt`. */
export function envChoice<T extends string>(name: string, allowed: readonly T[], dflt: T | undefined, env: NodeJS.ProcessEnv = process.env): T | undefined {
  const raw = env[name];
  const v = raw?.trim() ?? '';
  if (v === '') return dflt;
  if (!allowed.includes(v as T)) {
    throw new ConfigError(`${name} = ${showValue(raw)}: must be one of ${allowed.join(', ')}${dflt === undefined ? ' (or unset)' : ` (unset means ${dflt})`}`);
  }
  return v as T;
}

/** An integer in [min, max] written in decimal; unset or empty gives `dflt`. */
export function envInt(name: string, min: number, max: number, dflt: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  const v = raw?.trim() ?? '';
  if (v === '') return dflt;
  const x = /^[+-]?\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(x) || x < min || x > max) {
    throw new ConfigError(`${name} = ${showValue(raw)}: must be an integer in [${min}, ${max}] (unset means ${dflt})`);
  }
  return x;
}

/** A boolean flag: unset, "", "0", "false" are off; "1", "true" on; anything else is an error. */
export function envFlag(name: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env[name] ?? '').trim().toLowerCase();
  if (v === '' || v === '0' || v === 'false') return false;
  if (v === '1' || v === 'true') return true;
  throw new ConfigError(`${name} = ${showValue(env[name])}: must be 1/true or 0/false (unset means false)`);
}
