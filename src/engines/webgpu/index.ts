/// <reference types="@webgpu/types" />
// The WebGPU engine: hand-written WGSL kernels on Dawn (the optional `webgpu` package), every instance of
// a run in the same dispatches, data generated on the GPU (Philox4x32-10), AdamW on the GPU. Init is
// setupInstance's, like every engine; the data stream is its own (a counter-based generator keyed by the
// instance's data stream), so runs agree with native statistically, not bit for bit.
import type { Engine, Progress } from '../engine.js';
import type { RunConfig, TrainedInstance } from '../../types.js';
import { ConfigError } from '../../errors.js';
import { adapterKey, describeAdapter, openDevice, probeAdapter, type AdapterInfo } from './device.js';
import { GpuGroup } from './trainer.js';
import type { KernelOptions } from './wgsl.js';

export { probeAdapter, describeAdapter, type AdapterInfo } from './device.js';

export class WebGpuEngine implements Engine {
  /** "webgpu:<vendor>|<architecture>|<device>|<description>": floats may differ between adapters and drivers */
  readonly name: string;

  /** the device, for GPU work beside training runs (the sparse autoencoder, sae.ts) */
  constructor(readonly device: GPUDevice, readonly adapter: AdapterInfo) {
    this.name = `webgpu:${adapterKey(adapter)}`;
  }

  describe(): string {
    return `webgpu (WGSL kernels on ${describeAdapter(this.adapter)}; data generated on the GPU, instances batched)`;
  }

  /** Instances per group, so that the largest buffer (x of every instance: I·B·n floats) fits one binding. */
  private perGroup(run: RunConfig): number {
    const l = this.device.limits;
    const perInst = 4 * run.train.batch * Math.max(run.model.n, run.model.m);
    const cap = Math.max(1, Math.floor(Math.min(l.maxStorageBufferBindingSize, l.maxBufferSize) / perInst));
    return Math.min(cap, l.maxComputeWorkgroupsPerDimension, run.instances.length);
  }

  /** A group of instances [first, first + count) ready to train (tests use it with their own options). */
  group(run: RunConfig, first: number, count: number, opts: KernelOptions = { generate: true, gradOut: false }): GpuGroup {
    if (run.train.batch > this.device.limits.maxComputeWorkgroupsPerDimension) {
      throw new ConfigError(`train.batch = ${run.train.batch} exceeds this adapter's ${this.device.limits.maxComputeWorkgroupsPerDimension} workgroups per dispatch dimension (webgpu engine)`);
    }
    return new GpuGroup(this.device, run, first, count, opts);
  }

  async train(run: RunConfig, onProgress?: (p: Progress) => void): Promise<TrainedInstance[]> {
    const total = run.instances.length * run.train.steps;
    const per = Math.max(1, this.perGroup(run));
    const out: TrainedInstance[] = [];
    for (let first = 0; first < run.instances.length; first += per) {
      const count = Math.min(per, run.instances.length - first);
      const g = this.group(run, first, count);
      try {
        out.push(...(await g.train((done) => onProgress?.({ done: first * run.train.steps + done * count, total }))));
      } finally {
        g.destroy();
      }
    }
    return out;
  }
}

let memo: Promise<WebGpuEngine> | undefined;

/** The engine on this machine's adapter (one device per process), or a ConfigError that says what is missing. */
export function loadWebGpuEngine(): Promise<WebGpuEngine> {
  return (memo ??= load());
}

async function load(): Promise<WebGpuEngine> {
  const probe = await probeAdapter();
  if (!probe.ok) throw new ConfigError(`TMS_ENGINE=webgpu: ${probe.why}`);
  return new WebGpuEngine(await openDevice(probe.adapter), probe.info);
}
