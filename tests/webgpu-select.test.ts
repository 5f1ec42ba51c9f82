// Engine selection around the webgpu engine, through the CLI (each run a child process, so Dawn never
// loads into the test worker): TMS_ENGINE=webgpu without an adapter is a ConfigError (exit 2) that says
// what is missing; `auto` on a software adapter trains with native and names the adapter in one line;
// with an adapter, webgpu trains and its engine name (the cache key) carries the adapter's identity.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/paths.js';
import { GPU_CHILD_ENV, gpuAvailability } from './helpers/webgpu.js';

const avail = await gpuAvailability();
const tmp = mkdtempSync(join(tmpdir(), 'tms-webgpu-select-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function tms(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string; out: string }> {
  const out = join(tmp, `run-${Math.random().toString(36).slice(2)}`);
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO_ROOT, 'bin', 'tms.mjs'), 'train', '--kind', 'relu-output', '--n', '5', '--m', '2', '--steps', '20', '--batch', '32', '--quiet', '--fresh', '--out', out, ...args],
      { cwd: tmp, timeout: 120_000, env: { ...GPU_CHILD_ENV, TMS_CACHE_DIR: join(tmp, 'cache'), TMS_THREADS: '1', TMS_ENGINE: '', ...env } },
      (err, _stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stderr, out }));
  });
}

const engineOf = (out: string) => (JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { engine: string }).engine;

describe('webgpu engine selection', () => {
  it.runIf(process.platform === 'linux')('TMS_ENGINE=webgpu with no Vulkan driver: exit 2, one line naming what is missing', async () => {
    const r = await tms([], { TMS_ENGINE: 'webgpu', VK_DRIVER_FILES: join(tmp, 'no-such-icd.json'), VK_ICD_FILENAMES: join(tmp, 'no-such-icd.json') });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/tms train: error: TMS_ENGINE=webgpu: no WebGPU adapter: .*Vulkan/);
  });

  it.runIf(avail.run)(`auto passes over a software adapter to native-f32 and says so (${avail.reason})`, async () => {
    const r = await tms(['--engine', 'auto']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('[tms] auto:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/software\/fallback adapter; not using webgpu/);
    expect(engineOf(r.out)).toBe('native-f32');
  });

  it.runIf(avail.run)('TMS_ENGINE=webgpu trains, and the cache key names the adapter', async () => {
    const r = await tms([], { TMS_ENGINE: 'webgpu' });
    expect(r.code, r.stderr).toBe(0);
    const name = engineOf(r.out);
    expect(name).toMatch(/^webgpu:/);
    // vendor|architecture|device|description, as the probe reported them
    const vendor = avail.reason.replace(/^adapter /, '').split(',')[0];
    expect(name.split('|')[0]).toBe(`webgpu:${vendor}`);
    expect(name.split('|')).toHaveLength(4);
  });
});
