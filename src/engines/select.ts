// Engine selection: TMS_ENGINE=native-f32|native|tfjs|webgpu|auto (default native-f32: the native engine in
// float32 arithmetic, as PyTorch trains the paper's models, and the fastest on CPU; `native` is the same
// engine in float64, bit-exact to kernel.ts; each has its own cache key). `auto` takes the webgpu engine
// only on a hardware adapter (a software one is slower than native), else a GPU tfjs backend when one
// loads, else native-f32 (the fastest on CPU), and says in one line which adapter it found or why none.
import type { Engine } from './engine.js';
import { NativeEngine } from './native/index.js';
import { envChoice } from '../env.js';

export type EngineName = 'native' | 'native-f32' | 'tfjs' | 'webgpu' | 'auto';
export const ENGINE_NAMES: EngineName[] = ['native', 'native-f32', 'tfjs', 'webgpu', 'auto'];
/** What an unset TMS_ENGINE trains with (the flake bounds count for the suite only when measured on it) */
export const DEFAULT_ENGINE: EngineName = 'native-f32';

/** The engine named by TMS_ENGINE (unset or empty = native-f32); a ConfigError names a bad value. */
export function engineFromEnv(): EngineName {
  return envChoice('TMS_ENGINE', ENGINE_NAMES, DEFAULT_ENGINE)!;
}

export async function getEngine(name: EngineName = engineFromEnv()): Promise<Engine> {
  if (name === 'native') return new NativeEngine();
  if (name === 'native-f32') return new NativeEngine({ numerics: 'f32' });
  if (name === 'webgpu') {
    // a ConfigError saying what is missing when there is no adapter (the CLI exits 2)
    const { loadWebGpuEngine } = await import('./webgpu/index.js');
    return loadWebGpuEngine();
  }
  if (name === 'auto') {
    const gpu = await autoWebGpu();
    if (gpu) return gpu;
  }
  const { loadTfjsEngine } = await import('./tfjs/index.js');
  const tf = await loadTfjsEngine();
  if (name === 'tfjs') return tf;
  return tf.isGpu ? tf : new NativeEngine({ numerics: 'f32' });
}

/** The webgpu engine when a hardware adapter is found; prints the one line that says what was found. */
async function autoWebGpu(): Promise<Engine | undefined> {
  const { describeAdapter, loadWebGpuEngine, probeAdapter } = await import('./webgpu/index.js');
  const p = await probeAdapter();
  if (!p.ok) {
    process.stderr.write(`[tms] auto: no GPU for the webgpu engine (${p.why}); not using webgpu\n`);
    return undefined;
  }
  if (p.info.software) {
    process.stderr.write(`[tms] auto: WebGPU adapter ${describeAdapter(p.info)} is a software/fallback adapter; not using webgpu\n`);
    return undefined;
  }
  process.stderr.write(`[tms] auto: webgpu engine on ${describeAdapter(p.info)}\n`);
  return loadWebGpuEngine();
}
