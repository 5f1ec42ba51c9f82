// Child-process half of tests/cache.test.ts. Usage: tsx cache-worker.ts <config.json> <barrier dir> <N> [delay ms]
// Waits until N workers are ready (files in the barrier dir), then calls trainRun on the config with a
// native engine that sleeps `delay` ms before training (so the others arrive while it trains), and prints
// one JSON line: {pid, cached, hash, start, end}. TMS_CACHE_DIR comes from the environment.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from '../../src/engines/engine.js';
import type { RunConfig } from '../../src/types.js';
import { NativeEngine } from '../../src/engines/native/index.js';
import { trainRun } from '../../src/train.js';
import { weightsHash } from './weights-hash.js';

const [configFile, barrier, count, delayArg] = process.argv.slice(2);
const config = JSON.parse(readFileSync(configFile, 'utf8')) as RunConfig;
const delay = Number(delayArg ?? 1000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const native = new NativeEngine({ threads: 1 });
const slow: Engine = {
  name: native.name,
  describe: () => 'native, after a delay',
  train: async (run, onProgress) => {
    await sleep(delay);
    return native.train(run, onProgress);
  },
};

writeFileSync(join(barrier, `${process.pid}.ready`), '');
while (readdirSync(barrier).filter((f) => f.endsWith('.ready')).length < Number(count)) await sleep(20);
const start = Date.now();
const run = await trainRun(config, { engine: slow });
process.stdout.write(`${JSON.stringify({ pid: process.pid, cached: run.cached, hash: weightsHash(run.instances), start, end: Date.now() })}\n`);
