// C6 — Privileged basis. ReLU-hidden model, n = 10 features, m = 5 neurons, importance
// 0.7^i, S from 0 to 0.99 (0.997 in the paper tier), the paper's training settings (10,000 steps, batch
// 1024) in both tiers, except that the default tier trains the dense S ∈ {0, 0.5} 20,000 steps (C6.denseSteps);
// the default tier has fewer seeds (12 instead of 20; 24 at the dense S, where C6.1 pools them) and drops S = 0.997.
// Paper: neurons are monosemantic in the dense regime and polysemantic in the sparse regime; more
// important features are more likely to get a monosemantic neuron.
// A neuron is monosemantic when its largest weight carries ≥ 90% of its squared weights over features
// (src/metrics/polysemanticity.ts states and justifies the rule). Claims are checked two ways: on the
// best of N seeds per sparsity (lowest loss on a held-out sample; N = every seed at that S — the paper
// shows the best of 1000), and pooled over all N seeds (every seed counted).
import { expect } from 'vitest';
import { defineClaim, PAPER_URL, type FigureOut } from '../src/claims/define.js';
import { verdict } from '../src/claims/matchers.js';
import { C6, ownershipPairs } from '../src/claims/c6.js';
import { tier } from '../src/tier.js';
import type { Params, TrainedInstance } from '../src/types.js';
import { heldOutLoss } from '../src/metrics/evaluate.js';
import { MONO_SHARE, neurons, polysemanticity, shareRank } from '../src/metrics/polysemanticity.js';
import { mean, median } from '../src/stats/summary.js';
import { kendallTrend } from '../src/stats/trend.js';
import { neuronBars } from '../src/figures/neuron-bars.js';

const HELD_OUT_SAMPLES = 32_768;
/** Dense regime: the best of N (lowest held-out loss, as the paper's best-of-1000) is fully monosemantic,
 *  and over all seeds at least this share of neurons is. Single seeds can fall short: at S = 0 the model
 *  aligns its features with the neurons slowly (rotated weights cost only ~2% of the loss), and after
 *  10,000 steps 2 of 10 seeds still had 3 mixed neurons (with 20,000 steps a 4-seed pilot had none). */
const DENSE_POOLED_MIN = 0.85;
/** Sparse regime; S = 0.9 is still in the transition for some seeds (3 monosemantic neurons left). */
const SPARSE_FROM = 0.97;
/** sparse regime: pooled over seeds and S ≥ SPARSE_FROM, at least this share of live neurons is polysemantic */
const SPARSE_POOLED_MIN = 0.9;
/** sparse regime: the best of N has at most one monosemantic neuron of 5 (why: docs/design/c6.md) */
const SPARSE_BEST_MIN = 0.8;
/** ...asked of the best of N from this S on; S = 0.97 stays recorded (why: docs/design/c6.md) */
const SPARSE_BEST_FROM = 0.99;
/** ...of the SPARSE_BEST_K lowest-loss models, at least a majority of them: one best-of-N model alone left the
 *  check at a modelled 2.7% (why: docs/design/c6.md) */
const SPARSE_BEST_K = 3;
/** importance → monosemantic neuron: a Kendall trend over (model with S > 0, feature), one-sided p < 0.001 (why: docs/design/c6.md) */
const TREND_Z_MIN = 3.09;

defineClaim({
  id: 'C6',
  title: `privileged basis, ReLU hidden, n=${C6.n}, m=${C6.m}, importance ${C6.decay}^i (${C6.seeds.length} seeds${C6.denseSeeds.length ? `, ${C6.seeds.length + C6.denseSeeds.length} at S ∈ {${C6.dense}}` : ''}, monosemantic = top weight ≥ ${MONO_SHARE * 100}% of Σw²)`,
  spec: import.meta.url,
  paper: {
    statement: 'With a ReLU on the hidden layer (a privileged basis), neurons are monosemantic in the dense regime and polysemantic in the ' +
      'sparse regime; more important features are more likely to get a monosemantic neuron.',
    section: `${PAPER_URL}#privileged-basis`,
    settings: 'ReLU hidden model, n = 10 features, m = 5 neurons, importance 0.75^i, the best of 1,000 models per sparsity.',
  },
  run: () => ({ sweep: C6.run(), dense: C6.denseRun() }),
  prepare: ({ sweep, dense }) => {
    /** the sweep and the extra dense-regime seeds (C6.denseSeeds) */
    const models: TrainedInstance[] = [...sweep.instances, ...dense.instances];
    const at = (S: number) => models.filter((t) => t.config.sparsity === S);
    /** held-out loss of every instance, on samples shared by the instances of one S (common random numbers) */
    const heldOut = new Map<TrainedInstance, number>();
    for (const t of models) heldOut.set(t, heldOutLoss(t.params, t.config, sweep.config.data, HELD_OUT_SAMPLES, `C6/held-out/S=${t.config.sparsity}`));
    /** the k lowest held-out losses at sparsity S, lowest first (ties in seed order) */
    const bestK = (S: number, k: number): TrainedInstance[] => at(S).map((t, j) => ({ t, j })).sort((a, b) => heldOut.get(a.t)! - heldOut.get(b.t)! || a.j - b.j).slice(0, k).map(({ t }) => t);
    /** the paper's best of N: the seed with the lowest held-out loss at sparsity S */
    const best = (S: number): TrainedInstance => bestK(S, 1)[0];
    return { run: sweep, models, at, best, bestK, heldOut };
  },
  checks: [
    {
      id: 'C6.1',
      title: `dense (S ∈ {0, 0.5}): the best of N has one monosemantic neuron per top-5 feature; pooled over seeds ≥ ${DENSE_POOLED_MIN * 100}% of neurons are monosemantic`,
      check: ({ models, at, best }, record) => {
        const dense = C6.dense.flatMap((S) => at(S).map((t) => ({ S, t, s: polysemanticity(t.params) })));
        const pooled = dense.reduce((a, { s }) => a + s.mono, 0) / (dense.length * C6.m);
        const bests = C6.dense.map((S) => {
          const t = best(S);
          return { S, p: t.params, s: polysemanticity(t.params), seed: t.config.seed, of: at(S).length };
        });
        record({
          what: 'dense models, per seed: monosemantic neurons and the features owning them',
          value: dense.map(({ S, t, s }) => `S=${S} seed ${t.config.seed}: ${s.mono} mono, ${s.poly} poly; owners [${s.owners}]; top-weight shares ${neurons(t.params).map((x) => x.share.toFixed(2)).join(' ')}`),
          paper: 'monosemantic neurons in the dense regime',
        });
        record({ what: `dense models (${dense.length}): share of monosemantic neurons, pooled over seeds`, value: +pooled.toFixed(3), tolerance: `≥ ${DENSE_POOLED_MIN}` });
        record({ what: 'best of N (held-out loss) per dense S: monosemantic neurons, owners, weakest neuron\'s top-weight share', value: bests.map((b) => `S=${b.S} (best of ${b.of}: seed ${b.seed}): ${b.s.mono} mono, owners [${b.s.owners}], weakest share ${shareRank(b.p, C6.m).toFixed(3)}`), tolerance: `all 5 monosemantic (weakest share ≥ ${MONO_SHARE}), owners = features 0–4` });
        // Some seed reached it at each dense S (the best-of-N risk: all N seeds short of it)
        for (const S of C6.dense) {
          expect(at(S).map((t) => {
            const s = polysemanticity(t.params);
            return verdict(t.config.seed, shareRank(t.params, C6.m) >= MONO_SHARE && new Set(s.owners).size >= 5 && Math.max(...s.owners) <= 4, `S=${S}: ${s.mono} mono, owners [${s.owners}]`);
          })).toHoldForSeeds(1);
        }
        for (const b of bests) {
          // all m neurons monosemantic, as a share with a margin: the least monosemantic neuron's top-weight share
          expect(shareRank(b.p, C6.m), `best of N at S=${b.S}: ${b.s.mono} of ${C6.m} neurons monosemantic`).toBeAtLeast(MONO_SHARE);
          // owners = features 0–4: five distinct owners, none beyond feature 4
          expect(new Set(b.s.owners).size, `owners [${b.s.owners}] at S=${b.S}`).toBeAtLeast(5);
          expect(Math.max(...b.s.owners), `owners [${b.s.owners}] at S=${b.S}`).toBeAtMost(4);
        }
        expect(pooled).toBeAtLeast(DENSE_POOLED_MIN);
      },
    },
    {
      id: 'C6.2',
      title: `sparse: ≥ ${SPARSE_POOLED_MIN * 100}% of neurons polysemantic pooled over seeds (S ≥ ${SPARSE_FROM}), ≥ ${SPARSE_BEST_MIN * 100}% in most of the ${SPARSE_BEST_K} best of N (S ≥ ${SPARSE_BEST_FROM}); the share grows with S`,
      check: ({ at, best, bestK }, record) => {
        const shares = C6.sparsities.map((S) => at(S).map((t) => polysemanticity(t.params).polyShare));
        const means = shares.map(mean);
        const sparse = C6.sparsities.filter((S) => S >= SPARSE_FROM);
        const pooled = mean(sparse.flatMap((S) => shares[C6.sparsities.indexOf(S)]));
        const densePooled = mean(C6.dense.flatMap((S) => shares[C6.sparsities.indexOf(S)]));
        const bests = C6.sparsities.map((S) => {
          const p = best(S).params;
          return { S, p, ...polysemanticity(p) };
        });
        record({
          what: 'polysemantic share of live neurons per S (per seed)',
          value: Object.fromEntries(C6.sparsities.map((S, k) => [S, shares[k].map((v) => +v.toFixed(2))])),
          paper: 'polysemantic neurons in the sparse regime',
          tolerance: `pooled ≥ ${SPARSE_POOLED_MIN} at S ≥ ${SPARSE_FROM}; rises with S: Kendall trend over every (S, seed) model, z ≥ ${TREND_Z_MIN}`,
        });
        record({ what: 'pooled polysemantic share: sparse (S ≥ SPARSE_FROM), dense (S ∈ {0, 0.5})', value: [+pooled.toFixed(3), +densePooled.toFixed(3)] });
        // "≥ 80% of the live neurons polysemantic" = "at most a = live − ⌈0.8·live⌉ monosemantic", checked as the … (why: docs/design/c6.md)
        const allowed = (b: { mono: number; poly: number }) => b.mono + b.poly - Math.ceil(SPARSE_BEST_MIN * (b.mono + b.poly));
        /** top-weight share of a model's most monosemantic neuron beyond those allowed: < MONO_SHARE ⇔ ≥ 80% polysemantic */
        const beyond = (p: Params) => shareRank(p, allowed(polysemanticity(p)) + 1);
        record({
          what: 'best of N (held-out loss) per S: polysemantic share; top-weight share of the most monosemantic neuron beyond those allowed',
          value: bests.map((b) => [b.S, +b.polyShare.toFixed(2), +shareRank(b.p, allowed(b) + 1).toFixed(3)]),
        });
        const tops = C6.sparsities.filter((x) => x >= SPARSE_BEST_FROM).map((S) => ({ S, shares: bestK(S, SPARSE_BEST_K).map((t) => beyond(t.params)) }));
        record({
          what: `the ${SPARSE_BEST_K} best of N (held-out loss, lowest first) per S ≥ ${SPARSE_BEST_FROM}: that neuron's top-weight share`,
          value: tops.map((x) => [x.S, x.shares.map((v) => +v.toFixed(3))]),
          tolerance: `polysemantic share ≥ ${SPARSE_BEST_MIN} in most of them (the median share < ${MONO_SHARE})`,
        });
        // Enough seeds reached it at each S ≥ SPARSE_BEST_FROM (the best-of-N risk: fewer than a majority of the k best could)
        for (const S of C6.sparsities.filter((x) => x >= SPARSE_BEST_FROM)) {
          expect(at(S).map((t) => {
            const s = polysemanticity(t.params);
            return verdict(t.config.seed, s.poly >= Math.ceil(SPARSE_BEST_MIN * (s.mono + s.poly)), `S=${S}: ${s.poly} of ${s.mono + s.poly} live neurons polysemantic`);
          })).toHoldForSeeds(Math.ceil((SPARSE_BEST_K + 1) / 2));
        }
        for (const { S, shares } of tops) {
          expect(median(shares), `the ${SPARSE_BEST_K} best of N at S=${S}: shares ${shares.map((v) => v.toFixed(3)).join(', ')} of the neuron beyond the allowed monosemantic one`).toBeBelow(MONO_SHARE);
        }
        expect(pooled).toBeAtLeast(SPARSE_POOLED_MIN);
        // Grows with S, as a trend (why: docs/design/c6.md)
        const growth = kendallTrend(C6.sparsities.flatMap((S, k) => shares[k].map(() => S)), shares.flat());
        record({ what: 'trend of the polysemantic share with S over every (S, seed) model: Kendall τ, z', value: [+growth.tau.toFixed(3), +growth.z.toFixed(2)], tolerance: `z ≥ ${TREND_Z_MIN}` });
        expect(growth.z).toBeAtLeast(TREND_Z_MIN);
        record({ what: 'seed-mean polysemantic share per S', value: means.map((v) => +v.toFixed(2)) });
      },
    },
    {
      id: 'C6.3',
      title: `more important features are likelier to own a monosemantic neuron (trend over S > 0 models, z ≥ ${TREND_Z_MIN})`,
      check: ({ models }, record) => {
        const sparse = models.filter((t) => (t.config.sparsity as number) > 0);
        const pairs = sparse.map((t) => ownershipPairs(t.params));
        const good = pairs.reduce((s, p) => s + p.good, 0);
        const total = pairs.reduce((s, p) => s + p.total, 0);
        const rate = Array.from({ length: C6.n }, (_, i) => models.filter((t) => polysemanticity(t.params).owners.includes(i)).length / models.length);
        record({
          what: 'among represented features of models with S > 0: P(owner of a monosemantic neuron is more important than a represented non-owner)',
          value: { auc: +(good / total).toFixed(3), pairs: total, models: pairs.filter((p) => p.total > 0).length },
          paper: 'more important features are more likely to get a monosemantic neuron',
          tolerance: 'recorded (0.5 = no relation)',
        });
        const cells = sparse.flatMap((t) => {
          const owners = polysemanticity(t.params).owners;
          return Array.from({ length: C6.n }, (_, i) => [t.config.importance[i], owners.includes(i) ? 1 : 0]);
        });
        const trend = kendallTrend(cells.map((c) => c[0]), cells.map((c) => c[1]));
        record({ what: 'trend of "owns a monosemantic neuron" with importance over every (model with S > 0, feature): Kendall τ, z', value: [+trend.tau.toFixed(3), +trend.z.toFixed(2)], tolerance: `z ≥ ${TREND_Z_MIN} (one-sided p < 0.001)` });
        record({ what: 'share of all models (every S, every seed) in which feature i owns a monosemantic neuron, i = 0…9', value: rate.map((v) => +v.toFixed(2)) });
        expect(trend.z).toBeAtLeast(TREND_Z_MIN);
        // and over all models: the top half of the features own more monosemantic neurons than the bottom half
        expect(mean(rate.slice(0, 5))).toBeAbove(mean(rate.slice(5)));
      },
    },
  ],
  figure: {
    title: 'per-neuron weights stacked by feature, best of N per S, match the golden figure',
    draw: ({ run, at, best }) => {
      const outs: FigureOut[] = [];
      const picks = C6.sparsities.map((S) => best(S));
      const panels = picks.map((t) => {
        const p = t.params;
        const s = polysemanticity(p);
        return { label: `S = ${t.config.sparsity}: ${s.mono} M / ${s.poly} P (seed ${t.config.seed})`, W: p.W, n: p.n, m: p.m, marks: neurons(p).map((x) => (x.kind === 'monosemantic' ? 'M' : x.kind === 'polysemantic' ? 'P' : '–')) };
      });
      const png = (neuronBars(panels, `C6: ReLU-hidden neurons' weights by feature (n=${C6.n}, m=${C6.m}; best of ${C6.seeds.length} per S${C6.denseSeeds.length ? ` (${C6.seeds.length + C6.denseSeeds.length} at S ∈ {${C6.dense}})` : ''}; M = monosemantic, P = polysemantic)`));
      outs.push({ spec: png, golden: 'C6', meta: { engine: run.engine, seeds: picks.map((t) => t.config.seed), sparsities: C6.sparsities } });
      return outs;
    },
  },
});
