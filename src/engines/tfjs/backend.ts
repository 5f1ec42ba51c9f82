// Loads TensorFlow.js with the best backend that works here, once per process:
//   1. @tensorflow/tfjs-node-gpu (CUDA), 2. @tensorflow/tfjs-node (libtensorflow on CPU),
//   3. @tensorflow/tfjs with the WebAssembly backend, 4. the same with the plain-JS 'cpu' backend.
// Every tfjs package is imported dynamically, so nothing loads tfjs unless this module's loader runs.
import type * as TF from '@tensorflow/tfjs';

export type Tf = typeof TF;
export type TfBackendName = 'node-gpu' | 'node' | 'wasm' | 'cpu';

export interface LoadedTf {
  tf: Tf;
  /** which of the four backends loaded */
  backend: TfBackendName;
  /** true for tfjs-node-gpu */
  isGpu: boolean;
}

let memo: Promise<LoadedTf> | undefined;

/** Loads tfjs once per process (later calls share the first result). */
export function loadTf(): Promise<LoadedTf> {
  return (memo ??= load());
}

// Module names as variables: the tfjs-node packages are optional and usually absent, so the type
// checker must not try to resolve them.
const NODE_GPU = '@tensorflow/tfjs-node-gpu';
const NODE_CPU = '@tensorflow/tfjs-node';

// Why tfjs-node-gpu rarely loads: it is the last release (4.22, 2024) and binds one libtensorflow build.
const NODE_GPU_WHY = `[tms] tfjs: ${NODE_GPU} needs libtensorflow 2.9.1 built for CUDA 11.2 + cuDNN 8.1, which its install script ` +
  'downloads from outside the npm registry; current GPU drivers (CUDA 12/13) cannot run it. For a GPU, use TMS_ENGINE=webgpu.';

/** A CommonJS package imported from ESM: its API is the namespace or its `default` export. */
function apiOf(mod: Record<string, unknown>): Tf {
  return (typeof mod.setBackend === 'function' ? mod : mod.default) as Tf;
}

async function tryNode(spec: string): Promise<Tf | string> {
  try {
    const tf = apiOf(await import(spec));
    await tf.ready();
    return tf;
  } catch (e) {
    const err = e as { code?: string; message?: string };
    return err.code === 'ERR_MODULE_NOT_FOUND' || err.code === 'MODULE_NOT_FOUND'
      ? 'not installed'
      : `failed to load (${String(err.message ?? e).split('\n')[0]})`;
  }
}

async function load(): Promise<LoadedTf> {
  const gpu = await tryNode(NODE_GPU);
  if (typeof gpu !== 'string') return { tf: gpu, backend: 'node-gpu', isGpu: true };
  const cpu = await tryNode(NODE_CPU);
  if (typeof cpu !== 'string') return { tf: cpu, backend: 'node', isGpu: false };

  const tf = apiOf(await import('@tensorflow/tfjs'));
  let backend: TfBackendName = 'wasm';
  try {
    await import('@tensorflow/tfjs-backend-wasm'); // registers the 'wasm' backend with tfjs-core
    if (!(await tf.setBackend('wasm'))) throw new Error('setBackend returned false');
    await tf.ready();
  } catch {
    backend = 'cpu';
    await tf.setBackend('cpu');
    await tf.ready();
    // The cpu backend prints a multi-line "install tfjs-node" banner on first use; our line says it.
    (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  }
  const why = gpu === cpu ? `${NODE_GPU} and ${NODE_CPU} ${gpu}` : `${NODE_GPU} ${gpu}, ${NODE_CPU} ${cpu}`;
  process.stderr.write(`[tms] tfjs: ${why}; using @tensorflow/tfjs with the ${backend} backend (slow)\n${NODE_GPU_WHY}\n`);
  return { tf, backend, isGpu: false };
}
