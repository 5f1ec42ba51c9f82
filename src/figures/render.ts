// Deterministic Vega-Lite → SVG → PNG rendering, used for golden-image specs.
//
// Determinism comes from: (1) vega's headless renderer ('none') measuring text with its fixed
// width estimate (no node-canvas, no system fonts); (2) resvg loading only the bundled DejaVu
// fonts (no system font lookup); (3) a forced font, white background and fixed padding in every
// spec's config. Nothing time- or environment-dependent reaches the SVG.
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export type { TopLevelSpec };

const require = createRequire(import.meta.url);
/** Bundled font files; resolved through the package so paths work from any cwd. */
export const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) =>
  require.resolve(`dejavu-fonts-ttf/ttf/${f}`),
);
export const FONT_FAMILY = 'DejaVu Sans';

export interface RenderOptions {
  /** pixel scale factor for the PNG (default 2: legible when viewed at 100%) */
  scale?: number;
}

/** The spec with font/background forced (overriding whatever the spec's config says). */
export function withDeterministicConfig(spec: TopLevelSpec): TopLevelSpec {
  return {
    ...spec,
    background: 'white',
    padding: 8,
    config: { ...spec.config, font: FONT_FAMILY, background: 'white' },
  } as TopLevelSpec;
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vgSpec = compile(withDeterministicConfig(spec)).spec;
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize(); // release timers/listeners so the process can exit
  }
}

export async function renderPng(spec: TopLevelSpec, opts: RenderOptions = {}): Promise<Buffer> {
  const svg = await renderSvg(spec);
  const resvg = new Resvg(svg, {
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
    fitTo: { mode: 'zoom', value: opts.scale ?? 2 },
    background: 'white',
  });
  return resvg.render().asPng();
}

/** Width/height of a PNG, read from its IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
