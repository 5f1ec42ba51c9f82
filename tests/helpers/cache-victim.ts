// Child-process half of tests/cache-faults.test.ts: a process that gets SIGKILLed. Usage:
//   tsx cache-victim.ts <config.json> train   freezes inside the training loop (at its first progress report)
//   tsx cache-victim.ts <config.json> write   trains the run, then freezes halfway through writing its entry
// It prints "training" or "writing <temp file>" when frozen there, and blocks until killed.
// TMS_CACHE_DIR comes from the environment.
import { readFileSync, writeFileSync } from 'node:fs';
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
} else if (mode !== 'train') throw new Error(`mode must be train or write; got ${mode}`);
const onProgress = mode === 'train' ? () => (process.stdout.write('training\n'), freeze()) : undefined;
await trainRun(config, { engine: new NativeEngine({ threads: 1 }), onProgress });
process.stdout.write('finished\n'); // never reached when the test kills it in time
