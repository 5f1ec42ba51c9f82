// Worker-thread side of pool.ts: trains the instances it is sent, one at a time, with the same pure
// trainInstance as the main thread (so threaded results are bit-identical to in-thread ones).
import { parentPort } from 'node:worker_threads';
import { trainInstance, type InstanceJob } from './train-instance.js';
import { loadVariant, type TrainingVariant } from './setup.js';
import type { WorkerReply, WorkerRequest } from './pool.js';

const port = parentPort!;
port.on('message', async (msg: WorkerRequest) => {
  const { id, job, progressEvery } = msg;
  const post = (r: WorkerReply, transfer?: ArrayBuffer[]) => port.postMessage(r, transfer);
  try {
    await loadVariant((job as { variant?: TrainingVariant }).variant);
    const t = trainInstance(job as InstanceJob, (s) => {
      if ((s + 1) % progressEvery === 0) post({ type: 'progress', id, steps: s + 1 });
    });
    const { W, W2, b } = t.params;
    const shots = (t.snapshots ?? []).flatMap((s) => [s.params.W.buffer, s.params.b.buffer, ...(s.params.W2 ? [s.params.W2.buffer] : [])]);
    post({ type: 'done', id, params: t.params, finalLoss: t.finalLoss, losses: t.losses, ...(t.snapshots && { snapshots: t.snapshots }) },
      [W.buffer, b.buffer, ...(W2 ? [W2.buffer] : []), ...shots] as ArrayBuffer[]);
  } catch (e) {
    const err = e as Error & { instance?: number; step?: number };
    post({ type: 'error', id, name: err.name, message: err.message, instance: err.instance, step: err.step });
  }
});
