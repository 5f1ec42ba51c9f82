// Engine selection: TMS_ENGINE=native|tfjs|auto (default native). `auto` prefers a GPU tfjs backend
// when one loads, else native (the fastest on CPU).
import type { Engine } from './engine.js';
import { NativeEngine } from './native/index.js';

export type EngineName = 'native' | 'tfjs' | 'auto';
export const ENGINE_NAMES: EngineName[] = ['native', 'tfjs', 'auto'];

export function engineFromEnv(): EngineName {
  const v = (process.env.TMS_ENGINE ?? 'native').trim();
  if (!ENGINE_NAMES.includes(v as EngineName)) {
    throw new Error(`TMS_ENGINE must be one of ${ENGINE_NAMES.join(', ')}; got "${v}"`);
  }
  return v as EngineName;
}

export async function getEngine(name: EngineName = engineFromEnv()): Promise<Engine> {
  if (name === 'native') return new NativeEngine();
  const { loadTfjsEngine } = await import('./tfjs/index.js');
  const tf = await loadTfjsEngine();
  if (name === 'tfjs') return tf;
  return tf.isGpu ? tf : new NativeEngine();
}
