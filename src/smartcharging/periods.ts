/**
 * What a conforming station would send as `chargingSchedulePeriod` for a composite (rules §5.2 step 8):
 * periods from 0, strictly increasing, equal neighbours merged, limits with at most one decimal (§8;
 * 2.1: at most six, `CompositeResult.decimals`).
 */
import type { CompositeResult } from './composite';
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
  for (const iv of result.intervals) {
    const limit = roundTo(iv.limit ?? fill, result.decimals ?? 1);
    const last = out[out.length - 1];
    if (last && last.limit === limit && last.numberPhases === iv.numberPhases) continue;
    const p: Period = { startPeriod: iv.from, limit };
    if (iv.numberPhases !== undefined) p.numberPhases = iv.numberPhases;
    out.push(p);
  }
  return out;
}
