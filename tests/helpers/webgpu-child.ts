// Child process for the WebGPU tests: Dawn runs here, never in the vitest worker (a Dawn crash then fails
// one test instead of the run, and dawn.node's handles cannot keep vitest alive). Reads jobs from the JSON
// file argv[2], writes one result per job to argv[3], then exits.
import { readFileSync, writeFileSync } from 'node:fs';
import type { InstanceConfig, Params, RunConfig } from '../../src/types.js';
import { loadWebGpuEngine, probeAdapter } from '../../src/engines/webgpu/index.js';
import { GpuSae, trainSaeGpu } from '../../src/engines/webgpu/sae.js';
import type { SaeConfig } from '../../src/engines/native/sae.js';

export type GpuJob =
  | { kind: 'probe' }
  | { kind: 'step'; run: RunConfig; x: number[][]; params: { W: number[]; W2?: number[]; b: number[] }[] }
  | { kind: 'sample'; run: RunConfig; steps: number }
  | { kind: 'train'; run: RunConfig }
  | { kind: 'sae-grad'; p: SaeJson; H: number[]; B: number; l1: number }
  | { kind: 'sae-train'; toy: { kind: Params['kind']; n: number; m: number; W: number[]; b: number[] }; inst: InstanceConfig; cfg: SaeConfig; label: string };

export interface SaeJson { d: number; m: number; Wenc: number[]; benc: number[]; Wdec: number[]; bdec: number[] }
const saeJson = (p: { d: number; m: number; Wenc: Float64Array; benc: Float64Array; Wdec: Float64Array; bdec: Float64Array }): SaeJson =>
  ({ d: p.d, m: p.m, Wenc: Array.from(p.Wenc), benc: Array.from(p.benc), Wdec: Array.from(p.Wdec), bdec: Array.from(p.bdec) });

const arr = (a: Float32Array | undefined) => (a ? Array.from(a) : undefined);

async function runJob(job: GpuJob): Promise<unknown> {
  if (job.kind === 'probe') {
    const p = await probeAdapter();
    return p.ok ? { ok: true, info: p.info, limits: { maxStorageBuffersPerShaderStage: p.adapter.limits.maxStorageBuffersPerShaderStage } } : { ok: false, why: p.why };
  }
  const engine = await loadWebGpuEngine();
  if (job.kind === 'sae-grad') {
    const { p } = job;
    const gpu = new GpuSae(engine.device, p.d, p.m, job.B, 1, true);
    try {
      const f64 = (a: number[]) => Float64Array.from(a);
      gpu.upload({ d: p.d, m: p.m, Wenc: f64(p.Wenc), benc: f64(p.benc), Wdec: f64(p.Wdec), bdec: f64(p.bdec) });
      gpu.run(Float32Array.from(job.H), 0, 1, { l1: job.l1, lr: 1e-3 });
      const g = await gpu.lastGrads();
      return { loss: await gpu.lastLoss(), grads: { Wenc: Array.from(g.Wenc), benc: Array.from(g.benc), Wdec: Array.from(g.Wdec), bdec: Array.from(g.bdec) } };
    } finally {
      gpu.destroy();
    }
  }
  if (job.kind === 'sae-train') {
    const toy: Params = { ...job.toy, W: Float32Array.from(job.toy.W), b: Float32Array.from(job.toy.b) };
    const r = await trainSaeGpu(engine.device, toy, job.inst, { kind: 'independent' }, job.cfg, job.label);
    return { params: saeJson(r.params), finalLoss: r.finalLoss, resampled: r.resampled };
  }
  if (job.kind === 'train') {
    try {
      const out = await engine.train(job.run);
      return { ok: true, name: engine.name, instances: out.map((t) => ({ finalLoss: t.finalLoss, losses: t.losses, W: arr(t.params.W), W2: arr(t.params.W2), b: arr(t.params.b) })) };
    } catch (e) {
      const err = e as Error & { instance?: number; step?: number };
      return { ok: false, name: err.name, message: err.message, instance: err.instance, step: err.step };
    }
  }
  const g = engine.group(job.run, 0, job.run.instances.length, { generate: job.kind === 'sample', gradOut: job.kind === 'step' });
  try {
    if (job.kind === 'sample') return (await g.sampleBatches(job.steps)).map((perInst) => perInst.map((x) => Array.from(x)));
    g.uploadParams(job.params.map((p) => ({ kind: job.run.model.kind, n: job.run.model.n, m: job.run.model.m, W: Float32Array.from(p.W), W2: p.W2 && Float32Array.from(p.W2), b: Float32Array.from(p.b) })));
    const r = await g.stepOnBatch(job.x.map((x) => Float32Array.from(x)));
    return { loss: Array.from(r.loss), grads: Array.from(r.grads), params: r.params.map((p) => ({ W: arr(p.W), W2: arr(p.W2), b: arr(p.b) })), S: g.shape.S };
  } finally {
    g.destroy();
  }
}

async function main(): Promise<void> {
  const jobs = JSON.parse(readFileSync(process.argv[2], 'utf8')) as GpuJob[];
  const results: unknown[] = [];
  for (const job of jobs) results.push(await runJob(job));
  writeFileSync(process.argv[3], JSON.stringify(results));
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(1);
  },
);
