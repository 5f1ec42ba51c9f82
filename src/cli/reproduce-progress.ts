// What `tms reproduce` shows while the specs train. On a terminal: one live line (claim, run, steps done of
// total, ETA per run in training), kept below whatever vitest prints. Otherwise (CI logs, pipes): one line
// per finished run (claim, run namespace, instances, seconds, trained or cached), and the runs in training
// after a minute without a line, so a log never goes quiet for long.
import { formatDuration } from './progress.js';
import type { ProgressLine } from './progress-events.js';

type Stream = Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean; columns?: number };

interface Active {
  claim: string;
  namespace: string;
  instances: number;
  done: number;
  total: number;
  elapsed: number;
}

export class ReproduceProgress {
  private readonly active = new Map<string, Active>();
  private finished = 0;
  private cached = 0;
  private readonly t0: number;
  private shown = '';
  private lastLogLine: number;
  private restore?: () => void;

  constructor(private readonly stream: Stream, private readonly now: () => number = () => performance.now()) {
    this.t0 = now();
    this.lastLogLine = this.t0;
  }

  /** Quiet time after which a log (not a terminal) gets a line about the runs in training. */
  static readonly HEARTBEAT_MS = 60_000;

  get live(): boolean {
    return !!this.stream.isTTY;
  }

  /** The line for a finished run, as printed when not on a terminal. */
  static runLine(l: Extract<ProgressLine, { type: 'run' }>): string {
    const how = l.cached ? `cached (trained earlier in ${l.seconds.toFixed(1)} s)` : `trained in ${l.seconds.toFixed(1)} s`;
    return `tms reproduce: ${l.claim.padEnd(3)} run ${l.namespace}: ${l.instances} instance(s), ${how} on ${l.engine}`;
  }

  /** The live line: each run in training with steps done/total and its ETA, then the runs finished so far. */
  liveLine(): string {
    const runs = [...this.active.values()].map((a) => {
      // under a second of training says too little about the rate to promise an ETA
      const eta = a.done > 0 && a.elapsed >= 1 ? (a.elapsed * (a.total - a.done)) / a.done : Infinity;
      const pct = a.total > 0 ? Math.floor((100 * a.done) / a.total) : 0;
      return `${a.claim} run ${a.namespace} (${a.instances} inst.): step ${a.done}/${a.total} ${pct}% ETA ${formatDuration(eta)}`;
    });
    const tail = `${this.finished} run(s) done${this.cached ? ` (${this.cached} cached)` : ''} · ${formatDuration((this.now() - this.t0) / 1000)} elapsed`;
    const text = `${runs.length ? runs.join(' | ') : 'checking claims'} · ${tail}`;
    if (!this.live) return text; // a log line may wrap; a live line must not, or \r redraws only its tail
    const width = (this.stream.columns ?? 120) - 1;
    return text.length > width ? `${text.slice(0, width - 1)}…` : text;
  }

  handle(lines: ProgressLine[]): void {
    for (const l of lines) {
      if (l.type === 'progress') {
        this.active.set(l.key, { claim: l.claim, namespace: l.namespace, instances: l.instances, done: l.done, total: l.total, elapsed: l.elapsed });
      } else {
        this.active.delete(l.key);
        this.finished++;
        if (l.cached) this.cached++;
        if (!this.live) this.log(ReproduceProgress.runLine(l));
      }
    }
    if (this.live) this.draw();
    else if (this.active.size && this.now() - this.lastLogLine >= ReproduceProgress.HEARTBEAT_MS) this.log(`tms reproduce: training ${this.liveLine()}`);
  }

  private log(line: string): void {
    this.lastLogLine = this.now();
    this.stream.write(`${line}\n`);
  }

  /** Redraws the live line (also called on a timer, so elapsed time and ETAs tick). */
  draw(): void {
    if (!this.live) return;
    const line = this.liveLine();
    if (line === this.shown) return;
    this.shown = line;
    this.rawWrite(`\r${line}\x1b[K`);
  }

  private rawWrite = (s: string) => {
    this.stream.write(s);
  };

  /**
   * Keeps the live line below other output: every write to `streams` first clears the line, and a write that
   * ends a line redraws it. Returns the function that undoes this.
   */
  hold(streams: NodeJS.WriteStream[]): () => void {
    if (!this.live) return () => {};
    const originals = streams.map((s) => s.write);
    const own = this.stream as NodeJS.WriteStream;
    const ownWrite = own.write.bind(own);
    this.rawWrite = (s: string) => {
      ownWrite(s);
    };
    streams.forEach((s, k) => {
      const orig = originals[k].bind(s);
      s.write = ((chunk: unknown, ...rest: unknown[]) => {
        if (this.shown) ownWrite('\r\x1b[K');
        const r = (orig as (...a: unknown[]) => boolean)(chunk, ...rest);
        const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
        if (this.shown && text.endsWith('\n')) ownWrite(`\r${this.shown}\x1b[K`);
        return r;
      }) as NodeJS.WriteStream['write'];
    });
    this.restore = () => {
      streams.forEach((s, k) => {
        s.write = originals[k];
      });
      this.rawWrite = (s: string) => {
        this.stream.write(s);
      };
    };
    return this.restore;
  }

  /** Clears the live line and stops holding the streams; prints how many runs there were. */
  finish(): void {
    if (this.live && this.shown) this.rawWrite('\r\x1b[K');
    this.shown = '';
    this.restore?.();
    this.restore = undefined;
    this.stream.write(`tms reproduce: ${this.finished} run(s) in ${formatDuration((this.now() - this.t0) / 1000)} (${this.finished - this.cached} trained, ${this.cached} from the cache)\n`);
  }
}
