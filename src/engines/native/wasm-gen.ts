// What the two training-step generators share (wasm-kernel.ts in f64x2 lanes, wasm-kernel-f32.ts in f32x4):
// the memory layout's bookkeeping, the phases' frames and loops over blocks, samples, columns and feature
// groups, and the decoder's register tile. Each helper emits the same code for both; where they differ
// only by element size (8 or 4 bytes) or by the multiply-add, that is a parameter.
import { I32, op, V128, type Code, type FuncDef } from './wasm-asm.js';
import { Frame, inc, whileLt } from './wasm-frame.js';

/** Samples per block (their activations stay in cache). */
export const BLOCK = 64;

export const c32 = (v: number): Code => op.i32(v);
export const each = <X>(xs: X[], g: (x: X, k: number) => Code): Code => xs.flatMap(g);
export const range = (k: number) => Array.from({ length: k }, (_, j) => j);
export type Fn = Omit<FuncDef, 'name' | 'results'>;
export const fn = (f: Frame, body: Code): Fn => ({ params: f.params, locals: f.locals, body });
/** acc + x·y as a multiply-add of vectors */
export type Madd = (acc: Code, x: Code, y: Code) => Code;

export function vecLocals(f: Frame, prefix: string, k: number): void {
  for (let j = 0; j < k; j++) f.local(`${prefix}${j}`, V128);
}

/** Split vectors [0, count) into near-equal chunks of at most `max` (the accumulators a chunk keeps in registers). */
export function chunksOf(count: number, max: number): [number, number][] {
  const nc = Math.ceil(count / max);
  const out: [number, number][] = [];
  for (let c = 0, c0 = 0; c < nc; c++) {
    const L = Math.floor(count / nc) + (c < count % nc ? 1 : 0);
    out.push([c0, L]);
    c0 += L;
  }
  return out;
}

/** bytes rounded up to whole 16-byte vectors */
export const pad16 = (bytes: number) => Math.ceil(bytes / 16) * 16;

/** Named regions laid out one after another, each 16-byte aligned: their offsets and the total size. */
export function place(sizes: [string, number][]): { at: Record<string, number>; size: number } {
  const at: Record<string, number> = {};
  let end = 0;
  for (const [name, bytes] of sizes) {
    at[name] = end;
    end += pad16(bytes);
  }
  return { at, size: end };
}

/** `for (q = 0; q < bytes; q += 16) mem[base + q] = 0` */
export const zero = (f: Frame, base: number, bytes: Code): Code => [
  ...c32(0), ...f.set('q'),
  ...whileLt(f, 'q', bytes, [...f.get('q'), ...op.v128Zero, ...op.v128Store(base), ...inc(f, 'q', 16)]),
];

/** `for (q = 0; q < bytes; q += 16) mem[base + q] = pmax(0, mem[base + q])`: the hidden ReLU in place */
export const reluInPlace = (f: Frame, base: number, bytes: Code, pmax: Code): Code => [
  ...c32(0), ...f.set('q'),
  ...whileLt(f, 'q', bytes, [...f.get('q'), ...op.v128Zero, ...f.get('q'), ...op.v128Load(base), ...pmax, ...op.v128Store(base), ...inc(f, 'q', 16)]),
];

/** cur[i] = colPtr[i]: where column i's next block starts */
export const resetCursors = (f: Frame, at: Record<string, number>, n: number): Code => [
  ...c32(0), ...f.set('q'),
  ...whileLt(f, 'q', c32(4 * n), [...f.get('q'), ...f.get('q'), ...op.i32Load(at.colPtr), ...op.i32Store(at.cur), ...inc(f, 'q', 4)]),
];

/** nb = min(BS, B − b0): the samples in the block at b0 */
export const blockLen = (f: Frame, BS: number, B: number): Code => [
  ...c32(BS), ...c32(B), ...f.get('b0'), ...op.i32Sub, ...c32(BS), ...c32(B), ...f.get('b0'), ...op.i32Sub, ...op.i32LtU, ...op.select, ...f.set('nb'),
];

/** enc's frame: (b0, nb), the locals blockColumns and blockNonZeros use, and `chunk` weight registers e0… */
export function encFrame(chunk: number): Frame {
  const f = new Frame();
  for (const p of ['b0', 'nb']) f.param(p, I32);
  for (const l of ['q', 'i', 'j', 'jj', 'je', 'bend', 'r', 'hr', 'o']) f.local(l, I32);
  f.local('v', V128);
  vecLocals(f, 'e', chunk);
  return f;
}

/**
 * The block's non-zeros column by column (rows below bend = b0 + nb): column i's start at its cursor j and
 * end before je; `setO` points o at its weights, `chunks` walks them (blockNonZeros, once per register
 * chunk); the cursor then moves on to jj, where the next block's start.
 */
export const blockColumns = (f: Frame, at: Record<string, number>, n: number, setO: Code, chunks: Code): Code => [
  ...f.get('b0'), ...f.get('nb'), ...op.i32Add, ...f.set('bend'),
  ...whileLt(f, 'i', c32(n), [
    ...f.get('i'), ...c32(2), ...op.i32Shl, ...f.tee('q'), ...op.i32Load(at.cur), ...f.set('j'),
    ...f.get('q'), ...op.i32Load(at.colPtr + 4), ...f.set('je'),
    ...setO,
    ...chunks,
    ...f.get('q'), ...f.get('jj'), ...op.i32Store(at.cur),
    ...inc(f, 'i', 1),
  ]),
];

/**
 * Column i's non-zeros from `jj` = j that fall in the block (rows below `bend`; the rows are increasing),
 * each with hr = its H row's offset and v = its value in every lane (`splatVal` loads and splats).
 */
export const blockNonZeros = (f: Frame, at: Record<string, number>, rowBytes: number, splatVal: Code, body: Code): Code => [
  ...f.get('j'), ...f.set('jj'),
  ...op.block, ...op.loop,
  ...f.get('jj'), ...f.get('je'), ...op.i32GeU, ...op.brIf(1),
  ...f.get('jj'), ...c32(2), ...op.i32Shl, ...op.i32Load(at.rows), ...f.tee('r'), ...f.get('bend'), ...op.i32GeU, ...op.brIf(1),
  ...f.get('r'), ...f.get('b0'), ...op.i32Sub, ...c32(rowBytes), ...op.i32Mul, ...f.set('hr'),
  ...f.get('jj'), ...c32(2), ...op.i32Shl, ...splatVal, ...f.set('v'),
  ...body,
  ...inc(f, 'jj', 1), ...op.br(0), ...op.end, ...op.end,
];

/** The decoder's register tile: where it reads and writes, and how wide its elements are. */
export interface Tile {
  /** H, bias, DT and S in memory */
  at: Record<string, number>;
  bias: number;
  /** bytes of an element (8: f64x2, 4: f32x4) and of an H row */
  bytes: 8 | 4;
  hRow: number;
  m: number; np: number; F: number;
  madd: Madd;
}

/**
 * S rows (1 or 2 samples from r) = bias + D·h, F features at a time in registers a0…, k in increasing
 * order (a loop, not unrolled: unrolled, the compiler hoists the loads and spills the accumulators).
 */
export function decoderTile(f: Frame, x: Tile, rows: 1 | 2): Code {
  const { at, bytes, m, np, F, madd } = x;
  const T = (F * bytes) / 16;
  const splat = bytes === 8 ? op.load64Splat : op.load32Splat;
  return [
    ...f.get('r'), ...c32(x.hRow), ...op.i32Mul, ...c32(at.H), ...op.i32Add, ...f.set('ha'),
    ...c32(0), ...f.set('q'),
    ...whileLt(f, 'q', c32(bytes * np), [
      ...each(range(T), (s) => [
        ...f.get('q'), ...op.v128Load(x.bias + 16 * s), ...f.set(`a${s}`),
        ...(rows === 2 ? [...f.get(`a${s}`), ...f.set(`a${T + s}`)] : []),
      ]),
      ...f.get('q'), ...c32(at.DT), ...op.i32Add, ...f.set('o'),
      ...f.get('ha'), ...f.set('hk'), ...f.get('ha'), ...c32(bytes * m), ...op.i32Add, ...f.set('he'),
      ...whileLt(f, 'hk', f.get('he'), [
        ...f.get('hk'), ...splat(0), ...f.set('h0'),
        ...(rows === 2 ? [...f.get('hk'), ...splat(x.hRow), ...f.set('h1')] : []),
        ...each(range(T), (s) => [
          ...f.get('o'), ...op.v128Load(16 * s), ...f.set('d'),
          ...madd(f.get(`a${s}`), f.get('d'), f.get('h0')), ...f.set(`a${s}`),
          ...(rows === 2 ? [...madd(f.get(`a${T + s}`), f.get('d'), f.get('h1')), ...f.set(`a${T + s}`)] : []),
        ]),
        ...inc(f, 'hk', bytes), ...inc(f, 'o', bytes * np),
      ]),
      ...each(range(T), (s) => [...f.get('q'), ...f.get(`a${s}`), ...op.v128Store(at.S + 16 * s)]),
      ...(rows === 2 ? each(range(T), (s) => [...f.get('q'), ...f.get(`a${T + s}`), ...op.v128Store(at.S + bytes * np + 16 * s)]) : []),
      ...inc(f, 'q', bytes * F),
    ]),
  ];
}

/** The block's samples from r = 0: two at a time (one tile of 2 rows, then each sample), then an odd last one. */
export const samplePairs = (f: Frame, tile: (rows: 1 | 2) => Code, sample: (row: 0 | 1) => Code): Code => [
  ...op.block, ...op.loop,
  ...f.get('r'), ...c32(1), ...op.i32Add, ...f.get('nb'), ...op.i32GeU, ...op.brIf(1),
  ...tile(2), ...sample(0), ...inc(f, 'r', 1), ...sample(1), ...inc(f, 'r', 1),
  ...op.br(0), ...op.end, ...op.end,
  ...f.get('r'), ...f.get('nb'), ...op.i32LtU, ...op.if, ...tile(1), ...sample(0), ...op.end,
];

/**
 * Sample r's features: xrow = its x row, `group` over i in steps of `width`, then `tail` (the last n % width
 * features); its active list ends at cnt.
 */
export const featureGroups = (f: Frame, at: Record<string, number>, n: number, width: number, group: Code, tail: Code): Code => [
  ...f.get('b0'), ...f.get('r'), ...op.i32Add, ...c32(4 * n), ...op.i32Mul, ...c32(at.x), ...op.i32Add, ...f.set('xrow'),
  ...c32(0), ...f.set('i'),
  ...whileLt(f, 'i', c32(n - (n % width)), [...group, ...inc(f, 'i', width)]),
  ...tail,
  ...endList(f, at),
];

/** Sample r's active list ends at cnt (actRow[r + 1] = cnt). */
export const endList = (f: Frame, at: Record<string, number>): Code => [...f.get('r'), ...c32(2), ...op.i32Shl, ...f.get('cnt'), ...op.i32Store(at.actRow + 4)];

/** dh's frame: (b0, nb), the locals eachSample uses, o, the gradient g and `chunk` accumulators a0… */
export function dhFrame(chunk: number): Frame {
  const f = new Frame();
  for (const p of ['b0', 'nb']) f.param(p, I32);
  for (const l of ['r', 'p', 'pe', 'q', 'o', 'hr', 'dr']) f.local(l, I32);
  f.local('g', V128);
  vecLocals(f, 'a', chunk);
  return f;
}

/** Each sample r of the block: its active list [p, pe), hr its H row and dr its dh row (`rowBytes` each). */
export const eachSample = (f: Frame, at: Record<string, number>, rowBytes: number, body: Code): Code =>
  whileLt(f, 'r', f.get('nb'), [
    ...f.get('r'), ...c32(2), ...op.i32Shl, ...f.tee('q'), ...op.i32Load(at.actRow), ...f.set('p'),
    ...f.get('q'), ...op.i32Load(at.actRow + 4), ...f.set('pe'),
    ...f.get('r'), ...c32(rowBytes), ...op.i32Mul, ...f.set('hr'),
    ...f.get('b0'), ...f.get('r'), ...op.i32Add, ...c32(rowBytes), ...op.i32Mul, ...f.set('dr'),
    ...body,
    ...inc(f, 'r', 1),
  ]);

/** dh_b's chunk [c0, c0 + len) from a0…; with `gt` (the lanes' greater-than), zero where h ≤ 0 (the hidden ReLU) */
export const storeDh = (f: Frame, at: Record<string, number>, dh: number, [c0, len]: [number, number], gt: Code | null): Code =>
  each(range(len), (l) => [
    ...f.get('dr'), ...f.get(`a${l}`),
    ...(gt ? [...f.get('hr'), ...op.v128Load(at.H + 16 * (c0 + l)), ...op.v128Zero, ...gt, ...op.v128And] : []),
    ...op.v128Store(dh + 16 * (c0 + l)),
  ]);

/** ge's frame: the locals eachColumn uses, j, hb, the value v and `chunk` accumulators a0… */
export function geFrame(chunk: number): Frame {
  const f = new Frame();
  for (const l of ['i', 'j', 'j0', 'je', 'hb', 'og', 'ow']) f.local(l, I32);
  f.local('v', V128);
  vecLocals(f, 'a', chunk);
  return f;
}

/** Each column i: its non-zeros [j0, je), og its gD row (`rowBytes`), ow its float32 gW row of m. */
export const eachColumn = (f: Frame, at: Record<string, number>, n: number, m: number, rowBytes: number, body: Code): Code =>
  whileLt(f, 'i', c32(n), [
    ...f.get('i'), ...c32(2), ...op.i32Shl, ...f.tee('j'), ...op.i32Load(at.colPtr), ...f.set('j0'),
    ...f.get('j'), ...op.i32Load(at.colPtr + 4), ...f.set('je'),
    ...f.get('i'), ...c32(rowBytes), ...op.i32Mul, ...f.set('og'),
    ...f.get('i'), ...c32(4 * m), ...op.i32Mul, ...f.set('ow'),
    ...body,
    ...inc(f, 'i', 1),
  ]);
