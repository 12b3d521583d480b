/**
 * Comparison of a reported composite with the model's as STEP FUNCTIONS over the whole window
 * (rules §5.2 "Comparison rule", §10; catalogue §5: EVerest's prefix comparison lets wrong tails pass).
 */
import type { CompositeResult, Interval } from './composite';
import type { Period } from './profile';

export interface CompareOptions {
  /** boundary tolerance in seconds after anchoring on the reported scheduleStart (rules §10: ε = 1 s) */
  epsilonS?: number;
  /** absolute limit tolerance (±0.1 A, catalogue §1.6) */
  absTolerance?: number;
  /** relative limit tolerance (±0.1 % for W values); the larger of the two applies */
  relTolerance?: number;
  /**
   * Compare only over [0, min(expected, reported duration)). Default false: a shorter reported duration
   * leaves the tail uncovered, which is reported as `missing`. Callers that already judged a capped
   * duration (WARN, rules §5.6) may set it to judge the content that was sent.
   */
  truncateToReported?: boolean;
  /** Unit of the reported values when it differs from the model's (messages use the unit on the wire). */
  reportedUnit?: 'A' | 'W';
}

export type CompareFailureKind =
  /** a validated interval holds another value */
  | 'value'
  /** the reported schedule does not cover part of a validated interval */
  | 'missing'
  /** an unvalidated interval holds a negative value (rules §5.2 step 7: WARN territory) */
  | 'negative-unvalidated'
  /** the reported periods are not a step function (startPeriod not strictly increasing or negative) */
  | 'structure';

/** One differing stretch: maximal, with the same expected and actual values and the same kind. */
export interface CompareDifference {
  from: number;
  to: number;
  expected: number | null;
  actual: number | null;
  message: string;
  kind: CompareFailureKind;
}

export type CompareOutcome = { ok: true } | ({ ok: false } & CompareDifference);

/** Reported periods → intervals over [0, reportedDuration); undefined if not a step function. */
function reportedIntervals(reported: readonly Period[], reportedDuration: number): Interval[] | { badIndex: number } {
  const out: Interval[] = [];
  for (let i = 0; i < reported.length; i++) {
    const p = reported[i]!;
    const prev = reported[i - 1];
    if (p.startPeriod < 0 || (prev && p.startPeriod <= prev.startPeriod)) return { badIndex: i };
    const next = reported[i + 1];
    const to = Math.min(next ? next.startPeriod : reportedDuration, reportedDuration);
    if (p.startPeriod < to) out.push({ from: p.startPeriod, to, limit: p.limit });
  }
  return out;
}

function valueAt(list: readonly Interval[], t: number): number | null | undefined {
  for (const iv of list) if (iv.from <= t && t < iv.to) return iv.limit;
  return undefined;
}

/**
 * Compare a reported period list (relative to the reported scheduleStart, already anchored) with the
 * expected result as step functions over the whole [0, duration) — never as a prefix.
 * - A mismatch stretch no longer than ε next to an expected value that matches is a shifted boundary
 *   (whole-second flooring) and tolerated; a stretch up to 2ε between two matching expected values too.
 * - Unvalidated expected intervals (limit null) accept any non-negative value, and no value.
 * - Numbers match within max(absTolerance, relTolerance × |expected|).
 * - A negative value next to an unvalidated interval, in a stretch no longer than ε where the model has
 *   a limit, is that interval's boundary shifted (a station whose clock lags by a fraction of a second):
 *   `negative-unvalidated` like its neighbour, not a wrong value.
 * Reports the first differing interval (maximal stretch with the same expected and actual values).
 */
export function compareComposite(
  expected: CompositeResult,
  reported: readonly Period[],
  reportedDuration: number,
  opts: CompareOptions = {},
): CompareOutcome {
  const [first] = compositeDifferences(expected, reported, reportedDuration, opts);
  return first ? { ok: false, ...first } : { ok: true };
}

/**
 * Every differing stretch, in order (compareComposite's rules). A caller that rates some kinds as WARN
 * (a negative limit where no profile applies, a stretch inside a tolerated window) must still judge the
 * stretches after them: the first difference never hides a later one (MicroOcpp: a leading -1 for a
 * fraction of a second hid a whole schedule of -1 where profiles applied).
 */
export function compositeDifferences(
  expected: CompositeResult,
  reported: readonly Period[],
  reportedDuration: number,
  opts: CompareOptions = {},
): CompareDifference[] {
  const eps = opts.epsilonS ?? 1;
  const abs = opts.absTolerance ?? 0.1;
  const rel = opts.relTolerance ?? 0.001;
  const unit = expected.unit;
  const D = opts.truncateToReported ? Math.min(expected.duration, reportedDuration) : expected.duration;

  const rep = reportedIntervals(reported, reportedDuration);
  if (!Array.isArray(rep)) {
    const p = reported[rep.badIndex]!;
    return [{
      from: p.startPeriod,
      to: p.startPeriod,
      expected: null,
      actual: p.limit,
      kind: 'structure',
      message: `reported chargingSchedulePeriod[${rep.badIndex}].startPeriod ${p.startPeriod} is negative or not above the previous one`,
    }];
  }
  const exp = expected.intervals;
  const close = (e: number, r: number): boolean => Math.abs(e - r) <= Math.max(abs, rel * Math.abs(e)) + 1e-9;
  const matches = (e: number | null | undefined, r: number | null | undefined): boolean => {
    if (e === null || e === undefined) return r === null || r === undefined || r >= 0;
    return r !== null && r !== undefined && close(e, r);
  };
  /** Some expected interval intersecting [a, b) has a value matching r (validated intervals only). */
  const expectedMatchesNear = (a: number, b: number, r: number | null | undefined): boolean =>
    exp.some((iv) => iv.limit !== null && iv.from < b && iv.to > a && r !== null && r !== undefined && close(iv.limit, r));
  /** An unvalidated expected interval intersects [a, b). */
  const unvalidatedNear = (a: number, b: number): boolean => exp.some((iv) => iv.limit === null && iv.from < b && iv.to > a);

  const cuts = new Set<number>([0, D]);
  for (const iv of [...exp, ...rep]) {
    if (iv.from > 0 && iv.from < D) cuts.add(iv.from);
    if (iv.to > 0 && iv.to < D) cuts.add(iv.to);
  }
  const points = [...cuts].sort((x, y) => x - y);

  type Bad = { from: number; to: number; e: number | null; r: number | null; kind: CompareFailureKind };
  const bads: Bad[] = [];
  for (let k = 0; k + 1 < points.length; k++) {
    const a = points[k]!;
    const b = points[k + 1]!;
    const eRaw = valueAt(exp, a);
    const rRaw = valueAt(rep, a);
    const e = eRaw === undefined ? null : eRaw;
    const r = rRaw === undefined ? null : rRaw;
    let failKind: CompareFailureKind | undefined;
    if (e === null) {
      if (r !== null && r < 0) failKind = 'negative-unvalidated';
    } else if (r === null) {
      failKind = 'missing';
    } else if (!matches(e, r)) {
      const len = b - a;
      const leftOk = expectedMatchesNear(a - eps, a, r);
      const rightOk = expectedMatchesNear(b, b + eps, r);
      const shifted = (len <= eps && (leftOk || rightOk)) || (len <= 2 * eps && leftOk && rightOk);
      if (shifted) failKind = undefined;
      // The whole stretch lies within ε of the unvalidated interval (each stretch is cut at model boundaries, so
      // checking only its own length would let a run of short stretches cover more than ε).
      else if (r < 0 && len <= eps && (unvalidatedNear(b - eps, a) || unvalidatedNear(b, a + eps))) failKind = 'negative-unvalidated';
      else failKind = 'value';
    }
    if (!failKind) continue;
    const last = bads[bads.length - 1];
    if (last && last.to === a && last.e === e && last.r === r && last.kind === failKind) last.to = b;
    else bads.push({ from: a, to: b, e, r, kind: failKind });
  }
  const fmt = (v: number | null, u: string = unit): string => (v === null ? 'no limit (unvalidated)' : `${v} ${u}`);
  return bads.map((bad) => {
    const what =
      bad.kind === 'missing'
        ? 'reported schedule does not cover it'
        : bad.kind === 'negative-unvalidated'
          ? bad.e === null
            ? `negative limit ${bad.r} ${opts.reportedUnit ?? unit} where no profile applies`
            : `negative limit ${bad.r} ${opts.reportedUnit ?? unit} next to a stretch where no profile applies (its boundary shifted by less than ε)`
          : `reported ${fmt(bad.r, opts.reportedUnit ?? unit)}`;
    return { from: bad.from, to: bad.to, expected: bad.e, actual: bad.r, kind: bad.kind, message: `composite differs over [${bad.from}, ${bad.to}) s: expected ${fmt(bad.e)}, ${what}` };
  });
}

export type OperationModeOutcome =
  | { ok: true }
  | {
      ok: false;
      from: number;
      to: number;
      /** the period field that differs (operationMode, setpoint, dischargeLimit, …) */
      field: string;
      expected: unknown;
      actual: unknown;
      /**
       * operationMode itself and the setpoint the operationMode requires (CentralSetpoint /
       * CentralFrequency: the 2.1 table of limits and setpoints per operationMode, as libocpp implements it);
       * the other fields are optional under every mode.
       */
      required: boolean;
      message: string;
    };

const SETPOINT_REQUIRED = ['CentralSetpoint', 'CentralFrequency'];

/**
 * 2.1: where the model's composite interval carries an operationMode (`Interval.v2x`, its sole source is a
 * period under that mode), every reported period overlapping it by more than ε must carry the same
 * operationMode (absent = ChargingOnly) and the same setpoints / discharge limits / other fields.
 * Reports the first required difference, else the first other one.
 */
export function compareOperationModes(expected: CompositeResult, reported: readonly Period[], reportedDuration: number, opts: Pick<CompareOptions, 'epsilonS' | 'absTolerance' | 'relTolerance'> = {}): OperationModeOutcome {
  const eps = opts.epsilonS ?? 1;
  const abs = opts.absTolerance ?? 0.1;
  const rel = opts.relTolerance ?? 0.001;
  const same = (e: unknown, r: unknown): boolean =>
    typeof e === 'number' && typeof r === 'number' ? Math.abs(e - r) <= Math.max(abs, rel * Math.abs(e)) + 1e-9 : JSON.stringify(e) === JSON.stringify(r);
  let other: OperationModeOutcome | undefined;
  for (const iv of expected.intervals) {
    if (!iv.v2x) continue;
    for (let i = 0; i < reported.length; i++) {
      const wire = reported[i] as unknown as Record<string, unknown>;
      const from = reported[i]!.startPeriod;
      const to = Math.min(reported[i + 1]?.startPeriod ?? reportedDuration, reportedDuration);
      if (Math.min(to, iv.to) - Math.max(from, iv.from) <= eps) continue;
      const at = { from: Math.max(from, iv.from), to: Math.min(to, iv.to) };
      const diff = (field: string, e: unknown, r: unknown, required: boolean): OperationModeOutcome => ({
        ok: false,
        ...at,
        field,
        expected: e,
        actual: r,
        required,
        message: `composite period ${i} over [${at.from}, ${at.to}) s: ${field} expected ${JSON.stringify(e)}, reported ${r === undefined ? 'none' : JSON.stringify(r)}`,
      });
      const mode = wire.operationMode ?? 'ChargingOnly';
      if (mode !== iv.v2x.operationMode) return diff('operationMode', iv.v2x.operationMode, wire.operationMode, true);
      for (const [field, e] of Object.entries(iv.v2x.fields ?? {})) {
        if (same(e, wire[field])) continue;
        const required = field === 'setpoint' && SETPOINT_REQUIRED.includes(iv.v2x.operationMode);
        if (required) return diff(field, e, wire[field], true);
        other ??= diff(field, e, wire[field], false);
      }
    }
  }
  return other ?? { ok: true };
}
