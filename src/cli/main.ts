// `tms`: the researcher's command line. One file per command; this one dispatches, prints help and turns
// user mistakes (bad flags, bad configs) into one line on stderr with exit code 2, never a stack trace.
import { pathToFileURL } from 'node:url';
import { closest, helpText, UsageError, type CommandSpec } from './args.js';
import { figureCommand, reportCommand, reproduceCommand, trainCommand } from './commands.js';

interface Command {
  spec: CommandSpec;
  run: (argv: string[]) => Promise<number>;
}

// Each command's module is loaded when it runs: help and unknown commands need only the specs.
export const COMMANDS: Record<string, Command> = {
  train: { spec: trainCommand, run: async (argv) => (await import('./train.js')).train(argv) },
  figure: { spec: figureCommand, run: async (argv) => (await import('./figure.js')).figure(argv) },
  reproduce: { spec: reproduceCommand, run: async (argv) => (await import('./reproduce.js')).reproduce(argv) },
  report: { spec: reportCommand, run: async (argv) => (await import('./report.js')).report(argv) },
};

export function mainHelp(): string {
  const w = Math.max(...Object.keys(COMMANDS).map((c) => c.length)) + 2;
  return [
    'Usage: tms <command> [flags]      (tms <command> --help for its flags)',
    '',
    'Reproduce Anthropic\'s "Toy Models of Superposition" as executable specs.',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(w)}${c.spec.brief}`),
    '',
    'Environment: TMS_TIER=default|paper, TMS_ENGINE=native-f32|native|tfjs|webgpu|auto, TMS_OUT_DIR (default out/), TMS_CACHE_DIR.',
    '',
  ].join('\n');
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(mainHelp());
    return name === undefined ? 2 : 0;
  }
  const cmd = COMMANDS[name];
  try {
    if (!cmd) {
      const guess = closest(name, Object.keys(COMMANDS));
      throw new UsageError(`unknown command ${JSON.stringify(name)}${guess ? ` (did you mean tms ${guess}?)` : ''}; commands: ${Object.keys(COMMANDS).join(', ')} (tms --help)`);
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(helpText(cmd.spec));
      return 0;
    }
    return await cmd.run(rest);
  } catch (e) {
    const err = e as Error;
    const usage = err instanceof UsageError || err?.name === 'ConfigError';
    process.stderr.write(`tms${cmd ? ` ${name}` : ''}: error: ${err?.message ?? String(e)}\n`);
    if (!usage && process.env.TMS_DEBUG) process.stderr.write(`${err?.stack}\n`);
    return usage ? 2 : 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
