// The GPU variants of `npm run bench`, kept apart from the CPU table: the webgpu engine (on a hardware
// adapter only; a software adapter is reported, never timed against the others) and a PyTorch-CUDA peer
// (the same minimal trainer with parameters and data on the GPU, eager, and torch.compile'd).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchConfig } from './configs.js';
import type { ChildSpec, Measured } from './child.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/** The Python with a CUDA PyTorch (the lent GPU machines have it outside /usr/bin). */
const PYTHON = process.env.TMS_BENCH_PYTHON || 'python3';
/** GPU runs get at least this many steps: a few hundred are over before the first loss read-back. */
const GPU_MIN_STEPS = 2000;

export interface GpuContext {
  /** the webgpu adapter, when it is a hardware one */
  webgpu?: string;
  /** the CUDA device name, when PyTorch sees one */
  cuda?: string;
  /** one line per GPU path: what was found, or why not */
  notes: string[];
}

/** Probes both GPU paths once (each in a child process). */
export function probeGpus(): GpuContext {
  const ctx: GpuContext = { notes: [] };
  const probe = spawnSync(process.execPath, ['--import', TSX, '-e',
    "import('./src/engines/webgpu/device.ts').then(async (d) => { const p = await d.probeAdapter(); console.log('PROBE ' + JSON.stringify(p.ok ? { info: p.info } : { why: p.why })); process.exit(0); })"],
  { cwd: join(HERE, '..'), encoding: 'utf8', timeout: 60_000 });
  const line = probe.stdout?.split('\n').find((l) => l.startsWith('PROBE '));
  const p = line ? (JSON.parse(line.slice(6)) as { info?: { vendor: string; architecture: string; description: string; software: boolean }; why?: string }) : { why: `probe failed: ${(probe.stderr ?? '').trim().split('\n').slice(-1)[0]}` };
  if (p.info) {
    const name = `${p.info.vendor}, ${p.info.architecture}, ${p.info.description}`;
    if (p.info.software) ctx.notes.push(`webgpu: software adapter ${name}: reported, not compared (as slow as plain JS)`);
    else ctx.webgpu = name;
  } else ctx.notes.push(`webgpu: no adapter (${p.why})`);
  const cuda = spawnSync(PYTHON, ['-c', 'import torch; print(torch.cuda.get_device_name() if torch.cuda.is_available() else "")'], { encoding: 'utf8', timeout: 120_000 });
  if (cuda.status === 0 && cuda.stdout.trim()) ctx.cuda = cuda.stdout.trim();
  else ctx.notes.push(`torch-cuda: ${cuda.status === 0 ? 'torch.cuda.is_available() is false' : `no PyTorch for ${PYTHON}`}`);
  if (ctx.webgpu) ctx.notes.push(`webgpu: ${ctx.webgpu}`);
  if (ctx.cuda) ctx.notes.push(`torch-cuda: ${ctx.cuda} (${PYTHON})`);
  return ctx;
}

function runTorchCuda(bc: BenchConfig, steps: number, compile: boolean, maxSeconds: number): Measured {
  const { model, train, instances } = bc.run;
  const input = JSON.stringify({ kind: model.kind, n: model.n, m: model.m, steps, batch: train.batch, threads: 1,
    sparsity: instances.map((i) => i.sparsity), importance: instances.map((i) => i.importance), loss_points: 100,
    max_seconds: maxSeconds, device: 'cuda', compile });
  const r = spawnSync(PYTHON, [join(HERE, 'peers', 'torch_tms.py')], { input, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(r.stderr.trim().split('\n').slice(-2).join(' | '));
  const o = JSON.parse(r.stdout);
  return { engine: 'torch-cuda', describe: `PyTorch ${o.torch} on ${o.device}${compile ? ', torch.compile' : ', eager'}`, steps: o.steps, seconds: o.seconds,
    stepsPerSec: o.steps_per_s, maxRssMb: o.max_rss_mb, losses: o.losses };
}

/** [variant, measure] pairs for one config (none when neither GPU path is there). */
export function gpuVariants(ctx: GpuContext, bc: BenchConfig, scale: number, runChild: (s: ChildSpec) => Measured, maxSeconds: number): [string, () => Measured][] {
  const steps = Math.max(bc.run.train.steps, GPU_MIN_STEPS);
  const out: [string, () => Measured][] = [];
  if (ctx.webgpu) out.push(['webgpu', () => runChild({ engine: 'webgpu', config: bc.id, scale, steps })]);
  if (ctx.cuda) {
    out.push(['torch-cuda eager', () => runTorchCuda(bc, steps, false, maxSeconds)]);
    out.push(['torch-cuda compile', () => runTorchCuda(bc, steps, true, maxSeconds)]);
  }
  return out;
}

/** One line per config: webgpu against the faster PyTorch-CUDA variant (the issue's target is ≥ 2×). */
export function gpuSummary(rows: { config: string; variant: string; stepsPerSec: number; error?: string }[], ids: string[]): string[] {
  const get = (id: string, v: string) => rows.find((r) => r.config === id && r.variant === v && !r.error)?.stepsPerSec;
  return ids.flatMap((id) => {
    const w = get(id, 'webgpu');
    const eager = get(id, 'torch-cuda eager');
    const comp = get(id, 'torch-cuda compile');
    if (w === undefined || (eager === undefined && comp === undefined)) return [];
    const f = (x?: number) => (x === undefined ? '-' : `${(w / x).toFixed(2)}x`);
    return [`${id.padEnd(19)}webgpu/torch-cuda eager ${f(eager)}, /compile ${f(comp)}`];
  });
}
