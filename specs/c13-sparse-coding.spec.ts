// C13 — Sparse coding. (a) An L1 penalty on the hidden activations removes superposition, at a higher loss.
// (b) Beyond the paper: a sparse autoencoder trained on a superposed toy's hidden activations (the pentagon,
// 5 features in 2 dimensions) finds the true feature directions, and its L1 coefficient trades L0 for error;
// on larger toys it recovers the features while k·ln(n/k) stays well below m (k active features per sample)
// and loses them as it nears m, the compressed-sensing bound m = Ω(k log(n/k)).
// The ReLU output model of C8 (n = 20, m = 5, importance 0.7^i, S = 0.99) trained without a penalty and
// with λ·mean_b ‖h_b‖₁ added to its loss (λ = 0.01), same seeds; λ = 0.001 and 0.003 in between for the trend.
// "Superposition" is read off the weights: features represented (‖W_i‖ > 0.5) beyond m, and features per
// dimension ‖W‖²_F / m above 1. What does not hold as the paper says it: the penalty does not stop two
// represented features from sharing a dimension as an antipodal pair (cos ≈ −1, a digon); that costs no L1
// (never both active at S = 0.99) and little interference, and about half the seeds keep one such pair (8 of 16). The spec
// records how many seeds do.
import { expect } from 'vitest';
import { defineClaim, PAPER_URL } from '../src/claims/define.js';
import { verdict } from '../src/claims/matchers.js';
import { C13, kappa } from '../src/claims/c13.js';
import type { Params, TrainedInstance, TrainedRun } from '../src/types.js';
import { recoveryCosines, saeStats, trainSae } from '../src/engines/native/sae.js';
import { dimensionsPerFeature, featureNorms, interference } from '../src/metrics/features.js';
import { cosine } from '../src/claims/c5.js';
import { mean } from '../src/stats/summary.js';
import { kendallTrend } from '../src/stats/trend.js';
import { normBars } from '../src/figures/norm-bars.js';
import { recoveryPlot, type RecoveryPoint } from '../src/figures/recovery.js';

/** two represented features share a dimension when |cos| exceeds this */
const SHARED_COS = 0.9;
/** the penalised model's reconstruction loss at least this many times the unpenalised one's (same seed) */
const LOSS_RATIO_MIN = 2;
/** the trend over λ of features per dimension (decreasing) and of the loss (increasing): Kendall z at least this (one-sided p < 0.001) */
const TREND_Z_MIN = 3.09;
/** (b) a represented feature counts as recovered when some decoder column is within acos(0.95) ≈ 18° of it */
const RECOVERY_MIN = 0.95;
/** C13.6: per toy seed, at κ = 0.58 at least this share of the represented features recovered … */
const CS_RECOVERED_MIN = 0.8;
/** … and at κ = 0.92, over the seeds, at most this share (most features lost) */
const CS_FAILED_MAX = 0.5;
/** C13.7: per seed, the 20-in-8 toy recovers at least this much more of its features than the 40-in-8 one at the same k */
const CS_GAP_MIN = 0.5;

const represented = (p: Params) => featureNorms(p).map((v, i) => [v, i] as const).filter(([v]) => v > 0.5).map(([, i]) => i);
/** cos(W_i, W_j) of the represented pair with the largest |cos| (0 with fewer than two): −1 antipodal, +1 parallel */
const worstCos = (p: Params) => {
  const rep = represented(p);
  let worst = 0;
  for (const i of rep) for (const j of rep) if (i < j && Math.abs(cosine(p, i, j)) > Math.abs(worst)) worst = cosine(p, i, j);
  return worst;
};
const r2 = (v: number) => +v.toFixed(2);

defineClaim({
  id: 'C13',
  title: `sparse coding: an L1 penalty on h removes superposition (n=${C13.n}, m=${C13.m}, S=${C13.S}, λ=${C13.lambda}, ${C13.seeds.length} seeds)`,
  spec: import.meta.url,
  paper: {
    statement: 'One way out of superposition is a model that does not use it: an L1 penalty on the hidden activations removes ' +
      'superposition, and the model pays for it with a higher loss.',
    section: `${PAPER_URL}#strategic-ways-out`,
    settings: 'The paper gives no setting for the penalty. Chosen here: C8\'s ReLU output model (n = 20, m = 5, importance 0.7^i, S = 0.99) ' +
      'with λ·mean_b ‖h_b‖₁, λ = 0.01 (and 0.001, 0.003 for the trend), the paper\'s training settings.',
  },
  run: () => ({
    plain: C13.run(0, C13.seeds),
    penalised: C13.run(C13.lambda, C13.seeds),
    ...Object.fromEntries(C13.sweep.map((l) => [`l1=${l}`, C13.run(l, C13.sweepSeeds)])),
    toy: C13.sae.toyRun(),
    csSmall: C13.cs.toyRun(C13.cs.sizes.small, C13.cs.smallSeeds),
    csLarge: C13.cs.toyRun(C13.cs.sizes.large),
    csCrowded: C13.cs.toyRun(C13.cs.sizes.crowded),
  }),
  prepare: (runs) => {
    const { toy } = runs;
    const label = (t: TrainedInstance, what: string) => `C13/sae/${what}/seed=${t.config.seed}`;
    // (b) SAEs are quick and deterministic: trained here, not cached
    const saes = toy.instances.map((t) => {
      const rep = represented(t.params);
      const sae = trainSae(t.params, t.config, toy.config.data, { ...C13.sae.config, d: C13.sae.d, steps: C13.sae.recoverySteps }, label(t, 'main'));
      return { seed: t.config.seed, rep, sae, cos: recoveryCosines(sae.params, t.params, rep), stats: saeStats(sae.params, t.params, t.config, toy.config.data, 16_384, label(t, 'eval')) };
    });
    const tradeoff = toy.instances.map((t) => ({
      seed: t.config.seed,
      byL1: C13.sae.l1s.map((l1) => {
        const sae = trainSae(t.params, t.config, toy.config.data, { ...C13.sae.config, d: 5, l1 }, label(t, `l1=${l1}`));
        return { l1, ...saeStats(sae.params, t.params, t.config, toy.config.data, 16_384, label(t, 'eval')), cos: recoveryCosines(sae.params, t.params, represented(t.params)) };
      }),
    }));
    // (b) compressed sensing: each toy's dictionary, SAEs at densities p (κ = k ln(n/k)/m)
    const recovery = (run: TrainedRun, p: number) => run.instances.map((t) => {
      const { n, m } = t.params;
      const rep = represented(t.params);
      const sae = trainSae(t.params, { ...t.config, sparsity: 1 - p }, run.config.data, C13.cs.sae(n, m), label(t, `cs/${n}in${m}/p=${p}`));
      const cos = recoveryCosines(sae.params, t.params, rep);
      return { seed: t.config.seed, toy: `${n} in ${m}`, kappa: kappa(n, m, p), rep: rep.length, share: cos.filter((c) => c >= RECOVERY_MIN).length / rep.length, meanCos: mean(cos) };
    });
    const { csSmall, csLarge, csCrowded } = runs;
    const cs = {
      small: { recover: recovery(csSmall, C13.cs.recoverP), fail: recovery(csSmall, C13.cs.failP) },
      large: { recover: recovery(csLarge, C13.cs.recoverP), fail: recovery(csLarge, C13.cs.failP) },
      sameK: { large: recovery(csLarge, C13.cs.k / C13.cs.sizes.large.n), crowded: recovery(csCrowded, C13.cs.k / C13.cs.sizes.crowded.n) },
    };
    return { ...runs, saes, tradeoff, cs };
  },
  checks: [
    {
      id: 'C13.1',
      title: `with the penalty at most m features are represented and there is at most one per dimension (‖W‖²_F/m ≤ 1); without it, more than m (most seeds)`,
      check: ({ plain, penalised }, record) => {
        const rows = (r: TrainedRun) => r.instances.map((t) => ({ seed: t.config.seed, rep: represented(t.params).length, cos: worstCos(t.params), perDim: 1 / dimensionsPerFeature(t.params) }));
        const [a, b] = [rows(plain), rows(penalised)];
        record({ what: 'no penalty, per seed: features represented, cos of the represented pair with the largest |cos| (−1: antipodal), features per dimension ‖W‖²_F/m', value: a.map((x) => [x.seed, x.rep, r2(x.cos), r2(x.perDim)]), paper: 'superposition: more features than dimensions' });
        record({ what: `λ = ${C13.lambda}, per seed: the same`, value: b.map((x) => [x.seed, x.rep, r2(x.cos), r2(x.perDim)]), paper: 'the penalty removes superposition', tolerance: `≤ ${C13.m} represented, ≤ 1 feature per dimension` });
        record({ what: `λ = ${C13.lambda}: seeds with two represented features sharing a dimension (|cos| > ${SHARED_COS}, all antipodal)`, value: `${b.filter((x) => Math.abs(x.cos) > SHARED_COS).length}/${b.length}`, paper: '(not as the paper says) the penalty does not forbid an antipodal pair' });
        expect(a.map((x) => verdict(x.seed, x.rep > C13.m && x.perDim > 1, `no penalty: ${x.rep} represented, ${x.perDim.toFixed(2)} per dimension`))).toHoldForMostSeeds();
        expect(b.map((x) => verdict(x.seed, x.rep <= C13.m && x.perDim <= 1, `λ = ${C13.lambda}: ${x.rep} represented, ${x.perDim.toFixed(2)} per dimension`))).toHoldForMostSeeds();
      },
    },
    {
            id: 'C13.2',
      title: `at a higher loss: the penalised model's reconstruction loss is ≥ ${LOSS_RATIO_MIN}× the unpenalised one's, seed for seed (most seeds)`,
      check: ({ plain, penalised }, record) => {
        const ratio = penalised.instances.map((t, k) => t.finalLoss / plain.instances[k].finalLoss);
        record({ what: `reconstruction loss, λ = ${C13.lambda} ÷ no penalty, per seed`, value: ratio.map(r2), paper: 'a higher loss', tolerance: `≥ ${LOSS_RATIO_MIN}` });
        expect(penalised.instances.map((t, k) => verdict(t.config.seed, ratio[k] >= LOSS_RATIO_MIN, `loss ratio ${ratio[k].toFixed(2)}`))).toHoldForMostSeeds();
      },
    },
    {
      id: 'C13.3',
      title: `the stronger the penalty, the fewer features per dimension and the higher the loss (Kendall trends over λ, z ≥ ${TREND_Z_MIN})`,
      check: (runs, record) => {
        const lambdas = [0, ...C13.sweep, C13.lambda];
        const named = runs as unknown as Record<string, TrainedRun>; // the sweep's runs are keyed by their λ
        const byLambda: TrainedRun[] = [runs.plain, ...C13.sweep.map((l) => named[`l1=${l}`]), runs.penalised];
        const xs = byLambda.flatMap((r, k) => r.instances.map(() => lambdas[k]));
        const perDim = byLambda.flatMap((r) => r.instances.map((t) => 1 / dimensionsPerFeature(t.params)));
        const loss = byLambda.flatMap((r) => r.instances.map((t) => t.finalLoss));
        const down = kendallTrend(xs, perDim.map((v) => -v));
        const up = kendallTrend(xs, loss);
        record({ what: 'per λ: seed-mean features per dimension, seed-mean reconstruction loss (×1e4)', value: byLambda.map((r, k) => [lambdas[k], r2(mean(r.instances.map((t) => 1 / dimensionsPerFeature(t.params)))), +(mean(r.instances.map((t) => t.finalLoss)) * 1e4).toFixed(3)]) });
        record({ what: 'Kendall z: features per dimension falling with λ, loss rising with λ', value: [r2(down.z), r2(up.z)], tolerance: `both ≥ ${TREND_Z_MIN}` });
        expect(down.z).toBeAtLeast(TREND_Z_MIN);
        expect(up.z).toBeAtLeast(TREND_Z_MIN);
      },
    },
    {
      id: 'C13.4',
      title: `(beyond the paper) a sparse autoencoder on the pentagon's activations recovers every represented feature's direction (max cos ≥ ${RECOVERY_MIN}, most seeds)`,
      check: ({ saes }, record) => {
        record({
          what: `per toy seed (${C13.sae.d} latents, L1 ${C13.sae.config.l1}, ${C13.sae.recoverySteps} steps): features represented, each one's best cosine with a decoder column, L0, MSE, dead latents, resampled`,
          value: saes.map((x) => [x.seed, x.rep.length, x.cos.map((c) => +c.toFixed(3)), +x.stats.l0.toFixed(3), +x.stats.mse.toExponential(2), r2(x.stats.dead), x.sae.resampled]),
          paper: '(not in the paper; ARENA shows it by animation) the SAE should find the true feature directions',
          tolerance: `every represented feature ≥ ${RECOVERY_MIN}; toy seeds with all 5 represented`,
        });
        expect(saes.map((x) => verdict(x.seed, x.rep.length === 5 && Math.min(...x.cos) >= RECOVERY_MIN, `${x.rep.length} represented; cosines ${x.cos.map((c) => c.toFixed(3)).join(' ')}`))).toHoldForMostSeeds();
      },
    },
    {
      id: 'C13.5',
      title: `the L1 coefficient trades sparsity for reconstruction: L0 falls and the error rises as it grows (${C13.sae.l1s.join(', ')}; 5 latents; every seed)`,
      check: ({ tradeoff }, record) => {
        record({
          what: 'per toy seed and L1 coefficient: L0 (active latents per sample), reconstruction MSE, worst recovery cosine',
          value: tradeoff.map((x) => [x.seed, x.byL1.map((y) => [y.l1, +y.l0.toFixed(3), +y.mse.toExponential(2), +Math.min(...y.cos).toFixed(3)])]),
          tolerance: 'L0 strictly falling, MSE strictly rising with the coefficient',
        });
        expect(tradeoff.map((x) => verdict(x.seed, x.byL1.every((y, k) => k === 0 || (y.l0 < x.byL1[k - 1].l0 && y.mse > x.byL1[k - 1].mse)), x.byL1.map((y) => `L1 ${y.l1}: L0 ${y.l0.toFixed(3)}, MSE ${y.mse.toExponential(2)}`).join('; ')))).toHoldForMostSeeds();
      },
    },
    {
      id: 'C13.6',
      title: `(beyond the paper) compressed sensing: an SAE recovers a toy's features while k·ln(n/k) ≤ 0.58 m (≥ ${CS_RECOVERED_MIN * 100}% of them, most seeds) and loses most of them at 0.92 m (≤ ${CS_FAILED_MAX * 100}% over the seeds), for 10 features in 4 dimensions and for 20 in 8`,
      check: ({ cs }, record) => {
        const row = (x: { seed: number; rep: number; share: number; meanCos: number }) => [x.seed, x.rep, r2(x.share), +x.meanCos.toFixed(3)];
        for (const [name, size] of [['small', C13.cs.sizes.small], ['large', C13.cs.sizes.large]] as const) {
          const { recover, fail } = cs[name];
          record({
            what: `${size.n} in ${size.m}, per toy seed: features represented, share recovered (cos ≥ ${RECOVERY_MIN}), mean best cosine; at p = ${C13.cs.recoverP} (κ = ${r2(recover[0].kappa)}) and p = ${C13.cs.failP} (κ = ${r2(fail[0].kappa)})`,
            value: recover.map((x, k) => [...row(x), ...row(fail[k]).slice(2)]),
            paper: '(not in the paper) compressed sensing: k-sparse codes in m dimensions are recoverable when m = Ω(k log(n/k))',
            tolerance: `≥ ${CS_RECOVERED_MIN} at κ = ${r2(recover[0].kappa)} (most seeds); seed mean ≤ ${CS_FAILED_MAX} at κ = ${r2(fail[0].kappa)}`,
          });
        }
        const verdicts = (['small', 'large'] as const).flatMap((name) => cs[name].recover.map((x) => verdict(x.seed, x.share >= CS_RECOVERED_MIN, `${x.toy}: ${(x.share * 100).toFixed(0)}% of ${x.rep} features recovered at κ = ${r2(x.kappa)}`)));
        expect(verdicts).toHoldForMostSeeds();
        for (const name of ['small', 'large'] as const) expect(mean(cs[name].fail.map((x) => x.share))).toBeAtMost(CS_FAILED_MAX);
      },
    },
    {
      id: 'C13.7',
      title: `at the same k = ${C13.cs.k} active features and m = 8, twice the features (40 in 8: k·ln(n/k) = 0.87 m) recover ≥ ${CS_GAP_MIN * 100} points fewer than 20 in 8 (0.65 m), seed for seed (most seeds)`,
      check: ({ cs }, record) => {
        const { large, crowded } = cs.sameK;
        record({
          what: `k = ${C13.cs.k}, per toy seed: share recovered by the 20-in-8 toy's SAE (κ = ${r2(large[0].kappa)}) and by the 40-in-8 toy's (κ = ${r2(crowded[0].kappa)}), their mean best cosines`,
          value: large.map((x, k) => [x.seed, r2(x.share), r2(crowded[k].share), +x.meanCos.toFixed(3), +crowded[k].meanCos.toFixed(3)]),
          paper: '(not in the paper) the bound grows with n through log(n/k): at fixed k and m, more features are harder to recover',
          tolerance: `share(20 in 8) − share(40 in 8) ≥ ${CS_GAP_MIN}`,
        });
        expect(large.map((x, k) => verdict(x.seed, x.share - crowded[k].share >= CS_GAP_MIN, `recovered ${(x.share * 100).toFixed(0)}% (20 in 8) against ${(crowded[k].share * 100).toFixed(0)}% (40 in 8)`))).toHoldForMostSeeds();
      },
    },
  ],
  figure: {
    draw: ({ plain, penalised, cs }) => {
      const panel = (name: string, r: TrainedRun) => {
        const t = r.instances[0];
        return { label: `${name}: ${represented(t.params).length} features represented`, norms: featureNorms(t.params), interference: interference(t.params) };
      };
      const points: RecoveryPoint[] = [...cs.small.recover, ...cs.small.fail, ...cs.large.recover, ...cs.large.fail, ...cs.sameK.large, ...cs.sameK.crowded]
        .map(({ toy, seed, kappa: k, share }) => ({ toy, seed, kappa: +k.toFixed(4), share }));
      return [
        { spec: normBars([panel('no penalty', plain), panel(`L1 penalty λ = ${C13.lambda}`, penalised)], `C13: S = ${C13.S}, n = ${C13.n}, m = ${C13.m} (seed ${C13.seeds[0]})`) },
        { spec: recoveryPlot(points, `C13: SAE recovery against κ (${C13.cs.smallSeeds.length} toy seeds of 10 in 4, ${C13.cs.seeds.length} of the others)`), golden: 'C13-recovery' },
      ];
    },
  },
});
