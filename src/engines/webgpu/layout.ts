// Buffer layout of one group of instances and the host-side tables the kernels read: all sizes and
// offsets live here, so the WGSL (wgsl.ts) and the trainer (trainer.ts) agree on them.
import type { DataConfig, InstanceConfig, RunConfig } from '../../types.js';
import { featureProbs, instanceStreams } from '../../instance.js';
import { MODEL_TRAITS, type ModelTraits } from '../../models.js';

/** Threads per workgroup of every kernel. */
export const WG = 64;
/** Bytes per per-step uniform record (the minimum dynamic-offset alignment WebGPU guarantees). */
export const UNIFORM_STRIDE = 256;

export interface Shape {
  traits: ModelTraits;
  /** instances in this group */
  I: number;
  B: number;
  n: number;
  m: number;
  /** floats of one instance's parameters: [W (n·m)][W2 (n·m), untied only][b (n)] */
  S: number;
  /** offset of the decoder rows inside an instance's parameters */
  dOff: number;
  /** offset of the bias inside an instance's parameters */
  bOff: number;
}

export function shapeOf(run: RunConfig, I: number): Shape {
  const { n, m } = run.model;
  const traits = MODEL_TRAITS[run.model.kind];
  const nm = n * m;
  const S = nm * (traits.tied ? 1 : 2) + n;
  return { traits, I, B: run.train.batch, n, m, S, dOff: traits.tied ? 0 : nm, bOff: S - n };
}

/** Feature roles in the generator: independent, member of a correlated set, member of an anticorrelated set. */
const KIND = { independent: 0, correlated: 1, anticorrelated: 2 } as const;

/**
 * TAB (f32), per instance: [importance n][coin probability n][pick interval lo n][pick interval hi n].
 * ITAB (u32): [leader n][kind n][Philox key 2 per instance]. A set's members take the coin of the set's
 * first feature, their leader (and, when anticorrelated, one member pick per sample drawn for the leader).
 */
export function tables(data: DataConfig, namespace: string, insts: InstanceConfig[], n: number): { tab: Float32Array; itab: Uint32Array } {
  const leader = Uint32Array.from({ length: n }, (_, i) => i);
  const kind = new Uint32Array(n);
  const sets = data.kind === 'independent' ? [] : data.sets;
  for (const set of sets) for (const i of set) {
    leader[i] = set[0];
    kind[i] = KIND[data.kind];
  }
  const tab = new Float32Array(insts.length * 4 * n);
  const itab = new Uint32Array(2 * n + 2 * insts.length);
  itab.set(leader, 0);
  itab.set(kind, n);
  insts.forEach((inst, g) => {
    const p = featureProbs(inst, n);
    const o = g * 4 * n;
    for (let i = 0; i < n; i++) {
      tab[o + i] = inst.importance[i];
      tab[o + n + i] = p[i];
      tab[o + 2 * n + i] = -1;
      tab[o + 3 * n + i] = 3e38;
    }
    for (const set of sets) {
      if (data.kind === 'correlated') for (const i of set) tab[o + n + i] = p[set[0]];
      else {
        // The set fires with probability Σp; u ∈ [0, Σp) then picks the member whose interval holds it.
        // Intervals share their f32 endpoints, so they partition [0, Σp) exactly: one member, always.
        const total = set.reduce((a, i) => a + p[i], 0);
        let cum = 0;
        set.forEach((i, j) => {
          tab[o + n + i] = total;
          if (j > 0) tab[o + 2 * n + i] = Math.fround(cum);
          cum += p[i];
          if (j < set.length - 1) tab[o + 3 * n + i] = Math.fround(cum);
        });
      }
    }
    // The Philox key: two words of the instance's data stream (init has its own stream).
    const stream = instanceStreams(namespace, inst.seed).data;
    itab[2 * n + 2 * g] = stream.nextU32() >>> 0;
    itab[2 * n + 2 * g + 1] = stream.nextU32() >>> 0;
  });
  return { tab, itab };
}
