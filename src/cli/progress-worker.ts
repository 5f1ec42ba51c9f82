// Vitest setup file of `tms reproduce`: reports this worker's training (train-events) to the reproduce
// process through a JSON-lines file in $TMS_PROGRESS_DIR; does nothing when that variable is unset.
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { expect } from 'vitest';
import { onTrainEvent } from '../train-events.js';
import { claimOfFile } from '../report/results.js';
import { progressWriter } from './progress-events.js';

const dir = process.env.TMS_PROGRESS_DIR;
if (dir) {
  const specClaim = () => {
    const file = expect.getState().testPath;
    return file ? claimOfFile(file) ?? undefined : undefined;
  };
  onTrainEvent(progressWriter(join(dir, `${process.pid}-${threadId}.jsonl`), specClaim));
}
