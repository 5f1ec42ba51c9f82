// WebAssembly SIMD version of kernel-f32.ts's forwardBackwardF32, bit-identical to it
// (tests/native-kernel-f32.test.ts): every multiply and add is an f32x4 instruction, four independent
// elements per register (four k of one row, or four features of one sample), each element's operations in
// the reference's order. No FMA, no relaxed SIMD: IEEE float32 arithmetic, the same bits on every machine.
// Same phases as wasm-kernel.ts, one module per (model traits, n, m, batch), every address a constant:
//  begin    zeroes the gradient and loss accumulators;
//  enc      hidden pre-activations of a block of samples, feature-major (each E_i chunk in registers);
//  fwd      decoder pre-activations in a 2-sample × 16-feature register tile (k in increasing order), then
//           per sample the loss and output gradients 4 features at a time, branch-free; the active
//           (b, i, g_bi) go to a per-sample list;
//           (Options.emptyRows: samples without inputs share one row, and are skipped where it is idle);
//  dh       per sample over its active features: dh_b in registers, gD_i in memory (b increasing);
//  ge       after the last block: gE_i over column i (continuing gD for tied weights), written to gW;
//  finish   the loss: per-feature double sums, added in increasing i.
// Rows of m floats are padded to m4 (a multiple of 4; the pad lanes stay 0), feature vectors to np.
import type { Batch } from '../../data.js';
import type { ModelTraits } from '../../models.js';
import type { Grads } from './kernel.js';
import { F64, I32, op, V128, type Code } from './wasm-asm.js';
import { Frame, inc, whileLt } from './wasm-frame.js';
import {
  BLOCK, blockColumns, blockLen, blockNonZeros, c32, chunksOf as chunksOfMax, decoderTile, dhFrame, each, eachColumn, eachSample, encFrame,
  endList, featureGroups, fn, geFrame, place, range, reluInPlace, resetCursors, samplePairs, storeDh, vecLocals, zero, type Fn,
} from './wasm-gen.js';
import { compileOnce, stepperMemory, timer, traitsKey, wasmSimdAvailable } from './wasm-stepper.js';

export { wasmSimdAvailable };

/** f32x4 accumulators per chunk of a row (at most; a row of m4/4 vectors is split evenly). */
const CHUNK = 8;
/** samples per block where most samples have no input (BLOCK otherwise) */
const SPARSE_BLOCK = 256;
/** features per forward tile (4 vectors per sample row) */
const TILE_F = 16;

/** i32 lanes 0, 1, 2, 3 as little-endian bytes */
const IOTA = [0, 1, 2, 3].flatMap((v) => [v, 0, 0, 0]);
/** Row `mask` of the pack table: a swizzle moving the 32-bit lanes set in `mask` to the front, in order. */
export const packRow = (mask: number): number[] => {
  const lanes = [0, 1, 2, 3].filter((l) => mask & (1 << l));
  return [0, 1, 2, 3].flatMap((j) => (j < lanes.length ? [0, 1, 2, 3].map((b) => 4 * lanes[j] + b) : [0x80, 0x80, 0x80, 0x80]));
};

/** vectors [0, Q) in chunks of at most CHUNK */
const chunksOf = (Q: number) => chunksOfMax(Q, CHUNK);

/** Work skipped where it changes nothing: each pays where inputs are sparse and costs a little where they are not. */
export interface Options {
  /** test each group of four outputs for idleness and skip it */
  skipIdle: boolean;
  /** samples without inputs share one decoder row; where all its outputs are off they are skipped */
  emptyRows: boolean;
}

interface Layout {
  Q: number; m4: number; np: number; F: number; BS: number; size: number;
  at: Record<string, number>;
}

function layout(t: ModelTraits, n: number, m: number, B: number, o: Options): Layout {
  const Q = Math.ceil(m / 4);
  const m4 = 4 * Q;
  const F = n >= TILE_F ? TILE_F : 4 * Math.ceil(n / 4);
  const np = Math.ceil(n / F) * F;
  // sparse batches (empty rows skipped) in longer blocks: less per-block work, and their few active rows fit in cache
  const BS = Math.min(o.emptyRows ? SPARSE_BLOCK : BLOCK, B);
  const sizes: [string, number][] = [
    // x gets 16 spare bytes: the last feature group of a sample reads 4 lanes
    ['state', 16], ['x', 4 * B * n + 16], ['colPtr', 4 * (n + 1)], ['rows', 4 * B * n], ['vals', 4 * B * n], ['cur', 4 * n],
    ['imp', 4 * np], ['E', 4 * n * m4], ['D', t.tied ? 0 : 4 * n * m4], ['DT', 4 * m * np], ['bias', 4 * np],
    // H row BS stays zero (the empty sample's activations); S row 2 holds the empty sample's pre-activations
    ['H', 4 * (BS + 1) * m4], ['S', 4 * 3 * np], ['nz', 4 * BS], ['gb', 4 * np], ['L', 8 * np],
    ['actRow', 4 * (BS + 1)], ['pack', 16 * 16], ['actI', 4 * (BS * n + 4)], ['actG', 4 * (BS * n + 4)],
    ['gD', 4 * n * m4], ['dh', 4 * B * m4],
    // rows of m floats written 4 lanes at a time: the last row's pad lanes land in 4 spare floats
    ['gW', 4 * (n * m + 4)], ['gW2', t.tied ? 0 : 4 * (n * m + 4)],
  ];
  const { at, size } = place(sizes);
  if (t.tied) at.D = at.E;
  return { Q, m4, np, F, BS, size, at };
}

const add = op.f32x4Add, mul = op.f32x4Mul;
/** acc + x·y in float32: the product rounded, then the sum (two instructions, never fused) */
const madd = (acc: Code, x: Code, y: Code): Code => [...acc, ...x, ...y, ...mul, ...add];

// Function indices (the order of the module's function list below).
const BEGIN = 1, ENC = 2, FWD = 3, DH = 4, GE = 5, FINISH = 6;

/** run() → Σ loss terms: every phase in order. */
function runFn(L: Layout, B: number): Fn {
  const f = new Frame();
  for (const l of ['b0', 'nb']) f.local(l, I32);
  const { BS } = L;
  return fn(f, [
    ...op.call(BEGIN),
    ...whileLt(f, 'b0', c32(B), [
      ...blockLen(f, BS, B),
      ...f.get('b0'), ...f.get('nb'), ...op.call(ENC),
      ...f.get('b0'), ...f.get('nb'), ...op.call(FWD),
      ...f.get('b0'), ...f.get('nb'), ...op.call(DH),
      ...inc(f, 'b0', BS),
    ]),
    ...op.call(GE),
    ...op.call(FINISH),
  ]);
}

/** begin(): zero gD, gb and the loss sums; reset the column cursors. */
function beginFn(L: Layout, n: number): Fn {
  const { at, m4, np } = L;
  const f = new Frame();
  f.local('q', I32);
  return fn(f, [
    ...zero(f, at.gD, c32(4 * n * m4)), ...zero(f, at.gb, c32(4 * np)), ...zero(f, at.L, c32(8 * np)),
    ...resetCursors(f, at, n),
  ]);
}

/** finish() → Σ_i L_i, features in increasing i (double). */
function finishFn(L: Layout, n: number): Fn {
  const f = new Frame();
  f.local('q', I32);
  f.local('loss', F64);
  return fn(f, [
    ...whileLt(f, 'q', c32(8 * n), [...f.get('loss'), ...f.get('q'), ...op.f64Load(L.at.L), ...op.f64Add, ...f.set('loss'), ...inc(f, 'q', 8)]),
    ...f.get('loss'),
  ]);
}

/** enc(b0, nb): H[r] = hidden activations of sample b0 + r, accumulated over features in increasing i. */
function encFn(t: ModelTraits, L: Layout, n: number, { emptyRows }: Options): Fn {
  const { at, m4, Q, BS } = L;
  const f = encFrame(CHUNK);
  // with emptyRows, the first chunk also marks the sample as having a non-zero (nz)
  const markNz = (c0: number): Code => (emptyRows && c0 === 0 ? [...f.get('r'), ...f.get('b0'), ...op.i32Sub, ...c32(2), ...op.i32Shl, ...c32(1), ...op.i32Store(at.nz)] : []);
  const chunkLoop = ([c0, len]: [number, number]): Code => [
    ...each(range(len), (l) => [...f.get('o'), ...op.v128Load(at.E + 16 * (c0 + l)), ...f.set(`e${l}`)]),
    // h_k = h_k + v · E_ik (float32)
    ...blockNonZeros(f, at, 4 * m4, op.load32Splat(at.vals), [...markNz(c0), ...each(range(len), (l) => [
      ...f.get('hr'), ...madd([...f.get('hr'), ...op.v128Load(at.H + 16 * (c0 + l))], f.get('v'), f.get(`e${l}`)),
      ...op.v128Store(at.H + 16 * (c0 + l)),
    ])]),
  ];
  const rows = [...f.get('nb'), ...c32(4 * m4), ...op.i32Mul];
  return fn(f, [
    ...zero(f, at.H, rows), ...(emptyRows ? zero(f, at.nz, c32(4 * BS)) : []),
    ...blockColumns(f, at, n, [...f.get('i'), ...c32(4 * m4), ...op.i32Mul, ...f.set('o')], each(chunksOf(Q), chunkLoop)),
    // ReLU: 0 < h ? h : 0 (NaN and -0 give +0, as the reference's hpre > 0 ? hpre : 0)
    ...(t.hiddenRelu ? reluInPlace(f, at.H, rows, op.f32x4Pmax) : []),
  ]);
}

/** fwd(b0, nb): decoder pre-activations, loss sums and output gradients of the block. */
function fwdFn(t: ModelTraits, L: Layout, n: number, m: number, B: number, { skipIdle, emptyRows }: Options): Fn {
  const { at, m4, np, F } = L;
  const T = F / 4;
  const f = new Frame();
  for (const p of ['b0', 'nb']) f.param(p, I32);
  for (const l of ['r', 'q', 'o', 'ha', 'hk', 'he', 'xrow', 'cnt', 'i', 'i4', 'i8', 'bits', 'eidle']) f.local(l, I32);
  for (const l of ['h0', 'h1', 'd', 'vs', 'vy', 'vd', 'vw', 'vt', 'vg', 'vskip', 'vc', 'old']) f.local(l, V128);
  vecLocals(f, 'a', 2 * T);
  // s_i = bias_i + D_i0 h_0 + … + D_i(m-1) h_(m-1), in k order (float32)
  const tile = (rows: 1 | 2) => decoderTile(f, { at, bias: at.bias, bytes: 4, hRow: 4 * m4, m, np, F, madd }, rows);
  // Loss and output gradient of features i..i+3 of sample r (pre-activations in S row `row`), branch-free within
  // the group: a skipped output is a select. `pad` lanes (≥ n, the last group of n % 4 ≠ 0) are always skipped.
  const c = Math.fround(2 / (B * n));
  const skip = skipIdle && t.outputRelu;
  const group = (row: 0 | 1 | 2, pad: number): Code => [
    ...f.get('i'), ...c32(2), ...op.i32Shl, ...f.tee('i4'), ...op.v128Load(at.S + 4 * np * row), ...f.set('vs'),
    ...f.get('xrow'), ...f.get('i4'), ...op.i32Add, ...op.v128Load(), ...(t.absTarget ? op.f32x4Abs : []), ...f.set('vy'),
    // Four idle outputs (ReLU off, s ≤ 0, and target 0) change nothing: out = ±0 and diff = ±0, so each loss
    // term is +0 (L_i, which starts at +0, stays as it is) and no gradient flows; the group is skipped (`skip`:
    // sparse instances, where ReLU output models switch their absent features off; dense ones skip the test).
    ...(skip ? [
      ...f.get('vs'), ...op.v128Zero, ...op.f32x4Le, ...f.get('vy'), ...op.v128Zero, ...op.f32x4Eq, ...op.v128And,
      ...op.i32x4AllTrue, ...op.i32Eqz, ...op.if,
    ] : []),
    // out = s < 0 ? 0 : s; diff = out − y; w = I_i diff; loss term w·diff
    ...(t.outputRelu ? [...op.v128Zero, ...f.get('vs'), ...f.get('vs'), ...op.v128Zero, ...op.f32x4Lt, ...op.v128Bitselect] : f.get('vs')),
    ...f.get('vy'), ...op.f32x4Sub, ...f.set('vd'),
    ...f.get('i4'), ...op.v128Load(at.imp), ...f.get('vd'), ...op.f32x4Mul, ...f.tee('vw'),
    ...f.get('vd'), ...op.f32x4Mul, ...f.set('vt'),
    // L_i += term (double), lanes 0–1 then 2–3
    ...f.get('i4'), ...c32(1), ...op.i32Shl, ...f.tee('i8'),
    ...f.get('i8'), ...op.v128Load(at.L), ...f.get('vt'), ...op.f64x2PromoteLow, ...op.f64x2Add, ...op.v128Store(at.L),
    ...f.get('i8'), ...f.get('i8'), ...op.v128Load(at.L + 16),
    ...f.get('vt'), ...f.get('vt'), ...op.i8x16Shuffle([8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15]), ...op.f64x2PromoteLow,
    ...op.f64x2Add, ...op.v128Store(at.L + 16),
    // g = c·w; skipped where g = 0, s ≤ 0 (output ReLU) or a pad lane
    ...f.get('vc'), ...f.get('vw'), ...op.f32x4Mul, ...f.tee('vg'), ...op.v128Zero, ...op.f32x4Eq,
    ...(t.outputRelu ? [...f.get('vs'), ...op.v128Zero, ...op.f32x4Le, ...op.v128Or] : []),
    ...(pad ? [...op.v128Const(range(16).map((b) => (b >= 4 * (4 - pad) ? 0xff : 0))), ...op.v128Or] : []),
    ...f.set('vskip'),
    // gb_i = gb_i + g_i where active
    ...f.get('i4'), ...f.get('i4'), ...op.v128Load(at.gb), ...f.tee('old'), ...f.get('old'), ...f.get('vg'), ...op.f32x4Add,
    ...f.get('vskip'), ...op.v128Bitselect, ...op.v128Store(at.gb),
    // append the active lanes' (i, g) to the sample's list: the lanes packed by one swizzle (the pack
    // table's row for this lane mask), stored 4 at a time; the list grows by the number of active lanes
    ...c32(15), ...f.get('vskip'), ...op.i32x4Bitmask, ...op.i32Xor, ...f.tee('bits'), ...c32(4), ...op.i32Shl, ...op.v128Load(at.pack), ...f.set('vd'),
    ...f.get('cnt'), ...c32(2), ...op.i32Shl, ...f.tee('o'), ...f.get('vg'), ...f.get('vd'), ...op.i8x16Swizzle, ...op.v128Store(at.actG),
    ...f.get('o'), ...f.get('i'), ...op.i32x4Splat, ...op.v128Const(IOTA), ...op.i32x4Add, ...f.get('vd'), ...op.i8x16Swizzle, ...op.v128Store(at.actI),
    ...f.get('cnt'), ...f.get('bits'), ...op.i32Popcnt, ...op.i32Add, ...f.set('cnt'),
    ...(skip ? op.end : []),
  ];
  const feat = (row: 0 | 1 | 2): Code => featureGroups(f, at, n, 4, group(row, 0), n % 4 ? group(row, 4 - (n % 4)) : []);
  // A sample with no non-zero input (most of them when sparse) has h = 0, so its pre-activations are the same
  // as every other such sample's: S row 2, from H's zero row BS, once per block. Where every output of it is
  // off (s ≤ 0, output ReLU; its target is 0), it changes nothing (as an idle group, above) and is skipped.
  const nz = (dr: number): Code => [...f.get('r'), ...c32(2), ...op.i32Shl, ...op.i32Load(at.nz + 4 * dr)];
  const empty: Code = [
    ...f.get('eidle'), ...op.if, ...endList(f, at), ...op.else, ...feat(2), ...op.end,
  ];
  const emptyRow: Code = [
    ...c32(L.BS), ...f.set('r'), ...tile(1),
    ...c32(0), ...f.set('q'), ...c32(-1), ...op.i32x4Splat, ...f.set('vskip'),
    ...whileLt(f, 'q', c32(4 * np), [
      ...f.get('q'), ...f.get('q'), ...op.v128Load(at.S), ...f.tee('vs'), ...op.v128Store(at.S + 8 * np),
      ...f.get('vskip'), ...f.get('vs'), ...op.v128Zero, ...op.f32x4Le, ...op.v128And, ...f.set('vskip'),
      ...inc(f, 'q', 16),
    ]),
    ...(t.outputRelu ? [...f.get('vskip'), ...op.i32x4AllTrue] : c32(0)), ...f.set('eidle'),
    ...c32(0), ...f.set('r'),
  ];
  // the block's samples: two with inputs share a tile; otherwise one at a time
  const sparsePairs: Code = [
    ...emptyRow,
    ...whileLt(f, 'r', f.get('nb'), [
      ...f.get('r'), ...c32(1), ...op.i32Add, ...f.get('nb'), ...op.i32LtU, ...op.if,
      ...nz(0), ...nz(1), ...op.i32And, ...f.set('bits'),
      ...op.else, ...c32(0), ...f.set('bits'), ...op.end,
      ...f.get('bits'), ...op.if,
      ...tile(2), ...feat(0), ...inc(f, 'r', 1), ...feat(1), ...inc(f, 'r', 1),
      ...op.else,
      ...nz(0), ...op.if, ...tile(1), ...feat(0), ...op.else, ...empty, ...op.end,
      ...inc(f, 'r', 1),
      ...op.end,
    ]),
  ];
  return fn(f, [
    ...c32(0), ...c32(0), ...op.i32Store(at.actRow),
    ...op.f32(c), ...op.f32x4Splat, ...f.set('vc'),
    ...(emptyRows ? sparsePairs : samplePairs(f, tile, feat)),
  ]);
}

/** dh(b0, nb): over each sample's active features (increasing i): dh_b += g_bi D_i (then ReLU-masked), gD_i += g_bi h_b. */
function dhFn(t: ModelTraits, L: Layout, { emptyRows }: Options): Fn {
  const { at, m4, Q } = L;
  const f = dhFrame(CHUNK);
  const chunk = ([c0, len]: [number, number]): Code => [
    ...each(range(len), (l) => [...op.v128Zero, ...f.set(`a${l}`)]),
    ...f.get('p'), ...f.set('q'),
    ...whileLt(f, 'q', f.get('pe'), [
      ...f.get('q'), ...c32(2), ...op.i32Shl, ...f.tee('o'), ...op.load32Splat(at.actG), ...f.set('g'),
      ...f.get('o'), ...op.i32Load(at.actI), ...c32(4 * m4), ...op.i32Mul, ...f.set('o'),
      ...each(range(len), (l) => [...madd(f.get(`a${l}`), f.get('g'), [...f.get('o'), ...op.v128Load(at.D + 16 * (c0 + l))]), ...f.set(`a${l}`)]),
      // gD_i += g h_b, in memory: samples come in increasing b, as in the reference
      ...each(range(len), (l) => [
        ...f.get('o'), ...madd([...f.get('o'), ...op.v128Load(at.gD + 16 * (c0 + l))], f.get('g'), [...f.get('hr'), ...op.v128Load(at.H + 16 * (c0 + l))]),
        ...op.v128Store(at.gD + 16 * (c0 + l))]),
      ...inc(f, 'q', 1),
    ]),
    ...storeDh(f, at, at.dh, [c0, len], t.hiddenRelu ? op.f32x4Gt : null),
  ];
  // a sample without inputs changes nothing here (h_b = 0 adds ±0 to gD; its dh_b is read by no gE), so it is skipped
  const body = each(chunksOf(Q), chunk);
  return fn(f, eachSample(f, at, 4 * m4, emptyRows ? [...f.get('r'), ...c32(2), ...op.i32Shl, ...op.i32Load(at.nz), ...op.if, ...body, ...op.end] : body));
}

/** ge(): gE_i += x_bi dh_b over column i's non-zeros (increasing b); writes gW (and gW2 when untied). */
function geFn(t: ModelTraits, L: Layout, n: number, m: number): Fn {
  const { at, m4, Q } = L;
  const f = geFrame(CHUNK);
  const chunk = ([c0, len]: [number, number]): Code => [
    ...each(range(len), (l) => (t.tied ? [...f.get('og'), ...op.v128Load(at.gD + 16 * (c0 + l))] : op.v128Zero).concat(f.set(`a${l}`))),
    ...f.get('j0'), ...f.set('j'),
    ...whileLt(f, 'j', f.get('je'), [
      ...f.get('j'), ...c32(2), ...op.i32Shl, ...op.load32Splat(at.vals), ...f.set('v'),
      ...f.get('j'), ...c32(2), ...op.i32Shl, ...op.i32Load(at.rows), ...c32(4 * m4), ...op.i32Mul, ...f.set('hb'),
      ...each(range(len), (l) => [...madd(f.get(`a${l}`), f.get('v'), [...f.get('hb'), ...op.v128Load(at.dh + 16 * (c0 + l))]), ...f.set(`a${l}`)]),
      ...inc(f, 'j', 1),
    ]),
    // rows of m floats, 4 lanes per store: a row's pad lanes land on the next row's first slots (written
    // later) or on the spare floats after the array
    ...each(range(len), (l) => [...f.get('ow'), ...f.get(`a${l}`), ...op.v128Store(at.gW + 16 * (c0 + l))]),
    ...(t.tied ? [] : each(range(len), (l) => [...f.get('ow'), ...f.get('og'), ...op.v128Load(at.gD + 16 * (c0 + l)), ...op.v128Store(at.gW2 + 16 * (c0 + l))])),
  ];
  return fn(f, eachColumn(f, at, n, m, 4 * m4, each(chunksOf(Q), chunk)));
}

const moduleFor = (t: ModelTraits, n: number, m: number, B: number, L: Layout, o: Options): WebAssembly.Module =>
  compileOnce(`f32/${n}/${m}/${B}/${traitsKey(t)}/${+o.skipIdle}/${+o.emptyRows}`, () => [
    { name: 'run', results: [F64], ...runFn(L, B) },
    { name: 'begin', results: [], ...beginFn(L, n) },
    { name: 'enc', results: [], ...encFn(t, L, n, o) },
    { name: 'fwd', results: [], ...fwdFn(t, L, n, m, B, o) },
    { name: 'dh', results: [], ...dhFn(t, L, o) },
    { name: 'ge', results: [], ...geFn(t, L, n, m) },
    { name: 'finish', results: [F64], ...finishFn(L, n) },
  ]);

/**
 * One instance's f32 training step on WebAssembly: the batch and the gradients live in its memory (the
 * sampler fills `batch`, AdamW reads `grads`), so nothing is copied but the weights, O(n·m) per step.
 */
export class WasmStepperF32 {
  readonly batch: Batch;
  readonly grads: Grads;
  private readonly L: Layout;
  private readonly f32: Float32Array;
  private readonly runFn: () => number;
  /** the module's functions, one per phase (run calls the others; exposed for profiling) */
  readonly phases: WebAssembly.Exports;

  /** options (both on by default): the same bits either way */
  constructor(private readonly t: ModelTraits, private readonly n: number, private readonly m: number, private readonly B: number, importance: Float64Array, options: Partial<Options> = {}) {
    const o = { skipIdle: true, emptyRows: true, ...options };
    const L = (this.L = layout(t, n, m, B, o));
    const { at } = L;
    const { memory, buf, batch, grads } = stepperMemory(t, n, m, B, at, L.size);
    this.f32 = new Float32Array(buf);
    this.batch = batch;
    this.grads = grads;
    new Float32Array(buf, at.imp, n).set(importance); // rounded to float32, as the reference's fr(I_i)
    new Uint8Array(buf, at.pack, 256).set(Array.from({ length: 16 }, (_, mask) => packRow(mask)).flat());
    this.phases = new WebAssembly.Instance(moduleFor(t, n, m, B, L, o), { env: { mem: memory } }).exports;
    this.runFn = this.phases.run as () => number;
  }

  /** forwardBackwardF32 on the current batch: gradients into `grads`, returns the loss. */
  run(E: Float32Array, D: Float32Array, bias: Float32Array): number {
    this.writeWeights(E, D, bias);
    return this.runFn() / (this.B * this.n);
  }

  /** Weights: E (and D when untied) feature-major with rows padded to m4, DT k-major with columns padded to np. */
  private writeWeights(E: Float32Array, D: Float32Array, bias: Float32Array): void {
    const { n, m, f32, L, t } = this;
    const { m4, np, at } = L;
    const e0 = at.E / 4, d0 = at.D / 4, t0 = at.DT / 4;
    // plain loops: a subarray + set per row cost more than the copy itself at the paper's small m
    for (let i = 0; i < n; i++) {
      const src = i * m, e = e0 + i * m4, d = d0 + i * m4;
      for (let k = 0; k < m; k++) f32[e + k] = E[src + k];
      if (!t.tied) for (let k = 0; k < m; k++) f32[d + k] = D[src + k];
      for (let k = 0; k < m; k++) f32[t0 + k * np + i] = D[src + k];
    }
    f32.set(bias, at.bias / 4);
  }

  /** run(), phase by phase from JS, each timed (milliseconds added into `ms`): same loss and gradients. */
  runTimed(E: Float32Array, D: Float32Array, bias: Float32Array, ms: Record<string, number>): number {
    const { n, B, L } = this;
    const x = this.phases as Record<string, (...a: number[]) => number>;
    const time = timer(ms);
    time('weights', () => { this.writeWeights(E, D, bias); x.begin(); });
    for (let b0 = 0; b0 < B; b0 += L.BS) {
      const nb = Math.min(L.BS, B - b0);
      time('enc', () => x.enc(b0, nb));
      time('fwd', () => x.fwd(b0, nb));
      time('dh', () => x.dh(b0, nb));
    }
    time('ge', () => x.ge());
    return x.finish() / (B * n);
  }
}
