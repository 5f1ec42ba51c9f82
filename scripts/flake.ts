// Flake check: how often does a claim spec fail on seeds it was not tuned on? Reruns the spec under K
// independent seed sets (run k uses TMS_SEED_OFFSET = 1000·k, k = 1..K; the committed seeds are k = 0) and
// reports each test's pass rate with a 95% Wilson interval and a one-sided 95% Clopper–Pearson upper bound
// on its failure rate: if the claim is true, that bounds how often the spec fails falsely.
//
//   npm run flake -- --spec c2-linear [--k 20] [--offset-step 1000] [--dry-run]
//
// Figure tests are skipped (TMS_SKIP_FIGURES=1: the figures are drawn from the committed seeds). Each seed set
// is trained once and cached (the seeds are part of the run config), so a rerun only re-checks.
// Writes out/flake/<spec>.md and .json.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { clopperPearsonUpper, wilsonInterval } from '../src/stats/proportion.js';
import { parseArgs, runSpec, specFiles, type SpecRun } from './lib/vitest-json.js';

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

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export function renderTable(tallies: TestTally[]): string {
  return [
    '| test | passes / runs | pass rate | 95% Wilson interval | failure rate, 95% upper bound (Clopper–Pearson) | failing offsets |',
    '|---|---|---|---|---|---|',
    ...tallies.map((t) => {
      const [lo, hi] = wilsonInterval(t.passes, t.runs);
      const up = clopperPearsonUpper(t.runs - t.passes, t.runs);
      return `| ${t.id} | ${t.passes}/${t.runs} | ${t.runs ? pct(t.passes / t.runs) : '–'} | [${pct(lo)}, ${pct(hi)}] | ≤ ${pct(up)} | ${t.failedAt.join(', ') || '–'} |`;
    }),
  ].join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), { spec: 'string', k: 'string', 'offset-step': 'string', 'dry-run': 'boolean', root: 'string', out: 'string', 'timeout-min': 'string', verbose: 'boolean' });
  const root = resolve((args.root as string) ?? process.cwd());
  if (!args.spec) throw new Error('--spec <name> is required (a substring of a file in specs/, comma-separated for several)');
  const specs = specFiles(root, args.spec as string, (d) => readdirSync(d));
  const K = Number(args.k ?? 20);
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
  try {
    for (const spec of specs) {
      const runs: { offset: number; run: SpecRun }[] = [];
      for (const offset of offsets) {
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
          },
        });
        runs.push({ offset, run });
        const failed = run.tests.filter((t) => t.status === 'failed').map((t) => t.id);
        console.log(`${failed.length ? `failed ${failed.join(', ')}` : run.suiteError ? `error: ${run.suiteError}` : 'passed'} [${run.seconds.toFixed(0)} s]`);
      }
      const tallies = tally(runs);
      const table = renderTable(tallies);
      const name = basename(spec).replace(/\.spec\.ts$/, '');
      mkdirSync(outDir, { recursive: true });
      writeFileSync(join(outDir, `${name}.json`), JSON.stringify({ spec, K, offsets, tallies, runs: runs.map(({ offset, run }) => ({ offset, suiteError: run.suiteError, tests: run.tests })) }, null, 2));
      writeFileSync(join(outDir, `${name}.md`), [
        `# Flake check: ${spec}`,
        '',
        `${K} independent seed sets (TMS_SEED_OFFSET = ${offsets[0]}, ${offsets[1] ?? '…'}, …, ${offsets.at(-1)}); figure tests skipped.`,
        'The upper bound is one-sided 95% Clopper–Pearson: with 0 failures in 20 runs, the false-fail rate is ≤ 13.9%.',
        '',
        table,
        '',
        `Generated by \`npm run flake -- --spec ${args.spec}${K !== 20 ? ` --k ${K}` : ''}\` on ${new Date().toISOString()}.`,
        '',
      ].join('\n'));
      console.log(`\n${spec}\n${table}\nwrote ${join(outDir, `${name}.md`)}\n`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main().catch((e) => {
    console.error((e as Error).message);
    process.exit(2);
  });
}
