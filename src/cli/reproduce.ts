// `tms reproduce`: run the claim specs (specs/) through vitest's node API with the chosen tier, record
// every test's verdict (src/report/vitest-reporter.ts) and write the claims report, showing training progress.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../paths.js';
import { tier as envTier, type Tier } from '../tier.js';
import ClaimsReporter from '../report/vitest-reporter.js';
import { claimOf, claimOfFile } from '../report/results.js';
import { parseFlags, UsageError } from './args.js';
import { reproduceCommand } from './commands.js';
import { ProgressReader } from './progress-events.js';
import { ReproduceProgress } from './reproduce-progress.js';

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Spec files (relative to the repo) and the test-name pattern selecting `filter`'s claims. */
export function selectSpecs(filter: string | undefined, specFiles: string[]): { files: string[]; pattern?: string } {
  if (filter === undefined) return { files: specFiles };
  const ids = filter.split(',').map((s) => s.trim());
  const known = [...new Set(specFiles.map(claimOfFile).filter((x): x is string => !!x))].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  const files = new Set<string>();
  for (const id of ids) {
    const { claim, subId } = claimOf(id);
    if (!claim || (id !== claim && id !== subId)) throw new UsageError(`--filter must be claim ids such as C2 or C2.3, comma-separated; got ${JSON.stringify(id)}`);
    const matching = specFiles.filter((f) => claimOfFile(f) === claim);
    if (!matching.length) throw new UsageError(`--filter ${id}: no spec for ${claim} in specs/; claims with specs: ${known.join(', ')}`);
    matching.forEach((f) => files.add(f));
  }
  // Whole claims are selected by file; sub-claims also by test name ("C2.3 …"; "C8 …" keeps all of C8).
  const pattern = ids.some((id) => claimOf(id).subId)
    ? ids.map((id) => (claimOf(id).subId ? `${escapeRe(id)}\\b` : `(?:^|\\s)${escapeRe(id)}[\\s.]`)).join('|')
    : undefined;
  return { files: [...files], pattern };
}

export async function reproduce(argv: string[]): Promise<number> {
  const f = parseFlags(reproduceCommand, argv);
  const t: Tier = (f.tier as Tier | undefined) ?? envTier();
  process.env.TMS_TIER = t;
  if (f.engine) process.env.TMS_ENGINE = f.engine as string;
  const specFiles = readdirSync(join(REPO_ROOT, 'specs')).filter((x) => /\.spec\.[cm]?[jt]s$/.test(x)).sort().map((x) => `specs/${x}`);
  const { files, pattern } = selectSpecs(f.filter as string | undefined, specFiles);

  const { startVitest } = await import('vitest/node');
  const reporter = new ClaimsReporter({ log: false });
  process.stderr.write(`tms reproduce: ${files.length} spec file(s), ${t} tier${pattern ? `, tests matching /${pattern}/` : ''}\n`);
  // The workers report their training through files here (progress-worker.ts); this process shows it.
  const progressDir = mkdtempSync(join(tmpdir(), 'tms-progress-'));
  process.env.TMS_PROGRESS_DIR = progressDir;
  const progress = new ReproduceProgress(process.stderr);
  const reader = new ProgressReader(progressDir);
  const unhold = progress.hold([process.stdout, process.stderr]);
  const timer = setInterval(() => progress.handle(reader.poll()), 250);
  try {
    const vitest = await startVitest('test', files, {
      root: REPO_ROOT,
      config: join(REPO_ROOT, 'vitest.config.ts'),
      run: true,
      watch: false,
      setupFiles: [join(REPO_ROOT, 'src', 'cli', 'progress-worker.ts')],
      // vitest's own live summary would fight the progress line for the terminal's last line
      reporters: [['default', { summary: false }], reporter],
      ...(pattern ? { testNamePattern: pattern } : {}),
    });
    await vitest.close();
  } finally {
    clearInterval(timer);
    progress.handle(reader.poll());
    progress.finish();
    unhold();
    delete process.env.TMS_PROGRESS_DIR;
    rmSync(progressDir, { recursive: true, force: true });
  }
  const r = reporter.last;
  if (!r) {
    process.stderr.write('tms reproduce: vitest did not finish a run; no report written\n');
    return 1;
  }
  const rel = (p: string) => relative(process.cwd(), p);
  const lines = r.data.claims
    .filter((c) => files.some((file) => c.files.includes(file)))
    .map((c) => `  ${c.id.padEnd(4)} ${c.verdict.padEnd(8)} ${c.title}`);
  process.stdout.write(`\nclaims (${t} tier):\n${lines.join('\n')}\nreport: ${rel(r.html)}\nsummary: ${rel(r.md)}\n`);
  return r.ok ? 0 : 1;
}
