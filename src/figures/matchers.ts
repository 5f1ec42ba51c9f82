// `await expect(png).toMatchGolden(name, meta?, opts?)`. Importing this module registers the
// matcher (side effect), so specs just `import '../src/figures/matchers.js'`.
import { expect } from 'vitest';
import { relative } from 'node:path';
import { compareGolden, repoRoot, type GoldenOptions } from './golden.js';

interface GoldenMatchers {
  /** compare a PNG Buffer against golden/<name>.png (see golden.ts for modes) */
  toMatchGolden(name: string, meta?: object, opts?: GoldenOptions): Promise<void>;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface Matchers<T = any> extends GoldenMatchers {}
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
// -t takes a regex: escape the test name so it matches literally
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function setup(): void {
  expect.extend({
    async toMatchGolden(received: unknown, name: string, meta?: object, opts: GoldenOptions = {}) {
      if (!Buffer.isBuffer(received)) {
        return { pass: false, message: () => `toMatchGolden expects a PNG Buffer, got ${typeof received}` };
      }
      // Point the update command at this exact test, so it runs quickly and touches one golden.
      const file = this.testPath ? relative(repoRoot(), this.testPath) : '';
      // -t matches a substring of "<file> <describe…> <test>"; the test's own name is enough.
      const testName = this.currentTestName?.split(' > ').pop();
      const test = ` -t ${quote(testName ? escapeRe(testName) : name)}`;
      const updateCommand = opts.updateCommand ??
        `TMS_GOLDEN=update TMS_GOLDEN_FILTER=${quote(name)} npx vitest run ${file}${test}`.replace(/\s+/g, ' ');
      const r = await compareGolden(name, received, meta, { ...opts, updateCommand });
      return { pass: r.pass, message: () => (this.isNot ? `expected not to match golden "${name}"` : r.message) };
    },
  });
}

setup();
