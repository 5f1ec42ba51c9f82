// The four model families, their loss and PyTorch's AdamW as tfjs ops. Several instances of one run
// train at once as a batch of independent models: parameters are [I, n, m] / [I, 1, n] tensors and
// every op is batched over the leading instance axis, so instance k's gradient is exactly its own.
//
// Layouts match Params: W[k] is [n, m] with row i = W_i (feature-major), so the encoder is h = x·W
// ([B, n]·[n, m]); the decoder rows D[k] ([n, m]: D = W when tied, W2 for abs) give out = h·Dᵀ + b.
import type * as TF from '@tensorflow/tfjs';
import type { ModelTraits } from '../../models.js';
import type { TrainConfig } from '../../types.js';
import type { Tf } from './backend.js';

/**
 * Per-instance loss, shape [I]: mean over batch and features of I_i (x'_i − y_i)² with y = x, or |x|
 * for the abs model (the native kernel's reduction).
 * @param x inputs [I, B, n]; E, D [I, n, m]; b [I, 1, n]; importance [I, 1, n]
 */
export function lossPerInstance(
  tf: Tf,
  t: ModelTraits,
  E: TF.Tensor3D,
  D: TF.Tensor3D,
  b: TF.Tensor3D,
  importance: TF.Tensor3D,
  x: TF.Tensor3D,
): TF.Tensor1D {
  let h = tf.matMul(x, E); // [I, B, m]
  if (t.hiddenRelu) h = tf.relu(h); // tfjs's ReLU' is step(x): 0 at 0, as in PyTorch and the native kernel
  let out = tf.add(tf.matMul(h, D, false, true), b); // [I, B, n]
  if (t.outputRelu) out = tf.relu(out);
  const y = t.absTarget ? tf.abs(x) : x;
  return tf.mean(tf.mul(tf.square(tf.sub(out, y)), importance), [1, 2]);
}

type AdamCfg = Pick<TrainConfig, 'lr' | 'weightDecay' | 'beta1' | 'beta2' | 'eps'>;

/**
 * AdamW with torch.optim.AdamW's semantics (amsgrad=False), as tf ops (tfjs ships Adam, not AdamW):
 *   p ← p·(1 − lr·wd);  m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;
 *   p ← p − lr/(1−β1^t) · m / (sqrt(v)/sqrt(1−β2^t) + eps)
 * Elementwise, so instances batched along the first axis stay independent.
 */
export class TfAdamW {
  private t = 0;
  private readonly m1: TF.Variable[];
  private readonly m2: TF.Variable[];

  constructor(
    private readonly tf: Tf,
    private readonly params: TF.Variable[],
    private readonly cfg: AdamCfg,
  ) {
    const zeros = (p: TF.Variable) => tf.tidy(() => tf.variable(tf.zerosLike(p), false));
    this.m1 = params.map(zeros);
    this.m2 = params.map(zeros);
  }

  /** One step with gradients `grads` (same order as the params). Run it inside tf.tidy. */
  step(grads: TF.Tensor[]): void {
    const { tf } = this;
    const { lr, weightDecay, beta1, beta2, eps } = this.cfg;
    this.t++;
    const decay = 1 - lr * weightDecay;
    const stepSize = lr / (1 - beta1 ** this.t);
    const bc2Sqrt = Math.sqrt(1 - beta2 ** this.t);
    for (let q = 0; q < this.params.length; q++) {
      const p = this.params[q];
      const g = grads[q];
      const a = tf.add(tf.mul(this.m1[q], beta1), tf.mul(g, 1 - beta1));
      const v = tf.add(tf.mul(this.m2[q], beta2), tf.mul(tf.square(g), 1 - beta2));
      this.m1[q].assign(a);
      this.m2[q].assign(v);
      p.assign(tf.sub(tf.mul(p, decay), tf.div(tf.mul(a, stepSize), tf.add(tf.div(tf.sqrt(v), bc2Sqrt), eps))));
    }
  }

  dispose(): void {
    for (const v of [...this.m1, ...this.m2]) v.dispose();
  }
}
