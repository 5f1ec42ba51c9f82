// `tms report`: rebuild the claims report from what is already in out/ (after a sharded run's merge, or
// after running single specs with the reporter on).
import { relative } from 'node:path';
import { TIERS, tier as envTier, type Tier } from '../tier.js';
import { writeReport } from '../report/build.js';
import { parseFlags, type CommandSpec } from './args.js';

export const reportCommand: CommandSpec = {
  name: 'report',
  brief: 'rebuild the claims report from out/',
  usage: 'tms report [--tier default|paper]',
  summary:
    'Write out/report/<tier>/index.html and out/report/<tier>/summary.md from the recorded results (out/results/<tier>.json),\n' +
    'measurements (out/claims/<tier>/), golden figures (golden/) and failed comparisons (.artifacts/).',
  flags: {
    tier: { type: 'choice', choices: TIERS, default: '$TMS_TIER or default', help: 'which tier\'s results' },
  },
  examples: ['npx tms report', 'npx tms report --tier paper'],
};

export async function report(argv: string[]): Promise<number> {
  const f = parseFlags(reportCommand, argv);
  const { html, md, data } = writeReport({ tier: (f.tier as Tier | undefined) ?? envTier() });
  const n = (v: string) => data.claims.filter((c) => c.verdict === v).length;
  process.stdout.write(`${data.claims.length} claims: ${n('pass')} pass, ${n('fail')} fail, ${n('not run')} not run\n` +
    `report: ${relative(process.cwd(), html)}\nsummary: ${relative(process.cwd(), md)}\n`);
  return 0;
}
