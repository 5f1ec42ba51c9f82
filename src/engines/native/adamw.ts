// AdamW with PyTorch's semantics (torch.optim.AdamW, amsgrad=False): decoupled weight decay applied to
// the parameter before the Adam step, bias-corrected moments, eps added after the corrected sqrt(v).
import type { TrainConfig } from '../../types.js';

export class AdamW {
  private t = 0;
  private readonly m1: Float32Array[];
  private readonly m2: Float32Array[];

  constructor(
    private readonly params: Float32Array[],
    private readonly cfg: Pick<TrainConfig, 'lr' | 'weightDecay' | 'beta1' | 'beta2' | 'eps'>,
  ) {
    this.m1 = params.map((p) => new Float32Array(p.length));
    this.m2 = params.map((p) => new Float32Array(p.length));
  }

  step(grads: Float32Array[]): void {
    const { lr, weightDecay, beta1, beta2, eps } = this.cfg;
    this.t++;
    const decay = 1 - lr * weightDecay;
    const stepSize = lr / (1 - beta1 ** this.t);
    const bc2Sqrt = Math.sqrt(1 - beta2 ** this.t);
    for (let q = 0; q < this.params.length; q++) {
      const p = this.params[q];
      const g = grads[q];
      const m1 = this.m1[q];
      const m2 = this.m2[q];
      for (let j = 0; j < p.length; j++) {
        const gj = g[j];
        const a = (m1[j] = beta1 * m1[j] + (1 - beta1) * gj);
        const v = (m2[j] = beta2 * m2[j] + (1 - beta2) * gj * gj);
        p[j] = p[j] * decay - (stepSize * a) / (Math.sqrt(v) / bc2Sqrt + eps);
      }
    }
  }
}
