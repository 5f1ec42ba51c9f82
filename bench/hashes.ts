// Bit-identity check for the native kernel: sha256 of trained weights + losses for a spread of configs.
// For kernel work: record before a change, compare after (the weights must not move by one bit):
//   npx tsx bench/hashes.ts before.json  ...change...  npx tsx bench/hashes.ts after.json && diff before.json after.json
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { trainInstance, type InstanceJob } from '../src/engines/native/train-instance.js';
import { DEFAULT_TRAIN, type ModelKind, type DataConfig } from '../src/types.js';
import { geometricImportance } from '../src/instance.js';

const jobs: [string, InstanceJob][] = [];
const add = (kind: ModelKind, n: number, m: number, S: number | number[], steps: number, batch: number, data: DataConfig = { kind: 'independent' }, imp = 0.9) =>
  jobs.push([`${kind} n=${n} m=${m} S=${Array.isArray(S) ? 'vec' : S} steps=${steps} B=${batch} ${data.kind}`, {
    namespace: 'HASH', model: { kind, n, m }, data, train: { ...DEFAULT_TRAIN, steps, batch },
    inst: { sparsity: S, importance: geometricImportance(n, imp), seed: 7 }, index: 0 }]);
for (const kind of ['linear', 'relu-output', 'relu-hidden', 'abs'] as ModelKind[]) {
  add(kind, 20, 5, 0, 300, 1024);
  add(kind, 20, 5, 0.9, 300, 1024);
  add(kind, 20, 5, 0.99, 300, 256);
  add(kind, 5, 2, 0.7, 500, 100);
  add(kind, 2, 1, 0.5, 500, 64);
  add(kind, 40, 7, 0.97, 200, 333);
  add(kind, 100, 30, 0.9, 30, 1024);
  add(kind, 64, 40, 0.99, 30, 512, { kind: 'independent' }, 0.8);
}
add('relu-output', 400, 30, 0, 6, 1024, { kind: 'independent' }, 1);
add('relu-output', 400, 30, 0.99, 10, 1024, { kind: 'independent' }, 1);
add('relu-output', 20, 3, Array.from({ length: 20 }, (_, i) => (i % 3) * 0.4), 300, 512);
add('relu-output', 12, 4, 0.8, 300, 512, { kind: 'correlated', sets: [[0, 1, 2], [3, 4, 5]] });
add('relu-hidden', 12, 4, 0.8, 300, 512, { kind: 'anticorrelated', sets: [[0, 1, 2], [6, 7, 8, 9]] });
add('abs', 100, 40, 0.99, 40, 1024, { kind: 'independent' }, 0.8);
add('abs', 3, 6, 0.5, 400, 128);

const out: Record<string, string> = {};
const t0 = performance.now();
for (const [name, job] of jobs) {
  const r = trainInstance(job);
  const h = createHash('sha256');
  for (const a of [r.params.W, r.params.W2, r.params.b]) if (a) h.update(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  h.update(JSON.stringify([r.losses, r.finalLoss]));
  out[name] = h.digest('hex').slice(0, 16);
}
console.log(`${jobs.length} configs in ${((performance.now() - t0) / 1000).toFixed(1)}s`);
writeFileSync(process.argv[2], JSON.stringify(out, null, 1) + '\n');
