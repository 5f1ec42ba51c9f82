// Figure pipeline: builders render, rendering is byte-deterministic across processes, and the
// golden workflow (check / update / filter / CI) behaves as documented in src/figures/golden.ts.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { directions2d } from '../src/figures/directions-2d.js';
import { compareGolden, repoRoot } from '../src/figures/golden.js';
import '../src/figures/matchers.js';
import { normBars } from '../src/figures/norm-bars.js';
import { pngSize, renderPng } from '../src/figures/render.js';
import { gram, wtwHeatmap } from '../src/figures/wtw-heatmap.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const { PNG } = createRequire(import.meta.url)('pngjs');

/** a w×h PNG filled with one grey level, with `dots` black pixels on the first row */
function solidPng(w: number, h: number, grey = 255, dots = 0): Buffer {
  const png = new PNG({ width: w, height: h });
  for (let p = 0; p < w * h; p++) png.data.set(p < dots ? [0, 0, 0, 255] : [grey, grey, grey, 255], p * 4);
  return PNG.sync.write(png);
}

const W = (n: number, m: number, a: number) => new Float32Array(n * m).map((_, k) => Math.sin(k * a));
const builders = {
  wtw: (a: number) => wtwHeatmap([
    { label: 'A', W: W(6, 2, a), b: new Float32Array(6).fill(a - 1), n: 6, m: 2 },
    { label: 'B', W: W(6, 2, 2 * a), b: new Float32Array(6), n: 6, m: 2 },
  ]),
  norms: (a: number) => normBars([{ label: 'A', norms: [1, a, 0.2], interference: [0, a / 2, 1] }]),
  dirs: (a: number) => directions2d([
    { label: 'A', vectors: [[1, 0], [0, a]], importance: [1, 0.5] },
    { label: 'B', vectors: [[a, a], [-1, 0]], importance: [1, 0.5] },
  ]),
};
// At the default scale 2. Sizes are fixed by the builders, so they must not depend on the data.
const SIZES = { wtw: [996, 456], norms: [996, 570], dirs: [1096, 500] };

describe('figure builders', () => {
  for (const [name, build] of Object.entries(builders)) {
    it(`${name} renders a PNG whose size does not depend on the data`, async () => {
      const [p1, p2] = [await renderPng(build(0.3)), await renderPng(build(1.7))];
      expect(p1.subarray(0, 8)).toEqual(PNG_SIGNATURE);
      expect(p1.length).toBeGreaterThan(1000);
      const { width, height } = pngSize(p1);
      expect([width, height]).toEqual(SIZES[name as keyof typeof SIZES]);
      expect(pngSize(p2)).toEqual({ width, height });
      expect(p1.equals(p2)).toBe(false);
    });
  }

  it('scale option multiplies the pixel size', async () => {
    expect(pngSize(await renderPng(builders.norms(1), { scale: 1 }))).toEqual({ width: 498, height: 285 });
  });

  it('gram computes W_i·W_j from the feature-major layout', () => {
    // n=2, m=2: W_0 = (1, 2), W_1 = (3, 4)
    expect(gram(new Float32Array([1, 2, 3, 4]), 2, 2)).toEqual([[5, 11], [11, 25]]);
  });
});

describe('deterministic rendering', () => {
  it('two processes produce byte-identical PNGs (and match this process)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tms-render-'));
    const script = join(dir, 'render.mts');
    const src = (f: string) => JSON.stringify(join(repoRoot(), 'src/figures', f));
    writeFileSync(script, [
      `import { renderPng } from ${src('render.ts')};`,
      `import { wtwHeatmap } from ${src('wtw-heatmap.ts')};`,
      `const W = new Float32Array(12).map((_, k) => Math.sin(k * 0.3));`,
      `const spec = wtwHeatmap([{ label: 'A', W, b: new Float32Array(6).fill(-0.7), n: 6, m: 2 },`,
      `  { label: 'B', W: new Float32Array(12).map((_, k) => Math.sin(k * 0.6)), b: new Float32Array(6), n: 6, m: 2 }]);`,
      `process.stdout.write((await renderPng(spec)).toString('base64'));`,
    ].join('\n'));
    const run = () => promisify(execFile)(process.execPath, ['--import', 'tsx', script],
      { cwd: repoRoot(), maxBuffer: 1 << 26 }).then((r) => Buffer.from(r.stdout, 'base64'));
    try {
      const [a, b] = await Promise.all([run(), run()]);
      expect(a.subarray(0, 8)).toEqual(PNG_SIGNATURE);
      expect(a.equals(b)).toBe(true);
      expect(a.equals(await renderPng(builders.wtw(0.3)))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('compareGolden', () => {
  let dir: string;
  let opts: { goldenDir: string; artifactsDir: string };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tms-golden-'));
    opts = { goldenDir: join(dir, 'golden'), artifactsDir: join(dir, 'artifacts') };
    // independent of how the suite itself is run (e.g. in CI or in update mode)
    for (const k of ['CI', 'TMS_GOLDEN', 'UPDATE_GOLDEN', 'TMS_GOLDEN_FILTER', 'TMS_GOLDEN_DIR', 'TMS_ARTIFACTS_DIR']) vi.stubEnv(k, '');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(dir, { recursive: true, force: true });
  });
  const update = () => vi.stubEnv('TMS_GOLDEN', 'update');
  const check = () => vi.stubEnv('TMS_GOLDEN', 'check');

  it('a missing golden fails with the command that creates it, and writes nothing', async () => {
    const r = await compareGolden('fig-a', solidPng(4, 4), undefined, opts);
    expect(r.pass).toBe(false);
    expect(r.message).toContain('missing');
    expect(r.message).toContain('TMS_GOLDEN=update');
    expect(r.message).toContain("npx vitest run -t 'fig-a'");
    expect(existsSync(r.paths.golden)).toBe(false);
  });

  it('update mode writes the golden and its JSON sidecar; check then passes', async () => {
    update();
    const meta = { seed: 3, engine: 'native', W: new Float32Array([0.5, 1]) };
    const w = await compareGolden('sub/fig-b', solidPng(4, 3), meta, opts);
    expect(w).toMatchObject({ pass: true, updated: true });
    expect(readFileSync(w.paths.golden).equals(solidPng(4, 3))).toBe(true);
    const side = JSON.parse(readFileSync(w.paths.meta, 'utf8'));
    expect(side).toMatchObject({ name: 'sub/fig-b', width: 4, height: 3, meta: { seed: 3, engine: 'native', W: [0.5, 1] } });
    check();
    expect(await compareGolden('sub/fig-b', solidPng(4, 3), meta, opts)).toMatchObject({ pass: true, diffPixels: 0, updated: false });
  });

  it('UPDATE_GOLDEN=1 is an alias; TMS_GOLDEN_FILTER limits which names are written', async () => {
    vi.stubEnv('UPDATE_GOLDEN', '1');
    vi.stubEnv('TMS_GOLDEN_FILTER', 'keep');
    expect((await compareGolden('keep-me', solidPng(2, 2), {}, opts)).updated).toBe(true);
    const other = await compareGolden('other', solidPng(2, 2), {}, opts);
    expect(other).toMatchObject({ pass: false, updated: false });
    expect(existsSync(other.paths.golden)).toBe(false);
  });

  it('a mismatch writes expected/actual/diff and reports the pixel count', async () => {
    update();
    await compareGolden('fig-c', solidPng(10, 10), {}, opts);
    check();
    const r = await compareGolden('fig-c', solidPng(10, 10, 255, 7), {}, opts);
    expect(r).toMatchObject({ pass: false, diffPixels: 7 });
    for (const f of ['expected', 'actual', 'diff'] as const) {
      expect(existsSync(r.paths[f]!)).toBe(true);
      expect(r.message).toContain(join('fig-c', `${f}.png`));
    }
    expect(r.message).toContain('7 pixels differ');
    expect(r.message).toContain('TMS_GOLDEN=update');
    // tolerance, and a later pass clears the stale artifacts
    const ok = await compareGolden('fig-c', solidPng(10, 10, 255, 7), {}, { ...opts, maxDiffPixels: 7 });
    expect(ok.pass).toBe(true);
    expect(existsSync(join(opts.artifactsDir, 'fig-c'))).toBe(false);
  });

  it('images of different size fail', async () => {
    update();
    await compareGolden('fig-d', solidPng(10, 10), {}, opts);
    check();
    const r = await compareGolden('fig-d', solidPng(10, 11), {}, { ...opts, maxDiffPixels: 1e9 });
    expect(r.pass).toBe(false);
    expect(r.message).toContain('size differs: expected 10×10, got 10×11');
  });

  it("a golden is pixel-checked only for the engine that made it: another engine's figure is checked for size", async () => {
    update();
    await compareGolden('fig-g', solidPng(10, 10), { engine: 'native' }, opts);
    check();
    // same engine: pixels compared, as always
    expect((await compareGolden('fig-g', solidPng(10, 10, 255, 3), { engine: 'native' }, opts)).pass).toBe(false);
    // another engine: other data, another picture of the claim; size still must match
    const other = await compareGolden('fig-g', solidPng(10, 10, 255, 3), { engine: 'webgpu:mesa|software|x|y' }, opts);
    expect(other).toMatchObject({ pass: true, updated: false });
    expect(other.message).toContain('made with engine native; this run used webgpu:mesa|software|x|y');
    expect((await compareGolden('fig-g', solidPng(10, 12), { engine: 'webgpu:mesa|software|x|y' }, opts)).pass).toBe(false);
    // and it never overwrites the other engine's golden
    update();
    await expect(compareGolden('fig-g', solidPng(10, 10, 255, 3), { engine: 'webgpu:x' }, opts)).rejects.toThrow(/made with engine native; refusing to replace it/);
  });

  it('under CI goldens are never written', async () => {
    vi.stubEnv('CI', 'true');
    update();
    await expect(compareGolden('fig-e', solidPng(2, 2), {}, opts)).rejects.toThrow(/refusing to write goldens under CI/);
    check();
    const r = await compareGolden('fig-e', solidPng(2, 2), {}, opts);
    expect(r.pass).toBe(false);
    expect(r.message).toContain('TMS_GOLDEN=update');
    expect(existsSync(r.paths.golden)).toBe(false);
  });

  it('TMS_GOLDEN_DIR sets the golden directory; bad names are rejected', async () => {
    vi.stubEnv('TMS_GOLDEN_DIR', join(dir, 'env-golden'));
    const r = await compareGolden('fig-f', solidPng(2, 2), {}, { artifactsDir: opts.artifactsDir });
    expect(r.paths.golden).toBe(join(dir, 'env-golden', 'fig-f.png'));
    await expect(compareGolden('../escape', solidPng(2, 2), {}, opts)).rejects.toThrow(/invalid name/);
  });

  it('toMatchGolden matcher passes, and fails with a command naming this test file', async () => {
    vi.stubEnv('TMS_GOLDEN_DIR', opts.goldenDir);
    vi.stubEnv('TMS_ARTIFACTS_DIR', opts.artifactsDir);
    await expect(expect(solidPng(3, 3)).toMatchGolden('fig-g')).rejects.toThrow(
      /TMS_GOLDEN=update TMS_GOLDEN_FILTER='fig-g' npx vitest run tests\/figures\.test\.ts -t 'toMatchGolden matcher/,
    );
    update();
    await expect(solidPng(3, 3)).toMatchGolden('fig-g', { seed: 1 });
    check();
    await expect(solidPng(3, 3)).toMatchGolden('fig-g');
  });
});
