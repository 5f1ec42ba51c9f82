// Sharded runs (README "Sharded runs", docs/ci-sharding.md): each shard writes a blob report, and
// `vitest run --merge-reports` with the claims reporter records every shard's verdicts and builds one
// claims report. Checked on a tiny fixture suite (tests/fixtures/sharding: C1 passes, C2 fails on purpose).
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/paths.js';
import type { ResultsFile } from '../src/report/results.js';

const run = promisify(execFile);
const VITEST = join(createRequire(import.meta.url).resolve('vitest/package.json'), '..', 'vitest.mjs');
const FIXTURE = join(REPO_ROOT, 'tests', 'fixtures', 'sharding');
const tmp = mkdtempSync(join(tmpdir(), 'tms-shard-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// The child vitest must not think it runs inside this one.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'TMS_REPORT'));
Object.assign(env, { TMS_OUT_DIR: join(tmp, 'out'), TMS_GOLDEN_DIR: join(tmp, 'golden'), TMS_ARTIFACTS_DIR: join(tmp, 'artifacts'), TMS_TIER: '', NO_COLOR: '1' });

async function vitest(...args: string[]): Promise<{ code: number; out: string }> {
  return vitestWith({}, ...args);
}

async function vitestWith(extraEnv: Record<string, string>, ...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await run(process.execPath, [VITEST, 'run', ...args], { cwd: FIXTURE, env: { ...env, ...extraEnv } });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

it('two blob shards merge into one results file and claims report', async () => {
  const reports = join(tmp, 'reports');
  const shards = await Promise.all([1, 2].map((i) => vitest(`--shard=${i}/2`, '--reporter=blob', `--outputFile=${join(reports, `blob-${i}.json`)}`)));
  expect(shards.map((s) => s.code).sort(), shards.map((s) => s.out).join('\n')).toEqual([0, 1]); // one shard holds the failing C2
  expect(readdirSync(reports).sort()).toEqual(['blob-1.json', 'blob-2.json']);

  const merged = await vitest(`--merge-reports=${reports}`, '--reporter=default', `--reporter=${join(REPO_ROOT, 'src', 'report', 'vitest-reporter.ts')}`);
  expect(merged.code, merged.out).toBe(1);
  expect(merged.out).toMatch(/Tests\s+1 failed \| 3 passed \(4\)/);

  const results = JSON.parse(readFileSync(join(tmp, 'out', 'results', 'default.json'), 'utf8')) as ResultsFile;
  expect(Object.keys(results.modules).sort()).toEqual(['specs/c1-alpha.spec.ts', 'specs/c2-beta.spec.ts']);
  const states = Object.values(results.modules).flatMap((m) => m.tests.map((t) => `${t.subId} ${t.state}`)).sort();
  expect(states).toEqual(['C1.1 passed', 'C1.2 passed', 'C2.1 passed', 'C2.2 failed']);
  const html = readFileSync(join(tmp, 'out', 'report', 'default', 'index.html'), 'utf8');
  expect(html).toMatch(/id="claim-C1" data-claim="C1" data-verdict="pass"/);
  expect(html).toMatch(/id="claim-C2" data-claim="C2" data-verdict="fail"/);
  expect(html).toContain('expected 1 to be 2');
}, 60_000);

it('--shard splits the files by the seconds in the times file (the repository\'s sequencer)', async () => {
  // Two files, two shards: the longer file goes to shard 1, whichever it is (vitest's own split is by path hash).
  const firstShard = async (times: Record<string, number>, tag: string) => {
    const file = join(tmp, `times-${tag}.json`);
    writeFileSync(file, JSON.stringify(times));
    const report = join(tmp, `shard-${tag}.json`);
    const r = await vitestWith({ SHARD_TIMES_FILE: file }, '--shard=1/2', '--reporter=json', `--outputFile=${report}`);
    const json = JSON.parse(readFileSync(report, 'utf8')) as { testResults: { name: string }[] };
    return { code: r.code, files: json.testResults.map((t) => basename(t.name)) };
  };
  expect(await firstShard({ 'specs/c1-alpha.spec.ts': 10, 'specs/c2-beta.spec.ts': 1 }, 'alpha')).toEqual({ code: 0, files: ['c1-alpha.spec.ts'] });
  expect(await firstShard({ 'specs/c1-alpha.spec.ts': 1, 'specs/c2-beta.spec.ts': 10 }, 'beta')).toEqual({ code: 1, files: ['c2-beta.spec.ts'] });
}, 60_000);
