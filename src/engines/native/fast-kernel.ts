// The fast path of kernel.ts's forwardBackward: same floating-point operations in the same order (so
// results are bit-identical; tests/native-kernel.test.ts checks), restructured for speed:
//  - one function generated per (m, model traits) with the k-loops unrolled, so h_b and dh_b live in
//    locals instead of Float32Array slots (a Float32Array `+=` is `fround(a + b)`: we write exactly that);
//  - the encoder runs per sample over a CSR copy of the batch (non-zeros of a row in increasing i, the
//    same accumulation order as the reference's CSC loop) and feeds the decoder directly: no hpre/h arrays;
//  - the encoder gradient keeps gE_i in locals while walking column i (increasing b, as the reference).
// Adding ±0 is skipped nowhere: every product the reference adds is added here too.
import type { Batch } from '../../data.js';
import type { ModelTraits } from '../../models.js';
import { forwardBackward, type Grads, type Workspace } from './kernel.js';

/** Largest m we unroll; above it the reference kernel runs (code size grows linearly with m). */
export const MAX_UNROLL = 64;

type KernelFn = (
  n: number, B: number, E: Float32Array, D: Float32Array, bias: Float32Array, imp: Float64Array,
  x: Float32Array, colPtr: Int32Array, rows: Int32Array, vals: Float32Array,
  rp: Int32Array, rc: Int32Array, rv: Float32Array, cur: Int32Array, sb: Float64Array,
  dh: Float32Array, gE: Float32Array, gD: Float32Array, gb: Float32Array,
) => number;

const cache = new Map<string, KernelFn>();

/** JS source of the kernel for one m and trait set. */
export function kernelSource(m: number, t: ModelTraits): string {
  const K = Array.from({ length: m }, (_, k) => k);
  const off = (k: number) => (k === 0 ? 'o' : `o + ${k}`);
  const hb = (k: number) => (k === 0 ? 'hb' : `hb + ${k}`);
  const lines = (f: (k: number) => string) => K.map(f).join('\n');
  const G = 4;
  const Gs = Array.from({ length: G }, (_, g) => g);
  return `
'use strict';
const fr = Math.fround;
return function kernel(n, B, E, D, bias, imp, x, colPtr, rows, vals, rp, rc, rv, cur, sb, dh, gE, gD, gb) {
  // CSR copy of the batch: counting transpose, rows filled in increasing feature order.
  rp.fill(0);
  const nnz = colPtr[n];
  for (let j = 0; j < nnz; j++) rp[rows[j] + 1]++;
  for (let b = 0; b < B; b++) { rp[b + 1] += rp[b]; cur[b] = rp[b]; }
  for (let i = 0; i < n; i++) {
    for (let j = colPtr[i], e = colPtr[i + 1]; j < e; j++) { const q = cur[rows[j]]++; rc[q] = i; rv[q] = vals[j]; }
  }
  gD.fill(0);
  gb.fill(0);
  const c = 2 / (B * n);
  let loss = 0;
  for (let b = 0; b < B; b++) {
    // Encoder over the row's non-zeros, as Float32 accumulators (reference: hpre[b, k] += v * E_ik).
${K.map((k) => `    let h${k} = 0;`).join('\n')}
    for (let p = rp[b], e = rp[b + 1]; p < e; p++) {
      const o = rc[p] * ${m};
      const v = rv[p];
${lines((k) => `      h${k} = fr(h${k} + v * E[${off(k)}]);`)}
    }
${t.hiddenRelu ? lines((k) => `    h${k} = h${k} > 0 ? h${k} : 0;`) : ''}
${K.map((k) => `    let d${k} = 0;`).join('\n')}
    const xb = b * n;
    // Decoder pre-activations, ${G} features at a time: independent add chains overlap in the CPU,
    // while each feature's sum keeps the reference's order (bias, then k = 0..m-1).
    let i = 0;
    for (; i + ${G} <= n; i += ${G}) {
      const o = i * ${m};
${Gs.map((g) => `      let s${g} = bias[i + ${g}];`).join('\n')}
${lines((k) => Gs.map((g) => `      s${g} += D[o + ${g * m + k}] * h${k};`).join('\n'))}
${Gs.map((g) => `      sb[i + ${g}] = s${g};`).join('\n')}
    }
    for (; i < n; i++) {
      const o = i * ${m};
      sb[i] = bias[i]${K.map((k) => ` + D[${off(k)}] * h${k}`).join('')};
    }
    for (let i = 0, o = 0; i < n; i++, o += ${m}) {
      const s = sb[i];
      const xi = x[xb + i];
      const y = ${t.absTarget ? 'xi < 0 ? -xi : xi' : 'xi'};
      const out = ${t.outputRelu ? 's < 0 ? 0 : s' : 's'};
      const diff = out - y;
      const w = imp[i] * diff;
      loss += w * diff;
      ${t.outputRelu ? 'if (s <= 0) continue;' : ''}
      const gi = c * w;
      if (gi === 0) continue;
      gb[i] += gi;
${lines((k) => `      gD[${off(k)}] += gi * h${k};`)}
${lines((k) => `      d${k} = fr(d${k} + gi * D[${off(k)}]);`)}
    }
    const hb = b * ${m};
${lines((k) => `    dh[${hb(k)}] = ${t.hiddenRelu ? `h${k} > 0 ? d${k} : 0` : `d${k}`};`)}
  }
  // Encoder gradient: column i's non-zeros in increasing b, gE_i in locals.
  for (let i = 0, o = 0; i < n; i++, o += ${m}) {
${lines((k) => `    let a${k} = ${t.tied ? `gE[${off(k)}]` : '0'};`)}
    for (let j = colPtr[i], e = colPtr[i + 1]; j < e; j++) {
      const hb = rows[j] * ${m};
      const v = vals[j];
${lines((k) => `      a${k} = fr(a${k} + v * dh[${hb(k)}]);`)}
    }
${lines((k) => `    gE[${off(k)}] = a${k};`)}
  }
  return loss / (B * n);
};`;
}

function kernelFor(m: number, t: ModelTraits): KernelFn {
  const key = `${m}/${+t.hiddenRelu}${+t.outputRelu}${+t.tied}${+t.absTarget}`;
  let f = cache.get(key);
  if (!f) cache.set(key, (f = new Function(kernelSource(m, t))() as KernelFn));
  return f;
}

/** CSR scratch for the fast kernel, sized for a B×n batch. */
export interface FastWorkspace extends Workspace {
  rp: Int32Array;
  rc: Int32Array;
  rv: Float32Array;
  cur: Int32Array;
  /** decoder pre-activations of one sample */
  sb: Float64Array;
}

export function allocFastWorkspace(B: number, n: number, m: number): FastWorkspace {
  return {
    hpre: new Float32Array(m > MAX_UNROLL ? B * m : 0),
    h: new Float32Array(m > MAX_UNROLL ? B * m : 0),
    dh: new Float32Array(B * m),
    rp: new Int32Array(B + 1),
    rc: new Int32Array(B * n),
    rv: new Float32Array(B * n),
    cur: new Int32Array(B),
    sb: new Float64Array(n),
  };
}

/** Drop-in for forwardBackward (same arguments, same bits), specialised when m ≤ MAX_UNROLL. */
export function fastForwardBackward(
  t: ModelTraits, n: number, m: number, E: Float32Array, D: Float32Array, bias: Float32Array,
  importance: Float64Array, batch: Batch, ws: FastWorkspace, g: Grads,
): number {
  if (m > MAX_UNROLL) return forwardBackward(t, n, m, E, D, bias, importance, batch, ws, g);
  const gD = t.tied ? g.gW : g.gW2!;
  return kernelFor(m, t)(n, batch.B, E, D, bias, importance, batch.x, batch.colPtr, batch.rows, batch.vals,
    ws.rp, ws.rc, ws.rv, ws.cur, ws.sb, ws.dh, g.gW, gD, g.gb);
}
