/**
 * Reference-station quirk 'randomized-delay-21' (issue #16): the station applies 2.1
 * ChargingScheduleType.randomizedDelay ("the start of each ChargingSchedulePeriodType is delayed by a
 * randomly chosen number of seconds between 0 and randomizedDelay"). The pick is half of randomizedDelay,
 * the same for every period of the schedule, so CI stays deterministic while the composite really shows
 * the lower stack level during the delay (SC-21-33 must WARN there, never FAIL). Absolute schedules with a
 * startSchedule only: the delay moves that start.
 */
import { fromEpochSeconds, toEpochSeconds, type CompositeContext, type Installed } from '../smartcharging';

/** The delay the quirk picks for a schedule with this randomizedDelay (s). */
export const delayPicked = (randomizedDelay: number): number => Math.floor(randomizedDelay / 2);

export function withRandomizedDelay(ctx: CompositeContext): CompositeContext {
  const installed = ctx.installed.map((inst): Installed => {
    const p = inst.profile;
    const raw = (inst.raw.chargingSchedule as Record<string, unknown>[] | undefined)?.[0];
    const delay = typeof raw?.randomizedDelay === 'number' ? delayPicked(raw.randomizedDelay) : 0;
    const [first, ...rest] = p.schedules;
    if (p.kind !== 'Absolute' || delay <= 0 || !first?.startSchedule) return inst;
    const startSchedule = fromEpochSeconds(toEpochSeconds(first.startSchedule) + delay);
    return { ...inst, profile: { ...p, schedules: [{ ...first, startSchedule }, ...rest] } };
  });
  return { ...ctx, installed };
}
