// Child process for the WebGPU tests: Dawn runs here, never in the vitest worker (a Dawn crash then fails
// one test instead of the run, and dawn.node's handles cannot keep vitest alive). Reads jobs from the JSON
// file argv[2], writes one result per job to argv[3], then exits.
import { readFileSync, writeFileSync } from 'node:fs';
import type { RunConfig } from '../../src/types.js';
import { loadWebGpuEngine, probeAdapter } from '../../src/engines/webgpu/index.js';

export type GpuJob =
  | { kind: 'probe' }
  | { kind: 'step'; run: RunConfig; x: number[][]; params: { W: number[]; W2?: number[]; b: number[] }[] }
  | { kind: 'sample'; run: RunConfig; steps: number }
  | { kind: 'train'; run: RunConfig };

const arr = (a: Float32Array | undefined) => (a ? Array.from(a) : undefined);

async function runJob(job: GpuJob): Promise<unknown> {
  if (job.kind === 'probe') {
    const p = await probeAdapter();
    return p.ok ? { ok: true, info: p.info, limits: { maxStorageBuffersPerShaderStage: p.adapter.limits.maxStorageBuffersPerShaderStage } } : { ok: false, why: p.why };
  }
  const engine = await loadWebGpuEngine();
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
