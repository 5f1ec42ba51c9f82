// Trains one instance to completion. Pure: the result depends only on its arguments, which is what
// lets instances run in any order or on any worker thread and still give bit-identical weights.
import type { DataConfig, InstanceConfig, ModelConfig, Params, Snapshot, TrainConfig, TrainedInstance } from '../../types.js';
import { allocBatch, type Batch } from '../../data.js';
import type { ModelTraits } from '../../models.js';
import { featureProbs, TrainingDivergedError } from '../../instance.js';
import { envChoice } from '../../env.js';
import { assertFiniteParams, LossLog } from '../shared.js';
import { setupTraining } from './setup.js';
import { addHiddenL1 } from './hidden-l1.js';
import type { Grads } from './kernel.js';
import { allocFastWorkspace, fastForwardBackward } from './fast-kernel.js';
import { WasmStepper, wasmSimdAvailable } from './wasm-kernel.js';
import { forwardBackwardF32 } from './kernel-f32.js';
import { allocWorkspace } from './kernel.js';
import { type Options, WasmStepperF32 } from './wasm-kernel-f32.js';

export { LOSS_POINTS } from '../shared.js';

export interface InstanceJob {
  namespace: string;
  model: ModelConfig;
  data: DataConfig;
  train: TrainConfig;
  inst: InstanceConfig;
  index: number;
  /** 'f64' (default): kernel.ts's numerics; 'f32': float32 arithmetic (kernel-f32.ts, engine native-f32) */
  numerics?: Numerics;
}

/** Which arithmetic a native kernel does: the reference's (float32 stores of double operations) or float32's. */
export type Numerics = 'f64' | 'f32';

/** A batch buffer, gradient buffers and the kernel that fills the latter from the former. */
interface Stepper {
  batch: Batch;
  grads: Grads;
  run(E: Float32Array, D: Float32Array, bias: Float32Array): number;
}

/** Which kernel: TMS_NATIVE_KERNEL=js|wasm (default: wasm where WebAssembly SIMD runs). Same bits either way. */
export function kernelKind(): 'js' | 'wasm' {
  return envChoice('TMS_NATIVE_KERNEL', ['js', 'wasm'] as const, wasmSimdAvailable ? 'wasm' : 'js')!;
}

function makeStepper(t: ModelTraits, n: number, m: number, B: number, importance: Float64Array, numerics: Numerics = 'f64', probs?: ArrayLike<number>): Stepper {
  if (numerics === 'f32') return makeStepperF32(t, n, m, B, importance, probs);
  if (kernelKind() === 'wasm') return new WasmStepper(t, n, m, B, importance);
  const batch = allocBatch(B, n);
  const ws = allocFastWorkspace(B, n, m);
  const grads: Grads = { gW: new Float32Array(n * m), gW2: t.tied ? undefined : new Float32Array(n * m), gb: new Float32Array(n) };
  return { batch, grads, run: (E, D, bias) => fastForwardBackward(t, n, m, E, D, bias, importance, batch, ws, grads) };
}

const copyParams = (p: Params): Params => ({ ...p, W: p.W.slice(), W2: p.W2?.slice(), b: p.b.slice() });

/** Which of the f32 kernel's skips pay for their tests (measured: docs/native-engine.md). */
export function sparseOptions(n: number, m: number, probs?: ArrayLike<number>): Options {
  const p = probs === undefined ? [] : Array.from(probs);
  return {
    // idle output groups: when every feature is absent at least half the time
    skipIdle: probs !== undefined && p.every((v) => v <= 0.5),
    // shared empty rows: when most samples have no input and a decoder row is not trivially cheap
    emptyRows: probs !== undefined && n * m >= EMPTY_ROWS_MIN_NM && p.reduce((a, v) => a * (1 - v), 1) >= 0.5,
  };
}
/** below this n·m a decoder row costs about as much as the test for an empty sample (C1, C3, C5, C9: no gain measured) */
const EMPTY_ROWS_MIN_NM = 40;

/** The f32 numerics: f32x4 WebAssembly, or its readable reference where SIMD is missing (or TMS_NATIVE_KERNEL=js); same bits. */
function makeStepperF32(t: ModelTraits, n: number, m: number, B: number, importance: Float64Array, probs?: ArrayLike<number>): Stepper {
  if (kernelKind() === 'wasm') return new WasmStepperF32(t, n, m, B, importance, sparseOptions(n, m, probs));
  const batch = allocBatch(B, n);
  const ws = allocWorkspace(B, m);
  const grads: Grads = { gW: new Float32Array(n * m), gW2: t.tied ? undefined : new Float32Array(n * m), gb: new Float32Array(n) };
  return { batch, grads, run: (E, D, bias) => forwardBackwardF32(t, n, m, E, D, bias, importance, batch, ws, grads) };
}

export function trainInstance(job: InstanceJob, onStep?: (step: number) => void): TrainedInstance {
  const { model, train, inst } = job;
  const { n, m } = model;
  // setupInstance + AdamW, or the variant the job carries (src/engines/native/setup.ts)
  const { traits, params, sampler, importance, makeOptimizer } = setupTraining(job);
  const stepper = makeStepper(traits, n, m, train.batch, importance, job.numerics, featureProbs(inst, n));
  const { batch, grads } = stepper;
  const D = traits.tied ? params.W : params.W2!;
  const tensors = traits.tied ? [params.W, params.b] : [params.W, params.W2!, params.b];
  const gradList = traits.tied ? [grads.gW, grads.gb] : [grads.gW, grads.gW2!, grads.gb];
  const opt = makeOptimizer(tensors, train);

  const log = new LossLog(train.steps);
  const every = train.snapshotEvery;
  const l1 = train.hiddenL1;
  const l1Scratch = l1 ? new Float64Array(train.batch * m) : undefined;
  const snapshots: Snapshot[] = [];
  for (let step = 0; step < train.steps; step++) {
    sampler.fill(batch);
    const loss = stepper.run(params.W, D, params.b);
    if (l1) addHiddenL1(traits, m, params.W, batch, l1, grads.gW, l1Scratch!);
    if (!Number.isFinite(loss)) throw new TrainingDivergedError(job.index, step, `loss ${loss}`);
    opt.step(gradList);
    log.record(step, loss);
    if (every && (step + 1) % every === 0) snapshots.push({ step: step + 1, params: copyParams(params) });
    onStep?.(step);
  }
  assertFiniteParams(params, job.index, train.steps);
  return { config: inst, params, ...log.result(), ...(every && { snapshots }) };
}
