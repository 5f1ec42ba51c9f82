// End to end on the webgpu engine: spec C8 passes with TMS_ENGINE=webgpu, in a child vitest with an
// empty run cache (so it really trains on the GPU). Runs where an adapter exists, and always under CI
// (where a missing adapter fails). Figure goldens were made with native: on webgpu they are size-checked
// only (src/figures/golden.ts), while every claim check runs as on native.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/paths.js';
import { gpuAvailability } from './helpers/webgpu.js';

const avail = await gpuAvailability();
// One spec: on the software GPU C8 takes ≈ 95 s and C1 ≈ 135 s (C1's 44 instances × 10,000 steps).
const SPECS = ['specs/c8-superposition-lowers-loss.spec.ts'];
const TIMEOUT_MS = 20 * 60_000;
// The child vitest must not think it runs inside this one.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'TMS_REPORT'));

describe.skipIf(!avail.run)(`C8 on the webgpu engine (${avail.reason})`, () => {
  it('the spec passes, every check and the figure test', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'tms-webgpu-specs-'));
    try {
      const r = await new Promise<{ code: number; out: string }>((resolve) => {
        execFile(process.execPath, [join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...SPECS],
          { cwd: REPO_ROOT, timeout: TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 1 << 26,
            env: { ...env, TMS_ENGINE: 'webgpu', TMS_CACHE_DIR: cache, TMS_OUT_DIR: join(cache, 'out'), TMS_ARTIFACTS_DIR: join(cache, 'artifacts'), TMS_TIER: '', TMS_GOLDEN: 'check', NO_COLOR: '1' } },
          (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, out: `${stdout}\n${stderr}` }));
      });
      const tail = r.out.split('\n').filter((l) => !l.startsWith('Warning: max')).slice(-60).join('\n');
      expect(r.code, tail).toBe(0);
      expect(r.out).toMatch(/Test Files\s+.*1 passed/);
      expect(r.out).not.toMatch(/skipped/);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  }, TIMEOUT_MS + 60_000);
});
