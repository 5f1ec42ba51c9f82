// Philox4x32-10 (Salmon et al., SC'11): a counter-based generator, so any (key, counter) can be drawn
// independently in any thread, in any order, with the same result. The WGSL and the TypeScript
// versions are the same algorithm; tests check both against Random123's known-answer vectors.

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product of two u32 (16-bit halves: exact in doubles and in WGSL u32). */
function mulhi(a: number, b: number): number {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const p01 = a0 * b1, p10 = a1 * b0;
  const mid = ((a0 * b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + Math.floor(mid / 65536)) >>> 0;
}

/** Philox4x32 with 10 rounds: four u32 out of a 4-word counter and a 2-word key. */
export function philox4x32(ctr: readonly number[], key: readonly number[]): [number, number, number, number] {
  let [c0, c1, c2, c3] = ctr.map((v) => v >>> 0);
  let k0 = key[0] >>> 0, k1 = key[1] >>> 0;
  for (let r = 0; r < 10; r++) {
    if (r > 0) {
      k0 = (k0 + W0) >>> 0;
      k1 = (k1 + W1) >>> 0;
    }
    const hi0 = mulhi(M0, c0), lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1, c2), lo1 = Math.imul(M1, c2) >>> 0;
    [c0, c1, c2, c3] = [(hi1 ^ c1 ^ k0) >>> 0, lo1, (hi0 ^ c3 ^ k1) >>> 0, lo0];
  }
  return [c0, c1, c2, c3];
}

/** The same generator in WGSL, plus `unit01(u)`: the top 24 bits as a float in [0, 1), exact in f32. */
export const PHILOX_WGSL = /* wgsl */ `
fn mulhi32(a: u32, b: u32) -> u32 {
  let a0 = a & 0xffffu; let a1 = a >> 16u; let b0 = b & 0xffffu; let b1 = b >> 16u;
  let p01 = a0 * b1; let p10 = a1 * b0;
  let mid = ((a0 * b0) >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
  return a1 * b1 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u);
}

fn philox(ctr: vec4<u32>, key: vec2<u32>) -> vec4<u32> {
  var c = ctr;
  var k = key;
  for (var r = 0u; r < 10u; r++) {
    if (r > 0u) { k = k + vec2<u32>(${W0 >>> 0}u, ${W1 >>> 0}u); }
    let hi0 = mulhi32(${M0 >>> 0}u, c.x); let lo0 = ${M0 >>> 0}u * c.x;
    let hi1 = mulhi32(${M1 >>> 0}u, c.z); let lo1 = ${M1 >>> 0}u * c.z;
    c = vec4<u32>(hi1 ^ c.y ^ k.x, lo1, hi0 ^ c.w ^ k.y, lo0);
  }
  return c;
}

fn unit01(u: u32) -> f32 { return f32(u >> 8u) * ${2 ** -24}; }
`;

/** Host twin of the WGSL unit01(). */
export function unit(u: number): number {
  return (u >>> 8) * 2 ** -24;
}
