import type { QuietTiming, TraceFrame } from '../report/types';
import type { Trace } from '../transport';

/**
 * Quiet periods that follow the device (issue #14). A "nothing more arrives" check (no report after the
 * terminal frame, no start after a rejected remote start, frames after the last case) waits a quiet
 * period; a fixed 5 s one costs minutes per run against a device that answers in milliseconds.
 *
 * This tracker reads the run's trace (no protocol knowledge beyond OCPP-J message types) and measures,
 * on the link to the device:
 * - response latency: our CALL → the device's CALLRESULT / CALLERROR with the same messageId;
 * - stream gaps: for CALLs of the configured stream actions (report streams such as
 *   ReportChargingProfiles), the time from the frame just before it (the response that opened the
 *   stream, or our answer to the previous report) to the report.
 *
 * quiet = clamp(K × worst + C, lowerMs, upperMs); upperMs (timing.graceMs) before any measurement.
 * The WORST of the last WINDOW samples, not the average: a device whose latency grows mid-run raises the
 * bound at once, and a late extra frame sent within what the device's recent slowest answer implies is
 * still caught. The window lets a one-off spike (the first use of an action, where both ends compile
 * schemas and JIT; a scheduler stall on a loaded machine) age out instead of holding every later quiet
 * period at the ceiling; a device that stays slow keeps producing slow samples and keeps the bound up.
 */
export const QUIET_WINDOW = 32;
export const QUIET_K = 4;
/** Scheduling slack on top of K × latency: timers and event-loop turns on a loaded 2-core machine. */
export const QUIET_C_MS = 100;
export const QUIET_LOWER_MS = 250;

export interface QuietOptions {
  /** Upper bound and the value before any measurement (timing.graceMs). */
  upperMs: number;
  lowerMs?: number;
  /** Inbound CALL actions that form report streams: their gaps count as latency. */
  streams?: readonly string[];
  /** Told the quiet period, with its basis, the first time one is used (printed once). */
  onFirstUse?: (line: string) => void;
}

export type QuietSummary = QuietTiming;

export class QuietPeriod {
  readonly lowerMs: number;
  readonly upperMs: number;
  private readonly streams: ReadonlySet<string>;
  /** Our outstanding CALLs: messageId → monotonic send time. */
  private readonly sent = new Map<string, number>();
  private prev: TraceFrame | undefined;
  private worstLatency: number | undefined;
  private worstGap: number | undefined;
  /** The last QUIET_WINDOW samples (both kinds), oldest first. */
  private readonly recent: number[] = [];
  private samples = 0;
  private min: number | undefined;
  private max: number | undefined;
  private uses = 0;
  private readonly onFrame = (f: TraceFrame) => this.observe(f);
  private readonly onFirstUse?: (line: string) => void;

  constructor(
    private readonly trace: Trace,
    opts: QuietOptions,
  ) {
    this.upperMs = Math.max(0, opts.upperMs);
    // A configured upper bound below the floor wins: the user asked for at most that.
    this.lowerMs = Math.min(opts.lowerMs ?? QUIET_LOWER_MS, this.upperMs);
    this.streams = new Set(opts.streams ?? []);
    this.onFirstUse = opts.onFirstUse;
    trace.on('frame', this.onFrame);
  }

  detach(): void {
    this.trace.off('frame', this.onFrame);
  }

  /** Feed one frame (the trace does this; exposed for tests of the arithmetic). */
  observe(f: TraceFrame): void {
    const prev = this.prev;
    this.prev = f;
    if (!f.messageId) return;
    if (f.dir === 'out' && f.type === 'CALL') {
      this.sent.set(f.messageId, f.mono);
      return;
    }
    if (f.dir === 'in' && (f.type === 'CALLRESULT' || f.type === 'CALLERROR')) {
      const at = this.sent.get(f.messageId);
      if (at === undefined) return;
      this.sent.delete(f.messageId);
      this.sample('latency', f.mono - at);
      return;
    }
    if (f.dir === 'in' && f.type === 'CALL' && f.action && this.streams.has(f.action) && prev) {
      // The report follows either the response that opened the stream or our answer to the previous one.
      const opens = prev.dir === 'in' && (prev.type === 'CALLRESULT' || prev.type === 'CALLERROR');
      const continues = prev.dir === 'out' && prev.type === 'CALLRESULT';
      if (opens || continues) this.sample('gap', f.mono - prev.mono);
    }
  }

  private sample(kind: 'latency' | 'gap', ms: number): void {
    if (!(ms >= 0)) return;
    this.samples++;
    this.recent.push(ms);
    if (this.recent.length > QUIET_WINDOW) this.recent.shift();
    if (kind === 'latency') this.worstLatency = Math.max(this.worstLatency ?? 0, ms);
    else this.worstGap = Math.max(this.worstGap ?? 0, ms);
  }

  /** The quiet period now, without recording a use. */
  peek(): number {
    if (this.recent.length === 0) return this.upperMs;
    const worst = Math.max(...this.recent);
    return Math.round(Math.min(this.upperMs, Math.max(this.lowerMs, QUIET_K * worst + QUIET_C_MS)));
  }

  /** The quiet period for a wait starting now; recorded for the report (min/max used). */
  take(): number {
    const ms = this.peek();
    if (this.uses === 0) this.onFirstUse?.(this.describe(ms));
    this.uses++;
    this.min = Math.min(this.min ?? ms, ms);
    this.max = Math.max(this.max ?? ms, ms);
    return ms;
  }

  summary(): QuietSummary {
    const r = (v: number | undefined) => (v === undefined ? null : Math.round(v * 10) / 10);
    return {
      minMs: this.min ?? null,
      maxMs: this.max ?? null,
      uses: this.uses,
      lowerMs: this.lowerMs,
      upperMs: this.upperMs,
      k: QUIET_K,
      constantMs: QUIET_C_MS,
      worstLatencyMs: r(this.worstLatency),
      worstStreamGapMs: r(this.worstGap),
      recentWorstMs: r(this.recent.length ? Math.max(...this.recent) : undefined),
      window: QUIET_WINDOW,
      samples: this.samples,
    };
  }

  /** One line for the console. */
  describe(ms: number): string {
    const s = this.summary();
    const basis =
      s.samples === 0
        ? 'no answer measured yet: the upper bound'
        : `worst of the last ${QUIET_WINDOW} latencies ${s.recentWorstMs} ms (run: answers ${s.worstLatencyMs ?? '–'} ms, report gaps ${s.worstStreamGapMs ?? '–'} ms), ×${QUIET_K} + ${QUIET_C_MS} ms`;
    return `quiet periods follow the device: ${ms} ms now (${basis}; bounds ${this.lowerMs}–${this.upperMs} ms, --grace sets the upper)`;
  }
}
