// A small, strict flag parser for the `tms` commands. Every flag is declared with its type (and allowed
// values), so a typo or a bad value becomes one line that names the flag and what it accepts, and the
// same declarations print `--help`.
import { isAbsolute, relative } from 'node:path';

/** A path as the user would type it: relative to the working directory when inside it. */
export function shownPath(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? p : rel;
}

/** A mistake on the command line: printed as one line, exit code 2, no stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type FlagType = 'int' | 'number' | 'string' | 'ints' | 'numbers' | 'choice' | 'bool';

export interface FlagSpec {
  type: FlagType;
  /** the allowed values of a 'choice' flag */
  choices?: readonly string[];
  /** shown in --help, e.g. "10000" */
  default?: string;
  /** placeholder for the value in --help, e.g. "N" */
  value?: string;
  help: string;
}

export type FlagSpecs = Record<string, FlagSpec>;

export interface CommandSpec {
  name: string;
  /** one line for `tms --help` */
  brief: string;
  summary: string;
  usage: string;
  flags: FlagSpecs;
  examples?: string[];
}

type Parsed = Record<string, string | number | boolean | number[] | undefined>;

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

const describeType = (s: FlagSpec): string => {
  switch (s.type) {
    case 'int': return 'an integer';
    case 'number': return 'a number';
    case 'ints': return 'a comma-separated list of integers, e.g. 1,2,3';
    case 'numbers': return 'a number or a comma-separated list of numbers, e.g. 0.9,0.99';
    case 'choice': return `one of ${s.choices!.join(', ')}`;
    case 'string': return 'a value';
    case 'bool': return 'no value';
  }
};

function parseNumber(flag: string, s: FlagSpec, raw: string, int: boolean): number {
  const x = NUMBER_RE.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isFinite(x) || (int && !Number.isInteger(x))) {
    throw new UsageError(`--${flag} must be ${describeType(s)}; got ${JSON.stringify(raw)}`);
  }
  return x;
}

function parseValue(flag: string, s: FlagSpec, raw: string): string | number | number[] {
  switch (s.type) {
    case 'int': return parseNumber(flag, s, raw, true);
    case 'number': return parseNumber(flag, s, raw, false);
    case 'ints':
    case 'numbers': {
      const parts = raw.split(',');
      if (parts.some((p) => p.trim() === '')) throw new UsageError(`--${flag} must be ${describeType(s)}; got ${JSON.stringify(raw)}`);
      return parts.map((p) => parseNumber(flag, s, p, s.type === 'ints'));
    }
    case 'choice':
      if (!s.choices!.includes(raw)) {
        const guess = closest(raw, s.choices!);
        throw new UsageError(`--${flag} must be one of ${s.choices!.join(', ')}; got ${JSON.stringify(raw)}${guess ? ` (did you mean ${guess}?)` : ''}`);
      }
      return raw;
    default:
      if (raw === '') throw new UsageError(`--${flag} needs ${describeType(s)}`);
      return raw;
  }
}

/** Edit distance (insertions, deletions, substitutions, adjacent swaps) between two short words. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The candidate a typo most likely meant: within 2 edits (1 for words of up to 3 letters), or a unique prefix. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  const prefixed = candidates.filter((c) => w.length >= 2 && c.startsWith(w));
  if (prefixed.length === 1) return prefixed[0];
  const limit = w.length <= 3 ? 1 : 2;
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(w, c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return bestD <= limit ? best : undefined;
}

/** Parses `argv` (after the command name) against `cmd.flags`. `--help` is handled by the caller. */
export function parseFlags(cmd: CommandSpec, argv: string[]): Parsed {
  const out: Parsed = {};
  const known = Object.keys(cmd.flags);
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k];
    if (!arg.startsWith('--') || arg === '--') {
      throw new UsageError(`unexpected argument ${JSON.stringify(arg)}; flags are written --name value (see tms ${cmd.name} --help)`);
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = cmd.flags[name];
    if (!spec) {
      const guess = closest(name, known);
      throw new UsageError(`unknown flag --${name}${guess ? ` (did you mean --${guess}?)` : ''}; allowed flags: ${known.map((f) => `--${f}`).join(', ')}`);
    }
    if (name in out) throw new UsageError(`--${name} is given twice`);
    if (spec.type === 'bool') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value; got ${JSON.stringify(arg.slice(eq + 1))}`);
      out[name] = true;
      continue;
    }
    let raw: string | undefined;
    if (eq >= 0) raw = arg.slice(eq + 1);
    else if (k + 1 < argv.length && !(argv[k + 1].startsWith('--') && argv[k + 1].length > 2)) raw = argv[++k];
    if (raw === undefined) throw new UsageError(`--${name} needs ${describeType(spec)}`);
    out[name] = parseValue(name, spec, raw);
  }
  return out;
}

export function helpText(cmd: CommandSpec): string {
  const rows = Object.entries(cmd.flags).map(([name, s]) => {
    const value = s.type === 'bool' ? '' : ` ${s.value ?? (s.type === 'choice' ? s.choices!.join('|') : 'VALUE')}`;
    const dflt = s.default !== undefined ? ` (default ${s.default})` : '';
    return [`  --${name}${value}`, `${s.help}${dflt}`];
  });
  const width = Math.min(34, Math.max(...rows.map(([l]) => l.length)) + 2);
  const flags = rows.map(([l, r]) => (l.length + 1 > width ? `${l}\n${' '.repeat(width)}${r}` : `${l.padEnd(width)}${r}`));
  const parts = [`Usage: ${cmd.usage}`, '', cmd.summary, '', 'Flags:', ...flags, `  --help${' '.repeat(Math.max(1, width - 8))}show this help`];
  if (cmd.examples?.length) parts.push('', 'Examples:', ...cmd.examples.map((e) => `  ${e}`));
  return parts.join('\n') + '\n';
}
