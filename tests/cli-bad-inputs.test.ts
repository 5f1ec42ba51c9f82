// Every command-line mistake of tests/helpers/bad-cli-inputs.ts is refused (before training or rendering) with
// a message naming the flag, the value and what is allowed; through `tms` it is one line with exit code 2.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/paths.js';
import { UsageError } from '../src/cli/args.js';
import { ConfigError } from '../src/errors.js';
import { errorOf } from './helpers/bad-inputs.js';
import { CLI_CASES } from './helpers/bad-cli-inputs.js';

const tmp = mkdtempSync(join(tmpdir(), 'tms-cli-bad-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('command-line mistakes are refused with a message naming flag, value and what is allowed', () => {
  for (const c of CLI_CASES) {
    it(c.input, () => {
      const e = errorOf(c);
      expect(e instanceof UsageError || e instanceof ConfigError, `no usage error: ${e}`).toBe(true);
      expect(e!.message.split('\n').some((l) => l.includes(c.shows) && l.includes(c.allowed)), e!.message).toBe(true);
    });
  }

  it('through tms: exit code 2, one line, one "tms <command>: error:" prefix', async () => {
    const tms = (...args: string[]) => promisify(execFile)(process.execPath, [join(REPO_ROOT, 'bin', 'tms.mjs'), ...args], {
      cwd: REPO_ROOT, env: { ...process.env, TMS_OUT_DIR: join(tmp, 'out'), TMS_CACHE_DIR: join(tmp, 'cache') },
    }).then(() => ({ code: 0, stderr: '' }), (e: { code: number; stderr: string }) => e);
    const [imp, fig] = await Promise.all([tms('train', '--importance', '2'), tms('figure', '--kind', 'norms')]);
    expect(imp.code).toBe(2);
    expect(imp.stderr).toBe('tms train: error: --importance must be a decay in (0, 1] (feature i gets importance DECAY^i); got 2\n');
    expect(fig.code).toBe(2);
    expect(fig.stderr).toBe('tms figure: error: --run DIR is required (a directory written by `tms train`)\n');
  }, 30_000);
});
