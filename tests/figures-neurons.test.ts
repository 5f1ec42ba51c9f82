// The neuron figure builders of claims 6 and 7 (src/figures/neuron-bars.ts, weight-heatmap.ts): they render,
// their size does not depend on the data, and they read the feature-major layout.
import { describe, expect, it } from 'vitest';
import { neuronBars } from '../src/figures/neuron-bars.js';
import { neuronOrder, weightHeatmap } from '../src/figures/weight-heatmap.js';
import { pngSize, renderPng } from '../src/figures/render.js';

const W = (n: number, m: number, a: number) => new Float32Array(n * m).map((_, k) => 2 * Math.sin(k * a));

describe('neuron figure builders', () => {
  const cases = {
    neuronBars: (a: number) => neuronBars([{ label: 'A', W: W(10, 5, a), n: 10, m: 5, marks: ['M', 'P', 'P', 'M', '–'] }, { label: 'B', W: W(10, 5, 2 * a), n: 10, m: 5 }]),
    neuronBarsMany: (a: number) => neuronBars([{ label: 'A', W: W(30, 4, a), n: 30, m: 4 }]),
    weightHeatmap: (a: number) => weightHeatmap([{ label: 'A', W: W(20, 8, a), n: 20, m: 8 }, { label: 'B', W: W(20, 8, 3 * a), n: 20, m: 8 }]),
  };
  for (const [name, build] of Object.entries(cases)) {
    it(`${name} renders a PNG whose size does not depend on the data`, async () => {
      const [p1, p2] = [await renderPng(build(0.3)), await renderPng(build(1.7))];
      expect(pngSize(p2)).toEqual(pngSize(p1));
      expect(p1.equals(p2)).toBe(false);
    });
  }

  it('reject weights of the wrong length', () => {
    expect(() => neuronBars([{ label: 'x', W: new Float32Array(5), n: 2, m: 3 }])).toThrow(/n·m = 6/);
    expect(() => weightHeatmap([{ label: 'x', W: new Float32Array(5), n: 2, m: 3 }])).toThrow(/n·m = 6/);
  });

  it('neuronOrder sorts neurons by their top feature, the positive reader first (ReLU(x) before ReLU(−x))', () => {
    // n = 2, m = 4, neuron rows: k0 = −x1, k1 = +x0, k2 = +x1, k3 = −x0; stored feature-major W[i*m + k]
    const rows = [[0, -1], [1, 0], [0, 1], [-1, 0.2]];
    const w = new Float32Array(8);
    rows.forEach((r, k) => r.forEach((v, i) => (w[i * 4 + k] = v)));
    expect(neuronOrder(w, 2, 4)).toEqual([1, 3, 2, 0]);
  });
});
