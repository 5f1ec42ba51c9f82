// The four model families of the paper as data: which non-linearities they have, whether the decoder is
// tied to the encoder, and what the target is. Engines read these flags instead of branching on names.
import type { ModelInit, ModelKind, Params } from './types.js';
import { Rng } from './rng.js';

export interface ModelTraits {
  /** h = ReLU(Wx) instead of h = Wx */
  hiddenRelu: boolean;
  /** x' = ReLU(·) on the output */
  outputRelu: boolean;
  /** decoder is Wᵀ (tied) or a separate W2 */
  tied: boolean;
  /** inputs in U[-1,1) and target |x| (the computation-in-superposition model) */
  absTarget: boolean;
}

export const MODEL_TRAITS: Record<ModelKind, ModelTraits> = {
  linear: { hiddenRelu: false, outputRelu: false, tied: true, absTarget: false },
  'relu-output': { hiddenRelu: false, outputRelu: true, tied: true, absTarget: false },
  'relu-hidden': { hiddenRelu: true, outputRelu: true, tied: true, absTarget: false },
  abs: { hiddenRelu: true, outputRelu: true, tied: false, absTarget: true },
};

export const MODEL_KINDS = Object.keys(MODEL_TRAITS) as ModelKind[];

/**
 * Xavier-normal weights (std = sqrt(2/(n+m)) for an m×n matrix), bias 0, as in the reference notebook.
 * Drawn in the paper's m×n row-major order, stored feature-major, so the draw order does not depend
 * on our layout.
 */
export function initParams(kind: ModelKind, n: number, m: number, rng: Rng, init: ModelInit = 'xavier'): Params {
  const std = Math.sqrt(2 / (n + m));
  const draw = () => {
    const w = new Float32Array(n * m);
    for (let k = 0; k < m; k++) for (let i = 0; i < n; i++) w[i * m + k] = std * rng.normal();
    return w;
  };
  const W = draw();
  const W2 = MODEL_TRAITS[kind].tied ? undefined : draw();
  // Same draws, signs of W2 dropped: output i then reads every neuron that x_i (of either sign) excites.
  if (init === 'alive-halves' && W2) for (let q = 0; q < W2.length; q++) W2[q] = Math.abs(W2[q]);
  return { kind, n, m, W, W2, b: new Float32Array(n) };
}

export function cloneParams(p: Params): Params {
  return { ...p, W: p.W.slice(), W2: p.W2?.slice(), b: p.b.slice() };
}
