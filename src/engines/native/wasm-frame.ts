// Helpers for writing WebAssembly function bodies with named locals (wasm-kernel.ts, wasm-kernel-f32.ts, wasm-gen.ts, wasm-data.ts).
import { op, type Code } from './wasm-asm.js';

/** Named locals of one function: params first (their order is the signature), then locals. */
export class Frame {
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

export const round32 = [...op.f32x4DemoteZero, ...op.f64x2PromoteLow];
/** `name += by` for an i32 local */
export const inc = (f: Frame, name: string, by: number): Code => [...f.get(name), ...op.i32(by), ...op.i32Add, ...f.set(name)];
/** `while (a < limit) { body }`, a and limit i32 locals (unsigned compare) */
export const whileLt = (f: Frame, a: string, limit: Code, body: Code): Code => [
  ...op.block, ...op.loop, ...f.get(a), ...limit, ...op.i32GeU, ...op.brIf(1), ...body, ...op.br(0), ...op.end, ...op.end,
];

