// Runs WebGPU jobs in a child process (webgpu-child.ts) with a timeout, and decides whether the GPU tests
// run here: under CI=true a missing adapter is a failure; elsewhere the tests skip with one printed reason.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GpuJob } from './webgpu-child.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHILD = join(ROOT, 'tests', 'helpers', 'webgpu-child.ts');
// Mesa's software GPU (lavapipe) compiles every shader for 256-bit vectors on AVX CPUs; these tests build a
// pipeline per fast-check shape and run each for a few steps, so compiling dominates, and at 128 bits (SSE,
// lavapipe's width where AVX is missing) it takes about half as long: 69 s → 36 s for the five GPU test files
// from an empty shader cache on 2 cores. No effect on a hardware GPU; a value already set is kept.
export const GPU_CHILD_ENV = { ...process.env, LP_NATIVE_VECTOR_WIDTH: process.env.LP_NATIVE_VECTOR_WIDTH || '128' };

export async function runGpu<T = unknown>(jobs: GpuJob[], timeoutMs = 120_000): Promise<T[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tms-webgpu-'));
  const inp = join(dir, 'jobs.json');
  const out = join(dir, 'results.json');
  writeFileSync(inp, JSON.stringify(jobs));
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', CHILD, inp, out], { cwd: ROOT, env: GPU_CHILD_ENV, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1 << 26 }, (err, _stdout, stderr) => {
        if (err) reject(new Error(`webgpu child failed (${err.killed ? `killed after ${timeoutMs} ms` : `exit ${err.code ?? err.signal}`}): ${stderr.slice(-2000)}`));
        else resolve();
      });
    });
    return JSON.parse(readFileSync(out, 'utf8')) as T[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Availability {
  run: boolean;
  /** why the GPU tests skip (printed once), or the adapter they run on */
  reason: string;
}

let memo: Promise<Availability> | undefined;

/** Probes the adapter once per test file; throws under CI=true when there is none. */
export function gpuAvailability(): Promise<Availability> {
  return (memo ??= (async () => {
    const [p] = await runGpu<{ ok: boolean; why?: string; info?: { vendor: string; architecture: string; description: string } }>([{ kind: 'probe' }], 60_000);
    if (p.ok) return { run: true, reason: `adapter ${p.info!.vendor}, ${p.info!.architecture}, ${p.info!.description}` };
    if (process.env.CI === 'true') throw new Error(`CI=true but the WebGPU tests have no adapter: ${p.why} (.ci/setup installs Mesa's lavapipe)`);
    process.stdout.write(`[webgpu tests] skipped: ${p.why}\n`);
    return { run: false, reason: p.why! };
  })());
}
