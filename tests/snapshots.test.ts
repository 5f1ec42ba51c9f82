// Parameter snapshots during training (TrainConfig.snapshotEvery, for the learning-dynamics claim): taken
// after the right steps, identical on worker threads and in-thread, round-tripped by the run cache (and a
// stored entry whose snapshots are missing or misnumbered retrained), refused by engines that cannot take them.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunConfig, TrainedInstance } from '../src/types.js';
import { readCache, runKey } from '../src/cache.js';
import { forgetRuns, trainRun } from '../src/train.js';
import { NativeEngine } from '../src/engines/native/index.js';
import { closePool } from '../src/engines/native/pool.js';
import { validateRun } from '../src/validate.js';
import type { Engine } from '../src/engines/engine.js';
import { tinyRun } from './helpers/tiny-run.js';
import { weightsHash } from './helpers/weights-hash.js';

const withSnapshots = (every: number, steps = 50, namespace = 'snapshots'): RunConfig => {
  const c = tinyRun(namespace, [1, 2, 3]);
  return { ...c, train: { ...c.train, steps, snapshotEvery: every } };
};
const shotsHash = (ts: TrainedInstance[]) => weightsHash(ts.flatMap((t) => t.snapshots!.map((s) => ({ ...t, params: s.params }))));

let dir: string;
const oldDir = process.env.TMS_CACHE_DIR;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tms-snapshots-'));
  process.env.TMS_CACHE_DIR = dir;
  forgetRuns();
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  if (oldDir === undefined) delete process.env.TMS_CACHE_DIR;
  else process.env.TMS_CACHE_DIR = oldDir;
});
afterAll(() => closePool());

describe('snapshots', () => {
  it('are taken after steps k, 2k, …; the one after the last step is the final weights; training is unchanged by them', async () => {
    const c = withSnapshots(15, 50);
    const run = await trainRun(c, { engine: new NativeEngine({ threads: 1 }), fresh: true });
    for (const t of run.instances) expect(t.snapshots!.map((s) => s.step)).toEqual([15, 30, 45]);
    const plain = await trainRun({ ...c, train: { ...c.train, snapshotEvery: undefined } }, { engine: new NativeEngine({ threads: 1 }), fresh: true });
    expect(weightsHash(run.instances)).toBe(weightsHash(plain.instances));
    expect(plain.instances[0].snapshots).toBeUndefined();
    const atEnd = await trainRun(withSnapshots(10, 50), { engine: new NativeEngine({ threads: 1 }), fresh: true });
    expect(weightsHash(atEnd.instances.map((t) => ({ ...t, params: t.snapshots!.at(-1)!.params })))).toBe(weightsHash(atEnd.instances));
    // each snapshot is a copy, not a view of the weights still being trained
    expect(weightsHash(atEnd.instances.map((t) => ({ ...t, params: t.snapshots![0].params })))).not.toBe(weightsHash(atEnd.instances));
  });

  it('are the same bits on worker threads as in-thread', async () => {
    const c = withSnapshots(7, 40);
    const a = await trainRun(c, { engine: new NativeEngine({ threads: 1 }), fresh: true });
    const b = await trainRun(c, { engine: new NativeEngine({ threads: 2 }), fresh: true });
    expect(shotsHash(b.instances)).toBe(shotsHash(a.instances));
  });

  it('round-trip through the run cache; an entry with missing or misnumbered snapshots is retrained', async () => {
    const engine = new NativeEngine({ threads: 1 });
    const c = withSnapshots(10, 40);
    const first = await trainRun(c, { engine });
    forgetRuns();
    const again = await trainRun(c, { engine });
    expect(again.cached).toBe(true);
    expect(shotsHash(again.instances)).toBe(shotsHash(first.instances));
    const key = runKey(c, engine.name);
    const path = join(dir, `${key}.json`);
    const text = readFileSync(path, 'utf8');
    for (const edit of [(e: any) => { delete e.instances[1].snapshots; }, (e: any) => { e.instances[0].snapshots[2].step = 31; }]) {
      const body = JSON.parse(text.slice(text.indexOf('\n') + 1));
      edit(body);
      const s = JSON.stringify(body);
      const { createHash } = await import('node:crypto');
      writeFileSync(path, `${createHash('sha256').update(s).digest('hex')}\n${s}`); // a valid checksum: the shape check must catch it
      expect(readCache(key, c)).toBeUndefined();
      expect(readdirSync(dir)).toEqual([]);
      writeFileSync(path, text);
    }
  });

  it('change the run key only when asked for', () => {
    const c = tinyRun('snapshots', [1]);
    expect(runKey({ ...c, train: { ...c.train, snapshotEvery: 10 } }, 'native')).not.toBe(runKey(c, 'native'));
    expect(runKey({ ...c, train: { ...c.train, snapshotEvery: undefined } }, 'native')).toBe(runKey(c, 'native'));
  });

  it('are refused by an engine that does not take them, and snapshotEvery must be a positive integer', async () => {
    const other: Engine = { name: 'other', describe: () => 'other', train: async () => [] };
    await expect(trainRun(withSnapshots(10), { engine: other })).rejects.toThrow(/snapshots .*only the native engine.*TMS_ENGINE=native/);
    for (const bad of [0, 2.5, -1]) expect(() => validateRun(withSnapshots(bad))).toThrow(/snapshotEvery/);
  });
});
