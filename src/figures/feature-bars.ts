// A generic per-feature bar chart: one panel per label, one horizontal bar per feature (feature 0 at the
// top) of any per-feature quantity (bias, D_i, error, …), optionally coloured by a second one. Fixed scales
// (pass `domain`) keep goldens stable across runs.
import type { TopLevelSpec } from 'vega-lite';

export interface FeaturePanel {
  label: string;
  /** one value per feature */
  values: number[];
  /** optional second quantity per feature, shown as colour */
  colour?: number[];
}

export interface FeatureBarsOptions {
  /** axis title of the bars, e.g. "b_i" */
  quantity: string;
  /** fixed x domain, e.g. [0, 1]; default: from the data */
  domain?: [number, number];
  /** legend title and fixed domain of the colour */
  colourTitle?: string;
  colourDomain?: [number, number];
  width?: number;
  height?: number;
}

export function featureBars(panels: FeaturePanel[], title: string, opts: FeatureBarsOptions): TopLevelSpec {
  if (panels.length === 0) throw new Error('featureBars: no panels');
  return {
    title: { text: title, fontSize: 14 },
    spacing: 12,
    hconcat: panels.map((p, k) => {
      if (p.colour && p.colour.length !== p.values.length) throw new Error(`featureBars: "${p.label}" has ${p.values.length} values but ${p.colour.length} colours`);
      if (p.values.some((v) => !Number.isFinite(v))) throw new Error(`featureBars: "${p.label}" has a non-finite value`);
      return {
        title: { text: p.label, fontSize: 12 },
        width: opts.width ?? 120, height: opts.height ?? 200,
        data: { values: p.values.map((v, i) => ({ i, v, c: p.colour?.[i] ?? 0 })) },
        mark: { type: 'bar', clip: true },
        encoding: {
          y: { field: 'i', type: 'ordinal', scale: { paddingInner: 0.15 }, axis: k === 0 ? { title: 'feature', labels: false, ticks: false, domain: false } : null },
          x: { field: 'v', type: 'quantitative', ...(opts.domain && { scale: { domain: opts.domain } }), axis: { title: opts.quantity, grid: true } },
          ...(p.colour && {
            color: { field: 'c', type: 'quantitative', scale: { scheme: { name: 'inferno', extent: [0, 0.92] }, ...(opts.colourDomain && { domain: opts.colourDomain }), clamp: true },
              legend: { title: opts.colourTitle ?? '' } },
          }),
        },
      };
    }),
  } as TopLevelSpec;
}
