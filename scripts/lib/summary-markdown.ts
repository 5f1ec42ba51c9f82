// Reads back a summary table that scripts/flake-summary.ts rendered (docs/flake.md), so the summary can be
// re-rendered when the per-spec JSON of out/flake/ is gone. Printed bounds are rounded: each keeps the
// half-width of its rounding, and the suite total takes every spec at the top of its interval.
import type { Saved } from '../flake-summary.js';

/** A printed percentage ("0.27%", "7.2e-10%", "0%") as a fraction, with the half-width of its last digit. */
export function parsePercent(text: string): { value: number; halfWidth: number } {
  const m = /^([\d.]+)(?:e([-+]?\d+))?%$/.exec(text.trim());
  if (!m) throw new Error(`not a percentage: ${JSON.stringify(text)}`);
  const value = Number(text.trim().slice(0, -1)) / 100;
  if (value === 0) return { value: 0, halfWidth: 0 }; // printed only for an exact zero
  const decimals = m[1].includes('.') ? m[1].split('.')[1].length : 0;
  return { value, halfWidth: (0.5 * 10 ** (-decimals) * 10 ** Number(m[2] ?? 0)) / 100 };
}

const cells = (row: string) => row.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());

/** The specs of a rendered summary table, as flake-summary reads them from JSON (no offset check on record). */
export function parseSummary(markdown: string): Saved[] {
  const out = new Map<string, Saved>();
  for (const row of markdown.split('\n').filter((l) => /^\| \S+\.spec\.ts \|/.test(l))) {
    const [spec, test, passesK, bound, constant] = cells(row);
    const [passes, runs] = passesK.split('/').map(Number);
    const s: Saved = out.get(spec) ?? { spec: `specs/${spec}`, K: runs || 0, tallies: [], models: [], marginSites: [] };
    out.set(spec, s);
    if (test === '**not checked**') {
      s.unchecked = true;
      continue;
    }
    if (test === '**refused**') {
      Object.assign(s, { refused: true, offsetCheck: { ok: false, reason: bound.replace(/^no bound: /, ''), repeated: [], shared: [], empty: [], exempt: {} } });
      continue;
    }
    const m = /^≤ (\S+%)/.exec(bound);
    if (test.startsWith('**whole spec** (sum')) {
      s.tallies.push({ id: '(spec)', passes, runs });
      if (test.includes('seed offsets checked')) s.offsetCheck = { ok: true, repeated: [], shared: [], empty: [], exempt: {} };
      const engine = /; on ([^)]+)\)/.exec(test)?.[1];
      if (engine) s.engines = engine.split(', ');
      if (m) s.specBound = parsePercent(m[1]);
      continue;
    }
    s.tallies.push({ id: test, passes, runs });
    if (m) s.models!.push({ id: test, bound: parsePercent(m[1]).value, unmodelled: 0, otherFailures: [], complete: !bound.includes('incomplete') });
    for (let i = 0; i < (Number(constant) || 0); i++) s.marginSites!.push({ id: test, constant: true });
  }
  return [...out.values()];
}
