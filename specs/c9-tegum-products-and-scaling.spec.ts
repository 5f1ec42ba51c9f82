// C9 — Tegum products and scaling, in C4's uniform setup (ReLU output, all importances 1).
// (a) Features group into tegum products of smaller polytopes, factors in orthogonal subspaces: the octahedron
// (three digons, all D_i = 1/2), the pentagonal bipyramid (a pentagon at 2/5 and a digon at 1/2) and the
// triangular bipyramid (a triangle at 2/3 and a digon at 1/2, not five features at 3/5). Small models where
// each forms (src/claims/c9.ts); products named from the factors' D_i and their orthogonality
// (src/metrics/tegum.ts), per seed.
// (b) With n ≫ m the number of features learned (‖W_i‖ > 0.5) does not depend on n, doubling m doubles it,
// and Σ D_i ≈ m.
// Where this differs from the paper: five features in three dimensions mostly form a square pyramid (a
// dedicated feature and two digons) rather than the triangular bipyramid, which forms in a minority of seeds
// there and inside eight features in four dimensions (C9.3, C9.4); doubling m more than doubles the features
// learned (C9.6).
// C9.4 judges the best of each 3 seeds by held-out loss, as one seed: some seeds stop in a higher-loss
// arrangement that is no tegum product (docs/design/c9.md).
import { expect } from 'vitest';
import { defineClaim, PAPER_URL } from '../src/claims/define.js';
import { verdict } from '../src/claims/matchers.js';
import { C9, TEGUM_SETUPS, type TegumSetup } from '../src/claims/c9.js';
import { tier } from '../src/tier.js';
import type { TrainedInstance } from '../src/types.js';
import { featureDimensionality, featureNorms } from '../src/metrics/features.js';
import { cos2Matrix } from '../src/metrics/geometry-graph.js';
import { crossFactorCos2, findProduct, groupsAllAt, tegumFactors, tegumProduct, TEGUM_CROSS_COS2, type TegumName } from '../src/metrics/tegum.js';
import { geometryGraph } from '../src/figures/geometry-graph.js';
import { mean } from '../src/stats/summary.js';
import { heldOutLoss } from '../src/metrics/evaluate.js';
import { bestOfGroups } from '../src/claims/best-of.js';

/** C9.2: share of the pentagonal-bipyramid verdicts that must hold (over 20 seed sets: 62% of 400 models; the
 *  others form a different 7-point arrangement; why not 50%: docs/design/c9.md) */
const PENTAGONAL_SHARE = 0.3;
/** C9.3: share of the models with a triangle whose triangle comes with an orthogonal digon (measured 91%) */
const TRIANGLE_DIGON_SHARE = 0.5;
/** C9.3: models (n = 5, m = 3 and n = 8, m = 4; C9.bipyramidSeeds each) that must contain a triangular bipyramid
 *  (the committed seeds: 2 + 5 of 30 each at first, a rate of 0.12: P(≤ 2 of 120) ≈ 5e-5) */
const TRIANGULAR_MIN = 3;
/** C9.5: per seed, the features learned at the largest n over those at the smallest, at least this (trial: 0.84–0.97) */
const N_RATIO_MIN = 0.75;
/** C9.6: features learned at m = 10 over m = 5 (trial runs: 2.3–2.5 per seed; the paper: 2) */
const M_RATIO = [1.8, 3.2] as const;
const M_RATIO_MEAN = [2, 3] as const;
/** C9.7: |Σ D_i / m − 1| per model at most this (trial runs: ≤ 0.003) */
const SUM_D_TOL = 0.02;

const learned = (t: TrainedInstance) => featureNorms(t.params).filter((v) => v > C9.learned).length;
const r2 = (v: number) => +v.toFixed(2);
const dList = (t: TrainedInstance) => featureDimensionality(t.params).filter((_, i) => featureNorms(t.params)[i] > C9.learned).sort((a, b) => b - a).map(r2);

defineClaim({
  id: 'C9',
  title: `tegum products in m = 3–4, and features learned for n ∈ {${C9.ns.join(', ')}} × m ∈ {${C9.ms.join(', ')}} (${tier()} tier)`,
  spec: import.meta.url,
  paper: {
    statement: 'Features organise into tegum products of smaller polytopes, with no interference between the factors: a triangular bipyramid is ' +
      'three features at D_i = 2/3 (a triangle) and two at 1/2 (a digon), not five at 3/5; a pentagonal bipyramid is five at 2/5 and two at 1/2; ' +
      'an octahedron has all six at 1/2. With n ≫ m the number of features learned does not depend on n, doubling m doubles it, and Σ D_i ≈ m ' +
      'when the packing is efficient.',
    section: `${PAPER_URL}#geometry-uniform`,
    settings: 'Uniform superposition (ReLU output, all importances 1), read off the n = 400, m = 30 sweep; the paper names no small setup for ' +
      `the products nor sizes for the scaling statement. Chosen here (trial sweeps): ${TEGUM_SETUPS.map((s) => `${s.name} n = ${s.n}, m = ${s.m}, S ∈ {${s.sparsities.join(', ')}}${s.stepsFactor ? ` (${s.stepsFactor}× the steps)` : ''}`).join('; ')}; ` +
      `scaling at S = ${C9.scaleSparsity}; ${C9.tegumSteps} / ${C9.scaleSteps} steps, batch ${C9.tegumBatch} / ${C9.scaleBatch}, Adam lr 1e-3.`,
  },
  run: () => ({
    ...Object.fromEntries(TEGUM_SETUPS.map((s) => [s.name, C9.tegumRun(s)])),
    ...Object.fromEntries(TEGUM_SETUPS.map((s) => [`${s.name}+more`, C9.tegumMoreRun(s)])),
    ...Object.fromEntries(C9.ms.flatMap((m) => C9.ns.map((n) => [`n${n}-m${m}`, C9.scaleRun(n, m)]))),
  }),
  prepare: (runs) => {
    const tegum = (name: TegumName) => [...runs[name]!.instances, ...(runs[`${name}+more`]?.instances ?? [])];
    const scale = (n: number, m: number) => runs[`n${n}-m${m}`]!.instances;
    const setup = (name: TegumName) => TEGUM_SETUPS.find((s) => s.name === name) as TegumSetup;
    return { runs, tegum, scale, setup };
  },
  checks: [
    {
      id: 'C9.1',
      title: 'six features in three dimensions form an octahedron: three orthogonal digons, every D_i = 1/2',
      check: ({ tegum }, record) => {
        const verdicts = tegum('octahedron').map((t) => verdict(t.config.seed, tegumProduct(t.params) === 'octahedron',
          `${tegumProduct(t.params)}; D_i ${dList(t).join(' ')}; max cross-factor cos² ${crossFactorCos2(t.params, tegumFactors(t.params)).toExponential(1)}`));
        record({ what: 'n = 6, m = 3: product, D_i, max cross-factor cos², per seed', value: verdicts.map((v) => v.detail), paper: 'an octahedron: all D_i = 1/2', tolerance: `D_i within ±0.05; cross-factor cos² ≤ ${TEGUM_CROSS_COS2}` });
        expect(verdicts).toHoldForMostSeeds();
      },
    },
    {
      id: 'C9.2',
      title: `seven features in three dimensions form a pentagonal bipyramid: a pentagon at D_i = 2/5 and an orthogonal digon at 1/2 (≥ ${PENTAGONAL_SHARE * 100}% of seeds)`,
      check: ({ tegum }, record) => {
        const verdicts = tegum('pentagonal-bipyramid').map((t) => verdict(t.config.seed, tegumProduct(t.params) === 'pentagonal-bipyramid',
          `S = ${t.config.sparsity}: ${tegumProduct(t.params)}; D_i ${dList(t).join(' ')}`));
        record({ what: 'n = 7, m = 3: product and D_i per (S, seed)', value: verdicts.map((v) => v.detail), paper: 'a pentagonal bipyramid: five at 2/5, two at 1/2', tolerance: `≥ ${PENTAGONAL_SHARE * 100}% of the models` });
        expect(verdicts).toHoldForSeeds(Math.ceil(PENTAGONAL_SHARE * verdicts.length));
      },
    },
    {
      id: 'C9.3',
      title: `a triangle (D_i = 2/3) comes with an orthogonal digon (1/2), a triangular bipyramid: in ≥ ${TRIANGULAR_MIN} of the models of five features in three dimensions and eight in four, and in ≥ ${TRIANGLE_DIGON_SHARE * 100}% of the models that have a triangle`,
      check: ({ tegum }, record) => {
        const models = [...tegum('square-pyramid'), ...tegum('triangular-bipyramid')];
        const rows = models.map((t) => {
          const f = tegumFactors(t.params);
          return { t, found: findProduct(t.params, 'triangular-bipyramid'), triangle: f.some((x) => x.kind === 'triangle'), kinds: f.map((x) => x.kind) };
        });
        record({ what: 'n = 5, m = 3 and n = 8, m = 4: factors per seed (models with a triangle)', value: rows.filter((r) => r.triangle).map((r) => `n=${r.t.params.n} seed ${r.t.config.seed}: ${r.kinds.join(' + ')}; D_i ${dList(r.t).join(' ')}`), paper: 'a triangular bipyramid: three at 2/3 and two at 1/2' });
        record({ what: 'models containing a triangular bipyramid / models with a triangle / models', value: [rows.filter((r) => r.found).length, rows.filter((r) => r.triangle).length, rows.length], tolerance: `≥ ${TRIANGULAR_MIN} contain one; ≥ ${TRIANGLE_DIGON_SHARE * 100}% of the models with a triangle have an orthogonal digon` });
        const all = rows.map((r) => verdict(r.t.config.seed, r.found !== null, r.kinds.join(' + ')));
        expect(all).toHoldForSeeds(TRIANGULAR_MIN);
        const withTriangle = rows.filter((r) => r.triangle).map((r) => verdict(r.t.config.seed, r.found !== null, r.kinds.join(' + ')));
        expect(withTriangle).toHoldForSeeds(Math.ceil(TRIANGLE_DIGON_SHARE * withTriangle.length));
      },
    },
    {
      id: 'C9.4',
      title: `five features in three dimensions form a tegum product (best of ${C9.bestOf} seeds by held-out loss), a square pyramid (a dedicated feature and two orthogonal digons; deviation: the paper names the triangular bipyramid) or the triangular bipyramid; most models form the square pyramid; no model anywhere puts five features at D_i = 3/5`,
      check: ({ runs, tegum }, record) => {
        const models = tegum('square-pyramid');
        const named = models.map((t) => tegumProduct(t.params));
        const isProduct = (x: string) => x === 'square-pyramid' || x === 'triangular-bipyramid';
        record({ what: 'n = 5, m = 3: product and D_i per seed', value: models.map((t, k) => `seed ${t.config.seed}: ${named[k]}; D_i ${dList(t).join(' ')}`), paper: 'a triangular bipyramid (3 at 2/3, 2 at 1/2), not 3/5 each', tolerance: 'more square pyramids than not' });
        record({ what: 'n = 5, m = 3: square pyramids / triangular bipyramids / models', value: [named.filter((x) => x === 'square-pyramid').length, named.filter((x) => x === 'triangular-bipyramid').length, models.length] });
        // Same held-out samples for every model (common random numbers), so the comparison is not noise.
        const data = runs['square-pyramid']!.config.data;
        const winners = bestOfGroups(models, C9.bestOf, (t) => heldOutLoss(t.params, t.config, data, C9.heldOutSamples, 'C9.4/held-out'));
        const verdicts = winners.map((t, g) => {
          const name = tegumProduct(t.params);
          return verdict(t.config.seed, isProduct(name), `best of seeds ${models.slice(g * C9.bestOf, (g + 1) * C9.bestOf).map((x) => x.config.seed).join(', ')}: seed ${t.config.seed}, ${name}; D_i ${dList(t).join(' ')}`);
        });
        record({ what: `n = 5, m = 3: product and D_i of the best of each ${C9.bestOf} seeds (held-out loss, ${C9.heldOutSamples} samples)`, value: verdicts.map((v) => v.detail), paper: 'a triangular bipyramid (3 at 2/3, 2 at 1/2), not 3/5 each', tolerance: 'a square pyramid or a triangular bipyramid for most groups' });
        expect(verdicts).toHoldForMostSeeds();
        expect(named.filter((x) => x === 'square-pyramid').length / models.length).toBeAtLeast(0.5);
        const fives = TEGUM_SETUPS.flatMap((s) => tegum(s.name)).filter((t) => groupsAllAt(t.params, 3 / 5, 5).length > 0).length;
        record({ what: 'models (all tegum setups) with a group of ≥ 5 features all at D_i = 3/5 ± 0.05', value: fives, paper: 'not 3/5 each' });
        expect(fives).toBeAtMost(0);
      },
    },
    {
      id: 'C9.5',
      title: `n ≫ m: the number of features learned does not depend on n (per seed, at n = ${C9.ns.at(-1)} ≥ ${N_RATIO_MIN}× and ≤ 1/${N_RATIO_MIN} of n = ${C9.ns[0]}, at m = ${C9.ms.join(' and ')})`,
      check: ({ scale }, record) => {
        const counts = C9.ms.map((m) => C9.ns.map((n) => scale(n, m).map(learned)));
        record({ what: `features learned (‖W_i‖ > ${C9.learned}) at S = ${C9.scaleSparsity}, per m, n and seed`, value: Object.fromEntries(C9.ms.map((m, a) => [`m=${m}`, Object.fromEntries(C9.ns.map((n, b) => [`n=${n}`, counts[a][b]]))])), paper: 'does not depend on n', tolerance: `per seed, ratio largest n / smallest n in [${N_RATIO_MIN}, ${r2(1 / N_RATIO_MIN)}]` });
        const verdicts = C9.ms.flatMap((m, a) => C9.scaleSeeds.map((seed, s) => {
          const ratio = counts[a].at(-1)![s] / counts[a][0][s];
          return verdict(seed, ratio >= N_RATIO_MIN && ratio <= 1 / N_RATIO_MIN, `m = ${m}: ${C9.ns.map((n, b) => `n=${n} ${counts[a][b][s]}`).join(', ')} (ratio ${ratio.toFixed(2)})`);
        }));
        expect(verdicts).toHoldForMostSeeds();
        for (const [a, m] of C9.ms.entries()) expect(mean(counts[a].at(-1)!) / mean(counts[a][0]), `m = ${m}`).toBeAtLeast(N_RATIO_MIN);
      },
    },
    {
      id: 'C9.6',
      title: `doubling m (5 → 10) multiplies the features learned by ${M_RATIO_MEAN[0]}–${M_RATIO_MEAN[1]} (the paper: doubles; measured ≈ 2.4×: more than doubles), per seed within ${M_RATIO.join('–')}`,
      check: ({ scale }, record) => {
        const rows = C9.ns.flatMap((n) => C9.scaleSeeds.map((seed, s) => ({ n, seed, ratio: learned(scale(n, 10)[s]) / learned(scale(n, 5)[s]) })));
        const pooled = mean(rows.map((r) => r.ratio));
        record({ what: 'features learned at m = 10 / at m = 5, per (n, seed); mean', value: { perSeed: rows.map((r) => [r.n, r.seed, r2(r.ratio)]), mean: pooled }, paper: 'doubling m doubles the count (2×) — measured more than 2×', tolerance: `per seed in [${M_RATIO.join(', ')}]; mean in [${M_RATIO_MEAN.join(', ')}]` });
        expect(rows.map((r) => verdict(r.seed, r.ratio >= M_RATIO[0] && r.ratio <= M_RATIO[1], `n = ${r.n}: ratio ${r.ratio.toFixed(2)}`))).toHoldForMostSeeds();
        expect(pooled).toBeAtLeast(M_RATIO_MEAN[0]);
        expect(pooled).toBeAtMost(M_RATIO_MEAN[1]);
      },
    },
    {
      id: 'C9.7',
      title: `Σ_i D_i ≈ m (within ${SUM_D_TOL * 100}%) in every scaling model`,
      check: ({ scale }, record) => {
        const rows = C9.ms.flatMap((m) => C9.ns.flatMap((n) => scale(n, m).map((t) => ({ m, n, seed: t.config.seed, sumD: featureDimensionality(t.params).reduce((a, b) => a + b, 0) }))));
        record({ what: 'Σ D_i per (m, n, seed)', value: rows.map((r) => [r.m, r.n, r.seed, +r.sumD.toFixed(3)]), paper: 'Σ D_i ≈ m when packing is efficient', tolerance: `|Σ D_i / m − 1| ≤ ${SUM_D_TOL}` });
        expect(rows.map((r) => verdict(r.seed, Math.abs(r.sumD / r.m - 1) <= SUM_D_TOL, `m = ${r.m}, n = ${r.n}: Σ D_i = ${r.sumD.toFixed(3)}`))).toHoldForMostSeeds();
      },
    },
  ],
  figure: {
    title: 'the factors of each tegum setup (first seed) match the golden figure',
    draw: ({ runs, tegum }) => {
      const panels = TEGUM_SETUPS.map((s) => {
        const t = tegum(s.name)[0];
        const factors = tegumFactors(t.params);
        const edges = factors.flatMap((f) => {
          const C = cos2Matrix(t.params, f.members);
          return f.members.flatMap((i, a) => f.members.flatMap((j, b) => (a < b ? [{ i, j, w: C[a][b] }] : [])));
        });
        return { label: `n=${s.n}, m=${s.m}, S=${t.config.sparsity}: ${findProduct(t.params, s.name) ? s.name : `no ${s.name}`}`, groups: factors, edges };
      });
      const engine = [...new Set(Object.values(runs).flatMap((r) => (r ? [r.engine] : [])))].join(', ');
      return { spec: geometryGraph(panels, 'C9: tegum factors (nodes: features; colour: factor kind)'), golden: 'C9-tegum', meta: { engine, seeds: [C9.seeds[0], C9.bipyramidSeeds[0]] } };
    },
  },
});
