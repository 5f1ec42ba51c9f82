// This run's figures: defineClaim writes every figure it compares to out/claims/<tier>/figures/<name>.png, so
// the report can show it beside the golden whether or not the comparison failed.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { atomicWrite } from '../cache.js';
import { tier } from '../tier.js';
import { outDir } from './record.js';

export function figuresDir(out = outDir(), t: string = tier()): string {
  return join(out, 'claims', t, 'figures');
}

export function recordFigure(name: string, png: Buffer): void {
  const dir = figuresDir();
  mkdirSync(dir, { recursive: true });
  atomicWrite(join(dir, `${name}.png`), png);
}
