// One benchmark measurement in a fresh process (so peak RSS is this engine's alone):
//   tsx bench/child.ts '{"engine":"native","threads":2,"config":"n20-m5","scale":1,"steps":null}'
// (engine "native-f32": the native engine with float32 arithmetic)
// prints one line: RESULT {...}
import { benchConfigs, scalingConfigs } from './configs.js';
import type { Engine } from '../src/engines/engine.js';

export interface ChildSpec {
  engine: 'native' | 'native-f32' | 'tfjs' | 'webgpu';
  threads?: number;
  config: string;
  scale: number;
  /** overrides the config's steps (tfjs is capped) */
  steps?: number;
}

export interface Measured {
  engine: string;
  describe: string;
  steps: number;
  seconds: number;
  stepsPerSec: number;
  maxRssMb: number;
  /** summed over instances, block means (LOSS_POINTS blocks) */
  losses: number[];
}

const spec = JSON.parse(process.argv[2]) as ChildSpec;
const bc = [...benchConfigs(spec.scale), ...scalingConfigs(spec.scale)].find((c) => c.id === spec.config);
if (!bc) throw new Error(`unknown bench config ${spec.config}`);
const run = spec.steps ? { ...bc.run, train: { ...bc.run.train, steps: spec.steps } } : bc.run;

let engine: Engine;
if (spec.engine === 'native' || spec.engine === 'native-f32') {
  const { NativeEngine } = await import('../src/engines/native/index.js');
  engine = new NativeEngine({ threads: spec.threads, numerics: spec.engine === 'native-f32' ? 'f32' : 'f64' });
} else if (spec.engine === 'webgpu') {
  const { loadWebGpuEngine } = await import('../src/engines/webgpu/index.js');
  engine = await loadWebGpuEngine();
} else {
  const { getEngine } = await import('../src/engines/select.js');
  engine = await getEngine('tfjs');
}
// One step of the same run first: worker threads start and load their code, as they do once per process
// in a spec run; the PyTorch peer likewise times its training loop only.
await engine.train({ ...run, train: { ...run.train, steps: 1 } });
const t0 = performance.now();
const trained = await engine.train(run);
const seconds = (performance.now() - t0) / 1000;
const losses = trained[0].losses.map((_, j) => trained.reduce((a, t) => a + t.losses[j], 0));
const out: Measured = {
  engine: engine.name,
  describe: engine.describe(),
  steps: run.train.steps,
  seconds,
  stepsPerSec: run.train.steps / seconds,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
  losses,
};
console.log(`RESULT ${JSON.stringify(out)}`);
process.exit(0); // pool workers and tfjs backends need not be torn down
