// The hot loop of data generation (data.ts's independentColumn for p ≥ 0.25) in WebAssembly: the same
// sfc32 stream (integer ops, exact), the same draws in the same order, so the same batch bit for bit
// (tests/native-data.test.ts). Sparser columns keep the JS path (geometric skipping needs Math.log).
import { F64, I32, op, wasmModule, type Code } from './wasm-asm.js';
import { Frame, inc, whileLt } from './wasm-frame.js';
import type { Rng } from '../../rng.js';

/** column(state, x, rows, vals, i, B, n, p, signed, nz) → nz: p ≥ 1 draws every value, else a coin first. */
function columnFn(): { params: number[]; locals: number[]; body: Code } {
  const f = new Frame();
  for (const p of ['st', 'x', 'rows', 'vals', 'i', 'B', 'n']) f.param(p, I32);
  f.param('p', F64);
  f.param('signed', I32);
  f.param('nz', I32);
  for (const l of ['a', 'b', 'c', 'd', 't', 'r', 'xa']) f.local(l, I32);
  for (const l of ['u', 'v']) f.local(l, F64);
  const ld = (k: number, name: string) => [...f.get('st'), ...op.i32Load(4 * k), ...f.set(name)];
  const st = (k: number, name: string) => [...f.get('st'), ...f.get(name), ...op.i32Store(4 * k)];
  // rng.uniform(): sfc32 step, then (t >>> 8) · 2^-24
  const uniform: Code = [
    ...f.get('a'), ...f.get('b'), ...op.i32Add, ...f.get('d'), ...op.i32Add, ...f.set('t'),
    ...f.get('d'), ...op.i32(1), ...op.i32Add, ...f.set('d'),
    ...f.get('b'), ...f.get('b'), ...op.i32(9), ...op.i32ShrU, ...op.i32Xor, ...f.set('a'),
    ...f.get('c'), ...f.get('c'), ...op.i32(3), ...op.i32Shl, ...op.i32Add, ...f.set('b'),
    ...f.get('c'), ...op.i32(21), ...op.i32Rotl, ...f.get('t'), ...op.i32Add, ...f.set('c'),
    ...f.get('t'), ...op.i32(8), ...op.i32ShrU, ...op.f64ConvertI32U, ...op.f64(5.9604644775390625e-8), ...op.f64Mul, ...f.set('u'),
  ];
  const put: Code = [
    ...uniform,
    ...f.get('signed'), ...op.if, ...f.get('u'), ...f.get('u'), ...op.f64Add, ...op.f64(1), ...op.f64Sub, ...f.set('v'),
    ...op.else, ...f.get('u'), ...f.set('v'), ...op.end,
    ...f.get('rows'), ...f.get('nz'), ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...f.get('r'), ...op.i32Store(),
    ...f.get('vals'), ...f.get('nz'), ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...f.get('v'), ...op.f32Demote, ...op.f32Store(),
    ...f.get('xa'), ...f.get('v'), ...op.f32Demote, ...op.f32Store(),
    ...inc(f, 'nz', 1),
  ];
  const body: Code = [
    ...ld(0, 'a'), ...ld(1, 'b'), ...ld(2, 'c'), ...ld(3, 'd'),
    // xa = &x[r*n + i], stepping n floats per sample
    ...f.get('x'), ...f.get('i'), ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...f.set('xa'),
    ...f.get('p'), ...op.f64(1), ...op.f64Lt, ...op.if,
    ...whileLt(f, 'r', f.get('B'), [
      ...uniform, ...f.get('u'), ...f.get('p'), ...op.f64Lt, ...op.if, ...put, ...op.end,
      ...inc(f, 'r', 1), ...f.get('xa'), ...f.get('n'), ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...f.set('xa'),
    ]),
    ...op.else,
    ...whileLt(f, 'r', f.get('B'), [
      ...put,
      ...inc(f, 'r', 1), ...f.get('xa'), ...f.get('n'), ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...f.set('xa'),
    ]),
    ...op.end,
    ...st(0, 'a'), ...st(1, 'b'), ...st(2, 'c'), ...st(3, 'd'),
    ...f.get('nz'),
  ];
  return { params: f.params, locals: f.locals, body };
}

let mod: WebAssembly.Module | undefined;

/** Writes columns of a batch that lives in `memory` (the byte offsets of its arrays are given). */
export class WasmColumns {
  private readonly column: (...a: number[]) => number;
  private readonly state: Int32Array;
  constructor(memory: WebAssembly.Memory, private readonly at: { state: number; x: number; rows: number; vals: number }) {
    mod ??= new WebAssembly.Module(wasmModule([{ name: 'column', results: [I32], ...columnFn() }], 1));
    this.column = new WebAssembly.Instance(mod, { env: { mem: memory } }).exports.column as (...a: number[]) => number;
    this.state = new Int32Array(memory.buffer, at.state, 4);
  }

  /** independentColumn for p ≥ 0.25, drawing from `rng` (its state moves on exactly as in JS). */
  fill(rng: Rng, i: number, B: number, n: number, p: number, signed: boolean, nz: number): number {
    const { at } = this;
    rng.saveState(this.state, 0);
    const out = this.column(at.state, at.x, at.rows, at.vals, i, B, n, p, signed ? 1 : 0, nz);
    rng.loadState(this.state, 0);
    return out;
  }
}
