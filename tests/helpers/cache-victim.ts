// Child-process half of tests/cache-faults.test.ts: a process that gets SIGKILLed. Usage:
//   tsx cache-victim.ts <config.json> train   freezes inside the training loop (at its first progress report)
//   tsx cache-victim.ts <config.json> write   trains the run, then freezes halfway through writing its entry
//   tsx cache-victim.ts <config.json> run     trains and caches the run without freezing (killed wherever it is)
//   tsx cache-victim.ts <config.json> written trains the run, writes its entry whole, then freezes before releasing the lock
// It prints "training", "writing <temp file>" or "written <entry>" when frozen there, and blocks until killed.
// TMS_CACHE_DIR comes from the environment.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { RunConfig } from '../../src/types.js';
import { cacheFs } from '../../src/cache.js';
import { NativeEngine } from '../../src/engines/native/index.js';
import { trainRun } from '../../src/train.js';

const [configFile, mode] = process.argv.slice(2);
const config = JSON.parse(readFileSync(configFile, 'utf8')) as RunConfig;
const freeze = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // Node allows it on the main thread
if (mode === 'write') {
  cacheFs.writeFileSync = ((path: string, data: string) => {
    if (!/\.json\.\d+\.\w+\.tmp$/.test(String(path))) return writeFileSync(path, data);
    writeFileSync(path, data.slice(0, data.length >> 1)); // half the entry, as a kill mid-write leaves it
    process.stdout.write(`writing ${path}\n`);
    freeze(); // until SIGKILL
  }) as typeof cacheFs.writeFileSync;
} else if (mode === 'written') {
  cacheFs.renameSync = ((from: string, to: string) => {
    renameSync(from, to);
    if (!String(to).endsWith('.json')) return;
    process.stdout.write(`written ${to}\n`);
    freeze(); // the entry is in place, the lock not yet released
  }) as typeof cacheFs.renameSync;
} else if (mode !== 'train' && mode !== 'run') throw new Error(`mode must be train, write, written or run; got ${mode}`);
const onProgress = mode === 'train' ? () => (process.stdout.write('training\n'), freeze()) : undefined;
await trainRun(config, { engine: new NativeEngine({ threads: 1 }), onProgress });
process.stdout.write('finished\n'); // never reached when the test kills it in time
