// Random orthonormal frames, to place test geometries in a random rotation.
import type { Rng } from '../../src/rng.js';

/** A random orthonormal d-frame in R^D (Gram–Schmidt of normal draws). */
export function frame(rng: Rng, d: number, D: number): number[][] {
  const out: number[][] = [];
  while (out.length < d) {
    let v = Array.from({ length: D }, () => rng.normal());
    for (const q of out) {
      const c = v.reduce((s, x, t) => s + x * q[t], 0);
      v = v.map((x, t) => x - c * q[t]);
    }
    const n = Math.hypot(...v);
    out.push(v.map((x) => x / n));
  }
  return out;
}
