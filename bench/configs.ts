// Benchmark workloads: the paper's recurring experiments, as RunConfigs shared by the driver and children.
import { DEFAULT_TRAIN, type ModelKind, type RunConfig } from '../src/types.js';
import { geometricImportance } from '../src/instance.js';
import { logspace } from '../src/claims/phase.js';

export interface BenchConfig {
  id: string;
  label: string;
  run: RunConfig;
}

const cfg = (id: string, label: string, kind: ModelKind, n: number, m: number, steps: number, batch: number,
  instances: { sparsity: number; importance: number[] }[]): BenchConfig => ({
  id,
  label,
  run: { namespace: `bench/${id}`, model: { kind, n, m }, data: { kind: 'independent' }, train: { ...DEFAULT_TRAIN, steps, batch },
    instances: instances.map((inst, seed) => ({ ...inst, seed })) },
});

const grid = (lo: number, hi: number, k: number) => Array.from({ length: k }, (_, i) => lo * (hi / lo) ** (i / (k - 1)));

/** `scale` multiplies the step counts (each is a few seconds of native training at scale 1). */
export function benchConfigs(scale = 1): BenchConfig[] {
  const s = (steps: number) => Math.max(10, Math.round(steps * scale));
  return [
    cfg('n20-m5', 'ReLU-output n=20 m=5, 7 sparsities', 'relu-output', 20, 5, s(3000), 1024,
      [0, 0.7, 0.9, 0.97, 0.99, 0.997, 0.999].map((sparsity) => ({ sparsity, importance: geometricImportance(20, 0.7) }))),
    cfg('n400-m30', 'ReLU-output n=400 m=30, S∈{0,.9,.99}', 'relu-output', 400, 30, s(150), 1024,
      [0, 0.9, 0.99].map((sparsity) => ({ sparsity, importance: Array<number>(400).fill(1) }))),
    cfg('abs-n100-m40', 'abs n=100 m=40, 7 densities', 'abs', 100, 40, s(400), 1024,
      [1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001].map((p) => ({ sparsity: 1 - p, importance: geometricImportance(100, 0.8) }))),
    // The paper tier's largest run (C4 paper): 24 sparsities S = 1 − 1/x, x log-spaced over [1, 1000].
    cfg('c4-paper', 'C4 paper: ReLU-output n=400 m=30, 24 sparsities', 'relu-output', 400, 30, s(40), 1024,
      logspace(1, 1000, 24).map((x) => ({ sparsity: 1 - 1 / x, importance: Array<number>(400).fill(1) }))),
    // Phase diagram: 12 densities × 12 relative importances of the second feature.
    cfg('phase-n2-m1', 'ReLU-output n=2 m=1, 144-point phase grid', 'relu-output', 2, 1, s(2000), 1024,
      grid(0.01, 1, 12).flatMap((p) => grid(0.1, 10, 12).map((r) => ({ sparsity: 1 - p, importance: [1, r] })))),
  ];
}

/** `--scaling`: one model family over feature counts and batch sizes (2 instances, S = .9 and .99). */
export function scalingConfigs(scale = 1): BenchConfig[] {
  const out: BenchConfig[] = [];
  for (const n of [20, 100, 400, 1000]) {
    const m = Math.max(5, Math.ceil(n / 20));
    for (const batch of [256, 1024, 4096]) {
      // ~1 s of native training at scale 0.5 for the larger sizes; capped for the tiny ones
      const steps = Math.min(4000, Math.max(20, Math.round((scale * 1e9) / (batch * n * m))));
      out.push(cfg(`scale-n${n}-B${batch}`, `ReLU-output n=${n} m=${m} B=${batch}`, 'relu-output', n, m, steps, batch,
        [0.9, 0.99].map((sparsity) => ({ sparsity, importance: Array<number>(n).fill(1) }))));
    }
  }
  return out;
}
