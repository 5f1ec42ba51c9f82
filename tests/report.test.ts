// The claims report: built from a small synthetic out/ directory, then opened in headless Chromium
// (Debian's /usr/bin/chromium through playwright-core) to check that every claim section renders and
// every image decodes. A screenshot is saved to .artifacts/report-screenshot.png.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext } from 'playwright-core';
import { REPO_ROOT } from '../src/paths.js';
import { writeReport, compactList, formatValue, type ReportData } from '../src/report/build.js';
import { claimOf, claimOfFile, mergeResults, type ModuleRecord } from '../src/report/results.js';

const CHROMIUM = '/usr/bin/chromium';
const { PNG } = createRequire(import.meta.url)('pngjs');

function png(w: number, h: number, rgb: [number, number, number]): Buffer {
  const img = new PNG({ width: w, height: h });
  for (let p = 0; p < w * h; p++) img.data.set([...rgb, 255], p * 4);
  return PNG.sync.write(img);
}

const test = (name: string, state: 'passed' | 'failed' | 'skipped', errors: string[] = []) =>
  ({ name, fullName: `suite > ${name}`, ...claimOf(name), state, durationMs: 1234, errors });
const mod = (file: string, tests: ReturnType<typeof test>[], errors: string[] = []): ModuleRecord =>
  ({ file, state: tests.some((t) => t.state === 'failed') || errors.length ? 'failed' : 'passed', durationMs: 5000, errors, tests, finishedAt: '2025-01-01T00:00:00.000Z' });

let root: string;
let data: ReportData;
let html: string;
let md: string;
let definitions: NonNullable<Parameters<typeof writeReport>[0]>['definitions'];
const seq = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'tms-report-'));
  const out = join(root, 'out');
  const golden = join(root, 'golden');
  const artifacts = join(root, 'artifacts');
  const claims = join(out, 'claims', 'default');
  mkdirSync(join(claims, 'figures'), { recursive: true });
  mkdirSync(golden, { recursive: true });
  mkdirSync(join(artifacts, 'C1-default'), { recursive: true });

  mergeResults(out, 'default', [
    mod('specs/c1-five.spec.ts', [test('C1.1 dense: top 2 orthogonal', 'passed'), test('C1.fig figure matches', 'failed', ['golden "C1-default" mismatch: 12 pixels differ'])]),
    mod('specs/c8-loss.spec.ts', [test('C8.1 linear at the bound', 'passed'), test('C8.2 ReLU below the bound', 'passed')]),
    mod('specs/c3-phase.spec.ts', [], ['Error: TMS_ENGINE = "gpu": must be one of native, tfjs, auto']),
    mod('tests/data.test.ts', [test('samples are sparse', 'passed'), test('seeds differ', 'failed', ['expected 1 to be 2'])]),
  ], () => true);

  const note = (namespace: string, seeds: number[], key: string) =>
    ({ namespace, key, engine: 'native', kind: 'relu-output', n: 5, m: 2, steps: 10000, batch: 1024, instances: seeds.length * 3, seeds, seconds: 21, cached: false });
  const size = (namespace: string, n: number, m: number, seeds: number[]) =>
    ({ namespace, kind: 'relu-output', n, m, steps: 10000, batch: 1024, instances: seeds.length * 3, seeds, sparsities: 3 });
  // C1 as its spec recorded it: two runs of one namespace (the sweep, and extra seeds at one sparsity).
  const c1 = { spec: 'specs/c1-five.spec.ts', title: 'five features in two dimensions', statement: 'all five as a pentagon', section: 'https://transformer-circuits.pub/2022/toy_model/index.html#motivation',
    settings: 'n = 5, m = 2, importance 0.9^i', runs: [size('C1', 5, 2, seq(1, 12)), size('C1', 5, 2, seq(13, 20))], ran: [note('C1', seq(1, 12), 'k1'), note('C1', seq(13, 20), 'k2')] };
  writeFileSync(join(claims, 'C1.json'), JSON.stringify({ id: 'C1', tier: 'default', definitions: { [c1.spec]: c1 }, measurements: [] }));
  writeFileSync(join(claims, 'C1.1.json'), JSON.stringify({ id: 'C1.1', tier: 'default', measurements: [{ what: 'seeds with the top 2 orthogonal', value: '12/12', paper: 'the top 2 features, orthogonal' }] }));
  writeFileSync(join(claims, 'C8.1.json'), JSON.stringify({ id: 'C8.1', tier: 'default', measurements: [{ what: 'loss ratio per seed', value: [1.0071, 0.99, 1.02], tolerance: '1 ± 0.07' }, { what: 'details', value: ['seed 1: ok <b>', 'seed 2: ok'] }] }));
  // C2 did not run in this invocation: its stale measurements must not show beside "not run".
  writeFileSync(join(claims, 'C2.1.json'), JSON.stringify({ id: 'C2.1', tier: 'default', measurements: [{ what: 'STALE-MEASUREMENT', value: 1 }] }));
  writeFileSync(join(claims, 'figures', 'C1-default.png'), png(40, 30, [200, 90, 30]));
  writeFileSync(join(claims, 'figures', 'C8-default.png'), png(50, 20, [20, 160, 60]));
  definitions = [
    { id: 'C2', def: { spec: 'specs/c2-linear.spec.ts', part: 'linear', title: 'linear model, n=20, m=5', statement: 'the top 5, orthogonally', section: 'https://transformer-circuits.pub/2022/toy_model/index.html#demonstrating-basic-results', settings: 'n = 20, m = 5', runs: [size('C2/linear', 20, 5, [1, 2, 3])] } },
    { id: 'C8', def: { spec: 'specs/c8-loss.spec.ts', title: 'superposition lowers the loss', statement: 'ReLU beats linear when sparse', section: 'https://transformer-circuits.pub/2022/toy_model/index.html#demonstrating-math', settings: 'n = 20, m = 5, S = 0.99', runs: [size('C8/linear', 20, 5, [1, 2, 3])] } },
  ];

  writeFileSync(join(golden, 'C1-default.png'), png(40, 30, [30, 90, 200]));
  writeFileSync(join(golden, 'C1-default.json'), JSON.stringify({ name: 'C1-default', meta: { engine: 'native', seeds: [1, 2, 3] } }));
  writeFileSync(join(golden, 'C8-default.png'), png(50, 20, [20, 160, 60]));
  writeFileSync(join(golden, 'C8-paper.png'), png(10, 10, [0, 0, 0])); // other tier: not shown
  writeFileSync(join(artifacts, 'C1-default', 'expected.png'), png(40, 30, [30, 90, 200]));
  writeFileSync(join(artifacts, 'C1-default', 'actual.png'), png(40, 30, [200, 90, 30]));
  writeFileSync(join(artifacts, 'C1-default', 'diff.png'), png(40, 30, [255, 0, 0]));

  const r = writeReport({ tier: 'default', outDir: out, goldenDir: golden, artifactsDir: artifacts, now: new Date('2025-01-02T03:04:05Z'), definitions });
  data = r.data;
  html = readFileSync(r.html, 'utf8');
  md = readFileSync(r.md, 'utf8');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('claims report data', () => {
  it('groups tests, measurements, runs and figures by claim id with a verdict each', () => {
    const by = Object.fromEntries(data.claims.map((c) => [c.id, c]));
    expect(Object.keys(by)).toEqual(['C1', 'C2', 'C3', 'C8']);
    expect(by.C1.verdict).toBe('fail');
    expect(by.C2.verdict).toBe('not run');
    expect(by.C3.verdict).toBe('fail'); // module error, no tests
    expect(by.C8.verdict).toBe('pass');
    expect(by.C1.statement).toMatch(/pentagon/); // from the definition the spec recorded
    expect(by.C8).toMatchObject({ title: 'superposition lowers the loss', statement: 'ReLU beats linear when sparse', section: expect.stringMatching(/#demonstrating-math$/) });
    // every run of the claim, though both share the namespace C1
    expect(by.C1.runs.map((r) => r.key)).toEqual(['k1', 'k2']);
    expect(by.C1.seeds).toEqual(seq(1, 20));
    expect(by.C1.engines).toEqual(['native']);
    expect(by.C1.figures).toHaveLength(1);
    expect(by.C1.figures[0]).toMatchObject({ name: 'C1-default', failed: true, current: expect.stringMatching(/figures\/C1-default\.png$/) });
    expect(by.C8.figures.map((f) => f.name)).toEqual(['C8-default']);
    expect(by.C8.figures[0].current).toBeDefined(); // this run's figure beside a passing golden too
    expect(by.C8.measurements.map((m) => m.id)).toEqual(['C8.1', 'C8.1']);
    expect(by.C2.measurements).toEqual([]);
    expect(by.C2.runs).toEqual([]);
    expect(data.notCovered).toEqual(['C2']);
    expect(data.other).toMatchObject({ passed: 1, failed: 1 });
  });

  it('is self-contained: no external URLs, every image a data URI', () => {
    expect(html).not.toMatch(/<link|<script|src="(?!data:)|url\(/i);
    expect(html.match(/<img /g)).toHaveLength(5); // C1 golden/this run/diff + C8 golden/this run
    expect(html).toContain('seed 1: ok &lt;b&gt;'); // escaped
  });

  it('states the sizes that ran, links the paper section and the spec, and shows nothing measured beside "not run"', () => {
    expect(html).toContain('seeds 1–20 (20)');
    expect(html).toContain('C1: relu-output n = 5, m = 2, 36 instances (3 sparsities, seeds 1–12), 10000 steps, batch 1024');
    expect(html).toContain('href="https://transformer-circuits.pub/2022/toy_model/index.html#motivation"');
    expect(html).toContain('href="../../../specs/c1-five.spec.ts"');
    expect(html).toContain('C2/linear: relu-output n = 20, m = 5'); // a claim not run still states its sizes
    expect(html).not.toContain('STALE-MEASUREMENT');
    expect(md).not.toContain('STALE-MEASUREMENT');
  });

  it('writes a markdown summary with the verdicts and links to the figures', () => {
    expect(md).toContain('| [C1](#c1) | five features in two dimensions | ❌ fail |');
    expect(md).toContain('✅ C8.1 linear at the bound');
    expect(md).toMatch(/\[diff\]\(\.\.\/\.\.\/\.\.\/artifacts\/C1-default\/diff\.png\)/);
    expect(md).toContain('![C8-default](../../../golden/C8-default.png)');
    expect(md).toContain('[this run](../../claims/default/figures/C8-default.png)');
  });

  it('helpers: claim ids from names and files, value formatting', () => {
    expect(claimOf('C2.3 from S = 0.7 on')).toEqual({ claim: 'C2', subId: 'C2.3' });
    expect(claimOf('C12 big')).toEqual({ claim: 'C12', subId: null });
    expect(claimOf('Cats')).toEqual({ claim: null, subId: null });
    expect(claimOfFile('specs/c2-relu-output.spec.ts')).toBe('C2');
    expect(claimOfFile('tests/data.test.ts')).toBeNull();
    expect(compactList([1, 2, 3, 4, 7, 9, 10])).toBe('1–4, 7, 9, 10');
    expect(compactList([1, 2, 101, 102, 201, 202, 301, 302, 401, 402, 900])).toBe('1, 2, 101, 102, …, 401, 402 (5 blocks of 2, every 100), 900');
    expect(compactList([1, 2, 101, 102, 201, 202, 301, 302])).toBe('1, 2, 101, 102, 201, 202, 301, 302');
    expect(compactList([...Array.from({ length: 12 }, (_, k) => 10 * k + 1), 200])).toBe('1, 11, …, 111 (12 values, every 10), 200');
    expect(formatValue([0.123456, 2, 1e-7])).toEqual(['[0.1235, 2, 1.000e-7]']);
    expect(formatValue({ 0.7: [6, 7], 0.9: [8] })).toEqual(['0.7: [6, 7]', '0.9: [8]']);
  });
});

describe('claims report in headless Chromium', () => {
  let ctx: BrowserContext | undefined;
  let profile: string | undefined;
  afterAll(async () => {
    await ctx?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('renders every claim section and decodes every image', async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} not found: this test needs Debian's Chromium. Install it with: apt-get update && apt-get install -y chromium`);
    }
    profile = mkdtempSync(join(tmpdir(), 'tms-chromium-'));
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
      timeout: 15_000,
    });
    const page = await ctx.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(join(root, 'out', 'report', 'default', 'index.html')).href, { waitUntil: 'load' });

    const sections = await page.$$eval('section.claim[data-claim]', (els) => els.map((e) => ({
      id: e.getAttribute('data-claim'),
      verdict: e.getAttribute('data-verdict'),
      heading: e.querySelector('h2')?.textContent ?? '',
      height: (e as HTMLElement).offsetHeight,
    })));
    expect(sections.map((s) => s.id)).toEqual(data.claims.map((c) => c.id));
    for (const s of sections) {
      expect(s.heading).toContain(s.id!);
      expect(s.height).toBeGreaterThan(50);
    }
    expect(sections.find((s) => s.id === 'C1')?.verdict).toBe('fail');

    const images = await page.$$eval('img', (els) => els.map((e) => ({ alt: e.alt, ok: e.complete, w: e.naturalWidth })));
    expect(images).toHaveLength(5);
    for (const img of images) expect(img, img.alt).toMatchObject({ ok: true, w: expect.any(Number) });
    expect(images.every((i) => i.w > 0)).toBe(true);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);

    const shot = join(REPO_ROOT, '.artifacts', 'report-screenshot.png');
    mkdirSync(join(REPO_ROOT, '.artifacts'), { recursive: true });
    await page.screenshot({ path: shot, fullPage: true });
    expect(existsSync(shot)).toBe(true);
  }, 30_000);
});
