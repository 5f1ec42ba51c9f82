// npm run flake:summary's suite total (union bound over the specs) against the CI target, its refused and
// unverified specs, and re-reading a rendered summary (docs/flake.md) when the per-spec JSON is gone.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergeSaved, summaryTable, suiteTotal, SUITE_TARGET, withUnchecked, type Saved } from '../scripts/flake-summary.js';
import { parsePercent, parseSummary } from '../scripts/lib/summary-markdown.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const checked = { ok: true, repeated: [], shared: [], empty: [], exempt: {} };
const spec = (name: string, bounds: number[], extra: Partial<Saved> = {}): Saved => ({
  spec: `specs/${name}.spec.ts`,
  K: 20,
  offsetCheck: checked,
  engines: ['native-f32'],
  tallies: [...bounds.map((_, i) => ({ id: `${name}.${i + 1}`, passes: 20, runs: 20 })), { id: '(spec)', passes: 20, runs: 20 }],
  models: bounds.map((bound, i) => ({ id: `${name}.${i + 1}`, bound, unmodelled: 0, otherFailures: [], complete: true })),
  ...extra,
});

describe('suite total', () => {
  it('sums the specs (each the sum of its tests) and meets the target only below it', () => {
    const ok = suiteTotal([spec('A', [0.001, 0.0005]), spec('B', [0.002])]);
    expect(ok.bound).toBeCloseTo(0.0035, 12);
    expect(ok).toMatchObject({ met: true, line: '**Suite total** (union bound over 2 specs): ≤ 0.35% per CI run; target ≤ 0.50% per CI run: met' });
    const over = suiteTotal([spec('A', [0.003]), spec('B', [0.0025])]);
    expect(over.met).toBe(false);
    expect(over.line).toBe('**Suite total** (union bound over 2 specs): ≤ 0.55% per CI run; target ≤ 0.50% per CI run: **not met** (0.55% > 0.50%)');
    expect(SUITE_TARGET).toBe(0.005);
  });

  it('a refused spec counts as 1 and is named; unverified offsets, incomplete models and K < 20 are not met', () => {
    const refused = spec('R', [], { refused: true, offsetCheck: { ...checked, ok: false, reason: 'its runs did not change with TMS_SEED_OFFSET, so …' } });
    const t = suiteTotal([spec('A', [0.001]), refused]);
    expect(t.bound).toBe(1);
    expect(t.line).toMatch(/: \*\*not met\*\* \(100\.00% > 0\.50%; refused: R\)$/);
    expect(summaryTable([refused])).toContain('| R.spec.ts | **refused** | – | no bound: its runs did not change with TMS_SEED_OFFSET, so … | | ✗ |');
    expect(suiteTotal([spec('A', [0.001], { offsetCheck: undefined }), spec('B', [0.001])]).line).toMatch(/\(seed offsets not verified \(saved before the check\): A\)$/);
    const incomplete = spec('A', [0.001]);
    incomplete.models![0].complete = false;
    expect(suiteTotal([incomplete]).line).toMatch(/\(incomplete models: A\)$/);
    expect(suiteTotal([spec('A', [0.001], { K: 19 })]).line).toMatch(/\(K < 20: A\)$/);
  });

  it('a bound measured on another engine than the default does not count (results without engines were native)', () => {
    expect(suiteTotal([spec('A', [0.001], { engines: ['native'] }), spec('B', [0.001])]).line).toMatch(/\(measured on another engine than the default \(native-f32\): A\)$/);
    expect(suiteTotal([spec('A', [0.001], { engines: undefined })]).line).toMatch(/another engine .*: A\)$/);
    const table = summaryTable([spec('A', [0.001]), spec('B', [0.001], { engines: undefined })]);
    expect(table).toContain('| A.spec.ts | **whole spec** (sum; seed offsets checked; on native-f32) |');
    expect(table).toContain('| B.spec.ts | **whole spec** (sum; seed offsets checked; on native) |');
    expect(parseSummary(table).map((s) => s.engines)).toEqual([['native-f32'], ['native']]);
  });
});

describe('re-reading a rendered summary', () => {
  it('printed percentages keep the half-width of their last digit', () => {
    expect(parsePercent('0.27%')).toEqual({ value: 0.0027, halfWidth: 0.00005 });
    expect(parsePercent('0.0028%').halfWidth).toBeCloseTo(5e-7, 15);
    expect(parsePercent('7.2e-10%').value).toBeCloseTo(7.2e-12, 20);
    expect(parsePercent('7.2e-10%').halfWidth).toBeCloseTo(5e-14, 20); // 0.05e-10 %
    expect(parsePercent('0%')).toEqual({ value: 0, halfWidth: 0 });
    expect(() => parsePercent('run-level only')).toThrow(/not a percentage/);
  });

  it('a rendered table reads back to the same table, its totals taken at the top of the rounding', () => {
    const saved = [spec('A', [0.0012, 0.00031]), spec('B', [0.0000042], { refused: true })];
    const table = summaryTable(saved);
    const back = parseSummary(table);
    expect(summaryTable(back)).toBe(table);
    expect(back.map((s) => [s.spec, s.K, s.refused ?? false, s.offsetCheck])).toEqual([['specs/A.spec.ts', 20, false, expect.objectContaining({ ok: true })], ['specs/B.spec.ts', 0, true, expect.objectContaining({ ok: false })]]);
    // a spec saved without an offset check reads back without one
    const old = { ...spec('C', [0.001]), offsetCheck: undefined };
    expect(parseSummary(summaryTable([old]))[0].offsetCheck).toBeUndefined();
    expect(back[0].specBound).toEqual({ value: 0.0015, halfWidth: 0.00005 }); // "≤ 0.15%"
  });

  it('docs/flake.md is what the summary renders from its own table, the suite total on the table\'s last line', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'flake.md'), 'utf8');
    const saved = parseSummary(doc);
    expect(saved.length).toBeGreaterThanOrEqual(9);
    expect(doc).toContain(`${summaryTable(saved)}\n\n${suiteTotal(saved).line}\n`);
  });

  it('a spec of specs/ with no flake result is listed as not checked, counts as 100%, and reads back as such', () => {
    const row = (spec: string): Saved => ({ spec, K: 20, tallies: [{ id: 'X.1', passes: 20, runs: 20 }, { id: '(spec)', passes: 20, runs: 20 }], models: [{ id: 'X.1', bound: 1e-4, unmodelled: 0, otherFailures: [], complete: true }], offsetCheck: { ok: true, repeated: [], shared: [], empty: [], exempt: {} } as never });
    const saved = withUnchecked([row('specs/a.spec.ts')], ['specs/a.spec.ts', 'specs/new.spec.ts']);
    expect(saved.map((s) => [s.spec, s.unchecked ?? false])).toEqual([['specs/a.spec.ts', false], ['specs/new.spec.ts', true]]);
    const table = summaryTable(saved);
    expect(table).toContain('| new.spec.ts | **not checked** | – | no bound: no flake check yet (counted as 100%) | | ✗ |');
    const total = suiteTotal(saved);
    expect(total.bound).toBe(1);
    expect(total.line).toContain('no flake check yet: new');
    const back = parseSummary(`${table}\n`);
    expect(back.find((s) => s.spec === 'specs/new.spec.ts')?.unchecked).toBe(true);
    expect(summaryTable(back)).toContain('**not checked**');
  });

  it('a re-checked spec replaces its row of the earlier summary; the other specs keep theirs, in order', () => {
    const row = (spec: string, K: number): Saved => ({ spec, K, tallies: [] });
    const merged = mergeSaved([row('a', 20), row('b', 20), row('c', 40)], [row('b', 21), row('d', 20)]);
    expect(merged.map((s) => `${s.spec}:${s.K}`)).toEqual(['a:20', 'b:21', 'c:40', 'd:20']);
  });
});
