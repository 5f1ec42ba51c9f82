// Errors a user can act on: a bad config or environment variable. Messages name the field (or variable),
// show the value and state what is allowed.

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** A value as the user would type it: NaN, Infinity, −0, "strings" and nested arrays shown exactly, long ones cut. */
export function showValue(v: unknown, max = 60): string {
  const s = fmt(v, 0);
  return s.length > max ? `${s.slice(0, max - 3)}...` : s;
}

function fmt(v: unknown, depth: number): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === undefined) return 'undefined (missing)';
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v !== 'object' || v === null) return String(v);
  if (depth > 3) return Array.isArray(v) ? '[...]' : '{...}';
  if (Array.isArray(v)) return `[${v.slice(0, 30).map((x) => fmt(x, depth + 1)).join(', ')}${v.length > 30 ? ', ...' : ''}]`;
  return `{${Object.entries(v).map(([k, x]) => `${k}: ${fmt(x, depth + 1)}`).join(', ')}}`;
}
