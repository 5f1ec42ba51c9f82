// The claims report: out/report/<tier>/index.html (self-contained: images inlined as data URIs) and
// summary.md beside it. Per claim id (C1, C2, …): the paper's statement with links to its section and to the
// spec, the verdict of each test, the measured statistics beside the paper's numbers, the runs and sizes that
// ran in the tier, and each figure of this run beside its golden (and the diff when a comparison failed).
//
// Inputs (all optional; a claim appears as soon as any of them mentions it):
//   the specs' definitions (defineClaim; collected per tier)   statements, sections, settings, sizes
//   out/results/<tier>.json          test verdicts (vitest-reporter.ts)
//   out/claims/<tier>/<id>.json      definitions as run, the runs trained (defineClaim), measurements (record())
//   out/claims/<tier>/figures/*.png  this run's figures (defineClaim)
//   golden/<name>.png + .json        golden figures of the tier (names C<k>…-<tier>)
//   .artifacts/<name>/{expected,actual,diff}.png   written by a failed golden comparison
// Measurements and runs are shown only for claims with test results: never beside "not run".
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { atomicWrite } from '../cache.js';
import { outDir as defaultOutDir, runSize, type ClaimFile, type Measurement, type RunNote, type SpecDefinition } from '../claims/record.js';
import { figuresDir } from '../claims/figures-out.js';
import { collectTier } from '../claims/collect.js';
import { REPO_ROOT } from '../paths.js';
import { tier as activeTier, type Tier } from '../tier.js';
import { claimOf, claimOfFile, readResults, type ModuleRecord, type TestRecord } from './results.js';

export interface ReportOptions {
  tier?: Tier;
  /** default $TMS_OUT_DIR or <repo>/out */
  outDir?: string;
  /** default $TMS_GOLDEN_DIR or <repo>/golden */
  goldenDir?: string;
  /** default $TMS_ARTIFACTS_DIR or <repo>/.artifacts */
  artifactsDir?: string;
  /** default <outDir>/report */
  reportDir?: string;
  /** timestamp shown in the report (default now) */
  now?: Date;
  /** the specs' definitions for the tier (default: collected from specs/) */
  definitions?: { id: string; def: SpecDefinition }[];
}

/** The specs' definitions of `tier`, as the report uses them. */
export function specDefinitions(tier: Tier, specDir?: string): { id: string; def: SpecDefinition }[] {
  return collectTier(tier, specDir).map((c) => ({
    id: c.id,
    def: { spec: c.spec, part: c.part, title: c.title, ...c.paper, runs: c.runs.map((r) => runSize(r.config)) },
  }));
}

/** A report's directory: out/report/<tier>/, so the default and paper reports do not overwrite each other. */
export function reportDirOf(tier: Tier, out: string = defaultOutDir()): string {
  return join(out, 'report', tier);
}

export type Verdict = 'pass' | 'fail' | 'not run';

export interface FigureReport {
  name: string;
  golden?: string;
  /** this run's figure (out/claims/<tier>/figures/<name>.png) */
  current?: string;
  /** the golden's sidecar `meta` (engine, seeds, … when it was made) */
  meta?: Record<string, unknown>;
  /** a comparison failed: these files exist under .artifacts/<name>/ */
  failed: boolean;
  expected?: string;
  actual?: string;
  diff?: string;
}

export interface ClaimReport {
  id: string;
  title: string;
  statement: string | null;
  /** the paper's settings */
  settings: string | null;
  /** the paper's section */
  section: string | null;
  /** each spec's definition of (part of) the claim */
  parts: SpecDefinition[];
  verdict: Verdict;
  tests: (TestRecord & { file: string })[];
  moduleErrors: { file: string; errors: string[] }[];
  files: string[];
  measurements: (Measurement & { id: string })[];
  runs: RunNote[];
  seeds: number[];
  engines: string[];
  specSeconds: number;
  trainSeconds: number;
  lastRun: string | null;
  figures: FigureReport[];
}

export interface ReportData {
  tier: Tier;
  generatedAt: string;
  claims: ClaimReport[];
  /** defined claims without test results in this tier */
  notCovered: string[];
  /** tests that are not claims (property tests, …) */
  other: { passed: number; failed: number; skipped: number; failures: (TestRecord & { file: string })[]; moduleErrors: { file: string; errors: string[] }[] };
  hasResults: boolean;
}

const byId = (a: string, b: string) => {
  const num = (s: string) => Number(/^C(\d+)/.exec(s)?.[1] ?? Infinity);
  return num(a) - num(b) || a.localeCompare(b, 'en', { numeric: true });
};

const readJson = <T>(p: string): T | undefined => {
  try {
    return JSON.parse(readFileSync(p, 'utf8')) as T;
  } catch {
    return undefined;
  }
};

const listFiles = (dir: string, ext: string) =>
  existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(ext) && statSync(join(dir, f)).isFile()).sort() : [];

export function collectReport(opts: ReportOptions = {}): ReportData {
  const tier = opts.tier ?? activeTier();
  const out = resolve(opts.outDir ?? defaultOutDir());
  const goldenDir = resolve(opts.goldenDir ?? process.env.TMS_GOLDEN_DIR ?? join(REPO_ROOT, 'golden'));
  const artifactsDir = resolve(opts.artifactsDir ?? process.env.TMS_ARTIFACTS_DIR ?? join(REPO_ROOT, '.artifacts'));

  const claims = new Map<string, ClaimReport>();
  const claim = (id: string): ClaimReport => {
    let c = claims.get(id);
    if (!c) {
      c = { id, title: id, statement: null, settings: null, section: null, parts: [], verdict: 'not run', tests: [], moduleErrors: [], files: [],
        measurements: [], runs: [], seeds: [], engines: [], specSeconds: 0, trainSeconds: 0, lastRun: null, figures: [] };
      claims.set(id, c);
    }
    return c;
  };

  // Test verdicts.
  const results = readResults(out, tier);
  const other: ReportData['other'] = { passed: 0, failed: 0, skipped: 0, failures: [], moduleErrors: [] };
  for (const m of Object.values(results?.modules ?? {}) as ModuleRecord[]) {
    const fileClaim = claimOfFile(m.file);
    const ids = new Set<string>();
    for (const t of m.tests) {
      const id = t.claim ?? fileClaim;
      if (id) {
        claim(id).tests.push({ ...t, file: m.file });
        ids.add(id);
      } else {
        if (t.state === 'passed') other.passed++;
        else if (t.state === 'failed') {
          other.failed++;
          other.failures.push({ ...t, file: m.file });
        } else other.skipped++;
      }
    }
    if (fileClaim) ids.add(fileClaim);
    if (ids.size === 0 && m.errors.length) other.moduleErrors.push({ file: m.file, errors: m.errors });
    for (const id of ids) {
      const c = claim(id);
      c.files.push(m.file);
      c.specSeconds += m.durationMs / 1000 / ids.size;
      if (!c.lastRun || m.finishedAt > c.lastRun) c.lastRun = m.finishedAt;
      if (m.errors.length) c.moduleErrors.push({ file: m.file, errors: m.errors });
    }
  }

  // Definitions as run (with the runs they trained), then the specs' definitions for what did not run.
  const claimsDir = join(out, 'claims', tier);
  const parts = new Map<string, Map<string, SpecDefinition>>();
  const addPart = (id: string, d: SpecDefinition, replace: boolean) => {
    const m = parts.get(id) ?? new Map<string, SpecDefinition>();
    if (replace || !m.has(d.spec)) m.set(d.spec, d);
    parts.set(id, m);
  };
  const measurements = new Map<string, (Measurement & { id: string })[]>();
  for (const f of listFiles(claimsDir, '.json')) {
    const data = readJson<ClaimFile>(join(claimsDir, f));
    const id = data?.id ?? f.replace(/\.json$/, '');
    const parent = claimOf(id).claim;
    if (!data || !parent) continue;
    for (const d of Object.values(data.definitions ?? {})) addPart(parent, d, true);
    measurements.set(parent, [...(measurements.get(parent) ?? []), ...(data.measurements ?? []).map((m) => ({ ...m, id }))]);
  }
  const defs = opts.definitions ?? specDefinitions(tier);
  for (const { id, def } of defs) addPart(id, def, false);
  for (const [id, m] of parts) {
    const c = claim(id);
    c.parts = [...m.values()].sort((a, b) => a.spec.localeCompare(b.spec));
  }

  // Golden figures of this tier, and failed comparisons.
  const figureNames = new Set<string>();
  const tierName = new RegExp(`^C\\d+.*-${tier}$`);
  for (const f of listFiles(goldenDir, '.png')) if (tierName.test(f.slice(0, -4))) figureNames.add(f.slice(0, -4));
  for (const f of listFiles(figuresDir(out, tier), '.png')) if (tierName.test(f.slice(0, -4))) figureNames.add(f.slice(0, -4));
  if (existsSync(artifactsDir)) {
    for (const d of readdirSync(artifactsDir)) if (tierName.test(d) && statSync(join(artifactsDir, d)).isDirectory()) figureNames.add(d);
  }
  for (const name of [...figureNames].sort(byId)) {
    const id = claimOf(name.replace(/-/g, ' ')).claim;
    if (!id) continue;
    const golden = join(goldenDir, `${name}.png`);
    const art = (k: string) => (existsSync(join(artifactsDir, name, `${k}.png`)) ? join(artifactsDir, name, `${k}.png`) : undefined);
    const current = join(figuresDir(out, tier), `${name}.png`);
    const fig: FigureReport = {
      name,
      golden: existsSync(golden) ? golden : undefined,
      current: existsSync(current) ? current : undefined,
      meta: readJson<{ meta?: Record<string, unknown> }>(join(goldenDir, `${name}.json`))?.meta ?? undefined,
      expected: art('expected'),
      actual: art('actual'),
      diff: art('diff'),
      failed: false,
    };
    fig.failed = !!(fig.actual || fig.diff);
    claim(id).figures.push(fig);
  }

  for (const c of claims.values()) {
    const failed = c.tests.some((t) => t.state === 'failed') || c.moduleErrors.length > 0;
    c.verdict = failed ? 'fail' : c.tests.some((t) => t.state === 'passed') ? 'pass' : 'not run';
    const many = c.parts.length > 1;
    if (c.parts.length) {
      c.title = c.parts.map((p) => p.title).join(' / ');
      c.statement = c.parts.map((p) => (many && p.part ? `${p.part}: ${p.statement}` : p.statement)).join(' ');
      c.settings = [...new Set(c.parts.map((p) => p.settings))].join(' ');
      c.section = c.parts[0].section;
    }
    // Runs and measurements belong to the specs that have results here: never shown beside "not run".
    const ran = c.parts.filter((p) => c.files.includes(p.spec));
    if (c.verdict !== 'not run') {
      c.measurements = measurements.get(c.id) ?? [];
      const seen = new Set<string>();
      for (const note of ran.flatMap((p) => p.ran ?? [])) {
        if (seen.has(note.key)) continue;
        seen.add(note.key);
        c.runs.push(note);
        c.trainSeconds += note.seconds;
        if (!c.engines.includes(note.engine)) c.engines.push(note.engine);
      }
      c.seeds = [...new Set(c.runs.flatMap((r) => r.seeds))].sort((a, b) => a - b);
    } else {
      for (const f of c.figures) f.current = undefined; // a figure left by an earlier run is not this run's
    }
    c.tests.sort((a, b) => byId(a.subId ?? a.name, b.subId ?? b.name));
    c.measurements.sort((a, b) => byId(a.id, b.id));
  }
  const list = [...claims.values()].sort((a, b) => byId(a.id, b.id));
  return {
    tier,
    generatedAt: (opts.now ?? new Date()).toISOString(),
    claims: list,
    notCovered: list.filter((c) => c.verdict === 'not run').map((c) => c.id),
    other,
    hasResults: !!results,
  };
}

// ---------- formatting ----------

const num = (x: number) => (Number.isInteger(x) ? String(x) : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e5 ? String(+x.toPrecision(4)) : x.toExponential(3));

/** A measured value as lines of text (several lines for lists of strings / per-key objects). */
export function formatValue(v: unknown): string[] {
  const one = (x: unknown, depth = 0): string => {
    if (typeof x === 'number') return num(x);
    if (typeof x === 'string') return x;
    if (x === null || x === undefined) return String(x);
    if (Array.isArray(x)) {
      const items = x.slice(0, 40).map((y) => one(y, depth + 1));
      return `[${items.join(', ')}${x.length > 40 ? `, … (${x.length} in all)` : ''}]`;
    }
    if (typeof x === 'object') return `{${Object.entries(x).map(([k, y]) => `${k}: ${one(y, depth + 1)}`).join(', ')}}`;
    return String(x);
  };
  if (Array.isArray(v) && v.length > 1 && v.every((x) => typeof x === 'string' || (Array.isArray(x) && x.length > 8))) return v.map((x) => one(x));
  if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 1 && Object.values(v).some((x) => typeof x === 'object')) {
    return Object.entries(v).map(([k, x]) => `${k}: ${one(x)}`);
  }
  return [one(v)];
}

const secs = (s: number) => (s >= 100 ? `${Math.round(s)} s` : `${s.toFixed(1)} s`);

function settingsLine(c: ClaimReport, tier: Tier): string {
  const parts = [`tier ${tier}`];
  if (c.engines.length) parts.push(`engine ${c.engines.join(', ')}`);
  if (c.seeds.length) parts.push(`seeds ${compactList(c.seeds)} (${c.seeds.length})`);
  if (c.runs.length) {
    const cached = c.runs.every((r) => r.cached);
    parts.push(`training ${secs(c.trainSeconds)}${cached ? ' (loaded from the run cache)' : c.runs.some((r) => r.cached) ? ' (partly from the run cache)' : ''}`);
  }
  if (c.specSeconds > 0) parts.push(`spec time ${secs(c.specSeconds)}`);
  if (c.lastRun) parts.push(`last run ${c.lastRun.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`);
  return parts.join(' · ');
}

/** 1,2,3,4,7 → "1–4, 7"; five or more equal blocks at a fixed stride → "1–6, 101–106, …, 901–906 (10 blocks of 6, every 100)" */
export function compactList(xs: number[]): string {
  const runs: [number, number][] = [];
  for (let i = 0; i < xs.length; ) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === xs[j] + 1) j++;
    runs.push([xs[i], xs[j]]);
    i = j + 1;
  }
  const one = ([a, b]: [number, number]) => (b > a + 1 ? `${a}–${b}` : b === a + 1 ? `${a}, ${b}` : `${a}`);
  // A grid of equal blocks at a fixed stride (C3's cell seeds: 900 blocks of 6) reads as first, second, …, last.
  const out: string[] = [];
  for (let i = 0; i < runs.length; ) {
    const len = runs[i][1] - runs[i][0];
    const stride = i + 1 < runs.length ? runs[i + 1][0] - runs[i][0] : 0;
    let j = i;
    while (j + 1 < runs.length && runs[j + 1][1] - runs[j + 1][0] === len && runs[j + 1][0] - runs[j][0] === stride) j++;
    if (j - i + 1 >= 5) {
      out.push(`${one(runs[i])}, ${one(runs[i + 1])}, …, ${one(runs[j])} (${j - i + 1} ${len ? `blocks of ${len + 1}` : 'values'}, every ${stride})`);
      i = j + 1;
    } else out.push(one(runs[i++]));
  }
  return out.join(', ');
}

/** The sizes each run of the claim has in this tier (from its definitions: what runs, not the paper's sizes). */
export function sizeLines(c: ClaimReport): string[] {
  const seen = new Set<string>();
  return c.parts.flatMap((p) => p.runs).flatMap((r) => {
    const line = `${r.namespace}: ${r.kind} n = ${r.n}, m = ${r.m}, ${r.instances} instances (${r.sparsities} sparsit${r.sparsities === 1 ? 'y' : 'ies'}, ` +
      `seeds ${compactList(r.seeds)}), ${r.steps} steps, batch ${r.batch}`;
    if (seen.has(line)) return [];
    seen.add(line);
    return [line];
  });
}

function runLines(c: ClaimReport): string[] {
  return c.runs.map((r) => `${r.namespace}: ${r.kind} n=${r.n} m=${r.m}, ${r.instances} instances × ${r.steps} steps (batch ${r.batch}), ` +
    `seeds ${compactList(r.seeds)}, ${r.engine}, ${secs(r.seconds)}${r.cached ? ' (cached)' : ''}`);
}

// ---------- HTML ----------

/** A spec file's link from the report (out/report/<tier>/): relative to the repository. */
const specHref = (spec: string) => `../../../${spec}`;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const dataUri = (p: string) => `data:image/png;base64,${readFileSync(p).toString('base64')}`;
const STATE_ICON: Record<string, string> = { passed: '✔', failed: '✘', skipped: '–', pending: '…' };

const CSS = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;color:#1d2024;background:#f6f7f9}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:20px;margin:0 0 6px}h3{font-size:15px;margin:18px 0 6px;color:#444}
.muted{color:#666;font-size:13px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:13.5px}
th,td{border:1px solid #dde1e6;padding:5px 8px;text-align:left;vertical-align:top}th{background:#eef1f4}
.claim{background:#fff;border:1px solid #dde1e6;border-left:6px solid #999;border-radius:6px;padding:16px 20px;margin:22px 0}
.claim.pass{border-left-color:#2e8540}.claim.fail{border-left-color:#c62828}
.badge{display:inline-block;border-radius:10px;padding:1px 10px;font-size:12.5px;font-weight:600;color:#fff;background:#888;vertical-align:middle}
.badge.pass{background:#2e8540}.badge.fail{background:#c62828}
blockquote{margin:8px 0;padding:6px 12px;border-left:3px solid #b0b8c4;background:#f3f5f8;color:#333}
.passed{color:#2e8540}.failed{color:#c62828}.skipped,.pending{color:#888}
pre{white-space:pre-wrap;background:#fff4f4;border:1px solid #f0caca;padding:8px;font-size:12px;margin:4px 0;max-height:320px;overflow:auto}
ul.value{margin:0;padding-left:18px}
figure{margin:10px 0}figure img{max-width:100%;border:1px solid #dde1e6;background:#fff}
figcaption{font-size:13px;color:#555;margin-bottom:4px}
.figs{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:10px}
`;

function valueHtml(v: unknown): string {
  const lines = formatValue(v);
  return lines.length === 1 ? esc(lines[0]) : `<ul class="value">${lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`;
}

function figureHtml(f: FigureReport): string {
  const meta = f.meta ? Object.entries(f.meta).filter(([k, v]) => ['engine', 'seed', 'seeds'].includes(k) && v !== undefined)
    .map(([k, v]) => `${k} ${Array.isArray(v) ? compactList(v as number[]) : String(v)}`).join(', ') : '';
  const img = (p: string | undefined, what: string) => (p ? `<figure><figcaption>${esc(what)}</figcaption><img alt="${esc(`${f.name} ${what}`)}" src="${dataUri(p)}"></figure>` : '');
  const golden = img(f.expected ?? f.golden, `golden${meta ? ` (made with ${meta})` : ''}`);
  const current = f.current ?? f.actual;
  const now = current ? img(current, 'this run') : '<p class="muted">this run: no figure (the figure test did not run)</p>';
  const head = f.failed
    ? `<p class="failed"><b>${esc(f.name)}: comparison with the golden failed</b> — golden, this run and diff:</p>`
    : `<p><b>${esc(f.name)}</b>${current ? ' <span class="passed">matches its golden</span>' : ''}</p>`;
  return `<div class="figure${f.failed ? ' failed-comparison' : ''}">${head}<div class="figs">${golden}${now}${f.failed ? img(f.diff, 'diff') : ''}</div></div>`;
}

function claimHtml(c: ClaimReport, tier: Tier): string {
  const tests = c.tests.length
    ? `<table class="tests"><tr><th>test</th><th>verdict</th><th>time</th></tr>${c.tests.map((t) =>
      `<tr class="test ${t.state}"><td>${esc(t.name)}${t.errors.map((e) => `<pre>${esc(e)}</pre>`).join('')}</td>` +
      `<td class="${t.state}">${STATE_ICON[t.state] ?? ''} ${t.state}</td><td>${secs(t.durationMs / 1000)}</td></tr>`).join('')}</table>`
    : '<p class="muted">No test results for this claim in this tier yet (run <code>tms reproduce</code>).</p>';
  const modErr = c.moduleErrors.map((m) => `<p class="failed">Errors in ${esc(m.file)} outside any test:</p>${m.errors.map((e) => `<pre>${esc(e)}</pre>`).join('')}`).join('');
  const meas = c.measurements.length
    ? `<h3>Measured vs. the paper</h3><table class="measurements"><tr><th>id</th><th>measured</th><th>value</th><th>paper</th><th>tolerance</th></tr>${c.measurements.map((m) =>
      `<tr><td>${esc(m.id)}</td><td>${esc(m.what)}</td><td>${valueHtml(m.value)}</td><td>${esc(m.paper ?? '')}</td><td>${esc(m.tolerance ?? '')}</td></tr>`).join('')}</table>`
    : '';
  const runs = c.runs.length ? `<h3>Runs</h3><ul class="runs">${runLines(c).map((l) => `<li>${esc(l)}</li>`).join('')}</ul>` : '';
  const figs = c.figures.length ? `<h3>Figures</h3>${c.figures.map(figureHtml).join('')}` : '';
  const links = [c.section ? `<a href="${esc(c.section)}">paper section</a>` : '', ...c.parts.map((p) => `spec <a href="${esc(specHref(p.spec))}"><code>${esc(p.spec)}</code></a>`)].filter(Boolean).join(' · ');
  const sizes = sizeLines(c);
  const sizesHtml = sizes.length ? `<h3>Sizes in the ${esc(tier)} tier</h3><ul class="sizes">${sizes.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>` : '';
  return `<section class="claim ${c.verdict === 'not run' ? 'notrun' : c.verdict}" id="claim-${esc(c.id)}" data-claim="${esc(c.id)}" data-verdict="${c.verdict}">
<h2>${esc(c.id)} — ${esc(c.title)} <span class="badge ${c.verdict === 'not run' ? '' : c.verdict}">${c.verdict}</span></h2>
${c.statement ? `<blockquote><b>Paper:</b> ${esc(c.statement)}${c.settings ? `<br><span class="muted">The paper's settings: ${esc(c.settings)}</span>` : ''}</blockquote>` : ''}
${links ? `<p class="links">${links}</p>` : ''}
<p class="muted settings">${esc(settingsLine(c, tier))}</p>
${sizesHtml}<h3>Tests</h3>${tests}${modErr}${meas}${runs}${figs}
</section>`;
}

export function renderHtml(d: ReportData): string {
  const count = (v: Verdict) => d.claims.filter((c) => c.verdict === v).length;
  const summary = `<table class="summary"><tr><th>claim</th><th>title</th><th>verdict</th><th>tests</th></tr>${d.claims.map((c) => {
    const passed = c.tests.filter((t) => t.state === 'passed').length;
    return `<tr><td><a href="#claim-${esc(c.id)}">${esc(c.id)}</a></td><td>${esc(c.title)}</td><td><span class="badge ${c.verdict === 'not run' ? '' : c.verdict}">${c.verdict}</span></td><td>${passed}/${c.tests.length} passed</td></tr>`;
  }).join('')}</table>`;
  const o = d.other;
  const otherHtml = o.passed + o.failed + o.skipped + o.moduleErrors.length
    ? `<section id="other-tests" class="claim ${o.failed || o.moduleErrors.length ? 'fail' : 'pass'}"><h2>Other tests</h2><p>${o.passed} passed, ${o.failed} failed, ${o.skipped} skipped (property and unit tests in tests/).</p>` +
      o.failures.map((t) => `<p class="failed">✘ ${esc(t.file)} › ${esc(t.fullName)}</p>${t.errors.map((e) => `<pre>${esc(e)}</pre>`).join('')}`).join('') +
      o.moduleErrors.map((m) => `<p class="failed">Errors in ${esc(m.file)}:</p>${m.errors.map((e) => `<pre>${esc(e)}</pre>`).join('')}`).join('') + '</section>'
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Claims report — ${esc(d.tier)} tier</title><style>${CSS}</style></head>
<body><main>
<header><h1>Toy Models of Superposition — claims report</h1>
<p class="muted">tier <b>${esc(d.tier)}</b> · generated ${esc(d.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))} · ${d.claims.length} claims: ${count('pass')} pass, ${count('fail')} fail, ${count('not run')} not run${d.hasResults ? '' : ' · no test results recorded yet'}</p></header>
${summary}
${d.notCovered.length ? `<p class="muted">No results in this tier for: ${d.notCovered.map((id) => esc(id)).join(', ')}.</p>` : ''}
${d.claims.map((c) => claimHtml(c, d.tier)).join('\n')}
${otherHtml}
</main></body></html>
`;
}

// ---------- Markdown ----------

const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, '<br>');

export function renderMarkdown(d: ReportData, mdDir: string): string {
  const link = (p: string) => relative(mdDir, p).split('\\').join('/');
  const icon = (v: Verdict) => (v === 'pass' ? '✅ pass' : v === 'fail' ? '❌ fail' : '⏸ not run');
  const lines = [
    `# Claims report — ${d.tier} tier`,
    '',
    `Generated ${d.generatedAt}. Open \`index.html\` beside this file for the figures inline.`,
    '',
    '| claim | title | verdict | tests |',
    '|---|---|---|---|',
    ...d.claims.map((c) => `| [${c.id}](#${c.id.toLowerCase()}) | ${mdCell(c.title)} | ${icon(c.verdict)} | ${c.tests.filter((t) => t.state === 'passed').length}/${c.tests.length} passed |`),
    '',
  ];
  if (d.notCovered.length) lines.push(`No results in this tier for: ${d.notCovered.join(', ')}.`, '');
  for (const c of d.claims) {
    lines.push(`## ${c.id}`, '', `**${c.title}** — ${icon(c.verdict)}`, '');
    if (c.statement) lines.push(`> **Paper:** ${c.statement}${c.settings ? `  \n> *The paper's settings: ${c.settings}*` : ''}`, '');
    const links = [c.section ? `[paper section](${c.section})` : '', ...c.parts.map((p) => `spec [${p.spec}](${specHref(p.spec)})`)].filter(Boolean);
    if (links.length) lines.push(links.join(' · '), '');
    lines.push(settingsLine(c, d.tier), '');
    const sizes = sizeLines(c);
    if (sizes.length) lines.push(`Sizes in the ${d.tier} tier:`, '', ...sizes.map((l) => `- ${l}`), '');
    for (const t of c.tests) {
      lines.push(`- ${t.state === 'passed' ? '✅' : t.state === 'failed' ? '❌' : '⏸'} ${t.name} (${secs(t.durationMs / 1000)})`);
      for (const e of t.errors) lines.push('', '  ```', ...e.split('\n').map((l) => `  ${l}`), '  ```');
    }
    for (const m of c.moduleErrors) lines.push(`- ❌ errors in ${m.file} outside any test:`, '', '  ```', ...m.errors.join('\n').split('\n').map((l) => `  ${l}`), '  ```');
    if (c.tests.length || c.moduleErrors.length) lines.push('');
    if (c.measurements.length) {
      lines.push('| id | measured | value | paper | tolerance |', '|---|---|---|---|---|');
      for (const m of c.measurements) lines.push(`| ${m.id} | ${mdCell(m.what)} | ${mdCell(formatValue(m.value).join('\n'))} | ${mdCell(m.paper ?? '')} | ${mdCell(m.tolerance ?? '')} |`);
      lines.push('');
    }
    if (c.runs.length) lines.push(...runLines(c).map((l) => `- run ${l}`), '');
    for (const f of c.figures) {
      const files = [['golden', f.expected ?? f.golden], ['this run', f.current ?? f.actual], ...(f.failed ? [['diff', f.diff]] : [])].filter(([, p]) => p);
      lines.push(`**${f.name}**${f.failed ? ': comparison with the golden failed' : ''} — ${files.map(([k, p]) => `[${k}](${link(p!)})`).join(' · ')}`, '');
      if (f.golden) lines.push(`![${f.name}](${link(f.golden)})`, '');
    }
  }
  const o = d.other;
  if (o.passed + o.failed + o.skipped) {
    lines.push('## Other tests', '', `${o.passed} passed, ${o.failed} failed, ${o.skipped} skipped.`, '');
    for (const t of o.failures) lines.push(`- ❌ ${t.file} › ${t.fullName}`);
  }
  return lines.join('\n') + '\n';
}

/** Builds the report and writes index.html and summary.md; returns their paths. */
export function writeReport(opts: ReportOptions = {}): { html: string; md: string; data: ReportData } {
  const data = collectReport(opts);
  const dir = resolve(opts.reportDir ?? reportDirOf(data.tier, opts.outDir ?? defaultOutDir()));
  mkdirSync(dir, { recursive: true });
  const html = join(dir, 'index.html');
  const md = join(dir, 'summary.md');
  atomicWrite(html, renderHtml(data));
  atomicWrite(md, renderMarkdown(data, dirname(md)));
  return { html, md, data };
}
