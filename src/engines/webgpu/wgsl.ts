// The WGSL kernels of one training step, specialised per run shape (sizes and model traits are
// compile-time constants, so the compiler unrolls and drops dead branches). One step is three dispatches:
//   forward:  per (sample, instance), one thread (m ≤ 32) or one workgroup: generate x (Philox), h, x',
//             loss and ∂loss/∂x', ∂loss/∂h
//   loss:     one workgroup per instance: the batch loss, summed in a fixed tree order
//   update:   one thread per (parameter, instance): its gradient summed over the batch in order, then AdamW
// No float atomics anywhere: every sum has one fixed order, so a run is bit-reproducible on one adapter.
import { PHILOX_WGSL } from './philox.js';
import { WG, type Shape } from './layout.js';

export interface KernelOptions {
  /** generate x on the GPU (else x is uploaded by the caller: the tests' host-batch entry point) */
  generate: boolean;
  /** also write each gradient to GOUT (tests) */
  gradOut: boolean;
}

/** Per-step values, one 256-byte uniform record per step (selected by a dynamic offset). */
const STEP_STRUCT = /* wgsl */ `
struct Step {
  step: u32, slot: u32, stepSize: f32, bc2Sqrt: f32,
  decay: f32, beta1: f32, beta2: f32, eps: f32,
  oneMinusBeta1: f32, oneMinusBeta2: f32,
}
@group(0) @binding(0) var<uniform> st: Step;
`;

const u = (v: number) => `${v}u`;

function header(s: Shape): string {
  return /* wgsl */ `
const N = ${u(s.n)}; const M = ${u(s.m)}; const B = ${u(s.B)}; const S = ${u(s.S)};
const DOFF = ${u(s.dOff)}; const BOFF = ${u(s.bOff)}; const WG = ${u(WG)};
${STEP_STRUCT}`;
}

/** Fixed-order tree sum of red[0..WG) into red[0]. */
const TREE = /* wgsl */ `
  for (var w = WG / 2u; w > 0u; w = w / 2u) {
    if (t < w) { red[t] = red[t] + red[t + w]; }
    workgroupBarrier();
  }`;

/**
 * Generates x[b, ·] over feature pairs j = first, first + stride, ... One Philox call per pair: words
 * (x, y) are the coin and value of feature 2j, (z, w) those of feature 2j + 1. A set member's coin is its
 * leader's coin word; an anticorrelated set's member pick is word x of the call (b, leader, step, 1).
 */
function genLoop(first: string, stride: string, signed: boolean): string {
  return /* wgsl */ `
  let key = vec2<u32>(ITAB[2u * N + 2u * inst], ITAB[2u * N + 2u * inst + 1u]);
  for (var j = ${first}; 2u * j < N; j = j + ${stride}) {
    let r = philox(vec4<u32>(b, j, st.step, 0u), key);
    for (var h2 = 0u; h2 < 2u; h2 = h2 + 1u) {
      let i = 2u * j + h2;
      if (i >= N) { break; }
      let own = select(r.zw, r.xy, h2 == 0u);
      let lead = ITAB[i];
      var coin = own.x;
      if (lead != i) {
        let q = philox(vec4<u32>(b, lead / 2u, st.step, 0u), key);
        coin = select(q.z, q.x, lead % 2u == 0u);
      }
      let pc = TAB[tb + N + i];
      var hit = unit01(coin) < pc;
      if (ITAB[N + i] == 2u) {
        let pick = unit01(philox(vec4<u32>(b, lead, st.step, 1u), key).x) * pc;
        hit = hit && pick >= TAB[tb + 2u * N + i] && pick < TAB[tb + 3u * N + i];
      }
      ${signed ? 'let v = 2.0 * unit01(own.y) - 1.0;' : 'let v = unit01(own.y);'}
      X[xo + i] = select(0.0, v, hit);
    }
  }`;
}

const FORWARD_BINDINGS = /* wgsl */ `
@group(0) @binding(1) var<storage, read> P: array<f32>;
@group(0) @binding(2) var<storage, read_write> X: array<f32>;
@group(0) @binding(3) var<storage, read_write> G: array<f32>;
@group(0) @binding(4) var<storage, read_write> H: array<f32>;
@group(0) @binding(5) var<storage, read_write> DH: array<f32>;
@group(0) @binding(6) var<storage, read_write> LB: array<f32>;
@group(0) @binding(7) var<storage, read> TAB: array<f32>;
@group(0) @binding(8) var<storage, read> ITAB: array<u32>;`;

/** Small hidden layers (m ≤ this) take one thread per sample, h in registers: no barriers, 64 samples a workgroup. */
export const PER_THREAD_MAX_M = 32;

/** Workgroups of the forward dispatch: (x, y = instance). */
export function forwardGrid(s: Shape): [number, number] {
  return [s.m <= PER_THREAD_MAX_M ? Math.ceil(s.B / WG) : s.B, s.I];
}

export function forwardKernel(s: Shape, o: KernelOptions): string {
  return s.m <= PER_THREAD_MAX_M ? forwardPerThread(s, o) : forwardPerWorkgroup(s, o);
}

/** Decoder pre-activation s, loss term and ∂loss/∂(pre-output) g of feature i (into lsum and G): the
 *  per-feature body both forward kernels share. ReLU'(0) = 0, as in PyTorch. */
function outputGradient(t: Shape['traits']): string {
  const { outputRelu, absTarget } = t;
  return /* wgsl */ `    var s = P[po + BOFF + i];
    let d = po + DOFF + i * M;
    for (var k = 0u; k < M; k = k + 1u) { s = s + P[d + k] * h[k]; }
    let xi = X[xo + i];
    let y = ${absTarget ? 'abs(xi)' : 'xi'};
    let outv = ${outputRelu ? 'select(s, 0.0, s < 0.0)' : 's'};
    let diff = outv - y;
    let w = TAB[tb + i] * diff;
    lsum = lsum + w * diff;
    var gi = c * w;
    ${outputRelu ? 'if (s <= 0.0) { gi = 0.0; }' : ''}
    G[xo + i] = gi;`;
}

/** One thread per (sample, instance): the whole forward and ∂loss/∂h of its sample, serially. */
function forwardPerThread(s: Shape, o: KernelOptions): string {
  const { hiddenRelu, absTarget } = s.traits;
  return /* wgsl */ `${header(s)}
${PHILOX_WGSL}
${FORWARD_BINDINGS}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let b = gid.x;
  let inst = gid.y;
  if (b >= B) { return; }
  let xo = (inst * B + b) * N;
  let ho = (inst * B + b) * M;
  let po = inst * S;
  let tb = inst * 4u * N;
  ${o.generate ? genLoop('0u', '1u', absTarget) : ''}
  var h: array<f32, M>;
  for (var k = 0u; k < M; k = k + 1u) { h[k] = 0.0; }
  for (var i = 0u; i < N; i = i + 1u) {
    let xv = X[xo + i];
    if (xv != 0.0) { for (var k = 0u; k < M; k = k + 1u) { h[k] = h[k] + xv * P[po + i * M + k]; } }
  }
  for (var k = 0u; k < M; k = k + 1u) {
    ${hiddenRelu ? 'h[k] = select(0.0, h[k], h[k] > 0.0);' : ''}
    H[ho + k] = h[k];
  }
  var dh: array<f32, M>;
  for (var k = 0u; k < M; k = k + 1u) { dh[k] = 0.0; }
  let c = 2.0 / f32(B * N);
  var lsum = 0.0;
  for (var i = 0u; i < N; i = i + 1u) {
${outputGradient(s.traits)}
    if (gi != 0.0) { for (var k = 0u; k < M; k = k + 1u) { dh[k] = dh[k] + gi * P[d + k]; } }
  }
  LB[inst * B + b] = lsum;
  for (var k = 0u; k < M; k = k + 1u) {
    var v = dh[k];
    ${hiddenRelu ? 'if (!(h[k] > 0.0)) { v = 0.0; }' : ''}
    DH[ho + k] = v;
  }
}
`;
}

/** One workgroup per (sample, instance): threads split the hidden units, then the features. */
function forwardPerWorkgroup(s: Shape, o: KernelOptions): string {
  const { hiddenRelu, absTarget } = s.traits;
  const gen = genLoop('t', 'WG', absTarget) + `
  storageBarrier();
  workgroupBarrier();`;
  return /* wgsl */ `${header(s)}
${PHILOX_WGSL}
${FORWARD_BINDINGS}
var<workgroup> h: array<f32, M>;
var<workgroup> red: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let b = wg.x;
  let inst = wg.y;
  let xo = (inst * B + b) * N;
  let ho = (inst * B + b) * M;
  let po = inst * S;
  let tb = inst * 4u * N;
  ${o.generate ? gen : ''}
  // Encoder: h = E·x over the non-zero x (the branch is uniform: all threads read the same x_i).
  for (var k = t; k < M; k = k + WG) {
    var acc = 0.0;
    for (var i = 0u; i < N; i = i + 1u) {
      let xv = X[xo + i];
      if (xv != 0.0) { acc = acc + xv * P[po + i * M + k]; }
    }
    ${hiddenRelu ? 'acc = select(0.0, acc, acc > 0.0);' : ''}
    h[k] = acc;
    H[ho + k] = acc;
  }
  workgroupBarrier();
  // Decoder, loss and ∂loss/∂(pre-output), per feature. ReLU'(0) = 0, as in PyTorch.
  let c = 2.0 / f32(B * N);
  var lsum = 0.0;
  for (var i = t; i < N; i = i + WG) {
${outputGradient(s.traits)}
  }
  red[t] = lsum;
  storageBarrier();
  workgroupBarrier();
  ${TREE}
  if (t == 0u) { LB[inst * B + b] = red[0]; }
  // ∂loss/∂h = Dᵀ·g, masked by the hidden ReLU.
  for (var k = t; k < M; k = k + WG) {
    var acc = 0.0;
    for (var i = 0u; i < N; i = i + 1u) {
      let gi = G[xo + i];
      if (gi != 0.0) { acc = acc + gi * P[po + DOFF + i * M + k]; }
    }
    ${hiddenRelu ? 'if (!(h[k] > 0.0)) { acc = 0.0; }' : ''}
    DH[ho + k] = acc;
  }
}
`;
}

export function lossKernel(s: Shape): string {
  return /* wgsl */ `${header(s)}
@group(0) @binding(1) var<storage, read> LB: array<f32>;
@group(0) @binding(2) var<storage, read_write> LOSS: array<f32>;
var<workgroup> red: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let inst = wg.y;
  var acc = 0.0;
  for (var b = t; b < B; b = b + WG) { acc = acc + LB[inst * B + b]; }
  red[t] = acc;
  workgroupBarrier();
  ${TREE}
  if (t == 0u) { LOSS[st.slot * ${u(s.I)} + inst] = red[0] / f32(B * N); }
}
`;
}

export function updateKernel(s: Shape, o: KernelOptions): string {
  const nm = s.n * s.m;
  // Σ_b a[b, i]·c[b, k] over the rows where a ≠ 0 (the sparse inputs and the zero ReLU gradients)
  const sum = (a: string, aw: string, c: string, cw: string) => /* wgsl */ `
    var acc = 0.0;
    for (var b = 0u; b < B; b = b + 1u) {
      let av = ${a}[(inst * B + b) * ${aw} + i];
      if (av != 0.0) { acc = acc + av * ${c}[(inst * B + b) * ${cw} + k]; }
    }`;
  const encoder = /* wgsl */ `{ ${sum('X', 'N', 'DH', 'M')} g = acc; }`;
  const decoder = /* wgsl */ `{ ${sum('G', 'N', 'H', 'M')} g = g + acc; }`;
  return /* wgsl */ `${header(s)}
@group(0) @binding(1) var<storage, read_write> P: array<f32>;
@group(0) @binding(2) var<storage, read> X: array<f32>;
@group(0) @binding(3) var<storage, read> G: array<f32>;
@group(0) @binding(4) var<storage, read> H: array<f32>;
@group(0) @binding(5) var<storage, read> DH: array<f32>;
@group(0) @binding(6) var<storage, read_write> MOM: array<f32>;
@group(0) @binding(7) var<storage, read_write> GOUT: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let q = wg.x * WG + t;
  let inst = wg.y;
  if (q >= S) { return; }
  var g = 0.0;
  if (q < ${u(nm)}) {
    let i = q / M;
    let k = q % M;
    ${encoder}
    ${s.traits.tied ? decoder : ''}
  } else if (q < BOFF) {
    let i = (q - ${u(nm)}) / M;
    let k = (q - ${u(nm)}) % M;
    ${decoder}
  } else {
    let i = q - BOFF;
    for (var b = 0u; b < B; b = b + 1u) { g = g + G[(inst * B + b) * N + i]; }
  }
  let j = inst * S + q;
  ${o.gradOut ? 'GOUT[j] = g;' : ''}
  // AdamW (torch.optim.AdamW): decay the weight, then the bias-corrected Adam step.
  let a = st.beta1 * MOM[2u * j] + st.oneMinusBeta1 * g;
  let v = st.beta2 * MOM[2u * j + 1u] + st.oneMinusBeta2 * g * g;
  MOM[2u * j] = a;
  MOM[2u * j + 1u] = v;
  P[j] = P[j] * st.decay - (st.stepSize * a) / (sqrt(v) / st.bc2Sqrt + st.eps);
}
`;
}
