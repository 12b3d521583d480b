/**
 * Judgement of a reported composite `duration` against the requested one (issue #11 items 4 and 10).
 *
 * - Shorter: 1.6 §5.7 ("calculate the Composite Charging Schedule intervals, from the moment the request
 *   PDU is received: Time X, up to X + Duration") and rules §5.6 (2.0.1: duration equals the requested
 *   duration). Where the reference model has a validated limit in the missing part [reported, requested),
 *   dropping it is a FAIL naming the first missing validated interval. Where no profile applies there,
 *   the cut is the libocpp `MaxCompositeScheduleDuration` cap of rules §11: WARN.
 * - Longer: 2.0.1 rules §5.6 states the duration equals the requested one: FAIL. 1.6 has no text on a
 *   longer schedule (the schemas carry no descriptions; §5.7 speaks only of calculating up to
 *   X + Duration): WARN naming the open point.
 */
import { compositeSchedule, type CompositeContext, type CompositeRequest, type CompositeResult } from './composite';
import type { ModelVersion } from './profile';

export interface DurationFinding {
  level: 'fail' | 'warn';
  rule: string;
  message: string;
  /** First missing validated interval (shorter, FAIL), offsets in s from scheduleStart. */
  from?: number;
  to?: number;
  /** The model's limit there, in `expected.unit`. */
  limit?: number;
}

export interface DurationInput {
  version: ModelVersion;
  requested: number;
  /** The reported duration; undefined when absent (1.6 `chargingSchedule.duration` is optional). */
  reported: number | undefined;
  /** The model over the requested window; absent when the caller does not compare with the model. */
  expected?: CompositeResult;
  /** Ids of the installed profiles that give a limit at an offset (for the message). */
  profilesAt?: (offset: number) => number[];
  /** Boundary tolerance (rules §10: ε = 1 s): a limit that reaches less than ε past the reported end is a floored boundary. */
  epsilonS?: number;
  /** Offsets where the case accepts another reading (rules §11, e.g. TxDefault after the TxProfile ends): a limit only there is not a FAIL. */
  tolerated?: { from: number; to: number };
}

/** Undefined when the reported duration is the requested one. */
export function judgeCompositeDuration(i: DurationInput): DurationFinding | undefined {
  const { requested, reported, expected, version } = i;
  if (reported === requested) return undefined;
  if (reported === undefined) {
    return {
      level: 'warn',
      rule: 'rules §5.6',
      message: `composite carries no duration (requested ${requested} s); its periods are judged over the requested window`,
    };
  }
  if (reported > requested) {
    return version === '1.6'
      ? {
          level: 'warn',
          rule: '1.6 §5.7',
          message: `composite duration ${reported} s is longer than the requested ${requested} s (1.6 §5.7 asks for the intervals up to X + Duration and says nothing of a longer schedule: open point, rules §11)`,
        }
      : { level: 'fail', rule: 'rules §5.6', message: `composite duration ${reported} s is longer than the requested ${requested} s (the duration equals the requested duration)` };
  }
  const gap = `[${reported}, ${requested}) s`;
  if (!expected) {
    return { level: 'warn', rule: 'rules §5.6', message: `composite duration ${reported} s is shorter than the requested ${requested} s (missing ${gap}; not compared with the reference model here)` };
  }
  // What the missing part drops, once a floored boundary (less than ε past the reported end) and the
  // stretch the case reads either way (rules §11) are set aside: only a limit outside both is a FAIL
  // (SAP simulator 1.6: a composite cut at 199 s where the TxProfile ends at 199.9 s and only the open
  // "TxDefault after the TxProfile" reading applies after it).
  const eps = i.epsilonS ?? 1;
  const tol = i.tolerated;
  const counts = (iv: { from: number; to: number; limit: number | null }) => {
    if (iv.limit === null) return false;
    const from = Math.max(iv.from, reported + eps);
    const to = Math.min(iv.to, requested);
    if (from >= to) return false;
    return !(tol && from >= tol.from && to <= tol.to);
  };
  const hit = expected.intervals.find(counts);
  if (!hit) {
    const limited = expected.intervals.some((iv) => iv.limit !== null && iv.to > reported && iv.from < requested);
    return {
      level: 'warn',
      rule: 'rules §5.6',
      message: limited
        ? `composite duration ${reported} s is shorter than the requested ${requested} s; the missing ${gap} holds a limit only within ε of its end (a floored boundary, rules §10) or where another reading is accepted (rules §11)`
        : `composite duration ${reported} s is shorter than the requested ${requested} s; no profile applies in the missing ${gap} (a capped duration, rules §11)`,
    };
  }
  const from = Math.max(hit.from, reported);
  const to = Math.min(hit.to, requested);
  const ids = i.profilesAt?.(from) ?? [];
  const source = ids.length ? ` from profile ${ids.join(', ')}` : '';
  return {
    level: 'fail',
    rule: version === '1.6' ? '1.6 §5.7' : 'rules §5.6',
    from,
    to,
    limit: hit.limit!,
    message: `composite duration ${reported} s is shorter than the requested ${requested} s: missing [${from}, ${to}) s where the model has ${hit.limit} ${expected.unit}${source}`,
  };
}

/**
 * Installed profiles that alone give a limit at `offset` of the window of `req`: each profile is put
 * through the model on its own (so a TxProfile counts only in its transaction, a validity window clips).
 */
export function profilesApplyingAt(req: CompositeRequest, ctx: CompositeContext, offset: number): number[] {
  return ctx.installed
    .filter((one) => {
      const r = compositeSchedule(req, { ...ctx, installed: [one] });
      return r.intervals.some((iv) => iv.limit !== null && iv.from <= offset && offset < iv.to);
    })
    .map((one) => one.profile.id);
}
