// The flake check's guard against being fooled: a spec whose seed lists ignore TMS_SEED_OFFSET retrains (or
// re-reads from the cache) the same runs under every offset, and K "independent" seed sets would then be one
// seed set counted K times. Each run logs the runs it asked trainRun for (src/run-log.ts); an instance trained
// under two offsets (same namespace, model, data, training and instance config, seed included) did not change.
// Subtler: an instance's random streams (init and data) are drawn from its namespace and seed alone
// (instanceStreams, src/instance.ts), so a seed that reappears under another offset in the same namespace, even
// at another sparsity, replays the same random numbers: those seed sets are not independent either.
import { join } from 'node:path';
import type { RunLine } from '../../src/run-log.js';
import { readJsonLines } from './margin-pool.js';
import { SEED_INDEPENDENT } from './seed-independent.js';

/** The run lines of one seed set's TMS_VERDICTS_DIR (none when the file is missing; a torn line is skipped). */
export const readRuns = (dir: string): RunLine[] =>
  readJsonLines<RunLine>(join(dir, 'runs.jsonl'), (v) => typeof v.namespace === 'string' && typeof v.key === 'string' && Array.isArray(v.seeds) && Array.isArray(v.instances) && v.seeds.length === v.instances.length);

/** A run some of whose instances were trained under more than one offset. */
export interface RepeatedRun {
  namespace: string;
  key: string;
  /** seeds of the repeated instances */
  seeds: number[];
  /** instances of the run that repeated, of all it has */
  repeated: number;
  instances: number;
  /** the offsets under which those instances were trained */
  offsets: number[];
}

/** Instances of one namespace whose (namespace, seed) streams were drawn under more than one offset, though
 *  their configs differ (e.g. a seed formula whose span exceeds the offset step). */
export interface SharedStreams {
  namespace: string;
  seeds: number[];
  offsets: number[];
}

export interface OffsetCheck {
  ok: boolean;
  /** why the spec's bounds are refused, in one line (undefined when ok) */
  reason?: string;
  repeated: RepeatedRun[];
  shared: SharedStreams[];
  /** offsets whose seed set recorded no run though it did not crash */
  empty: number[];
  /** declared seed-independent runs that were left out of the check: namespace → reason */
  exempt: Record<string, string>;
}

const list = (xs: number[], most = 6) => (xs.length > most ? `${xs.slice(0, most).join(', ')}, …` : xs.join(', '));

/**
 * Checks that the runs changed with the offset: no instance outside a declared seed-independent namespace
 * was trained under two offsets, and every seed set that ran without a suite error trained something (a spec
 * that trains nothing gives nothing to check). Needs two seed sets that trained.
 */
export function checkSeedOffsets(
  sets: { offset: number; runs: RunLine[]; crashed?: boolean }[],
  seedIndependent: Readonly<Record<string, string>> = SEED_INDEPENDENT,
): OffsetCheck {
  const exempt: Record<string, string> = {};
  const where = new Map<string, Set<number>>(); // instance id → offsets
  for (const { offset, runs } of sets) {
    for (const r of runs) {
      if (r.namespace in seedIndependent) {
        exempt[r.namespace] = seedIndependent[r.namespace];
        continue;
      }
      for (const id of r.instances) (where.get(id) ?? where.set(id, new Set()).get(id)!).add(offset);
    }
  }
  const repeated = new Map<string, RepeatedRun>();
  for (const { runs } of sets) {
    for (const r of runs) {
      if (r.namespace in seedIndependent) continue;
      const again = r.instances.map((id, i) => ({ id, i, offsets: where.get(id)! })).filter((x) => x.offsets.size > 1);
      // One entry per run and set of repeated instances (a partly shifted run has another key per offset).
      const which = `${r.namespace}\u0000${again.map((x) => x.id).join(',')}`;
      if (!again.length || repeated.has(which)) continue;
      repeated.set(which, {
        namespace: r.namespace,
        key: r.key,
        seeds: again.map((x) => r.seeds[x.i]),
        repeated: again.length,
        instances: r.instances.length,
        offsets: [...new Set(again.flatMap((x) => [...x.offsets]))].sort((a, b) => a - b),
      });
    }
  }
  const streams = new Map<string, { namespace: string; seed: number; offsets: Set<number> }>();
  for (const { offset, runs } of sets) {
    for (const r of runs) {
      if (r.namespace in seedIndependent) continue;
      for (const seed of r.seeds) {
        const k = `${r.namespace}\u0000${seed}`;
        (streams.get(k) ?? streams.set(k, { namespace: r.namespace, seed, offsets: new Set() }).get(k)!).offsets.add(offset);
      }
    }
  }
  const repeatedSeeds = new Set([...repeated.values()].flatMap((r) => r.seeds.map((seed) => `${r.namespace}\u0000${seed}`)));
  const shared = new Map<string, SharedStreams>();
  for (const [k, x] of streams) {
    if (x.offsets.size < 2 || repeatedSeeds.has(k)) continue; // an exact repeat is reported as such
    const e = shared.get(x.namespace) ?? { namespace: x.namespace, seeds: [], offsets: [] };
    e.seeds.push(x.seed);
    e.offsets = [...new Set([...e.offsets, ...x.offsets])].sort((a, b) => a - b);
    shared.set(x.namespace, e);
  }
  for (const e of shared.values()) e.seeds.sort((a, b) => a - b);
  const empty = sets.filter((s) => !s.runs.length && !s.crashed).map((s) => s.offset);
  const trained = sets.filter((s) => s.runs.length).length;
  const out: OffsetCheck = { ok: true, repeated: [...repeated.values()], shared: [...shared.values()], empty, exempt };
  if (out.repeated.length) {
    const runs = out.repeated.map((r) => `${r.namespace} (key ${r.key}: ${r.repeated} of ${r.instances} instances, seeds ${list(r.seeds)}, at offsets ${list(r.offsets)})`);
    out.reason = `its runs did not change with TMS_SEED_OFFSET, so its seed sets are not independent: ${runs.join('; ')}`;
  } else if (out.shared.length) {
    const xs = out.shared.map((x) => `${x.namespace} (${x.seeds.length} seeds: ${list(x.seeds)}, at offsets ${list(x.offsets)})`);
    out.reason = `its seeds overlap between TMS_SEED_OFFSETs (same namespace and seed = the same random streams, whatever the config), so its seed sets are not independent: ${xs.join('; ')}`;
  } else if (empty.length) {
    out.reason = `it trained no run under TMS_SEED_OFFSET = ${list(empty)}, so that its runs change with the offset cannot be checked`;
  } else if (trained < 2) {
    out.reason = `only ${trained} seed set trained runs; checking that the runs change with TMS_SEED_OFFSET needs two (--k 2 or more)`;
  }
  out.ok = !out.reason;
  return out;
}

/** The one-line refusal the flake check prints for a spec that fails the check. */
export const refusal = (spec: string, check: OffsetCheck): string =>
  `flake: refusing to bound ${spec}: ${check.reason}. Derive its seeds with seedList/shiftedSeed (src/claims/seeds.ts), or declare a truly seed-independent run in scripts/lib/seed-independent.ts.`;
