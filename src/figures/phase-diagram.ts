// Claim 3's figure: the empirical phase of feature 2 per (density, relative importance) grid cell, with
// the closed-form boundaries drawn over it. Log axes and fixed colours for stable goldens.
import type { TopLevelSpec } from 'vega-lite';

export interface PhaseCell {
  /** density s = 1 − S */
  s: number;
  /** relative importance of feature 2 */
  r: number;
  phase: string;
}

const PHASE_COLOURS = { 'not-learned': '#d9d9d9', dedicated: '#4c78a8', superposition: '#e45756', other: '#000000' };

/** Geometric midpoints between neighbouring grid values, extended half a step at both ends. */
function edges(vals: number[]): number[] {
  const v = [...vals].sort((a, b) => a - b);
  const mids = v.slice(1).map((x, i) => Math.sqrt(x * v[i]));
  const lo = v.length > 1 ? v[0] ** 2 / mids[0] : v[0] / 1.2;
  const hi = v.length > 1 ? v.at(-1)! ** 2 / mids.at(-1)! : v[0] * 1.2;
  return [lo, ...mids, hi];
}

export function phaseDiagram(cells: PhaseCell[], boundary: { s: number; r: number; line: string }[], title: string): TopLevelSpec {
  const ss = [...new Set(cells.map((c) => c.s))].sort((a, b) => a - b);
  const rs = [...new Set(cells.map((c) => c.r))].sort((a, b) => a - b);
  const se = edges(ss);
  const re = edges(rs);
  const rects = cells.map((c) => {
    const i = ss.indexOf(c.s);
    const j = rs.indexOf(c.r);
    return { s0: se[i], s1: se[i + 1], r0: re[j], r1: re[j + 1], phase: c.phase };
  });
  const x = { type: 'quantitative', scale: { type: 'log', domain: [se[0], se.at(-1)], nice: false }, axis: { title: 'feature density s = 1 − S', values: [0.01, 0.1, 1] } };
  const y = { type: 'quantitative', scale: { type: 'log', domain: [re[0], re.at(-1)], nice: false }, axis: { title: 'relative importance r of feature 2', values: [0.1, 1, 10] } };
  return {
    title: { text: title, fontSize: 14 },
    width: 360,
    height: 360,
    layer: [
      {
        data: { values: rects },
        mark: { type: 'rect', stroke: 'white', strokeWidth: 0.5 },
        encoding: {
          x: { field: 's0', ...x },
          x2: { field: 's1' },
          y: { field: 'r0', ...y },
          y2: { field: 'r1' },
          color: { field: 'phase', type: 'nominal', scale: { domain: Object.keys(PHASE_COLOURS), range: Object.values(PHASE_COLOURS) }, legend: { title: 'feature 2' } },
        },
      },
      {
        data: { values: boundary },
        mark: { type: 'line', color: 'black', strokeWidth: 2, clip: true },
        encoding: { x: { field: 's', ...x }, y: { field: 'r', ...y }, detail: { field: 'line' }, order: { field: 'r' } },
      },
    ],
  } as TopLevelSpec;
}
