// For m = 2 models: each feature's direction W_i drawn as a segment from the origin, in fixed
// square axes [-1.5, 1.5]² (unit circle dashed), so polygons like the paper's pentagon are visible.
import type { TopLevelSpec } from 'vega-lite';

export interface DirectionsPanel {
  label: string;
  vectors: [number, number][];
  /** optional per-feature importance in [0, 1]; otherwise colour by feature index */
  importance?: number[];
}

const SIZE = 180;
const DOMAIN = [-1.5, 1.5];
const CIRCLE = Array.from({ length: 65 }, (_, k) => ({
  k, x: Math.cos((2 * Math.PI * k) / 64), y: Math.sin((2 * Math.PI * k) / 64),
}));

export function directions2d(panels: DirectionsPanel[], title = 'Feature directions W_i'): TopLevelSpec {
  // one shared colour scale/legend: importance only when every panel has it
  const byImportance = panels.length > 0 && panels.every((p) => p.importance);
  return {
    title: { text: title, fontSize: 14 },
    spacing: 16,
    hconcat: panels.map((p) => {
      const rows = p.vectors.map(([x, y], i) => ({ i, x, y, x0: 0, y0: 0, imp: p.importance?.[i] ?? null }));
      const color = byImportance
        // darker = more important (viridis reversed), fixed domain [0, 1]
        ? { field: 'imp', type: 'quantitative', scale: { scheme: 'viridis', domain: [0, 1], reverse: true, clamp: true },
            legend: { title: 'importance', values: [0, 0.5, 1], format: '.1f' } }
        : { field: 'i', type: 'nominal', scale: { scheme: 'category10' }, legend: { title: 'feature' } };
      const x = { type: 'quantitative' as const, scale: { domain: DOMAIN }, axis: { title: null, values: [-1, 0, 1] } };
      const y = x;
      return {
        title: { text: p.label, fontSize: 12 },
        width: SIZE, height: SIZE,
        layer: [
          { data: { values: CIRCLE }, mark: { type: 'line', color: '#bbb', strokeDash: [3, 3], strokeWidth: 1, clip: true },
            encoding: { x: { ...x, field: 'x' }, y: { ...y, field: 'y' }, order: { field: 'k' } } },
          { data: { values: rows }, mark: { type: 'rule', strokeWidth: 2, clip: true },
            encoding: { x: { ...x, field: 'x0' }, y: { ...y, field: 'y0' }, x2: { field: 'x' }, y2: { field: 'y' }, stroke: color } },
          // dot at the tip: a zero-length round-capped rule. Using `stroke` only (not a filled mark)
          // keeps one legend channel, which vega draws as a gradient for continuous importance.
          { data: { values: rows }, mark: { type: 'rule', strokeWidth: 7, strokeCap: 'round', clip: true },
            encoding: { x: { ...x, field: 'x' }, y: { ...y, field: 'y' }, x2: { field: 'x' }, y2: { field: 'y' }, stroke: color } },
        ],
      };
    }),
  } as TopLevelSpec;
}
