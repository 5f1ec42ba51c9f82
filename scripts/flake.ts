// Flake check: how often does a claim spec fail on seeds it was not tuned on? Reruns the spec under K
// independent seed sets (run k uses TMS_SEED_OFFSET = 1000·k, k = 1..K; the committed seeds are k = 0) and
// reports each test's pass rate with a 95% Wilson interval and a one-sided 95% Clopper–Pearson upper bound
// on its failure rate: if the claim is true, that bounds how often the spec fails falsely.
//
// That run-level bound needs ~300 clean runs to go below 1%. Most tests decide with
// `expect(verdicts).toHoldForSeeds(min)` over N per-seed verdicts, and each run logs those counts
// (TMS_VERDICTS_DIR, see src/claims/matchers.ts): pooling the K·N seeds bounds the per-seed failure rate q
// (95% Clopper–Pearson), and the test's modelled false-fail bound is P(Binomial(N, q) > N − min), the
// chance that more seeds fail than the test tolerates (seeds independent). Threshold checks on pooled
// statistics (toBeAtLeast & co., src/claims/margins.ts) log their statistic and threshold, and each call
// site's margin over the K runs is modelled as normal (scripts/lib/margin-pool.ts). A test's modelled
// bound counts only when all its assertions are modelled; the rest keep the run-level bound.
//
//   npm run flake -- --spec c2-linear [--k 20] [--offset-step 1000] [--dry-run]
//   npm run flake -- --spec c2-linear --reanalyse    # redo the tables from out/flake/<spec>.json, running nothing
//
// Figure tests are skipped (TMS_SKIP_FIGURES=1: the figures are drawn from the committed seeds). Each seed set
// is trained once and cached (the seeds are part of the run config), so a rerun only re-checks.
// Before bounding anything it checks that the runs changed with the offset (scripts/lib/offset-check.ts): a
// spec that repeats an instance under two offsets is refused (named on stderr, exit 3, no bounds written).
// Writes out/flake/<spec>.md and .json.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { VerdictLine } from '../src/claims/matchers.js';
import { clopperPearsonUpper, seedModelBound, wilsonInterval } from '../src/stats/proportion.js';
import { parseArgs, runSpec, specFiles, type SpecRun } from './lib/vitest-json.js';
import { poolMargins, readAssertions, readJsonLines, readMargins, marginHolds, unmodelledChecks, type MarginSite } from './lib/margin-pool.js';
import type { MarginLine } from '../src/claims/margins.js';
import type { RunLine } from '../src/run-log.js';
import { checkSeedOffsets, readRuns, refusal, type OffsetCheck } from './lib/offset-check.js';

/** The engines that trained a flake check's runs (from their run lines), in order of first use. */
export function enginesOf(runs: { runLines: RunLine[] }[]): string[] {
  return [...new Set(runs.flatMap((r) => r.runLines.flatMap((l) => (l.engine ? [l.engine] : []))))];
}

export interface TestTally {
  id: string;
  passes: number;
  runs: number;
  /** offsets of the failing runs */
  failedAt: number[];
}

/** Per-test tallies over runs (skipped tests are left out); "(spec)" counts runs in which every test passed. */
export function tally(runs: { offset: number; run: SpecRun }[]): TestTally[] {
  const byId = new Map<string, TestTally>();
  const all: TestTally = { id: '(spec)', passes: 0, runs: 0, failedAt: [] };
  for (const { offset, run } of runs) {
    const counted = run.tests.filter((t) => t.status !== 'skipped');
    let ok = !run.suiteError; // an import error, a failing hook or a timeout fails the run
    for (const t of counted) {
      const e = byId.get(t.id) ?? { id: t.id, passes: 0, runs: 0, failedAt: [] };
      e.runs++;
      if (t.status === 'passed') e.passes++;
      else {
        e.failedAt.push(offset);
        ok = false;
      }
      byId.set(t.id, e);
    }
    all.runs++;
    if (ok) all.passes++;
    else all.failedAt.push(offset);
  }
  return [...byId.values(), all];
}

/** One toHoldForSeeds call site of a test (its j-th call in a run), pooled over the runs that reached it. */
export interface SeedCall {
  /** seeds per run (the largest, should runs differ) */
  n: number;
  /** seeds that must pass (the largest, should runs differ) */
  min: number;
  /** pooled over runs */
  passed: number;
  total: number;
  /** runs that logged this call */
  runs: number;
  /** per-seed failure rate, one-sided 95% Clopper–Pearson upper bound */
  q: number;
  /** P(Binomial(n, q) > n − min), the largest over the (n, min) the runs used */
  bound: number;
}

export interface SeedPool {
  id: string;
  test: string;
  calls: SeedCall[];
  passed: number;
  total: number;
  /** the largest q of the calls */
  q: number;
  /** modelled false-fail bound of the test: the calls' bounds summed (union bound; one call: exact) */
  bound: number;
  /** offsets of runs in which the test failed though every per-seed verdict it logged held (another assertion,
   *  an error, or it never reached toHoldForSeeds): failures the model does not explain */
  otherFailures: number[];
}

/** The verdict lines of one run's TMS_VERDICTS_DIR (none when the file is missing; a torn line is skipped). */
export const readVerdicts = (dir: string): VerdictLine[] =>
  readJsonLines<VerdictLine>(join(dir, 'verdicts.jsonl'), (v) => typeof v.id === 'string' && Number.isInteger(v.n) && Number.isInteger(v.passed) && typeof v.min === 'number');

/**
 * Pools the per-seed verdicts of each test over the runs (keyed by claim id, like tally): the j-th
 * toHoldForSeeds call of a test in a run is pooled with the j-th call of the other runs.
 */
export function poolVerdicts(runs: { offset: number; run: SpecRun; verdicts: VerdictLine[] }[]): Map<string, SeedPool> {
  type Acc = { n: Set<string>; passed: number; total: number; runs: number };
  const acc = new Map<string, { test: string; calls: Acc[] }>();
  for (const { verdicts } of runs) {
    const seen = new Map<string, number>();
    for (const v of verdicts) {
      const j = seen.get(v.id) ?? 0;
      seen.set(v.id, j + 1);
      const e = acc.get(v.id) ?? { test: v.test, calls: [] };
      const c = (e.calls[j] ??= { n: new Set(), passed: 0, total: 0, runs: 0 });
      c.n.add(`${v.n},${v.min}`);
      c.passed += v.passed;
      c.total += v.n;
      c.runs++;
      acc.set(v.id, e);
    }
  }
  const pools = new Map<string, SeedPool>();
  for (const [id, { test, calls }] of acc) {
    const done: SeedCall[] = calls.map((c) => {
      const shapes = [...c.n].map((k) => k.split(',').map(Number) as [number, number]);
      const fits = shapes.map(([n, min]) => seedModelBound(c.total - c.passed, c.total, n, min));
      return {
        n: Math.max(...shapes.map((x) => x[0])),
        min: Math.max(...shapes.map((x) => x[1])),
        passed: c.passed,
        total: c.total,
        runs: c.runs,
        q: fits[0].q,
        bound: Math.max(...fits.map((f) => f.bound)),
      };
    });
    const otherFailures: number[] = [];
    for (const { offset, run, verdicts } of runs) {
      const failed = run.tests.some((t) => t.id === id && t.status === 'failed');
      const mine = verdicts.filter((v) => v.id === id);
      if (failed && mine.every((v) => v.passed >= v.min)) otherFailures.push(offset);
    }
    pools.set(id, {
      id,
      test,
      calls: done,
      passed: done.reduce((s, c) => s + c.passed, 0),
      total: done.reduce((s, c) => s + c.total, 0),
      q: Math.max(...done.map((c) => c.q)),
      bound: Math.min(1, done.reduce((s, c) => s + c.bound, 0)),
      otherFailures,
    });
  }
  return pools;
}

/** The target: a spec that fails falsely less than 1% of the time. */
export const FALSE_FAIL_TARGET = 0.01;

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
/** Percent with two significant digits below 10% (modelled bounds can be far below 0.1%). */
const pctFine = (x: number) => (x === 0 ? '0%' : x >= 0.1 ? pct(x) : `${Number((100 * x).toPrecision(2))}%`);

/** What the models say of one test: its per-seed verdicts, its threshold checks, and what neither covers. */
export interface TestModel {
  id: string;
  seeds?: SeedPool;
  sites: MarginSite[];
  /** assertions in a run that log neither verdicts nor margins (equality and shape checks), most over runs */
  unmodelled: number;
  /** failing runs that no logged verdict or margin explains */
  otherFailures: number[];
  /** the seed calls' bounds plus the (non-constant) sites' bounds, capped at 1 */
  bound: number;
  /** every check modelled and every failure explained: the bound is the test's false-fail bound */
  complete: boolean;
}

/** Combines the per-seed pools, the margin sites and the unmodelled-check counts per test. */
export function testModels(
  runs: { offset: number; run: SpecRun; verdicts: VerdictLine[]; margins: MarginLine[] }[],
  seedPools: Map<string, SeedPool>,
  sites: MarginSite[],
  unmodelled: Map<string, number>,
): Map<string, TestModel> {
  const ids = new Set([...seedPools.keys(), ...sites.map((x) => x.id)]);
  const out = new Map<string, TestModel>();
  for (const id of ids) {
    const seeds = seedPools.get(id);
    const mine = sites.filter((x) => x.id === id);
    const otherFailures = runs.flatMap(({ offset, run, verdicts, margins }) => {
      const failed = run.suiteError || run.tests.some((t) => t.id === id && t.status === 'failed');
      const explained = verdicts.some((v) => v.id === id && v.passed < v.min) || margins.some((m) => m.id === id && !marginHolds(m));
      return failed && !explained ? [offset] : [];
    });
    const bound = Math.min(1, (seeds?.calls.reduce((s, c) => s + c.bound, 0) ?? 0) + mine.reduce((s, x) => s + x.bound, 0));
    const extra = unmodelled.get(id) ?? 0;
    out.set(id, { id, seeds, sites: mine, unmodelled: extra, otherFailures, bound, complete: extra === 0 && otherFailures.length === 0 });
  }
  return out;
}

/** The modelled columns of a test: per-seed checks, threshold checks, unmodelled checks, the bound, ✓. */
function modelCells(t: TestTally, models: Map<string, TestModel>, tallies: TestTally[]): string[] {
  if (t.id === '(spec)') {
    // Union bound over the tests: only when every test is completely modelled.
    const tests = tallies.filter((x) => x.id !== '(spec)');
    const ms = tests.map((x) => models.get(x.id));
    if (!tests.length || ms.some((m) => !m)) return ['–', '–', '–', 'run-level only', '–'];
    const bound = Math.min(1, ms.reduce((s, m) => s + m!.bound, 0));
    const clean = ms.every((m) => m!.complete) && t.failedAt.every((o) => tests.some((x) => x.failedAt.includes(o)));
    return ['–', '–', '–', `≤ ${pctFine(bound)} (sum)`, clean && bound < FALSE_FAIL_TARGET ? '✓' : '✗'];
  }
  const m = models.get(t.id);
  if (!m) return ['–', '–', '–', 'run-level only', '–'];
  const seeds = m.seeds ? `${m.seeds.passed}/${m.seeds.total} (${m.seeds.calls.map((c) => `${c.min} of ${c.n}`).join(' + ')}; q ≤ ${pctFine(m.seeds.q)})` : '–';
  const constant = m.sites.filter((x) => x.constant).length;
  const sites = m.sites.length ? `${m.sites.length}${constant ? ` (${constant} constant)` : ''}` : '–';
  const other = m.otherFailures.length ? ` (+ failed outside the model at ${m.otherFailures.join(', ')})` : '';
  const partial = m.unmodelled ? ` (+ ${m.unmodelled} check${m.unmodelled > 1 ? 's' : ''} not modelled)` : '';
  return [seeds, sites, String(m.unmodelled), `≤ ${pctFine(m.bound)}${other}${partial}`, m.complete && m.bound < FALSE_FAIL_TARGET ? '✓' : '✗'];
}

export function renderTable(tallies: TestTally[], models: Map<string, TestModel> = new Map()): string {
  return [
    '| test | passes / runs | pass rate | 95% Wilson interval | failure rate, 95% upper bound (Clopper–Pearson) | failing offsets | per-seed checks: seeds passed / pooled | threshold checks (sites) | unmodelled checks | modelled false-fail bound | < 1% |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...tallies.map((t) => {
      const [lo, hi] = wilsonInterval(t.passes, t.runs);
      const up = clopperPearsonUpper(t.runs - t.passes, t.runs);
      return `| ${t.id} | ${t.passes}/${t.runs} | ${t.runs ? pct(t.passes / t.runs) : '–'} | [${pct(lo)}, ${pct(hi)}] | ≤ ${pct(up)} | ${t.failedAt.join(', ') || '–'} | ${modelCells(t, models, tallies).join(' | ')} |`;
    }),
  ].join('\n');
}

/** One row per threshold check: where it is, what it compares, and its modelled bound. */
export function renderSites(sites: MarginSite[]): string {
  const num = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(3)).toString() : '–');
  return [
    '| test | call site | check | scale | runs | mean margin | sd | 95% bound on P(fail) |',
    '|---|---|---|---|---|---|---|---|',
    ...sites.map((x) => `| ${x.id} | ${x.site} | ${x.op} ${x.limits.length > 1 ? `${num(x.limits[0])}…${num(x.limits.at(-1)!)}` : num(x.limits[0])} | ${x.scale === 'log' ? 'log10' : x.scale} | ${x.margins.length} | ${num(x.mean)} | ${num(x.sd)} | ${x.boundFromFailures ? `≤ ${pctFine(x.bound)} (failed ${x.failedRuns} of ${x.margins.length} runs: Clopper–Pearson)` : x.constant ? 'constant (not bounded)' : `≤ ${pctFine(x.bound)}`} |`),
  ].join('\n');
}

/** The report's explanation of the bounds. */
export function boundsNote(K: number): string {
  const zero = clopperPearsonUpper(0, K);
  return [
    `Run-level bound: one-sided 95% Clopper–Pearson on the failing runs (0 of ${K}: ≤ ${pct(zero)}; showing < 1% this way takes ~300 clean runs).`,
    'Per-seed checks (`toHoldForSeeds`, pass when ≥ min of N seeds pass): q is the one-sided 95% Clopper–Pearson bound on the per-seed failure rate from all K·N pooled seeds, and P(Binomial(N, q) > N − min) bounds the check\'s false-fail rate (seeds failing independently).',
    'Threshold checks (`toBeAtLeast/AtMost/Above/Below` on a pooled statistic): each call site\'s worst margin per run (a positive statistic on the log10 or linear scale, whichever leaves the margins less skewed; a ½-step continuity correction for integer ones) is modelled as normal; with 95% confidence (Bonferroni over Student-t on the mean and χ² on the sd) the chance of a margin past the threshold is at most Φ(−mean_lo / sd_hi). A site that failed in some runs gets at least the Clopper–Pearson bound on those failures (a second mode — a local minimum some seed sets fall into — fails more often than a normal fit says). A site whose margin was the same in every run has no spread to model: it is listed as constant and left out of the sum.',
    'A test\'s modelled bound sums its checks\' bounds (union bound). It is its false-fail bound only when every assertion it makes is modelled (equality and shape checks are counted as "unmodelled") and every failing run is explained by a modelled check; otherwise ✗, and the run-level bound is what holds.',
  ].join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), { spec: 'string', k: 'string', 'offset-step': 'string', 'dry-run': 'boolean', reanalyse: 'boolean', root: 'string', out: 'string', 'timeout-min': 'string', verbose: 'boolean' });
  const root = resolve((args.root as string) ?? process.cwd());
  if (!args.spec) throw new Error('--spec <name> is required (a substring of a file in specs/, comma-separated for several)');
  const specs = specFiles(root, args.spec as string, (d) => readdirSync(d));
  let K = Number(args.k ?? 20);
  const step = Number(args['offset-step'] ?? 1000);
  if (!Number.isInteger(K) || K < 1) throw new Error(`--k must be a positive integer; got ${args.k}`);
  if (!Number.isInteger(step) || step < 1) throw new Error(`--offset-step must be a positive integer; got ${args['offset-step']}`);
  const offsets = Array.from({ length: K }, (_, i) => step * (i + 1));
  const outDir = resolve((args.out as string) ?? join(root, 'out', 'flake'));
  const timeoutMs = Number(args['timeout-min'] ?? 90) * 60_000;
  if (args['dry-run']) {
    for (const spec of specs) for (const o of offsets) console.log(`TMS_SEED_OFFSET=${o} TMS_SKIP_FIGURES=1 TMS_GOLDEN=check npx vitest run ${spec} --reporter=json --outputFile=<tmp>`);
    return;
  }
  const scratch = mkdtempSync(join(tmpdir(), 'tms-flake-'));
  const refused: string[] = [];
  try {
    for (const spec of specs) {
      const name = basename(spec).replace(/\.spec\.ts$/, '');
      const runs: { offset: number; run: SpecRun; verdicts: VerdictLine[]; margins: MarginLine[]; assertions: ReturnType<typeof readAssertions>; runLines: RunLine[] }[] = [];
      let predatesCheck = false;
      if (args.reanalyse) {
        // Re-derive the tables from the runs a previous flake check saved (after a change to the models).
        const saved = JSON.parse(readFileSync(join(outDir, `${name}.json`), 'utf8')) as { offsets: number[]; runs: { offset: number; suiteError?: string; tests: SpecRun['tests']; verdicts: VerdictLine[]; margins?: MarginLine[]; assertions?: ReturnType<typeof readAssertions>; runLines?: RunLine[] }[] };
        offsets.splice(0, offsets.length, ...saved.offsets);
        predatesCheck = saved.runs.every((r) => !r.runLines);
        for (const r of saved.runs) runs.push({ offset: r.offset, run: { spec, tests: r.tests, suiteError: r.suiteError, exitCode: null, seconds: 0 }, verdicts: r.verdicts, margins: r.margins ?? [], assertions: r.assertions ?? [], runLines: r.runLines ?? [] });
      }
      for (const offset of args.reanalyse ? [] : offsets) {
        const verdictsDir = join(scratch, 'verdicts', name, String(offset));
        rmSync(verdictsDir, { recursive: true, force: true });
        process.stdout.write(`${spec} TMS_SEED_OFFSET=${offset} … `);
        const run = await runSpec(spec, {
          root,
          timeoutMs,
          verbose: !!args.verbose,
          env: {
            TMS_SEED_OFFSET: String(offset),
            TMS_SKIP_FIGURES: '1',
            TMS_GOLDEN: 'check',
            UPDATE_GOLDEN: undefined,
            TMS_MUTANT: undefined,
            TMS_OUT_DIR: join(scratch, 'out'),
            TMS_ARTIFACTS_DIR: join(scratch, 'artifacts'),
            TMS_VERDICTS_DIR: verdictsDir,
          },
        });
        runs.push({ offset, run, verdicts: readVerdicts(verdictsDir), margins: readMargins(verdictsDir), assertions: readAssertions(verdictsDir), runLines: readRuns(verdictsDir) });
        const failed = run.tests.filter((t) => t.status === 'failed').map((t) => t.id);
        console.log(`${failed.length ? `failed ${failed.join(', ')}` : run.suiteError ? `error: ${run.suiteError}` : 'passed'} [${run.seconds.toFixed(0)} s]`);
        // A repeat is certain as soon as it shows: do not spend hours on more copies of the same runs.
        if (runs.length >= 2 && checkSeedOffsets(seedSets(runs)).repeated.length) break;
      }
      const offsetCheck: OffsetCheck = checkSeedOffsets(seedSets(runs));
      if (predatesCheck) Object.assign(offsetCheck, { ok: false, reason: 'its saved runs predate the seed-offset check (they hold no run lines): rerun the flake check' });
      if (!offsetCheck.ok) {
        refused.push(spec);
        const text = refusal(spec, offsetCheck);
        console.error(text);
        mkdirSync(outDir, { recursive: true });
        const done = runs.map((r) => r.offset);
        writeFileSync(join(outDir, `${name}.json`), JSON.stringify({ spec, K: done.length, offsets: done, refused: true, offsetCheck, tallies: tally(runs), runs: runs.map(({ offset, run, verdicts, margins, assertions, runLines }) => ({ offset, suiteError: run.suiteError, tests: run.tests, verdicts, margins, assertions, runLines })) }, null, 2));
        writeFileSync(join(outDir, `${name}.md`), [`# Flake check: ${spec}`, '', '**Refused: no bound.**', '', text, ''].join('\n'));
        continue;
      }
      K = offsets.length;
      const engines = enginesOf(runs);
      const tallies = tally(runs);
      const pools = poolVerdicts(runs);
      const sites = poolMargins(runs);
      const models = testModels(runs, pools, sites, unmodelledChecks(runs));
      const table = renderTable(tallies, models);
      mkdirSync(outDir, { recursive: true });
      writeFileSync(join(outDir, `${name}.json`), JSON.stringify({ spec, K, offsets, engines, offsetCheck, tallies, seedPools: [...pools.values()], marginSites: sites, models: [...models.values()].map(({ id, bound, unmodelled, otherFailures, complete }) => ({ id, bound, unmodelled, otherFailures, complete })), runs: runs.map(({ offset, run, verdicts, margins, assertions, runLines }) => ({ offset, suiteError: run.suiteError, tests: run.tests, verdicts, margins, assertions, runLines })) }, null, 2));
      writeFileSync(join(outDir, `${name}.md`), [
        `# Flake check: ${spec}`,
        '',
        `${K} independent seed sets (TMS_SEED_OFFSET = ${offsets[0]}, ${offsets[1] ?? '…'}, …, ${offsets.at(-1)}) on engine ${engines.join(', ') || 'not recorded'}; figure tests skipped.`,
        '',
        `Seed offsets checked: no instance of the ${new Set(runs.flatMap((r) => r.runLines.map((l) => l.key))).size} runs trained under two offsets${Object.keys(offsetCheck.exempt).length ? `; declared seed-independent and left out: ${Object.entries(offsetCheck.exempt).map(([ns, why]) => `${ns} (${why})`).join(', ')}` : ''}.`,
        '',
        boundsNote(K).split('\n').join('\n\n'),
        '',
        table,
        '',
        '## Threshold checks',
        '',
        renderSites(sites),
        '',
        `Generated by \`npm run flake -- --spec ${args.spec}${K !== 20 ? ` --k ${K}` : ''}\` on ${new Date().toISOString()}${args.reanalyse ? ' (re-analysed from the saved runs)' : ''}.`,
        '',
      ].join('\n'));
      console.log(`\n${spec}\n${table}\nwrote ${join(outDir, `${name}.md`)}\n`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (refused.length) {
    console.error(`flake: refused ${refused.length} spec${refused.length > 1 ? 's' : ''} (${refused.length > 1 ? 'their' : 'its'} seed sets are not shown to be independent): ${refused.join(', ')}`);
    process.exitCode = 3;
  }
}

/** The seed sets as the offset check takes them: a crashed run may have trained nothing. */
const seedSets = (runs: { offset: number; run: SpecRun; runLines: RunLine[] }[]) => runs.map((r) => ({ offset: r.offset, runs: r.runLines, crashed: !!r.run.suiteError }));

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main().catch((e) => {
    console.error((e as Error).message);
    process.exit(2);
  });
}
