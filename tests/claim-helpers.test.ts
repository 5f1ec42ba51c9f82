// What a claim author gets from the harness instead of writing it by hand: a run directory as trained
// instances, pairing two runs' instances by (seed, sparsity), a per-feature bar figure, and the refusal of
// seeds that TMS_SEED_OFFSET would not move.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunConfig, TrainedInstance } from '../src/types.js';
import { DEFAULT_TRAIN } from '../src/types.js';
import { trainRun } from '../src/train.js';
import { NativeEngine } from '../src/engines/native/index.js';
import { saveRun } from '../src/cli/run-files.js';
import { loadRunDir } from '../src/claims/run-dir.js';
import { pairBySeedSparsity } from '../src/claims/pairs.js';
import { featureBars } from '../src/figures/feature-bars.js';
import { renderPng, pngSize } from '../src/figures/render.js';
import { assertHelperSeeds } from '../src/claims/define.js';
import { seedList, shiftedSeed, isIssuedSeed } from '../src/claims/seeds.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const inst = (seed: number, sparsity: number, tag: number): TrainedInstance => ({
  config: { seed, sparsity, importance: [1, 1] }, params: { kind: 'linear', n: 2, m: 1, W: Float32Array.of(tag, 0), b: Float32Array.of(0, 0) }, finalLoss: tag, losses: [tag],
});

describe('loadRunDir', () => {
  it('gives back the trained instances of a run directory: same configs, weights, losses', async () => {
    const config: RunConfig = { namespace: 'helpers-test', model: { kind: 'relu-output', n: 4, m: 2 }, data: { kind: 'independent' },
      train: { ...DEFAULT_TRAIN, steps: 40, batch: 16 }, instances: [{ sparsity: 0.5, importance: [1, 0.9, 0.8, 0.7], seed: 3 }, { sparsity: [0, 0.1, 0.2, 0.3], importance: [1, 1, 1, 1], seed: 4 }] };
    const run = await trainRun(config, { engine: new NativeEngine({ threads: 1 }), fresh: true });
    const dir = mkdtempSync(join(tmpdir(), 'tms-rundir-'));
    dirs.push(dir);
    saveRun(dir, run);
    const loaded = loadRunDir(dir);
    expect(loaded.namespace).toBe('helpers-test');
    expect(loaded.instances.map((t) => t.config)).toEqual(config.instances);
    loaded.instances.forEach((t, k) => {
      expect(Array.from(t.params.W)).toEqual(Array.from(run.instances[k].params.W));
      expect(Array.from(t.params.b)).toEqual(Array.from(run.instances[k].params.b));
      expect(t.finalLoss).toBe(run.instances[k].finalLoss);
    });
    expect(() => loadRunDir(join(dir, 'nope'))).toThrow(/loadRunDir: .*config\.json not found/);
  });
});

describe('pairBySeedSparsity', () => {
  it('pairs by (seed, sparsity), not by position', () => {
    const a = [inst(1, 0.9, 10), inst(2, 0.9, 20), inst(1, 0, 30)];
    const b = [inst(1, 0, 31), inst(2, 0.9, 21), inst(1, 0.9, 11)];
    expect(pairBySeedSparsity(a, b).map(([x, y]) => [x.finalLoss, y.finalLoss])).toEqual([[10, 11], [20, 21], [30, 31]]);
  });
  it('names a missing partner and a repeated key', () => {
    expect(() => pairBySeedSparsity([inst(5, 0.9, 1)], [inst(5, 0.8, 2)])).toThrow('seed 5, S = 0.9 has no partner');
    expect(() => pairBySeedSparsity([inst(1, 0, 1)], [inst(1, 0, 2), inst(1, 0, 3)])).toThrow('seed 1, S = 0 appears twice in the second list');
  });
});

describe('featureBars', () => {
  it('draws one bar per feature per panel, with a fixed domain, and renders', async () => {
    const spec = featureBars([{ label: 'A', values: [0.1, 0.4, 0.2] }, { label: 'B', values: [1, 0, 0.5], colour: [0, 1, 0.5] }], 'bias per feature', { quantity: 'b_i', domain: [0, 1], colourDomain: [0, 1] });
    const panels = (spec as unknown as { hconcat: { data: { values: { i: number; v: number }[] }; encoding: Record<string, unknown> }[] }).hconcat;
    expect(panels.map((p) => p.data.values.map((d) => d.v))).toEqual([[0.1, 0.4, 0.2], [1, 0, 0.5]]);
    expect(panels[0].encoding.color).toBeUndefined();
    expect(panels[1].encoding.color).toBeDefined();
    const size = pngSize(await renderPng(spec));
    expect(size.width).toBeGreaterThan(200);
    expect(() => featureBars([{ label: 'A', values: [1, 2], colour: [1] }], 't', { quantity: 'q' })).toThrow('"A" has 2 values but 1 colours');
    expect(() => featureBars([], 't', { quantity: 'q' })).toThrow('no panels');
  });
});

describe('seeds made by the seed helpers', () => {
  const run = (seeds: number[]): RunConfig => ({ namespace: 'C99/x', model: { kind: 'linear', n: 2, m: 1 }, data: { kind: 'independent' },
    train: DEFAULT_TRAIN, instances: seeds.map((seed) => ({ sparsity: 0, importance: [1, 1], seed })) });

  it('a run whose seeds came from seedList / shiftedSeed passes, also under TMS_SEED_OFFSET', () => {
    expect(() => assertHelperSeeds('C99', [run(seedList([501, 502]))])).not.toThrow();
    const shifted = seedList([601], { TMS_SEED_OFFSET: '1000' });
    expect(shifted).toEqual([1601]);
    expect(() => assertHelperSeeds('C99', [run([...shifted, shiftedSeed(7001, 100, { TMS_SEED_OFFSET: '2000' })])])).not.toThrow();
  });

  it('a strided seed that an offset would push past the seed limit is refused, naming the largest offset it takes', () => {
    // C5's point seeds step 100 per unit of offset: 2^31 − 1 caps their offset near 21.5 million, not at MAX_SEED_OFFSET
    expect(shiftedSeed(1724, 100, { TMS_SEED_OFFSET: '21474819' })).toBe(2_147_483_624);
    expect(() => shiftedSeed(1724, 100, { TMS_SEED_OFFSET: '24200000' })).toThrow(
      /TMS_SEED_OFFSET = 24200000 moves seed 1724 \(100 per unit of offset\) to 2420001724, past the seed limit 2147483647: this seed takes offsets up to 21474819/,
    );
  });

  it('a hand-written seed list is refused, naming the run and the seeds', () => {
    expect(isIssuedSeed(987_654)).toBe(false);
    expect(() => assertHelperSeeds('C99', [run([987_654, 987_655])])).toThrow(/C99: run C99\/x has seeds 987654, 987655 not made by seedList \/ shiftedSeed/);
  });
});
