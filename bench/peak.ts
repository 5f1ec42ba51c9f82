// The machine's own WebAssembly SIMD peak, measured by a micro-kernel: 12 independent f32x4 (or f64x2)
// chains a ← a·x + y (a multiply, then an add) in a loop, the best case for wasm SIMD without FMA. `npm run bench`
// prints each variant's GFLOP/s as a share of this (per core, times the threads the variant used).
import { F64, I32, op, simd, V128, wasmModule, type Code } from '../src/engines/native/wasm-asm.js';

const ACC = 12;
const LANES = { f32x4: { splat: simd(0x13), mul: simd(0xe6), add: simd(0xe4), lanes: 4 }, f64x2: { splat: simd(0x14), mul: op.f64x2Mul, add: op.f64x2Add, lanes: 2 } };

function module(kind: keyof typeof LANES): WebAssembly.Module {
  const K = LANES[kind];
  // params: iterations; locals: i, x, y, a0..a11
  const x = 2, y = 3, a = (j: number) => 4 + j;
  const step = Array.from({ length: ACC }, (_, j) => [...op.get(a(j)), ...op.get(x), ...K.mul, ...op.get(y), ...K.add, ...op.set(a(j))]).flat();
  const splat = (v: number) => [...op.f64(v), ...(kind === 'f32x4' ? [...op.f32Demote, ...K.splat] : K.splat)];
  const body: Code = [
    ...splat(0.999), ...op.set(x), ...splat(1e-4), ...op.set(y),
    ...Array.from({ length: ACC }, (_, j) => [...op.f64(1e-3 * (j + 1)), ...(kind === 'f32x4' ? [...op.f32Demote, ...K.splat] : K.splat), ...op.set(a(j))]).flat(),
    ...op.block, ...op.loop, ...op.get(1), ...op.get(0), ...op.i32GeU, ...op.brIf(1),
    ...step, ...step, ...step, ...step,
    ...op.get(1), ...op.i32(1), ...op.i32Add, ...op.set(1), ...op.br(0), ...op.end, ...op.end,
    // keep the result alive
    ...op.get(a(0)), ...Array.from({ length: ACC - 1 }, (_, j) => [...op.get(a(j + 1)), ...K.add]).flat(),
    ...(kind === 'f32x4' ? [...simd(0x1f), 0, ...op.f64Promote] : op.f64x2ExtractLane(0)),
  ];
  return new WebAssembly.Module(wasmModule([{ name: 'f', params: [I32], results: [F64], locals: [I32, V128, V128, ...Array(ACC).fill(V128)], body }], 1));
}

/** GFLOP/s of one core (multiply + add = 2 FLOPs per lane), best of a few runs. */
export function measurePeak(kind: keyof typeof LANES = 'f32x4'): number {
  const f = new WebAssembly.Instance(module(kind), { env: { mem: new WebAssembly.Memory({ initial: 1 }) } }).exports.f as (n: number) => number;
  const iters = 2_000_000;
  f(iters / 10);
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    f(iters);
    best = Math.min(best, performance.now() - t0);
  }
  const flops = iters * 4 * ACC * LANES[kind].lanes * 2;
  return flops / (best / 1000) / 1e9;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`wasm SIMD peak, one core: f32x4 ${measurePeak('f32x4').toFixed(1)} GFLOP/s, f64x2 ${measurePeak('f64x2').toFixed(1)} GFLOP/s`);
}
