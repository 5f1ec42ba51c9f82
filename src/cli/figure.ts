// `tms figure`: render one of the paper's figures from a run saved by `tms train`, with the same
// builders (and deterministic renderer) the claim specs use for their goldens.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { normBars } from '../figures/norm-bars.js';
import { wtwHeatmap } from '../figures/wtw-heatmap.js';
import { directions2d } from '../figures/directions-2d.js';
import { renderPng } from '../figures/render.js';
import { featureNorms, interference } from '../metrics/features.js';
import { parseFlags, UsageError, type CommandSpec } from './args.js';
import { instanceLabel, loadRun, type LoadedRun } from './run-files.js';

export const FIGURE_KINDS = ['norms', 'wtw', 'directions'] as const;
type FigureKind = (typeof FIGURE_KINDS)[number];

export const figureCommand: CommandSpec = {
  name: 'figure',
  brief: 'render a figure (norms, wtw, directions) of a saved run',
  usage: 'tms figure --run DIR --kind norms|wtw|directions [--out FILE.png]',
  summary:
    'Render a figure of a saved run, one panel per instance:\n' +
    '  norms       ‖W_i‖ bars coloured by superposition (the paper\'s feature-norm chart)\n' +
    '  wtw         WᵀW and the bias b\n' +
    '  directions  each feature\'s direction W_i in the plane (m = 2 models only)',
  flags: {
    run: { type: 'string', value: 'DIR', help: 'a run directory written by `tms train`' },
    kind: { type: 'choice', choices: FIGURE_KINDS, help: 'which figure' },
    out: { type: 'string', value: 'FILE.png', default: 'DIR/<kind>.png', help: 'output PNG' },
    scale: { type: 'number', value: 'X', default: '2', help: 'pixel scale' },
  },
  examples: ['tms figure --run out/runs/demo --kind norms', 'tms figure --run out/runs/c1 --kind directions --out c1.png'],
};

export function buildFigure(run: LoadedRun, kind: FigureKind): TopLevelSpec {
  const { model } = run.config.config;
  const title = `${model.kind} model, n=${model.n}, m=${model.m}`;
  const xs = run.instances;
  switch (kind) {
    case 'norms':
      return normBars(xs.map((t) => ({ label: instanceLabel(t), norms: featureNorms(t.params), interference: interference(t.params) })), title);
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

export async function figure(argv: string[]): Promise<number> {
  const f = parseFlags(figureCommand, argv);
  if (f.run === undefined) throw new UsageError('tms figure: --run DIR is required (a directory written by `tms train`)');
  if (f.kind === undefined) throw new UsageError(`tms figure: --kind is required: one of ${FIGURE_KINDS.join(', ')}`);
  const scale = f.scale as number | undefined;
  if (scale !== undefined && !(scale > 0 && scale <= 8)) throw new UsageError(`--scale must be a number in (0, 8]; got ${scale}`);
  const dir = resolve(f.run as string);
  const run = loadRun(dir);
  const kind = f.kind as FigureKind;
  const png = await renderPng(buildFigure(run, kind), { scale });
  const out = resolve((f.out as string | undefined) ?? join(dir, `${kind}.png`));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, png);
  const rel = relative(process.cwd(), out);
  process.stdout.write(`wrote ${rel.startsWith('..') || isAbsolute(rel) ? out : rel}\n`);
  return 0;
}
