// defineClaim: every claim of the paper as one spec file. It creates the vitest blocks (every test name
// starts with the claim id, so `-t C8` and the report find them), trains the runs once through trainRun
// (cached, shared with other specs), derives what the checks share (`prepare`), hands each check that and
// a `record` bound to its id, and compares the figures with golden/<name>-<tier>.png.
//
//   defineClaim({
//     id: 'C8', title: '…', spec: import.meta.url,
//     paper: { statement: 'the paper\'s claim', section: PAPER_URL + '#…', settings: 'the paper\'s settings' },
//     run: () => ({ linear: configA, relu: configB }),        // or a single RunConfig; null = not in this tier
//     prepare: ({ linear, relu }) => ({ … }),                  // optional: shared derived data
//     checks: [{ id: 'C8.1', title: '…', check: (ctx, record) => { record({…}); expect(…)… } }],
//     figure: { draw: (ctx) => ({ spec: normBars(…) }) },     // vega-lite spec(s); optional
//   });
//
// Checks are listed (not returned by a function of the runs) because vitest collects test names before
// anything trains. Seeds must come from the seed helpers (src/claims/seeds.ts) so that TMS_SEED_OFFSET moves
// them; a run with any other seed is refused. Under the claims collector (scripts/claims-doc.ts) nothing is
// described: the definition is only registered.
import { beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import '../figures/matchers.js';
import './matchers.js';
import type { TopLevelSpec } from 'vega-lite';
import type { RunConfig, TrainedRun } from '../types.js';
import { trainRun } from '../train.js';
import { renderPng } from '../figures/render.js';
import { isIssuedSeed, seedOffset, skipFigures } from './seeds.js';
import { tier, type Tier } from '../tier.js';
import { REPO_ROOT } from '../paths.js';
import { record, recordClaim, recordRuns, type Measurement } from './record.js';
import { recordFigure } from './figures-out.js';

/** The paper's page; a claim's section is this and an anchor. */
export const PAPER_URL = 'https://transformer-circuits.pub/2022/toy_model/index.html';

type RunSpec = RunConfig | Record<string, RunConfig | null>;

/** The trained counterpart of `run()`'s result: a TrainedRun, or one per key (null where the config was null). */
export type TrainedRuns<R extends RunSpec> = R extends RunConfig ? TrainedRun : { [K in keyof R]: null extends R[K] ? TrainedRun | null : TrainedRun };

/** Records a measurement under the check's id (the report shows it beside the claim's statement). */
export type Recorder = (m: Measurement) => void;

export interface ClaimCheck<T> {
  /** sub-claim id, e.g. "C8.1": starts with the claim id and a dot */
  id: string;
  /** what is checked, in words (the test's name after the id) */
  title: string;
  /** measure, record, assert (expect … toHoldForSeeds …) */
  check: (ctx: T, record: Recorder, info: { tier: Tier }) => void | Promise<void>;
}

/** One figure to compare: a vega-lite spec, the golden's name without the tier (default the claim id), sidecar meta. */
export interface FigureOut {
  spec: TopLevelSpec;
  golden?: string;
  /** extra data for the golden's .json sidecar (default: engine and seeds) */
  meta?: object;
}

export interface PaperText {
  /** the paper's claim, in its words or closely restated */
  statement: string;
  /** the section's address on transformer-circuits.pub (PAPER_URL + '#anchor') */
  section: string;
  /** the paper's settings for it (sizes, importance, sparsities, training) */
  settings: string;
}

export interface ClaimDefinition<R extends RunSpec, T> {
  /** claim id, "C" and a number, e.g. "C8"; the spec file is specs/c8-<name>.spec.ts */
  id: string;
  /** the describe block's name after the id */
  title: string;
  /** the spec file: pass import.meta.url (the report and docs/claims.md link to it) */
  spec: string;
  /** which part of the claim this spec checks, when several specs share an id (C2: linear, ReLU output) */
  part?: string;
  paper: PaperText;
  /** the runs to train, for the active tier (use byTier for tier-dependent settings) */
  run: () => R;
  /** what the checks share, derived once from the trained runs (default: the runs themselves) */
  prepare?: (runs: TrainedRuns<R>) => T | Promise<T>;
  checks: ClaimCheck<T>[];
  /** the figure test: its name after "<id>.fig " (default "<title>: figure matches golden <id>-<tier>"), and its figures */
  figure?: { title?: string; draw: (ctx: T, runs: TrainedRuns<R>) => FigureOut | FigureOut[] | Promise<FigureOut | FigureOut[]> };
}

/** What the collector keeps of a definition (no vitest blocks are made). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyClaim = ClaimDefinition<RunSpec, any>;
const COLLECT = Symbol.for('tms.collectClaims');
type Collector = { claims: AnyClaim[] };

/** Turns on collection: later defineClaim calls register their definitions here instead of describing tests. */
export function collectClaims(): AnyClaim[] {
  const g = globalThis as unknown as Record<symbol, Collector>;
  g[COLLECT] ??= { claims: [] };
  return g[COLLECT].claims;
}

const isRunConfig = (x: RunSpec): x is RunConfig =>
  typeof x === 'object' && x !== null && 'namespace' in x && 'model' in x && 'instances' in x;

/** The run configs of a definition's run() result, by name (a single run is named by its namespace). */
export function runConfigs(spec: RunSpec): [string, RunConfig][] {
  if (isRunConfig(spec)) return [[spec.namespace, spec]];
  return Object.entries(spec).filter((e): e is [string, RunConfig] => e[1] !== null);
}

function runsOf(t: unknown): TrainedRun[] {
  const x = t as TrainedRun | Record<string, TrainedRun | null>;
  return 'instances' in x && 'config' in x ? [x as TrainedRun] : Object.values(x as Record<string, TrainedRun | null>).filter((r): r is TrainedRun => r !== null);
}

/**
 * Refuses a run with a seed the seed helpers did not hand out: TMS_SEED_OFFSET would not move it, and the
 * flake check would pool the same seeds again and again.
 */
export function assertHelperSeeds(id: string, configs: RunConfig[]): void {
  for (const c of configs) {
    const bad = [...new Set(c.instances.map((i) => i.seed).filter((s) => !isIssuedSeed(s)))];
    if (bad.length) {
      throw new Error(`${id}: run ${c.namespace} has seeds ${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ', …' : ''} not made by seedList / shiftedSeed ` +
        `(src/claims/seeds.ts), so TMS_SEED_OFFSET = ${seedOffset()} would not move them and \`npm run flake\` would reuse them`);
    }
  }
}

async function trainAll<R extends RunSpec>(spec: R): Promise<TrainedRuns<R>> {
  if (isRunConfig(spec)) return (await trainRun(spec)) as TrainedRuns<R>;
  const entries = Object.entries(spec);
  const trained = await Promise.all(entries.map(([, c]) => (c ? trainRun(c) : null)));
  return Object.fromEntries(entries.map(([k], i) => [k, trained[i]])) as TrainedRuns<R>;
}

/** The spec file, repo-relative (from import.meta.url or a path). */
export function specPath(spec: string): string {
  return relative(REPO_ROOT, spec.startsWith('file:') ? fileURLToPath(spec) : spec).split('\\').join('/');
}

export function defineClaim<R extends RunSpec, T = TrainedRuns<R>>(def: ClaimDefinition<R, T>): void {
  if (!/^C\d+$/.test(def.id)) throw new Error(`defineClaim: id must be "C" and a number (e.g. "C8"); got ${JSON.stringify(def.id)}`);
  const seen = new Set<string>();
  for (const c of def.checks) {
    if (!new RegExp(`^${def.id}\\.[\\w-]+$`).test(c.id)) throw new Error(`defineClaim(${def.id}): check id ${JSON.stringify(c.id)} must be "${def.id}." and a name, e.g. "${def.id}.1"`);
    if (seen.has(c.id)) throw new Error(`defineClaim(${def.id}): check id ${c.id} is used twice`);
    seen.add(c.id);
  }
  const collector = (globalThis as unknown as Record<symbol, Collector | undefined>)[COLLECT];
  if (collector) {
    collector.claims.push(def as unknown as AnyClaim);
    return;
  }

  let ctx: { runs: TrainedRuns<R>; shared: T } | undefined;
  const trained = () => {
    if (!ctx) throw new Error(`${def.id}: training failed (see the error in beforeAll)`);
    return ctx;
  };

  describe(`${def.id} ${def.title}`, () => {
    beforeAll(async () => {
      const spec = def.run();
      const configs = runConfigs(spec).map(([, c]) => c);
      recordClaim(def.id, { title: def.title, paper: def.paper, spec: specPath(def.spec), part: def.part, configs });
      assertHelperSeeds(def.id, configs);
      const runs = await trainAll(spec);
      recordRuns(def.id, specPath(def.spec), runsOf(runs));
      const shared = def.prepare ? await def.prepare(runs) : (runs as unknown as T);
      ctx = { runs, shared };
    });

    for (const c of def.checks) {
      it(`${c.id} ${c.title}`, async () => {
        await c.check(trained().shared, (m) => record(c.id, m), { tier: tier() });
      });
    }

    if (def.figure) {
      const figure = def.figure;
      const name = figure.title ?? `${def.title}: figure matches golden ${def.id}-${tier()}`;
      it.skipIf(skipFigures())(`${def.id}.fig ${name}`, async () => {
        const { runs, shared } = trained();
        const all = runsOf(runs);
        const defaultMeta = {
          engine: [...new Set(all.map((x) => x.engine))].join(', '),
          seeds: [...new Set(all.flatMap((x) => x.config.instances.map((i) => i.seed)))].sort((a, b) => a - b),
        };
        const outs = await figure.draw(shared, runs);
        for (const f of Array.isArray(outs) ? outs : [outs]) {
          const png = await renderPng(f.spec);
          const name = `${f.golden ?? def.id}-${tier()}`;
          recordFigure(name, png); // this run's figure, shown beside the golden in the report
          await expect(png).toMatchGolden(name, f.meta ?? defaultMeta);
        }
      });
    }
  });
}
