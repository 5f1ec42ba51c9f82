// Vitest's sequencer with shards balanced by time (scripts/lib/shard-plan.ts) instead of vitest's split by file
// count in hash order, which can put C4 and both C7 specs on one machine. Only `--shard` uses it; sorting, and
// every unsharded run, are vitest's own.
import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { BaseSequencer, type TestSequencerConstructor, type TestSpecification } from 'vitest/node';
import { planShards, type ShardTimes } from './shard-plan.js';

/** A sequencer class that splits shards by the per-file seconds in `timesFile` (JSON: path → seconds). */
export function timedSequencer(timesFile: string): TestSequencerConstructor {
  return class TimedSequencer extends BaseSequencer {
    override async shard(files: TestSpecification[]): Promise<TestSpecification[]> {
      const { index, count } = this.ctx.config.shard!;
      const times = JSON.parse(readFileSync(timesFile, 'utf8')) as ShardTimes;
      const keys = files.map((f) => relative(this.ctx.config.root, f.moduleId).split(sep).join('/'));
      const mine = new Set(planShards(keys, times, count)[index - 1].files);
      return files.filter((_, i) => mine.has(keys[i]));
    }
  };
}
