// `tms figure`: render one of the paper's figures from a run saved by `tms train`, with the same
// builders (and deterministic renderer) the claim specs use for their goldens.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { normBars } from '../figures/norm-bars.js';
import { wtwHeatmap } from '../figures/wtw-heatmap.js';
import { directions2d } from '../figures/directions-2d.js';
import { renderPng } from '../figures/render.js';
import { featureNorms } from '../metrics/features.js';
import { parseFlags, shownPath, UsageError } from './args.js';
import { FIGURE_KINDS, figureCommand, type FigureKind } from './commands.js';
import { instanceLabel, loadRun, reportedInterference, type LoadedRun } from './run-files.js';

export function buildFigure(run: LoadedRun, kind: FigureKind): TopLevelSpec {
  const { model } = run.config.config;
  const title = `${model.kind} model, n=${model.n}, m=${model.m}`;
  const xs = run.instances;
  switch (kind) {
    case 'norms':
      // n/a interference (norm ≈ 0) colours a bar too short to see; NaN would drop the feature's row
      return normBars(xs.map((t) => ({ label: instanceLabel(t), norms: featureNorms(t.params), interference: reportedInterference(t.params).map((v) => v ?? 0) })), title);
    case 'wtw':
      return wtwHeatmap(xs.map((t) => ({ label: instanceLabel(t), W: t.params.W, b: t.params.b, n: model.n, m: model.m })), `${title}: WᵀW and b`);
    case 'directions': {
      if (model.m !== 2) throw new UsageError(`--kind directions needs a model with m = 2 hidden dimensions; this run has m = ${model.m} (use --kind norms or wtw)`);
      const max = Math.max(...xs[0].importance, 1e-12);
      return directions2d(xs.map((t) => ({
        label: instanceLabel(t),
        vectors: t.W.map((row) => [row[0], row[1]] as [number, number]),
        importance: t.importance.map((v) => v / max),
      })), `${title}: feature directions`);
    }
  }
}

export interface FigurePlan {
  dir: string;
  kind: FigureKind;
  out: string;
  scale?: number;
}

/** Everything `tms figure` checks before it loads and renders: flags and the output path. */
export function planFigure(argv: string[]): FigurePlan {
  const f = parseFlags(figureCommand, argv);
  if (f.run === undefined) throw new UsageError('--run DIR is required (a directory written by `tms train`)');
  if (f.kind === undefined) throw new UsageError(`--kind is required: one of ${FIGURE_KINDS.join(', ')}`);
  const scale = f.scale as number | undefined;
  if (scale !== undefined && !(scale > 0 && scale <= 8)) throw new UsageError(`--scale must be a number in (0, 8]; got ${scale}`);
  const dir = resolve(f.run as string);
  const kind = f.kind as FigureKind;
  const out = resolve((f.out as string | undefined) ?? join(dir, `${kind}.png`));
  // The renderer writes PNG only: another extension would give a file whose name lies about its format.
  if (extname(out).toLowerCase() !== '.png') throw new UsageError(`--out must be a .png file (figures are rendered as PNG); got ${JSON.stringify(f.out)}`);
  if (existsSync(out) && statSync(out).isDirectory()) throw new UsageError(`--out ${shownPath(out)} is a directory; --out must be a .png file path`);
  return { dir, kind, out, scale };
}

export async function figure(argv: string[]): Promise<number> {
  const { dir, kind, out, scale } = planFigure(argv);
  const run = loadRun(dir);
  const png = await renderPng(buildFigure(run, kind), { scale });
  try {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, png);
  } catch (e) {
    throw new UsageError(`--out ${shownPath(out)}: cannot write there (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  process.stdout.write(`wrote ${shownPath(out)}\n`);
  return 0;
}
