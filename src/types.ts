// Shared data types. Configs are plain data: JSON-serialisable, hashed for the run cache.

/** The paper's four model families. */
export type ModelKind = 'linear' | 'relu-output' | 'relu-hidden' | 'abs';

export interface ModelConfig {
  kind: ModelKind;
  /** number of features */
  n: number;
  /** hidden dimensions (neurons for relu-hidden / abs) */
  m: number;
  /**
   * Initialisation. 'xavier' (default, the paper's): Xavier-normal weights, b = 0. 'alive-halves' (abs only,
   * an intervention for claim 7, not the paper's): the same draws with W2 ← |W2|, so every half-function
   * ReLU(±x_i) starts with an output that rises with |x_i| (see src/claims/c7.ts, aliveAtInit).
   */
  init?: ModelInit;
}

export type ModelInit = 'xavier' | 'alive-halves';

/** How features co-occur. 'independent' is the paper's default. */
export type DataConfig =
  | { kind: 'independent' }
  /** features in each set are present together (one coin per set); values independent */
  | { kind: 'correlated'; sets: number[][] }
  /** at most one feature of each set is present (the set fires with prob. Σp, one member chosen) */
  | { kind: 'anticorrelated'; sets: number[][] };

/** One independently trained model: its own sparsity, importance and seed. */
export interface InstanceConfig {
  /** probability a feature is zero: a scalar for all features, or one per feature; each in [0, 1) */
  sparsity: number | number[];
  /** loss weight per feature (length n) */
  importance: number[];
  /** seed number; combined with the run's namespace into an independent RNG stream */
  seed: number;
}

export interface TrainConfig {
  steps: number;
  batch: number;
  lr: number;
  weightDecay: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** record the parameters every this many steps (learning dynamics); absent: none. Engines without
   *  snapshots refuse such a run */
  snapshotEvery?: number;
  /** λ of an L1 penalty λ·mean_b ‖h_b‖₁ on the hidden activations (claim 13); absent: none. The logged
   *  losses stay the reconstruction loss. Engines without it refuse such a run */
  hiddenL1?: number;
}

export interface RunConfig {
  /** seed namespace, usually the claim id (e.g. "C2.1") */
  namespace: string;
  model: ModelConfig;
  data: DataConfig;
  train: TrainConfig;
  instances: InstanceConfig[];
}

/**
 * Trained parameters of one instance. Layout is feature-major so W_i (feature i's direction, a
 * column of the paper's m×n matrix W) is the contiguous slice W[i*m, (i+1)*m).
 * For 'abs', W is the input layer W1 (W1_i = column i) and W2 holds output i's weights in row i,
 * also as the slice W2[i*m, (i+1)*m).
 */
export interface Params {
  kind: ModelKind;
  n: number;
  m: number;
  W: Float32Array;
  W2?: Float32Array;
  b: Float32Array;
}

export interface TrainedInstance {
  config: InstanceConfig;
  params: Params;
  /** mean of the last 5% of training losses (less noisy than the final step) */
  finalLoss: number;
  /** loss every `lossEvery` steps */
  losses: number[];
  /** the parameters after steps snapshotEvery, 2·snapshotEvery, … (only when the run asked for them) */
  snapshots?: Snapshot[];
}

/** The parameters of an instance after `step` steps. */
export interface Snapshot {
  step: number;
  params: Params;
}

export interface TrainedRun {
  config: RunConfig;
  engine: string;
  instances: TrainedInstance[];
  seconds: number;
  /** cache key of this run */
  key: string;
  /** true when loaded from the run cache */
  cached: boolean;
}

export const DEFAULT_TRAIN: TrainConfig = {
  steps: 10_000,
  batch: 1024,
  lr: 1e-3,
  weightDecay: 0.01,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
};
