// Measures of training dynamics over parameter snapshots (claim 11): how long a quantity takes to make
// most of its net change (a jump takes a few snapshots, a steady drift most of the run), and how much of
// the loss's decrease falls inside given stretches of training.

/** The shortest stretch [start, start + length] of a series over which it makes `share` of its net change. */
export interface Transit {
  /** index of the stretch's first point */
  start: number;
  /** its length in intervals (≥ 1) */
  length: number;
  /** |last − first| of the whole series */
  net: number;
  /** length ÷ the series' intervals: ≈ share for a steady drift, small for a jump */
  fraction: number;
}

/**
 * The shortest stretch over which `xs` moves by at least share·|xs[last] − xs[0]|, in either direction
 * (a series that overshoots and comes back may do it in a shorter stretch than its net change suggests,
 * which is still a fast move). A steady drift (a linear ramp) needs `share` of the run.
 */
export function transit(xs: ArrayLike<number>, share = 0.8): Transit {
  const K = xs.length - 1;
  if (K < 1) throw new Error('transit: needs at least two points');
  const net = Math.abs(xs[K] - xs[0]);
  const need = share * net;
  let best = K;
  let at = 0;
  for (let a = 0; a < K; a++) {
    for (let b = a + 1; b <= K && b - a < best; b++) {
      if (Math.abs(xs[b] - xs[a]) >= need) {
        best = b - a;
        at = a;
        break;
      }
    }
  }
  return { start: at, length: best, net, fraction: best / K };
}

/** A loss series' decrease in marked intervals against its total decrease and its share of intervals. */
export interface Concentration {
  /** the loss's decrease inside the marked intervals, and over all of them */
  within: number;
  total: number;
  /** marked intervals, all intervals */
  marked: number;
  intervals: number;
  dropShare: number;
  timeShare: number;
  /** dropShare / timeShare */
  ratio: number;
}

/**
 * Of the loss's total decrease over the series, the share that falls in the intervals marked `inside`,
 * divided by the share of intervals marked: 1 when the loss falls evenly, > 1 when it falls in the marked
 * stretches. NaN when nothing is marked or the loss does not decrease overall.
 */
export function dropConcentration(loss: ArrayLike<number>, inside: boolean[]): Concentration {
  const K = loss.length - 1;
  if (inside.length !== K) throw new Error(`dropConcentration: ${inside.length} marks for ${K} intervals`);
  let total = 0;
  let within = 0;
  for (let k = 0; k < K; k++) {
    const d = loss[k] - loss[k + 1];
    total += d;
    if (inside[k]) within += d;
  }
  return shares(within, total, inside.filter(Boolean).length, K);
}

/** dropConcentration over several series together: their decreases and intervals summed. */
export function pooledConcentration(cs: Concentration[]): Concentration {
  const sum = (f: (c: Concentration) => number) => cs.reduce((a, c) => a + f(c), 0);
  return shares(sum((c) => c.within), sum((c) => c.total), sum((c) => c.marked), sum((c) => c.intervals));
}

function shares(within: number, total: number, marked: number, intervals: number): Concentration {
  const timeShare = intervals > 0 ? marked / intervals : NaN;
  const dropShare = total > 0 ? within / total : NaN;
  return { within, total, marked, intervals, dropShare, timeShare, ratio: timeShare > 0 ? dropShare / timeShare : NaN };
}

/** Marks the intervals covered by the given stretches, for dropConcentration. */
export function markStretches(intervals: number, stretches: { start: number; length: number }[]): boolean[] {
  const inside = new Array<boolean>(intervals).fill(false);
  for (const s of stretches) for (let k = s.start; k < s.start + s.length; k++) inside[k] = true;
  return inside;
}
