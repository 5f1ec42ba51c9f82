// Splits test files between N shards by their measured seconds, so that the slowest shard is as short as a greedy
// split allows (longest file first, each to the shard with the least time so far). Every machine computes the
// same split from the same file list and the same table, whatever order vitest lists the files in.
import { fileURLToPath } from 'node:url';

/** The committed table: written by `npm run shard:times`, read by vitest.config.ts's sequencer. */
export const SHARD_TIMES_FILE = fileURLToPath(new URL('../shard-times.json', import.meta.url));

/** Seconds per test file, keyed by its path relative to the vitest root ('specs/c4-….spec.ts'). */
export type ShardTimes = Record<string, number>;

/** What a file missing from the table weighs: the median of the table's times (1 s for an empty table). */
export function unknownFileSeconds(times: ShardTimes): number {
  const v = Object.values(times).sort((a, b) => a - b);
  if (!v.length) return 1;
  const h = Math.floor(v.length / 2);
  return v.length % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
}

export interface Shard {
  files: string[];
  seconds: number;
}

/** The files of each of `count` shards (shard i is element i − 1), with the seconds the table gives them. */
export function planShards(files: readonly string[], times: ShardTimes, count: number): Shard[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`shard count must be a positive integer, got ${count}`);
  const fallback = unknownFileSeconds(times);
  const weight = (f: string) => (Object.hasOwn(times, f) ? times[f] : fallback);
  const order = [...new Set(files)].sort((a, b) => weight(b) - weight(a) || (a < b ? -1 : a > b ? 1 : 0));
  const shards: Shard[] = Array.from({ length: count }, () => ({ files: [], seconds: 0 }));
  for (const f of order) {
    let k = 0;
    for (let j = 1; j < count; j++) if (shards[j].seconds < shards[k].seconds) k = j;
    shards[k].files.push(f);
    shards[k].seconds += weight(f);
  }
  for (const s of shards) s.files.sort();
  return shards;
}
