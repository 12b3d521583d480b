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
  /** Stack of an unexpected harness error (results.json only; reasons show the message, issue #15 §4). */
  errorStack?: string;
  /** Skipped because an earlier case of the same suite met a device nonconformance in its set-up (issue #11 item 3). */
  blockedBy?: string;
  /** Composite schedules compared with the reference model, in order (charted by the HTML report). */
  composites?: CompositeComparison[];
}

/** One constant stretch of a step function, in seconds from scheduleStart; limit null = unvalidated (rules §5.2 step 7). */
export interface StepInterval {
  from: number;
  to: number;
  limit: number | null;
}

/** A differing stretch the comparison found (rules §5.2 "Comparison rule"). */
export interface CompositeDifference {
  from: number;
  to: number;
  expected: number | null;
  actual: number | null;
  /** compareComposite's kind: value, missing, negative-unvalidated, structure. */
  kind: string;
  message: string;
  /** fail: recorded as a failure; warn: inside a WARN window or a negative unvalidated limit. */
  level: 'fail' | 'warn';
}

/**
 * A reported composite schedule next to the reference model's (issue #15): both step functions over
 * seconds from the REPORTED scheduleStart, which is where the model was anchored (rules §10). Evidence
 * only: the verdict comes from the failures and notes recorded alongside.
 */
export interface CompositeComparison {
  /** EVSE id (2.0.1) or connector id (1.6) asked for. */
  evseId: number;
  requestedDuration: number;
  /** Unit of the expected step function. */
  unit: 'A' | 'W';
  /** Unit on the wire, when reported. */
  reportedUnit?: 'A' | 'W';
  /** Reported scheduleStart (ISO-8601). */
  scheduleStart: string;
  expectedDuration: number;
  expected: StepInterval[];
  reportedDuration?: number;
  reported: { startPeriod: number; limit: number }[];
  /** Differences in window order; the first one is the first differing interval. */
  differences: CompositeDifference[];
  /**
   * The installed profiles on the EVSE asked for and on the station (0), each as its own step function over
   * the window in its own unit, grouped by purpose in the report: the stack that explains the composite.
   */
  profiles?: ProfileSteps[];
  rule?: string;
  /** seq of the GetCompositeSchedule response frame. */
  frameSeq?: number;
  step?: string;
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
  /** OCTT SmartCharging coverage of this version and side for this device (issue #15 §3; src/octt). */
  octtCoverage?: { octt: string; status: string; cases: { id: string; verdict?: Verdict; reason?: string }[]; reason?: string }[];
}

export interface Summary {
  passed: number;
  failed: number;
  /** Skipped because the case does not apply (reason recorded); cases not run are counted in notRun. */
  skipped: number;
  /** Cases that ran and reached no verdict; cases not run are counted in notRun. */
  errors: number;
  /** Passed cases with at least one warn note (a subset of passed: visible, never a failure). */
  warnings: number;
  /** Cases never started (interrupted run, unreachable device, --bail): reason "not run: …". */
  notRun: number;
}

/** A case listed but never started: the runner marks it with a reason "not run: …" (src/runner/phases/cases.ts). */
export function isNotRun(c: Pick<CaseResult, 'verdict' | 'reason'>): boolean {
  return c.verdict !== 'passed' && c.verdict !== 'failed' && (c.reason ?? '').startsWith('not run');
}

/** A passed case that carries a warn note (shown as WARN by every reporter). */
export function isWarnPass(c: Pick<CaseResult, 'verdict' | 'notes'>): boolean {
  return c.verdict === 'passed' && c.notes.some((n) => n.level === 'warn');
}

export function summarise(cases: readonly CaseResult[]): Summary {
  const s: Summary = { passed: 0, failed: 0, skipped: 0, errors: 0, warnings: 0, notRun: 0 };
  for (const c of cases) {
    if (isNotRun(c)) s.notRun++;
    else if (c.verdict === 'passed') {
      s.passed++;
      if (isWarnPass(c)) s.warnings++;
    } else if (c.verdict === 'failed') s.failed++;
    else if (c.verdict === 'skipped') s.skipped++;
    else s.errors++;
  }
  return s;
}

/** One installed charging profile laid out over a composite window (seconds from scheduleStart). */
export interface ProfileSteps {
  id: number;
  purpose: string;
  stackLevel: number;
  /** EVSE / connector it is installed on (0 = station). */
  evseId: number;
  unit: 'A' | 'W';
  steps: StepInterval[];
}
