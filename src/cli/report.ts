// `tms report`: rebuild the claims report from what is already in out/ (after a sharded run's merge, or
// after running single specs with the reporter on).
import { relative } from 'node:path';
import { tier as envTier, type Tier } from '../tier.js';
import { writeReport } from '../report/build.js';
import { parseFlags } from './args.js';
import { reportCommand } from './commands.js';

export async function report(argv: string[]): Promise<number> {
  const f = parseFlags(reportCommand, argv);
  const { html, md, data } = writeReport({ tier: (f.tier as Tier | undefined) ?? envTier() });
  const n = (v: string) => data.claims.filter((c) => c.verdict === v).length;
  process.stdout.write(`${data.claims.length} claims: ${n('pass')} pass, ${n('fail')} fail, ${n('not run')} not run\n` +
    `report: ${relative(process.cwd(), html)}\nsummary: ${relative(process.cwd(), md)}\n`);
  return 0;
}
