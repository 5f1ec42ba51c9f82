// The paper's claims in its own words, as summarised in ../shared/PAPER.md ("Claims, with the paper's
// settings"), for the claims report. A claim defined with defineClaim may instead carry its statement
// itself (its `paper` field, recorded to out/claims/); an entry here takes precedence.
export interface ClaimText {
  title: string;
  /** the paper's statement */
  statement: string;
  /** the paper's settings */
  settings: string;
}

export const CLAIMS_TEXT: Record<string, ClaimText> = {
  C1: {
    title: 'Intro: 5 features in 2 dimensions',
    statement: 'Dense: the top 2 features, orthogonal. p = 0.2 (S = 0.8): four features as two antipodal pairs. p = 0.1: all five as a pentagon.',
    settings: 'ReLU output model, n = 5, m = 2, importance 0.9^i.',
  },
  C2: {
    title: 'Linear vs ReLU output, n = 20, m = 5',
    statement:
      'Linear: at every S it represents exactly the top 5 features, orthogonally (WᵀW ≈ projection onto them), no superposition. ' +
      'ReLU output: dense behaves like linear; as S grows more features are represented, with interference; the least important ' +
      'represented features enter superposition first, as antipodal pairs; nearly all 20 with some weight at S = 0.999 (the rarest only ' +
      'partly learned in 10,000 steps). Unrepresented features get bias ≈ their mean, (1−S)/2.',
    settings: 'n = 20, m = 5, importance 0.7^i, S ∈ {0, 0.7, 0.9, 0.97, 0.99, 0.997, 0.999}.',
  },
  C3: {
    title: 'Phase change, n = 2, m = 1',
    statement:
      'Three outcomes for feature 2: not learned, dedicated dimension, superposition (antipodal with feature 1). Superposition wins below ' +
      's* = 4r/(2+5r) for r ≤ 1 and s* = 4/(5+2r) for r ≥ 1. The transition is sharp: ‖W_2‖ and interference jump, they do not drift.',
    settings: 'Feature 1 importance 1, feature 2 importance r (0.1 … 10, log scale), both with density s = 1−S (1 … 0.01, log scale).',
  },
  C4: {
    title: 'Uniform superposition, n = 400, m = 30',
    statement:
      'D* ≈ 1 when dense, then a sticky plateau at D* = 1/2 over a range of sparsity, then falls further. Individual D_i cluster at ' +
      '1, 3/4, 2/3, 1/2, 2/5, 3/8, and Σ_i D_i ≈ m. The feature geometry graph splits into small groups: within a group a polytope, ' +
      'between groups near-orthogonal.',
    settings: 'All importance 1, 1/(1−S) from 1 to about 1000 on a log scale.',
  },
  C5: {
    title: 'Non-uniform superposition',
    statement:
      'Varying the importance or sparsity of one feature deforms a polytope smoothly until a critical point where it snaps to another. ' +
      'Correlated features prefer orthogonal directions, forming local near-orthogonal bases; anticorrelated features prefer antipodal / ' +
      'negative interference.',
    settings: 'Small ReLU output models with one feature varied, or with correlated / anticorrelated feature sets.',
  },
  C6: {
    title: 'Privileged basis',
    statement:
      'With a ReLU on the hidden layer, neurons are monosemantic in the dense regime and polysemantic in the sparse regime; more important ' +
      'features are more likely to get a monosemantic neuron.',
    settings: 'ReLU hidden layer model.',
  },
  C7: {
    title: 'Computation in superposition: absolute value, n = 100, m = 40',
    statement:
      'Dense: monosemantic neurons, often in pairs computing ReLU(x_i) and ReLU(−x_i). Sparse: the model computes |x| for more features ' +
      'than it has neurons, with polysemantic neurons.',
    settings: 'Absolute-value model, p ∈ {1, .3, .1, .03, .01, .003, .001}. The paper tier uses n = 100, m = 40, the default tier n = 20, m = 8; both use importance 1 (with one reference\'s 0.8^i, features past the 40th weigh < 1e-4 and "more features than neurons" cannot be tested). C7.4 records a deviation: full |x| (both halves, relative error ≤ 0.1) is computed for fewer features than neurons, because a half whose output ReLU is dead at initialisation never learns when features are sparse; in trials (n = 20, m = 8) importance 0.8^i, lr 1e-2, 3× the steps or an output bias started at 0.3 left it below m, an output bias started at 0.1 lifted one model of 9 to m + 1. C7.5 tests the explanation by intervention (model.init "alive-halves").',
  },
};
