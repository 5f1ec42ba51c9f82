// sha256 of trained runs' exact bits (weights and recorded losses), for determinism checks.
import { createHash } from 'node:crypto';
import type { TrainedInstance } from '../../src/types.js';

export function weightsHash(instances: TrainedInstance[]): string {
  const h = createHash('sha256');
  for (const inst of instances) {
    for (const a of [inst.params.W, inst.params.W2, inst.params.b]) {
      h.update(a ? Buffer.from(a.buffer, a.byteOffset, a.byteLength) : Buffer.from('none'));
    }
    h.update(Buffer.from(Float64Array.from([inst.finalLoss, ...inst.losses]).buffer));
  }
  return h.digest('hex');
}
