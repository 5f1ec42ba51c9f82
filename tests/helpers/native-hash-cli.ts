// Child-process half of tests/determinism.test.ts: trains each RunConfig of the JSON array in argv[2]
// with the native engine and prints, one line each, the sha256 of the resulting weights and losses.
import type { RunConfig } from '../../src/types.js';
import { NativeEngine } from '../../src/engines/native/index.js';
import { weightsHash } from './weights-hash.js';

const configs = JSON.parse(process.argv[2]) as RunConfig[];
for (const c of configs) process.stdout.write(`${weightsHash(await new NativeEngine().train(c))}\n`);
