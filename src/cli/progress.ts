// Progress bar for `tms train`, on stderr. On a terminal it redraws one line (at most 10 times a second);
// otherwise (CI logs, pipes) it prints a line every 10%. Steps/s and ETA come from done/total; the loss is
// shown when the engine reports one (Progress has no loss field yet).
import type { Progress } from '../engines/engine.js';

export interface ProgressBarOptions {
  /** steps per instance and instance count, shown as "step done/total (N × steps)"; instances may train in parallel */
  stepsPerInstance: number;
  instances: number;
  stream?: NodeJS.WriteStream;
  /** clock in ms (tests) */
  now?: () => number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

export class ProgressBar {
  private readonly stream: NodeJS.WriteStream;
  private readonly now: () => number;
  private readonly t0: number;
  private lastDraw = -Infinity;
  private lastDecile = -1;
  private drawn = false;

  constructor(private readonly opts: ProgressBarOptions) {
    this.stream = opts.stream ?? process.stderr;
    this.now = opts.now ?? (() => performance.now());
    this.t0 = this.now();
  }

  /** The line for a progress report (no newline). */
  line(p: Progress & { loss?: number }): string {
    const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
    const elapsed = (this.now() - this.t0) / 1000;
    const rate = elapsed > 0 ? p.done / elapsed : 0;
    const eta = rate > 0 ? (p.total - p.done) / rate : Infinity;
    const width = 24;
    const full = Math.round(frac * width);
    const bar = `[${'#'.repeat(full)}${'.'.repeat(width - full)}]`;
    const { stepsPerInstance: per, instances } = this.opts;
    const loss = typeof p.loss === 'number' ? ` · loss ${p.loss.toExponential(3)}` : '';
    return `${bar} ${(frac * 100).toFixed(0).padStart(3)}% · step ${p.done}/${p.total} (${instances} × ${per})${loss} · ` +
      `${Math.round(rate)} steps/s · ETA ${formatDuration(eta)}`;
  }

  update(p: Progress): void {
    const t = this.now();
    const text = this.line(p);
    if (this.stream.isTTY) {
      if (t - this.lastDraw < 100 && p.done < p.total) return;
      this.lastDraw = t;
      this.stream.write(`\r${text}\x1b[K`);
      this.drawn = true;
    } else {
      const decile = Math.floor((10 * p.done) / p.total);
      if (decile === this.lastDecile) return;
      this.lastDecile = decile;
      this.stream.write(`${text}\n`);
    }
  }

  /** Ends the bar's line, with a final message. */
  finish(message: string): void {
    if (this.stream.isTTY && this.drawn) this.stream.write(`\r\x1b[K`);
    this.stream.write(`${message}\n`);
  }
}
