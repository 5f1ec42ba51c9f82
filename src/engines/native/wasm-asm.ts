// A minimal WebAssembly binary writer: just what wasm-kernel.ts emits (one imported memory, exported
// functions over i32/f64/v128; wasm-kernel-f32.ts adds f32x4). Instructions are byte arrays; see the spec's binary format chapter.

export type Code = number[];
export const I32 = 0x7f;
export const F64 = 0x7c;
export const I64 = 0x7e;
export const V128 = 0x7b;
export const F32 = 0x7d;

export function uleb(v: number): Code {
  const out: Code = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

export function sleb(v: number): Code {
  const out: Code = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}

const str = (s: string): Code => [...uleb(s.length), ...Buffer.from(s, 'utf8')];
const vec = (items: Code[]): Code => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: Code): Code => [id, ...uleb(body.length), ...body];

// Instructions (only those used).
const mem = (op: number, align: number, offset: number): Code => [op, ...uleb(align), ...uleb(offset)];
/** a SIMD instruction: the 0xfd prefix, its opcode, its immediates */
export const simd = (op: number, ...imm: number[]): Code => [0xfd, ...uleb(op), ...imm];
export const op = {
  block: [0x02, 0x40], loop: [0x03, 0x40], if: [0x04, 0x40], else: [0x05], end: [0x0b],
  br: (d: number) => [0x0c, ...uleb(d)], brIf: (d: number) => [0x0d, ...uleb(d)],
  get: (l: number) => [0x20, ...uleb(l)], set: (l: number) => [0x21, ...uleb(l)], tee: (l: number) => [0x22, ...uleb(l)],
  select: [0x1b], ret: [0x0f], call: (fn: number) => [0x10, ...uleb(fn)], drop: [0x1a],
  i32: (v: number) => [0x41, ...sleb(v)],
  f64: (v: number) => { const b = Buffer.alloc(8); b.writeDoubleLE(v); return [0x44, ...b]; },
  i32Load: (off = 0) => mem(0x28, 2, off), f32Load: (off = 0) => mem(0x2a, 2, off), f64Load: (off = 0) => mem(0x2b, 3, off),
  f32Store: (off = 0) => mem(0x38, 2, off), f64Store: (off = 0) => mem(0x39, 3, off),
  i32Store: (off = 0) => mem(0x36, 2, off),
  i32Eqz: [0x45], i32LtU: [0x49],
  i32Add: [0x6a], i32Sub: [0x6b], i32Mul: [0x6c], i32And: [0x71], i32Or: [0x72], i32Xor: [0x73], i32Shl: [0x74], i32ShrU: [0x76], i32Rotl: [0x77], i32GeU: [0x4f],
  f64Eq: [0x61], f64Lt: [0x63], f64Le: [0x65],
  f64Neg: [0x9a], f64Add: [0xa0], f64Sub: [0xa1], f64Mul: [0xa2],
  f32Demote: [0xb6], f64ConvertI32U: [0xb8], f64Promote: [0xbb],
  i32LtS: [0x48], i32GtS: [0x4a], i32GeS: [0x4e], i32ReinterpretF32: [0xbc], i32ShrS: [0x75], f64Ge: [0x66], f64Floor: [0x9c], f64Ceil: [0x9b], f64Div: [0xa3],
  i32WrapI64: [0xa7], i32TruncF64S: [0xaa], i64ExtendI32U: [0xad], f64ConvertI32S: [0xb7],
  i64Or: [0x84], i64Shl: [0x86], i64ShrU: [0x88], i64ReinterpretF64: [0xbd], f64ReinterpretI64: [0xbf],
  i64: (v: number) => [0x42, ...sleb(v)], // 32-bit constants only (sleb works on int32)
  // SIMD
  v128Load: (off = 0) => simd(0x00, 4, ...uleb(off)), v128Store: (off = 0) => simd(0x0b, 4, ...uleb(off)),
  load64Splat: (off = 0) => simd(0x0a, 3, ...uleb(off)),
  store64Lane0: (off = 0) => simd(0x5b, 3, ...uleb(off), 0),
  v128Zero: simd(0x0c, ...new Array(16).fill(0)),
  load64Zero: (off = 0) => simd(0x5d, 3, ...uleb(off)),
  f64x2Splat: simd(0x14), f64x2ExtractLane: (l: number) => simd(0x21, l),
  f64x2Eq: simd(0x47), f64x2Lt: simd(0x49), f64x2Gt: simd(0x4a), f64x2Le: simd(0x4b),
  v128And: simd(0x4e), v128Or: simd(0x50), v128Bitselect: simd(0x52),
  i64x2Bitmask: simd(0xc4),
  // relaxed SIMD: a·b + c, fused or not at the engine's choice (wasm-kernel.ts uses it only where a·b is exact)
  f64x2RelaxedMadd: simd(0x107),
  f64x2Neg: simd(0xed), f64x2Add: simd(0xf0), f64x2Sub: simd(0xf1), f64x2Mul: simd(0xf2), f64x2Pmax: simd(0xf7),
  f32x4DemoteZero: simd(0x5e), f64x2PromoteLow: simd(0x5f),
  // float32 lanes (wasm-kernel-f32.ts)
  f32: (v: number) => { const b = Buffer.alloc(4); b.writeFloatLE(v); return [0x43, ...b]; },
  v128Const: (bytes: number[]) => simd(0x0c, ...bytes),
  i8x16Shuffle: (lanes: number[]) => simd(0x0d, ...lanes), i8x16Swizzle: simd(0x0e),
  i32x4Splat: simd(0x11), i32x4Add: simd(0xae), i32Popcnt: [0x69],
  load32Splat: (off = 0) => simd(0x09, 2, ...uleb(off)),
  f32x4Splat: simd(0x13),
  f32x4Eq: simd(0x41), f32x4Lt: simd(0x43), f32x4Gt: simd(0x44), f32x4Le: simd(0x45),
  i32x4Bitmask: simd(0xa4), i32x4AllTrue: simd(0xa3),
  f32x4Abs: simd(0xe0), f32x4Add: simd(0xe4), f32x4Sub: simd(0xe5), f32x4Mul: simd(0xe6), f32x4Pmax: simd(0xeb),
};

export interface FuncDef {
  name: string;
  params: number[];
  results: number[];
  /** types of the locals after the params */
  locals: number[];
  body: Code;
}

/** A module importing `env.mem` (a memory of at least `pages` pages) and exporting `funcs`. */
export function wasmModule(funcs: FuncDef[], pages: number): Uint8Array<ArrayBuffer> {
  const types = section(1, vec(funcs.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))])));
  const imports = section(2, vec([[...str('env'), ...str('mem'), 0x02, 0x00, ...uleb(pages)]]));
  const fns = section(3, vec(funcs.map((_, i) => uleb(i))));
  const exports = section(7, vec(funcs.map((f, i) => [...str(f.name), 0x00, ...uleb(i)])));
  const bodies = funcs.map((f) => {
    const body = [...vec(f.locals.map((t) => [1, t])), ...f.body, ...op.end];
    return [...uleb(body.length), ...body];
  });
  const code = section(10, vec(bodies));
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...types, ...imports, ...fns, ...exports, ...code]);
}
