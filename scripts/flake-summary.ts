// One table over every spec's saved flake check (out/flake/<spec>.json): per claim test, its pass count,
// modelled false-fail bound and whether it is below 1%; per spec, the union bound.
//   npx tsx scripts/flake-summary.ts [--out docs/flake.md]
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FALSE_FAIL_TARGET } from './flake.js';
import { parseArgs } from './lib/vitest-json.js';

interface Saved {
  spec: string;
  K: number;
  tallies: { id: string; passes: number; runs: number }[];
  models?: { id: string; bound: number; unmodelled: number; otherFailures: number[]; complete: boolean }[];
  marginSites?: { id: string; constant: boolean }[];
}

const pct = (x: number) => (x === 0 ? '0%' : x >= 0.001 ? `${(100 * x).toFixed(2)}%` : `${Number((100 * x).toPrecision(2))}%`);

export function summaryTable(saved: Saved[]): string {
  const rows = ['| spec | test | passes / K | modelled false-fail bound (95%) | constant checks | < 1% |', '|---|---|---|---|---|---|'];
  for (const s of saved) {
    const tests = s.tallies.filter((t) => t.id !== '(spec)');
    let sum = 0;
    let allComplete = true;
    for (const t of tests) {
      const m = s.models?.find((x) => x.id === t.id);
      const constant = s.marginSites?.filter((x) => x.id === t.id && x.constant).length ?? 0;
      if (!m || !m.complete) allComplete = false;
      sum += m?.bound ?? 1;
      const bound = m ? `≤ ${pct(m.bound)}${m.complete ? '' : ' (incomplete: run-level bound applies)'}` : 'run-level only';
      rows.push(`| ${s.spec.replace(/^specs\//, '')} | ${t.id} | ${t.passes}/${t.runs} | ${bound} | ${constant || '–'} | ${m?.complete && m.bound < FALSE_FAIL_TARGET ? '✓' : '✗'} |`);
    }
    const spec = s.tallies.find((t) => t.id === '(spec)')!;
    rows.push(`| ${s.spec.replace(/^specs\//, '')} | **whole spec** (sum) | ${spec.passes}/${spec.runs} | ≤ ${pct(Math.min(1, sum))} | | ${allComplete && sum < FALSE_FAIL_TARGET ? '✓' : '✗'} |`);
  }
  return rows.join('\n');
}

function main(): void {
  const args = parseArgs(process.argv.slice(2), { out: 'string', dir: 'string' });
  const dir = resolve((args.dir as string) ?? 'out/flake');
  if (!existsSync(dir)) throw new Error(`no flake results in ${dir}: run npm run flake first`);
  const saved = readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Saved);
  const table = summaryTable(saved);
  if (args.out) writeFileSync(resolve(args.out as string), `${table}\n`);
  console.log(table);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) main();
