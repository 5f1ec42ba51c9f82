// C5 — Non-uniform superposition.
// (a) Five features in two dimensions, ReLU output, S = 0.9 for features 0–3 (claim 1's pentagon regime),
//     all importances 1, and feature 4's density swept: ρ = p_4/p from 2 down to 0.25 on a fine log grid.
//     Paper: the polytope deforms smoothly until a critical point where it snaps to another ("a pentagon
//     with one feature made sparser ends as digons"). The regime has local minima, so each grid point
//     keeps the BEST OF N seeds (N = C5.seedsPerPoint), chosen by loss on a held-out sample common to the
//     point's seeds (the training-loss tail is too noisy near the critical point, where the two
//     configurations' losses differ by ~1%).
// (b) 6 features in 3 dimensions. Correlated sets {0,1,2}, {3,4,5} (members present together) → each set
//     is a near-orthogonal basis of the space (local orthogonal bases), the sets superposed on each other.
//     Anticorrelated pairs {0,1}, {2,3}, {4,5} (never together) → each pair antipodal (negative
//     interference, free because the partners are never active together); 6 features in 3 dimensions is
//     where space is short. Checked on best-of-4 groups of seeds (lowest held-out loss; single runs stop
//     in a higher-loss local minimum 10–15% of the time), each against an independent-features control of
//     the same density (all its seeds), which does not arrange those pairs antipodally.
import { expect } from 'vitest';
import { defineClaim, PAPER_URL, type FigureOut } from '../src/claims/define.js';
import { verdict } from '../src/claims/matchers.js';
import { requiredSeeds } from '../src/stats/design.js';
import { C5, cosine, setPairs, shapeStep, sweepPoints, SWEEP_TOL, type SweepPoint } from '../src/claims/c5.js';
import { tier } from '../src/tier.js';
import type { TrainedRun } from '../src/types.js';
import { featureNorms } from '../src/metrics/features.js';
import { shape2d } from '../src/metrics/geometry2d.js';
import { mean } from '../src/stats/summary.js';
import { heldOutLoss } from '../src/metrics/evaluate.js';
import { bestOfGroups } from '../src/claims/best-of.js';
import { directions2d } from '../src/figures/directions-2d.js';
import { wtwHeatmap } from '../src/figures/wtw-heatmap.js';

/** (b): the best of each group of C5.corr.bestOf seeds, by loss on held-out samples shared by the run's models */
const bestOf = (r: TrainedRun) => bestOfGroups(r.instances, C5.corr.bestOf, (t) => heldOutLoss(t.params, t.config, r.config.data, C5.heldOutSamples, `${r.config.namespace}/held-out`));
/** C5.2: all jumps of the sweep within this many neighbouring grid intervals */
const SNAP_WINDOW = 3;
const r2 = (v: number) => +v.toFixed(2);
const r1 = (v: number) => +v.toFixed(1);

defineClaim({
  id: 'C5',
  title: `non-uniform superposition (sweep: ${C5.ratios.length} ratios, best of ${C5.seedsPerPoint} seeds each; sets: ${C5.corr.seeds.length} seeds, controls ${C5.corr.controlSeeds.length})`,
  spec: import.meta.url,
  paper: {
    statement: 'Varying the importance or sparsity of one feature deforms a polytope smoothly until a critical point where it snaps to another ' +
      '(a pentagon with one feature made sparser ends as digons). Correlated features (present together) prefer orthogonal directions, forming ' +
      'local near-orthogonal bases; anticorrelated features (never together) prefer antipodal directions, negative interference.',
    section: `${PAPER_URL}#geometry`,
    settings: 'Small ReLU output models: 5 features in 2 dimensions with one feature\'s density varied, and 6 features in 3 dimensions in ' +
      'correlated or anticorrelated sets.',
  },
  run: () => ({
    sweep: C5.sweepRun(),
    correlated: C5.corrRun('correlated'),
    'correlated-control': C5.corrRun('correlated-control'),
    anticorrelated: C5.corrRun('anticorrelated'),
    'anticorrelated-control': C5.corrRun('anticorrelated-control'),
  }),
  prepare: ({ sweep, ...runs }) => {
    const points: SweepPoint[] = sweepPoints(sweep.instances);
    /** indices k where the configuration jumps between points k and k+1 */
    const snaps = points.slice(1).flatMap((p, k) => {
      const s = shapeStep(points[k].shape, p.shape);
      return s.countChanged || s.deg >= SWEEP_TOL.snapDeg ? [k] : [];
    });
    return { sweep, points, runs, snaps };
  },
  checks: [
    {
      id: 'C5.1',
      title: `making feature 4 sparser first deforms the pentagon smoothly (the best's five-feature branch, median of its seeds: neighbour steps ≤ ${SWEEP_TOL.smoothDeg}°, ‖W_4‖ ± ${SWEEP_TOL.smoothNorm})`,
      check: ({ points, snaps }, record) => {
        // Before the snap (where the best of N is still the pentagon), follow the branch itself: the median of
        // the seeds near the best on its five-feature branch, not the single best one (why: docs/design/c5.md).
        const pre = points.slice(0, (snaps[0] ?? points.length - 1) + 1);
        const branch = pre.map((p) => p.branch.shape ?? p.shape); // the best is on it when it has all five (checked below)
        const steps = branch.slice(1).map((b, k) => shapeStep(branch[k], b));
        const holes = branch.map((b) => b.holeGap);
        record({
          what: 'best-of-N shape per ratio ρ = p_4/p: [ρ, shape, gap holding feature 4 (deg), ‖W_4‖, gaps among features 0–3 (deg)]',
          value: points.map((p) => [r2(p.rho), shape2d(p.best.params), r1(p.shape.holeGap), r2(p.shape.variedNorm), p.shape.gaps.map(r1)]),
          paper: 'the polytope deforms smoothly as one feature is made sparser',
        });
        record({
          what: `before the snap, the best's branch per ratio (seeds within ${SWEEP_TOL.branchDeg}° of it, itself included): [ρ, seeds on it, median gap holding feature 4 (deg), median ‖W_4‖]`,
          value: pre.map((p) => [r2(p.rho), p.branch.seeds, r1(p.branch.shape?.holeGap ?? NaN), r2(p.branch.shape?.variedNorm ?? NaN)]),
        });
        record({
          what: 'before the snap: largest neighbour step of the branch\'s gaps (deg) and of its ‖W_4‖',
          value: steps.length ? [r2(Math.max(...steps.map((s) => s.deg))), r2(Math.max(...steps.map((s) => s.norm)))] : [],
          tolerance: `≤ ${SWEEP_TOL.smoothDeg}° and ≤ ${SWEEP_TOL.smoothNorm}`,
        });
        record({
          what: 'deformation before the snap: the branch\'s gap holding feature 4 at the densest ratio and just before the snap (deg)',
          value: [r1(holes[0]), r1(holes.at(-1)!)],
          paper: 'regular pentagon: 144° (two 72° gaps around feature 4)',
          tolerance: `moves monotonically (± 1°) by ≥ ${SWEEP_TOL.minDeformDeg}°, through 144°`,
        });
        expect(pre.length).toBeAtLeast(4); // the smooth branch spans several grid points
        for (const p of pre) {
          expect(p.shape.represented, `ρ = ${p.rho.toFixed(3)}: the best of N has all five features represented`).toBeAtLeast(5);
        }
        // The worst neighbour step of the branch: a bend or a jump anywhere before the snap shows here.
        expect(Math.max(...steps.map((s) => s.deg)), 'largest gap step of the branch before the snap').toBeAtMost(SWEEP_TOL.smoothDeg);
        expect(Math.max(...steps.map((s) => s.norm)), 'largest ‖W_4‖ step of the branch before the snap').toBeAtMost(SWEEP_TOL.smoothNorm);
        // The sparser feature 4 gets, the closer its neighbours crowd in: the gap holding it shrinks steadily.
        expect(Math.max(...holes.slice(1).map((h, k) => h - holes[k])), 'largest rise of the hole gap').toBeAtMost(1);
        expect(holes[0] - holes.at(-1)!).toBeAtLeast(SWEEP_TOL.minDeformDeg);
        expect(holes[0]).toBeAbove(144);
        expect(holes.at(-1)!).toBeBelow(144);
      },
    },
    {
      id: 'C5.2',
      title: `then it snaps (a gap jumps ≥ ${SWEEP_TOL.snapDeg}° within ${SNAP_WINDOW} neighbouring ratio intervals) to two digons, feature 4 dropped`,
      check: ({ sweep, points, snaps }, record) => {
        // One snap: all jumps within SNAP_WINDOW neighbouring intervals, none elsewhere (why: docs/design/c5.md)
        expect(snaps.length, 'a jump along the sweep').toBeAtLeast(1);
        expect(snaps.at(-1)! - snaps[0], `jumps at intervals ${snaps}: confined to ${SNAP_WINDOW} neighbouring intervals`).toBeBelow(SNAP_WINDOW);
        const [k, kEnd] = [snaps[0], snaps.at(-1)!];
        const [before, after] = [points[k], points[kEnd + 1]];
        const jump = shapeStep(before.shape, after.shape);
        const post = points.slice(kEnd + 1);
        record({
          what: 'critical ratio ρ* = p_4/p: between these grid points (neighbours unless the best of N flickers at the crossing), and the jumps',
          value: [r2(before.rho), r2(after.rho), snaps.length],
          paper: 'a critical point where the polytope snaps to another',
        });
        record({ what: 'size of the jump: largest gap change (deg), ‖W_4‖ before → after', value: [r1(jump.deg), r2(before.shape.variedNorm), r2(after.shape.variedNorm)], tolerance: `≥ ${SWEEP_TOL.snapDeg}°` });
        record({
          what: 'configuration after the snap (best of N at every later ratio)',
          value: post.map((p) => `${p.rho.toFixed(2)}: ${shape2d(p.best.params)}, ‖W_4‖ = ${p.shape.variedNorm.toFixed(2)}`),
          paper: 'a pentagon with one feature made sparser ends as digons',
        });
        // First-order: past the snap the deformed pentagon still exists as a local minimum among the N seeds,
        // just with a higher loss than the digons — the two branches cross, which is why the change is a jump.
        const survivors = post.map((p) => p.group.map((t, j) => ({ five: featureNorms(t.params).every((v) => v > SWEEP_TOL.represented), loss: p.heldOut[j] }))
          .filter((x) => x.five).map((x) => x.loss / Math.min(...p.heldOut)));
        record({
          what: 'after the snap: per ratio, held-out loss of the surviving 5-feature (pentagon-branch) seeds / best loss',
          value: survivors.map((xs, j) => [r2(post[j].rho), xs.map((v) => +v.toFixed(3))]),
          paper: '(not in the paper) the snap is a crossing of two minima, not the pentagon ceasing to exist',
        });
        expect(jump.deg).toBeAtLeast(SWEEP_TOL.snapDeg);
        expect(before.shape.represented).toBeAtLeast(5);
        // Some seed reached the digons at every later ratio (the best-of-N risk: all N seeds missing them).
        for (const p of post) {
          expect(p.group.map((t) => verdict(t.config.seed, shape2d(t.params) === 'antipodal-pairs' && featureNorms(t.params)[C5.varied] < SWEEP_TOL.represented, `${shape2d(t.params)}, ‖W_4‖ = ${featureNorms(t.params)[C5.varied].toFixed(2)}`))).toHoldForSeeds(1);
        }
        for (const p of post) {
          expect(p.best.params, `ρ = ${p.rho.toFixed(3)}`).toBeShape('antipodal-pairs');
          expect(p.shape.variedNorm, `ρ = ${p.rho.toFixed(3)}: feature 4 dropped`).toBeBelow(SWEEP_TOL.represented);
        }
        expect(post.length).toBeAtLeast(2);
      },
    },
    {
      id: 'C5.3',
      title: 'correlated sets {0,1,2}, {3,4,5} each form a near-orthogonal basis (|cos| ≤ 0.2 within a set), unlike independent features',
      check: ({ runs }, record) => {
        const { within, across } = setPairs(C5.corr.correlatedSets);
        const stats = (models: TrainedRun['instances']) => models.map((t) => {
          const maxWithin = Math.max(...within.map(([i, j]) => Math.abs(cosine(t.params, i, j))));
          const represented = featureNorms(t.params).filter((v) => v > 0.5).length;
          return { seed: t.config.seed, maxWithin, represented, meanAcross: mean(across.map(([i, j]) => cosine(t.params, i, j))), basis: maxWithin <= 0.2 && represented === 6 };
        });
        const corr = stats(bestOf(runs.correlated));
        const ctrl = stats(runs['correlated-control'].instances);
        const bar = requiredSeeds(ctrl.length);
        const ctrlBases = ctrl.filter((s) => s.basis).length;
        record({
          what: `correlated, best of each ${C5.corr.bestOf} seeds: max |cos| within a set, mean cos across sets, features represented`,
          value: corr.map((s) => [r2(s.maxWithin), r2(s.meanAcross), s.represented]),
          paper: 'correlated features prefer orthogonal directions, forming local orthogonal bases',
          tolerance: 'max |cos| within a set ≤ 0.2 (angles 90° ± 11.5°) and all 6 represented, for most groups',
        });
        record({
          what: `control (independent, same S, ${ctrl.length} seeds): per seed max |cos| within the same index sets; seeds meeting the same criterion`,
          value: [ctrl.map((s) => r2(s.maxWithin)), ctrlBases],
          paper: '(not in the paper) independent features form an octahedron of randomly paired antipodes: no pair inside a set by chance, 3!/15 = 40%',
          tolerance: `fewer than the ${bar} of ${ctrl.length} the same 'most seeds' bar asks: the control does not pass the correlated claim`,
        });
        const verdicts = corr.map((s) => verdict(s.seed, s.basis, `max |cos| within sets ${s.maxWithin.toFixed(3)}, ${s.represented} represented`));
        expect(verdicts).toHoldForMostSeeds();
        // the sets are superposed on each other: with 6 features in 3 dimensions they interfere, negatively
        expect(mean(corr.map((s) => s.meanAcross))).toBeBelow(0);
        // the orthogonality comes from the correlation: independent features meet the criterion only by chance
        expect(ctrlBases, 'independent-feature controls forming bases within the sets').toBeBelow(bar);
      },
    },
    {
      id: 'C5.4',
      title: 'anticorrelated pairs {0,1}, {2,3}, {4,5} end antipodal (cos ≤ −0.9); independent features of the same density do not',
      check: ({ runs }, record) => {
        const pairs = C5.corr.anticorrelatedSets as [number, number][];
        const anti = bestOf(runs.anticorrelated).map((t) => ({ seed: t.config.seed, cos: pairs.map(([i, j]) => cosine(t.params, i, j)), represented: featureNorms(t.params).filter((v) => v > 0.5).length }));
        const ctrl = runs['anticorrelated-control'].instances.map((t) => ({ cos: pairs.map(([i, j]) => cosine(t.params, i, j)), represented: featureNorms(t.params).filter((v) => v > 0.5).length }));
        record({
          what: `anticorrelated, best of each ${C5.corr.bestOf} seeds: cos(W_i, W_j) of the three pairs, features represented`,
          value: anti.map((s) => [s.cos.map(r2), s.represented]),
          paper: 'anticorrelated features prefer antipodal directions (negative interference)',
          tolerance: 'all three pairs cos ≤ −0.9 and 6 represented, for most groups',
        });
        record({
          what: 'control (independent, same S): per seed cos of the same pairs, features represented',
          value: ctrl.map((s) => [s.cos.map(r2), s.represented]),
          tolerance: 'at most half of the control seeds have all three pairs antipodal',
        });
        record({
          what: 'final training loss per seed: anticorrelated vs independent control (×1e3)',
          value: [runs.anticorrelated.instances.map((t) => +(t.finalLoss * 1e3).toFixed(3)), runs['anticorrelated-control'].instances.map((t) => +(t.finalLoss * 1e3).toFixed(3))],
          paper: '(not in the paper) antipodal anticorrelated features interfere at no cost',
        });
        const verdicts = anti.map((s) => verdict(s.seed, s.cos.every((c) => c <= -0.9) && s.represented === 6, `cos ${s.cos.map((c) => c.toFixed(2)).join(' ')}, ${s.represented} represented`));
        expect(verdicts).toHoldForMostSeeds();
        expect(ctrl.filter((s) => s.cos.every((c) => c <= -0.9)).length).toBeAtMost(ctrl.length / 2);
      },
    },
  ],
  figure: {
    title: 'feature directions along the sweep, and WᵀW of the correlated / anticorrelated models, match the golden figures',
    draw: ({ sweep, points, runs, snaps }) => {
      const outs: FigureOut[] = [];
      const k = snaps[0] ?? points.length - 2;
      const pick = [...new Set([0, Math.floor(k / 2), k - 1, k, k + 1, points.length - 1])].filter((j) => j >= 0 && j < points.length).sort((a, b) => a - b);
      const panels = pick.map((j) => {
        const p = points[j].best.params;
        return { label: `ρ = ${points[j].rho.toFixed(2)}${j === k ? ', before snap' : j === k + 1 ? ', after snap' : ''}`, vectors: Array.from({ length: 5 }, (_, i) => [p.W[2 * i], p.W[2 * i + 1]] as [number, number]) };
      });
      const png = (directions2d(panels, `C5: feature 4's density = ρ × the others' (S = ${C5.S}), best of ${C5.seedsPerPoint} per ratio`));
      outs.push({ spec: png, golden: 'C5-sweep', meta: { engine: sweep.engine, ratios: C5.ratios, seedsPerPoint: C5.seedsPerPoint, panels } });

      const seed = C5.corr.seeds[0];
      const first = (r: TrainedRun) => r.instances.find((t) => t.config.seed === seed)!.params;
      const heat = ([
        ['correlated {0,1,2},{3,4,5}', runs.correlated],
        ['independent, same S', runs['correlated-control']],
        ['anticorrelated {0,1},{2,3},{4,5}', runs.anticorrelated],
        ['independent, same S', runs['anticorrelated-control']],
      ] as const).map(([label, r]) => ({ label, ...first(r) }));
      const png2 = (wtwHeatmap(heat, `C5: WᵀW, 6 features in 3 dimensions (seed ${seed})`));
      outs.push({ spec: png2, golden: 'C5-sets', meta: { engine: runs.correlated.engine, seed } });
      return outs;
    },
  },
});
