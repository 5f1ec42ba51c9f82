// WebAssembly SIMD version of kernel.ts's forwardBackward, bit-identical to it (tests/native-kernel.test.ts).
// JS evaluates the reference in doubles and rounds to float32 on every Float32Array store; here the same
// doubles live in f64x2 lanes and each float32 store becomes demote+promote (round to float32 and back).
// No fused multiply-add, no reassociation: every sum is added in the reference's order, two independent
// sums per instruction (k, k+1 of one row; or features i, i+1 in the decoder's forward pass).
// Two functions, generated per (n, m, model traits) with m unrolled (padded to even; pad lanes stay 0):
//  samples(): per sample b, encoder over its non-zeros → decoder pre-activations, 8 features at a time
//    (n padded to a multiple of 8) → loss and backward per feature (gD rows, dh_b);
//  encGrad(): the encoder gradient, one feature column at a time.
// The weights are copied to doubles once per step (O(n·m)); everything else stays in wasm memory.
import type { Batch } from '../../data.js';
import type { ModelTraits } from '../../models.js';
import type { Grads } from './kernel.js';
import { F64, I32, op, V128, wasmModule, type Code } from './wasm-asm.js';

const FWD_BLOCK = 8; // features per forward block: 4 f64x2 accumulators

/** Named locals of one function: params first (their order is the signature), then locals. */
class Frame {
  readonly params: number[] = [];
  readonly locals: number[] = [];
  private readonly idx = new Map<string, number>();
  param(name: string, t: number) {
    this.fresh(name);
    this.idx.set(name, this.params.length);
    this.params.push(t);
  }
  local(name: string, t: number) {
    this.fresh(name);
    this.idx.set(name, this.params.length + this.locals.length);
    this.locals.push(t);
  }
  private fresh(name: string) {
    if (this.idx.has(name)) throw new Error(`duplicate local ${name}`);
  }
  get = (name: string) => op.get(this.at(name));
  set = (name: string) => op.set(this.at(name));
  tee = (name: string) => op.tee(this.at(name));
  at(name: string): number {
    const i = this.idx.get(name);
    if (i === undefined) throw new Error(`no local ${name}`);
    return i;
  }
}

const round32 = [...op.f32x4DemoteZero, ...op.f64x2PromoteLow];
/** `name += by` for an i32 local */
const inc = (f: Frame, name: string, by: number): Code => [...f.get(name), ...op.i32(by), ...op.i32Add, ...f.set(name)];
/** `while (a < limit) { body }`, a and limit i32 locals (unsigned compare) */
const whileLt = (f: Frame, a: string, limit: Code, body: Code): Code => [
  ...op.block, ...op.loop, ...f.get(a), ...limit, ...op.i32GeU, ...op.brIf(1), ...body, ...op.br(0), ...op.end, ...op.end,
];

function samplesFn(t: ModelTraits, n: number, m: number): { params: number[]; locals: number[]; body: Code } {
  const P = Math.ceil(m / 2);
  const np = Math.ceil(n / FWD_BLOCK) * FWD_BLOCK;
  const f = new Frame();
  for (const p of ['B', 'dense', 'E64', 'x', 'rp', 'rc', 'rv', 'h64', 'DT', 'bias64', 'sb', 'imp', 'gb', 'gD64', 'D64', 'dh64']) f.param(p, I32);
  f.param('c', F64);
  for (const l of ['b', 'p', 'pe', 'o', 'od', 'xrow', 'dhrow', 'i', 'q', 'tmp']) f.local(l, I32);
  for (const l of ['loss', 's', 'xi', 'y', 'out', 'diff', 'w', 'gi']) f.local(l, F64);
  f.local('v', V128);
  const J = Array.from({ length: P }, (_, j) => j);
  const T = Array.from({ length: FWD_BLOCK / 2 }, (_, j) => j);
  J.forEach((j) => (f.local(`vh${j}`, V128), f.local(`vd${j}`, V128)));
  T.forEach((j) => f.local(`vs${j}`, V128));
  const each = <X>(xs: X[], g: (x: X) => Code): Code => xs.flatMap(g);

  // h_k = fround(h_k + v * E_ik), E_i at address o
  const hStep = each(J, (j) => [...f.get(`vh${j}`), ...f.get('v'), ...f.get('o'), ...op.v128Load(16 * j), ...op.f64x2Mul, ...op.f64x2Add, ...round32, ...f.set(`vh${j}`)]);
  const encoder: Code = [
    ...each(J, (j) => [...op.v128Zero, ...f.set(`vh${j}`)]),
    ...f.get('rp'), ...f.get('b'), ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...f.tee('tmp'),
    ...op.i32Load(0), ...f.set('p'), ...f.get('tmp'), ...op.i32Load(4), ...f.set('pe'),
    // A fully dense batch (S = 0) has row b = x_b: read it directly instead of the CSR copy.
    ...f.get('dense'), ...op.if,
    ...op.i32(0), ...f.set('i'), ...f.get('E64'), ...f.set('o'),
    ...whileLt(f, 'i', op.i32(n), [
      ...f.get('xrow'), ...f.get('i'), ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...op.f32Load(), ...op.f64Promote, ...op.f64x2Splat, ...f.set('v'),
      ...hStep, ...inc(f, 'i', 1), ...inc(f, 'o', 16 * P),
    ]),
    ...op.else,
    ...whileLt(f, 'p', f.get('pe'), [
      ...f.get('rc'), ...f.get('p'), ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...op.i32Load(), ...f.set('o'),
      ...f.get('rv'), ...f.get('p'), ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...op.f32Load(), ...op.f64Promote, ...op.f64x2Splat, ...f.set('v'),
      ...hStep, ...inc(f, 'p', 1),
    ]),
    ...op.end,
    // ReLU: 0 < h ? h : 0 (NaN and -0 give +0, as the reference's hpre > 0 ? hpre : 0)
    ...(t.hiddenRelu ? each(J, (j) => [...op.v128Zero, ...f.get(`vh${j}`), ...op.f64x2Pmax, ...f.set(`vh${j}`)]) : []),
    ...each(J, (j) => [...f.get('h64'), ...f.get(`vh${j}`), ...op.v128Store(16 * j)]),
  ];

  // s_i = bias_i + D_i0 h_0 + ... + D_i(m-1) h_(m-1), features i..i+7 side by side (DT is k-major).
  const forward: Code = [
    ...op.i32(0), ...f.set('q'),
    ...whileLt(f, 'q', op.i32(np * 8), [
      ...each(T, (s) => [...f.get('bias64'), ...f.get('q'), ...op.i32Add, ...op.v128Load(16 * s), ...f.set(`vs${s}`)]),
      ...f.get('DT'), ...f.get('q'), ...op.i32Add, ...f.set('o'),
      ...Array.from({ length: m }, (_, k) => [
        ...f.get('h64'), ...op.load64Splat(8 * k), ...f.set('v'),
        ...each(T, (s) => [...f.get(`vs${s}`), ...f.get('o'), ...op.v128Load(8 * k * np + 16 * s), ...f.get('v'), ...op.f64x2Mul, ...op.f64x2Add, ...f.set(`vs${s}`)]),
      ]).flat(),
      ...each(T, (s) => [...f.get('sb'), ...f.get('q'), ...op.i32Add, ...f.get(`vs${s}`), ...op.v128Store(16 * s)]),
      ...inc(f, 'q', 8 * FWD_BLOCK),
    ]),
  ];

  // Loss and backward per feature, in the reference's order; `br_if 0` is its `continue`.
  const addr = (base: string, shift: number): Code => [...f.get(base), ...f.get('i'), ...op.i32(shift), ...op.i32Shl, ...op.i32Add];
  const feature: Code = [
    ...op.block,
    ...addr('sb', 3), ...op.f64Load(), ...f.set('s'),
    ...f.get('xrow'), ...f.get('i'), ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...op.f32Load(), ...op.f64Promote, ...f.set('xi'),
    ...(t.absTarget
      ? [...f.get('xi'), ...op.f64Neg, ...f.get('xi'), ...f.get('xi'), ...op.f64(0), ...op.f64Lt, ...op.select]
      : f.get('xi')), ...f.set('y'),
    ...(t.outputRelu ? [...op.f64(0), ...f.get('s'), ...f.get('s'), ...op.f64(0), ...op.f64Lt, ...op.select] : f.get('s')), ...f.set('out'),
    ...f.get('out'), ...f.get('y'), ...op.f64Sub, ...f.set('diff'),
    ...addr('imp', 3), ...op.f64Load(), ...f.get('diff'), ...op.f64Mul, ...f.set('w'),
    ...f.get('loss'), ...f.get('w'), ...f.get('diff'), ...op.f64Mul, ...op.f64Add, ...f.set('loss'),
    ...(t.outputRelu ? [...f.get('s'), ...op.f64(0), ...op.f64Le, ...op.brIf(0)] : []),
    ...f.get('c'), ...f.get('w'), ...op.f64Mul, ...f.tee('gi'), ...op.f64(0), ...op.f64Eq, ...op.brIf(0),
    ...addr('gb', 2), ...f.tee('tmp'), ...f.get('tmp'), ...op.f32Load(), ...op.f64Promote, ...f.get('gi'), ...op.f64Add, ...op.f32Demote, ...op.f32Store(),
    ...f.get('gi'), ...op.f64x2Splat, ...f.set('v'),
    ...f.get('i'), ...op.i32(8 * 2 * P), ...op.i32Mul, ...f.tee('tmp'), ...f.get('gD64'), ...op.i32Add, ...f.set('o'),
    ...f.get('tmp'), ...f.get('D64'), ...op.i32Add, ...f.set('od'),
    // gD_ik = fround(gD_ik + gi h_k)
    ...each(J, (j) => [...f.get('o'), ...f.get('o'), ...op.v128Load(16 * j), ...f.get('v'), ...f.get(`vh${j}`), ...op.f64x2Mul, ...op.f64x2Add, ...round32, ...op.v128Store(16 * j)]),
    // dh_k = fround(dh_k + gi D_ik)
    ...each(J, (j) => [...f.get(`vd${j}`), ...f.get('v'), ...f.get('od'), ...op.v128Load(16 * j), ...op.f64x2Mul, ...op.f64x2Add, ...round32, ...f.set(`vd${j}`)]),
    ...op.end,
  ];

  const body: Code = [
    ...f.get('x'), ...f.set('xrow'), ...f.get('dh64'), ...f.set('dhrow'),
    ...whileLt(f, 'b', f.get('B'), [
      ...encoder,
      ...forward,
      ...each(J, (j) => [...op.v128Zero, ...f.set(`vd${j}`)]),
      ...op.i32(0), ...f.set('i'),
      ...whileLt(f, 'i', op.i32(n), [...feature, ...inc(f, 'i', 1)]),
      // dh_b, zeroed where the hidden ReLU was inactive (h ≤ 0)
      ...each(J, (j) => [...f.get('dhrow'), ...f.get(`vd${j}`),
        ...(t.hiddenRelu ? [...f.get(`vh${j}`), ...op.v128Zero, ...op.f64x2Gt, ...op.v128And] : []), ...op.v128Store(16 * j)]),
      ...inc(f, 'b', 1), ...inc(f, 'xrow', 4 * n), ...inc(f, 'dhrow', 16 * P),
    ]),
    ...f.get('loss'),
  ];
  return { params: f.params, locals: f.locals, body };
}

/** gE_i += x_bi dh_b over column i's non-zeros (increasing b); writes gW (and gW2 from gD64 when untied). */
function encGradFn(t: ModelTraits, n: number, m: number): { params: number[]; locals: number[]; body: Code } {
  const P = Math.ceil(m / 2);
  const f = new Frame();
  for (const p of ['colPtr', 'rows', 'vals', 'dh64', 'gD64', 'gW', 'gW2']) f.param(p, I32);
  for (const l of ['i', 'j', 'je', 'hb', 'go', 'wo', 'w2o']) f.local(l, I32);
  f.local('v', V128);
  const J = Array.from({ length: P }, (_, j) => j);
  J.forEach((j) => f.local(`va${j}`, V128));
  const each = (g: (j: number) => Code): Code => J.flatMap(g);
  const body: Code = [
    ...f.get('gD64'), ...f.set('go'), ...f.get('gW'), ...f.set('wo'), ...f.get('gW2'), ...f.set('w2o'),
    ...whileLt(f, 'i', op.i32(n), [
      ...each((j) => (t.tied ? [...f.get('go'), ...op.v128Load(16 * j)] : op.v128Zero).concat(f.set(`va${j}`))),
      ...f.get('colPtr'), ...f.get('i'), ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...f.tee('j'),
      ...op.i32Load(4), ...f.set('je'), ...f.get('j'), ...op.i32Load(0), ...f.set('j'),
      ...whileLt(f, 'j', f.get('je'), [
        ...f.get('rows'), ...f.get('j'), ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...op.i32Load(), ...op.i32(16 * P), ...op.i32Mul, ...f.get('dh64'), ...op.i32Add, ...f.set('hb'),
        ...f.get('vals'), ...f.get('j'), ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...op.f32Load(), ...op.f64Promote, ...op.f64x2Splat, ...f.set('v'),
        ...each((j) => [...f.get(`va${j}`), ...f.get('v'), ...f.get('hb'), ...op.v128Load(16 * j), ...op.f64x2Mul, ...op.f64x2Add, ...round32, ...f.set(`va${j}`)]),
        ...inc(f, 'j', 1),
      ]),
      // float32 rows of m values: each pair stores 8 bytes; an odd m's pad lane lands on the next row's
      // first slot (rewritten later) or on the 2 spare floats after the array.
      ...each((j) => [...f.get('wo'), ...f.get(`va${j}`), ...op.f32x4DemoteZero, ...op.store64Lane0(8 * j)]),
      ...(t.tied ? [] : each((j) => [...f.get('w2o'), ...f.get('go'), ...op.v128Load(16 * j), ...op.f32x4DemoteZero, ...op.store64Lane0(8 * j)])),
      ...inc(f, 'i', 1), ...inc(f, 'go', 16 * P), ...inc(f, 'wo', 4 * m), ...inc(f, 'w2o', 4 * m),
    ]),
  ];
  return { params: f.params, locals: f.locals, body };
}

const modules = new Map<string, WebAssembly.Module>();
function moduleFor(t: ModelTraits, n: number, m: number): WebAssembly.Module {
  const key = `${n}/${m}/${+t.hiddenRelu}${+t.outputRelu}${+t.tied}${+t.absTarget}`;
  let mod = modules.get(key);
  if (!mod) {
    const s = samplesFn(t, n, m);
    const e = encGradFn(t, n, m);
    const bytes = wasmModule([{ name: 'samples', results: [F64], ...s }, { name: 'encGrad', results: [], ...e }], 1);
    modules.set(key, (mod = new WebAssembly.Module(bytes)));
  }
  return mod;
}

/** Whether this JS engine runs WebAssembly SIMD (Node ≥ 16 does). */
export const wasmSimdAvailable: boolean = (() => {
  try {
    return WebAssembly.validate(wasmModule([{ name: 'f', params: [], results: [], locals: [V128], body: [...op.v128Zero, ...op.set(0)] }], 1));
  } catch {
    return false;
  }
})();

/**
 * One instance's training step on WebAssembly: the batch and the gradients live in its memory (the
 * sampler fills `batch`, AdamW reads `grads`), so nothing is copied but the weights, O(n·m) per step.
 */
export class WasmStepper {
  readonly batch: Batch;
  readonly grads: Grads;
  private readonly mp: number;
  private readonly np: number;
  private readonly f64: Float64Array;
  private readonly a: Record<string, number> = {};
  private readonly v: { rp: Int32Array; rc: Int32Array; rv: Float32Array; cur: Int32Array; imp: Float64Array; gD64: Float64Array };
  private readonly samples: (...args: number[]) => number;
  private readonly encGrad: (...args: number[]) => void;

  constructor(private readonly t: ModelTraits, private readonly n: number, private readonly m: number, private readonly B: number, importance: Float64Array) {
    const mp = (this.mp = 2 * Math.ceil(m / 2));
    const np = (this.np = Math.ceil(n / FWD_BLOCK) * FWD_BLOCK);
    const sizes: [string, number][] = [
      ['x', 4 * B * n], ['colPtr', 4 * (n + 1)], ['rows', 4 * B * n], ['vals', 4 * B * n], ['rp', 4 * (B + 1)], ['rc', 4 * B * n],
      ['rv', 4 * B * n], ['cur', 4 * B], ['imp', 8 * n], ['E64', 8 * n * mp], ['D64', t.tied ? 0 : 8 * n * mp], ['DT', 8 * m * np],
      ['bias64', 8 * np], ['h64', 8 * mp], ['sb', 8 * np], ['dh64', 8 * B * mp], ['gD64', 8 * n * mp], ['gW', 4 * (n * m + 2)],
      ['gW2', t.tied ? 0 : 4 * (n * m + 2)], ['gb', 4 * n],
    ];
    let end = 0;
    for (const [name, bytes] of sizes) {
      this.a[name] = end;
      end += Math.ceil(bytes / 16) * 16;
    }
    if (t.tied) this.a.D64 = this.a.E64;
    const memory = new WebAssembly.Memory({ initial: Math.ceil(end / 65536) });
    const buf = memory.buffer;
    const f32 = (name: string, len: number) => new Float32Array(buf, this.a[name], len);
    const i32 = (name: string, len: number) => new Int32Array(buf, this.a[name], len);
    this.f64 = new Float64Array(buf);
    this.batch = { B, n, x: f32('x', B * n), colPtr: i32('colPtr', n + 1), rows: i32('rows', B * n), vals: f32('vals', B * n) };
    this.grads = { gW: f32('gW', n * m), gW2: t.tied ? undefined : f32('gW2', n * m), gb: f32('gb', n) };
    this.v = {
      rp: i32('rp', B + 1), rc: i32('rc', B * n), rv: f32('rv', B * n), cur: i32('cur', B),
      imp: new Float64Array(buf, this.a.imp, n), gD64: new Float64Array(buf, this.a.gD64, n * mp),
    };
    this.v.imp.set(importance);
    const exp = new WebAssembly.Instance(moduleFor(t, n, m), { env: { mem: memory } }).exports;
    this.samples = exp.samples as (...args: number[]) => number;
    this.encGrad = exp.encGrad as (...args: number[]) => void;
  }

  /** forwardBackward on the current batch: gradients into `grads`, returns the loss. */
  run(E: Float32Array, D: Float32Array, bias: Float32Array): number {
    const { n, m, B, mp, np, a, f64, v } = this;
    // Weights as doubles: E64/D64 feature-major with rows padded to mp, DT k-major with columns padded to np.
    const e0 = a.E64 / 8, d0 = a.D64 / 8, t0 = a.DT / 8, b0 = a.bias64 / 8;
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < m; k++) {
        const d = D[i * m + k];
        f64[e0 + i * mp + k] = E[i * m + k];
        f64[d0 + i * mp + k] = d;
        f64[t0 + k * np + i] = d;
      }
      f64[b0 + i] = bias[i];
    }
    v.gD64.fill(0);
    this.grads.gb.fill(0);
    // CSR copy of the batch (rows in increasing feature order), rc as byte addresses of E64 rows; not
    // needed when every entry is present (columns list rows in increasing order, so row b is then x_b).
    const nnz = this.batch.colPtr[n];
    const dense = nnz === B * n;
    if (!dense) this.csr(nnz);
    const loss = this.samples(B, dense ? 1 : 0, a.E64, a.x, a.rp, a.rc, a.rv, a.h64, a.DT, a.bias64, a.sb, a.imp, a.gb, a.gD64, a.D64, a.dh64, 2 / (B * n));
    this.encGrad(a.colPtr, a.rows, a.vals, a.dh64, a.gD64, a.gW, a.gW2);
    return loss / (B * n);
  }

  private csr(nnz: number): void {
    const { n, B, mp, a, v } = this;
    const { colPtr, rows, vals } = this.batch;
    const { rp, rc, rv, cur } = v;
    rp.fill(0);
    for (let j = 0; j < nnz; j++) rp[rows[j] + 1]++;
    for (let b = 0; b < B; b++) {
      rp[b + 1] += rp[b];
      cur[b] = rp[b];
    }
    for (let i = 0, o = a.E64; i < n; i++, o += 8 * mp) {
      for (let j = colPtr[i], e = colPtr[i + 1]; j < e; j++) {
        const q = cur[rows[j]]++;
        rc[q] = o;
        rv[q] = vals[j];
      }
    }
  }
}
