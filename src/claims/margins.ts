// Threshold matchers that also log how far the statistic landed from its threshold, so the flake check
// (scripts/flake.ts) can model a pooled statistic's false-fail rate from its spread over K seed sets
// instead of only counting failing runs (which needs ~300 runs to show < 1%).
//   expect(share).toBeAtLeast(0.9)   expect(err).toBeAtMost(0.05)   expect(p).toBeBelow(1e-6)   expect(z).toBeAbove(3)
// With TMS_VERDICTS_DIR set, each call appends {test, id, site, value, limit, op} to <dir>/margins.jsonl, and
// every test appends its total assertion count to <dir>/assertions.jsonl: checks the model cannot see (toBe,
// toEqual, …) are then counted, and the flake report does not claim a modelled bound for those tests.
import { afterEach, expect } from 'vitest';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../paths.js';

export type MarginOp = '>=' | '<=' | '>' | '<';

/** One threshold check (a line of <TMS_VERDICTS_DIR>/margins.jsonl). */
export interface MarginLine {
  test: string;
  id: string;
  /** the call site (spec file:line), so a check inside a loop pools with itself across runs */
  site: string;
  value: number;
  limit: number;
  op: MarginOp;
  /** > 0 for the 2nd, 3rd, … condition a compound matcher (e.g. toBeShape) logs for one assertion */
  part?: number;
}

/** A test's assertion count (a line of <TMS_VERDICTS_DIR>/assertions.jsonl). */
export interface AssertionLine {
  test: string;
  id: string;
  assertions: number;
}

interface MarginMatchers<R = unknown> {
  /** received ≥ limit */
  toBeAtLeast(limit: number): R;
  /** received ≤ limit */
  toBeAtMost(limit: number): R;
  /** received > limit */
  toBeAbove(limit: number): R;
  /** received < limit */
  toBeBelow(limit: number): R;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface Matchers<T = any> extends MarginMatchers<T> {}
}

const verdictsDir = () => process.env.TMS_VERDICTS_DIR;

/** With TMS_VERDICTS_DIR set, appends one JSON line to <dir>/<file> (a short line: one write). */
export function append(file: string, line: unknown): void {
  const dir = verdictsDir();
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, file), `${JSON.stringify(line)}\n`); // a short line: one write
}

/** The test's title and claim id (its first word). vitest joins describe and test titles with ' > ', which
 *  a title may contain itself ("S > 0"): the title starts at the last segment that opens with an id. */
export function testName(currentTestName?: string): { test: string; id: string } {
  const parts = (currentTestName ?? '').split(' > ');
  let i = parts.length - 1;
  for (let k = parts.length - 1; k >= 0; k--) if (/^[A-Za-z][\w-]*\.\w+(\s|$)/.test(parts[k])) {
    i = k;
    break;
  }
  const test = parts.slice(i).join(' > ');
  return { test, id: test.split(' ')[0] };
}

/** The first stack frame in a spec or test file, as "file:line" (falls back to "?"). */
function callSite(): string {
  const frames = (new Error().stack ?? '').split('\n');
  for (const f of frames) {
    const m = /\(?((?:file:\/\/)?\/[^():]+\.(?:spec|test)\.ts):(\d+):\d+\)?/.exec(f);
    if (m) return `${relative(REPO_ROOT, m[1].replace(/^file:\/\//, ''))}:${m[2]}`;
  }
  return '?';
}

/** The comparison of each op (the matchers' verdict; the flake check re-reads logged lines with it). */
export const holds: Record<MarginOp, (v: number, l: number) => boolean> = {
  '>=': (v, l) => v >= l,
  '<=': (v, l) => v <= l,
  '>': (v, l) => v > l,
  '<': (v, l) => v < l,
};

/** Logs the conditions one assertion tests (a matcher's `this`; nothing under .not or for non-finite numbers). */
export function logMargins(ctx: { currentTestName?: string; isNot?: boolean }, conditions: { value: number; limit: number; op: MarginOp }[]): void {
  if (ctx.isNot || !verdictsDir()) return;
  const site = callSite();
  conditions.forEach(({ value, limit, op }, part) => {
    if (Number.isFinite(value) && Number.isFinite(limit)) append('margins.jsonl', { ...testName(ctx.currentTestName), site, value, limit, op, ...(part ? { part } : {}) } satisfies MarginLine);
  });
}

function check(this: { currentTestName?: string; isNot?: boolean }, received: unknown, limit: number, op: MarginOp) {
  if (typeof received !== 'number' || typeof limit !== 'number') throw new TypeError(`expected numbers, got ${typeof received} ${op} ${typeof limit}`);
  logMargins(this, [{ value: received, limit, op }]);
  return {
    pass: holds[op](received, limit),
    message: () => `expected ${received} ${this.isNot ? 'not ' : ''}to be ${op} ${limit}`,
  };
}

expect.extend({
  toBeAtLeast(received: unknown, limit: number) {
    return check.call(this, received, limit, '>=');
  },
  toBeAtMost(received: unknown, limit: number) {
    return check.call(this, received, limit, '<=');
  },
  toBeAbove(received: unknown, limit: number) {
    return check.call(this, received, limit, '>');
  },
  toBeBelow(received: unknown, limit: number) {
    return check.call(this, received, limit, '<');
  },
});

// Count every assertion of each test (vitest counts each expect(…).matcher call), flake runs only.
if (verdictsDir()) {
  afterEach(() => {
    const { assertionCalls, currentTestName } = expect.getState();
    append('assertions.jsonl', { ...testName(currentTestName), assertions: assertionCalls } satisfies AssertionLine);
  });
}

