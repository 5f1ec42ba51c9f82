// WebAssembly SIMD version of sae.ts's saeLoss with gradients, bit-identical to it (tests/sae-wasm.test.ts):
// float64 arithmetic in f64x2 lanes, every element's operations in the reference's order (no FMA). One module
// per (d, m, B, n), every address a constant, loops over dimensions (k) unrolled, over latents (j) at run time:
//  hidden   the toy's activations H of the batch (drawn into this module's memory) from its column lists;
//  loss     zeroes the gradients, marks the rows of exact zeros, then runs `row` on one shared zero row
//           (weighted by their count) and on every other row in order; returns the mean loss;
//  row      one activation vector: hc = h − b_dec; a = W_enc hc + b_enc (lanes over j, k increasing);
//           z = ReLU(a); ĥ − h (lanes over k, j increasing); then the gradients as saeRow adds them.
// Lanes over j read W_enc and W_dec k-major (WencT, WdecT: the wrapper writes both layouts each call);
// lanes over k read them j-major. Pad lanes (j ≥ d, k ≥ m) hold zeros and are never read back.
import { F64, I32, op, V128, type Code } from './wasm-asm.js';
import { Frame, inc, whileLt } from './wasm-frame.js';
import { c32, each, fn, place, range } from './wasm-gen.js';
import { compileOnce, GAP_SLOTS, memoryBatch } from './wasm-stepper.js';
import { gapTableBytes } from './wasm-data.js';
import type { SaeGrads, SaeParams } from './sae.js';
import type { Batch } from '../../data.js';
import type { Params } from '../../types.js';
import { MODEL_TRAITS } from '../../models.js';

interface SaeLayout { mp: number; dp: number; size: number; at: Record<string, number> }

function layout(d: number, m: number, B: number, n: number): SaeLayout {
  const mp = 2 * Math.ceil(m / 2), dp = 2 * Math.ceil(d / 2);
  const { at, size } = place([
    // the toy's batch (CSC lists and the dense copy the sampler writes) and its weights W (n × m float32)
    ['state', 16], ['x', 4 * B * n + 16], ['colPtr', 4 * (n + 1)], ['rows', 4 * B * n], ['vals', 4 * B * n], ['W', 4 * n * m + 16],
    // H: rows of m doubles as hiddenBatchSparse writes them; a row's last pair may read one double past its end
    ['H', 8 * B * m + 16], ['zero', 8 * mp], ['isZero', 4 * B], ['fired', 4 * d],
    ['Wenc', 8 * d * mp], ['WencT', 8 * m * dp], ['benc', 8 * dp], ['Wdec', 8 * d * mp], ['WdecT', 8 * m * dp], ['bdec', 8 * mp],
    ['gWenc', 8 * d * mp], ['gbenc', 8 * dp], ['gWdec', 8 * d * mp], ['gbdec', 8 * mp],
    ['hc', 8 * mp], ['a', 8 * dp], ['z', 8 * dp], ['r', 8 * mp], ['dz', 8 * dp],
  ]);
  return { mp, dp, size, at };
}

const add = op.f64x2Add, sub = op.f64x2Sub, mul = op.f64x2Mul;

/** row(h, w, l1, B) → w · (mean_k r_k² + l1 Σ_j z_j), adding w × the row's gradients (saeRow's order).
 *  Loops over latents run at run time (a row's code stays small); loops over k are unrolled. */
function rowFn(d: number, m: number, L: SaeLayout) {
  const { at, mp, dp } = L;
  const KV = mp / 2;
  const f = new Frame();
  f.param('h', I32);
  for (const p of ['w', 'l1', 'B']) f.param(p, F64);
  for (const l of ['j', 'o', 'om']) f.local(l, I32);
  for (const l of ['l1sum', 'rec', 'dzj', 'rk']) f.local(l, F64);
  for (const l of ['acc', 'vc', 'vcl', 'vz']) f.local(l, V128);
  for (let k = 0; k < m; k++) f.local(`s${k}`, V128); // hc_k, later r_k, splatted
  for (let kv = 0; kv < KV; kv++) f.local(`q${kv}`, V128); // per pair of k: an accumulator, then c r
  for (let kv = 0; kv < KV; kv++) f.local(`hc${kv}`, V128);
  for (let kv = 0; kv < KV; kv++) f.local(`g${kv}`, V128); // b_dec's gradient while the row adds to it
  // the pair kv of the row (its pad lane 0 when m is odd: the double past the row is not read)
  const hPair = (kv: number): Code => (2 * kv + 1 < m ? [...f.get('h'), ...op.v128Load(16 * kv)] : [...f.get('h'), ...op.load64Zero(16 * kv)]);
  const v = (base: number, idx: number): Code => [...c32(0), ...op.v128Load(base + 16 * idx)];
  const store = (base: number, idx: number, val: Code): Code => [...c32(0), ...val, ...op.v128Store(base + 16 * idx)];
  const splat = (base: number, idx: number): Code => [...c32(0), ...op.load64Splat(base + 8 * idx)];
  const scalar = (base: number, idx: number): Code => [...c32(0), ...op.f64Load(base + 8 * idx)];
  // o: byte offset of the latent pair jv (16 jv) or of latent j (8 j); om: of row j in a j-major array (8 mp j)
  const overPairs = (body: Code): Code => [...c32(0), ...f.set('o'), ...whileLt(f, 'o', c32(8 * dp), [...body, ...inc(f, 'o', 16)])];
  const overLatents = (body: Code): Code => [
    ...c32(0), ...f.set('j'), ...c32(0), ...f.set('om'),
    ...whileLt(f, 'j', c32(d), [...body, ...inc(f, 'j', 1), ...inc(f, 'om', 8 * mp)]),
  ];
  const jScalar = (base: number): Code => [...f.get('j'), ...c32(3), ...op.i32Shl, ...op.f64Load(base)];
  return fn(f, [
    // hc = h − b_dec
    ...each(range(KV), (kv) => [...hPair(kv), ...v(at.bdec, kv), ...op.f64x2Sub, ...f.set(`hc${kv}`), ...store(at.hc, kv, f.get(`hc${kv}`))]),
    ...each(range(m), (k) => [...splat(at.hc, k), ...f.set(`s${k}`)]),
    // a_j = b_enc_j + Σ_k W_enc_jk hc_k (k increasing; lanes over j); z = ReLU(a): 0 < a ? a : 0
    ...overPairs([
      ...f.get('o'), ...op.v128Load(at.benc), ...f.set('acc'),
      ...each(range(m), (k) => [...f.get('acc'), ...f.get('o'), ...op.v128Load(at.WencT + 8 * dp * k), ...f.get(`s${k}`), ...mul, ...add, ...f.set('acc')]),
      ...f.get('o'), ...f.get('acc'), ...op.v128Store(at.a),
      ...f.get('o'), ...op.v128Zero, ...f.get('acc'), ...op.f64x2Pmax, ...f.tee('vz'), ...op.v128Store(at.z),
      // Σ_j z_j in j order (a pad latent's z is +0: adding it changes no sum of non-negative terms)
      ...f.get('l1sum'), ...f.get('vz'), ...op.f64x2ExtractLane(0), ...op.f64Add, ...f.get('vz'), ...op.f64x2ExtractLane(1), ...op.f64Add, ...f.set('l1sum'),
    ]),
    // latents with a > 0 fired
    ...overLatents([
      ...op.f64(0), ...jScalar(at.a), ...op.f64Lt, ...op.if, ...f.get('j'), ...c32(2), ...op.i32Shl, ...c32(1), ...op.i32Store(at.fired), ...op.end,
    ]),
    // r = (b_dec + Σ_j W_dec_j z_j) − h (j increasing; lanes over k)
    ...each(range(KV), (kv) => [...v(at.bdec, kv), ...f.set(`q${kv}`)]),
    ...overLatents([
      ...f.get('j'), ...c32(3), ...op.i32Shl, ...op.load64Splat(at.z), ...f.set('vz'),
      ...each(range(KV), (kv) => [...f.get(`q${kv}`), ...f.get('om'), ...op.v128Load(at.Wdec + 16 * kv), ...f.get('vz'), ...mul, ...add, ...f.set(`q${kv}`)]),
    ]),
    ...each(range(KV), (kv) => store(at.r, kv, [...f.get(`q${kv}`), ...hPair(kv), ...op.f64x2Sub])),
    // Σ_k r_k² in k order
    ...each(range(m), (k) => [...scalar(at.r, k), ...f.tee('rk'), ...f.get('rk'), ...op.f64Mul, ...f.get('rec'), ...op.f64Add, ...f.set('rec')]),
    ...each(range(m), (k) => [...splat(at.r, k), ...f.set(`s${k}`)]),
    // dL/dĥ = c r per copy of the row, c = 2w/(mB); b_dec's gradient gets c r first
    ...f.get('w'), ...f.get('w'), ...op.f64Add, ...op.f64(m), ...f.get('B'), ...op.f64Mul, ...op.f64Div, ...op.f64x2Splat, ...f.set('vc'),
    ...f.get('w'), ...f.get('l1'), ...op.f64Mul, ...f.get('B'), ...op.f64Div, ...op.f64x2Splat, ...f.set('vcl'),
    ...each(range(KV), (kv) => [
      ...f.get('vc'), ...v(at.r, kv), ...mul, ...f.set(`q${kv}`),
      ...v(at.gbdec, kv), ...f.get(`q${kv}`), ...add, ...f.set(`g${kv}`),
    ]),
    // dz_j = a_j > 0 ? Σ_k (W_dec_jk c) r_k + wl1/B : 0, from v = 0 (k increasing; lanes over j)
    ...overPairs([
      ...op.v128Zero, ...f.set('acc'),
      ...each(range(m), (k) => [...f.get('acc'), ...f.get('o'), ...op.v128Load(at.WdecT + 8 * dp * k), ...f.get('vc'), ...mul, ...f.get(`s${k}`), ...mul, ...add, ...f.set('acc')]),
      ...f.get('o'),
      ...f.get('acc'), ...f.get('vcl'), ...add, ...op.v128Zero,
      ...op.v128Zero, ...f.get('o'), ...op.v128Load(at.a), ...op.f64x2Lt, ...op.v128Bitselect,
      ...op.v128Store(at.dz),
    ]),
    // gW_dec_jk += (c r_k) z_j; for latents with dz_j ≠ 0 (NaN included): gb_enc_j += dz_j,
    // gW_enc_jk += dz_j hc_k, gb_dec_k −= dz_j W_enc_jk (j increasing)
    ...overLatents([
      ...f.get('j'), ...c32(3), ...op.i32Shl, ...op.load64Splat(at.z), ...f.set('vz'),
      ...each(range(KV), (kv) => [...f.get('om'), ...f.get('om'), ...op.v128Load(at.gWdec + 16 * kv), ...f.get(`q${kv}`), ...f.get('vz'), ...mul, ...add, ...op.v128Store(at.gWdec + 16 * kv)]),
      ...jScalar(at.dz), ...f.tee('dzj'), ...op.f64(0), ...op.f64Eq, ...op.i32Eqz, ...op.if,
      ...f.get('j'), ...c32(3), ...op.i32Shl, ...f.tee('o'), ...f.get('o'), ...op.f64Load(at.gbenc), ...f.get('dzj'), ...op.f64Add, ...op.f64Store(at.gbenc),
      ...f.get('dzj'), ...op.f64x2Splat, ...f.set('acc'),
      ...each(range(KV), (kv) => [
        ...f.get('om'), ...f.get('om'), ...op.v128Load(at.gWenc + 16 * kv), ...f.get('acc'), ...f.get(`hc${kv}`), ...mul, ...add, ...op.v128Store(at.gWenc + 16 * kv),
        ...f.get(`g${kv}`), ...f.get('acc'), ...f.get('om'), ...op.v128Load(at.Wenc + 16 * kv), ...mul, ...sub, ...f.set(`g${kv}`),
      ]),
      ...op.end,
    ]),
    ...each(range(KV), (kv) => store(at.gbdec, kv, f.get(`g${kv}`))),
    // w (rec/m + l1 Σz)
    ...f.get('w'), ...f.get('rec'), ...op.f64(m), ...op.f64Div, ...f.get('l1'), ...f.get('l1sum'), ...op.f64Mul, ...op.f64Add, ...op.f64Mul,
  ]);
}

/** loss(l1) → mean loss over the B rows of H, the gradients in gWenc … gbdec (saeLoss's order). */
function lossFn(m: number, B: number, L: SaeLayout) {
  const { at } = L;
  const f = new Frame();
  f.param('l1', F64);
  for (const l of ['b', 'q', 'k', 'zeros', 'h', 'nz']) f.local(l, I32);
  f.local('loss', F64);
  const gradBytes = at.hc - at.gWenc; // the four gradient arrays lie together
  const rowCall = (h: Code, w: Code): Code => [...h, ...w, ...f.get('l1'), ...op.f64(B), ...op.call(0)];
  return fn(f, [
    ...whileLt(f, 'q', c32(gradBytes), [...f.get('q'), ...op.v128Zero, ...op.v128Store(at.gWenc), ...inc(f, 'q', 16)]),
    // isZero[b]: every h_bk == 0 (−0 too)
    ...whileLt(f, 'b', c32(B), [
      ...c32(1), ...f.set('nz'), ...c32(0), ...f.set('k'),
      ...f.get('b'), ...c32(8 * m), ...op.i32Mul, ...f.set('h'),
      ...whileLt(f, 'k', c32(m), [
        ...f.get('h'), ...op.f64Load(at.H), ...op.f64(0), ...op.f64Eq, ...f.get('nz'), ...op.i32And, ...f.set('nz'),
        ...inc(f, 'h', 8), ...inc(f, 'k', 1),
      ]),
      ...f.get('b'), ...c32(2), ...op.i32Shl, ...f.get('nz'), ...op.i32Store(at.isZero),
      ...f.get('zeros'), ...f.get('nz'), ...op.i32Add, ...f.set('zeros'),
      ...inc(f, 'b', 1),
    ]),
    // the zero rows first, as one row counted `zeros` times (loss = 0 + …, as the reference sums)
    ...f.get('zeros'), ...op.if, ...f.get('loss'), ...rowCall(c32(at.zero), [...f.get('zeros'), ...op.f64ConvertI32U]), ...op.f64Add, ...f.set('loss'), ...op.end,
    ...c32(0), ...f.set('b'),
    ...whileLt(f, 'b', c32(B), [
      ...f.get('b'), ...c32(2), ...op.i32Shl, ...op.i32Load(at.isZero), ...op.i32Eqz, ...op.if,
      ...f.get('loss'), ...rowCall([...f.get('b'), ...c32(8 * m), ...op.i32Mul, ...c32(at.H), ...op.i32Add], op.f64(1)), ...op.f64Add, ...f.set('loss'),
      ...op.end,
      ...inc(f, 'b', 1),
    ]),
    ...f.get('loss'), ...op.f64(B), ...op.f64Div,
  ]);
}

/** hidden(relu): H = the toy's hidden activations of the batch, from its column lists: hiddenBatchSparse's
 *  order (features in increasing i, each product W_ik·v in float64) and so its bits. */
function hiddenFn(n: number, m: number, B: number, L: SaeLayout) {
  const { at } = L;
  const f = new Frame();
  f.param('relu', I32);
  for (const l of ['i', 'q', 'qe', 'o', 'w']) f.local(l, I32);
  f.local('v', F64);
  const term = (k: number): Code => [
    ...f.get('o'), ...f.get('o'), ...op.f64Load(at.H + 8 * k), ...f.get('w'), ...op.f32Load(at.W + 4 * k), ...op.f64Promote, ...f.get('v'), ...op.f64Mul, ...op.f64Add, ...op.f64Store(at.H + 8 * k),
  ];
  return fn(f, [
    ...whileLt(f, 'q', c32(8 * B * m), [...f.get('q'), ...op.f64(0), ...op.f64Store(at.H), ...inc(f, 'q', 8)]),
    ...whileLt(f, 'i', c32(n), [
      ...f.get('i'), ...c32(2), ...op.i32Shl, ...f.tee('q'), ...op.i32Load(at.colPtr + 4), ...f.set('qe'),
      ...f.get('q'), ...op.i32Load(at.colPtr), ...f.set('q'),
      ...f.get('i'), ...c32(4 * m), ...op.i32Mul, ...f.set('w'),
      ...whileLt(f, 'q', f.get('qe'), [
        ...f.get('q'), ...c32(2), ...op.i32Shl, ...f.tee('o'), ...op.f32Load(at.vals), ...op.f64Promote, ...f.set('v'),
        ...f.get('o'), ...op.i32Load(at.rows), ...c32(8 * m), ...op.i32Mul, ...f.set('o'),
        ...each(range(m), term),
        ...inc(f, 'q', 1),
      ]),
      ...inc(f, 'i', 1),
    ]),
    // ReLU where the toy has one: h < 0 ? 0 : h (NaN and −0 stay, as the reference's `if (h < 0) h = 0`)
    ...f.get('relu'), ...op.if,
    ...c32(0), ...f.set('q'),
    ...whileLt(f, 'q', c32(8 * B * m), [
      ...f.get('q'), ...op.f64(0), ...f.get('q'), ...op.f64Load(at.H), ...f.get('q'), ...op.f64Load(at.H), ...op.f64(0), ...op.f64Lt, ...op.select, ...op.f64Store(at.H),
      ...inc(f, 'q', 8),
    ]),
    ...op.end,
  ]);
}

/** saeLoss with gradients (and fired latents) for a batch of B activation vectors, in WebAssembly. */
export class WasmSae {
  /** the activations: B rows of m doubles (hidden() writes them, or the caller when n = 0) */
  readonly H: Float64Array;
  /** fired[j] = 1 once latent j was active on a row of some call since the caller last zeroed it */
  readonly fired: Int32Array;
  private readonly f64: Float64Array;
  private readonly L: SaeLayout;
  private readonly lossExport: (l1: number) => number;

  /** the toy's batch (n features a sample), written by the WebAssembly sampler; hidden() reads it */
  readonly batch: Batch;
  private readonly hiddenExport: (relu: number) => void;
  private readonly W: Float32Array;

  /** `n`: the toy's features, for `batch` and hidden() (0: H is filled by the caller) */
  constructor(readonly d: number, readonly m: number, readonly B: number, readonly n = 0) {
    const L = (this.L = layout(d, m, B, n));
    const mod = compileOnce(`sae/${d}/${m}/${B}/${n}`, () => [
      { name: 'row', results: [F64], ...rowFn(d, m, L) },
      { name: 'loss', results: [F64], ...lossFn(m, B, L) },
      { name: 'hidden', results: [], ...hiddenFn(n, m, B, L) },
    ]);
    const { at } = L;
    const memory = new WebAssembly.Memory({ initial: Math.ceil((L.size + GAP_SLOTS * gapTableBytes(B)) / 65536) });
    const exports = new WebAssembly.Instance(mod, { env: { mem: memory } }).exports;
    this.lossExport = exports.loss as (l1: number) => number;
    this.hiddenExport = exports.hidden as (relu: number) => void;
    const buf = memory.buffer;
    this.f64 = new Float64Array(buf);
    this.H = new Float64Array(buf, at.H, B * m);
    this.fired = new Int32Array(buf, at.fired, d);
    this.W = new Float32Array(buf, at.W, n * m);
    this.batch = memoryBatch(memory, at, B, n, L.size);
  }

  /** H = the toy's hidden activations of `batch` (hiddenBatchSparse's bits). */
  hidden(toy: Params): void {
    this.W.set(toy.W);
    this.hiddenExport(MODEL_TRAITS[toy.kind].hiddenRelu ? 1 : 0);
  }

  /** saeLoss(p, H, B, l1, g) on this.H: the loss, g overwritten with the gradients; fired latents marked. */
  loss(p: SaeParams, l1: number, g: SaeGrads): number {
    const { d, m } = this;
    const { at, mp, dp } = this.L;
    const F = this.f64;
    const o = (name: string) => at[name] / 8;
    for (let j = 0; j < d; j++) {
      for (let k = 0; k < m; k++) {
        F[o('Wenc') + j * mp + k] = p.Wenc[j * m + k];
        F[o('WencT') + k * dp + j] = p.Wenc[j * m + k];
        F[o('Wdec') + j * mp + k] = p.Wdec[j * m + k];
        F[o('WdecT') + k * dp + j] = p.Wdec[j * m + k];
      }
      F[o('benc') + j] = p.benc[j];
    }
    for (let k = 0; k < m; k++) F[o('bdec') + k] = p.bdec[k];
    const loss = this.lossExport(l1);
    for (let j = 0; j < d; j++) {
      for (let k = 0; k < m; k++) {
        g.Wenc[j * m + k] = F[o('gWenc') + j * mp + k];
        g.Wdec[j * m + k] = F[o('gWdec') + j * mp + k];
      }
      g.benc[j] = F[o('gbenc') + j];
    }
    for (let k = 0; k < m; k++) g.bdec[k] = F[o('gbdec') + k];
    return loss;
  }
}
