// The TensorFlow.js engine: the same init, data stream and loss as the native engine, gradients by
// tfjs autodiff and AdamW as tf ops. The instances of a run train together as one batched model
// (in groups that bound memory), which is what makes a GPU backend pay off.
import type * as TF from '@tensorflow/tfjs';
import type { Engine, Progress } from '../engine.js';
import type { Params, RunConfig, TrainedInstance } from '../../types.js';
import type { Batch } from '../../data.js';
import type { Grads } from '../native/kernel.js';
import { MODEL_TRAITS } from '../../models.js';
import { TrainingDivergedError } from '../../instance.js';
import { assertFiniteParams, LossLog, setupInstance } from '../shared.js';
import { loadTf, type LoadedTf, type TfBackendName } from './backend.js';
import { lossPerInstance, TfAdamW } from './model.js';

export type { TfBackendName } from './backend.js';

/** Default cap on the floats of one [instances, batch, max(n, m)] activation (sets the instances per group). */
const GROUP_FLOATS = 1 << 22;
/** Per-step losses stay on the device and are read back this many steps at a time. */
const LOSS_FLUSH = 100;

export class TfjsEngine implements Engine {
  /** "tfjs-<backend>": the backend changes float results slightly, so it is part of the cache key */
  readonly name: string;
  readonly backend: TfBackendName;
  readonly isGpu: boolean;
  /** the loaded tfjs API (tests use it to check that training leaks no tensors) */
  readonly tf: LoadedTf['tf'];

  private readonly groupFloats: number;

  /** @param opts.groupFloats instances per group are capped so that one [instances, batch, max(n, m)] activation has at most this many floats (default 2²²) */
  constructor(loaded: LoadedTf, opts: { groupFloats?: number } = {}) {
    this.groupFloats = opts.groupFloats ?? GROUP_FLOATS;
    this.tf = loaded.tf;
    this.backend = loaded.backend;
    this.isGpu = loaded.isGpu;
    this.name = `tfjs-${loaded.backend}`;
  }

  describe(): string {
    const what = { 'node-gpu': 'tfjs-node-gpu (CUDA)', node: 'tfjs-node (libtensorflow, CPU)', wasm: 'WebAssembly backend', cpu: 'plain-JS cpu backend' }[this.backend];
    return `tfjs, ${what}: autodiff gradients, AdamW as tf ops, instances batched`;
  }

  async train(run: RunConfig, onProgress?: (p: Progress) => void): Promise<TrainedInstance[]> {
    const { n, m } = run.model;
    const perGroup = Math.max(1, Math.floor(this.groupFloats / (run.train.batch * Math.max(n, m))));
    const out: TrainedInstance[] = [];
    const total = run.instances.length * run.train.steps;
    for (let start = 0; start < run.instances.length; start += perGroup) {
      const count = Math.min(perGroup, run.instances.length - start);
      out.push(...this.trainGroup(run, start, count, (stepsDone) => onProgress?.({ done: start * run.train.steps + stepsDone * count, total })));
    }
    return out;
  }

  /** Trains instances [start, start+count) of `run` as one batched model. */
  private trainGroup(run: RunConfig, start: number, count: number, onSteps: (stepsDone: number) => void): TrainedInstance[] {
    const { tf } = this;
    const { n, m } = run.model;
    const { batch: B, steps } = run.train;
    const traits = MODEL_TRAITS[run.model.kind];
    const insts = run.instances.slice(start, start + count);
    const setups = insts.map((inst) => setupInstance(run.namespace, run.model, run.data, inst));

    // Each instance's sampler writes its dense batch straight into its slice of one [I, B, n] buffer.
    const X = new Float32Array(count * B * n);
    const batches: Batch[] = setups.map((_, k) => ({
      B,
      n,
      x: X.subarray(k * B * n, (k + 1) * B * n),
      colPtr: new Int32Array(n + 1),
      rows: new Int32Array(B * n),
      vals: new Float32Array(B * n),
    }));
    const stack = (get: (p: Params) => Float32Array, rows: number, cols: number) => {
      const a = new Float32Array(count * rows * cols);
      setups.forEach((s, k) => a.set(get(s.params), k * rows * cols));
      return tf.tensor3d(a, [count, rows, cols]);
    };
    // tidy disposes the initial-value tensors; the variables keep their own reference to the data.
    const W = tf.tidy(() => tf.variable(stack((p) => p.W, n, m)));
    const W2 = traits.tied ? undefined : tf.tidy(() => tf.variable(stack((p) => p.W2!, n, m)));
    const b = tf.tidy(() => tf.variable(stack((p) => p.b, 1, n)));
    const vars = W2 ? [W, W2, b] : [W, b];
    const importance = tf.tensor3d(Float32Array.from(setups.flatMap((s) => Array.from(s.importance))), [count, 1, n]);
    const opt = new TfAdamW(tf, vars, run.train);
    const logs = insts.map(() => new LossLog(steps));
    const every = Math.max(1, Math.floor(steps / 50));
    let pending: TF.Tensor1D[] = [];
    let firstPending = 0;

    // Reads the buffered per-step losses; throws on the first non-finite one.
    const flush = () => {
      if (pending.length === 0) return;
      const chunk = pending;
      pending = [];
      const all = tf.tidy(() => tf.stack(chunk));
      const vals = all.dataSync();
      all.dispose();
      chunk.forEach((t) => t.dispose());
      for (let s = 0; s < chunk.length; s++) {
        for (let k = 0; k < count; k++) {
          const loss = vals[s * count + k];
          if (!Number.isFinite(loss)) throw new TrainingDivergedError(start + k, firstPending + s, `loss ${loss}`);
          logs[k].record(firstPending + s, loss);
        }
      }
      firstPending += chunk.length;
    };

    try {
      for (let step = 0; step < steps; step++) {
        for (let k = 0; k < count; k++) setups[k].sampler.fill(batches[k]);
        pending.push(
          tf.tidy(() => {
            // X is refilled next step: the tensor made from it is consumed (and disposed) within this tidy.
            const x = tf.tensor3d(X, [count, B, n]);
            let per: TF.Tensor1D | undefined;
            const { grads } = tf.variableGrads(() => {
              per = tf.keep(lossPerInstance(tf, traits, W, W2 ?? W, b, importance, x));
              return tf.sum(per) as TF.Scalar;
            }, vars);
            opt.step(vars.map((v) => grads[v.name]));
            return per!;
          }),
        );
        if (pending.length >= LOSS_FLUSH) flush();
        if ((step + 1) % every === 0) onSteps(step + 1);
      }
      flush();
      const Wv = W.dataSync() as Float32Array;
      const W2v = W2?.dataSync() as Float32Array | undefined;
      const bv = b.dataSync() as Float32Array;
      return insts.map((inst, k) => {
        const params: Params = {
          kind: run.model.kind,
          n,
          m,
          W: Wv.slice(k * n * m, (k + 1) * n * m),
          W2: W2v?.slice(k * n * m, (k + 1) * n * m),
          b: bv.slice(k * n, (k + 1) * n),
        };
        assertFiniteParams(params, start + k, steps);
        return { config: inst, params, ...logs[k].result() };
      });
    } finally {
      pending.forEach((t) => t.dispose());
      opt.dispose();
      for (const v of [...vars, importance]) v.dispose();
    }
  }

  /**
   * Loss and autodiff gradients of one model on one dense batch `x` (sample-major, B×n), in the
   * native kernel's layout and reduction: for comparing engines and checking gradients.
   */
  lossAndGrads(params: Params, x: Float32Array, B: number, importance: ArrayLike<number>): { loss: number; grads: Grads } {
    const { tf } = this;
    const { n, m } = params;
    const traits = MODEL_TRAITS[params.kind];
    const res = tf.tidy(() => {
      const xt = tf.tensor3d(x, [1, B, n]);
      const imp = tf.tensor3d(Float32Array.from(importance), [1, 1, n]);
      const E = tf.tensor3d(params.W, [1, n, m]);
      const b = tf.tensor3d(params.b, [1, 1, n]);
      const f = (...ts: TF.Tensor[]) => {
        const [e, second, third] = ts as TF.Tensor3D[];
        return traits.tied
          ? tf.sum(lossPerInstance(tf, traits, e, e, second, imp, xt)) as TF.Scalar
          : tf.sum(lossPerInstance(tf, traits, e, second, third, imp, xt)) as TF.Scalar;
      };
      const inputs = traits.tied ? [E, b] : [E, tf.tensor3d(params.W2!, [1, n, m]), b];
      const { value, grads } = tf.valueAndGrads(f)(inputs);
      return [value, ...grads];
    });
    const [value, ...g] = res.map((t) => {
      const d = t.dataSync() as Float32Array;
      t.dispose();
      return d.slice();
    });
    const grads: Grads = traits.tied ? { gW: g[0], gb: g[1] } : { gW: g[0], gW2: g[1], gb: g[2] };
    return { loss: value[0], grads };
  }
}

/** The tfjs engine on the best backend that loads (see backend.ts); one tfjs per process. */
export async function loadTfjsEngine(): Promise<TfjsEngine> {
  return new TfjsEngine(await loadTf());
}

/** Loss and tfjs-autodiff gradients for `params` on a dense batch (see TfjsEngine.lossAndGrads). */
export async function tfjsLossAndGrads(params: Params, x: Float32Array, B: number, importance: ArrayLike<number>): Promise<{ loss: number; grads: Grads }> {
  return (await loadTfjsEngine()).lossAndGrads(params, x, B, importance);
}
