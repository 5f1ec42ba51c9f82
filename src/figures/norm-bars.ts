// The paper's feature-norm chart: one horizontal bar per feature (feature 0 at the top) of length
// ‖W_i‖, coloured by how much the feature interferes with others (Σ_{j≠i} (Ŵ_i·W_j)²):
// black = own dimension, yellow = in superposition. Both scales are fixed for stable goldens.
import type { TopLevelSpec } from 'vega-lite';

export interface NormPanel {
  label: string;
  norms: number[];
  interference: number[];
}

const WIDTH = 120;
const HEIGHT = 200;

export function normBars(panels: NormPanel[], title = 'Feature norms ‖W_i‖, colour = superposition'): TopLevelSpec {
  return {
    title: { text: title, fontSize: 14 },
    spacing: 12,
    hconcat: panels.map((p, k) => {
      if (p.norms.length !== p.interference.length) throw new Error(`normBars: length mismatch in "${p.label}"`);
      return {
        title: { text: p.label, fontSize: 12 },
        width: WIDTH, height: HEIGHT,
        data: { values: p.norms.map((norm, i) => ({ i, norm, s: p.interference[i] })) },
        mark: { type: 'bar', clip: true },
        encoding: {
          y: { field: 'i', type: 'ordinal', scale: { paddingInner: 0.15 },
            // only the first panel names the axis; feature labels would clutter large n
            axis: k === 0 ? { title: 'feature', labels: false, ticks: false, domain: false } : null },
          x: { field: 'norm', type: 'quantitative', scale: { domain: [0, 1.2] },
            axis: { title: '‖W_i‖', values: [0, 0.5, 1], grid: true } },
          color: { field: 's', type: 'quantitative',
            // inferno stops short of its near-white end so yellow bars stay visible on white
            scale: { scheme: { name: 'inferno', extent: [0, 0.92] }, domain: [0, 1], clamp: true },
            legend: { title: 'superposition', values: [0, 0.5, 1] } }, // shared: drawn once
        },
      };
    }),
  } as TopLevelSpec;
}
