import type { OcppVersion } from '../ocpp/version';

/**
 * The result model every reporter reads. Verdicts map to JUnit as in test-catalogue §4:
 * passed → empty testcase (warn/info notes as properties + system-out), failed → one <failure>,
 * error → one <error>, skipped → <skipped/> with the reason in a property and system-out.
 */
export type Verdict = 'passed' | 'failed' | 'skipped' | 'error';

/** Side the harness plays. The SUT is the other side. */
export type HarnessRole = 'csms' | 'station';

export type FailureKind = 'AssertionFailure' | 'SchemaViolation' | 'FramingViolation' | 'Timeout';
export type ErrorType =
  | 'HarnessError'
  | 'ConnectionError'
  | 'MissingSchema'
  | 'PreconditionFailed'
  | 'Interrupted'
  | 'Timeout';

export interface Failure {
  kind: FailureKind;
  /** One line: names the rule and what went wrong. */
  message: string;
  /** Requirement / rule id, e.g. K09.FR.01. */
  rule?: string;
  /** JSON pointer into the judged payload. */
  pointer?: string;
  expected?: unknown;
  actual?: unknown;
  /** `seq` of the frame judged, when there is one. */
  frameSeq?: number;
  /** Step in which it happened. */
  step?: string;
}

export interface Note {
  level: 'warn' | 'info';
  message: string;
  rule?: string;
}

export interface TraceViolation {
  pointer: string;
  keyword: string;
  message: string;
  value?: unknown;
}

/** One frame of the wire trace, either direction. */
export interface TraceFrame {
  seq: number;
  /** ISO-8601 UTC wall time. */
  time: string;
  /** Monotonic milliseconds since the session started (performance.now based). */
  mono: number;
  dir: 'in' | 'out';
  /** Raw text (possibly truncated for very large frames; `rawLength` keeps the true size). */
  raw: string;
  rawLength: number;
  type?: 'CALL' | 'CALLRESULT' | 'CALLERROR' | 'CALLRESULTERROR' | 'SEND' | 'INVALID';
  messageId?: string;
  action?: string;
  /** null when no schema applies (CALLERROR, unparseable frame). */
  valid: boolean | null;
  violations?: TraceViolation[];
  /** Framing problem found by the codec, one line. */
  framingError?: string;
  /** The harness sent this frame invalid on purpose (negative test). */
  intentional?: boolean;
}

export interface CaseResult {
  id: string;
  octtId?: string;
  title: string;
  ocpp: OcppVersion;
  as: HarnessRole;
  /** Functional block, e.g. SmartCharging. */
  block: string;
  requirements: string[];
  tags: string[];
  verdict: Verdict;
  /** Skip reason (skipped) or cause (error). */
  reason?: string;
  errorType?: ErrorType;
  startedAt: string;
  durationMs: number;
  failures: Failure[];
  notes: Note[];
  steps: string[];
  frames: TraceFrame[];
  /** Frames summarised away by the per-case trace limit (never silently dropped). */
  framesOmitted?: number;
  /** Skipped because an earlier case of the same suite met a device nonconformance in its set-up (issue #11 item 3). */
  blockedBy?: string;
}

export interface DeviceInfo {
  identity?: string;
  endpoint?: string;
  subprotocol?: string;
  vendor?: string;
  model?: string;
  firmware?: string;
  serial?: string;
  /** Set when the run targets the built-in reference peer. */
  builtin?: boolean;
}

/** The quiet periods of a run (issue #14; src/runner/quiet.ts). */
export interface QuietTiming {
  /** Smallest and largest quiet period handed out (null: none used). */
  minMs: number | null;
  maxMs: number | null;
  uses: number;
  lowerMs: number;
  upperMs: number;
  k: number;
  constantMs: number;
  /** Worst response latency and report-stream gap observed (ms; null before any sample). */
  worstLatencyMs: number | null;
  worstStreamGapMs: number | null;
  /** Worst of the last `window` samples: what the quiet period follows now. */
  recentWorstMs: number | null;
  window: number;
  samples: number;
}

export interface RunResult {
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  harness: { name: string; version: string };
  schemas: { source: string; sha256: string };
  ocpp: OcppVersion;
  as: HarnessRole;
  device: DeviceInfo;
  /** Capabilities declared and discovered, and mismatches found at run start. */
  capabilities?: Record<string, unknown>;
  /** Quiet periods used (issue #14): min/max handed out, bounds and the latency they followed. */
  timing?: { quietMs: QuietTiming };
  interrupted: boolean;
  cases: CaseResult[];
}

export interface Summary {
  passed: number;
  failed: number;
  skipped: number;
  errors: number;
}

export function summarise(cases: readonly CaseResult[]): Summary {
  const s: Summary = { passed: 0, failed: 0, skipped: 0, errors: 0 };
  for (const c of cases) {
    if (c.verdict === 'passed') s.passed++;
    else if (c.verdict === 'failed') s.failed++;
    else if (c.verdict === 'skipped') s.skipped++;
    else s.errors++;
  }
  return s;
}
