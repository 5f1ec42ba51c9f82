// A process-wide pool of worker threads for the native engine. Instances are independent and
// trainInstance is pure, so training them on workers gives the same bits as in-thread, in any order.
// Workers are kept between runs (spawning one and loading the TypeScript sources costs ~0.2 s) and
// unref'd while idle so they never keep the process alive.
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SHARE_ENV, Worker } from 'node:worker_threads';
import type { Params, Snapshot, TrainedInstance } from '../../types.js';
import { TrainingDivergedError } from '../../instance.js';
import { envInt } from '../../env.js';
import type { InstanceJob } from './train-instance.js';

export interface WorkerRequest {
  id: number;
  job: InstanceJob;
  progressEvery: number;
}

export type WorkerReply =
  | { type: 'progress'; id: number; steps: number }
  | { type: 'done'; id: number; params: Params; finalLoss: number; losses: number[]; snapshots?: Snapshot[] }
  | { type: 'error'; id: number; name: string; message: string; instance?: number; step?: number };

/** Worker threads for the native engine: TMS_THREADS (1 = in-thread), default one per CPU. */
export function threadsFromEnv(): number {
  return envInt('TMS_THREADS', 1, 1024, availableParallelism());
}

/**
 * Our sources are TypeScript. A worker's execArgv `--import tsx` does not reach its entry module on
 * Node 20, so the worker starts from a tiny script that registers tsx's loader (resolved to an absolute
 * URL, so any cwd works) and then imports worker.ts. Compiled .js sources load directly.
 */
function startWorker(): Worker {
  const entry = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);
  // SHARE_ENV: pooled workers outlive the run that spawned them and must see later env changes too.
  if (!import.meta.url.endsWith('.ts')) return new Worker(entry, { env: SHARE_ENV });
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('tsx/package.json');
  const api = pathToFileURL(join(dirname(pkg), require(pkg).exports['./esm/api'].import.default)).href;
  const code = `import(${JSON.stringify(api)}).then((m) => m.register()).then(() => import(${JSON.stringify(entry.href)}))`;
  return new Worker(code, { eval: true, env: SHARE_ENV });
}

/** Shared by the tasks of one run: once set, its queued tasks are dropped instead of started. */
export interface RunToken {
  cancelled: boolean;
}

interface Task {
  id: number;
  token: RunToken;
  req: WorkerRequest;
  onProgress: (steps: number) => void;
  resolve: (t: TrainedInstance) => void;
  reject: (e: Error) => void;
}

const workers = new Set<Worker>();
const idle: Worker[] = [];
const queue: Task[] = [];
const running = new Map<Worker, Task>();
let nextId = 0;

function spawn(): Worker {
  const w = startWorker();
  w.on('message', (r: WorkerReply) => {
    const task = running.get(w);
    if (!task || task.id !== r.id) return;
    if (r.type === 'progress') return task.onProgress(r.steps);
    running.delete(w);
    if (r.type === 'done') {
      task.resolve({ config: task.req.job.inst, params: r.params, finalLoss: r.finalLoss, losses: r.losses, ...(r.snapshots && { snapshots: r.snapshots }) });
    } else {
      const e = r.name === 'TrainingDivergedError' ? new TrainingDivergedError(r.instance!, r.step!, '') : new Error();
      e.message = r.message;
      task.reject(e);
    }
    release(w);
  });
  // A crashed worker (e.g. it could not load its module) fails its task and leaves the pool.
  const fail = (err: Error) => {
    workers.delete(w);
    const i = idle.indexOf(w);
    if (i >= 0) idle.splice(i, 1);
    const task = running.get(w);
    running.delete(w);
    task?.reject(new Error(`native worker thread failed: ${err.message}`));
    pump();
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`exited with code ${code}`)));
  workers.add(w);
  return w;
}

function release(w: Worker): void {
  w.unref();
  idle.push(w);
  pump();
}

function pump(): void {
  while (queue.length > 0 && idle.length > 0) {
    const w = idle.pop()!;
    const task = queue.shift()!;
    if (task.token.cancelled) {
      idle.push(w);
      task.reject(new Error('cancelled'));
      continue;
    }
    running.set(w, task);
    w.ref();
    w.postMessage(task.req);
  }
}

/** Trains one instance on a pool worker; the pool grows to `threads` workers. */
export function trainOnWorker(job: InstanceJob, threads: number, token: RunToken, onProgress: (steps: number) => void): Promise<TrainedInstance> {
  return new Promise((resolve, reject) => {
    const progressEvery = Math.max(1, Math.floor(job.train.steps / 50));
    const id = nextId++;
    queue.push({ id, token, req: { id, job, progressEvery }, onProgress, resolve, reject });
    if (idle.length === 0 && workers.size < threads) idle.push(spawn());
    pump();
  });
}

/** Ends all pool workers (tests, benchmarks); the pool respawns on the next use. */
export async function closePool(): Promise<void> {
  const ws = [...workers];
  workers.clear();
  idle.length = 0;
  await Promise.all(ws.map((w) => w.terminate()));
}
