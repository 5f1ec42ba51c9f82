// Properties of the synthetic data generator (src/data.ts), checked with fast-check.
//
// Statistical checks use exact two-sided binomial p-values and one-sample Kolmogorov–Smirnov tests,
// each at ALPHA = 1e-6 (tests/helpers/generator-checks.ts, shared with the GPU generator's tests). fast-check runs
// with a fixed seed so the suite is deterministic (the data RNG is seeded from the generated values);
// set TMS_FC_SEED to explore other seeds — with ~10³ checks per file the chance that correct code
// fails on a fresh seed is about 10⁻³.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocBatch, makeSampler, type Batch } from '../src/data.js';
import type { DataConfig } from '../src/types.js';
import { Rng } from '../src/rng.js';
import { kolmogorovQ, ksStatistic, ksTest, uniformCdf } from '../src/stats/ks.js';
import { binomPmf, binomTwoSidedP } from '../src/stats/binomial.js';
import { ALPHA, count, expectBinomial, expectUniform } from './helpers/generator-checks.js';

const FC = { seed: Number(process.env.TMS_FC_SEED ?? 0x5eed), numRuns: 40 };

interface Drawn {
  /** samples drawn */
  N: number;
  /** present[s*n + i]: feature i is in sample s's CSC list (a present feature may, rarely, be 0.0) */
  present: Uint8Array;
  /** values of present features, all features pooled */
  values: number[];
}

/** Draws `batches` batches and checks, on the way, that the CSC lists and the dense x agree. */
function draw(n: number, probs: number[], data: DataConfig, signed: boolean, label: string, B: number, batches: number): Drawn {
  const sampler = makeSampler(n, probs, data, signed, new Rng(label));
  const batch = allocBatch(B, n);
  const N = B * batches;
  const present = new Uint8Array(N * n);
  const values: number[] = [];
  for (let t = 0; t < batches; t++) {
    // Poison the buffers: fill() must overwrite everything it reports.
    batch.x.fill(NaN);
    sampler.fill(batch);
    checkCsc(batch);
    for (let i = 0; i < n; i++) {
      for (let j = batch.colPtr[i]; j < batch.colPtr[i + 1]; j++) {
        present[(t * B + batch.rows[j]) * n + i] = 1;
        values.push(batch.vals[j]);
      }
    }
  }
  return { N, present, values };
}

/** CSC structure: column pointers monotone, rows strictly increasing per column, dense x = CSC. */
function checkCsc(b: Batch): void {
  const { B, n, x, colPtr, rows, vals } = b;
  const problems: string[] = [];
  if (colPtr[0] !== 0) problems.push(`colPtr[0] = ${colPtr[0]}`);
  const dense = new Float32Array(B * n);
  for (let i = 0; i < n; i++) {
    if (colPtr[i + 1] < colPtr[i]) problems.push(`colPtr decreases at ${i}`);
    for (let j = colPtr[i]; j < colPtr[i + 1]; j++) {
      if (j > colPtr[i] && rows[j] <= rows[j - 1]) problems.push(`feature ${i}: rows not increasing at ${j}`);
      if (rows[j] < 0 || rows[j] >= B) problems.push(`feature ${i}: row ${rows[j]} out of range`);
      dense[rows[j] * n + i] = vals[j];
    }
  }
  for (let q = 0; q < B * n; q++) if (!Object.is(x[q], dense[q])) problems.push(`x[${q}] = ${x[q]}, CSC says ${dense[q]}`);
  expect(problems.slice(0, 5)).toEqual([]);
}

// Feature probability p = 1 − S with S in [0, 0.99], including the dense case S = 0 exactly.
const prob = fc.oneof({ arbitrary: fc.constant(1), weight: 1 }, { arbitrary: fc.double({ min: 0.01, max: 1, noNaN: true }), weight: 4 });

const common = fc.record({
  n: fc.integer({ min: 1, max: 10 }),
  B: fc.integer({ min: 1, max: 400 }),
  batches: fc.integer({ min: 1, max: 4 }),
  signed: fc.boolean(),
  label: fc.string({ maxLength: 8 }).map((s) => `data-test/${s}`),
});

/** Features of each set (feature i joins set assign[i] ∈ [0, 4), or stays independent when −1). */
function setsOf(assign: number[]): number[][] {
  const sets: number[][] = [[], [], [], []];
  assign.forEach((a, i) => a >= 0 && sets[a].push(i));
  return sets.filter((s) => s.length > 0);
}

describe('data generator', () => {
  it('independent features: per-feature density is Binomial(N, p); values are U[0,1) or U[-1,1)', () => {
    fc.assert(
      fc.property(
        common.chain((c) => fc.record({ c: fc.constant(c), probs: fc.array(prob, { minLength: c.n, maxLength: c.n }) })),
        ({ c, probs }) => {
          const d = draw(c.n, probs, { kind: 'independent' }, c.signed, c.label, c.B, c.batches);
          for (let i = 0; i < c.n; i++) {
            const k = count(d, c.n, i);
            if (probs[i] === 1) expect(k).toBe(d.N);
            else expectBinomial(k, d.N, probs[i], `feature ${i}`);
          }
          expectUniform(d.values, c.signed);
        },
      ),
      FC,
    );
  });

  it('correlated sets: members are all present or all absent in every sample, set density Binomial(N, p_first)', () => {
    fc.assert(
      fc.property(
        common.chain((c) =>
          fc.record({
            c: fc.constant(c),
            probs: fc.array(prob, { minLength: c.n, maxLength: c.n }),
            assign: fc.array(fc.integer({ min: -1, max: 3 }), { minLength: c.n, maxLength: c.n }),
          }),
        ),
        ({ c, probs, assign }) => {
          const sets = setsOf(assign);
          const d = draw(c.n, probs, { kind: 'correlated', sets }, c.signed, c.label, c.B, c.batches);
          for (const set of sets) {
            for (let s = 0; s < d.N; s++) {
              const first = d.present[s * c.n + set[0]];
              for (const i of set) expect(d.present[s * c.n + i], `sample ${s}, set ${set}`).toBe(first);
            }
            expectBinomial(count(d, c.n, set[0]), d.N, probs[set[0]], `set ${set}`);
          }
          for (let i = 0; i < c.n; i++) if (assign[i] < 0) expectBinomial(count(d, c.n, i), d.N, probs[i], `feature ${i}`);
          expectUniform(d.values, c.signed);
        },
      ),
      FC,
    );
  });

  it('anticorrelated sets: at most one member per sample; member i has density Binomial(N, p_i), the set Binomial(N, Σp)', () => {
    fc.assert(
      fc.property(
        common.chain((c) =>
          fc.record({
            c: fc.constant(c),
            probs: fc.array(prob, { minLength: c.n, maxLength: c.n }),
            weights: fc.array(fc.double({ min: 0.05, max: 1, noNaN: true }), { minLength: c.n, maxLength: c.n }),
            totals: fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
            assign: fc.array(fc.integer({ min: -1, max: 3 }), { minLength: c.n, maxLength: c.n }),
          }),
        ),
        ({ c, probs, weights, totals, assign }) => {
          const sets = setsOf(assign);
          // Members of a set share a total probability Σp ≤ 1, split in proportion to their weights.
          const p = probs.slice();
          for (const set of sets) {
            const w = set.reduce((a, i) => a + weights[i], 0);
            for (const i of set) p[i] = (totals[assign[set[0]]] * weights[i]) / w;
          }
          const d = draw(c.n, p, { kind: 'anticorrelated', sets }, c.signed, c.label, c.B, c.batches);
          for (const set of sets) {
            let fired = 0;
            for (let s = 0; s < d.N; s++) {
              let k = 0;
              for (const i of set) k += d.present[s * c.n + i];
              expect(k, `sample ${s}, set ${set}`).toBeLessThanOrEqual(1);
              fired += k;
            }
            const total = set.reduce((a, i) => a + p[i], 0);
            expectBinomial(fired, d.N, total, `set ${set}`);
            for (const i of set) expectBinomial(count(d, c.n, i), d.N, p[i], `member ${i} of set ${set}`);
          }
          for (let i = 0; i < c.n; i++) if (assign[i] < 0) expectBinomial(count(d, c.n, i), d.N, p[i], `feature ${i}`);
          expectUniform(d.values, c.signed);
        },
      ),
      FC,
    );
  });

  it('values pool to U[0,1) / U[-1,1) on a large sample (KS, alpha 1e-6), and the KS test rejects a uniform shifted by 2%', () => {
    for (const signed of [false, true]) {
      const d = draw(5, [1, 0.5, 0.3, 0.9, 0.05], { kind: 'independent' }, signed, `data-test/large/${signed}`, 1024, 20);
      expect(d.values.length).toBeGreaterThan(40_000);
      expectUniform(d.values, signed);
      // Power check: the same values against a CDF shifted by 2% of the range must be rejected.
      const shifted = signed ? uniformCdf(-0.96, 1.04) : uniformCdf(0.02, 1.02);
      expect(ksTest(d.values, shifted).p).toBeLessThan(ALPHA);
    }
  });
  it('set marginals on a large sample (61,440 draws, enough to see a 5% bias in the member choice)', () => {
    const p = [0.3, 0.25, 0.35, 0.5, 0.2, 0.6];
    const N = 1024 * 60;
    const anti = draw(6, p, { kind: 'anticorrelated', sets: [[0, 1, 2], [3, 4]] }, false, 'data-test/large/anti', 1024, 60);
    for (let i = 0; i < 6; i++) expectBinomial(count(anti, 6, i), N, p[i], `anticorrelated feature ${i}`);
    const corr = draw(6, p, { kind: 'correlated', sets: [[0, 1, 2], [3, 4]] }, true, 'data-test/large/corr', 1024, 60);
    for (let i = 0; i < 6; i++) expectBinomial(count(corr, 6, i), N, i < 3 ? p[0] : i < 5 ? p[3] : p[5], `correlated feature ${i}`);
    expectUniform(corr.values, true);
  });
});

describe('stats helpers', () => {
  it("Kolmogorov's Q matches its tabulated critical values, continuously across the two series", () => {
    expect(kolmogorovQ(1.358)).toBeCloseTo(0.05, 3);
    expect(kolmogorovQ(1.628)).toBeCloseTo(0.01, 3);
    expect(kolmogorovQ(0.5)).toBeCloseTo(0.9639, 4);
    expect(Math.abs(kolmogorovQ(1.18 - 1e-9) - kolmogorovQ(1.18))).toBeLessThan(1e-8);
    expect(kolmogorovQ(0)).toBe(1);
  });

  it('KS statistic of a perfect grid is 1/(2N); binomial pmf and tails are exact on small cases', () => {
    const N = 200;
    expect(ksStatistic(Array.from({ length: N }, (_, i) => (i + 0.5) / N), uniformCdf(0, 1))).toBeCloseTo(1 / (2 * N), 12);
    expect(binomPmf(10, 0.5, 5)).toBeCloseTo(252 / 1024, 12);
    expect(binomTwoSidedP(10, 0.5, 0)).toBeCloseTo(2 / 1024, 12);
    expect(binomTwoSidedP(10, 0.5, 5)).toBe(1);
    expect(binomTwoSidedP(100, 0, 0)).toBe(1);
  });
});
