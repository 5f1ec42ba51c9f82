// Claim 13b's compressed-sensing figure: the share of a toy's features an SAE recovers against
// κ = k ln(n/k) / m, one point per toy seed and density, a line through each toy's seed means.
import type { TopLevelSpec } from 'vega-lite';

export interface RecoveryPoint {
  /** the toy, e.g. "20 in 8" */
  toy: string;
  seed: number;
  kappa: number;
  /** share of the represented features with a decoder column within the recovery cosine */
  share: number;
}

export function recoveryPlot(points: RecoveryPoint[], title: string): TopLevelSpec {
  const color = { field: 'toy', type: 'nominal', scale: { range: ['#4c78a8', '#e45756', '#54a24b'] }, legend: { title: 'toy (n in m)', orient: 'bottom-left' } };
  const x = { field: 'kappa', type: 'quantitative', scale: { domain: [0.5, 1] }, axis: { title: 'κ = k ln(n/k) / m  (k = np active features)' } };
  return {
    title: { text: title, fontSize: 14 },
    width: 480,
    height: 300,
    data: { values: points },
    layer: [
      { mark: { type: 'point', filled: true, size: 30, opacity: 0.5 }, encoding: { x, y: { field: 'share', type: 'quantitative', scale: { domain: [0, 1] }, axis: { title: 'features recovered (share)' } }, color } },
      { mark: { type: 'line', point: { size: 50 } }, encoding: { x, y: { aggregate: 'mean', field: 'share', type: 'quantitative' }, color } },
    ],
  } as TopLevelSpec;
}
