// The flake check cannot be fooled by a spec that ignores TMS_SEED_OFFSET: planted specs on a fake project
// (one trains the same instances under every offset, one shifts its seeds) run through scripts/flake.ts, and
// the pure check on hand-made run lines (declared seed-independent runs, seed sets that trained nothing).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSeedOffsets, refusal } from '../scripts/lib/offset-check.js';
import { runLine, type RunLine } from '../src/run-log.js';
import { runKey } from '../src/cache.js';
import { tinyRun } from './helpers/tiny-run.js';
import { DEFAULT_TRAIN } from '../src/types.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const config = tinyRun;
const line = (namespace: string, seeds: number[], key = `${namespace}:${seeds.join(',')}`): RunLine => runLine({ config: config(namespace, seeds), key });

describe('checkSeedOffsets', () => {
  it('accepts runs whose every instance changed, refuses one repeated instance, naming its run and seed', () => {
    const ok = checkSeedOffsets([1000, 2000, 3000].map((o) => ({ offset: o, runs: [line('A', [o + 1, o + 2]), line('B', [o + 5])] })));
    expect(ok).toMatchObject({ ok: true, repeated: [], shared: [], empty: [] });
    // B keeps seed 7 under every offset: its key changes with the other instance, but that instance repeats.
    const partly = checkSeedOffsets([1000, 2000].map((o) => ({ offset: o, runs: [line('A', [o + 1]), line('B', [o + 5, 7])] })));
    expect(partly.ok).toBe(false);
    expect(partly.repeated).toEqual([{ namespace: 'B', key: 'B:1005,7', seeds: [7], repeated: 1, instances: 2, offsets: [1000, 2000] }]);
    expect(refusal('specs/x.spec.ts', partly)).toBe(
      'flake: refusing to bound specs/x.spec.ts: its runs did not change with TMS_SEED_OFFSET, so its seed sets are not independent: B (key B:1005,7: 1 of 2 instances, seeds 7, at offsets 1000, 2000). Derive its seeds with seedList/shiftedSeed (src/claims/seeds.ts), or declare a truly seed-independent run in scripts/lib/seed-independent.ts.',
    );
  });

  it('the same seed in another namespace draws other streams; in the same one with other training it is no repeat, but shares streams', () => {
    const sets = [1000, 2000].map((o, k) => ({ offset: o, runs: [line(k ? 'A2' : 'A', [1])] }));
    expect(checkSeedOffsets(sets).ok).toBe(true);
    const other = { ...config('A', [1]), train: { ...DEFAULT_TRAIN, steps: 21, batch: 8 } };
    const c = checkSeedOffsets([{ offset: 1000, runs: [line('A', [1])] }, { offset: 2000, runs: [runLine({ config: other, key: 'k' })] }]);
    expect(c).toMatchObject({ ok: false, repeated: [], shared: [{ namespace: 'A', seeds: [1], offsets: [1000, 2000] }] });
  });

  it('a seed reused under another offset in the same namespace shares its random streams, even at another config', () => {
    // C5's sweep seeds, offset + point·100 + k over 18 points: points 10–17 under offset 1000 replay the seeds
    // of points 0–7 under offset 2000 (at another density, but the same init and data streams).
    const sweep = (o: number, seed: (point: number, k: number) => number) => [{
      offset: o,
      runs: [runLine({ config: { ...config('C5/sweep', []), instances: Array.from({ length: 18 }, (_, point) => [1, 2].map((k) => ({ sparsity: 0.9 - point / 100, importance: [1, 1, 1, 1], seed: seed(point, k) }))).flat() }, key: `k${o}` })],
    }];
    const overlapping = checkSeedOffsets([1000, 2000].flatMap((o) => sweep(o, (point, k) => o + point * 100 + k)));
    expect(overlapping.repeated).toEqual([]); // no instance repeats exactly...
    expect(overlapping.shared).toEqual([{ namespace: 'C5/sweep', seeds: [0, 1, 2, 3, 4, 5, 6, 7].flatMap((j) => [2001 + 100 * j, 2002 + 100 * j]), offsets: [1000, 2000] }]);
    expect(overlapping.reason).toMatch(/^its seeds overlap between TMS_SEED_OFFSETs \(same namespace and seed = the same random streams, whatever the config\), so its seed sets are not independent: C5\/sweep \(16 seeds: 2001, 2002, 2101, 2102, 2201, 2202, …, at offsets 1000, 2000\)$/);
    // C3's stride keeps the offsets' seed ranges apart: offset·100 + cell·100 + seed
    expect(checkSeedOffsets([1000, 2000].flatMap((o) => sweep(o, (point, k) => o * 100 + point * 100 + k))).ok).toBe(true);
  });

  it('a declared seed-independent run is exempt and listed; an undeclared one in the same spec is still caught', () => {
    const sets = [1000, 2000].map((o) => ({ offset: o, runs: [line('A', [o + 1]), line('REF', [0])] }));
    expect(checkSeedOffsets(sets, { REF: 'closed-form reference' })).toMatchObject({ ok: true, exempt: { REF: 'closed-form reference' } });
    expect(checkSeedOffsets(sets, {}).repeated.map((r) => r.namespace)).toEqual(['REF']);
  });

  it('refuses a seed set that trained nothing (unless it crashed) and a check with fewer than two seed sets', () => {
    expect(checkSeedOffsets([{ offset: 1000, runs: [line('A', [1001])] }, { offset: 2000, runs: [] }]).reason).toMatch(/trained no run under TMS_SEED_OFFSET = 2000/);
    const crashed = [{ offset: 1000, runs: [line('A', [1001])] }, { offset: 2000, runs: [], crashed: true }, { offset: 3000, runs: [line('A', [3001])] }];
    expect(checkSeedOffsets(crashed).ok).toBe(true);
    expect(checkSeedOffsets([{ offset: 1000, runs: [line('A', [1001])] }]).reason).toMatch(/only 1 seed set trained runs; .* needs two/);
  });
});

describe('planted specs through npm run flake', () => {
  let fake: string;
  // The planted specs build their runs with the same config() as this file.
  const spec = (name: string, runs: string) => writeFileSync(join(fake, 'specs', `${name}.spec.ts`), `import { describe, expect, it } from 'vitest';
import { trainRun } from ${JSON.stringify(join(ROOT, 'src', 'train.ts'))};
import { seedList } from ${JSON.stringify(join(ROOT, 'src', 'claims', 'seeds.ts'))};
import { verdict } from ${JSON.stringify(join(ROOT, 'src', 'claims', 'matchers.ts'))};
import { tinyRun as config } from ${JSON.stringify(join(ROOT, 'tests', 'helpers', 'tiny-run.ts'))};
describe('planted', () => {
  it('P.1 every seed trains to a finite loss', async () => {
    const runs = await Promise.all([${runs}]);
    expect(runs.flatMap((r) => r.instances).map((t, i) => verdict(i, Number.isFinite(t.finalLoss), 'loss ' + t.finalLoss))).toHoldForSeeds(4);
  });
});
`);
  beforeAll(() => {
    mkdirSync(join(ROOT, '.cache'), { recursive: true }); // inside the repo, so the specs resolve 'vitest'
    fake = mkdtempSync(join(ROOT, '.cache', 'flake-offset-'));
    mkdirSync(join(fake, 'specs'));
    writeFileSync(join(fake, 'vitest.config.mjs'), "export default { test: { include: ['specs/**/*.spec.ts'] } };\n");
    // Fixed seeds in one run, and one instance of another that keeps its seed under every offset.
    spec('ignores-offset', "trainRun(config('P/fixed', [1, 2])), trainRun(config('P/partly', [seedList([3])[0], 4]))");
    spec('honours-offset', "trainRun(config('P/fixed', seedList([1, 2]))), trainRun(config('P/partly', seedList([3, 4])))");
  });
  afterAll(() => rmSync(fake, { recursive: true, force: true }));

  it('refuses the spec that ignores the offset (naming it and its unchanged runs, after two seed sets), bounds the other', () => {
    const r = spawnSync('npx', ['--no-install', 'tsx', join(ROOT, 'scripts', 'flake.ts'), '--root', fake, '--spec', 'ignores-offset,honours-offset', '--k', '3', '--out', join(fake, 'flake')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, TMS_SEED_OFFSET: '', TMS_MUTANT: '', TMS_ENGINE: 'native', TMS_THREADS: '1', TMS_CACHE_DIR: join(fake, 'cache') },
    });
    expect(r.status, r.stderr).toBe(3);
    const key = (namespace: string, seeds: number[]) => runKey(config(namespace, seeds), 'native');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toContain(
      'flake: refusing to bound specs/ignores-offset.spec.ts: its runs did not change with TMS_SEED_OFFSET, so its seed sets are not independent: ' +
        `P/fixed (key ${key('P/fixed', [1, 2])}: 2 of 2 instances, seeds 1, 2, at offsets 1000, 2000); P/partly (key ${key('P/partly', [1003, 4])}: 1 of 2 instances, seeds 4, at offsets 1000, 2000). ` +
        'Derive its seeds with seedList/shiftedSeed (src/claims/seeds.ts), or declare a truly seed-independent run in scripts/lib/seed-independent.ts.',
    );
    expect(lines.at(-1)).toBe('flake: refused 1 spec (its seed sets are not shown to be independent): specs/ignores-offset.spec.ts');
    // Stopped after the second seed set: a third copy of the same runs proves nothing more.
    expect(r.stdout).toContain('specs/ignores-offset.spec.ts TMS_SEED_OFFSET=2000 … passed');
    expect(r.stdout).not.toContain('specs/ignores-offset.spec.ts TMS_SEED_OFFSET=3000');
    const read = (name: string) => JSON.parse(readFileSync(join(fake, 'flake', `${name}.json`), 'utf8'));
    const ignored = read('ignores-offset');
    expect(ignored).toMatchObject({ refused: true, K: 2, offsets: [1000, 2000], offsetCheck: { ok: false } });
    expect(ignored.models).toBeUndefined(); // no bound of any kind
    expect(readFileSync(join(fake, 'flake', 'ignores-offset.md'), 'utf8')).toContain('**Refused: no bound.**');
    // The spec that shifts its seeds is bounded as before, with every seed set's runs on record.
    const honoured = read('honours-offset');
    expect(honoured.refused).toBeUndefined();
    expect(honoured).toMatchObject({ K: 3, offsets: [1000, 2000, 3000], offsetCheck: { ok: true, repeated: [], shared: [], empty: [] } });
    expect(honoured.models.map((m: { id: string }) => m.id)).toEqual(['P.1']);
    expect(honoured.runs.map((x: { runLines: RunLine[] }) => x.runLines.map((l) => l.seeds).sort((a, b) => a[0] - b[0]))).toEqual(
      [1000, 2000, 3000].map((o) => [[o + 1, o + 2], [o + 3, o + 4]]),
    );
    expect(readFileSync(join(fake, 'flake', 'honours-offset.md'), 'utf8')).toContain('Seed offsets checked: no instance of the 6 runs trained under two offsets.');
  }, 120_000);
});
