// Claim 4 : uniform superposition. All features equally important; sparsity swept with
// 1/(1−S) from 1 to 1000 on a log scale.
import type { RunConfig } from '../types.js';
import { DEFAULT_TRAIN } from '../types.js';
import { byTier } from '../tier.js';
import { logspace } from './phase.js';
import { extraSeedsRun, seedList, seedsUpTo } from './seeds.js';

const shape = byTier({
  // The paper's n = 400, m = 30. The default tier shrinks to n = 100, m = 10 (the 10:1 ratio of the
  // notebook's n = 200, m = 20) and batch 256 to fit CI, and samples the sweep more finely (36 points)
  // so the narrow transition 1 < 1/(1−S) < 2, where triangles live at this size, gets several points.
  default: { n: 100, m: 10, steps: 8_000, batch: 256, points: 36 },
  paper: { n: 400, m: 30, steps: 10_000, batch: 1024, points: 24 },
});

/** Polytopes form between the dense regime and the "other" groups of high sparsity: at 1/(1−S) ≈ 1.8–6
 *  in both tiers (recorded C4.5 kinds), and the plateau sits at ≈ 2.2–3.3; the window leaves room on
 *  either side. */
export const GEOMETRY_MAX_X = 10;

/** Past the plateau, where the default tier's pentagons and square antiprisms form (why: docs/design/c4.md) */
export const POLYTOPE_X: readonly [number, number] = [3.5, 5.5];

/** Where tetrahedra form: just above the dense end, before triangles and then digons take over (why: docs/design/c4.md) */
export const TETRAHEDRON_X = 1.45;

export const C4 = {
  id: 'C4',
  title: 'Uniform superposition and its geometry',
  ...shape,
  /** 1/(1−S), log-spaced from 1 to 1000 */
  xs: logspace(1, 1000, shape.points),
  seeds: seedList([1]),
  /** Extra seeds for the plateau, fraction and geometry claims (C4.2, C4.4–C4.6) over 1 ≤ 1/(1−S) ≤ … (why: docs/design/c4.md) */
  geometrySeeds: seedList(byTier({ default: [2, 3, 4, 15, 16], paper: [] as number[] })),
  /** More seeds again in the polytope window (POLYTOPE_X) for C4.5 and C4.6, default tier (why: docs/design/c4.md) */
  polytopeSeeds: seedList(byTier({ default: [...seedsUpTo(14).slice(4), ...seedsUpTo(31).slice(16)], paper: [] as number[] })),
  /** The tetrahedron run's seeds, both tiers (C4.7; why: docs/design/c4.md) */
  tetrahedronSeeds: seedList(byTier({ default: seedsUpTo(40).slice(32), paper: [2, 3] })),
  /** …trained longer than the sweep: after 10,000 steps at n = 400, m = 30 the four features were still 8–11° short of
   *  the tetrahedron's angles, after 30,000 within 4° */
  tetrahedronSteps: 30_000,
  /** Sweep point k: S = 1 − 1/x_k, all importances 1. */
  point(k: number): { sparsity: number; importance: number[] } {
    return this.pointAt(this.xs[k]);
  },
  /** S = 1 − 1/x, all importances 1. */
  pointAt(x: number): { sparsity: number; importance: number[] } {
    return { sparsity: 1 - 1 / x, importance: new Array(this.n).fill(1) };
  },
  run(): RunConfig {
    return {
      namespace: 'C4',
      model: { kind: 'relu-output', n: this.n, m: this.m },
      data: { kind: 'independent' },
      train: { ...DEFAULT_TRAIN, steps: this.steps, batch: this.batch },
      instances: this.xs.flatMap((_, k) => this.seeds.map((seed) => ({ ...this.point(k), seed }))),
    };
  },
  /** C4.7's run: TETRAHEDRON_X, the tetrahedron seeds, tetrahedronSteps; otherwise as the sweep. */
  tetrahedronRun(): RunConfig {
    const base = this.run();
    return { ...base, train: { ...base.train, steps: this.tetrahedronSteps }, instances: this.tetrahedronSeeds.map((seed) => ({ ...this.pointAt(TETRAHEDRON_X), seed })) };
  },
  /** Sweep indices of the geometry window (extra seeds train there). */
  geometryIndices(): number[] {
    return this.xs.flatMap((x, k) => (x <= GEOMETRY_MAX_X ? [k] : []));
  },
  /** Sweep indices in the polytope window. */
  polytopeIndices(): number[] {
    return this.xs.flatMap((x, k) => (x >= POLYTOPE_X[0] && x <= POLYTOPE_X[1] ? [k] : []));
  },
  /** The polytope window's extra run (null when the tier has none), laid out as geometryRun(). */
  polytopeRun(): RunConfig | null {
    return extraSeedsRun(this.run(), this.polytopeIndices().map((k) => this.point(k)), this.polytopeSeeds);
  },
  /** The geometry claims' extra runs (null when the tier has no extra seeds): instance j is sweep index
   *  geometryIndices()[⌊j / #seeds⌋] with seed geometrySeeds[j mod #seeds]. */
  geometryRun(): RunConfig | null {
    return extraSeedsRun(this.run(), this.geometryIndices().map((k) => this.point(k)), this.geometrySeeds);
  },
};
