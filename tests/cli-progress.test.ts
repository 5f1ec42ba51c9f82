// `tms reproduce`'s progress: the training core's events (trained and cached runs), the JSON-lines files the
// vitest workers write and the reproduce process reads, and what it shows on a terminal and in a log.
import { mkdtempSync, rmSync, appendFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunConfig } from '../src/types.js';
import { DEFAULT_TRAIN } from '../src/types.js';
import { forgetRuns, trainRun } from '../src/train.js';
import { onTrainEvent, type TrainEvent } from '../src/train-events.js';
import { NativeEngine } from '../src/engines/native/index.js';
import { progressWriter, ProgressReader, type ProgressLine } from '../src/cli/progress-events.js';
import { ReproduceProgress } from '../src/cli/reproduce-progress.js';

let tmp: string;
const oldCache = process.env.TMS_CACHE_DIR;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'tms-progress-'));
  process.env.TMS_CACHE_DIR = join(tmp, 'cache');
});
afterAll(() => {
  if (oldCache === undefined) delete process.env.TMS_CACHE_DIR;
  else process.env.TMS_CACHE_DIR = oldCache;
  rmSync(tmp, { recursive: true, force: true });
});

const tiny: RunConfig = {
  namespace: 'C9/progress-test',
  model: { kind: 'relu-output', n: 4, m: 2 },
  data: { kind: 'independent' },
  train: { ...DEFAULT_TRAIN, steps: 100, batch: 16 },
  instances: [1, 2, 3].map((seed) => ({ sparsity: 0.5, importance: [1, 1, 1, 1], seed })),
};

describe('train-events: the core reports progress and finished runs to whoever listens', () => {
  it('a trained run: progress up to its total steps, then one run event; a cached run: a run event only', async () => {
    const events: TrainEvent[] = [];
    const off = onTrainEvent((e) => events.push(e));
    try {
      const engine = new NativeEngine({ threads: 1 });
      const run = await trainRun(tiny, { engine });
      const progress = events.filter((e) => e.type === 'progress');
      expect(progress.length).toBeGreaterThan(2);
      expect(progress.at(-1)).toMatchObject({ key: run.key, done: 300, total: 300, config: { namespace: 'C9/progress-test' } });
      expect(events.filter((e) => e.type === 'run')).toEqual([{ type: 'run', run }]);
      expect(run.cached).toBe(false);

      events.length = 0;
      forgetRuns(); // so the second call reads the disk cache
      const again = await trainRun(tiny, { engine });
      expect(again.cached).toBe(true);
      expect(events.map((e) => e.type)).toEqual(['run']);
      expect(events[0]).toMatchObject({ run: { key: run.key, cached: true } });
    } finally {
      off();
    }
    const n = events.length;
    forgetRuns();
    await trainRun(tiny, { engine: new NativeEngine({ threads: 1 }) });
    expect(events.length, 'a removed listener hears nothing').toBe(n);
  }, 30_000);
});

describe('progress files: the workers write JSON lines, the reproduce process reads them', () => {
  it('progress-worker.ts (the vitest setup file reproduce adds) reports this process\'s training to $TMS_PROGRESS_DIR', async () => {
    const dir = mkdtempSync(join(tmp, 'worker-'));
    process.env.TMS_PROGRESS_DIR = dir;
    try {
      await import('../src/cli/progress-worker.js');
    } finally {
      delete process.env.TMS_PROGRESS_DIR;
    }
    forgetRuns();
    const config = { ...tiny, namespace: 'C9/worker-test' };
    const run = await trainRun(config, { engine: new NativeEngine({ threads: 1 }) });
    const lines = new ProgressReader(dir).poll();
    expect(lines.length).toBeGreaterThan(1);
    // a test file that is no claim's spec: the claim comes from the namespace
    expect(lines.at(-1)).toEqual({ type: 'run', key: run.key, claim: 'C9', namespace: 'C9/worker-test', instances: 3, seconds: run.seconds, cached: false, engine: 'native' });
    expect(lines.filter((l) => l.type === 'progress').at(-1)).toMatchObject({ done: 300, total: 300 });
  }, 30_000);

  const run = { config: tiny, engine: 'native', instances: [], seconds: 2.5, key: 'k1', cached: false };

  it('progress at most every 500 ms per run (and always the last step), every finished run; the claim is the spec\'s', () => {
    const file = join(tmp, 'w1.jsonl');
    let t = 0;
    const write = progressWriter(file, () => 'C8', { now: () => t });
    const progress = (done: number) => write({ type: 'progress', config: tiny, key: 'k1', done, total: 300 });
    progress(10); // written (first)
    t = 100; progress(20); // too soon
    t = 600; progress(200); // written
    t = 700; progress(300); // the last step: written
    write({ type: 'run', run });
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ProgressLine);
    expect(lines.map((l) => (l.type === 'progress' ? l.done : 'run'))).toEqual([10, 200, 300, 'run']);
    expect(lines[1]).toEqual({ type: 'progress', key: 'k1', claim: 'C8', namespace: 'C9/progress-test', instances: 3, done: 200, total: 300, elapsed: 0.6 });
    expect(lines[3]).toEqual({ type: 'run', key: 'k1', claim: 'C8', namespace: 'C9/progress-test', instances: 3, seconds: 2.5, cached: false, engine: 'native' });
    // outside a spec, the claim comes from the namespace
    const other = join(tmp, 'w2.jsonl');
    progressWriter(other, () => undefined)({ type: 'run', run });
    expect(JSON.parse(readFileSync(other, 'utf8'))).toMatchObject({ claim: 'C9' });
  });

  it('the reader returns each whole line once, across files, and keeps a torn last line for the next poll', () => {
    const dir = mkdtempSync(join(tmp, 'dir-'));
    const reader = new ProgressReader(dir);
    expect(reader.poll()).toEqual([]);
    const a = { type: 'run', key: 'a', claim: 'C1', namespace: 'C1', instances: 1, seconds: 1, cached: true, engine: 'native' };
    const b = { ...a, key: 'b' };
    appendFileSync(join(dir, '1.jsonl'), JSON.stringify(a) + '\n' + JSON.stringify(b).slice(0, 20));
    appendFileSync(join(dir, '2.jsonl'), JSON.stringify({ ...a, key: 'c' }) + '\n');
    expect(reader.poll().map((l) => l.key)).toEqual(['a', 'c']);
    expect(reader.poll()).toEqual([]);
    appendFileSync(join(dir, '1.jsonl'), JSON.stringify(b).slice(20) + '\n');
    expect(reader.poll()).toEqual([b]);
  });
});

/** A fake stream that records what is written. */
function stream(isTTY: boolean) {
  const out: string[] = [];
  return { out, isTTY, columns: 200, write: (s: string) => (out.push(s), true) };
}

const progressLine = (key: string, done: number, elapsed: number): ProgressLine =>
  ({ type: 'progress', key, claim: 'C4', namespace: 'C4', instances: 8, done, total: 1000, elapsed });
const runLine = (key: string, cached: boolean): ProgressLine =>
  ({ type: 'run', key, claim: 'C2', namespace: 'C2/linear', instances: 12, seconds: 41.25, cached, engine: 'native' });

describe('ReproduceProgress: a live line on a terminal, a line per finished run otherwise', () => {
  it('not a terminal: one line per finished run (claim, namespace, instances, seconds, trained or cached), no progress lines', () => {
    const s = stream(false);
    const p = new ReproduceProgress(s, () => 0);
    p.handle([progressLine('a', 100, 5), runLine('b', false), runLine('c', true)]);
    expect(s.out).toEqual([
      'tms reproduce: C2  run C2/linear: 12 instance(s), trained in 41.3 s on native\n',
      'tms reproduce: C2  run C2/linear: 12 instance(s), cached (trained earlier in 41.3 s) on native\n',
    ]);
    p.finish();
    expect(s.out.at(-1)).toBe('tms reproduce: 2 run(s) in 00:00 (1 trained, 1 from the cache)\n');
  });

  it('not a terminal: after a minute without a line, one line about the runs in training', () => {
    const s = stream(false);
    let t = 0;
    const p = new ReproduceProgress(s, () => t);
    t = 30_000;
    p.handle([progressLine('a', 100, 30)]);
    expect(s.out).toEqual([]);
    t = 61_000;
    p.handle([progressLine('a', 250, 61)]);
    expect(s.out).toEqual(['tms reproduce: training C4 run C4 (8 inst.): step 250/1000 25% ETA 03:03 · 0 run(s) done · 01:01 elapsed\n']);
    t = 90_000;
    p.handle([]);
    expect(s.out).toHaveLength(1); // the next one a minute later
  });

  it('a terminal: the live line shows claim, run, steps done of total and the ETA, redrawn in place', () => {
    const s = stream(true);
    let t = 0;
    const p = new ReproduceProgress(s, () => t);
    t = 20_000;
    p.handle([progressLine('a', 250, 10)]); // 250 of 1000 steps in 10 s: 30 s to go
    expect(s.out.at(-1)).toBe('\rC4 run C4 (8 inst.): step 250/1000 25% ETA 00:30 · 0 run(s) done · 00:20 elapsed\x1b[K');
    p.handle([runLine('a', false)]);
    expect(s.out.at(-1)).toBe('\rchecking claims · 1 run(s) done · 00:20 elapsed\x1b[K');
    expect(s.out.join('')).not.toContain('\n'); // nothing but the one line
    // never wider than the terminal, or the carriage return would redraw only its last row
    const narrow = { ...stream(true), columns: 40 };
    const q = new ReproduceProgress(narrow, () => 0);
    q.handle([progressLine('a', 250, 10), { ...progressLine('b', 1, 1), namespace: 'C4/geometry' }]);
    expect(q.liveLine()).toHaveLength(39);
    expect(q.liveLine().endsWith('…')).toBe(true);
  });

  it('hold(): other output goes above the live line, which is redrawn after it', () => {
    const live = stream(true);
    const other = stream(true);
    const p = new ReproduceProgress(live, () => 0);
    const unhold = p.hold([other as unknown as NodeJS.WriteStream]);
    p.handle([progressLine('a', 1, 0)]);
    const before = live.out.length;
    (other as unknown as NodeJS.WriteStream).write('✓ specs/c4.spec.ts\n');
    expect(live.out.slice(before)).toEqual(['\r\x1b[K', `\r${p.liveLine()}\x1b[K`]);
    expect(other.out).toEqual(['✓ specs/c4.spec.ts\n']);
    unhold();
    (other as unknown as NodeJS.WriteStream).write('after\n');
    expect(live.out.length).toBe(before + 2);
  });
});
