/**
 * Issue #16: OCPP 2.1 Dynamic charging profiles (K28) in the model — install rules, the composite with the
 * profile's current values, and UpdateDynamicSchedule / PullDynamicScheduleUpdate updates.
 */
import { ProfileFormatError, ProfileStore, compositeSchedule, profileFrom201, profileFrom21, profileToWire201, toPeriods } from '../../src/smartcharging';
import { getValidator } from '../../src/validation';
import { T0, at, limits } from './fixtures';

type Wire = Record<string, unknown>;

/** A 2.1 Dynamic TxDefault (one period) at stack level `stackLevel`. */
function dynamic(id: number, limit: number, over: Wire = {}, schedule: Wire = {}): Wire {
  return {
    id,
    stackLevel: 1,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Dynamic',
    chargingSchedule: [{ id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit }], ...schedule }],
    ...over,
  };
}
/** A 2.1 Absolute TxDefault at stack level 0. */
function absolute(id: number, limit: number): Wire {
  return {
    id,
    stackLevel: 0,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Absolute',
    chargingSchedule: [{ id: 1, startSchedule: at(0), chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit }] }],
  };
}

const store = (dynamicProfiles = true) => new ProfileStore('2.1', limits({ dynamicProfiles }));
const install = (s: ProfileStore, w: Wire, evseId = 1) => s.install(evseId, profileFrom21(w), w, []);
const composite = (s: ProfileStore) => toPeriods(compositeSchedule({ evseId: 1, duration: 600, unit: 'A', start: T0 }, s.compositeContext([])));

describe('OCPP 2.1 Dynamic profiles in the model (K28, issue #16)', () => {
  test('Dynamic is a 2.1 kind with dynUpdateInterval / dynUpdateTime read and written back (2.1 ChargingProfileType)', () => {
    const w = dynamic(1, 10, { dynUpdateInterval: 2, dynUpdateTime: at(0) });
    const p = profileFrom21(w);
    expect(p).toMatchObject({ kind: 'Dynamic', dynUpdateInterval: 2, dynUpdateTime: at(0) });
    expect(p.outsideComposite).toBeUndefined();
    const back = profileToWire201(p, '2.1');
    expect(back).toMatchObject({ chargingProfileKind: 'Dynamic', dynUpdateInterval: 2, dynUpdateTime: at(0) });
    expect(getValidator('2.1').validate('SetChargingProfile', 'request', { evseId: 1, chargingProfile: back }).valid).toBe(true);
    expect(() => profileFrom201(dynamic(2, 10))).toThrow(ProfileFormatError);
  });

  test('install: K01.FR.121 (not advertised → Rejected), K01.FR.122 (dynUpdate* only in Dynamic), K28.FR.01 (one schedule, one period), no startSchedule rule (K01.FR.40/41 name Absolute/Recurring and Relative)', () => {
    expect(install(store(false), dynamic(1, 10))).toMatchObject({ status: 'Rejected', check: 'KindNotSupported', rule: 'K01.FR.121' });
    const s = store();
    expect(s.check(1, profileFrom21({ ...absolute(2, 10), dynUpdateInterval: 5 }), [])).toMatchObject({ status: 'Rejected', check: 'DynUpdateOnNonDynamic', rule: 'K01.FR.122' });
    const twoPeriods = dynamic(3, 10, {}, { chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }, { startPeriod: 60, limit: 8 }] });
    expect(s.check(1, profileFrom21(twoPeriods), [])).toMatchObject({ status: 'Rejected', check: 'DynamicNotSinglePeriod', rule: 'K28.FR.01', reasonCode: 'InvalidSchedule' });
    expect(install(s, dynamic(4, 10))).toEqual({ status: 'Accepted' });
    expect(install(s, dynamic(5, 10, { stackLevel: 2 }, { startSchedule: at(0) }))).toEqual({ status: 'Accepted' });
  });

  test('composite: a Dynamic profile takes part with its current values (stack level over the Absolute TxDefault); with a duration it is left out (K28.FR.13 expiry not modelled)', () => {
    const s = store();
    install(s, absolute(1, 16));
    install(s, dynamic(2, 10));
    expect(composite(s)).toEqual([{ startPeriod: 0, limit: 10 }]);
    const timed = store();
    install(timed, absolute(1, 16));
    install(timed, dynamic(2, 10, {}, { duration: 300 }));
    const r = compositeSchedule({ evseId: 1, duration: 600, unit: 'A', start: T0 }, timed.compositeContext([]));
    expect(r.leftOut).toEqual([{ id: 2, evseId: 1, reason: expect.stringMatching(/K28\.FR\.13/) }]);
  });

  test('K28.FR.06 / .09: an update replaces the fields it carries, keeps the others, stamps dynUpdateTime; the composite follows', () => {
    const s = store();
    install(s, absolute(1, 16));
    install(s, dynamic(2, 10));
    expect(s.applyScheduleUpdate(2, { limit: 6.5 }, T0 + 30)).toEqual({ status: 'Accepted' });
    expect(composite(s)).toEqual([{ startPeriod: 0, limit: 6.5 }]);
    const raw = s.list().find((e) => e.profile.id === 2)!.raw;
    expect(raw.dynUpdateTime).toBe(at(30));
    expect((raw.chargingSchedule as Wire[])[0]!.chargingSchedulePeriod).toEqual([{ startPeriod: 0, limit: 6.5 }]);
    // Above the Absolute profile's 16: the Dynamic profile wins by stack level, it is not a minimum.
    expect(s.applyScheduleUpdate(2, { limit: 20 })).toEqual({ status: 'Accepted' });
    expect(composite(s)).toEqual([{ startPeriod: 0, limit: 20 }]);
    // An update without a field changes no value.
    expect(s.applyScheduleUpdate(2, {})).toEqual({ status: 'Accepted' });
    expect(composite(s)).toEqual([{ startPeriod: 0, limit: 20 }]);
  });

  test('K28.FR.06: an update of a setpoint / discharge limit reaches the model, not only the wire copy', () => {
    const s = store();
    install(s, dynamic(7, 10));
    expect(s.applyScheduleUpdate(7, { limit: 12, setpoint: 5, dischargeLimit: -3 })).toEqual({ status: 'Accepted' });
    const [e] = s.list();
    expect(e!.profile.schedules[0]!.periods[0]).toMatchObject({ limit: 12, v2x: { setpoint: 5, dischargeLimit: -3 } });
    expect((e!.raw.chargingSchedule as Wire[])[0]!.chargingSchedulePeriod).toEqual([expect.objectContaining({ limit: 12, setpoint: 5, dischargeLimit: -3 })]);
  });

  test('K28.FR.11: an update for an unknown or a non-Dynamic profile is Rejected and changes nothing', () => {
    const s = store();
    install(s, absolute(1, 16));
    const before = s.list();
    expect(s.applyScheduleUpdate(99, { limit: 5 })).toMatchObject({ status: 'Rejected', check: 'UnknownProfile', rule: 'K28.FR.11' });
    expect(s.applyScheduleUpdate(1, { limit: 5 })).toMatchObject({ status: 'Rejected', check: 'NotDynamic', rule: 'K28.FR.11' });
    expect(s.list()).toEqual(before);
    expect(composite(s)).toEqual([{ startPeriod: 0, limit: 16 }]);
  });
});
