// Measurements in out/claims/<tier>/<id>.json: merged within a run, replaced across runs.
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

describe('record', () => {
  it('merges a run\'s measurements by "what" and drops those an earlier run left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tms-record-'));
    vi.stubEnv('TMS_OUT_DIR', dir);
    vi.stubEnv('TMS_TIER', 'default');
    const file = join(dir, 'claims', 'default', 'X9.1.json');
    mkdirSync(join(dir, 'claims', 'default'), { recursive: true });
    writeFileSync(file, JSON.stringify({ id: 'X9.1', tier: 'default', title: 'kept', measurements: [{ what: 'stale', value: 1 }] }));
    const { record } = await import('../src/claims/record.js');
    record('X9.1', { what: 'a', value: 1 });
    record('X9.1', { what: 'b', value: 2 });
    record('X9.1', { what: 'a', value: 3 });
    const got = JSON.parse(readFileSync(file, 'utf8'));
    expect(got.title).toBe('kept');
    expect(got.measurements).toEqual([{ what: 'b', value: 2 }, { what: 'a', value: 3 }]);
    vi.unstubAllEnvs();
  });
});
