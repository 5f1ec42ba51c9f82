// The training core does not know its users: nothing reachable from the core's files imports the claim
// harness, the report or the mutants (they plug in from above through useTrainHooks / training variants).
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { SRC_DIR } from '../src/paths.js';

const CORE = ['train.ts', 'cache.ts', 'rng.ts', 'data.ts', 'models.ts', 'instance.ts'];
const FORBIDDEN = (f: string) => f.startsWith('claims/') || f.startsWith('report/') || f === 'mutants.ts';

/** Relative imports of one source file (static `import`/`export … from`, and `import('…')`), as src-relative paths. */
export function importsOf(file: string, text = readFileSync(join(SRC_DIR, file), 'utf8')): string[] {
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)]
    .map((m) => m[1] ?? m[2] ?? m[3])
    .filter((s) => s.startsWith('.'));
  return specs.map((s) => relative(SRC_DIR, resolve(dirname(join(SRC_DIR, file)), s)).replace(/\.js$/, '.ts'));
}

function walk(dir: string): string[] {
  return readdirSync(join(SRC_DIR, dir)).flatMap((e) => {
    const p = join(dir, e);
    return statSync(join(SRC_DIR, p)).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every file reachable from `roots`, with the chain that reached it. */
function reach(roots: string[]): Map<string, string[]> {
  const seen = new Map<string, string[]>(roots.map((r) => [r, [r]]));
  const todo = [...roots];
  while (todo.length) {
    const f = todo.pop()!;
    for (const g of importsOf(f)) {
      if (seen.has(g)) continue;
      seen.set(g, [...seen.get(f)!, g]);
      todo.push(g);
    }
  }
  return seen;
}

describe('import graph', () => {
  it('reads static, re-export, side-effect and dynamic imports', () => {
    const text = "import { a } from './x.js';\nimport type { T } from '../claims/y.js';\nexport { z } from './z.js';\nimport './side.js';\nconst m = await import('./dyn.js');\nimport { w } from 'vitest';";
    expect(importsOf('engines/f.ts', text).sort()).toEqual(['claims/y.ts', 'engines/dyn.ts', 'engines/side.ts', 'engines/x.ts', 'engines/z.ts']);
  });

  it('no chain of imports runs from the training core or the engines to src/claims, src/report or src/mutants.ts', () => {
    const roots = [...CORE, ...walk('engines')];
    const bad = [...reach(roots)].filter(([f]) => FORBIDDEN(f)).map(([, chain]) => chain.join(' → '));
    expect(bad).toEqual([]);
    expect(roots.length).toBeGreaterThan(CORE.length + 5); // the walk found the engines
  });

  it('the check sees a real arrow: the harness reaches the core and the mutants', () => {
    const r = reach(['claims/harness.ts']);
    expect(r.has('train.ts')).toBe(true);
    expect(r.has('mutants.ts')).toBe(true);
  });
});
