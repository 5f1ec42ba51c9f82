// The hot loop of data generation (data.ts's independentColumn) in WebAssembly: the same sfc32 stream
// (integer ops, exact), the same draws in the same order, so the same batch bit for bit
// (tests/native-data.test.ts). Two of its paths compute the reference's results another way:
// - the coin path (0.25 ≤ p < BRANCHY_P) is branch-free: the value is always drawn and stored, then kept or
//   undone with masks (the generator state, nz, x), since a coin at p = 0.5 mispredicts every other branch;
// - geometric skipping (p < 0.25) takes each gap 1 + floor(log(u) / log1p(−p)) from tables instead of computing
//   it: u = k·2⁻²⁴ has 2²⁴ values and the gap is non-increasing in k, so thresholds T[j] (the least k whose gap
//   is ≤ j, for j < B) and a bucket table G (the gap at the first k of each 2¹² k's) pin it down with a few
//   compares (gapTables; exhaustively checked against the formula in tests/native-data.test.ts). Gaps ≥ B end
//   the column either way, so they are stored as B. A column whose p has no table slot left computes the gap
//   with fdlibm's __ieee754_log (V8's Math.log), ported here for positive normal inputs and checked against
//   Math.log on every value uniformOpen() can return.
import { F32, F64, I32, I64, op, wasmModule, type Code } from './wasm-asm.js';
import { Frame, inc, whileLt } from './wasm-frame.js';
import type { Rng } from '../../rng.js';

const RNG_LOCALS = ['a', 'b', 'c', 'd', 't', 'r'];

/** One sfc32 step: the state in locals a, b, c, d moves on, its output in local `t`. */
function sfc32(f: Frame): Code {
  return [
    ...f.get('a'), ...f.get('b'), ...op.i32Add, ...f.get('d'), ...op.i32Add, ...f.set('t'),
    ...f.get('d'), ...op.i32(1), ...op.i32Add, ...f.set('d'),
    ...f.get('b'), ...f.get('b'), ...op.i32(9), ...op.i32ShrU, ...op.i32Xor, ...f.set('a'),
    ...f.get('c'), ...f.get('c'), ...op.i32(3), ...op.i32Shl, ...op.i32Add, ...f.set('b'),
    ...f.get('c'), ...op.i32(21), ...op.i32Rotl, ...f.get('t'), ...op.i32Add, ...f.set('c'),
  ];
}

/** rng.uniform() into local `u`: an sfc32 step, then (t >>> 8) · 2⁻²⁴ (+1 before scaling: uniformOpen). */
function uniform(f: Frame, open = false): Code {
  return [
    ...sfc32(f),
    ...f.get('t'), ...op.i32(8), ...op.i32ShrU, ...(open ? [...op.i32(1), ...op.i32Add] : []), ...op.f64ConvertI32U,
    ...op.f64(5.9604644775390625e-8), ...op.f64Mul, ...f.set('u'),
  ];
}

/** local `vf` = a fresh value as float32: U[0,1), or U[-1,1) when signed */
function value(f: Frame): Code {
  return [
    ...uniform(f),
    ...f.get('signed'), ...op.if, ...f.get('u'), ...f.get('u'), ...op.f64Add, ...op.f64(1), ...op.f64Sub, ...f.set('v'),
    ...op.else, ...f.get('u'), ...f.set('v'), ...op.end,
    ...f.get('v'), ...op.f32Demote, ...f.set('vf'),
  ];
}

/** rows[nz] = r, vals[nz] = vf: the CSC entry of the value drawn last */
const storeEntry = (f: Frame): Code => [
  ...f.get('rows'), ...f.get('nz'), ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...f.get('r'), ...op.i32Store(),
  ...f.get('vals'), ...f.get('nz'), ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...f.get('vf'), ...op.f32Store(),
];

/** rows[nz] = r, vals[nz] = x[r·n + i] = a fresh value; nz++ */
function put(f: Frame): Code {
  return [
    ...value(f),
    ...storeEntry(f),
    ...xAddr(f), ...f.get('vf'), ...op.f32Store(),
    ...inc(f, 'nz', 1),
  ];
}

/** the address of x[r·n + i] */
const xAddr = (f: Frame): Code => [...f.get('x'), ...f.get('r'), ...f.get('n'), ...op.i32Mul, ...f.get('i'), ...op.i32Add, ...op.i32(2), ...op.i32Shl, ...op.i32Add];

/** A column function's frame: (state, x, rows, vals, i, B, n, q, signed, nz, ...extra i32 params) → nz, the generator in locals. */
function columnFrame(extraParams: string[] = []): Frame {
  const f = new Frame();
  for (const p of ['st', 'x', 'rows', 'vals', 'i', 'B', 'n']) f.param(p, I32);
  f.param('q', F64); // p, or log1p(−p) for the geometric column
  f.param('signed', I32);
  f.param('nz', I32);
  for (const p of extraParams) f.param(p, I32);
  for (const l of RNG_LOCALS) f.local(l, I32);
  for (const l of ['u', 'v', 'bf']) f.local(l, F64);
  f.local('vf', F32);
  return f;
}
const loadState = (f: Frame): Code => ['a', 'b', 'c', 'd'].flatMap((name, k) => [...f.get('st'), ...op.i32Load(4 * k), ...f.set(name)]);
const saveState = (f: Frame): Code => ['a', 'b', 'c', 'd'].flatMap((name, k) => [...f.get('st'), ...f.get(name), ...op.i32Store(4 * k)]);

/** From this p up to 1 the coin is a branch: it mispredicts rarely enough to beat drawing every value. */
export const BRANCHY_P = 0.9;

/** p ≥ 1 draws every value, 0.25 ≤ p < 1 a coin first (q = p); below BRANCHY_P branch-free: the value is drawn and stored
 *  whatever the coin says, and on a miss the generator state goes back to where the coin left it, nz stays and
 *  x gets 0 (it was zeroed before), so the kept draws and stores are the reference's. The coin u < p is the
 *  integer compare (t >>> 8) < ⌈p·2²⁴⌉ (u = (t >>> 8)·2⁻²⁴ exactly), which keeps it short on the state's chain. */
function columnFn(): { params: number[]; locals: number[]; body: Code } {
  const f = columnFrame();
  for (const l of ['qi', 'hit', 'keep', 'drop', 'a2', 'b2', 'c2', 'd2']) f.local(l, I32);
  const mix = (name: string, saved: string): Code => [
    ...f.get(name), ...f.get('keep'), ...op.i32And, ...f.get(saved), ...f.get('drop'), ...op.i32And, ...op.i32Or, ...f.set(name),
  ];
  const coin: Code = [
    ...sfc32(f), ...f.get('t'), ...op.i32(8), ...op.i32ShrU, ...f.get('qi'), ...op.i32LtU, ...f.set('hit'),
    ...op.i32(0), ...f.get('hit'), ...op.i32Sub, ...f.set('keep'), // all ones on a hit
    ...f.get('hit'), ...op.i32(1), ...op.i32Sub, ...f.set('drop'), // all ones on a miss
    ...f.get('a'), ...f.set('a2'), ...f.get('b'), ...f.set('b2'), ...f.get('c'), ...f.set('c2'), ...f.get('d'), ...f.set('d2'),
    ...value(f),
    ...storeEntry(f),
    ...xAddr(f), ...f.get('vf'), ...op.i32ReinterpretF32, ...f.get('keep'), ...op.i32And, ...op.i32Store(),
    ...mix('a', 'a2'), ...mix('b', 'b2'), ...mix('c', 'c2'), ...mix('d', 'd2'),
    ...f.get('nz'), ...f.get('hit'), ...op.i32Add, ...f.set('nz'),
  ];
  // a coin that is nearly always heads is cheaper with a (well predicted) branch than with two draws
  const branchy: Code = [...uniform(f), ...f.get('u'), ...f.get('q'), ...op.f64Lt, ...op.if, ...put(f), ...op.end];
  const body: Code = [
    ...loadState(f),
    ...f.get('q'), ...op.f64(1), ...op.f64Lt, ...op.if,
    ...f.get('q'), ...op.f64(BRANCHY_P), ...op.f64Ge, ...op.if,
    ...whileLt(f, 'r', f.get('B'), [...branchy, ...inc(f, 'r', 1)]),
    ...op.else,
    ...f.get('q'), ...op.f64(16777216), ...op.f64Mul, ...op.f64Ceil, ...op.i32TruncF64S, ...f.set('qi'),
    ...whileLt(f, 'r', f.get('B'), [...coin, ...inc(f, 'r', 1)]),
    ...op.end,
    ...op.else,
    ...whileLt(f, 'r', f.get('B'), [...put(f), ...inc(f, 'r', 1)]),
    ...op.end,
    ...saveState(f),
    ...f.get('nz'),
  ];
  return { params: f.params, locals: f.locals, body };
}

/** Bits of k per bucket of the gap tables' G (2¹² buckets over k = 1 … 2²⁴, and one for k = 2²⁴). */
export const GAP_BUCKET_BITS = 12;
const GAP_BUCKETS = (1 << (24 - GAP_BUCKET_BITS)) + 1;
/** Bytes of one p's gap tables for batch B: T (B int32) then G. */
export const gapTableBytes = (B: number) => 4 * (B + GAP_BUCKETS);

/** A skipping column's body: `start` sets the position before the first sample, `step` moves it on and leaves
 *  "past the end" (i32) on the stack, and each position `row` reads gets a value (put). */
function skipping(f: Frame, start: Code, step: Code, row: Code): Code {
  return [
    ...loadState(f), ...start,
    ...op.block, ...op.loop,
    ...step, ...op.brIf(1),
    ...row, ...f.set('r'),
    ...put(f),
    ...op.br(0), ...op.end, ...op.end,
    ...saveState(f),
    ...f.get('nz'),
  ];
}

/** local `j` = the gap of local `k` from the tables: start at its bucket's gap in G (the largest in the bucket),
 *  step down while the threshold T[j − 1] is still ≤ k. `T1` is T's address minus 4, so T[j − 1] is at T1 + 4j. */
function tableGap(f: Frame, T1: Code, G: Code): Code {
  return [
    ...G, ...f.get('k'), ...op.i32(GAP_BUCKET_BITS), ...op.i32ShrU, ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...op.i32Load(), ...f.set('j'),
    ...op.block, ...op.loop,
    ...f.get('j'), ...op.i32Eqz, ...op.brIf(1),
    ...T1, ...f.get('j'), ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...op.i32Load(), ...f.get('k'), ...op.i32GtS, ...op.brIf(1),
    ...f.get('j'), ...op.i32(1), ...op.i32Sub, ...f.set('j'),
    ...op.br(0),
    ...op.end, ...op.end,
  ];
}

/** 0 < p < 0.25 from its gap tables at T (T1 = T − 4) and G: b += 1 + gap(k) until b ≥ B, as data.ts, where
 *  u = uniformOpen() = k·2⁻²⁴. Same params as the other columns, q unused. */
function tableGeometricFn(): { params: number[]; locals: number[]; body: Code } {
  const f = columnFrame(['T1', 'G']);
  for (const l of ['k', 'j', 'bi']) f.local(l, I32);
  const body = skipping(f, [...op.i32(-1), ...f.set('bi')], [
    ...sfc32(f), ...f.get('t'), ...op.i32(8), ...op.i32ShrU, ...op.i32(1), ...op.i32Add, ...f.set('k'),
    ...tableGap(f, f.get('T1'), f.get('G')),
    ...f.get('bi'), ...op.i32(1), ...op.i32Add, ...f.get('j'), ...op.i32Add, ...f.tee('bi'),
    ...f.get('B'), ...op.i32GeS,
  ], f.get('bi'));
  return { params: f.params, locals: f.locals, body };
}

/** tableGap alone, (T1, G, k) → gap, for the tests. */
function tableGapFn(): { params: number[]; locals: number[]; body: Code } {
  const f = new Frame();
  for (const p of ['T1', 'G', 'k']) f.param(p, I32);
  f.local('j', I32);
  return { params: f.params, locals: f.locals, body: [...tableGap(f, f.get('T1'), f.get('G')), ...f.get('j')] };
}

/** 0 < p < 0.25 (q = log1p(−p)): b += 1 + floor(log(uniformOpen()) / q) until b ≥ B, as data.ts. */
function geometricFn(logFn: number): { params: number[]; locals: number[]; body: Code } {
  const f = columnFrame();
  const body = skipping(f, [...op.f64(-1), ...f.set('bf')], [
    ...uniform(f, true),
    ...f.get('bf'), ...op.f64(1), ...f.get('u'), ...op.call(logFn), ...f.get('q'), ...op.f64Div, ...op.f64Floor, ...op.f64Add, ...op.f64Add, ...f.tee('bf'),
    ...f.get('B'), ...op.f64ConvertI32S, ...op.f64Ge,
  ], [...f.get('bf'), ...op.i32TruncF64S]);
  return { params: f.params, locals: f.locals, body };
}

/** fdlibm's __ieee754_log for positive normal x, operation for operation. */
function logFn(): { params: number[]; locals: number[]; body: Code } {
  const f = new Frame();
  f.param('x', F64);
  for (const l of ['hx', 'k', 'i', 'j']) f.local(l, I32);
  for (const l of ['fm', 's', 'z', 'w', 'R', 'dk', 'hfsq', 't1', 't2']) f.local(l, F64);
  f.local('bits', I64);
  const ln2hi = 6.93147180369123816490e-01, ln2lo = 1.90821492927058770002e-10;
  const Lg = [6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01, 2.222219843214978396e-01,
    1.818357216161805012e-01, 1.531383769920937332e-01, 1.479819860511658591e-01];
  const K = (v: number) => op.f64(v);
  const g = f.get, st = f.set;
  const body: Code = [
    ...g('x'), ...op.i64ReinterpretF64, ...f.tee('bits'), ...op.i64(32), ...op.i64ShrU, ...op.i32WrapI64, ...st('hx'),
    // k = (hx >> 20) − 1023; hx &= 0xfffff; i = (hx + 0x95f64) & 0x100000; x = x or x/2 in [√2/2, √2)
    ...g('hx'), ...op.i32(20), ...op.i32ShrS, ...op.i32(1023), ...op.i32Sub, ...st('k'),
    ...g('hx'), ...op.i32(0xfffff), ...op.i32And, ...st('hx'),
    ...g('hx'), ...op.i32(0x95f64), ...op.i32Add, ...op.i32(0x100000), ...op.i32And, ...st('i'),
    ...g('hx'), ...g('i'), ...op.i32(0x3ff00000), ...op.i32Xor, ...op.i32Or, ...op.i64ExtendI32U, ...op.i64(32), ...op.i64Shl,
    ...g('bits'), ...op.i32WrapI64, ...op.i64ExtendI32U, ...op.i64Or, ...op.f64ReinterpretI64, ...st('x'),
    ...g('k'), ...g('i'), ...op.i32(20), ...op.i32ShrS, ...op.i32Add, ...st('k'),
    ...g('x'), ...K(1), ...op.f64Sub, ...st('fm'),
    // |f| < 2⁻²⁰
    ...op.i32(0xfffff), ...op.i32(2), ...g('hx'), ...op.i32Add, ...op.i32And, ...op.i32(3), ...op.i32LtS, ...op.if,
    ...g('fm'), ...K(0), ...op.f64Eq, ...op.if,
    ...g('k'), ...op.i32Eqz, ...op.if, ...K(0), ...op.ret, ...op.end, // return 0
    ...g('k'), ...op.f64ConvertI32S, ...st('dk'), ...g('dk'), ...K(ln2hi), ...op.f64Mul, ...g('dk'), ...K(ln2lo), ...op.f64Mul, ...op.f64Add, ...op.ret,
    ...op.end,
    ...g('fm'), ...g('fm'), ...op.f64Mul, ...K(0.5), ...K(0.33333333333333333), ...g('fm'), ...op.f64Mul, ...op.f64Sub, ...op.f64Mul, ...st('R'),
    ...g('k'), ...op.i32Eqz, ...op.if, ...g('fm'), ...g('R'), ...op.f64Sub, ...op.ret, ...op.end,
    ...g('k'), ...op.f64ConvertI32S, ...st('dk'),
    ...g('dk'), ...K(ln2hi), ...op.f64Mul, ...g('R'), ...g('dk'), ...K(ln2lo), ...op.f64Mul, ...op.f64Sub, ...g('fm'), ...op.f64Sub, ...op.f64Sub, ...op.ret,
    ...op.end,
    ...g('fm'), ...K(2), ...g('fm'), ...op.f64Add, ...op.f64Div, ...st('s'),
    ...g('k'), ...op.f64ConvertI32S, ...st('dk'),
    ...g('s'), ...g('s'), ...op.f64Mul, ...st('z'),
    ...g('hx'), ...op.i32(0x6147a), ...op.i32Sub, ...st('i'),
    ...g('z'), ...g('z'), ...op.f64Mul, ...st('w'),
    ...op.i32(0x6b851), ...g('hx'), ...op.i32Sub, ...st('j'),
    // t1 = w(Lg2 + w(Lg4 + w Lg6)); t2 = z(Lg1 + w(Lg3 + w(Lg5 + w Lg7)))
    ...g('w'), ...K(Lg[1]), ...g('w'), ...K(Lg[3]), ...g('w'), ...K(Lg[5]), ...op.f64Mul, ...op.f64Add, ...op.f64Mul, ...op.f64Add, ...op.f64Mul, ...st('t1'),
    ...g('z'), ...K(Lg[0]), ...g('w'), ...K(Lg[2]), ...g('w'), ...K(Lg[4]), ...g('w'), ...K(Lg[6]), ...op.f64Mul, ...op.f64Add, ...op.f64Mul, ...op.f64Add, ...op.f64Mul, ...op.f64Add, ...op.f64Mul, ...st('t2'),
    ...g('i'), ...g('j'), ...op.i32Or, ...st('i'),
    ...g('t2'), ...g('t1'), ...op.f64Add, ...st('R'),
    ...g('i'), ...op.i32(0), ...op.i32GtS, ...op.if,
    ...K(0.5), ...g('fm'), ...op.f64Mul, ...g('fm'), ...op.f64Mul, ...st('hfsq'),
    ...g('k'), ...op.i32Eqz, ...op.if,
    ...g('fm'), ...g('hfsq'), ...g('s'), ...g('hfsq'), ...g('R'), ...op.f64Add, ...op.f64Mul, ...op.f64Sub, ...op.f64Sub, ...op.ret,
    ...op.end,
    ...g('dk'), ...K(ln2hi), ...op.f64Mul, ...g('hfsq'), ...g('s'), ...g('hfsq'), ...g('R'), ...op.f64Add, ...op.f64Mul, ...g('dk'), ...K(ln2lo), ...op.f64Mul, ...op.f64Add, ...op.f64Sub, ...g('fm'), ...op.f64Sub, ...op.f64Sub, ...op.ret,
    ...op.end,
    ...g('k'), ...op.i32Eqz, ...op.if,
    ...g('fm'), ...g('s'), ...g('fm'), ...g('R'), ...op.f64Sub, ...op.f64Mul, ...op.f64Sub, ...op.ret,
    ...op.end,
    ...g('dk'), ...K(ln2hi), ...op.f64Mul, ...g('s'), ...g('fm'), ...g('R'), ...op.f64Sub, ...op.f64Mul, ...g('dk'), ...K(ln2lo), ...op.f64Mul, ...op.f64Sub, ...g('fm'), ...op.f64Sub, ...op.f64Sub,
  ];
  return { params: f.params, locals: f.locals, body };
}

let mod: WebAssembly.Module | undefined;
const moduleBytes = () => wasmModule([
  { name: 'column', results: [I32], ...columnFn() },
  { name: 'geometric', results: [I32], ...geometricFn(2) },
  { name: 'log', results: [F64], ...logFn() },
  { name: 'tableGeometric', results: [I32], ...tableGeometricFn() },
  { name: 'tableGap', results: [I32], ...tableGapFn() },
], 1);
const exportsOf = (memory: WebAssembly.Memory) => new WebAssembly.Instance((mod ??= new WebAssembly.Module(moduleBytes())), { env: { mem: memory } }).exports;

/** fdlibm's log as compiled here (tests compare it with Math.log). */
export function wasmLog(): (x: number) => number {
  return exportsOf(new WebAssembly.Memory({ initial: 1 })).log as (x: number) => number;
}

/** The geometric column's gap for u = k·2⁻²⁴ (k = 1 … 2²⁴), capped at B: what data.ts computes. */
export const formulaGap = (k: number, logq: number, B: number) => Math.min(B, Math.floor(Math.log(k * 5.9604644775390625e-8) / logq));

/** The gap tables of p for batch B, T then G (gapTableBytes): T[j] is the least k whose gap is ≤ j (j < B),
 *  G[b] the gap of the bucket's first k, max(1, b·2¹²). Relies on the gap being non-increasing in k, which holds
 *  because Math.log is non-decreasing on k·2⁻²⁴ (checked on all 2²⁴ values) and IEEE division and floor are monotone. */
export function gapTables(p: number, B: number): Int32Array {
  const logq = Math.log1p(-p);
  const gap = (k: number) => formulaGap(k, logq, B);
  const out = new Int32Array(B + GAP_BUCKETS);
  const T = out.subarray(0, B), G = out.subarray(B);
  const first = (b: number) => Math.max(1, b << GAP_BUCKET_BITS);
  for (let b = 0; b < GAP_BUCKETS; b++) G[b] = gap(first(b));
  for (let j = 0; j < B; j++) {
    // b: the first bucket whose gap is ≤ j (G is non-increasing and G[last] = 0); T[j] is in (first(b − 1), first(b)]
    let lo = 0, hi = GAP_BUCKETS - 1;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (G[mid] <= j) hi = mid; else lo = mid + 1; }
    const b = lo;
    if (b === 0) { T[j] = 1; continue; }
    let kLo = first(b - 1), kHi = first(b); // gap(kLo) > j ≥ gap(kHi)
    while (kHi - kLo > 1) { const mid = (kLo + kHi) >>> 1; if (gap(mid) <= j) kHi = mid; else kLo = mid; }
    T[j] = kHi;
  }
  return out;
}

/** The gap tables' code, callable from JS on tables in `memory` (for the tests): (T1 = T − 4, G, k) → gap. */
export function wasmTableGap(memory: WebAssembly.Memory): (T1: number, G: number, k: number) => number {
  return exportsOf(memory).tableGap as (T1: number, G: number, k: number) => number;
}

/** Where a stepper's memory keeps gap tables: `slots` of gapTableBytes(B) each from byte `at`. */
export interface GapRegion { at: number; slots: number; B: number }

/** Writes columns of a batch that lives in `memory` (the byte offsets of its arrays are given). */
export class WasmColumns {
  private readonly column: (...a: number[]) => number;
  private readonly geometric: (...a: number[]) => number;
  private readonly tableGeometric: (...a: number[]) => number;
  private readonly state: Int32Array;
  /** p → byte offset of its gap tables */
  private readonly tables = new Map<number, number>();
  constructor(private readonly memory: WebAssembly.Memory, private readonly at: { state: number; x: number; rows: number; vals: number },
    private readonly gaps?: GapRegion) {
    const exp = exportsOf(memory);
    this.column = exp.column as (...a: number[]) => number;
    this.geometric = exp.geometric as (...a: number[]) => number;
    this.tableGeometric = exp.tableGeometric as (...a: number[]) => number;
    this.state = new Int32Array(memory.buffer, at.state, 4);
  }

  /** The offset of p's gap tables for batch B, built on first use; undefined when no slot is left. */
  private tablesFor(p: number, B: number): number | undefined {
    const g = this.gaps;
    if (!g || g.B !== B) return undefined;
    let off = this.tables.get(p);
    if (off === undefined && this.tables.size < g.slots) {
      off = g.at + this.tables.size * gapTableBytes(B);
      new Int32Array(this.memory.buffer, off, B + GAP_BUCKETS).set(gapTables(p, B));
      this.tables.set(p, off);
    }
    return off;
  }

  /** independentColumn, drawing from `rng` (its state moves on exactly as in JS); p > 0. */
  fill(rng: Rng, i: number, B: number, n: number, p: number, signed: boolean, nz: number): number {
    const { at } = this;
    rng.saveState(this.state, 0);
    let out: number;
    if (p >= 0.25) out = this.column(at.state, at.x, at.rows, at.vals, i, B, n, p, signed ? 1 : 0, nz);
    else {
      const T = this.tablesFor(p, B);
      out = T !== undefined
        ? this.tableGeometric(at.state, at.x, at.rows, at.vals, i, B, n, 0, signed ? 1 : 0, nz, T - 4, T + 4 * B)
        : this.geometric(at.state, at.x, at.rows, at.vals, i, B, n, Math.log1p(-p), signed ? 1 : 0, nz);
    }
    rng.loadState(this.state, 0);
    return out;
  }
}
