// The progress of `tms reproduce`'s training, as JSON lines: each vitest worker appends the training events
// of its specs to its own file in $TMS_PROGRESS_DIR (progress-worker.ts); the reproduce process reads them.
import { appendFileSync, closeSync, existsSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainEvent } from '../train-events.js';

/** One line of a progress file. `claim` is the claim whose spec asked for the run. */
export type ProgressLine =
  | { type: 'progress'; key: string; claim: string; namespace: string; instances: number; done: number; total: number; elapsed: number }
  | { type: 'run'; key: string; claim: string; namespace: string; instances: number; seconds: number; cached: boolean; engine: string };

/** C2 from "C2/linear" (claims name their runs' namespaces after themselves). */
export const claimOfNamespace = (ns: string): string => /^C\d+/.exec(ns)?.[0] ?? ns;

/**
 * A listener for train-events that appends ProgressLines to `file`: progress at most every `everyMs` per run
 * (written synchronously, so an engine that trains in the event loop's thread still reports), every finished run.
 */
export function progressWriter(file: string, claimOf: () => string | undefined, opts: { everyMs?: number; now?: () => number } = {}) {
  const now = opts.now ?? (() => performance.now());
  const every = opts.everyMs ?? 500;
  const started = new Map<string, number>();
  const lastWrite = new Map<string, number>();
  const write = (line: ProgressLine) => appendFileSync(file, JSON.stringify(line) + '\n');
  return (e: TrainEvent): void => {
    const config = e.type === 'run' ? e.run.config : e.config;
    const key = e.type === 'run' ? e.run.key : e.key;
    const base = { key, claim: claimOf() ?? claimOfNamespace(config.namespace), namespace: config.namespace, instances: config.instances.length };
    if (e.type === 'progress') {
      const t = now();
      if (!started.has(key)) started.set(key, t);
      if (t - (lastWrite.get(key) ?? -Infinity) < every && e.done < e.total) return;
      lastWrite.set(key, t);
      write({ type: 'progress', ...base, done: e.done, total: e.total, elapsed: (t - started.get(key)!) / 1000 });
    } else {
      started.delete(key);
      lastWrite.delete(key);
      write({ type: 'run', ...base, seconds: e.run.seconds, cached: e.run.cached, engine: e.run.engine });
    }
  };
}

/** Reads the ProgressLines appended to the files of a directory since the last poll (whole lines only). */
export class ProgressReader {
  private readonly offsets = new Map<string, number>();
  private readonly partial = new Map<string, string>();

  constructor(private readonly dir: string) {}

  poll(): ProgressLine[] {
    if (!existsSync(this.dir)) return [];
    const out: ProgressLine[] = [];
    for (const name of readdirSync(this.dir).filter((f) => f.endsWith('.jsonl')).sort()) {
      const path = join(this.dir, name);
      const fd = openSync(path, 'r');
      try {
        const from = this.offsets.get(name) ?? 0;
        const size = fstatSync(fd).size;
        if (size <= from) continue;
        const buf = Buffer.alloc(size - from);
        const got = readSync(fd, buf, 0, buf.length, from);
        this.offsets.set(name, from + got);
        const text = (this.partial.get(name) ?? '') + buf.subarray(0, got).toString('utf8');
        const lines = text.split('\n');
        this.partial.set(name, lines.pop()!);
        for (const l of lines) {
          try {
            if (l.trim()) out.push(JSON.parse(l) as ProgressLine);
          } catch { /* a torn line: skip it */ }
        }
      } finally {
        closeSync(fd);
      }
    }
    return out;
  }
}
