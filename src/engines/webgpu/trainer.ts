/// <reference types="@webgpu/types" />
// Trains one group of instances on the GPU: uploads init and tables once, submits K steps per command
// buffer (three dispatches a step), reads the K×I per-step losses back after each block (while the next
// block runs) and the parameters once at the end.
import type { RunConfig, TrainedInstance } from '../../types.js';
import type { Params } from '../../types.js';
import { TrainingDivergedError } from '../../instance.js';
import { assertFiniteParams, LossLog, setupInstance } from '../shared.js';
import { shapeOf, tables, UNIFORM_STRIDE, WG, type Shape } from './layout.js';
import { forwardGrid, forwardKernel, lossKernel, updateKernel, type KernelOptions } from './wgsl.js';
import { readFloats } from './readback.js';
import { computeStep, type Access } from './pipeline.js';

// GPUBufferUsage / GPUMapMode / GPUShaderStage values (the spec's numbers; the globals are not installed).
const MAP_READ = 1, COPY_SRC = 4, COPY_DST = 8, UNIFORM = 64, STORAGE = 128;

/** Steps per command buffer (and per loss read-back). */
export const STEPS_PER_SUBMIT = 256;

export class GpuGroup {
  readonly shape: Shape;
  private readonly buf: Record<'P' | 'X' | 'G' | 'H' | 'DH' | 'LB' | 'TAB' | 'ITAB' | 'MOM' | 'GOUT' | 'LOSS' | 'UNI', GPUBuffer>;
  private readonly pipes: { forward: GPUComputePipeline; loss: GPUComputePipeline; update: GPUComputePipeline };
  private readonly groups: { forward: GPUBindGroup; loss: GPUBindGroup; update: GPUBindGroup };
  private readonly K: number;
  private readonly initial: Params[];

  constructor(private readonly device: GPUDevice, private readonly run: RunConfig, private readonly first: number, I: number, private readonly opts: KernelOptions, K = STEPS_PER_SUBMIT) {
    const s = (this.shape = shapeOf(run, I));
    this.K = K;
    const insts = run.instances.slice(first, first + I);
    // Same init as every engine: setupInstance's parameters, uploaded once.
    this.initial = insts.map((inst) => setupInstance(run.namespace, run.model, run.data, inst).params);
    const { tab, itab } = tables(run.data, run.namespace, insts, s.n);
    const f = 4;
    const mk = (floats: number, extra = 0) => device.createBuffer({ size: Math.max(16, floats * f), usage: STORAGE | COPY_SRC | COPY_DST | extra });
    this.buf = {
      P: mk(I * s.S), X: mk(I * s.B * s.n), G: mk(I * s.B * s.n), H: mk(I * s.B * s.m), DH: mk(I * s.B * s.m),
      LB: mk(I * s.B), TAB: mk(tab.length), ITAB: mk(itab.length), MOM: mk(2 * I * s.S), GOUT: mk(opts.gradOut ? I * s.S : 4),
      LOSS: mk(K * I), UNI: device.createBuffer({ size: K * UNIFORM_STRIDE, usage: UNIFORM | COPY_DST }),
    };
    this.uploadParams(this.initial);
    device.queue.writeBuffer(this.buf.TAB, 0, tab as Float32Array<ArrayBuffer>);
    device.queue.writeBuffer(this.buf.ITAB, 0, itab as Uint32Array<ArrayBuffer>);
    // MOM starts at zero: WebGPU zero-initialises new buffers.

    const make = (code: string, kinds: Access[], bufs: GPUBuffer[]) => computeStep(device, code, this.buf.UNI, 48, bufs.map((buffer, j) => [buffer, kinds[j]]));
    const b = this.buf;
    const fw = make(forwardKernel(s, opts), ['read', 'rw', 'rw', 'rw', 'rw', 'rw', 'read', 'read'], [b.P, b.X, b.G, b.H, b.DH, b.LB, b.TAB, b.ITAB]);
    const ls = make(lossKernel(s), ['read', 'rw'], [b.LB, b.LOSS]);
    const up = make(updateKernel(s, opts), ['rw', 'read', 'read', 'read', 'read', 'rw', 'rw'], [b.P, b.X, b.G, b.H, b.DH, b.MOM, b.GOUT]);
    this.pipes = { forward: fw.pipe, loss: ls.pipe, update: up.pipe };
    this.groups = { forward: fw.group, loss: ls.group, update: up.group };
  }

  /** Replaces the parameters (the constructor uploads setupInstance's init; tests move off it). */
  uploadParams(params: Params[]): void {
    const s = this.shape;
    const P = new Float32Array(s.I * s.S);
    params.forEach((p, g) => {
      P.set(p.W, g * s.S);
      if (p.W2) P.set(p.W2, g * s.S + s.dOff);
      P.set(p.b, g * s.S + s.bOff);
    });
    this.device.queue.writeBuffer(this.buf.P, 0, P);
  }

  /** Per-step uniforms for steps [s0, s0 + k): AdamW's constants computed in float64 as in adamw.ts. */
  private writeUniforms(s0: number, k: number): void {
    const { lr, weightDecay, beta1, beta2, eps } = this.run.train;
    const rec = new ArrayBuffer(k * UNIFORM_STRIDE);
    for (let j = 0; j < k; j++) {
      const t = s0 + j + 1;
      const u = new Uint32Array(rec, j * UNIFORM_STRIDE, 2);
      const f = new Float32Array(rec, j * UNIFORM_STRIDE + 8, 8);
      u[0] = s0 + j;
      u[1] = j;
      f.set([lr / (1 - beta1 ** t), Math.sqrt(1 - beta2 ** t), 1 - lr * weightDecay, beta1, beta2, eps, 1 - beta1, 1 - beta2]);
    }
    this.device.queue.writeBuffer(this.buf.UNI, 0, rec);
  }

  /** Encodes k steps (forward, loss, update each) into one compute pass. */
  private encodeSteps(enc: GPUCommandEncoder, k: number, update = true): void {
    const s = this.shape;
    const pass = enc.beginComputePass();
    for (let j = 0; j < k; j++) {
      const off = [j * UNIFORM_STRIDE];
      pass.setPipeline(this.pipes.forward);
      pass.setBindGroup(0, this.groups.forward, off);
      pass.dispatchWorkgroups(...forwardGrid(s));
      pass.setPipeline(this.pipes.loss);
      pass.setBindGroup(0, this.groups.loss, off);
      pass.dispatchWorkgroups(1, s.I);
      if (!update) continue;
      pass.setPipeline(this.pipes.update);
      pass.setBindGroup(0, this.groups.update, off);
      pass.dispatchWorkgroups(Math.ceil(s.S / WG), s.I);
    }
    pass.end();
  }

  private staging(floats: number): GPUBuffer {
    return this.device.createBuffer({ size: Math.max(16, floats * 4), usage: MAP_READ | COPY_DST });
  }

  private readBack(src: GPUBuffer, floats: number): Promise<Float32Array> {
    return readFloats(this.device, src, floats);
  }

  /** Trains all steps; `onSteps(done)` after each block. Throws TrainingDivergedError at the first non-finite loss. */
  async train(onSteps?: (stepsDone: number) => void): Promise<TrainedInstance[]> {
    const { steps } = this.run.train;
    const { I } = this.shape;
    const logs = Array.from({ length: I }, () => new LossLog(steps));
    const stage = [this.staging(this.K * I), this.staging(this.K * I)];
    // Block j+1 is submitted before block j's losses are read, so the GPU never waits for the host.
    const submit = (s0: number, slot: number): { s0: number; k: number; slot: number } => {
      const k = Math.min(this.K, steps - s0);
      this.writeUniforms(s0, k);
      const enc = this.device.createCommandEncoder();
      this.encodeSteps(enc, k);
      enc.copyBufferToBuffer(this.buf.LOSS, 0, stage[slot], 0, k * I * 4);
      this.device.queue.submit([enc.finish()]);
      return { s0, k, slot };
    };
    let pending = steps > 0 ? submit(0, 0) : undefined;
    while (pending) {
      const cur = pending;
      const next = cur.s0 + cur.k;
      pending = next < steps ? submit(next, 1 - cur.slot) : undefined;
      const buf = stage[cur.slot];
      await buf.mapAsync(1);
      const losses = new Float32Array(buf.getMappedRange().slice(0, cur.k * I * 4));
      buf.unmap();
      for (let j = 0; j < cur.k; j++) {
        for (let g = 0; g < I; g++) {
          const loss = losses[j * I + g];
          if (!Number.isFinite(loss)) {
            stage.forEach((b) => b.destroy());
            throw new TrainingDivergedError(this.first + g, cur.s0 + j, `loss ${loss}`);
          }
          logs[g].record(cur.s0 + j, loss);
        }
      }
      onSteps?.(next);
    }
    stage.forEach((b) => b.destroy());
    const params = this.unpack(await this.readBack(this.buf.P, I * this.shape.S));
    return params.map((p, g) => {
      assertFiniteParams(p, this.first + g, steps);
      return { config: this.run.instances[this.first + g], params: p, ...logs[g].result() };
    });
  }

  private unpack(P: Float32Array): Params[] {
    const s = this.shape;
    return this.initial.map((p0, g) => {
      const o = g * s.S;
      return { kind: p0.kind, n: s.n, m: s.m, W: P.slice(o, o + s.n * s.m), W2: p0.W2 ? P.slice(o + s.dOff, o + s.dOff + s.n * s.m) : undefined, b: P.slice(o + s.bOff, o + s.bOff + s.n) };
    });
  }

  /** Test entry point: one step on host batches x[g] (dense B×n per instance). Needs opts generate=false, gradOut=true. */
  async stepOnBatch(x: Float32Array[]): Promise<{ loss: Float32Array; grads: Float32Array; params: Params[] }> {
    const s = this.shape;
    const X = new Float32Array(s.I * s.B * s.n);
    x.forEach((xg, g) => X.set(xg, g * s.B * s.n));
    this.device.queue.writeBuffer(this.buf.X, 0, X);
    this.writeUniforms(0, 1);
    const enc = this.device.createCommandEncoder();
    this.encodeSteps(enc, 1);
    this.device.queue.submit([enc.finish()]);
    const loss = await this.readBack(this.buf.LOSS, s.I);
    const grads = await this.readBack(this.buf.GOUT, s.I * s.S);
    const params = this.unpack(await this.readBack(this.buf.P, s.I * s.S));
    return { loss, grads, params };
  }

  /** Test entry point: the generated batches of steps [0, steps) (dense, [instance][B×n]), parameters left as they are. */
  async sampleBatches(steps: number): Promise<Float32Array[][]> {
    const s = this.shape;
    const out: Float32Array[][] = [];
    for (let t = 0; t < steps; t++) {
      this.writeUniforms(t, 1);
      const enc = this.device.createCommandEncoder();
      this.encodeSteps(enc, 1, false);
      this.device.queue.submit([enc.finish()]);
      const X = await this.readBack(this.buf.X, s.I * s.B * s.n);
      out.push(Array.from({ length: s.I }, (_, g) => X.slice(g * s.B * s.n, (g + 1) * s.B * s.n)));
    }
    return out;
  }

  destroy(): void {
    for (const b of Object.values(this.buf)) b.destroy();
  }
}
