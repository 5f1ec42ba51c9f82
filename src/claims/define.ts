// defineClaim: a new claim of the paper as one short spec file. It creates the vitest blocks (every test
// name starts with the claim id, so `-t C8` and the report find them), trains the runs once through
// trainRun (cached, shared with other specs), hands each check the trained runs and a `record` bound to
// its id, and compares the optional figure with golden/<id>-<tier>.png.
//
//   defineClaim({
//     id: 'C8', title: '…', paper: 'the paper\'s statement',
//     run: () => ({ linear: configA, relu: configB }),        // or a single RunConfig
//     checks: [{ id: 'C8.1', title: '…', check: ({ linear, relu }, record) => { record({…}); expect(…)… } }],
//     figure: ({ linear, relu }) => normBars(…),               // a vega-lite spec; optional
//   });
//
// Checks are listed (not returned by a function of the runs) because vitest collects test names before
// anything trains.
import { beforeAll, describe, expect, it } from 'vitest';
import '../figures/matchers.js';
import './matchers.js';
import type { TopLevelSpec } from 'vega-lite';
import type { RunConfig, TrainedRun } from '../types.js';
import { trainRun } from '../train.js';
import { renderPng } from '../figures/render.js';
import { skipFigures } from './seeds.js';
import { tier, type Tier } from '../tier.js';
import { record, recordClaim, type Measurement } from './record.js';

type RunSpec = RunConfig | Record<string, RunConfig>;

/** The trained counterpart of `run()`'s result: a TrainedRun, or one per key. */
export type TrainedRuns<R extends RunSpec> = R extends RunConfig ? TrainedRun : { [K in keyof R]: TrainedRun };

/** Records a measurement under the check's id (the report shows it beside the claim's statement). */
export type Recorder = (m: Measurement) => void;

export interface ClaimCheck<T> {
  /** sub-claim id, e.g. "C8.1": starts with the claim id and a dot */
  id: string;
  /** what is checked, in words (the test's name after the id) */
  title: string;
  /** measure, record, assert (expect … toHoldForSeeds …) */
  check: (runs: T, record: Recorder, ctx: { tier: Tier }) => void | Promise<void>;
}

export interface ClaimDefinition<R extends RunSpec> {
  /** claim id, "C" and a number, e.g. "C8"; the spec file is specs/c8-<name>.spec.ts */
  id: string;
  title: string;
  /** the paper's statement this claim reproduces */
  paper: string;
  /** the runs to train, for the active tier (use byTier for tier-dependent settings) */
  run: () => R;
  checks: ClaimCheck<TrainedRuns<R>>[];
  /** a vega-lite spec drawn from the trained runs, compared with golden/<id>-<tier>.png */
  figure?: (runs: TrainedRuns<R>) => TopLevelSpec;
  /** extra data for the golden's .json sidecar (default: engine and seeds) */
  figureMeta?: (runs: TrainedRuns<R>) => object;
}

const isRunConfig = (x: RunSpec): x is RunConfig =>
  typeof x === 'object' && x !== null && 'namespace' in x && 'model' in x && 'instances' in x;

function runsOf<R extends RunSpec>(t: TrainedRuns<R>): TrainedRun[] {
  const x = t as TrainedRun | Record<string, TrainedRun>;
  return 'instances' in x && 'config' in x ? [x as TrainedRun] : Object.values(x as Record<string, TrainedRun>);
}

async function trainAll<R extends RunSpec>(spec: R): Promise<TrainedRuns<R>> {
  if (isRunConfig(spec)) return (await trainRun(spec)) as TrainedRuns<R>;
  const entries = Object.entries(spec);
  const trained = await Promise.all(entries.map(([, c]) => trainRun(c)));
  return Object.fromEntries(entries.map(([k], i) => [k, trained[i]])) as TrainedRuns<R>;
}

export function defineClaim<R extends RunSpec>(def: ClaimDefinition<R>): void {
  if (!/^C\d+$/.test(def.id)) throw new Error(`defineClaim: id must be "C" and a number (e.g. "C8"); got ${JSON.stringify(def.id)}`);
  const seen = new Set<string>();
  for (const c of def.checks) {
    if (!new RegExp(`^${def.id}\\.[\\w-]+$`).test(c.id)) throw new Error(`defineClaim(${def.id}): check id ${JSON.stringify(c.id)} must be "${def.id}." and a name, e.g. "${def.id}.1"`);
    if (seen.has(c.id)) throw new Error(`defineClaim(${def.id}): check id ${c.id} is used twice`);
    seen.add(c.id);
  }

  let runs: TrainedRuns<R> | undefined;
  const trained = () => {
    if (!runs) throw new Error(`${def.id}: training failed (see the error in beforeAll)`);
    return runs;
  };

  describe(`${def.id} ${def.title}`, () => {
    beforeAll(async () => {
      recordClaim(def.id, { title: def.title, paper: def.paper });
      runs = await trainAll(def.run());
    });

    for (const c of def.checks) {
      it(`${c.id} ${c.title}`, async () => {
        await c.check(trained(), (m) => record(c.id, m), { tier: tier() });
      });
    }

    if (def.figure) {
      const figure = def.figure;
      it.skipIf(skipFigures())(`${def.id}.fig ${def.title}: figure matches golden ${def.id}-${tier()}`, async () => {
        const r = trained();
        const all = runsOf(r);
        const meta = def.figureMeta?.(r) ?? {
          engine: [...new Set(all.map((x) => x.engine))].join(', '),
          seeds: [...new Set(all.flatMap((x) => x.config.instances.map((i) => i.seed)))].sort((a, b) => a - b),
        };
        const png = await renderPng(figure(r));
        await expect(png).toMatchGolden(`${def.id}-${tier()}`, meta);
      });
    }
  });
}
