// Writes the per-file seconds that `vitest run --shard` balances its shards by (scripts/shard-times.json), from
// the durations vitest keeps of the last run of each file (node_modules/.vite/vitest/*/results.json), and prints
// the split it gives for 2–6 shards. Run it after a full `npx vitest run` from a cold cache; with
// `--fileParallelism=false` each file's time is its own, not shared with the file beside it.
//   npm run shard:times [-- --from <results.json>] [--out scripts/shard-times.json]
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../src/paths.js';
import { planShards, SHARD_TIMES_FILE, type ShardTimes } from './lib/shard-plan.js';
import { parseArgs } from './lib/vitest-json.js';

/** The newest results.json in vitest's cache, or null. */
function vitestResults(): string | null {
  const dir = join(REPO_ROOT, 'node_modules', '.vite', 'vitest');
  if (!existsSync(dir)) return null;
  const found = readdirSync(dir).map((d) => join(dir, d, 'results.json')).filter((f) => existsSync(f));
  return found.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0] ?? null;
}

/** Seconds per file from vitest's results cache ({ results: [[":specs/x.spec.ts", { duration (ms) }], …] }). */
export function timesFromResults(json: string): ShardTimes {
  const { results } = JSON.parse(json) as { results: [string, { duration: number }][] };
  const times: ShardTimes = {};
  for (const [key, { duration }] of [...results].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (Number.isFinite(duration)) times[key.slice(key.indexOf(':') + 1)] = Math.round(duration / 100) / 10;
  }
  return times;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const args = parseArgs(process.argv.slice(2), { from: 'string', out: 'string' });
  const from = (args.from as string | undefined) ?? vitestResults();
  if (!from) {
    console.error('no vitest results to read: run `npx vitest run` first, or pass --from <results.json>');
    process.exit(2);
  }
  const times = timesFromResults(readFileSync(from, 'utf8'));
  const out = (args.out as string | undefined) ?? SHARD_TIMES_FILE;
  writeFileSync(out, JSON.stringify(times, null, 1) + '\n');
  const total = Object.values(times).reduce((a, b) => a + b, 0);
  console.log(`${Object.keys(times).length} files, ${total.toFixed(0)} s in all → ${out}`);
  for (let n = 2; n <= 6; n++) console.log(`${n} shards: ${planShards(Object.keys(times), times, n).map((s) => s.seconds.toFixed(0)).join(' / ')} s`);
}
