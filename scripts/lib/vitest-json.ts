// Runs one spec file with vitest's JSON reporter in a child process and returns each test's outcome.
// Shared by scripts/mutants.ts and scripts/flake.ts.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

export type Status = 'passed' | 'failed' | 'skipped';

export interface TestOutcome {
  /** the claim id: the test title's first word, e.g. "C2.3" (the whole title when it has none) */
  id: string;
  title: string;
  status: Status;
  /** first line of each failure message */
  failures: string[];
  /** a figure test (".fig" id) or one whose failure is a golden-image mismatch */
  figure: boolean;
}

export interface SpecRun {
  spec: string;
  tests: TestOutcome[];
  /** an error outside any test (import failure, beforeAll throwing, timeout): every test counts as failed */
  suiteError?: string;
  exitCode: number | null;
  seconds: number;
}

export interface RunOptions {
  /** project root the spec path is relative to (default: cwd); a vitest config there is used as usual */
  root?: string;
  /** extra environment (undefined values are removed) */
  env?: Record<string, string | undefined>;
  /** wall-clock limit; the child's process group is killed after it */
  timeoutMs?: number;
  /** print vitest's own output (default: only a one-line summary) */
  verbose?: boolean;
}

export const testIdOf = (title: string) => /^\S+/.exec(title.trim())?.[0] ?? title;
const firstLine = (s: string) => s.split('\n').find((l) => l.trim())?.trim() ?? '';

/** The first `SomethingError: …` line of a run's console output, without colour codes. */
export const errorLine = (output: string): string | undefined =>
  stripVTControlCharacters(output).split('\n').map((l) => l.trim()).find((l) => /^[A-Z]\w*Error: /.test(l));

/** The outcomes in a vitest JSON report (exported for tests). */
export function parseReport(json: unknown, spec: string, output = ''): Pick<SpecRun, 'tests' | 'suiteError'> {
  const r = json as { testResults?: { name: string; status: string; message?: string; assertionResults?: { title: string; status: string; failureMessages?: string[] | null }[] }[] };
  const files = r.testResults ?? [];
  const tests: TestOutcome[] = [];
  let suiteError: string | undefined;
  for (const f of files) {
    for (const a of f.assertionResults ?? []) {
      const status: Status = a.status === 'passed' ? 'passed' : a.status === 'failed' ? 'failed' : 'skipped';
      const failures = (a.failureMessages ?? []).map(firstLine);
      const id = testIdOf(a.title);
      const figure = /\.fig\b/.test(id) || (status === 'failed' && (a.failureMessages ?? []).some((m) => /golden "[^"]*" (mismatch|is missing)/.test(m)));
      tests.push({ id, title: a.title, status, failures, figure });
    }
    // A file fails with its tests; without a failed test it failed outside them (a hook, its setup). Vitest 4
    // reports an error thrown in a describe's beforeAll with an empty message: the run's output names it.
    const testFailed = (f.assertionResults ?? []).some((a) => a.status === 'failed');
    if (f.status === 'failed' && (f.message || !testFailed)) suiteError = firstLine(f.message ?? '') || errorLine(output) || 'the suite failed outside its tests (vitest gave no message)';
  }
  if (files.length === 0) suiteError = `vitest ran no test file for ${spec}`;
  // A failing beforeAll leaves its tests skipped (or failed with the hook's error): the suite failed.
  if (suiteError && tests.every((t) => t.status !== 'passed')) for (const t of tests) if (t.status === 'skipped' && !t.figure) t.status = 'failed';
  return { tests, suiteError };
}

export async function runSpec(spec: string, opts: RunOptions = {}): Promise<SpecRun> {
  const root = resolve(opts.root ?? process.cwd());
  const tmp = mkdtempSync(join(tmpdir(), 'tms-vitest-json-'));
  const outFile = join(tmp, 'report.json');
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const args = ['--no-install', 'vitest', 'run', relative(root, resolve(root, spec)), '--reporter=json', '--reporter=dot', `--outputFile.json=${outFile}`]; // dot: the json report loses a suite's own error
  const t0 = performance.now();
  const { code, output, timedOut } = await new Promise<{ code: number | null; output: string; timedOut: boolean }>((done) => {
    const child = spawn('npx', args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    let timedOut = false;
    const keep = (d: Buffer) => {
      if (opts.verbose) process.stderr.write(d);
      output = (output + d.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          try {
            process.kill(-child.pid!, 'SIGKILL'); // the vitest process group we started
          } catch {
            /* already gone */
          }
        }, opts.timeoutMs)
      : undefined;
    child.on('close', (c) => {
      if (timer) clearTimeout(timer);
      done({ code: c, output, timedOut });
    });
  });
  const seconds = (performance.now() - t0) / 1000;
  try {
    if (timedOut) return { spec, tests: [], suiteError: `timed out after ${Math.round(opts.timeoutMs! / 1000)} s`, exitCode: code, seconds };
    if (!existsSync(outFile)) return { spec, tests: [], suiteError: `vitest wrote no report (exit ${code}): ${output.trim().split('\n').slice(-3).join(' / ')}`, exitCode: code, seconds };
    return { spec, ...parseReport(JSON.parse(readFileSync(outFile, 'utf8')), spec, output), exitCode: code, seconds };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** `--name value` / `--name=value` / `--flag` command-line options. */
export function parseArgs(argv: string[], known: Record<string, 'string' | 'boolean'>): Record<string, string | boolean | undefined> {
  const out: Record<string, string | boolean | undefined> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--([\w-]+)(?:=(.*))?$/.exec(a);
    if (!m || !(m[1] in known)) throw new Error(`unknown argument ${JSON.stringify(a)}; known: ${Object.keys(known).map((k) => `--${k}`).join(' ')}`);
    if (known[m[1]] === 'boolean') out[m[1]] = true;
    else {
      const v = m[2] ?? argv[++i];
      if (v === undefined) throw new Error(`--${m[1]} needs a value`);
      out[m[1]] = v;
    }
  }
  return out;
}

/** Spec files under <root>/specs, optionally filtered by comma-separated substrings of their names. */
export function specFiles(root: string, filter: string | undefined, list: (dir: string) => string[]): string[] {
  const all = list(join(root, 'specs')).filter((f) => f.endsWith('.spec.ts')).sort().map((f) => `specs/${f}`);
  if (!filter) return all;
  const wanted = filter.split(',').map((s) => s.trim()).filter(Boolean);
  // An exact name (with or without .spec.ts) picks that file only; otherwise every file containing it.
  const exact = (f: string, w: string) => f === w || f === `specs/${w}` || f === `specs/${w}.spec.ts`;
  const picked = all.filter((f) => wanted.some((w) => (all.some((g) => exact(g, w)) ? exact(f, w) : f.includes(w))));
  const missing = wanted.filter((w) => !all.some((f) => f.includes(w)));
  if (missing.length) throw new Error(`no spec matches ${missing.join(', ')}; specs: ${all.join(', ')}`);
  return picked;
}
