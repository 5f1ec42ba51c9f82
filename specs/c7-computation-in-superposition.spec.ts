// C7 — Computation in superposition. Absolute-value model: h = ReLU(W1 x),
// y' = ReLU(W2 h + b), x_i ~ U[−1, 1) present with probability p, target |x|. Both tiers: the paper's n = 100,
// m = 40, with its 10,000 steps, batch 1024, lr 1e-3, p ∈ {1, .3, .1, .03, .01, .003, .001}, all importances 1
// (c7.ts says why not 0.8^i). Every seed counted, no best-of-N.
// Paper: dense → monosemantic neurons, often in pairs computing ReLU(x_i) and ReLU(−x_i); sparse → the
// model computes |x| for more features than it has neurons, with polysemantic neurons.
// Neurons are classified on W1 (src/metrics/polysemanticity.ts: monosemantic when the largest weight
// carries ≥ 90% of Σ_i W1_{k,i}²). "Computed" is measured on fresh data per feature (absErrors): the
// error of output i on each side of x_i, relative to E[x_i²]; a side ReLU(±x_i) is computed when that
// error is ≤ 0.1, |x_i| when both sides are.
// What we find for the sparse regime differs from the paper's statement: see C7.4 (the shortfall, and that
// it is decided at initialisation) and C7.5 (an intervention on the initialisation that tests this).
import { expect } from 'vitest';
import { defineClaim, PAPER_URL, type FigureOut } from '../src/claims/define.js';
import { seedTally, verdict } from '../src/claims/matchers.js';
import { aliveAtInit, C7, COMPUTED_MAX, computation, SPARSE_P, type Computation } from '../src/claims/c7.js';
import { tier } from '../src/tier.js';
import type { TrainedInstance, TrainedRun } from '../src/types.js';
import { MONO_SHARE, polysemanticity, reluPairs } from '../src/metrics/polysemanticity.js';
import { mean } from '../src/stats/summary.js';
import { weightHeatmap } from '../src/figures/weight-heatmap.js';

/** C7.5: pooled over the sparse models, the alive-halves twins compute at least this many times as many
 *  half-functions (measured: 1.43–1.55× over 6 seeds' 18 sparse models) */
const HALVES_GAIN_MIN = 1.2;
/** C7.5: mean over the sparse models of final loss (alive-halves) / final loss (paper init) at most this
 *  (measured: 0.68–0.73); per seed, the twin must not be worse by > 1% */
const LOSS_RATIO_MAX = 0.9;
/** dense: at least this share of the neurons sits in ReLU(x)/ReLU(−x) pairs, over all seeds' neurons */
const PAIRED_MIN = 0.5;
/** dense, over all seeds: at most this share of the live neurons polysemantic; at least this share of the paired
 *  features with |x_i| computed, and of the features with |x_i| computed that own a pair (measured: 0 of 120 neurons,
 *  every paired feature, every computed feature, in each of 20 seed sets) */
const DENSE_POLY_MAX = 0.05;
const PAIRS_COMPUTED_MIN = 0.9;
/** sparse: at least this share of the live neurons is polysemantic, for every seed */
const SPARSE_POLY_MIN = 0.9;
/** C7.4: the halves computed after training agree with the halves alive at initialisation this often,
 *  per seed and pooled (chance, if the two were unrelated, is ≈ 0.5; it is recorded alongside). Pooled
 *  0.86–0.89 over 6 seeds at n = 100 (0.85 was set at n = 20; why: docs/design/c7.md) */
const LOTTERY_MIN = 0.75;
const LOTTERY_POOLED_MIN = 0.8;

defineClaim({
  id: 'C7',
  title: `absolute value, n=${C7.n}, m=${C7.m} (${C7.seeds.length} seeds${C7.sparseSeeds.length ? `, ${C7.seeds.length + C7.sparseSeeds.length} at p ≤ ${SPARSE_P[0]}` : ''}; monosemantic = top weight ≥ ${MONO_SHARE * 100}% of Σw²; computed = relative error ≤ ${COMPUTED_MAX})`,
  spec: import.meta.url,
  paper: {
    statement: 'Dense: monosemantic neurons, often in pairs computing ReLU(x_i) and ReLU(−x_i). Sparse: the model computes |x| for more ' +
      'features than it has neurons, with polysemantic neurons.',
    section: `${PAPER_URL}#computation`,
    settings: 'Absolute-value model h = ReLU(W1 x), y\' = ReLU(W2 h + b), target |x|, x_i ~ U[−1, 1]; n = 100 features, m = 40 neurons, ' +
      'S swept from dense to about 0.999 (one reference: importance 0.8^i, p ∈ {1, .3, .1, .03, .01, .003, .001}).',
  },
  run: () => ({ sweep: C7.run(), sparse: C7.sparseRun(), alive: C7.runAliveHalves() }),
  prepare: ({ sweep, sparse, alive }) => {
    /** the main sweep and the extra sparse seeds (C7.sparseSeeds) */
    const models: TrainedInstance[] = [...sweep.instances, ...(sparse?.instances ?? [])];
    const comp = new Map<TrainedInstance, Computation>();
    for (const t of [...models, ...alive.instances]) comp.set(t, computation(t));
    const atP = (r: TrainedRun, p: number) => r.instances.filter((t) => Math.abs(1 - (t.config.sparsity as number) - p) < 1e-12);
    const at = (p: number) => models.filter((t) => Math.abs(1 - (t.config.sparsity as number) - p) < 1e-12);
    /** alive: C7.5's sparse models again, from the same draws with W2 ← |W2| */
    return { run: sweep, models, alive, comp, atP, at };
  },
  checks: [
    {
      id: 'C7.1',
      title: `dense (p = 1): neurons monosemantic (≤ ${DENSE_POLY_MAX * 100}% polysemantic), ReLU(x_i)/ReLU(−x_i) pairs computing |x_i| (≥ ${PAIRS_COMPUTED_MIN * 100}% of them) and |x_i| computed only by such a pair (≥ ${PAIRS_COMPUTED_MIN * 100}% of those features: no superposition), ≥ ${PAIRED_MIN * 100}% of the neurons in pairs (over all seeds)`,
      check: ({ comp, at }, record) => {
        const rows = at(1).map((t) => ({ t, s: polysemanticity(t.params), pairs: reluPairs(t.params), c: comp.get(t)! }));
        const verdicts = rows.map(({ t, s, pairs, c }) => {
          const pairedComputed = pairs.every((q) => c.full.includes(q.feature));
          const ownsPair = c.full.every((i) => pairs.some((q) => q.feature === i));
          const ok = s.poly === 0 && pairedComputed && ownsPair;
          return verdict(t.config.seed, ok, `${s.mono} mono, ${s.poly} poly, ${s.dead} dead; ${pairs.length} pairs (features ${pairs.map((q) => q.feature).join(',')}); |x| computed for [${c.full}]`);
        });
        // "often in pairs" is about the population: the share over all the seeds' neurons (docs/design/c7.md)
        const paired = (2 * rows.reduce((a, r) => a + r.pairs.length, 0)) / (C7.m * rows.length);
        record({
          what: 'dense: neurons, ReLU(x)/ReLU(−x) pairs and features with |x| computed, per seed',
          value: verdicts.map((v) => v.detail),
          paper: 'dense: monosemantic neurons, often in pairs computing ReLU(x_i) and ReLU(−x_i)',
          tolerance: `a seed's verdict (the failure message): no polysemantic neuron; every paired feature's |x| computed; every feature with |x| computed owns a pair (no superposition)`,
        });
        record({ what: 'dense: share of all seeds\' neurons in ReLU(x)/ReLU(−x) pairs', value: paired, tolerance: `≥ ${PAIRED_MIN}` });
        // Pooled over the seeds' neurons, pairs and computed features: three seeds are too few for a count of passing
        // seeds to bound a false fail, and |x| for ≤ m/2 features is a capacity ceiling the dense models come within
        // about 2 features of, so no superposition is asked as each computed |x_i| owning its pair (why: docs/design/c7.md)
        const polyShare = rows.reduce((a, r) => a + r.s.poly, 0) / rows.reduce((a, r) => a + r.s.mono + r.s.poly, 0);
        const pairsComputed = mean(rows.flatMap((r) => r.pairs.map((q) => (r.c.full.includes(q.feature) ? 1 : 0))));
        const computedPaired = mean(rows.flatMap((r) => r.c.full.map((i) => (r.pairs.some((q) => q.feature === i) ? 1 : 0))));
        record({ what: 'dense, over all seeds: polysemantic share of the live neurons; share of the paired features with |x| computed; share of the features with |x| computed that own a pair', value: [polyShare, pairsComputed, computedPaired], tolerance: `≤ ${DENSE_POLY_MAX}; ≥ ${PAIRS_COMPUTED_MIN}; ≥ ${PAIRS_COMPUTED_MIN}` });
        const tally = seedTally(verdicts, 'the pooled shares');
        expect(polyShare, tally).toBeAtMost(DENSE_POLY_MAX);
        expect(pairsComputed, tally).toBeAtLeast(PAIRS_COMPUTED_MIN);
        expect(computedPaired, tally).toBeAtLeast(PAIRS_COMPUTED_MIN);
        expect(paired).toBeAtLeast(PAIRED_MIN);
      },
    },
    {
      id: 'C7.2',
      title: `sparse (p ≤ 0.01): neurons polysemantic (≥ ${SPARSE_POLY_MIN * 100}%), and the model computes ReLU(±x_i) for more features than it has neurons`,
      check: ({ comp, at }, record) => {
        const rows = SPARSE_P.flatMap((p) => at(p).map((t) => ({ p, t, s: polysemanticity(t.params), c: comp.get(t)! })));
        record({
          what: 'sparse: per (p, seed) [p, seed, polysemantic share, features with ReLU(x_i) or ReLU(−x_i) computed, half-functions computed, features with |x_i| computed]',
          value: rows.map(({ p, t, s, c }) => [p, t.config.seed, +s.polyShare.toFixed(2), c.some.length, c.halves, c.full.length]),
          paper: `sparse: computes |x| for more features than it has neurons (m = ${C7.m}), with polysemantic neurons`,
          tolerance: `polysemantic share ≥ ${SPARSE_POLY_MIN}; features with a computed half > m = ${C7.m}`,
        });
        const verdicts = rows.map(({ p, t, s, c }) => verdict(t.config.seed, s.polyShare >= SPARSE_POLY_MIN && c.some.length > C7.m,
          `p=${p}: ${s.poly} poly / ${s.mono} mono; ${c.some.length} features with a computed half (m = ${C7.m}), ${c.halves} halves, ${c.full.length} full |x|`));
        expect(verdicts).toHoldForMostSeeds();
      },
    },
    {
      id: 'C7.3',
      title: 'the polysemantic share of neurons rises with sparsity, from the monosemantic dense models of C7.1',
      check: ({ at }, record) => {
        const shares = C7.densities.map((p) => at(p).map((t) => polysemanticity(t.params).polyShare));
        const means = shares.map(mean);
        record({
          what: 'polysemantic share of live neurons per p (per seed)',
          value: Object.fromEntries(C7.densities.map((p, k) => [p, shares[k].map((v) => +v.toFixed(2))])),
          paper: 'monosemantic when dense, polysemantic when sparse',
          tolerance: 'seed mean ≥ 0.9 at p = 0.001, never dropping by more than 0.2 as p falls (p = 1: C7.1, per seed)',
        });
        // The dense end is C7.1's per-seed verdict; asking the mean over all 24 dense seeds to be exactly 0 failed
        // whenever one seed kept a polysemantic neuron (docs/design/c7.md)
        expect(means.at(-1)!).toBeAtLeast(0.9);
        for (let k = 1; k < means.length; k++) expect(means[k], `mean share at p=${C7.densities[k]}`).toBeAtLeast(means[k - 1] - 0.2);
      },
    },
    {
      id: 'C7.4',
      title: `deviation from the paper: sparse models compute |x_i| for FEWER features than neurons; which halves ReLU(±x_i) they compute is fixed at initialisation`,
      check: ({ run, alive, comp, at }, record) => {
        const rows = SPARSE_P.flatMap((p) => at(p).map((t) => {
          const c = comp.get(t)!;
          const alive = aliveAtInit(run.config.namespace, t.config.seed, C7.n, C7.m);
          const done = [...c.errors.pos, ...c.errors.neg].map((e) => e <= COMPUTED_MAX);
          const live = [...alive.pos, ...alive.neg];
          const agreement = mean(done.map((d, j) => (d === live[j] ? 1 : 0)));
          // agreement expected if computed and alive-at-init were independent
          const [a, b] = [mean(done.map(Number)), mean(live.map(Number))];
          return { p, seed: t.config.seed, full: c.full.length, agreement, chance: a * b + (1 - a) * (1 - b) };
        }));
        record({
          what: 'sparse: features with |x_i| computed (both halves), per (p, seed)',
          value: rows.map((r) => [r.p, r.seed, r.full]),
          paper: `computes |x| for more features than it has neurons (m = ${C7.m}) — NOT reproduced`,
          tolerance: `< m = ${C7.m} (asserted, to flag if this changes)`,
        });
        record({
          what: 'sparse: share of the 2n half-functions whose computed / not-computed state matches "alive at init" (W2_i · ReLU(±W1_i) > 0), and the share expected by chance, per (p, seed)',
          value: rows.map((r) => [r.p, r.seed, +r.agreement.toFixed(3), +r.chance.toFixed(3)]),
          paper: '(not in the paper) explanation: a half whose output ReLU is dead for its own feature at init gets no gradient when features are sparse',
          tolerance: `≥ ${LOTTERY_MIN} per seed, ≥ ${LOTTERY_POOLED_MIN} pooled`,
        });
        const verdicts = rows.map((r) => verdict(r.seed, r.full < C7.m && r.agreement >= LOTTERY_MIN, `p=${r.p}: |x| computed for ${r.full} features, init agreement ${r.agreement.toFixed(2)}`));
        expect(verdicts).toHoldForMostSeeds();
        expect(mean(rows.map((r) => r.agreement))).toBeAtLeast(LOTTERY_POOLED_MIN);
      },
    },
    {
      id: 'C7.5',
      title: `the shortfall is an optimisation trap set at initialisation: from the same draws with every half alive (W2 ← |W2|), sparse models reach a lower loss (mean ratio ≤ ${LOSS_RATIO_MAX}) and compute ≥ ${HALVES_GAIN_MIN}× as many half-functions`,
      check: ({ alive, comp, atP, at }, record) => {
        const rows = SPARSE_P.flatMap((p) => at(p).map((t) => {
          const twin = atP(alive, p).find((a) => a.config.seed === t.config.seed)!;
          const [c, ca] = [comp.get(t)!, comp.get(twin)!];
          return { p, seed: t.config.seed, loss: t.finalLoss, lossAlive: twin.finalLoss, halves: c.halves, halvesAlive: ca.halves, full: c.full.length, fullAlive: ca.full.length };
        }));
        const gain = rows.reduce((s, r) => s + r.halvesAlive, 0) / rows.reduce((s, r) => s + r.halves, 0);
        const lossRatio = mean(rows.map((r) => r.lossAlive / r.loss));
        record({
          what: 'sparse, per (p, seed): [p, seed, final loss paper init, final loss alive-halves init, half-functions computed (paper, alive), features with |x| computed (paper, alive)]',
          value: rows.map((r) => [r.p, r.seed, +r.loss.toExponential(3), +r.lossAlive.toExponential(3), r.halves, r.halvesAlive, r.full, r.fullAlive]),
          paper: `(not in the paper) tests C7.4's explanation; with every half alive the model still computes |x| for ${Math.min(...rows.map((r) => r.fullAlive))}–${Math.max(...rows.map((r) => r.fullAlive))} features (m = ${C7.m}): about 40% of the halves die during training`,
          tolerance: `per seed over its sparse models (most seeds): no fewer halves in total, no loss higher by > 1%; pooled: halves gain ≥ ${HALVES_GAIN_MIN}, mean loss ratio ≤ ${LOSS_RATIO_MAX}`,
        });
        record({ what: 'pooled: half-functions computed, alive-halves / paper init; mean final-loss ratio', value: [gain, lossRatio] });
        // Per seed over its sparse models: a seed's init is the same at every density, so seeds are the trials (docs/design/c7.md)
        const seeds = [...new Set(rows.map((r) => r.seed))];
        const verdicts = seeds.map((seed) => {
          const mine = rows.filter((r) => r.seed === seed);
          const [halves, halvesAlive] = [mine.reduce((a, r) => a + r.halves, 0), mine.reduce((a, r) => a + r.halvesAlive, 0)];
          return verdict(seed, halvesAlive >= halves && mine.every((r) => r.lossAlive <= 1.01 * r.loss), mine.map((r) => `p=${r.p}: loss ${r.loss.toExponential(2)} → ${r.lossAlive.toExponential(2)}, halves ${r.halves} → ${r.halvesAlive}, full |x| ${r.full} → ${r.fullAlive}`).join('; '));
        });
        expect(verdicts).toHoldForMostSeeds();
        expect(gain).toBeAtLeast(HALVES_GAIN_MIN);
        expect(lossRatio).toBeAtMost(LOSS_RATIO_MAX);
      },
    },
  ],
  figure: {
    title: 'W1 (neurons × features) per feature probability (seed 1) matches the golden figure',
    draw: ({ run, at }) => {
      const outs: FigureOut[] = [];
      const seed = C7.seeds[0];
      const panels = C7.densities.map((p) => {
        const t = at(p).find((x) => x.config.seed === seed)!;
        const s = polysemanticity(t.params);
        return { label: `p = ${p}: ${s.mono} mono / ${s.poly} poly`, W: t.params.W, n: C7.n, m: C7.m };
      });
      const png = (weightHeatmap(panels, `C7: abs model W1, n=${C7.n}, m=${C7.m} (seed ${seed}; rows = neurons sorted by their top feature)`));
      outs.push({ spec: png, golden: 'C7', meta: { engine: run.engine, seed, densities: C7.densities } });
      return outs;
    },
  },
});
