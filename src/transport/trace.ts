import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { TraceFrame } from '../report/types';

export interface TraceOptions {
  /** Raw text kept per frame; longer frames keep a head and their true length (default 64 KiB). */
  maxRawChars?: number;
  /** Frames kept in memory; older ones are counted, never silently lost (default 20 000). */
  maxFrames?: number;
}

export type FrameInput = Omit<TraceFrame, 'seq' | 'time' | 'mono' | 'rawLength'>;

/**
 * Every frame in and out, with wall and monotonic time. Bounded: a flooding peer cannot grow it
 * without limit; what is evicted is counted so reports can say how many frames were summarised.
 */
export class Trace extends EventEmitter {
  private readonly buf: TraceFrame[] = [];
  private seq = 0;
  private evicted = 0;
  private readonly t0 = performance.now();
  /** Wall clock of the last frame (ms) and its ISO text: toISOString per frame was ~3 % of the fair round trip (issue #14). */
  private lastWallMs = -1;
  private lastIso = '';
  readonly maxRawChars: number;
  readonly maxFrames: number;

  constructor(opts: TraceOptions = {}) {
    super();
    this.maxRawChars = opts.maxRawChars ?? 64 * 1024;
    this.maxFrames = opts.maxFrames ?? 20_000;
  }

  /**
   * `at`: the performance.now() instant the frame arrived, when the caller validated it before recording
   * (issue #14: `mono` is the arrival, so latency measured on the trace is the peer's, not our validation).
   */
  record(input: FrameInput, at?: number): TraceFrame {
    const rawLength = input.raw.length;
    const raw = rawLength > this.maxRawChars ? `${input.raw.slice(0, this.maxRawChars)}… [${rawLength - this.maxRawChars} more characters]` : input.raw;
    const wallMs = Date.now();
    if (wallMs !== this.lastWallMs) {
      this.lastWallMs = wallMs;
      this.lastIso = new Date(wallMs).toISOString();
    }
    // The keys of `{ seq, time, mono, ...input, raw, rawLength }`, built without the spread (issue #14: one clone
    // per frame on the hot path); rawLength precedes the optional keys. Optional keys stay absent when the input lacks them.
    const frame: TraceFrame = {
      seq: ++this.seq,
      time: this.lastIso,
      mono: Math.round(((at ?? performance.now()) - this.t0) * 1000) / 1000,
      dir: input.dir,
      raw,
      type: input.type,
      messageId: input.messageId,
      action: input.action,
      valid: input.valid,
      rawLength,
    };
    if (input.violations !== undefined) frame.violations = input.violations;
    if (input.framingError !== undefined) frame.framingError = input.framingError;
    if (input.intentional !== undefined) frame.intentional = input.intentional;
    this.buf.push(frame);
    if (this.buf.length > this.maxFrames) {
      this.buf.splice(0, this.buf.length - this.maxFrames);
      this.evicted = this.seq - this.buf.length;
    }
    this.emit('frame', frame);
    return frame;
  }

  /** Sequence number of the last recorded frame (0 before any). */
  get lastSeq(): number {
    return this.seq;
  }

  /** Frames with seq > afterSeq still held, and how many of that range were evicted. */
  slice(afterSeq: number, untilSeq = Infinity): { frames: TraceFrame[]; omitted: number } {
    const frames = this.buf.filter((f) => f.seq > afterSeq && f.seq <= untilSeq);
    const firstHeld = this.buf.length ? this.buf[0]!.seq : this.seq + 1;
    const omitted = Math.max(0, Math.min(firstHeld - 1, untilSeq) - afterSeq);
    return { frames, omitted };
  }

  get evictedCount(): number {
    return this.evicted;
  }
}
