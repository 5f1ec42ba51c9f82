// The native engine on worker threads gives the same bits as on the calling thread: instances are
// independent and trainInstance is pure, so only where they run changes (src/engines/native/pool.ts).
import { afterAll, describe, expect, it } from 'vitest';
import { NativeEngine } from '../src/engines/native/index.js';
import { closePool } from '../src/engines/native/pool.js';
import { geometricImportance, TrainingDivergedError } from '../src/instance.js';
import { DEFAULT_TRAIN, type ModelKind, type RunConfig, type TrainedInstance } from '../src/types.js';

const run = (kind: ModelKind, n: number, m: number, sparsities: number[], over: Partial<RunConfig['train']> = {}): RunConfig => ({
  namespace: 'native-threads',
  model: { kind, n, m },
  data: { kind: 'independent' },
  train: { ...DEFAULT_TRAIN, steps: 120, batch: 256, ...over },
  instances: sparsities.map((sparsity, seed) => ({ sparsity, importance: geometricImportance(n, 0.9), seed })),
});

const bits = (ts: TrainedInstance[]) =>
  ts.map((t) => ({
    config: t.config,
    W: Buffer.from(t.params.W.buffer).toString('base64'),
    W2: t.params.W2 && Buffer.from(t.params.W2.buffer).toString('base64'),
    b: Buffer.from(t.params.b.buffer).toString('base64'),
    losses: t.losses,
    finalLoss: t.finalLoss,
  }));

afterAll(closePool);

describe('native engine on worker threads', () => {
  it.each([
    ['relu-output', 20, 5, [0, 0.7, 0.9, 0.99, 0.999]],
    ['abs', 12, 6, [0, 0.9, 0.99]],
    ['relu-hidden', 6, 3, [0.5, 0.9]],
  ] as const)('%s n=%i m=%i: bit-identical to in-thread, in instance order', async (kind, n, m, S) => {
    const cfg = run(kind, n, m, [...S]);
    const single = await new NativeEngine({ threads: 1 }).train(cfg);
    const progress: number[] = [];
    const multi = await new NativeEngine({ threads: 2 }).train(cfg, (p) => progress.push(p.done));
    expect(bits(multi)).toEqual(bits(single));
    expect(multi.map((t) => t.config)).toEqual(cfg.instances);
    expect(progress.at(-1)).toBe(cfg.instances.length * cfg.train.steps);
  });

  it('a diverging instance fails the run with the same TrainingDivergedError', async () => {
    const cfg = run('linear', 8, 3, [0, 0.5], { lr: 1e30 });
    const err = async (threads: number) => new NativeEngine({ threads }).train(cfg).then(() => undefined, (e: unknown) => e);
    const [a, b] = [await err(1), await err(2)];
    expect(a).toBeInstanceOf(TrainingDivergedError);
    expect(b).toBeInstanceOf(TrainingDivergedError);
    expect((b as Error).message).toBe((a as Error).message);
  });
});
