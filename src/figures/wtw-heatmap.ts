// The paper's WᵀW figure: per model the n×n Gram matrix of feature directions (entry (i,j) =
// W_i·W_j; 1 on the diagonal = feature represented, off-diagonal = interference) beside the
// bias vector b. Colour scale fixed to [-1, 1] so goldens never depend on the data's range.
import type { TopLevelSpec } from 'vega-lite';

export interface WtwPanel {
  label: string;
  /** feature-major, W_i = W.subarray(i*m, (i+1)*m) */
  W: Float32Array;
  b: Float32Array;
  n: number;
  m: number;
}

/** side of each WᵀW square, px (fixed so panel size does not depend on n) */
const SIZE = 160;

const COLOR = {
  field: 'v',
  type: 'quantitative' as const,
  // redblue: -1 red, 0 white, +1 blue (as matplotlib's RdBu); values beyond ±1 are clamped
  scale: { scheme: 'redblue', domain: [-1, 1], clamp: true },
  legend: { title: null, values: [-1, -0.5, 0, 0.5, 1], format: '.1f', gradientLength: SIZE },
};

export function gram(W: Float32Array, n: number, m: number): number[][] {
  const G: number[][] = [];
  for (let i = 0; i < n; i++) {
    G.push([]);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += W[i * m + k] * W[j * m + k];
      G[i].push(s);
    }
  }
  return G;
}

export function wtwHeatmap(panels: WtwPanel[], title = 'WᵀW and b'): TopLevelSpec {
  return {
    title: { text: title, fontSize: 14 },
    hconcat: panels.map((p) => {
      if (p.W.length !== p.n * p.m || p.b.length !== p.n) throw new Error(`wtwHeatmap: bad shapes in "${p.label}"`);
      const G = gram(p.W, p.n, p.m);
      const cells = G.flatMap((row, i) => row.map((v, j) => ({ i, j, v })));
      const bias = Array.from(p.b, (v, i) => ({ i, v }));
      const y = { field: 'i', type: 'ordinal' as const, axis: null }; // feature 0 at the top
      return {
        title: { text: p.label, fontSize: 12, anchor: 'middle' },
        spacing: 4,
        hconcat: [
          {
            width: SIZE, height: SIZE,
            data: { values: cells },
            mark: 'rect',
            encoding: { x: { field: 'j', type: 'ordinal', axis: null }, y, color: COLOR },
          },
          {
            // one cell wide, so b_i lines up with row i
            width: Math.max(6, SIZE / p.n), height: SIZE,
            title: { text: 'b', fontSize: 11, fontWeight: 'normal' },
            data: { values: bias },
            mark: 'rect',
            encoding: { y, color: COLOR },
          },
        ],
      };
    }),
    spacing: 24,
  } as TopLevelSpec;
}
