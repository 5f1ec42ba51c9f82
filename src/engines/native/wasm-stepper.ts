// What the two WebAssembly steppers (wasm-kernel.ts, wasm-kernel-f32.ts) share at run time: compiling a
// module once per shape, the SIMD probe, the memory views of the batch and gradients, the phase timer.
import { setFlagsFromString } from 'node:v8';
import type { Batch } from '../../data.js';
import type { ModelTraits } from '../../models.js';
import type { Grads } from './kernel.js';
import { op, V128, wasmModule, type FuncDef } from './wasm-asm.js';
import { gapTableBytes, WasmColumns } from './wasm-data.js';

/** Probabilities per stepper whose geometric gaps come from tables (more fall back to computing them). */
export const GAP_SLOTS = 4;

// Compile our modules with the optimising compiler up front: with tiering, a kernel that runs once per
// step can stay on the baseline compiler's code for many steps (no on-stack replacement in WebAssembly).
setFlagsFromString('--no-wasm-dynamic-tiering');

const modules = new Map<string, WebAssembly.Module>();
/** The module of `funcs` (importing one memory), compiled once per key. */
export function compileOnce(key: string, funcs: () => FuncDef[]): WebAssembly.Module {
  let mod = modules.get(key);
  if (!mod) modules.set(key, (mod = new WebAssembly.Module(wasmModule(funcs(), 1))));
  return mod;
}

/** the model traits as a cache key */
export const traitsKey = (t: ModelTraits) => `${+t.hiddenRelu}${+t.outputRelu}${+t.tied}${+t.absTarget}`;

/** Whether this JS engine runs WebAssembly SIMD (Node ≥ 16 does). */
export const wasmSimdAvailable: boolean = (() => {
  try {
    return WebAssembly.validate(wasmModule([{ name: 'f', params: [], results: [], locals: [V128], body: [...op.v128Zero, ...op.set(0)] }], 1));
  } catch {
    return false;
  }
})();

/** A stepper's memory: the batch and the float32 gradients as views into it (at the layout's x, rows, vals, gW…). */
export function stepperMemory(t: ModelTraits, n: number, m: number, B: number, at: Record<string, number>, size: number) {
  const gapsAt = Math.ceil(size / 16) * 16; // the data module's gap tables follow the layout
  const memory = new WebAssembly.Memory({ initial: Math.ceil((gapsAt + GAP_SLOTS * gapTableBytes(B)) / 65536) });
  const buf = memory.buffer;
  const f32 = (name: string, len: number) => new Float32Array(buf, at[name], len);
  const batch = memoryBatch(memory, at, B, n, gapsAt);
  const grads: Grads = { gW: f32('gW', n * m), gW2: t.tied ? undefined : f32('gW2', n * m), gb: f32('gb', n) };
  return { memory, buf, batch, grads };
}

/** A batch whose arrays live in `memory` (at the layout's state, x, colPtr, rows, vals), its independent columns
 *  written by the WebAssembly sampler, whose gap tables take GAP_SLOTS × gapTableBytes(B) bytes from `gapsAt`. */
export function memoryBatch(memory: WebAssembly.Memory, at: Record<string, number>, B: number, n: number, gapsAt: number): Batch {
  const buf = memory.buffer;
  return {
    B, n, x: new Float32Array(buf, at.x, B * n), colPtr: new Int32Array(buf, at.colPtr, n + 1), rows: new Int32Array(buf, at.rows, B * n), vals: new Float32Array(buf, at.vals, B * n),
    columns: new WasmColumns(memory, { state: at.state, x: at.x, rows: at.rows, vals: at.vals }, { at: gapsAt, slots: GAP_SLOTS, B }),
  };
}

/** `time(k, g)` runs g and adds its milliseconds into ms[k] (the steppers' runTimed) */
export const timer = (ms: Record<string, number>) => <R>(k: string, g: () => R): R => {
  const t0 = performance.now();
  const r = g();
  ms[k] = (ms[k] ?? 0) + performance.now() - t0;
  return r;
};
