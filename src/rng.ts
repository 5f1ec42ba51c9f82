// Seeded PRNG with independent streams. sfc32 (Small Fast Counting) is 32-bit integer only, so it is
// exact and identical on every JS engine; streams are seeded by hashing a string label.

/** FNV-1a then murmur3 finaliser: a well-mixed 32-bit hash of a string. */
export function hash32(s: string, salt = 0): number {
  let h = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Rng {
  /** a, b, c, d: int32 words in a typed array, so V8 keeps them unboxed (as object fields they become heap numbers) */
  private readonly s = new Int32Array(4);
  private spare = NaN;

  /** A stream named by `label` (e.g. "C2.1/seed=3/data"): different labels give independent streams. */
  constructor(label: string) {
    this.s[0] = hash32(label, 1);
    this.s[1] = hash32(label, 2);
    this.s[2] = hash32(label, 3);
    this.s[3] = 1;
    for (let i = 0; i < 15; i++) this.nextU32(); // discard warm-up outputs
  }

  /** The generator's 4 state words (wasm-data.ts continues the same stream in WebAssembly). */
  saveState(to: Int32Array, at: number): void {
    const s = this.s;
    to[at] = s[0]; to[at + 1] = s[1]; to[at + 2] = s[2]; to[at + 3] = s[3];
  }

  loadState(from: Int32Array, at: number): void {
    const s = this.s;
    s[0] = from[at]; s[1] = from[at + 1]; s[2] = from[at + 2]; s[3] = from[at + 3];
  }

  nextU32(): number {
    const s = this.s;
    const a = s[0], b = s[1], c = s[2], d = s[3];
    const t = (((a + b) | 0) + d) | 0;
    s[3] = (d + 1) | 0;
    s[0] = b ^ (b >>> 9);
    s[1] = (c + (c << 3)) | 0;
    s[2] = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 24 random bits: every value is an exact float32. */
  uniform(): number {
    return (this.nextU32() >>> 8) * 5.9604644775390625e-8;
  }

  /** Uniform in (0, 1]: safe for log(). */
  uniformOpen(): number {
    return ((this.nextU32() >>> 8) + 1) * 5.9604644775390625e-8;
  }

  /** Standard normal by Box–Muller (pairs cached). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = NaN;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniformOpen()));
    const th = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(th);
    return r * Math.cos(th);
  }
}
