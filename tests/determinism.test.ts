// The native engine is deterministic to the bit: the same config and seeds give identical weights
// (and losses) in repeated calls, in a fresh child process, and whatever other instances share the run;
// different seeds give different weights.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { ModelKind, RunConfig } from '../src/types.js';
import { DEFAULT_TRAIN } from '../src/types.js';
import { MODEL_KINDS } from '../src/models.js';
import { NativeEngine } from '../src/engines/native/index.js';
import { weightsHash } from './helpers/weights-hash.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

function config(kind: ModelKind, seeds: number[]): RunConfig {
  const n = 9;
  return {
    namespace: `determinism/${kind}`,
    model: { kind, n, m: 4 },
    data: { kind: 'independent' },
    train: { ...DEFAULT_TRAIN, steps: 60, batch: 64 },
    instances: seeds.map((seed) => ({ sparsity: 0.6, importance: Array.from({ length: n }, (_, i) => 0.9 ** i), seed })),
  };
}

describe('native engine determinism', () => {
  for (const kind of MODEL_KINDS) {
    it(`${kind}: same config and seed → identical bits; different seed → different weights`, async () => {
      const engine = new NativeEngine();
      const a = await engine.train(config(kind, [1, 2]));
      const b = await new NativeEngine().train(config(kind, [1, 2]));
      expect(weightsHash(b)).toBe(weightsHash(a));
      // An instance's result does not depend on the other instances of its run, nor on its position.
      const alone = await engine.train(config(kind, [2]));
      expect(weightsHash(alone)).toBe(weightsHash([a[1]]));
      // Different seeds: different init and data, so different weights.
      expect(weightsHash([a[0]])).not.toBe(weightsHash([a[1]]));
      expect(Array.from(a[0].params.W)).not.toEqual(Array.from(a[1].params.W));
    });
  }

  it('a child process (npx tsx) reproduces the same sha256 of the weights', async () => {
    const configs = MODEL_KINDS.map((k) => config(k, [1, 2]));
    const here: string[] = [];
    for (const c of configs) here.push(weightsHash(await new NativeEngine().train(c)));
    const there = execFileSync('npx', ['--no-install', 'tsx', join('tests', 'helpers', 'native-hash-cli.ts'), JSON.stringify(configs)], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim().split('\n');
    expect(there).toEqual(here);
  }, 60_000);
});
