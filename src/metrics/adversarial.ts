// Optimal L2 attacks on a tied toy model (linear or ReLU output), and the vulnerability they measure (C12).
//
// The attack on input x with budget ε: δ* = argmax_{‖δ‖ ≤ ε} ℓ_x(δ), where
//   ℓ_x(δ) = (1/n) Σ_i I_i (x_i − x'_i(x + δ))²,   x'(y) = ReLU(WᵀW y + b)
// is the training loss of the perturbed input against the clean target x. Only z = Wδ ∈ R^m reaches the
// output, and the shortest δ giving z is Wᵀ A⁻¹ z (A = WWᵀ, m×m), of squared norm zᵀA⁻¹z. So the attack is
// an m-dimensional problem: z = ε A^{1/2} u over the unit ball ‖u‖ ≤ 1, with pre-activations
//   c_i + ε v_i·u,   c_i = W_i·(Wx) + b_i,   v_i = A^{1/2} W_i.
// ℓ is piecewise quadratic in u (convex pieces, with concave kinks where an output with x_i > 0 turns off),
// so it has several local maxima, on the sphere or (at a kink) inside the ball. We start from the
// directions the structure names (each output pushed up or down the most, the eigen-directions of the
// quadratic part) and climb the best-scoring of them, the gradient direction at δ = 0 and the origin by
// projected gradient ascent in the ball; tests/adversarial.test.ts compares the best with brute-force
// search over δ in R^n.
// Vulnerability of a model: mean over inputs of (ℓ_x(δ*) − ℓ_x(0)) / ε², with ε = budget × mean ‖x‖
// over the same inputs (the paper's budget is 0.1 × the mean input norm).
import type { DataConfig, InstanceConfig, Params } from '../types.js';
import { MODEL_TRAITS } from '../models.js';
import { allocBatch, makeSampler } from '../data.js';
import { featureProbs } from '../instance.js';
import { Rng } from '../rng.js';
import { symEig } from './sym-eig.js';

/** f(X) = Q f(Λ) Qᵀ for a symmetric matrix. */
function symFn(A: number[][], f: (l: number) => number): number[][] {
  const { values, vectors: Q } = symEig(A);
  const m = A.length;
  return Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => values.reduce((s, l, k) => s + Q[i][k] * f(l) * Q[j][k], 0)));
}

/** A model prepared for attacks: the pieces of the m-dimensional problem that do not depend on x. */
export interface AttackModel {
  p: Params;
  importance: ArrayLike<number>;
  /** v_i = A^{1/2} W_i, feature-major (n × m) */
  v: Float64Array;
  /** A^{-1/2} (pseudo-inverse on A's range), m × m */
  invSqrt: number[][];
  /** the unit-ball starts that do not depend on x: ±v_i/‖v_i‖, ± top eigen-directions of Σ I_i v_i v_iᵀ */
  starts: Float64Array[];
}

const RANK_TOL = 1e-10;

export function attackModel(p: Params, importance: ArrayLike<number>): AttackModel {
  const t = MODEL_TRAITS[p.kind];
  if (!t.tied || t.hiddenRelu) throw new Error(`attack: needs a tied model without a hidden ReLU (linear, relu-output), got ${p.kind}`);
  const { n, m, W } = p;
  const A = Array.from({ length: m }, (_, k) => Array.from({ length: m }, (_, l) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += W[i * m + k] * W[i * m + l];
    return s;
  }));
  const top = Math.max(...symEig(A).values, 0);
  const sqrt = symFn(A, (l) => (l > RANK_TOL * top ? Math.sqrt(l) : 0));
  const invSqrt = symFn(A, (l) => (l > RANK_TOL * top ? 1 / Math.sqrt(l) : 0));
  const v = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let k = 0; k < m; k++) {
    let s = 0;
    for (let l = 0; l < m; l++) s += sqrt[k][l] * W[i * m + l];
    v[i * m + k] = s;
  }
  const starts: Float64Array[] = [];
  const unit = (u: Float64Array) => {
    const r = Math.hypot(...u);
    if (r > 1e-12) starts.push(u.map((x) => x / r), u.map((x) => -x / r));
  };
  for (let i = 0; i < n; i++) unit(v.slice(i * m, (i + 1) * m));
  const Q = Array.from({ length: m }, (_, k) => Array.from({ length: m }, (_, l) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += importance[i] * v[i * m + k] * v[i * m + l];
    return s;
  }));
  const { vectors } = symEig(Q);
  for (let k = 0; k < m; k++) unit(Float64Array.from(vectors.map((row) => row[k])));
  return { p, importance, v, invSqrt, starts };
}

export interface Attack {
  /** the perturbation in input space, ‖δ‖ ≤ ε */
  delta: Float64Array;
  /** the attack in the unit ball of the m-dimensional problem: z = Wδ = ε A^{1/2} u */
  u: Float64Array;
  /** ℓ_x(0) and ℓ_x(δ) */
  clean: number;
  attacked: number;
}

/** ℓ at u (and, with g, its gradient in u) from the pre-activations c_i + ε v_i·u. */
function lossAt(am: AttackModel, x: ArrayLike<number>, c: Float64Array, eps: number, u: Float64Array, g?: Float64Array): number {
  const { n, m } = am.p;
  const relu = MODEL_TRAITS[am.p.kind].outputRelu;
  if (g) g.fill(0);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    let pre = c[i];
    for (let k = 0; k < m; k++) pre += eps * am.v[i * m + k] * u[k];
    const on = !relu || pre > 0;
    const r = x[i] - (on ? pre : 0);
    loss += am.importance[i] * r * r;
    if (g && on) for (let k = 0; k < m; k++) g[k] += (-2 * am.importance[i] * r * eps * am.v[i * m + k]) / n;
  }
  return loss / n;
}

function norm(u: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < u.length; k++) s += u[k] * u[k];
  return Math.sqrt(s);
}

/** Climbs ℓ in the unit ball from u by projected gradient steps of length s (at most MAX_STEP), s halved
 *  when a step does not gain and doubled when it does: a local climb, so each start keeps to its own basin. */
function climb(am: AttackModel, x: ArrayLike<number>, c: Float64Array, eps: number, start: Float64Array, iters: number): { u: Float64Array; f: number } {
  const m = am.p.m;
  const u = start.slice();
  const g = new Float64Array(m);
  const cand = new Float64Array(m);
  const gCand = new Float64Array(m);
  let f = lossAt(am, x, c, eps, u, g);
  let step = MAX_STEP;
  for (let it = 0; it < iters && step > MIN_STEP; ) {
    const gn = norm(g);
    if (gn < 1e-300) break;
    for (let k = 0; k < m; k++) cand[k] = u[k] + (step * g[k]) / gn;
    const r = norm(cand);
    if (r > 1) for (let k = 0; k < m; k++) cand[k] /= r;
    // the candidate's loss and gradient in one pass (the loss does not depend on computing the gradient)
    const fc = lossAt(am, x, c, eps, cand, gCand);
    if (fc > f) {
      u.set(cand);
      g.set(gCand);
      f = fc;
      step = Math.min(MAX_STEP, 2 * step);
      it++;
    } else step /= 2;
  }
  return { u, f };
}

/** Climb step lengths in the unit ball: at most MAX_STEP, down to MIN_STEP. */
const MAX_STEP = 0.25;
const MIN_STEP = 1e-7;
/** How many of the best-scoring starts are climbed (besides the gradient and the origin), and how far. */
const CLIMB_STARTS = 8;
const CLIMB_ITERS = 100;

/** The optimal L2 attack of budget eps on input x (length n). */
export function attack(am: AttackModel, x: ArrayLike<number>, eps: number): Attack {
  const { n, m, W, b } = am.p;
  const h = new Float64Array(m);
  for (let i = 0; i < n; i++) if (x[i] !== 0) for (let k = 0; k < m; k++) h[k] += W[i * m + k] * x[i];
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < m; k++) s += W[i * m + k] * h[k];
    c[i] = s;
  }
  const zero = new Float64Array(m);
  const g0 = new Float64Array(m);
  const clean = lossAt(am, x, c, eps, zero, g0);
  const starts = am.starts.map((u) => ({ u, f: lossAt(am, x, c, eps, u) })).sort((a, b) => b.f - a.f).slice(0, CLIMB_STARTS).map((s) => s.u);
  const gn = norm(g0);
  if (gn > 0) starts.push(g0.map((v) => v / gn));
  starts.push(zero);
  let best: { u: Float64Array; f: number } = { u: zero, f: clean };
  for (const s of starts) {
    const r = climb(am, x, c, eps, s, CLIMB_ITERS);
    if (r.f > best.f) best = r;
  }
  // δ = Wᵀ A⁻¹ z with z = ε A^{1/2} u, i.e. δ = ε Wᵀ A^{-1/2} u
  const y = am.invSqrt.map((row) => row.reduce((s, a, l) => s + a * best.u[l], 0));
  const delta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < m; k++) s += W[i * m + k] * y[k];
    delta[i] = eps * s;
  }
  return { delta, u: best.u, clean, attacked: best.f };
}

export interface Vulnerability {
  /** mean over inputs of (ℓ_x(δ*) − ℓ_x(0)) / ε² */
  vulnerability: number;
  /** the budget ε = budget × mean ‖x‖ */
  eps: number;
  meanNorm: number;
  /** mean ℓ_x(0) and mean ℓ_x(δ*) */
  clean: number;
  attacked: number;
}

/** The paper's budget: 0.1 × the mean input norm. */
export const ATTACK_BUDGET = 0.1;

/**
 * The model's vulnerability on `samples` inputs drawn from the instance's distribution (stream `label`:
 * the same label gives every model the same draws), under attacks of budget × the inputs' mean norm.
 */
export function vulnerability(p: Params, inst: InstanceConfig, data: DataConfig, samples: number, label: string, budget = ATTACK_BUDGET): Vulnerability {
  const { n } = p;
  const B = Math.min(1024, samples);
  const sampler = makeSampler(n, featureProbs(inst, n), data, false, new Rng(label));
  const batch = allocBatch(B, n);
  const xs: Float64Array[] = [];
  while (xs.length < samples) {
    sampler.fill(batch);
    for (let s = 0; s < B && xs.length < samples; s++) xs.push(Float64Array.from(batch.x.subarray(s * n, (s + 1) * n)));
  }
  const meanNorm = xs.reduce((s, x) => s + norm(x), 0) / samples;
  const eps = budget * meanNorm;
  const am = attackModel(p, inst.importance);
  let clean = 0;
  let attacked = 0;
  for (const x of xs) {
    const a = attack(am, x, eps);
    clean += a.clean;
    attacked += a.attacked;
  }
  clean /= samples;
  attacked /= samples;
  return { vulnerability: (attacked - clean) / eps ** 2, eps, meanNorm, clean, attacked };
}
