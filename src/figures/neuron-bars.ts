// The paper's privileged-basis figure: one stacked bar per neuron, made of that neuron's weights
// W_{k,i} over features i (positive weights stacked up, negative down), coloured by feature. A neuron
// drawn in one colour is monosemantic; several colours, polysemantic. Panel size and the y scale are
// fixed (weights clamped to ±Y_MAX) so goldens never depend on the data's range.
import type { TopLevelSpec } from 'vega-lite';

export interface NeuronPanel {
  label: string;
  /** feature-major weights, W_i = W.subarray(i*m, (i+1)*m); neuron k's weight from feature i is W[i*m + k] */
  W: ArrayLike<number>;
  n: number;
  m: number;
  /** optional per-neuron marker drawn under the bar (e.g. 'M' monosemantic, 'P' polysemantic) */
  marks?: string[];
}

const WIDTH = 150;
const HEIGHT = 200;
/** the y axis spans ±Y_MAX of stacked weight */
export const Y_MAX = 4;

export function neuronBars(panels: NeuronPanel[], title = 'Neuron weights W_{k,i}, stacked by feature'): TopLevelSpec {
  const n = Math.max(0, ...panels.map((p) => p.n));
  // ≤ 10 features: one distinct colour each; ≤ 20: paired shades; more: a continuous scale over the index
  const color = n <= 20
    ? { field: 'i', type: 'nominal', scale: { scheme: n <= 10 ? 'category10' : 'category20', domain: Array.from({ length: n }, (_, i) => i) },
        legend: { title: 'feature', columns: n > 10 ? 2 : 1 } }
    : { field: 'i', type: 'quantitative', scale: { scheme: 'viridis', domain: [0, n - 1] }, legend: { title: 'feature' } };
  return {
    title: { text: title, fontSize: 14 },
    spacing: 12,
    hconcat: panels.map((p, j) => {
      if (p.W.length !== p.n * p.m) throw new Error(`neuronBars: W of "${p.label}" has ${p.W.length} entries, expected n·m = ${p.n * p.m}`);
      const rows: { k: number; i: number; w: number }[] = [];
      for (let k = 0; k < p.m; k++) for (let i = 0; i < p.n; i++) {
        const w = p.W[i * p.m + k];
        if (Math.abs(w) >= 1e-3) rows.push({ k, i, w });
      }
      const marks = (p.marks ?? []).map((t, k) => ({ k, t }));
      const x = { field: 'k', type: 'ordinal' as const, scale: { domain: Array.from({ length: p.m }, (_, k) => k), paddingInner: 0.2 },
        axis: { title: 'neuron', labels: p.m <= 20, ticks: false } };
      return {
        title: { text: p.label, fontSize: 12 },
        width: WIDTH, height: HEIGHT,
        layer: [
          { data: { values: rows }, mark: { type: 'bar', clip: true, stroke: 'white', strokeWidth: 0.3 },
            encoding: {
              x,
              y: { field: 'w', type: 'quantitative', stack: 'zero', scale: { domain: [-Y_MAX, Y_MAX] },
                axis: j === 0 ? { title: 'weight', values: [-4, -2, 0, 2, 4], grid: true } : { title: null, values: [-4, -2, 0, 2, 4], labels: false, grid: true } },
              color,
              order: { field: 'i', type: 'quantitative' },
            } },
          { data: { values: [{ y: 0 }] }, mark: { type: 'rule', color: '#444', strokeWidth: 1 }, encoding: { y: { field: 'y', type: 'quantitative' } } },
          ...(marks.length
            ? [{ data: { values: marks }, mark: { type: 'text', fontSize: 9, baseline: 'bottom', dy: -2 },
                encoding: { x, y: { datum: -Y_MAX, type: 'quantitative' }, text: { field: 't' } } }]
            : []),
        ],
      };
    }),
  } as TopLevelSpec;
}
