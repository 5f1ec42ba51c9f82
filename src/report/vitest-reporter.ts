// A vitest reporter that records every test's name, state, duration and errors to out/results/<tier>.json
// and then (re)builds the claims report (out/report/<tier>/index.html and summary.md).
//
// `tms reproduce` uses it; for a plain vitest run, turn it on with TMS_REPORT=1 (see vitest.config.ts), or
// name it:  npx vitest run --reporter=default --reporter=./src/report/vitest-reporter.ts
// It also works with `npx vitest run --merge-reports` after a sharded run.
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import type { Reporter, SerializedError, TestCase, TestModule, TestRunEndReason, Vitest } from 'vitest/node';
import { REPO_ROOT } from '../paths.js';
import { outDir } from '../claims/record.js';
import { tier } from '../tier.js';
import { claimOf, mergeResults, type ModuleRecord, type TestRecord } from './results.js';
import { specDefinitions, writeReport } from './build.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
const MAX_LINES = 40;

/** An error as text: message, diff if any, and the first stack lines in our code. */
export function errorText(e: SerializedError & { diff?: string }): string {
  const lines = [`${e.name && e.name !== 'Error' && !String(e.message).startsWith(e.name) ? `${e.name}: ` : ''}${e.message ?? String(e)}`];
  if (e.diff) lines.push(e.diff);
  const stack = (e.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l) && !l.includes('node_modules') && !l.includes('node:'));
  lines.push(...stack.slice(0, 3));
  const text = lines.join('\n').replace(ANSI, '');
  const all = text.split('\n');
  return all.length > MAX_LINES ? [...all.slice(0, MAX_LINES), `… (${all.length - MAX_LINES} more lines)`].join('\n') : text;
}

function testRecord(t: TestCase): TestRecord {
  const r = t.result();
  return {
    name: t.name,
    fullName: t.fullName,
    ...claimOf(t.name),
    state: r.state,
    durationMs: Math.round(t.diagnostic()?.duration ?? 0),
    errors: (r.errors ?? []).map((e) => errorText(e)),
  };
}

export function moduleRecord(m: TestModule, root: string): ModuleRecord {
  const rel = relative(root, m.moduleId);
  const errors = [...m.errors(), ...Array.from(m.children.allSuites()).flatMap((s) => s.errors())].map((e) => errorText(e));
  return {
    file: rel.startsWith('..') || isAbsolute(rel) ? m.moduleId : rel.split('\\').join('/'),
    state: m.state(),
    durationMs: Math.round(m.diagnostic().duration),
    errors,
    tests: Array.from(m.children.allTests()).map(testRecord),
    finishedAt: new Date().toISOString(),
  };
}

export interface ClaimsReporterOptions {
  /** also build out/report/<tier>/ (default true) */
  report?: boolean;
  /** print where the report is (default true) */
  log?: boolean;
}

export default class ClaimsReporter implements Reporter {
  private root = REPO_ROOT;
  /** the last run's outcome: ok = every module passed and no unhandled errors; report paths when built */
  last?: { ok: boolean; html: string; md: string; data: ReturnType<typeof writeReport>['data'] };
  constructor(private readonly opts: ClaimsReporterOptions = {}) {}

  onInit(vitest: Vitest): void {
    this.root = vitest.config.root;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): void {
    const t = tier();
    const records = modules.map((m) => moduleRecord(m, this.root));
    const exists = (file: string) => existsSync(isAbsolute(file) ? file : join(this.root, file));
    mergeResults(outDir(), t, records, exists);
    if (this.opts.report === false) return;
    // the definitions of the specs of the project that ran (its specs/), also for claims not run this time
    const { html, md, data } = writeReport({ tier: t, definitions: specDefinitions(t, join(this.root, 'specs')) });
    const ok = reason === 'passed' && errors.length === 0 && records.every((m) => m.errors.length === 0 && m.tests.every((x) => x.state !== 'failed'));
    this.last = { ok, html, md, data };
    if (this.opts.log !== false) {
      const rel = (p: string) => relative(process.cwd(), p);
      process.stdout.write(`\nclaims report (${t} tier): ${rel(html)}  ·  ${rel(md)}\n`);
    }
  }
}
