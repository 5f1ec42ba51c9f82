// One table over every spec's saved flake check (out/flake/<spec>.json): per claim test, its pass count,
// modelled false-fail bound and whether it is below 1%; per spec, the union bound; on the last line the
// suite's total (union bound over the specs) against the CI target.
//   npx tsx scripts/flake-summary.ts [--out docs/flake.md] [--dir out/flake]
//   npx tsx scripts/flake-summary.ts --from docs/flake.md [--out docs/flake.md]   # re-render an earlier summary
//   npx tsx scripts/flake-summary.ts --from docs/flake.md --dir out/flake --out docs/flake.md   # … with the specs re-checked since
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FALSE_FAIL_TARGET } from './flake.js';
import { parseArgs, specFiles } from './lib/vitest-json.js';
import { parseSummary } from './lib/summary-markdown.js';
import type { OffsetCheck } from './lib/offset-check.js';
import { DEFAULT_ENGINE } from '../src/engines/select.js';

/** The suite's target: all specs together fail falsely in at most 0.5% of CI runs. */
export const SUITE_TARGET = 0.005;
/** Seed sets a spec's bound needs before it counts towards the target. */
export const MIN_K = 20;

export interface Saved {
  spec: string;
  K: number;
  tallies: { id: string; passes: number; runs: number }[];
  models?: { id: string; bound: number; unmodelled: number; otherFailures: number[]; complete: boolean }[];
  marginSites?: { id: string; constant: boolean }[];
  /** the flake check refused to bound the spec (offsetCheck says why) */
  refused?: boolean;
  /** the engines that trained its runs (absent in results saved before engines were recorded: those were `native`) */
  engines?: string[];
  /** absent in results saved before the seed-offset check existed */
  offsetCheck?: OffsetCheck;
  /** the whole-spec bound as an earlier summary printed it (parseSummary), with its rounding */
  specBound?: { value: number; halfWidth: number };
  /** a spec of specs/ with no flake result at all: no bound, counted as 100% */
  unchecked?: boolean;
}

/** Every spec of specs/ without a saved result, as an unchecked row (counted as 100% in the total). */
export function withUnchecked(saved: Saved[], specs: string[]): Saved[] {
  return [...saved, ...specs.filter((f) => !saved.some((s) => s.spec === f)).map((spec): Saved => ({ spec, K: 0, tallies: [], unchecked: true }))];
}

const pct = (x: number) => (x === 0 ? '0%' : x >= 0.001 ? `${(100 * x).toFixed(2)}%` : `${Number((100 * x).toPrecision(2))}%`);
const name = (s: Saved) => s.spec.replace(/^specs\//, '');
/** Results saved before run lines named their engine all came from `native`, the default then. */
const engineLabel = (s: Saved) => (s.engines?.length ? s.engines.join(', ') : 'native');

/** A spec's union bound over its tests (1 for a test with no model), and whether it is a complete model. */
function specBound(s: Saved): { bound: number; halfWidth: number; complete: boolean } {
  const tests = s.tallies.filter((t) => t.id !== '(spec)');
  const ms = tests.map((t) => s.models?.find((x) => x.id === t.id));
  const complete = !s.refused && tests.length > 0 && ms.every((m) => m?.complete);
  if (s.refused || s.unchecked) return { bound: 1, halfWidth: 0, complete: false };
  if (s.specBound) return { bound: Math.min(1, s.specBound.value), halfWidth: s.specBound.halfWidth, complete };
  return { bound: Math.min(1, ms.reduce((sum, m) => sum + (m?.bound ?? 1), 0)), halfWidth: 0, complete };
}

export function summaryTable(saved: Saved[]): string {
  const rows = ['| spec | test | passes / K | modelled false-fail bound (95%) | constant checks | < 1% |', '|---|---|---|---|---|---|'];
  for (const s of saved) {
    if (s.refused) {
      rows.push(`| ${name(s)} | **refused** | – | no bound: ${s.offsetCheck?.reason ?? 'its runs did not change with TMS_SEED_OFFSET'} | | ✗ |`);
      continue;
    }
    if (s.unchecked) {
      rows.push(`| ${name(s)} | **not checked** | – | no bound: no flake check yet (counted as 100%) | | ✗ |`);
      continue;
    }
    for (const t of s.tallies.filter((x) => x.id !== '(spec)')) {
      const m = s.models?.find((x) => x.id === t.id);
      const constant = s.marginSites?.filter((x) => x.id === t.id && x.constant).length ?? 0;
      const bound = m ? `≤ ${pct(m.bound)}${m.complete ? '' : ' (incomplete: run-level bound applies)'}` : 'run-level only';
      rows.push(`| ${name(s)} | ${t.id} | ${t.passes}/${t.runs} | ${bound} | ${constant || '–'} | ${m?.complete && m.bound < FALSE_FAIL_TARGET ? '✓' : '✗'} |`);
    }
    const spec = s.tallies.find((t) => t.id === '(spec)')!;
    const b = specBound(s);
    // "seed offsets checked" keeps the offset check's verdict in the table, so a re-rendered summary still knows it
    // … and so does the engine its runs used
    rows.push(`| ${name(s)} | **whole spec** (sum${s.offsetCheck?.ok ? '; seed offsets checked' : ''}; on ${engineLabel(s)}) | ${spec.passes}/${spec.runs} | ≤ ${pct(b.bound)} | | ${b.complete && b.bound < FALSE_FAIL_TARGET ? '✓' : '✗'} |`);
  }
  return rows.join('\n');
}

/** The suite's total and whether it meets the target, and the line that says so (the summary's last). */
export function suiteTotal(saved: Saved[]): { bound: number; met: boolean; line: string } {
  const per = saved.map((s) => ({ s, ...specBound(s) }));
  const bound = Math.min(1, per.reduce((sum, p) => sum + p.bound + p.halfWidth, 0));
  const why: string[] = [];
  const names = (xs: typeof per) => (xs.length === per.length && per.length > 1 ? `all ${per.length} specs` : xs.map((p) => name(p.s).replace(/\.spec\.ts$/, '')).join(', '));
  const refused = per.filter((p) => p.s.refused);
  const never = per.filter((p) => p.s.unchecked);
  const checked = per.filter((p) => !p.s.refused && !p.s.unchecked);
  const unchecked = checked.filter((p) => !p.s.offsetCheck);
  const incomplete = checked.filter((p) => !p.complete);
  const fewK = checked.filter((p) => p.s.K < MIN_K);
  // a bound measured on another engine says nothing certain about the runs CI makes
  const otherEngine = checked.filter((p) => engineLabel(p.s) !== DEFAULT_ENGINE);
  if (bound > SUITE_TARGET) why.push(`${pct(bound)} > ${pct(SUITE_TARGET)}`);
  if (refused.length) why.push(`refused: ${names(refused)}`);
  if (never.length) why.push(`no flake check yet: ${names(never)}`);
  if (unchecked.length) why.push(`seed offsets not verified (saved before the check): ${names(unchecked)}`);
  if (incomplete.length) why.push(`incomplete models: ${names(incomplete)}`);
  if (fewK.length) why.push(`K < ${MIN_K}: ${names(fewK)}`);
  if (otherEngine.length) why.push(`measured on another engine than the default (${DEFAULT_ENGINE}): ${names(otherEngine)}`);
  if (!saved.length) why.push('no spec');
  const met = why.length === 0;
  const rounded = per.some((p) => p.halfWidth) ? ', the printed bounds taken at the top of their rounding' : '';
  const line = `**Suite total** (union bound over ${saved.length} specs${rounded}): ≤ ${pct(bound)} per CI run; target ≤ ${pct(SUITE_TARGET)} per CI run: ${met ? 'met' : `**not met** (${why.join('; ')})`}`;
  return { bound, met, line };
}

/** The earlier summary's specs, each replaced by a fresh result for the same spec where there is one. */
export function mergeSaved(earlier: Saved[], fresh: Saved[]): Saved[] {
  const bySpec = new Map(fresh.map((f) => [f.spec, f]));
  const merged = earlier.map((e) => bySpec.get(e.spec) ?? e);
  return [...merged, ...fresh.filter((f) => !earlier.some((e) => e.spec === f.spec))];
}

const readDir = (dir: string): Saved[] =>
  readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Saved);

function main(): void {
  const args = parseArgs(process.argv.slice(2), { out: 'string', dir: 'string', from: 'string' });
  let saved: Saved[];
  let source: string;
  let measured: string | undefined;
  if (args.from) {
    const from = resolve(args.from as string);
    const text = readFileSync(from, 'utf8');
    saved = parseSummary(text);
    if (!saved.length) throw new Error(`no summary table in ${from}`);
    source = `--from ${args.from}`;
    if (args.dir) {
      saved = mergeSaved(saved, readDir(resolve(args.dir as string)));
      source += ` --dir ${args.dir}`;
    }
    // Keep the date the bounds were measured: the source's own "measured up to" or "Generated … on" date.
    measured = /^(?:Bounds as measured .*? up to|Generated by .*? on) (\d{4}-\d{2}-\d{2})/m.exec(text)?.[1];
  } else {
    const dir = resolve((args.dir as string) ?? 'out/flake');
    if (!existsSync(dir)) throw new Error(`no flake results in ${dir}: run npm run flake first (or --from docs/flake.md to re-render the saved summary)`);
    saved = readDir(dir);
    source = args.dir ? `--dir ${args.dir}` : '';
  }
  saved = withUnchecked(saved, specFiles(process.cwd(), undefined, readdirSync));
  const text = `${summaryTable(saved)}\n\n${suiteTotal(saved).line}`;
  const ks = [...new Set(saved.filter((s) => !s.unchecked).map((s) => s.K))].join(', ');
  // The written file's own sections (## headings, e.g. the best-of-N audit) are kept below the table.
  const out = args.out ? resolve(args.out as string) : undefined;
  const kept = out && existsSync(out) ? /^## [\s\S]*/m.exec(readFileSync(out, 'utf8'))?.[0] : undefined;
  if (out) writeFileSync(out, [
    '# Flake check: modelled false-fail bounds of the claim specs (default tier)',
    '',
    `Each spec rerun on K = ${ks} independent seed sets (\`npm run flake -- --spec <name>\`; the per-spec tables, with`,
    'every threshold check, are in out/flake/). A test\'s bound is a 95% upper bound on its false-fail rate under the',
    'models of scripts/flake.ts: pooled seeds for per-seed checks, a normal model of each threshold check\'s margin',
    '(README, "Seeds, statistics and checks of the specs themselves"). "Constant checks" took one value in every run',
    'and are listed, not bounded. The whole-spec bound is the sum over its tests, and the suite total the sum over',
    `the specs (union bounds); the target is ≤ ${pct(SUITE_TARGET)} per CI run, every spec checked on K ≥ ${MIN_K} seed sets whose runs`,
    'changed with the seed offset (a spec whose runs repeat under two offsets is refused, not bounded).',
    '',
    text,
    '',
    `${measured ? `Bounds as measured by the flake checks up to ${measured} (their out/flake/ results not kept); r` : 'G'}${measured ? 'e-rendered' : 'enerated'} by \`npm run flake:summary -- ${source ? `${source} ` : ''}--out ${args.out}\` on ${new Date().toISOString().slice(0, 10)}.`,
    '',
    ...(kept ? [kept.trimEnd(), ''] : []),
  ].join('\n'));
  console.log(text);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) main();
