// Child-process half of tests/cache.test.ts's atomicity check: rewrites one cache entry `times` times, as
// fast as it can, alternating two valid contents. Usage: tsx cache-writer.ts <config.json> <times>
import { readFileSync } from 'node:fs';
import type { RunConfig, TrainedInstance } from '../../src/types.js';
import { runKey, writeCache } from '../../src/cache.js';

const [configFile, times] = process.argv.slice(2);
const config = JSON.parse(readFileSync(configFile, 'utf8')) as RunConfig;
const { n, m, kind } = config.model;
const key = runKey(config, 'native');
for (let t = 0; t < Number(times); t++) {
  // Big enough (a few MB) that a non-atomic write would be caught half-done.
  const instances: TrainedInstance[] = config.instances.map((inst) => ({
    config: inst,
    params: { kind, n, m, W: new Float32Array(n * m).fill(t % 2), b: new Float32Array(n).fill(t % 2) },
    finalLoss: t,
    losses: new Array(2000).fill(t),
  }));
  writeCache(key, config, 'native', 0, instances);
}
process.stdout.write('done\n');
