// Claim 13 : sparse coding. (a) An L1 penalty λ·mean_b ‖h_b‖₁ on the hidden activations of the ReLU output
// model removes superposition, at a higher loss: C8's setting (n = 20, m = 5, importance 0.7^i, S = 0.99),
// where the unpenalised model packs 12–13 features into its 5 dimensions.
import type { RunConfig } from '../types.js';
import { DEFAULT_TRAIN } from '../types.js';
import { byTier } from '../tier.js';
import { seedList, seedsUpTo } from './seeds.js';
import { geometricImportance } from '../instance.js';
import { ARENA_SAE, type SaeConfig } from '../engines/native/sae.js';

export const C13 = {
  id: 'C13',
  n: 20,
  m: 5,
  S: 0.99,
  decay: 0.7,
  /** C8's step count per tier: the unpenalised model has its superposed configuration by 3,000 steps */
  steps: byTier({ default: 3_000, paper: DEFAULT_TRAIN.steps }),
  /** λ = 0 (no penalty) and the λ whose claim is checked, 16 seeds each (12 until 2026-12-06: C13.1, C13.2 at 0.077% and
   *  0.039% of the spec's 0.13%) … */
  lambda: 0.01,
  seeds: seedList(byTier({ default: seedsUpTo(16), paper: seedsUpTo(24) })),
  /** … and the sweep between them, for the trend (its own seeds: λ = 0 and λ's runs keep theirs) */
  sweep: [0.001, 0.003],
  sweepSeeds: seedList(byTier({ default: seedsUpTo(6), paper: seedsUpTo(12) })),
  run(lambda: number, seeds: number[]): RunConfig {
    return {
      namespace: `C13/l1=${lambda}`,
      model: { kind: 'relu-output', n: this.n, m: this.m },
      data: { kind: 'independent' },
      train: { ...DEFAULT_TRAIN, steps: this.steps, ...(lambda > 0 && { hiddenL1: lambda }) },
      instances: seeds.map((seed) => ({ sparsity: this.S, importance: geometricImportance(this.n, this.decay), seed })),
    };
  },

  /** (b) a sparse autoencoder on the hidden activations of the toy of the ARENA exercises: 5 features in 2
   *  dimensions, p = 0.025, all importances 1 (a pentagon), trained with the paper's settings */
  sae: {
    /** every toy seed is a C13.4 and a C13.5 verdict: 16 make "most seeds" 13 of 16, so a per-seed miss rate of
     *  1–2% fails the spec far less often than 0.1% (with 8 and 4 seeds, 0.8%: docs/flake.md) */
    seeds: seedList(byTier({ default: seedsUpTo(16), paper: seedsUpTo(24) })),
    /** 2× overcomplete: with exactly 5 latents one of them sometimes settles between two features (pilot: 1 of 4 seeds) */
    d: 10,
    /** ARENA's L1 coefficient, Adam 1e-3, batch 1024, resampling every 2,500 steps; 5,000 steps for the trade-off
     *  SAEs of the default tier */
    config: byTier<Omit<SaeConfig, 'd'>>({ default: { ...ARENA_SAE, steps: 5_000 }, paper: ARENA_SAE }),
    /** C13.4's SAEs (10 latents) train ARENA's 20,000 steps in every tier: after 5,000 about 2% of them still had a
     *  latent between two features (best cosine 0.81–0.95; docs/design/c13.md) */
    recoverySteps: ARENA_SAE.steps,
    /** the L1 trade-off: dictionary of 5, these coefficients, on every toy seed */
    l1s: [0.05, 0.2, 0.5],
    toyRun(): RunConfig {
      return {
        namespace: 'C13/sae-toy',
        model: { kind: 'relu-output', n: 5, m: 2 },
        data: { kind: 'independent' },
        train: { ...DEFAULT_TRAIN },
        instances: this.seeds.map((seed) => ({ sparsity: 0.975, importance: [1, 1, 1, 1, 1], seed })),
      };
    },
  },

  /** (b) where recovery fails: the compressed-sensing bound m = Ω(k log(n/k)), k = np active features per
   *  sample, read as κ = k ln(n/k) / m. Toys trained like the pentagon's (p = 0.025, importance 1: every
   *  feature represented); their dictionaries are kept and the SAEs see inputs of density p. */
  cs: {
    /** two toys with the same n/m (κ is then the same function of p) and one with twice the features of the second */
    sizes: { small: { n: 10, m: 4 }, large: { n: 20, m: 8 }, crowded: { n: 40, m: 8 } },
    /** toy seeds, each a verdict of C13.6 and C13.7 (pilot: 0 of 20 seeds failed either; docs/design/c13.md) … */
    seeds: seedList(byTier({ default: seedsUpTo(8), paper: seedsUpTo(16) })),
    /** … and of the small toy, whose seeds' mean share at κ = 0.92 C13.6 bounds: single seeds spread from 0 to
     *  70%, and with 8 seeds that mean's margin (0.21 ± 0.053 on 20 sets) gave a 0.93% false-fail bound */
    smallSeeds: seedList(byTier({ default: seedsUpTo(24), paper: seedsUpTo(32) })),
    /** C13.6's densities: κ = 2.5 p ln(1/p) = 0.58 (p = 0.1) and 0.92 (p = 0.35, the most n/m = 2.5 allows) */
    recoverP: 0.1,
    failP: 0.35,
    /** C13.7: k = 2.5 active features in 8 dimensions, over 20 features (p = 0.125) and over 40 (p = 0.0625) */
    k: 2.5,
    /** SAEs: 2n latents, L1 0.4/m (ARENA's 0.2 at m = 2: a latent pays for a feature of value x when
     *  x²/m > λx, so λ must shrink as m grows; at λ = 0.2, 20-in-8 SAEs fired 0.1 latents per sample where 0.5
     *  features were active), batch 256, 5,000 steps (pilot: as good as 1,024 × 10,000 at a tenth of the cost) */
    sae(n: number, m: number): SaeConfig {
      return { d: 2 * n, l1: 0.4 / m, steps: 5_000, batch: 256, lr: 1e-3, resampleEvery: 2_500 };
    },
    toyRun({ n, m }: { n: number; m: number }, seeds?: number[]): RunConfig {
      return {
        namespace: `C13/cs-toy/${n}in${m}`,
        model: { kind: 'relu-output', n, m },
        data: { kind: 'independent' },
        train: { ...DEFAULT_TRAIN },
        instances: (seeds ?? this.seeds).map((seed) => ({ sparsity: 0.975, importance: new Array(n).fill(1), seed })),
      };
    },
  },
};

/** κ = k ln(n/k) / m for k = np active features: the compressed-sensing bound asks κ below a constant */
export const kappa = (n: number, m: number, p: number) => (n * p * Math.log(1 / p)) / m;
