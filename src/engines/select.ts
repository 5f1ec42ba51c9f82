// Engine selection: TMS_ENGINE=native|tfjs|auto (default native). `auto` prefers a GPU tfjs backend
// when one loads, else native (the fastest on CPU).
import type { Engine } from './engine.js';
import { NativeEngine } from './native/index.js';
import { envChoice } from '../env.js';

export type EngineName = 'native' | 'tfjs' | 'auto';
export const ENGINE_NAMES: EngineName[] = ['native', 'tfjs', 'auto'];

/** The engine named by TMS_ENGINE (unset or empty = native); a ConfigError names a bad value. */
export function engineFromEnv(): EngineName {
  return envChoice('TMS_ENGINE', ENGINE_NAMES, 'native')!;
}

export async function getEngine(name: EngineName = engineFromEnv()): Promise<Engine> {
  if (name === 'native') return new NativeEngine();
  const { loadTfjsEngine } = await import('./tfjs/index.js');
  const tf = await loadTfjsEngine();
  if (name === 'tfjs') return tf;
  return tf.isGpu ? tf : new NativeEngine();
}
