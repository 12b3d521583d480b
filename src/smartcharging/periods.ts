/**
 * What a conforming station would send as `chargingSchedulePeriod` for a composite (rules §5.2 step 8):
 * periods from 0, strictly increasing, equal neighbours merged, limits with at most one decimal (§8;
 * 2.1: at most six, `CompositeResult.decimals`).
 */
import type { CompositeResult, V2xPart } from './composite';
import type { Period } from './profile';
import { DEFAULT_LIMIT, roundTo } from './units';

/**
 * Unvalidated intervals (no profile applies) are filled with `defaultLimit`, by default libocpp's
 * 48 A / 33120 W (`CompositeScheduleDefaultLimitAmps/Watts`, rules §9.2) for the result's unit. The
 * harness uses this when it plays the station; a comparison never validates those intervals.
 */
export function toPeriods(result: CompositeResult, defaultLimit?: number): Period[] {
  const fill = defaultLimit ?? DEFAULT_LIMIT[result.unit];
  const out: Period[] = [];
  const v2xOf = new Map<Period, string>();
  for (const iv of result.intervals) {
    const limit = roundTo(iv.limit ?? fill, result.decimals ?? 1);
    const last = out[out.length - 1];
    const v2x = JSON.stringify(iv.v2x);
    if (last && last.limit === limit && last.numberPhases === iv.numberPhases && v2xOf.get(last) === v2x) continue;
    const p: Period = { startPeriod: iv.from, limit };
    if (iv.numberPhases !== undefined) p.numberPhases = iv.numberPhases;
    if (iv.v2x) withV2x(p, iv.v2x);
    v2xOf.set(p, v2x);
    out.push(p);
  }
  return out;
}

/**
 * 2.1: a composite period whose sole source runs under another operationMode carries that mode and the
 * source period's fields, flat as on the wire (2.1 ChargingSchedulePeriodType), and no limit where the
 * source has none.
 */
function withV2x(p: Period, v2x: V2xPart): void {
  const wire = p as unknown as Record<string, unknown>;
  if (v2x.limitAbsent) delete wire.limit;
  wire.operationMode = v2x.operationMode;
  Object.assign(wire, v2x.fields ?? {});
}
