// C1 — Intro figure: 5 features in 2 hidden dimensions. S = 0.8 and 0.9 have local minima, so (as the paper's
// figures do) the geometric claims take the best of N seeds by final loss; the dense claim holds for most seeds.
import { expect } from 'vitest';
import { defineClaim, PAPER_URL, type FigureOut } from '../src/claims/define.js';
import { verdict } from '../src/claims/matchers.js';
import { C1 } from '../src/claims/c1.js';
import { tier } from '../src/tier.js';
import type { TrainedInstance } from '../src/types.js';
import { shape2d, SHAPE_TOL, polygonFit } from '../src/metrics/geometry2d.js';
import { featureNorms } from '../src/metrics/features.js';
import { argmin } from '../src/stats/summary.js';
import { directions2d } from '../src/figures/directions-2d.js';

/** C1.3: a pentagon's loss is below this multiple of the lowest at S = 0.9, any other shape's above (240 fresh
 *  seeds: pentagons within 1.037×, the best other shape 1.215×: docs/design/c1.md) */
const PENTAGON_BAND = 1.1;

defineClaim({
  id: 'C1',
  title: `five features in two dimensions (${C1.seeds.length} seeds${C1.pairSeeds.length ? `, ${C1.seeds.length + C1.pairSeeds.length} at S = ${C1.pairS}` : ''}${C1.pentagonSeeds.length ? `, ${C1.seeds.length + C1.pentagonSeeds.length} at S = ${C1.pentagonS}` : ''}${C1.denseSeeds.length ? `, ${C1.seeds.length + C1.denseSeeds.length} dense` : ''}, tolerances: angles ±${SHAPE_TOL.angleDeg}°, norms ±${SHAPE_TOL.normSpread * 100}%)`,
  spec: import.meta.url,
  paper: {
    statement: 'With dense features the model keeps an orthogonal basis of the two most important features and drops the other three. ' +
      'Made sparse it stores more in superposition: at 1 − S = 0.2 four features as two antipodal pairs, at 1 − S = 0.1 all five as a pentagon.',
    section: `${PAPER_URL}#motivation`,
    settings: 'ReLU output model, n = 5 features in m = 2 dimensions, importance 0.9^i, S ∈ {0, 0.8, 0.9}; AdamW lr 1e-3, batch 1024, 10,000 steps.',
  },
  run: () => ({ sweep: C1.run(), pair: C1.pairRun(), pentagon: C1.pentagonRun(), dense: C1.denseRun() }),
  prepare: ({ sweep, pair, pentagon, dense }) => {
    /** the sweep's models and the extra S = 0.8, S = 0.9 and dense seeds (C1.pairSeeds, C1.pentagonSeeds, C1.denseSeeds) */
    const models: TrainedInstance[] = [...sweep.instances, ...(pair?.instances ?? []), ...(pentagon?.instances ?? []), ...(dense?.instances ?? [])];
    const at = (S: number) => models.filter((t) => t.config.sparsity === S);
    const best = (S: number): TrainedInstance => {
      const xs = at(S);
      return xs[argmin(xs.map((t) => t.finalLoss))];
    };
    const shapes = (S: number) => at(S).map((t) => shape2d(t.params));
    return { run: sweep, models, at, best, shapes };
  },
  checks: [
    {
      id: 'C1.1',
      title: 'dense: (almost) every seed represents only the top 2 features, orthogonally',
      check: ({ at }, record) => {
        const verdicts = at(0).map((t) => {
          const s = shape2d(t.params);
          const top2 = featureNorms(t.params).every((v, i) => (i < 2 ? v > 0.5 : v < 0.5));
          return verdict(t.config.seed, s === 'orthogonal-pair' && top2, `${s}, norms ${featureNorms(t.params).map((v) => v.toFixed(2)).join(' ')}`);
        });
        record({ what: 'seeds with exactly features 0,1 orthogonal (dense)', value: `${verdicts.filter((v) => v.pass).length}/${verdicts.length}`, paper: 'the top 2 features, orthogonal' });
        expect(verdicts).toHoldForMostSeeds();
      },
    },
    {
      id: 'C1.2',
      title: 'S=0.8: the best of N forms two antipodal pairs, dropping the least important feature',
      check: ({ at, best, shapes }, record) => {
        const b = best(0.8);
        record({ what: 'shapes over seeds at S=0.8', value: count(shapes(0.8)), paper: 'four features as two antipodal pairs' });
        // The best of N is the optimum only if some seed reached it: asked as per-seed verdicts, ≥ 1 of N (why: docs/design/c1.md)
        const reached = at(0.8).map((t) => {
          const [shape, w4] = [shape2d(t.params), featureNorms(t.params)[4]];
          return verdict(t.config.seed, shape === 'antipodal-pairs' && w4 < 0.5, `${shape}, ‖W_4‖ = ${w4.toFixed(2)}`);
        });
        record({ what: 'seeds reaching two antipodal pairs without feature 4', value: `${reached.filter((v) => v.pass).length}/${reached.length}` });
        expect(reached).toHoldForSeeds(1);
        expect(b.params).toBeShape('antipodal-pairs');
        expect(featureNorms(b.params)[4]).toBeBelow(0.5);
      },
    },
    {
      id: 'C1.3',
      title: `S=0.9: the best of N is a regular pentagon, and the loss sorts the seeds by shape: pentagons within ${Math.round((PENTAGON_BAND - 1) * 100)}% of the lowest loss, every other shape above (most seeds)`,
      check: ({ at, best, shapes }, record) => {
        const b = best(0.9);
        const fit = polygonFit(b.params);
        record({
          what: 'best-of-N pentagon: max gap error (deg), norm spread',
          value: [fit.maxGapError, fit.maxNormSpread],
          paper: 'all five features as a pentagon (72° apart)',
          tolerance: `gaps 72° ± ${SHAPE_TOL.angleDeg}°, norms ± ${SHAPE_TOL.normSpread * 100}%`,
        });
        record({ what: 'shapes over seeds at S=0.9', value: count(shapes(0.9)) });
        // as in C1.2: some seed must reach the pentagon (≈ 64% of seeds do)
        expect(at(0.9).map((t) => verdict(t.config.seed, shape2d(t.params) === 'pentagon', shape2d(t.params)))).toHoldForSeeds(1);
        expect(b.params).toBeShape('pentagon');
        // The pentagon is the optimum, not a lucky seed: the loss sorts the seeds by shape. Per seed, as seeds are
        // the independent trials (comparing the extremes of two groups was unboundable: docs/design/c1.md)
        const xs = at(0.9);
        const floor = Math.min(...xs.map((t) => t.finalLoss));
        const band = (t: TrainedInstance) => t.finalLoss / floor;
        record({ what: 'per seed at S=0.9: shape, final loss ÷ the lowest', value: xs.map((t) => [t.config.seed, shape2d(t.params), +band(t).toFixed(3)]), tolerance: `pentagons < ${PENTAGON_BAND}, other shapes ≥ ${PENTAGON_BAND}` });
        expect(xs.map((t) => verdict(t.config.seed, (shape2d(t.params) === 'pentagon') === band(t) < PENTAGON_BAND, `${shape2d(t.params)}, loss ${band(t).toFixed(3)}× the lowest`))).toHoldForMostSeeds();
      },
    },
  ],
  figure: {
    title: 'feature directions of the best run per sparsity match the golden figure',
    draw: ({ run, best }) => {
      const outs: FigureOut[] = [];
      const panels = C1.sparsities.map((S) => {
        const p = best(S).params;
        return {
          label: `S = ${S}`,
          vectors: Array.from({ length: 5 }, (_, i) => [p.W[2 * i], p.W[2 * i + 1]] as [number, number]),
          importance: Array.from({ length: 5 }, (_, i) => 0.9 ** i),
        };
      });
      const png = (directions2d(panels, 'C1: 5 features in 2 dimensions (best of N seeds)'));
      outs.push({ spec: png, golden: 'C1', meta: { engine: run.engine, seeds: C1.seeds, panels } });
      return outs;
    },
  },
});

function count(xs: string[]): Record<string, number> {
  return xs.reduce<Record<string, number>>((acc, s) => ((acc[s] = (acc[s] ?? 0) + 1), acc), {});
}
