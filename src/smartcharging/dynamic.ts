/**
 * OCPP 2.1 Dynamic charging profiles (use case K28): an update of the single period of an installed
 * Dynamic profile, pushed by the CSMS (UpdateDynamicSchedule) or pulled by the station
 * (PullDynamicScheduleUpdate). Both carry the same ChargingScheduleUpdateType and apply the same way.
 *
 * What this rests on: the OCA 2.1 schemas (ChargingScheduleUpdateType: "Updates to a
 * ChargingSchedulePeriodType for dynamic charging profiles"; dynUpdateTime "Time at which limits or
 * setpoints in this charging profile were last updated by a PullDynamicScheduleUpdateRequest or
 * UpdateDynamicScheduleRequest") and the K28 requirement ids as open 2.1 implementations cite them
 * (K28.FR.06 push applied, K28.FR.08 pull applied the same way, K28.FR.09 dynUpdateTime refreshed,
 * K28.FR.11 unknown or non-Dynamic profile → Rejected). The OCA text of K28 itself was not available.
 */
import { deepCopy, fromEpochSeconds } from './profile';
import type { Installed } from './types';

/** 2.1 ChargingScheduleUpdateType: the period fields an update may carry (all optional). */
export type ScheduleUpdate = Record<string, unknown>;

export type ScheduleUpdateOutcome =
  | { status: 'Accepted' }
  | { status: 'Rejected'; check: 'UnknownProfile' | 'NotDynamic'; rule: 'K28.FR.11'; reasonCode: string; message: string };

/** The ChargingScheduleUpdateType fields that replace the same-named period fields (customData excepted). */
export const UPDATE_FIELDS = [
  'limit',
  'limit_L2',
  'limit_L3',
  'dischargeLimit',
  'dischargeLimit_L2',
  'dischargeLimit_L3',
  'setpoint',
  'setpoint_L2',
  'setpoint_L3',
  'setpointReactive',
  'setpointReactive_L2',
  'setpointReactive_L3',
] as const;

/**
 * Whether `update` can be applied to the installed profile `id` (K28.FR.11): it must exist and be Dynamic.
 * Profile ids are unique within a station (2.1 ChargingProfileType.id), so the first match is the one.
 */
export function checkScheduleUpdate(entries: readonly Installed[], id: number): ScheduleUpdateOutcome {
  const e = entries.find((x) => x.profile.id === id);
  if (!e) return { status: 'Rejected', check: 'UnknownProfile', rule: 'K28.FR.11', reasonCode: 'InvalidProfile', message: `no charging profile ${id} is installed` };
  if (e.profile.kind !== 'Dynamic') {
    return { status: 'Rejected', check: 'NotDynamic', rule: 'K28.FR.11', reasonCode: 'InvalidProfile', message: `charging profile ${id} is ${e.profile.kind}, not Dynamic` };
  }
  return { status: 'Accepted' };
}

/**
 * Apply `update` in place to entry `e` (a Dynamic profile, see `checkScheduleUpdate`): the fields it carries
 * replace those of the single period, the others stay (an update with no field changes no value, as
 * libocpp's 2.1 K28 tests expect). With `at` (epoch s) the raw profile's dynUpdateTime becomes that
 * instant (K28.FR.09), so a later report shows when it was updated.
 */
export function applyScheduleUpdateTo(e: Installed, update: ScheduleUpdate, at?: number): void {
  const period = e.profile.schedules[0]?.periods[0];
  const schedules = e.raw.chargingSchedule as Record<string, unknown>[] | undefined;
  const rawPeriod = (schedules?.[0]?.chargingSchedulePeriod as Record<string, unknown>[] | undefined)?.[0];
  for (const f of UPDATE_FIELDS) {
    const v = update[f];
    if (typeof v !== 'number') continue;
    if (rawPeriod) rawPeriod[f] = deepCopy(v);
    if (!period) continue;
    if (f === 'limit') {
      period.limit = v;
      delete period.limitAbsent;
    } else {
      // Setpoints / discharge limits live in `v2x` (profile.ts): the model must see the update too, or a
      // later operationMode comparison would expect the old value.
      period.v2x = { ...period.v2x, [f]: v };
    }
  }
  if (at !== undefined) {
    e.raw.dynUpdateTime = fromEpochSeconds(at);
    e.profile.dynUpdateTime = fromEpochSeconds(at);
  }
}
