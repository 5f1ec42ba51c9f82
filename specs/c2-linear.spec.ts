// C2 (linear half) — n = 20 features, m = 5 dimensions, importance 0.7^i, seven sparsities.
// Paper: the linear model represents exactly the top 5 features at every sparsity, orthogonally
// (WᵀW ≈ the projection onto them): no superposition. Checked for every seed at every S.
import { expect } from 'vitest';
import { defineClaim, PAPER_URL, type FigureOut } from '../src/claims/define.js';
import { C2 } from '../src/claims/c2.js';
import { tier } from '../src/tier.js';
import { featureNorms, interference, projectionError } from '../src/metrics/features.js';
import { normBars } from '../src/figures/norm-bars.js';

/** Largest |WᵀW − P_top5| entry allowed: features 5..19 must stay below ‖W_i‖² ≈ 0.05. */
const PROJECTION_TOL = 0.05;

defineClaim({
  id: 'C2',
  title: `linear model, n=${C2.n}, m=${C2.m} (${C2.seeds.length} seeds × ${C2.sparsities.length} sparsities)`,
  spec: import.meta.url,
  part: 'linear model',
  paper: {
    statement: 'The linear model represents exactly the top m = 5 features at every sparsity, orthogonally (WᵀW ≈ the projection onto them): ' +
      'it never uses superposition.',
    section: `${PAPER_URL}#demonstrating-basic-results`,
    settings: 'Linear model, n = 20 features, m = 5 dimensions, importance 0.7^i, S ∈ {0, 0.7, 0.9, 0.97, 0.99, 0.997, 0.999}; AdamW lr 1e-3, batch 1024, 10,000 steps.',
  },
  run: () => C2.run('linear'),
  prepare: (run) => ({ run }),
  checks: [
    {
      id: 'C2.1',
      title: 'linear: represents exactly the top 5 features at every sparsity, WᵀW ≈ projection',
      check: ({ run }, record) => {
        const worst = Math.max(...run.instances.map((t) => projectionError(t.params, C2.m)));
        record({ what: 'linear: max |WᵀW − P_top5| over all seeds and sparsities', value: worst, paper: 'exactly the top 5 features, orthogonally, at every S', tolerance: `≤ ${PROJECTION_TOL}` });
        // Every (seed, S) model, as a list: the matchers require requiredSeeds(21) = 18 of them (src/stats/design.ts).
        const models = run.instances.map((t) => t.params);
        expect(models).toRepresentTopFeatures(C2.m);
        expect(models).toBeProjectionOntoTop(C2.m, PROJECTION_TOL);
      },
    },
  ],
  figure: {
    title: 'linear ‖W_i‖ coloured by superposition matches the golden figure',
    draw: ({ run }) => {
      const outs: FigureOut[] = [];
      const seed = C2.seeds[0];
      const panels = C2.sparsities.map((S) => {
        const p = run.instances.find((t) => t.config.sparsity === S && t.config.seed === seed)!.params;
        return { label: `S = ${S}`, norms: featureNorms(p), interference: interference(p) };
      });
      const png = (normBars(panels, `C2 linear model, n=20, m=5 (seed ${seed})`));
      outs.push({ spec: png, golden: 'C2-linear', meta: { engine: run.engine, seed, panels } });
      return outs;
    },
  },
});
