// The native engine: hand-written kernels (WebAssembly SIMD, or generated JS without it), each instance
// trained by the pure trainInstance, on worker threads (pool.ts) when more than one is allowed, else on
// this thread. Same bits either way. numerics 'f32' is the separately named engine native-f32 (kernel-f32.ts).
import type { Engine, Progress } from '../engine.js';
import type { RunConfig, TrainedInstance } from '../../types.js';
import { kernelKind, trainInstance, type InstanceJob, type Numerics } from './train-instance.js';
import { threadsFromEnv, trainOnWorker } from './pool.js';
import { loadVariant, type TrainingVariant } from './setup.js';

export interface NativeOptions {
  /** worker threads; default TMS_THREADS, else one per CPU; 1 = train on the calling thread */
  threads?: number;
  /** 'f64' (default, engine `native`) or 'f32' (float32 arithmetic, engine `native-f32`: its own cache key) */
  numerics?: Numerics;
}

export class NativeEngine implements Engine {
  readonly name: 'native' | 'native-f32';
  readonly supportsVariants = true;
  readonly supportsSnapshots = true;
  readonly supportsHiddenL1 = true;
  readonly threads: number;
  readonly numerics: Numerics;
  constructor(opts: NativeOptions = {}) {
    this.threads = opts.threads ?? threadsFromEnv();
    this.numerics = opts.numerics ?? 'f64';
    this.name = this.numerics === 'f32' ? 'native-f32' : 'native';
  }
  describe(): string {
    const wasm = kernelKind() === 'wasm';
    const kernel = this.numerics === 'f32'
      ? `float32 arithmetic, ${wasm ? 'WebAssembly f32x4 SIMD' : 'JS reference'} kernels`
      : `${wasm ? 'WebAssembly SIMD' : 'generated JS'} kernels`;
    return `${this.name} (${kernel}, analytic gradients; ${this.threads === 1 ? 'in-thread' : `${this.threads} worker threads`})`;
  }
  async train(run: RunConfig, onProgress?: (p: Progress) => void, variant?: TrainingVariant): Promise<TrainedInstance[]> {
    const total = run.instances.length * run.train.steps;
    const jobs: InstanceJob[] = run.instances.map((inst, index) => ({ namespace: run.namespace, model: run.model, data: run.data, train: run.train, inst, index, ...(variant && { variant }), ...(this.numerics === 'f32' && { numerics: this.numerics }) }));
    const threads = Math.min(this.threads, jobs.length);
    if (threads <= 1) {
      await loadVariant(variant);
      const every = Math.max(1, Math.floor(run.train.steps / 50));
      return jobs.map((job) =>
        trainInstance(job, (s) => {
          if (onProgress && (s + 1) % every === 0) onProgress({ done: job.index * run.train.steps + s + 1, total });
        }),
      );
    }
    const done = new Array<number>(jobs.length).fill(0);
    const report = (i: number) => (steps: number) => {
      done[i] = steps;
      onProgress?.({ done: done.reduce((a, b) => a + b, 0), total });
    };
    // Densest instances first: they take longest, so the workers end closer together (order cannot change bits).
    const meanSparsity = (j: InstanceJob) => { const s = j.inst.sparsity; return Array.isArray(s) ? s.reduce((a, b) => a + b, 0) / s.length : s; };
    const order = [...jobs].sort((a, b) => meanSparsity(a) - meanSparsity(b));
    const token = { cancelled: false };
    const settled = new Array<Promise<{ ok: true; t: TrainedInstance } | { ok: false; e: unknown }>>(jobs.length);
    for (const job of order) {
      settled[job.index] = trainOnWorker(job, threads, token, report(job.index)).then((t) => ({ ok: true as const, t }), (e: unknown) => ({ ok: false as const, e }));
    }
    // Collect in instance order, so a failing run throws the error of its first failing instance,
    // exactly as in-thread training would; the rest of its queue is dropped.
    const results: TrainedInstance[] = [];
    for (const p of settled) {
      const r = await p;
      if (!r.ok) {
        token.cancelled = true;
        throw r.e;
      }
      results.push(r.t);
    }
    return results;
  }
}
