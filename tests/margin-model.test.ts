// The flake check's margin model: normal-theory quantiles, the bound on P(margin < 0), and how threshold
// checks logged by src/claims/margins.ts are pooled per call site and combined per test.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { betaI, chiSquareQuantile, gammaP, marginBound, normalCdf, studentTQuantile } from '../src/stats/normal.js';
import { marginHolds, poolMargins, scalesOf, signedMargin, skewness, unmodelledChecks } from '../scripts/lib/margin-pool.js';
import { testModels } from '../scripts/flake.js';
import type { MarginLine } from '../src/claims/margins.js';
import type { SpecRun } from '../scripts/lib/vitest-json.js';
import { clopperPearsonUpper } from '../src/stats/proportion.js';

describe('normal-theory helpers (reference values from R / scipy)', () => {
  it('Φ, Student t and χ² quantiles, incomplete gamma and beta', () => {
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-2.326348)).toBeCloseTo(0.01, 6);
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(studentTQuantile(0.975, 19)).toBeCloseTo(2.093024, 5); // qt(0.975, 19)
    expect(studentTQuantile(0.95, 4)).toBeCloseTo(2.131847, 5);
    expect(chiSquareQuantile(0.025, 19)).toBeCloseTo(8.906516, 4); // qchisq(0.025, 19)
    expect(chiSquareQuantile(0.975, 19)).toBeCloseTo(32.852327, 4);
    expect(gammaP(3, 2)).toBeCloseTo(0.3233236, 6); // pgamma(2, 3)
    expect(betaI(0.3, 2, 5)).toBeCloseTo(0.579825, 6); // pbeta(0.3, 2, 5)
  });

  it('Φ is monotone and symmetric', () => {
    fc.assert(fc.property(fc.double({ min: -8, max: 8, noNaN: true }), fc.double({ min: 0, max: 4, noNaN: true }), (x, d) => {
      expect(normalCdf(x + d)).toBeGreaterThanOrEqual(normalCdf(x) - 1e-12);
      expect(normalCdf(x) + normalCdf(-x)).toBeCloseTo(1, 7);
    }));
  });
});

describe('marginBound: 95% upper bound on P(margin < 0) from K normal margins', () => {
  it('matches the closed form: Φ(−(x̄ − t·s/√K) / (s·√((K−1)/χ²)))', () => {
    const xs = Array.from({ length: 20 }, (_, i) => 1 + 0.1 * Math.sin(i * 1.7));
    const m = marginBound(xs);
    const mean = xs.reduce((s, v) => s + v, 0) / 20;
    const sd = Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / 19);
    expect(m.meanLo).toBeCloseTo(mean - (2.093024 * sd) / Math.sqrt(20), 5);
    expect(m.sdHi).toBeCloseTo(sd * Math.sqrt(19 / 8.906516), 5);
    expect(m.bound).toBeCloseTo(normalCdf(-m.meanLo / m.sdHi), 12);
  });

  it('is conservative: on simulated normal margins it covers the true P(margin < 0) in ≥ 95% of trials', () => {
    // A seeded LCG + Box–Muller: 400 trials of K = 20 margins with true P(fail) = Φ(−2.5) ≈ 0.6%.
    let state = 12345;
    const u = () => ((state = (state * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
    const gauss = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
    const truth = normalCdf(-2.5);
    let covered = 0;
    for (let t = 0; t < 400; t++) if (marginBound(Array.from({ length: 20 }, () => 2.5 + gauss())).bound >= truth) covered++;
    expect(covered / 400).toBeGreaterThanOrEqual(0.95);
  });

  it('grows as the margins shrink or spread, and gives no bound without spread', () => {
    const base = [0.9, 1.1, 1.0, 0.95, 1.05, 1.02, 0.98, 1.0];
    expect(marginBound(base.map((v) => v - 0.5)).bound).toBeGreaterThan(marginBound(base).bound);
    expect(marginBound(base.map((v) => 1 + 2 * (v - 1))).bound).toBeGreaterThan(marginBound(base).bound);
    expect(marginBound([1, 1, 1]).bound).toBe(1);
    expect(marginBound([1]).bound).toBe(1);
  });
});

const line = (id: string, site: string, value: number, limit: number, op: MarginLine['op']): MarginLine => ({ test: `${id} t`, id, site, value, limit, op });

describe('pooling threshold checks per call site', () => {
  it('picks the scale: integers, positive (log10 or linear, the less skewed), or linear', () => {
    expect(scalesOf([{ value: 4, limit: 3 }, { value: 3, limit: 3 }])).toEqual(['integer']);
    expect(scalesOf([{ value: 1e-12, limit: 1e-6 }, { value: 0.5, limit: 0.9 }])).toEqual(['log', 'linear']);
    expect(scalesOf([{ value: -0.2, limit: 0 }])).toEqual(['linear']);
    expect(skewness([1, 2, 3])).toBeCloseTo(0, 12);
    expect(skewness([0, 0, 0, 10])).toBeGreaterThan(1);
    // p-values over decades: log; angle errors of 0.6–3° (a few small ones): linear
    const pick = (values: number[], limit: number, op: MarginLine['op']) => poolMargins(values.map((v) => ({ margins: [line('S', 's', v, limit, op)] })))[0].scale;
    expect(pick([1e-40, 1e-30, 1e-25, 1e-20, 1e-18, 1e-15, 1e-12, 1e-10], 1e-6, '<')).toBe('log');
    expect(pick([0.6, 0.72, 1.4, 1.5, 1.6, 1.8, 1.9, 2.0, 2.1, 2.3, 2.5, 3.0], 5, '<=')).toBe('linear');
    expect(signedMargin({ value: 1e-12, limit: 1e-6, op: '<' }, 'log')).toBeCloseTo(6, 10);
    expect(signedMargin({ value: 0.93, limit: 0.9, op: '>=' }, 'linear')).toBeCloseTo(0.03, 12);
    expect(marginHolds({ value: 3, limit: 3, op: '>=' })).toBe(true);
    expect(marginHolds({ value: 3, limit: 3, op: '>' })).toBe(false);
  });

  it('a loop site pools its worst margin per run; constant sites are flagged, not bounded', () => {
    const runs = Array.from({ length: 20 }, (_, k) => 0.95 + 0.01 * Math.sin(k)).map((v, k) => ({
      margins: [line('A', 's:1', v, 0.9, '>='), line('A', 's:1', v + 0.02, 0.9, '>='), line('A', 's:2', 7, 3, '>='), line('B', 's:9', 1e-8 * (k + 1), 1e-6, '<')],
    }));
    const sites = poolMargins(runs);
    const a1 = sites.find((x) => x.site === 's:1')!;
    expect(a1.margins).toHaveLength(20);
    expect(a1.margins[1]).toBeCloseTo(signedMargin({ value: 0.95 + 0.01 * Math.sin(1), limit: 0.9, op: '>=' }, a1.scale), 12); // the worse of the two hits
    expect(a1.bound).toBeGreaterThan(0);
    expect(a1.bound).toBeLessThan(0.01);
    const a2 = sites.find((x) => x.site === 's:2')!;
    expect(a2).toMatchObject({ scale: 'integer', constant: true, bound: 0 });
    const b = sites.find((x) => x.id === 'B')!;
    expect(b.scale).toBe('linear'); // evenly spread from 1e-8 to 2e-7: the log would skew it
    expect(b.margins[0]).toBeCloseTo(1e-6 - 1e-8, 18);
  });

  it('an integer count near its threshold gets a continuity-corrected, large bound', () => {
    const sites = poolMargins([3, 4, 3, 5, 4, 3, 4].map((v) => ({ margins: [line('K', 'k:1', v, 3, '>=')] })));
    expect(sites[0].scale).toBe('integer');
    expect(sites[0].bound).toBeGreaterThan(0.01);
  });

  it('observed failures floor the bound: a second mode the normal fit misses (C1.2 at K = 40)', () => {
    // 38 runs far on the passing side, 2 in a second mode past the threshold: the normal fit alone says < 1%
    const values = [...Array.from({ length: 38 }, (_, k) => 0.004 + 0.0002 * (k % 7)), 1.002, 1.006];
    const [site] = poolMargins(values.map((v) => ({ margins: [line('C', 'c:1', v, 0.5, '<')] })));
    expect(site.failedRuns).toBe(2);
    expect(site.boundFromFailures).toBe(true);
    expect(site.bound).toBeCloseTo(clopperPearsonUpper(2, 40), 12); // ≈ 14.9%
    const [clean] = poolMargins(values.slice(0, 38).map((v) => ({ margins: [line('C', 'c:1', v, 0.5, '<')] })));
    expect(clean).toMatchObject({ failedRuns: 0, boundFromFailures: false });
    expect(clean.bound).toBeLessThan(0.01);
  });

  it('per test: unmodelled assertions and unexplained failures void the modelled bound', () => {
    const mk = (status: 'passed' | 'failed'): SpecRun => ({ spec: 's', tests: [{ id: 'A', title: 'A t', status, failures: [], figure: false }], exitCode: 0, seconds: 1 });
    const margins = [line('A', 's:1', 0.95, 0.9, '>=')];
    const runs = [
      { offset: 1000, run: mk('passed'), verdicts: [], margins, assertions: [{ test: 'A t', id: 'A', assertions: 1 }] },
      { offset: 2000, run: mk('passed'), verdicts: [], margins: [line('A', 's:1', 0.97, 0.9, '>=')], assertions: [{ test: 'A t', id: 'A', assertions: 2 }] },
      { offset: 3000, run: mk('failed'), verdicts: [], margins: [line('A', 's:1', 0.96, 0.9, '>=')], assertions: [{ test: 'A t', id: 'A', assertions: 2 }] },
    ];
    const unmodelled = unmodelledChecks(runs);
    expect(unmodelled.get('A')).toBe(1);
    const m = testModels(runs, new Map(), poolMargins(runs), unmodelled).get('A')!;
    expect(m.otherFailures).toEqual([3000]); // failed though its logged check held
    expect(m.complete).toBe(false);
  });
});

describe('the threshold matchers log what the flake check pools', () => {
  it('appends value, threshold, op and call site to margins.jsonl', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tms-margins-'));
    const before = process.env.TMS_VERDICTS_DIR;
    process.env.TMS_VERDICTS_DIR = dir;
    try {
      await import('../src/claims/margins.js');
      expect(0.93).toBeAtLeast(0.9);
      expect(2).toBeBelow(3);
      expect(() => expect(0.5).toBeAtMost(0.4)).toThrow(/expected 0.5 to be <= 0.4/);
      const lines = readFileSync(join(dir, 'margins.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as MarginLine);
      expect(lines.map((l) => [l.value, l.limit, l.op])).toEqual([[0.93, 0.9, '>='], [2, 3, '<'], [0.5, 0.4, '<=']]);
      expect(lines[0].site).toMatch(/^tests\/margin-model\.test\.ts:\d+$/);
    } finally {
      if (before === undefined) delete process.env.TMS_VERDICTS_DIR;
      else process.env.TMS_VERDICTS_DIR = before;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('claim ids from vitest test names', () => {
  it("finds the title even when it contains ' > ' itself", async () => {
    const { testName } = await import('../src/claims/margins.js');
    expect(testName('C6 privileged basis > C6.3 trend over S > 0 models, z ≥ 3.09')).toEqual({ test: 'C6.3 trend over S > 0 models, z ≥ 3.09', id: 'C6.3' });
    expect(testName('suite > X.1 probe')).toEqual({ test: 'X.1 probe', id: 'X.1' });
    expect(testName('a > b')).toEqual({ test: 'b', id: 'b' });
    expect(testName(undefined)).toEqual({ test: '', id: '' });
  });
});

describe('flake summary over specs', () => {
  it('lists every test with its bound, sums them per spec, and marks incomplete models', async () => {
    const { summaryTable } = await import('../scripts/flake-summary.js');
    const table = summaryTable([
      { spec: 'specs/a.spec.ts', K: 20, tallies: [{ id: 'A.1', passes: 20, runs: 20 }, { id: 'A.2', passes: 20, runs: 20 }, { id: '(spec)', passes: 20, runs: 20 }], models: [{ id: 'A.1', bound: 0.004, unmodelled: 0, otherFailures: [], complete: true }, { id: 'A.2', bound: 0.003, unmodelled: 0, otherFailures: [], complete: true }], marginSites: [{ id: 'A.2', constant: true }] },
      { spec: 'specs/b.spec.ts', K: 20, tallies: [{ id: 'B.1', passes: 19, runs: 20 }, { id: '(spec)', passes: 19, runs: 20 }], models: [{ id: 'B.1', bound: 0.001, unmodelled: 1, otherFailures: [], complete: false }] },
    ]);
    expect(table).toContain('| a.spec.ts | A.1 | 20/20 | ≤ 0.40% | – | ✓ |');
    expect(table).toContain('| a.spec.ts | A.2 | 20/20 | ≤ 0.30% | 1 | ✓ |');
    expect(table).toContain('| a.spec.ts | **whole spec** (sum; on native) | 20/20 | ≤ 0.70% | | ✓ |');
    expect(table).toContain('| b.spec.ts | B.1 | 19/20 | ≤ 0.10% (incomplete: run-level bound applies) | – | ✗ |');
    expect(table).toContain('| b.spec.ts | **whole spec** (sum; on native) | 19/20 | ≤ 0.10% | | ✗ |');
  });
});
