/**
 * Fault 'drops-21-profile-fields' (issue #16): the station keeps the 2.1 chargingSchedule fields
 * randomizedDelay, limitAtSoC and useLocalTime out of its reports, as a 2.0.1-shaped profile store would.
 */
import type { Installed } from '../smartcharging';

const FIELDS = ['randomizedDelay', 'limitAtSoC', 'useLocalTime'];

export function dropped21Fields(selected: readonly Installed[]): Installed[] {
  return selected.map((i) => {
    const schedules = i.raw.chargingSchedule as Record<string, unknown>[] | undefined;
    if (!Array.isArray(schedules)) return i;
    const stripped = schedules.map((s) => Object.fromEntries(Object.entries(s).filter(([k]) => !FIELDS.includes(k))));
    return { ...i, raw: { ...i.raw, chargingSchedule: stripped } };
  });
}
