// `npx tsx bench/profile.ts [kind] [n] [m] [batch] [S,S,...] [f64|f32]`: where one native instance-step spends
// its time, phase by phase (runTimed of WasmStepper, or WasmStepperF32 for the f32 numerics), on one core; the
// best of 20 steps after 5 warm-up steps.
import { setupInstance } from '../src/engines/shared.js';
import { WasmStepper } from '../src/engines/native/wasm-kernel.js';
import { WasmStepperF32 } from '../src/engines/native/wasm-kernel-f32.js';
import { AdamW } from '../src/engines/native/adamw.js';
import { sparseOptions } from '../src/engines/native/train-instance.js';
import { featureProbs } from '../src/instance.js';
import { DEFAULT_TRAIN, type ModelKind } from '../src/types.js';

const [kind = 'relu-output', n = '400', m = '30', B = '1024', S = '0,0.9,0.99', numerics = 'f64'] = process.argv.slice(2);
console.log(`${kind} n=${n} m=${m} batch=${B}, ${numerics} numerics: milliseconds per instance-step`);
for (const sparsity of S.split(',').map(Number)) {
  const model = { kind: kind as ModelKind, n: Number(n), m: Number(m) };
  const inst = { seed: 1, sparsity, importance: Array(model.n).fill(1) };
  const s = setupInstance('profile', model, { kind: 'independent' }, inst);
  // the f32 kernel with the skips training would choose for this instance
  const st = numerics === 'f32' ? new WasmStepperF32(s.traits, model.n, model.m, Number(B), s.importance, sparseOptions(model.n, model.m, featureProbs(inst, model.n)))
    : new WasmStepper(s.traits, model.n, model.m, Number(B), s.importance);
  const D = s.traits.tied ? s.params.W : s.params.W2!;
  const tensors = s.traits.tied ? [s.params.W, s.params.b] : [s.params.W, s.params.W2!, s.params.b];
  const grads = s.traits.tied ? [st.grads.gW, st.grads.gb] : [st.grads.gW, st.grads.gW2!, st.grads.gb];
  const opt = new AdamW(tensors, DEFAULT_TRAIN);
  const best: Record<string, number> = {};
  for (let i = 0; i < 25; i++) {
    const ms: Record<string, number> = {};
    const t0 = performance.now();
    s.sampler.fill(st.batch);
    ms.data = performance.now() - t0;
    st.runTimed(s.params.W, D, s.params.b, ms);
    ms.total = Object.values(ms).reduce((a, b) => a + b, 0);
    opt.step(grads);
    if (i >= 5) for (const [k, v] of Object.entries(ms)) best[k] = Math.min(best[k] ?? Infinity, v);
  }
  console.log(`S=${sparsity}: ` + Object.entries(best).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', '));
}
