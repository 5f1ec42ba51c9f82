// Training events for watchers above the core (the CLI's progress display): the core emits them and never
// imports who listens, so a listener registers here instead of being called from train.ts.
import type { RunConfig, TrainedRun } from './types.js';

export type TrainEvent =
  /** steps done of total, summed over the run's instances (as the engine reports them) */
  | { type: 'progress'; config: RunConfig; key: string; done: number; total: number }
  /** a run finished training, or was loaded from the cache */
  | { type: 'run'; run: TrainedRun };

type Listener = (e: TrainEvent) => void;
const listeners = new Set<Listener>();

/** Registers a listener; returns the function that removes it. */
export function onTrainEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function emitTrainEvent(e: TrainEvent): void {
  for (const l of listeners) {
    try {
      l(e);
    } catch { /* a watcher's failure must not fail training */ }
  }
}

/** Emits a run's 'run' event and returns the run. */
export function announceRun(run: TrainedRun): TrainedRun {
  emitTrainEvent({ type: 'run', run });
  return run;
}
