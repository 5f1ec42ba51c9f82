// The hot loop of data generation (data.ts's independentColumn) in WebAssembly: the same sfc32 stream
// (integer ops, exact), the same draws in the same order, so the same batch bit for bit
// (tests/native-data.test.ts). Geometric skipping (p < 0.25) needs Math.log: V8's is fdlibm's
// __ieee754_log, ported here for positive normal inputs and checked against Math.log on every value
// uniformOpen() can return (k·2⁻²⁴, k = 1 … 2²⁴).
import { F64, I32, I64, op, wasmModule, type Code } from './wasm-asm.js';
import { Frame, inc, whileLt } from './wasm-frame.js';
import type { Rng } from '../../rng.js';

const RNG_LOCALS = ['a', 'b', 'c', 'd', 't', 'r'];

/** rng.uniform() into local `u`: an sfc32 step, then (t >>> 8) · 2⁻²⁴ (+1 before scaling: uniformOpen). */
function uniform(f: Frame, open = false): Code {
  return [
    ...f.get('a'), ...f.get('b'), ...op.i32Add, ...f.get('d'), ...op.i32Add, ...f.set('t'),
    ...f.get('d'), ...op.i32(1), ...op.i32Add, ...f.set('d'),
    ...f.get('b'), ...f.get('b'), ...op.i32(9), ...op.i32ShrU, ...op.i32Xor, ...f.set('a'),
    ...f.get('c'), ...f.get('c'), ...op.i32(3), ...op.i32Shl, ...op.i32Add, ...f.set('b'),
    ...f.get('c'), ...op.i32(21), ...op.i32Rotl, ...f.get('t'), ...op.i32Add, ...f.set('c'),
    ...f.get('t'), ...op.i32(8), ...op.i32ShrU, ...(open ? [...op.i32(1), ...op.i32Add] : []), ...op.f64ConvertI32U,
    ...op.f64(5.9604644775390625e-8), ...op.f64Mul, ...f.set('u'),
  ];
}

/** rows[nz] = r, vals[nz] = x[r·n + i] = a fresh value (U[0,1), or U[-1,1) when signed); nz++ */
function put(f: Frame): Code {
  return [
    ...uniform(f),
    ...f.get('signed'), ...op.if, ...f.get('u'), ...f.get('u'), ...op.f64Add, ...op.f64(1), ...op.f64Sub, ...f.set('v'),
    ...op.else, ...f.get('u'), ...f.set('v'), ...op.end,
    ...f.get('rows'), ...f.get('nz'), ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...f.get('r'), ...op.i32Store(),
    ...f.get('vals'), ...f.get('nz'), ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...f.get('v'), ...op.f32Demote, ...op.f32Store(),
    ...f.get('x'), ...f.get('r'), ...f.get('n'), ...op.i32Mul, ...f.get('i'), ...op.i32Add, ...op.i32(2), ...op.i32Shl, ...op.i32Add,
    ...f.get('v'), ...op.f32Demote, ...op.f32Store(),
    ...inc(f, 'nz', 1),
  ];
}

/** A column function's frame: (state, x, rows, vals, i, B, n, q, signed, nz) → nz, the generator in locals. */
function columnFrame(): Frame {
  const f = new Frame();
  for (const p of ['st', 'x', 'rows', 'vals', 'i', 'B', 'n']) f.param(p, I32);
  f.param('q', F64); // p, or log1p(−p) for the geometric column
  f.param('signed', I32);
  f.param('nz', I32);
  for (const l of RNG_LOCALS) f.local(l, I32);
  for (const l of ['u', 'v', 'bf']) f.local(l, F64);
  return f;
}
const loadState = (f: Frame): Code => ['a', 'b', 'c', 'd'].flatMap((name, k) => [...f.get('st'), ...op.i32Load(4 * k), ...f.set(name)]);
const saveState = (f: Frame): Code => ['a', 'b', 'c', 'd'].flatMap((name, k) => [...f.get('st'), ...f.get(name), ...op.i32Store(4 * k)]);

/** p ≥ 1 draws every value, 0.25 ≤ p < 1 a coin first (q = p). */
function columnFn(): { params: number[]; locals: number[]; body: Code } {
  const f = columnFrame();
  const body: Code = [
    ...loadState(f),
    ...f.get('q'), ...op.f64(1), ...op.f64Lt, ...op.if,
    ...whileLt(f, 'r', f.get('B'), [...uniform(f), ...f.get('u'), ...f.get('q'), ...op.f64Lt, ...op.if, ...put(f), ...op.end, ...inc(f, 'r', 1)]),
    ...op.else,
    ...whileLt(f, 'r', f.get('B'), [...put(f), ...inc(f, 'r', 1)]),
    ...op.end,
    ...saveState(f),
    ...f.get('nz'),
  ];
  return { params: f.params, locals: f.locals, body };
}

/** 0 < p < 0.25 (q = log1p(−p)): b += 1 + floor(log(uniformOpen()) / q) until b ≥ B, as data.ts. */
function geometricFn(logFn: number): { params: number[]; locals: number[]; body: Code } {
  const f = columnFrame();
  const body: Code = [
    ...loadState(f),
    ...op.f64(-1), ...f.set('bf'),
    ...op.block, ...op.loop,
    ...uniform(f, true),
    ...f.get('bf'), ...op.f64(1), ...f.get('u'), ...op.call(logFn), ...f.get('q'), ...op.f64Div, ...op.f64Floor, ...op.f64Add, ...op.f64Add, ...f.tee('bf'),
    ...f.get('B'), ...op.f64ConvertI32S, ...op.f64Ge, ...op.brIf(1),
    ...f.get('bf'), ...op.i32TruncF64S, ...f.set('r'),
    ...put(f),
    ...op.br(0), ...op.end, ...op.end,
    ...saveState(f),
    ...f.get('nz'),
  ];
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
], 1);

/** fdlibm's log as compiled here (tests compare it with Math.log). */
export function wasmLog(): (x: number) => number {
  mod ??= new WebAssembly.Module(moduleBytes());
  return new WebAssembly.Instance(mod, { env: { mem: new WebAssembly.Memory({ initial: 1 }) } }).exports.log as (x: number) => number;
}

/** Writes columns of a batch that lives in `memory` (the byte offsets of its arrays are given). */
export class WasmColumns {
  private readonly column: (...a: number[]) => number;
  private readonly geometric: (...a: number[]) => number;
  private readonly state: Int32Array;
  constructor(memory: WebAssembly.Memory, private readonly at: { state: number; x: number; rows: number; vals: number }) {
    mod ??= new WebAssembly.Module(moduleBytes());
    const exp = new WebAssembly.Instance(mod, { env: { mem: memory } }).exports;
    this.column = exp.column as (...a: number[]) => number;
    this.geometric = exp.geometric as (...a: number[]) => number;
    this.state = new Int32Array(memory.buffer, at.state, 4);
  }

  /** independentColumn, drawing from `rng` (its state moves on exactly as in JS); p > 0. */
  fill(rng: Rng, i: number, B: number, n: number, p: number, signed: boolean, nz: number): number {
    const { at } = this;
    rng.saveState(this.state, 0);
    const out = p >= 0.25
      ? this.column(at.state, at.x, at.rows, at.vals, i, B, n, p, signed ? 1 : 0, nz)
      : this.geometric(at.state, at.x, at.rows, at.vals, i, B, n, Math.log1p(-p), signed ? 1 : 0, nz);
    rng.loadState(this.state, 0);
    return out;
  }
}
