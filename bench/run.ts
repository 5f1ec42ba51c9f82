// `npm run bench [-- --scaling] [--scale X] [--repeat R] [--only ID] [--no-tfjs] [--no-torch]`: training speed of
// each engine against a minimal PyTorch trainer on the same workloads. Every measurement runs in its own
// process (peak RSS is then that engine's alone). Writes bench/out/results.json and bench/out/bench.png.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchConfigs, scalingConfigs, type BenchConfig } from './configs.js';
import type { ChildSpec, Measured } from './child.js';
import { renderPng, type TopLevelSpec } from '../src/figures/render.js';
import { measurePeak } from './peak.js';
import { gpuSummary, gpuVariants, probeGpus } from './gpu-variants.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, 'out');
const PYTHON = '/usr/bin/python3';
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const args = process.argv.slice(2);
const flag = (f: string) => args.includes(f);
const opt = (f: string) => (args.includes(f) ? args[args.indexOf(f) + 1] : undefined);
const scale = Number(opt('--scale') ?? 0.5);
const cores = availableParallelism();
/** A measurement that runs longer stops early (PyTorch) or is abandoned (ours): steps/s stay meaningful. */
const MAX_SECONDS = Number(opt('--max-seconds') ?? 15);

interface Row extends Measured {
  config: string;
  variant: string;
  error?: string;
}

function runChild(spec: ChildSpec): Measured {
  const r = spawnSync(process.execPath, ['--import', TSX, join(HERE, 'child.ts'), JSON.stringify(spec)],
    { encoding: 'utf8', maxBuffer: 1 << 26, timeout: 4 * MAX_SECONDS * 1000 });
  if (r.error) throw r.error;
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error((r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | '));
  return JSON.parse(line.slice(7)) as Measured;
}

function torchAvailable(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function runTorch(bc: BenchConfig, threads: number): Measured {
  const { model, train, instances } = bc.run;
  const input = JSON.stringify({ kind: model.kind, n: model.n, m: model.m, steps: train.steps, batch: train.batch, threads,
    sparsity: instances.map((i) => i.sparsity), importance: instances.map((i) => i.importance), loss_points: 100, max_seconds: MAX_SECONDS });
  const r = spawnSync(PYTHON, [join(HERE, 'peers', 'torch_tms.py')], { input, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(r.stderr.trim().split('\n').slice(-2).join(' | '));
  const o = JSON.parse(r.stdout);
  return { engine: 'torch', describe: `PyTorch ${o.torch} (${o.threads} threads)`, steps: o.steps, seconds: o.seconds,
    stepsPerSec: o.steps_per_s, maxRssMb: o.max_rss_mb, losses: o.losses };
}

/** Steps and seconds until the block-mean loss first falls below `target` (undefined if never). */
function timeTo(m: Measured, target: number): { steps: number; seconds: number } | undefined {
  const every = m.steps / m.losses.length;
  const j = m.losses.findIndex((l) => l <= target);
  return j < 0 ? undefined : { steps: Math.round((j + 1) * every), seconds: ((j + 1) * every) / m.stepsPerSec };
}

/** Dense-equivalent FLOPs of one step of a config: 6·B·n·m per instance (2 forward + 4 backward per weight
 *  and sample, as usually counted), so work the kernels skip (zero inputs, inactive outputs) counts as speed. */
const flopsPerStep = (bc: BenchConfig) => 6 * bc.run.train.batch * bc.run.model.n * bc.run.model.m * bc.run.instances.length;
/** threads a variant used (ours: its name says; PyTorch: its describe) */
const threadsOf = (r: Row) => Number(/(\d+) thread/.exec(r.variant)?.[1] ?? 1);

const configs = (flag('--scaling') ? scalingConfigs(scale) : benchConfigs(scale)).filter((c) => !opt('--only') || c.id.includes(opt('--only')!));
const torchVersion = flag('--no-torch') ? undefined : torchAvailable();
if (!torchVersion && !flag('--no-torch')) {
  console.log(`PyTorch not found for ${PYTHON}: install it with\n  apt-get update && apt-get install -y python3-torch libopenblas0-pthread\n(continuing without the PyTorch peer)`);
}

// The machine's wasm SIMD peak on one core (f32x4 multiply + add, no FMA), for the share-of-peak column.
const peak = measurePeak('f32x4');

// Each variant runs `repeat` times, round-robin, and keeps its fastest run: on a shared machine the
// best of several short runs is a steadier estimate than one long one.
const repeat = Number(opt('--repeat') ?? 2);
const gpus = flag('--no-gpu') ? { notes: ['GPU variants off (--no-gpu)'] } : probeGpus();
for (const note of gpus.notes) console.log(`[bench] ${note}`);
const rows: Row[] = [];
for (const bc of configs) {
  const steps = bc.run.train.steps;
  const variants: [string, () => Measured][] = [];
  variants.push(['native 1 thread', () => runChild({ engine: 'native', threads: 1, config: bc.id, scale })]);
  if (cores > 1) variants.push([`native ${cores} threads`, () => runChild({ engine: 'native', threads: cores, config: bc.id, scale })]);
  // float32 arithmetic: the default engine (its own bits and cache key); `native` is the f64-exact one
  variants.push(['native-f32 1 thread', () => runChild({ engine: 'native-f32', threads: 1, config: bc.id, scale })]);
  if (cores > 1) variants.push([`native-f32 ${cores} threads`, () => runChild({ engine: 'native-f32', threads: cores, config: bc.id, scale })]);
  if (!flag('--no-tfjs')) variants.push(['tfjs', () => runChild({ engine: 'tfjs', config: bc.id, scale, steps: Math.max(10, Math.round(steps / 10)) })]);
  if (torchVersion) {
    variants.push(['PyTorch 1 thread', () => runTorch(bc, 1)]);
    if (cores > 1) variants.push([`PyTorch ${cores} threads`, () => runTorch(bc, cores)]);
  }
  variants.push(...gpuVariants(gpus, bc, scale, runChild, MAX_SECONDS));
  const bestOf = new Map<string, Row>();
  for (let r = 0; r < repeat; r++) {
    for (const [variant, measure] of variants) {
      if (variant === 'tfjs' && r > 0) continue; // slow; once is enough
      process.stderr.write(`[bench] ${bc.id} (${r + 1}/${repeat}): ${variant} ...`);
      try {
        const m = measure();
        const prev = bestOf.get(variant);
        if (!prev || prev.error || m.stepsPerSec > prev.stepsPerSec) bestOf.set(variant, { ...m, config: bc.id, variant });
        process.stderr.write(` ${m.stepsPerSec.toFixed(1)} steps/s\n`);
      } catch (e) {
        if (!bestOf.has(variant)) bestOf.set(variant, { engine: variant, describe: '', steps: 0, seconds: 0, stepsPerSec: 0, maxRssMb: 0, losses: [], config: bc.id, variant, error: (e as Error).message });
        process.stderr.write(` failed: ${(e as Error).message}\n`);
      }
    }
  }
  rows.push(...bestOf.values());
}

// Ratios against the faster PyTorch variant (conservative for us), and time to a loss both reach.
/** the fastest measured run of `prefix` variants on config `id` */
const best = (id: string, prefix: string) =>
  rows.filter((r) => r.config === id && r.variant.startsWith(prefix) && !r.error).sort((a, b) => b.stepsPerSec - a.stepsPerSec)[0];
const summary = configs.map((bc) => {
  const nat = best(bc.id, 'native '); // the f64-exact engine
  const f32 = best(bc.id, 'native-f32'); // the default engine
  const tor = best(bc.id, 'PyTorch');
  let target: number | undefined;
  if (!flag('--scaling') && f32 && tor && f32.steps === bc.run.train.steps && tor.steps === bc.run.train.steps) target = 1.05 * Math.max(Math.min(...f32.losses), Math.min(...tor.losses));
  return {
    config: bc.id, label: bc.label, instances: bc.run.instances.length, steps: bc.run.train.steps,
    native: nat && { variant: nat.variant, stepsPerSec: nat.stepsPerSec, maxRssMb: nat.maxRssMb },
    torch: tor && { variant: tor.variant, stepsPerSec: tor.stepsPerSec, maxRssMb: tor.maxRssMb },
    ratio: nat && tor ? nat.stepsPerSec / tor.stepsPerSec : undefined,
    nativeF32: f32 && { variant: f32.variant, stepsPerSec: f32.stepsPerSec, maxRssMb: f32.maxRssMb },
    ratioF32: f32 && tor ? f32.stepsPerSec / tor.stepsPerSec : undefined,
    target: target && { loss: target, native: timeTo(f32!, target), torch: timeTo(tor!, target) },
  };
});

const pad = (s: string, w: number) => s.padEnd(w);
const num = (x: number | undefined, d = 1) => (x === undefined ? '-' : x.toFixed(d));
console.log(`\n${cpus()[0]?.model ?? 'cpu'}, ${cores} cores, node ${process.version}${torchVersion ? `, torch ${torchVersion}` : ''}`);
console.log(`wasm SIMD peak (f32x4 multiply + add, measured): ${peak.toFixed(1)} GFLOP/s per core. GFLOP/s = 6·B·n·m·instances·steps/s (dense-equivalent).\n`);
console.log(`${pad('config', 19)}${pad('variant', 22)}${pad('steps', 7)}${pad('seconds', 9)}${pad('steps/s', 10)}${pad('GFLOP/s', 9)}${pad('of peak', 9)}${pad('RSS MB', 8)}`);
const bcOf = (id: string) => configs.find((c) => c.id === id)!;
for (const r of rows) {
  const gflops = (r.stepsPerSec * flopsPerStep(bcOf(r.config))) / 1e9;
  const share = r.variant.startsWith('native') ? `${((100 * gflops) / (peak * threadsOf(r))).toFixed(0)}%` : '-';
  console.log(r.error ? `${pad(r.config, 19)}${pad(r.variant, 22)}unavailable: ${r.error.slice(0, 100)}`
    : `${pad(r.config, 19)}${pad(r.variant, 22)}${pad(String(r.steps), 7)}${pad(num(r.seconds, 2), 9)}${pad(num(r.stepsPerSec), 10)}${pad(num(gflops, 2), 9)}${pad(share, 9)}${pad(num(r.maxRssMb, 0), 8)}`);
}
console.log(`\n${pad('config', 19)}${pad('native-f32/PyTorch', 20)}${pad('native (f64)/PyTorch', 22)}time to target loss (native-f32 vs PyTorch)`);
for (const s of summary) {
  const t = s.target;
  const tt = t ? `loss ${t.loss.toExponential(2)}: ${t.native ? `${t.native.steps} steps ${num(t.native.seconds, 2)} s` : 'not reached'} vs ${t.torch ? `${t.torch.steps} steps ${num(t.torch.seconds, 2)} s` : 'not reached'}` : '-';
  const x = (r: number | undefined) => (r === undefined ? '-' : `${r.toFixed(2)}x`);
  console.log(`${pad(s.config, 19)}${pad(x(s.ratioF32), 20)}${pad(x(s.ratio), 22)}${tt}`);
}

for (const line of gpuSummary(rows, configs.map((c) => c.id))) console.log(line);

mkdirSync(OUT, { recursive: true });
const name = flag('--scaling') ? 'scaling' : 'results';
const ok = rows.filter((r) => !r.error);
writeFileSync(join(OUT, `${name}.json`), JSON.stringify({ date: new Date().toISOString(), cpu: cpus()[0]?.model, cores, node: process.version,
  torch: torchVersion, scale, peakGflopsPerCore: peak, summary, rows: ok.map(({ losses, ...r }) => ({ ...r, losses })) }, null, 1));
// Speed relative to the faster PyTorch variant (or to native 1 thread without PyTorch); 1 = parity.
const refName = torchVersion ? 'PyTorch' : 'native 1';
const bars = ok.flatMap((r) => {
  const ref = best(r.config, refName);
  return ref ? [{ config: r.config, variant: r.variant, relative: r.stepsPerSec / ref.stepsPerSec }] : [];
});
const chart = {
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  title: `Training speed relative to ${torchVersion ? 'PyTorch (its faster thread setting)' : 'native, 1 thread'}`,
  width: { step: 16 },
  height: 260,
  layer: [
    {
      data: { values: bars },
      mark: 'bar',
      encoding: {
        x: { field: 'config', type: 'nominal', title: null, sort: configs.map((c) => c.id), axis: { labelAngle: -30 } },
        xOffset: { field: 'variant' },
        y: { field: 'relative', type: 'quantitative', title: `steps/s ÷ ${refName}` },
        color: { field: 'variant', type: 'nominal', title: null },
      },
    },
    { data: { values: [{ y: 1 }] }, mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { y: { field: 'y', type: 'quantitative' } } },
  ],
} as unknown as TopLevelSpec;
writeFileSync(join(OUT, `${name}.png`), await renderPng(chart));
console.log(`\nwrote ${join('bench/out', `${name}.json`)} and ${join('bench/out', `${name}.png`)}`);
