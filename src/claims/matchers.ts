// Custom matchers that let specs read like the paper's claims. Failure messages say how many seeds met
// the claim and give the command that reruns just this claim.
import { expect } from 'vitest';
import { relative } from 'node:path';
import type { Params } from '../types.js';
import { featureNorms, gram } from '../metrics/features.js';
import { REPO_ROOT } from '../paths.js';
import { append, logMargins, testName } from './margins.js';
import { shape2d, shapeConditions } from '../metrics/geometry2d.js';
import { requiredSeeds, SEED_DESIGN } from '../stats/design.js';

/** One seed's verdict on a claim, with the numbers that decided it. */
export interface SeedVerdict {
  seed: number;
  pass: boolean;
  detail: string;
}

interface ClaimMatchers<R = unknown> {
  /** at least `min` of the seeds' verdicts pass */
  toHoldForSeeds(min: number): R;
  /** at least requiredSeeds(N) of the N verdicts pass (the 3%-per-seed / 1%-per-spec design, src/stats/design.ts) */
  toHoldForMostSeeds(): R;
  /** ‖W_i‖ > threshold exactly for the k most important features (0..k-1), < threshold for the rest;
   *  given a list of models, for requiredSeeds(N) of them (labelled by index in the message) */
  toRepresentTopFeatures(k: number, threshold?: number): R;
  /** WᵀW is within `tol` (max abs entry) of the projection onto the top k features (a list: most of them) */
  toBeProjectionOntoTop(k: number, tol: number): R;
  /** a 2-D model's features form `shape` (shape2d); each defining inequality is logged as a threshold check */
  toBeShape(shape: 'antipodal-pairs' | 'pentagon'): R;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface Matchers<T = any> extends ClaimMatchers<T> {}
}

const fmt = (xs: number[]) => xs.map((v) => v.toFixed(2)).join(' ');

/** One toHoldForSeeds call, as scripts/flake.ts pools them (a line of <TMS_VERDICTS_DIR>/verdicts.jsonl). */
export interface VerdictLine {
  /** the test's title (starts with the claim id) */
  test: string;
  /** the claim id: the title's first word */
  id: string;
  /** seeds judged */
  n: number;
  /** seeds that must pass */
  min: number;
  /** seeds that passed */
  passed: number;
  /** TMS_SEED_OFFSET of the run ('0' when unset) */
  offset: string;
}

/** With TMS_VERDICTS_DIR set, appends the call's counts to <dir>/verdicts.jsonl (a short line: one write). */
const logVerdicts = (line: VerdictLine): void => append('verdicts.jsonl', line);

function holdForSeeds(ctx: { testPath?: string; currentTestName?: string }, received: SeedVerdict[], min: number, why: string) {
  const ok = received.filter((v) => v.pass).length;
  const file = ctx.testPath ? relative(REPO_ROOT, ctx.testPath) : 'specs';
  const { test: name, id } = testName(ctx.currentTestName);
  logVerdicts({ test: name, id, n: received.length, min, passed: ok, offset: process.env.TMS_SEED_OFFSET ?? '0' });
  return {
    pass: ok >= min,
    message: () =>
      `${name}\n  held for ${ok}/${received.length} seeds (needs ≥ ${min}${why}).\n` +
      received.map((v) => `  seed ${v.seed}: ${v.pass ? 'ok  ' : 'FAIL'} ${v.detail}`).join('\n') +
      `\n  rerun: npx vitest run ${file} -t '${id}'`,
  };
}

expect.extend({
  toBeShape(received: Params, shape: 'antipodal-pairs' | 'pentagon') {
    const conditions = shapeConditions(received, shape);
    logMargins(this, conditions);
    const got = shape2d(received);
    return {
      pass: got === shape,
      message: () => `expected the features to form ${shape}, got ${got}: ${conditions.map((c) => `${c.what} ${+c.value.toFixed(3)} (needs ${c.op} ${c.limit})`).join('; ')}`,
    };
  },
  toHoldForSeeds(received: SeedVerdict[], min: number) {
    return holdForSeeds(this, received, min, '');
  },
  toHoldForMostSeeds(received: SeedVerdict[]) {
    const min = requiredSeeds(received.length);
    return holdForSeeds(this, received, min, ` (${min} of ${received.length}: a claim holding for ≥ ${100 - SEED_DESIGN.perSeedFailure * 100}% of seeds fails this with probability < ${SEED_DESIGN.specFalseFail * 100}%)`);
  },
  toRepresentTopFeatures(received: Params | Params[], k: number, threshold = 0.5) {
    const one = (p: Params) => {
      const norms = featureNorms(p);
      const bad = norms.flatMap((v, i) => ((i < k ? v > threshold : v < threshold) ? [] : [i]));
      return { pass: bad.length === 0, detail: bad.length ? `features ${bad.join(', ')} disagree; norms: ${fmt(norms)}` : `norms: ${fmt(norms)}` };
    };
    if (Array.isArray(received)) return holdForSeeds(this, received.map((p, i) => ({ seed: i, ...one(p) })), requiredSeeds(received.length), ` of models with exactly features 0..${k - 1} above ${threshold}`);
    const r = one(received);
    return { pass: r.pass, message: () => `expected exactly features 0..${k - 1} to have ‖W_i‖ > ${threshold}; ${r.detail}` };
  },
  toBeProjectionOntoTop(received: Params | Params[], k: number, tol: number) {
    const one = (p: Params) => {
      const G = gram(p);
      let worst = 0;
      let at = [0, 0];
      G.forEach((row, i) => row.forEach((g, j) => {
        const want = i === j && i < k ? 1 : 0;
        if (Math.abs(g - want) > worst) [worst, at] = [Math.abs(g - want), [i, j]];
      }));
      return { pass: worst <= tol, detail: `worst WᵀW entry (${at[0]},${at[1]}) off by ${worst.toFixed(4)}` };
    };
    if (Array.isArray(received)) return holdForSeeds(this, received.map((p, i) => ({ seed: i, ...one(p) })), requiredSeeds(received.length), ` of models with WᵀW within ${tol} of the projection`);
    const r = one(received);
    return { pass: r.pass, message: () => `expected WᵀW within ${tol} of the projection onto features 0..${k - 1}; ${r.detail}` };
  },
});

/** The failure message of a check that asserts every seed through its worst value (a threshold check with a
 *  margin, e.g. `expect(Math.max(...counts), seedTally(verdicts)).toBeBelow(m)`), or pools the seeds (`needs` says
 *  what is asserted instead): how many seeds held, and each one. For a few seeds whose values sit far from the
 *  threshold, where a count of passing seeds cannot bound a false fail (4 seeds: the flake check's 80 passing seeds
 *  leave ≈ 0.8% for "3 of 4"). */
export function seedTally(verdicts: SeedVerdict[], needs = 'every seed'): string {
  return `held for ${verdicts.filter((v) => v.pass).length}/${verdicts.length} seeds (needs ${needs}):\n` + verdicts.map((v) => `  seed ${v.seed}: ${v.pass ? 'ok  ' : 'FAIL'} ${v.detail}`).join('\n');
}

/** Builds a seed verdict from a predicate and a detail string. */
export const verdict = (seed: number, pass: boolean, detail: string): SeedVerdict => ({ seed, pass, detail });
