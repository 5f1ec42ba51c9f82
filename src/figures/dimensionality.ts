// Claim 4's figure: dimensions per feature D* against 1/(1−S) (log), with every feature's D_i scattered
// over it and the paper's fractions (1, 3/4, 2/3, 1/2, 2/5, 3/8) as reference lines.
import type { TopLevelSpec } from 'vega-lite';

export interface DimPoint {
  /** 1/(1−S) */
  x: number;
  dStar: number;
  /** D_i of represented features */
  Di: number[];
}

const FRACTIONS = [1, 3 / 4, 2 / 3, 1 / 2, 2 / 5, 3 / 8];

export function dimensionalityPlot(points: DimPoint[], title: string): TopLevelSpec {
  const x = { field: 'x', type: 'quantitative', scale: { type: 'log', domain: [1, 1000] }, axis: { title: '1 / (1 − S)' } };
  const y = { type: 'quantitative', scale: { domain: [0, 1.1] }, axis: { title: 'dimensions per feature' } };
  return {
    title: { text: title, fontSize: 14 },
    width: 480,
    height: 300,
    layer: [
      { data: { values: FRACTIONS.map((f) => ({ f })) }, mark: { type: 'rule', color: '#bbbbbb', strokeDash: [4, 3] }, encoding: { y: { field: 'f', ...y } } },
      { data: { values: points.flatMap((p) => p.Di.map((d) => ({ x: p.x, d }))) }, mark: { type: 'point', filled: true, size: 10, opacity: 0.35, color: '#4c78a8', clip: true }, encoding: { x, y: { field: 'd', ...y } } },
      { data: { values: points }, mark: { type: 'line', color: 'black', strokeWidth: 2, point: { color: 'black', size: 20 }, clip: true }, encoding: { x, y: { field: 'dStar', ...y } } },
    ],
  } as TopLevelSpec;
}
