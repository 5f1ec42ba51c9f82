// Monosemantic vs polysemantic neurons (claims C6 and C7). Neuron k's weights over features are
// w_{k,i} = W_{k,i} (our feature-major layout: W[i*m + k]); for the abs model W is the input layer W1.
//
// Rule (stated once, used by both claims): a neuron is
//   - dead when its weight norm sqrt(Σ_i w_{k,i}²) < DEAD_NORM (it reads nothing; excluded from shares);
//   - monosemantic when its largest weight carries ≥ MONO_SHARE of its squared weight norm:
//     max_i w_{k,i}² / Σ_i w_{k,i}² ≥ 0.9. With one other feature this means that feature's weight is
//     at most 1/3 of the dominant one (0.9 = 1/(1 + (1/3)²)), i.e. the neuron's input from a second
//     feature at full value is a third of its own feature's: it still reads essentially one feature;
//   - polysemantic otherwise (several features have comparable weights into it).
// Squared weights of both signs count: for the abs model a neuron reading −x_i is as much "about"
// feature i as one reading +x_i, and for the ReLU-hidden model a negative weight still moves the
// neuron's pre-activation, so it is input the neuron depends on.
import type { Params } from '../types.js';

export const MONO_SHARE = 0.9;
export const DEAD_NORM = 0.1;

export type NeuronKind = 'monosemantic' | 'polysemantic' | 'dead';

export interface NeuronStats {
  /** neuron index k */
  k: number;
  /** weights over features, w_{k,i} */
  weights: number[];
  /** sqrt(Σ_i w_{k,i}²) */
  norm: number;
  /** feature with the largest |w_{k,i}| (−1 for a dead neuron) */
  top: number;
  /** max_i w_{k,i}² / Σ_i w_{k,i}² (0 for a zero neuron) */
  share: number;
  kind: NeuronKind;
}

/** Neuron k's weights over the n features, from a feature-major weight array of n·m entries. */
export function neuronWeights(W: ArrayLike<number>, n: number, m: number, k: number): number[] {
  if (k < 0 || k >= m || !Number.isInteger(k)) throw new RangeError(`neuronWeights: neuron ${k} outside 0..${m - 1}`);
  if (W.length !== n * m) throw new RangeError(`neuronWeights: W has ${W.length} entries, expected n·m = ${n * m}`);
  return Array.from({ length: n }, (_, i) => W[i * m + k]);
}

/** Classifies one neuron from its weights over features, by the rule above. */
export function classifyNeuron(weights: number[], k = 0, mono = MONO_SHARE, dead = DEAD_NORM): NeuronStats {
  let e = 0;
  let top = -1;
  let best = -1;
  weights.forEach((w, i) => {
    e += w * w;
    if (w * w > best) [best, top] = [w * w, i];
  });
  const norm = Math.sqrt(e);
  const share = e > 0 ? best / e : 0;
  const kind: NeuronKind = norm < dead ? 'dead' : share >= mono ? 'monosemantic' : 'polysemantic';
  return { k, weights, norm, top: kind === 'dead' ? -1 : top, share, kind };
}

/** Every neuron of a ReLU-hidden (W) or abs (W1 = W) model. */
export function neurons(p: Params, mono = MONO_SHARE, dead = DEAD_NORM): NeuronStats[] {
  return Array.from({ length: p.m }, (_, k) => classifyNeuron(neuronWeights(p.W, p.n, p.m, k), k, mono, dead));
}

export interface PolysemanticitySummary {
  mono: number;
  poly: number;
  dead: number;
  /** poly / (mono + poly); NaN when every neuron is dead */
  polyShare: number;
  /** features owning at least one monosemantic neuron, ascending */
  owners: number[];
}

export function summarise(ns: NeuronStats[]): PolysemanticitySummary {
  const mono = ns.filter((s) => s.kind === 'monosemantic');
  const poly = ns.filter((s) => s.kind === 'polysemantic').length;
  const dead = ns.length - mono.length - poly;
  return {
    mono: mono.length,
    poly,
    dead,
    polyShare: mono.length + poly > 0 ? poly / (mono.length + poly) : NaN,
    owners: [...new Set(mono.map((s) => s.top))].sort((a, b) => a - b),
  };
}

export const polysemanticity = (p: Params, mono = MONO_SHARE, dead = DEAD_NORM): PolysemanticitySummary => summarise(neurons(p, mono, dead));

/**
 * Top-weight share of the r-th most monosemantic live neuron (r = 1: the most; 0 when fewer than r are live).
 * A continuous form of a neuron count, for checks with a margin: "at most a neurons are monosemantic" holds
 * exactly when shareRank(p, a + 1) < mono, and "the r most monosemantic are all monosemantic" when
 * shareRank(p, r) ≥ mono.
 */
export function shareRank(p: Params, r: number, dead = DEAD_NORM): number {
  if (!Number.isInteger(r) || r < 1) throw new RangeError(`shareRank: rank ${r} must be an integer ≥ 1`);
  const shares = neurons(p, MONO_SHARE, dead).filter((s) => s.kind !== 'dead').map((s) => s.share).sort((a, b) => b - a);
  return shares[r - 1] ?? 0;
}

/**
 * ReLU(x_i) / ReLU(−x_i) pairs (abs model): two monosemantic neurons whose top feature is the same i,
 * one reading +x_i (W1_{k,i} > 0) and one −x_i (W1_{k,i} < 0). Each neuron is used in at most one pair.
 */
export function reluPairs(p: Params, mono = MONO_SHARE, dead = DEAD_NORM): { feature: number; pos: number; neg: number }[] {
  const ns = neurons(p, mono, dead).filter((s) => s.kind === 'monosemantic');
  const pairs: { feature: number; pos: number; neg: number }[] = [];
  const used = new Set<number>();
  for (const a of ns) {
    if (used.has(a.k) || a.weights[a.top] <= 0) continue;
    const b = ns.find((s) => !used.has(s.k) && s.top === a.top && s.weights[s.top] < 0);
    if (!b) continue;
    used.add(a.k);
    used.add(b.k);
    pairs.push({ feature: a.top, pos: a.k, neg: b.k });
  }
  return pairs.sort((x, y) => x.feature - y.feature);
}
