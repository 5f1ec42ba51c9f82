// A model's neuron × feature weight matrix as a heatmap, one panel per model (claim 7: the abs model's
// input weights W1 per sparsity). Rows are neurons, ordered by the feature they read most and then by
// that weight's sign, so ReLU(x_i) / ReLU(−x_i) pairs sit next to each other; columns are features in
// index order. Colour scale fixed to ±CLAMP (red negative, blue positive) for stable goldens.
import type { TopLevelSpec } from 'vega-lite';

export interface WeightPanel {
  label: string;
  /** feature-major weights: neuron k's weight from feature i is W[i*m + k] */
  W: ArrayLike<number>;
  n: number;
  m: number;
}

const WIDTH = 220;
const HEIGHT = 140;
export const CLAMP = 1.5;

/** Neuron order: by the feature with the largest |weight|, then positive before negative. */
export function neuronOrder(W: ArrayLike<number>, n: number, m: number): number[] {
  const key = Array.from({ length: m }, (_, k) => {
    let top = 0;
    for (let i = 1; i < n; i++) if (Math.abs(W[i * m + k]) > Math.abs(W[top * m + k])) top = i;
    return { k, top, neg: W[top * m + k] < 0 ? 1 : 0 };
  });
  return key.sort((a, b) => a.top - b.top || a.neg - b.neg || a.k - b.k).map((x) => x.k);
}

export function weightHeatmap(panels: WeightPanel[], title = 'Neuron × feature weights'): TopLevelSpec {
  return {
    title: { text: title, fontSize: 14 },
    spacing: 14,
    hconcat: panels.map((p, j) => {
      if (p.W.length !== p.n * p.m) throw new Error(`weightHeatmap: W of "${p.label}" has ${p.W.length} entries, expected n·m = ${p.n * p.m}`);
      const order = neuronOrder(p.W, p.n, p.m);
      const cells = order.flatMap((k, row) => Array.from({ length: p.n }, (_, i) => ({ row, i, v: p.W[i * p.m + k] })));
      return {
        title: { text: p.label, fontSize: 12 },
        width: WIDTH, height: HEIGHT,
        data: { values: cells },
        mark: 'rect',
        encoding: {
          x: { field: 'i', type: 'ordinal', axis: { title: 'feature', labels: false, ticks: false } },
          y: { field: 'row', type: 'ordinal', axis: j === 0 ? { title: 'neuron (sorted)', labels: false, ticks: false } : null },
          color: { field: 'v', type: 'quantitative', scale: { scheme: 'redblue', domain: [-CLAMP, CLAMP], clamp: true },
            legend: { title: 'weight', values: [-CLAMP, 0, CLAMP], format: '.1f', gradientLength: HEIGHT } },
        },
      };
    }),
  } as TopLevelSpec;
}
