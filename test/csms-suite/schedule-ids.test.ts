/**
 * Issue #13 item 5 (and CitrineOS run 4): the harness station's chargingSchedule ids are distinct, step by 10
 * and skip past every id the CSMS used, so a CSMS that numbers its own schedules "highest stored + 1" per
 * station never receives a report whose schedule id it already holds (CitrineOS: InternalError / HTTP 500).
 */
import { HarnessStation } from '../../src/station';
import { csmsConfig } from './helpers';

test('issue #13: schedule ids step by 10 and jump past the ids in CSMS requests (SetChargingProfile, RequestStartTransaction)', () => {
  const station = new HarnessStation(csmsConfig('2.0.1'));
  const a = station.nextScheduleId();
  const b = station.nextScheduleId();
  expect(b - a).toBe(10);
  // The CSMS numbers its own schedule "highest + 1" after the station's report b, then a further one.
  const profile = (id: number) => ({ id: 900, stackLevel: 0, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Relative', chargingSchedule: [{ id, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] }] });
  station.inspect(undefined, 'SetChargingProfile', { evseId: 1, chargingProfile: profile(b + 1) });
  const c = station.nextScheduleId();
  expect(c).toBeGreaterThan(b + 1);
  station.inspect(undefined, 'RequestStartTransaction', { idToken: { idToken: 'X', type: 'Central' }, remoteStartId: 1, chargingProfile: { ...profile(c + 37), chargingProfilePurpose: 'TxProfile' } });
  const d = station.nextScheduleId();
  expect(d).toBeGreaterThan(c + 37);
  expect([a, b, c, d].every((id) => id % 10 === 0)).toBe(true);
});
