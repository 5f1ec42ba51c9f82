// C2 (linear half) — n = 20 features, m = 5 dimensions, importance 0.7^i, seven sparsities.
// Paper: the linear model represents exactly the top 5 features at every sparsity, orthogonally
// (WᵀW ≈ the projection onto them): no superposition. Checked for every seed at every S.
import { beforeAll, describe, expect, it } from 'vitest';
import '../src/figures/matchers.js';
import '../src/claims/matchers.js';
import { C2 } from '../src/claims/c2.js';
import { trainRun } from '../src/train.js';
import { record } from '../src/claims/record.js';
import { tier } from '../src/tier.js';
import { skipFigures } from '../src/claims/seeds.js';
import type { TrainedRun } from '../src/types.js';
import { featureNorms, interference, projectionError } from '../src/metrics/features.js';
import { normBars } from '../src/figures/norm-bars.js';
import { renderPng } from '../src/figures/render.js';

/** Largest |WᵀW − P_top5| entry allowed: features 5..19 must stay below ‖W_i‖² ≈ 0.05. */
const PROJECTION_TOL = 0.05;

let run: TrainedRun;
beforeAll(async () => {
  run = await trainRun(C2.run('linear'));
});

describe(`C2 linear model, n=${C2.n}, m=${C2.m} (${C2.seeds.length} seeds × ${C2.sparsities.length} sparsities)`, () => {
  it('C2.1 linear: represents exactly the top 5 features at every sparsity, WᵀW ≈ projection', () => {
    const worst = Math.max(...run.instances.map((t) => projectionError(t.params, C2.m)));
    record('C2.1', { what: 'linear: max |WᵀW − P_top5| over all seeds and sparsities', value: worst, paper: 'exactly the top 5 features, orthogonally, at every S', tolerance: `≤ ${PROJECTION_TOL}` });
    // Every (seed, S) model, as a list: the matchers require requiredSeeds(21) = 18 of them (src/stats/design.ts).
    const models = run.instances.map((t) => t.params);
    expect(models).toRepresentTopFeatures(C2.m);
    expect(models).toBeProjectionOntoTop(C2.m, PROJECTION_TOL);
  });

  it.skipIf(skipFigures())('C2.fig linear ‖W_i‖ coloured by superposition matches the golden figure', async () => {
    const seed = C2.seeds[0];
    const panels = C2.sparsities.map((S) => {
      const p = run.instances.find((t) => t.config.sparsity === S && t.config.seed === seed)!.params;
      return { label: `S = ${S}`, norms: featureNorms(p), interference: interference(p) };
    });
    const png = await renderPng(normBars(panels, `C2 linear model, n=20, m=5 (seed ${seed})`));
    await expect(png).toMatchGolden(`C2-linear-${tier()}`, { engine: run.engine, seed, panels });
  });
});
