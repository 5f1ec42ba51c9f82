// Pairing the instances of two runs that share seeds and sparsities (e.g. a model and its intervention
// twin, or linear vs ReLU at the same point), by (seed, sparsity) rather than by position.
import type { TrainedInstance } from '../types.js';

const keyOf = (t: TrainedInstance) => `seed ${t.config.seed}, S = ${JSON.stringify(t.config.sparsity)}`;

/** One [a, b] pair per instance of `a`, in a's order; throws naming a (seed, sparsity) that is missing from b or repeated. */
export function pairBySeedSparsity(a: TrainedInstance[], b: TrainedInstance[]): [TrainedInstance, TrainedInstance][] {
  const byKey = new Map<string, TrainedInstance>();
  for (const t of b) {
    const k = keyOf(t);
    if (byKey.has(k)) throw new Error(`pairBySeedSparsity: ${k} appears twice in the second list`);
    byKey.set(k, t);
  }
  const seen = new Set<string>();
  return a.map((t) => {
    const k = keyOf(t);
    if (seen.has(k)) throw new Error(`pairBySeedSparsity: ${k} appears twice in the first list`);
    seen.add(k);
    const u = byKey.get(k);
    if (!u) throw new Error(`pairBySeedSparsity: ${k} has no partner in the second list`);
    return [t, u];
  });
}
