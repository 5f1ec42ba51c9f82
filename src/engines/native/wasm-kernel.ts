// WebAssembly SIMD version of kernel.ts's forwardBackward, bit-identical to it (tests/native-kernel.test.ts).
// JS evaluates the reference in doubles and rounds to float32 on every Float32Array store; here the same
// doubles live in f64x2 lanes and each float32 store becomes demote+promote (round to float32 and back).
// No reassociation: every element's sum is added in the reference's order; only the order in which
// independent elements are visited changes, which is what makes it fast. A multiply-add is fused only
// where the product is exact (see exactMadd), so fused or not it gives the reference's bits.
// One module per (model traits, n, m, batch), with m unrolled (padded to even; pad lanes stay 0) and every
// address a constant. The batch is processed in blocks of BLOCK samples (their activations stay in cache):
//  enc      hidden pre-activations of the block, feature-major (each E_i chunk held in registers);
//  fwdFeat  decoder pre-activations, a tile of 2 samples × 8 features at a time, then per sample the loss
//           and the output gradient g_bi, in the reference's (b, i) order; active (b, i) listed per sample;
//  dhPass   per sample over its active features: dh_b = Σ_i g_bi D_i (masked by the hidden ReLU), its
//           chunk held in registers, and gD_i += g_bi h_b in memory (b increasing, as the reference);
//  gePass   after the last block: gE_i += x_bi dh_b over column i (continuing gD for tied weights).
// A chunk is at most CHUNK f64x2 registers, so the accumulators fit the 16 XMM registers.
import { setFlagsFromString } from 'node:v8';
import type { Batch } from '../../data.js';
import type { ModelTraits } from '../../models.js';
import type { Grads } from './kernel.js';
import { F64, I32, op, V128, wasmModule, type Code } from './wasm-asm.js';
import { Frame, inc, round32, whileLt } from './wasm-frame.js';
import {
  BLOCK, blockColumns, blockLen, blockNonZeros, c32, chunksOf as chunksOfMax, decoderTile, dhFrame, each, eachColumn, eachSample, encFrame,
  featureGroups, fn, geFrame, pad16, place, range, reluInPlace, resetCursors, samplePairs, storeDh, vecLocals, zero, type Fn,
} from './wasm-gen.js';
import { compileOnce, stepperMemory, timer, traitsKey, wasmSimdAvailable } from './wasm-stepper.js';

export { wasmSimdAvailable };

/** f64x2 accumulators per chunk. */
const CHUNK = 6;
/** k-pairs [0, P) in chunks of at most CHUNK */
const chunksOf = (P: number) => chunksOfMax(P, CHUNK);

interface Layout {
  P: number; mp: number; np: number; F: number; size: number;
  at: Record<string, number>;
}

function layout(t: ModelTraits, n: number, m: number, B: number): Layout {
  const P = Math.ceil(m / 2);
  const mp = 2 * P;
  const F = n >= 8 ? 8 : 2 * Math.ceil(n / 2); // features per forward tile
  const np = Math.ceil(n / F) * F;
  const BS = Math.min(BLOCK, B);
  const sizes: [string, number][] = [
    ['state', 16], ['x', 4 * B * n], ['colPtr', 4 * (n + 1)], ['rows', 4 * B * n], ['vals', 4 * B * n], ['cur', 4 * n],
    ['imp', 8 * np], ['E64', 8 * n * mp], ['D64', t.tied ? 0 : 8 * n * mp], ['DT', 8 * m * np], ['bias64', 8 * np],
    ['H', 8 * BS * mp], ['S', 8 * 2 * np], ['gb', 4 * n], ['gb64', 8 * np], ['actRow', 4 * (BS + 1)], ['actI', 4 * BS * n], ['actG', 8 * BS * n],
    ['gD64', 8 * n * mp], ['dh64', 8 * B * mp],
    ['gW', 4 * (n * m + 2)], ['gW2', t.tied ? 0 : 4 * (n * m + 2)],
  ];
  const { at, size } = place(sizes);
  if (t.tied) at.D64 = at.E64;
  return { P, mp, np, F, size, at };
}

// Relaxed SIMD (behind a flag in Node 20's V8): its madd may fuse the multiply and the add or not, which
// gives the same result wherever the product is exact. Every product of two float32 values is exact in
// double precision (48 significant bits, exponents far inside the double range), so the encoder, the
// decoder's forward pass and the encoder gradient use it (one instruction on the FMA pipes instead of a
// multiply and an add); the output-gradient products g·h and g·D (g a double) keep a separate multiply and add.
const relaxedProbe = [...op.v128Zero, ...op.v128Zero, ...op.v128Zero, ...op.f64x2RelaxedMadd, ...op.drop];
const validates = (body: Code) => {
  try {
    return WebAssembly.validate(wasmModule([{ name: 'f', params: [], results: [], locals: [], body }], 1));
  } catch {
    return false;
  }
};
/** Whether this engine runs relaxed SIMD's f64x2.relaxed_madd (asking V8 for it where it is still a flag). */
export const fusedAvailable: boolean = validates(relaxedProbe) || (setFlagsFromString('--experimental-wasm-relaxed-simd'), validates(relaxedProbe));

/** acc + x·y where x·y is exact: one relaxed madd when `fused`, else a multiply then an add (same bits). */
const exactMadd = (fused: boolean, acc: Code, x: Code, y: Code): Code =>
  fused ? [...x, ...y, ...acc, ...op.f64x2RelaxedMadd] : [...acc, ...x, ...y, ...op.f64x2Mul, ...op.f64x2Add];

/** i32 address `base + f.get(idx) * stride` */
const addr = (f: Frame, base: number, idx: string, stride: number): Code =>
  [...f.get(idx), ...c32(stride), ...op.i32Mul, ...c32(base), ...op.i32Add];

// Function indices (the order of the module's function list below).
const ENC = 1, FWD = 2, DH = 3, GE = 4;

/** run(c) → Σ loss terms: zeroes the accumulators, runs every block, then the encoder gradient. */
function runFn(L: Layout, n: number, B: number): Fn {
  const { at, mp } = L;
  const f = new Frame();
  f.param('c', F64);
  for (const l of ['q', 'b0', 'nb']) f.local(l, I32);
  f.local('loss', F64);
  const BS = Math.min(BLOCK, B);
  return fn(f, [
    ...zero(f, at.gD64, c32(pad16(8 * n * mp))), ...zero(f, at.gb64, c32(pad16(8 * n))),
    ...resetCursors(f, at, n),
    ...whileLt(f, 'b0', c32(B), [
      ...blockLen(f, BS, B),
      ...f.get('b0'), ...f.get('nb'), ...op.call(ENC),
      ...f.get('b0'), ...f.get('nb'), ...f.get('loss'), ...f.get('c'), ...op.call(FWD), ...f.set('loss'),
      ...f.get('b0'), ...f.get('nb'), ...op.call(DH),
      ...inc(f, 'b0', BS),
    ]),
    ...op.call(GE),
    // gb = float32(gb64)
    ...c32(0), ...f.set('q'),
    ...whileLt(f, 'q', c32(4 * n), [...f.get('q'), ...f.get('q'), ...c32(1), ...op.i32Shl, ...op.f64Load(at.gb64), ...op.f32Demote, ...op.f32Store(at.gb), ...inc(f, 'q', 4)]),
    ...f.get('loss'),
  ]);
}

/** enc(b0, nb): H[r] = hidden activations of sample b0 + r, accumulated over features in increasing i. */
function encFn(t: ModelTraits, L: Layout, n: number, fused: boolean): Fn {
  const { at, mp, P } = L;
  const f = encFrame(CHUNK);
  const chunkLoop = ([c0, len]: [number, number]): Code => [
    ...each(range(len), (l) => [...f.get('o'), ...op.v128Load(16 * (c0 + l)), ...f.set(`e${l}`)]),
    // h_k = fround(h_k + v · E_ik)
    ...blockNonZeros(f, at, 8 * mp, [...op.f32Load(at.vals), ...op.f64Promote, ...op.f64x2Splat], each(range(len), (l) => [
      ...f.get('hr'), ...exactMadd(fused, [...f.get('hr'), ...op.v128Load(at.H + 16 * (c0 + l))], f.get('v'), f.get(`e${l}`)), ...round32,
      ...op.v128Store(at.H + 16 * (c0 + l)),
    ])),
  ];
  const rows = [...f.get('nb'), ...c32(8 * mp), ...op.i32Mul];
  return fn(f, [
    ...zero(f, at.H, rows),
    ...blockColumns(f, at, n, [...addr(f, at.E64, 'i', 8 * mp), ...f.set('o')], each(chunksOf(P), chunkLoop)),
    // ReLU: 0 < h ? h : 0 (NaN and -0 give +0, as the reference's hpre > 0 ? hpre : 0)
    ...(t.hiddenRelu ? reluInPlace(f, at.H, rows, op.f64x2Pmax) : []),
  ]);
}

/** fwdFeat(b0, nb, loss, c) → loss: decoder pre-activations, loss and output gradients of the block. */
function fwdFeatFn(t: ModelTraits, L: Layout, n: number, m: number, fused: boolean): Fn {
  const { at, mp, np, F } = L;
  const T = F / 2;
  const f = new Frame();
  for (const p of ['b0', 'nb']) f.param(p, I32);
  f.param('loss', F64);
  f.param('c', F64);
  for (const l of ['r', 'q', 'o', 'ha', 'hk', 'he', 'xrow', 'cnt', 'i', 'tmp', 'bits', 'act']) f.local(l, I32);
  for (const l of ['s', 'xi', 'y', 'out', 'diff', 'w', 'gi']) f.local(l, F64);
  for (const l of ['h0', 'h1', 'd', 'vs', 'vx', 'vy', 'vd', 'vw', 'vg', 'vskip', 'vc']) f.local(l, V128);
  vecLocals(f, 'a', 2 * T);
  // s_i = bias_i + D_i0 h_0 + … + D_i(m-1) h_(m-1), in k order
  const tileOf = { at, bias: at.bias64, bytes: 8, hRow: 8 * mp, m, np, F, madd: (a: Code, x: Code, y: Code) => exactMadd(fused, a, x, y) } as const;
  const tile = (rows: 1 | 2) => decoderTile(f, tileOf, rows);
  // Loss and output gradient of sample r (pre-activations in S row `row`), in the reference's order, two
  // features at a time and without branches (a skipped feature is a select, not a jump): the loss adds
  // lane 0 then lane 1. Active (i, g_i) go to the sample's list.
  const sAt = at.S + 8 * np;
  const pair = (row: 0 | 1): Code => [
    ...f.get('i'), ...c32(3), ...op.i32Shl, ...f.tee('tmp'), ...op.v128Load(row ? sAt : at.S), ...f.set('vs'),
    ...f.get('xrow'), ...f.get('i'), ...c32(2), ...op.i32Shl, ...op.i32Add, ...op.load64Zero(), ...op.f64x2PromoteLow, ...f.set('vx'),
    ...(t.absTarget ? [...f.get('vx'), ...op.f64x2Neg, ...f.get('vx'), ...f.get('vx'), ...op.v128Zero, ...op.f64x2Lt, ...op.v128Bitselect] : f.get('vx')), ...f.set('vy'),
    ...(t.outputRelu ? [...op.v128Zero, ...f.get('vs'), ...f.get('vs'), ...op.v128Zero, ...op.f64x2Lt, ...op.v128Bitselect] : f.get('vs')),
    ...f.get('vy'), ...op.f64x2Sub, ...f.set('vd'),
    ...f.get('tmp'), ...op.v128Load(at.imp), ...f.get('vd'), ...op.f64x2Mul, ...f.tee('vw'),
    ...f.get('vd'), ...op.f64x2Mul, ...f.set('vd'),
    ...f.get('loss'), ...f.get('vd'), ...op.f64x2ExtractLane(0), ...op.f64Add, ...f.get('vd'), ...op.f64x2ExtractLane(1), ...op.f64Add, ...f.set('loss'),
    ...f.get('vc'), ...f.get('vw'), ...op.f64x2Mul, ...f.tee('vg'), ...op.v128Zero, ...op.f64x2Eq,
    ...(t.outputRelu ? [...f.get('vs'), ...op.v128Zero, ...op.f64x2Le, ...op.v128Or] : []), ...f.set('vskip'),
    // gb_i = fround(gb_i + g_i) where active
    ...f.get('tmp'), ...f.get('tmp'), ...op.v128Load(at.gb64), ...f.tee('vd'), ...f.get('vd'), ...f.get('vg'), ...op.f64x2Add, ...round32,
    ...f.get('vskip'), ...op.v128Bitselect, ...op.v128Store(at.gb64),
    ...f.get('vskip'), ...op.i64x2Bitmask, ...f.set('bits'),
    ...[0, 1].flatMap((lane) => [
      ...f.get('cnt'), ...c32(2), ...op.i32Shl, ...f.get('i'), ...(lane ? [...c32(1), ...op.i32Add] : []), ...op.i32Store(at.actI),
      ...f.get('cnt'), ...c32(3), ...op.i32Shl, ...f.get('vg'), ...op.f64x2ExtractLane(lane), ...op.f64Store(at.actG),
      ...f.get('bits'), ...(lane ? [...c32(1), ...op.i32ShrU] : []), ...c32(1), ...op.i32And, ...c32(1), ...op.i32Xor, ...f.set('act'),
      ...f.get('cnt'), ...f.get('act'), ...op.i32Add, ...f.set('cnt'),
    ]),
  ];
  // The last feature of an odd n, as the reference writes it (`br_if 0` is its `continue`).
  const single = (row: 0 | 1): Code => [
    ...op.block,
    ...f.get('i'), ...c32(3), ...op.i32Shl, ...op.f64Load(at.S + 8 * np * row), ...f.set('s'),
    ...f.get('xrow'), ...f.get('i'), ...c32(2), ...op.i32Shl, ...op.i32Add, ...op.f32Load(), ...op.f64Promote, ...f.set('xi'),
    ...(t.absTarget
      ? [...f.get('xi'), ...op.f64Neg, ...f.get('xi'), ...f.get('xi'), ...op.f64(0), ...op.f64Lt, ...op.select]
      : f.get('xi')), ...f.set('y'),
    ...(t.outputRelu ? [...op.f64(0), ...f.get('s'), ...f.get('s'), ...op.f64(0), ...op.f64Lt, ...op.select] : f.get('s')), ...f.set('out'),
    ...f.get('out'), ...f.get('y'), ...op.f64Sub, ...f.set('diff'),
    ...f.get('i'), ...c32(3), ...op.i32Shl, ...op.f64Load(at.imp), ...f.get('diff'), ...op.f64Mul, ...f.set('w'),
    ...f.get('loss'), ...f.get('w'), ...f.get('diff'), ...op.f64Mul, ...op.f64Add, ...f.set('loss'),
    ...(t.outputRelu ? [...f.get('s'), ...op.f64(0), ...op.f64Le, ...op.brIf(0)] : []),
    ...f.get('c'), ...f.get('w'), ...op.f64Mul, ...f.tee('gi'), ...op.f64(0), ...op.f64Eq, ...op.brIf(0),
    ...f.get('i'), ...c32(3), ...op.i32Shl, ...f.tee('tmp'), ...f.get('tmp'), ...op.f64Load(at.gb64), ...f.get('gi'), ...op.f64Add, ...op.f32Demote, ...op.f64Promote, ...op.f64Store(at.gb64),
    ...f.get('cnt'), ...c32(2), ...op.i32Shl, ...f.get('i'), ...op.i32Store(at.actI),
    ...f.get('cnt'), ...c32(3), ...op.i32Shl, ...f.get('gi'), ...op.f64Store(at.actG),
    ...inc(f, 'cnt', 1),
    ...op.end,
  ];
  const feat = (row: 0 | 1): Code => featureGroups(f, at, n, 2, pair(row), n % 2 ? single(row) : []);
  return fn(f, [
    ...c32(0), ...c32(0), ...op.i32Store(at.actRow),
    ...f.get('c'), ...op.f64x2Splat, ...f.set('vc'),
    ...samplePairs(f, tile, feat),
    ...f.get('loss'),
  ]);
}

/** dhPass(b0, nb): over each sample's active features (increasing i): dh_b = fround-sum of g_bi D_i, ReLU-masked, and gD_i = fround(gD_i + g_bi h_b). */
function dhFn(t: ModelTraits, L: Layout): Fn {
  const { at, mp, P } = L;
  const f = dhFrame(CHUNK);
  const chunk = ([c0, len]: [number, number]): Code => [
    ...each(range(len), (l) => [...op.v128Zero, ...f.set(`a${l}`)]),
    ...f.get('p'), ...f.set('q'),
    ...whileLt(f, 'q', f.get('pe'), [
      ...f.get('q'), ...c32(3), ...op.i32Shl, ...op.load64Splat(at.actG), ...f.set('g'),
      ...f.get('q'), ...c32(2), ...op.i32Shl, ...op.i32Load(at.actI), ...c32(8 * mp), ...op.i32Mul, ...f.set('o'),
      ...each(range(len), (l) => [...f.get(`a${l}`), ...f.get('g'), ...f.get('o'), ...op.v128Load(at.D64 + 16 * (c0 + l)), ...op.f64x2Mul, ...op.f64x2Add, ...round32, ...f.set(`a${l}`)]),
      // gD_i = fround(gD_i + g h_b), in memory: samples come in increasing b, as in the reference
      ...each(range(len), (l) => [
        ...f.get('o'), ...f.get('o'), ...op.v128Load(at.gD64 + 16 * (c0 + l)), ...f.get('g'), ...f.get('hr'), ...op.v128Load(at.H + 16 * (c0 + l)), ...op.f64x2Mul, ...op.f64x2Add, ...round32,
        ...op.v128Store(at.gD64 + 16 * (c0 + l))]),
      ...inc(f, 'q', 1),
    ]),
    ...storeDh(f, at, at.dh64, [c0, len], t.hiddenRelu ? op.f64x2Gt : null),
  ];
  return fn(f, eachSample(f, at, 8 * mp, each(chunksOf(P), chunk)));
}

/** gePass(): gE_i += x_bi dh_b over column i's non-zeros (increasing b); writes gW (and gW2 when untied). */
function geFn(t: ModelTraits, L: Layout, n: number, m: number, fused: boolean): Fn {
  const { at, mp, P } = L;
  const f = geFrame(CHUNK);
  const chunk = ([c0, len]: [number, number]): Code => [
    ...each(range(len), (l) => (t.tied ? [...f.get('og'), ...op.v128Load(at.gD64 + 16 * (c0 + l))] : op.v128Zero).concat(f.set(`a${l}`))),
    ...f.get('j0'), ...f.set('j'),
    ...whileLt(f, 'j', f.get('je'), [
      ...f.get('j'), ...c32(2), ...op.i32Shl, ...op.f32Load(at.vals), ...op.f64Promote, ...op.f64x2Splat, ...f.set('v'),
      ...f.get('j'), ...c32(2), ...op.i32Shl, ...op.i32Load(at.rows), ...c32(8 * mp), ...op.i32Mul, ...f.set('hb'),
      ...each(range(len), (l) => [...exactMadd(fused, f.get(`a${l}`), f.get('v'), [...f.get('hb'), ...op.v128Load(at.dh64 + 16 * (c0 + l))]), ...round32, ...f.set(`a${l}`)]),
      ...inc(f, 'j', 1),
    ]),
    // float32 rows of m values: each pair stores 8 bytes; an odd m's pad lane lands on the next row's
    // first slot (rewritten later) or on the 2 spare floats after the array.
    ...each(range(len), (l) => [...f.get('ow'), ...f.get(`a${l}`), ...op.f32x4DemoteZero, ...op.store64Lane0(at.gW + 8 * (c0 + l))]),
    ...(t.tied ? [] : each(range(len), (l) => [...f.get('ow'), ...f.get('og'), ...op.v128Load(at.gD64 + 16 * (c0 + l)), ...op.f32x4DemoteZero, ...op.store64Lane0(at.gW2 + 8 * (c0 + l))])),
  ];
  return fn(f, eachColumn(f, at, n, m, 8 * mp, each(chunksOf(P), chunk)));
}

const moduleFor = (t: ModelTraits, n: number, m: number, B: number, L: Layout, fused: boolean): WebAssembly.Module =>
  compileOnce(`f64/${n}/${m}/${B}/${traitsKey(t)}/${+fused}`, () => [
    { name: 'run', results: [F64], ...runFn(L, n, B) },
    { name: 'enc', results: [], ...encFn(t, L, n, fused) },
    { name: 'fwdFeat', results: [F64], ...fwdFeatFn(t, L, n, m, fused) },
    { name: 'dh', results: [], ...dhFn(t, L) },
    { name: 'ge', results: [], ...geFn(t, L, n, m, fused) },
  ]);

/**
 * One instance's training step on WebAssembly: the batch and the gradients live in its memory (the
 * sampler fills `batch`, AdamW reads `grads`), so nothing is copied but the weights, O(n·m) per step.
 */
export class WasmStepper {
  readonly batch: Batch;
  readonly grads: Grads;
  private readonly L: Layout;
  private readonly f64: Float64Array;
  private readonly runFn: (c: number) => number;
  /** the module's functions, one per phase (run calls the others; exposed for profiling) */
  readonly phases: WebAssembly.Exports;

  /** `fused`: use relaxed SIMD's madd where products are exact (default: when available); same bits either way. */
  constructor(private readonly t: ModelTraits, private readonly n: number, private readonly m: number, private readonly B: number, importance: Float64Array,
    readonly fused: boolean = fusedAvailable) {
    const L = (this.L = layout(t, n, m, B));
    const { at } = L;
    const { memory, buf, batch, grads } = stepperMemory(t, n, m, B, at, L.size);
    this.f64 = new Float64Array(buf);
    this.batch = batch;
    this.grads = grads;
    new Float64Array(buf, at.imp, n).set(importance);
    this.phases = new WebAssembly.Instance(moduleFor(t, n, m, B, L, fused), { env: { mem: memory } }).exports;
    this.runFn = this.phases.run as (c: number) => number;
  }

  /** forwardBackward on the current batch: gradients into `grads`, returns the loss. */
  run(E: Float32Array, D: Float32Array, bias: Float32Array): number {
    this.writeWeights(E, D, bias);
    return this.runFn(2 / (this.B * this.n)) / (this.B * this.n);
  }

  /** Weights as doubles: E64/D64 feature-major with rows padded to mp, DT k-major with columns padded to np. */
  private writeWeights(E: Float32Array, D: Float32Array, bias: Float32Array): void {
    const { n, m, f64, L } = this;
    const { mp, np, at } = L;
    const e0 = at.E64 / 8, d0 = at.D64 / 8, t0 = at.DT / 8, b0 = at.bias64 / 8;
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < m; k++) {
        const d = D[i * m + k];
        f64[e0 + i * mp + k] = E[i * m + k];
        f64[d0 + i * mp + k] = d;
        f64[t0 + k * np + i] = d;
      }
      f64[b0 + i] = bias[i];
    }
  }

  /** run(), phase by phase from JS, each timed (milliseconds added into `ms`): same loss and gradients. */
  runTimed(E: Float32Array, D: Float32Array, bias: Float32Array, ms: Record<string, number>): number {
    const { n, B, L } = this;
    const x = this.phases as Record<string, (...a: number[]) => number>;
    const time = timer(ms);
    const buf = this.f64.buffer;
    time('weights', () => {
      this.writeWeights(E, D, bias);
      new Float64Array(buf, L.at.gD64, n * L.mp).fill(0);
      new Float64Array(buf, L.at.gb64, n).fill(0);
      new Int32Array(buf, L.at.cur, n).set(this.batch.colPtr.subarray(0, n));
    });
    let loss = 0;
    const BS = Math.min(BLOCK, B);
    const c = 2 / (B * n);
    for (let b0 = 0; b0 < B; b0 += BS) {
      const nb = Math.min(BS, B - b0);
      time('enc', () => x.enc(b0, nb));
      loss = time('fwdFeat', () => x.fwdFeat(b0, nb, loss, c));
      time('dh', () => x.dh(b0, nb));
    }
    time('ge', () => x.ge());
    const gb64 = new Float64Array(buf, L.at.gb64, n);
    for (let i = 0; i < n; i++) this.grads.gb[i] = gb64[i];
    return loss / (B * n);
  }
}
