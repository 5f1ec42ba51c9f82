// Claim 11's figure: each moved feature's dimensionality D_i over training (one line per feature), with
// the held-out loss below it on a shared step axis.
import type { TopLevelSpec } from 'vega-lite';

export interface DynamicsSeries {
  steps: number[];
  /** D_i per step, for the features shown */
  features: { feature: number; D: number[] }[];
  loss: number[];
}

export function dynamicsPlot(s: DynamicsSeries, title: string): TopLevelSpec {
  const x = { field: 'step', type: 'quantitative', axis: { title: 'training step' } };
  const d = s.features.flatMap((f) => f.D.map((v, k) => ({ step: s.steps[k], D: v, feature: `f${f.feature}` })));
  const l = s.loss.map((v, k) => ({ step: s.steps[k], loss: v }));
  return {
    title: { text: title, fontSize: 14 },
    vconcat: [
      {
        width: 480,
        height: 220,
        data: { values: d },
        mark: { type: 'line', strokeWidth: 1.5, clip: true },
        encoding: { x, y: { field: 'D', type: 'quantitative', scale: { domain: [0, 1] }, axis: { title: 'dimensionality D_i' } }, color: { field: 'feature', type: 'nominal', legend: null } },
      },
      {
        width: 480,
        height: 110,
        data: { values: l },
        mark: { type: 'line', color: 'black', strokeWidth: 1.5 },
        encoding: { x, y: { field: 'loss', type: 'quantitative', scale: { zero: false }, axis: { title: 'held-out loss' } } },
      },
    ],
  } as TopLevelSpec;
}
