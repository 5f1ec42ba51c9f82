// Synthetic data: each feature is 0 with probability S, else U[0,1) (U[-1,1) for the abs model).
// A batch is built feature by feature as a sparse column list (CSC) plus a dense copy: the encoder
// then touches only non-zero inputs, which is most of the speed-up at high sparsity.
import type { DataConfig } from './types.js';
import { Rng } from './rng.js';

export interface Batch {
  B: number;
  n: number;
  /** dense inputs, sample-major: x[b*n + i] */
  x: Float32Array;
  /** CSC: non-zeros of feature i are rows[colPtr[i] .. colPtr[i+1]) with values vals[...] */
  colPtr: Int32Array;
  rows: Int32Array;
  vals: Float32Array;
  /** a faster writer of independent columns with p > 0, same draws (the native engine's wasm-data.ts) */
  columns?: ColumnWriter;
}

export interface ColumnWriter {
  fill(rng: Rng, i: number, B: number, n: number, p: number, signed: boolean, nz: number): number;
}

export function allocBatch(B: number, n: number): Batch {
  return {
    B,
    n,
    x: new Float32Array(B * n),
    colPtr: new Int32Array(n + 1),
    rows: new Int32Array(B * n),
    vals: new Float32Array(B * n),
  };
}

/**
 * Bernoulli(p) trials over B samples, calling `hit(b)` for each success, in increasing b.
 * Small p uses geometric skipping (exact distribution, O(Bp) draws instead of O(B)).
 */
function bernoulliRows(rng: Rng, B: number, p: number, hit: (b: number) => void): void {
  if (p >= 1) {
    for (let b = 0; b < B; b++) hit(b);
  } else if (p >= 0.25) {
    for (let b = 0; b < B; b++) if (rng.uniform() < p) hit(b);
  } else if (p > 0) {
    const logq = Math.log1p(-p);
    let b = -1;
    for (;;) {
      b += 1 + Math.floor(Math.log(rng.uniformOpen()) / logq);
      if (b >= B) break;
      hit(b);
    }
  }
}

/**
 * bernoulliRows + put + value for one independent feature, inlined: the hot loop of every batch.
 * Same draws in the same order (coin, then value, per sample), so the same batch. Returns the new nz.
 */
function independentColumn(rng: Rng, B: number, n: number, i: number, p: number, signed: boolean,
  x: Float32Array, rows: Int32Array, vals: Float32Array, nz: number): number {
  if (p >= 1) {
    for (let b = 0; b < B; b++) {
      const v = signed ? 2 * rng.uniform() - 1 : rng.uniform();
      rows[nz] = b;
      vals[nz++] = v;
      x[b * n + i] = v;
    }
  } else if (p >= 0.25) {
    for (let b = 0; b < B; b++) {
      if (!(rng.uniform() < p)) continue;
      const v = signed ? 2 * rng.uniform() - 1 : rng.uniform();
      rows[nz] = b;
      vals[nz++] = v;
      x[b * n + i] = v;
    }
  } else if (p > 0) {
    const logq = Math.log1p(-p);
    for (let b = -1; ; ) {
      b += 1 + Math.floor(Math.log(rng.uniformOpen()) / logq);
      if (b >= B) break;
      const v = signed ? 2 * rng.uniform() - 1 : rng.uniform();
      rows[nz] = b;
      vals[nz++] = v;
      x[b * n + i] = v;
    }
  }
  return nz;
}

export interface Sampler {
  /** Fill `batch` with fresh data (the paper draws new data every step). */
  fill(batch: Batch): void;
}

/**
 * @param probs feature probability p_i = 1 - S_i, length n
 * @param signed values in U[-1,1) instead of U[0,1)
 */
export function makeSampler(n: number, probs: ArrayLike<number>, data: DataConfig, signed: boolean, rng: Rng): Sampler {
  const value = signed ? () => 2 * rng.uniform() - 1 : () => rng.uniform();
  // Features belonging to a set are generated with their set; the rest independently.
  const sets = data.kind === 'independent' ? [] : data.sets;
  // Set members' draws go to per-feature lists first (rows, and values rounded to float32 as put() would),
  // kept across batches: B slots per set a feature is in.
  const inSets = new Int32Array(n);
  for (const set of sets) for (const i of set) inSets[i]++;
  const count = new Int32Array(n);
  const listR: Int32Array[] = [], listV: Float32Array[] = [];
  let listB = -1;
  const push = (i: number, b: number) => {
    const c = count[i]++;
    listR[i][c] = b;
    listV[i][c] = value();
  };

  return {
    fill(batch: Batch) {
      const { B, x, colPtr, rows, vals } = batch;
      x.fill(0);
      if (sets.length > 0 && listB !== B) {
        for (let i = 0; i < n; i++) if (inSets[i]) [listR[i], listV[i]] = [new Int32Array(B * inSets[i]), new Float32Array(B * inSets[i])];
        listB = B;
      }
      count.fill(0);
      for (const set of sets) {
        if (data.kind === 'correlated') {
          // One coin per set (its first feature's probability): members appear together.
          bernoulliRows(rng, B, probs[set[0]], (b) => {
            for (const i of set) push(i, b);
          });
        } else {
          // The set fires with probability Σp and then exactly one member, chosen ∝ p_i.
          let total = 0;
          for (const i of set) total += probs[i];
          bernoulliRows(rng, B, total, (b) => {
            let u = rng.uniform() * total;
            let pick = set[set.length - 1];
            for (const i of set) {
              if (u < probs[i]) {
                pick = i;
                break;
              }
              u -= probs[i];
            }
            push(pick, b);
          });
        }
      }
      let nz = 0;
      const put = (i: number, b: number, v: number) => {
        rows[nz] = b;
        vals[nz] = v;
        x[b * n + i] = v;
        nz++;
      };
      for (let i = 0; i < n; i++) {
        colPtr[i] = nz;
        if (inSets[i]) for (let j = 0, R = listR[i], V = listV[i]; j < count[i]; j++) put(i, R[j], V[j]);
        else if (batch.columns && probs[i] > 0) nz = batch.columns.fill(rng, i, B, n, probs[i], signed, nz);
        else nz = independentColumn(rng, B, n, i, probs[i], signed, x, rows, vals, nz);
      }
      colPtr[n] = nz;
    },
  };
}
