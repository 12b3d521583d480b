/**
 * Issue #16 (stage 1): what the model does differently for OCPP 2.1, each difference against its source
 * (OCA 2.1 schemas in schemas/ocpp2.1 and their field descriptions; rules §8 for decimals).
 */
import {
  ProfileFormatError,
  ProfileStore,
  compositeSchedule,
  profileFrom201,
  profileFrom21,
  profileToWire201,
  selectProfiles,
  toPeriods,
  type ModelVersion,
} from '../../src/smartcharging';
import { getValidator } from '../../src/validation';
import { T0, at, limits } from './fixtures';

type Wire = Record<string, unknown>;

/** A 2.x TxDefault on evse 1 starting at T0 with the given periods. */
function wire(id: number, periods: Wire[], over: Wire = {}): Wire {
  return {
    id,
    stackLevel: 0,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Absolute',
    chargingSchedule: [{ id: 1, startSchedule: at(0), chargingRateUnit: 'A', chargingSchedulePeriod: periods }],
    ...over,
  };
}

function installed(version: ModelVersion, w: Wire, evseId = 1) {
  const store = new ProfileStore(version, limits({ operationModes: ['ChargingOnly', 'CentralSetpoint'] }));
  const p = version === '2.1' ? profileFrom21(w) : profileFrom201(w);
  store.forceInstall(evseId, p, w);
  return store;
}

const composite = (store: ProfileStore) => compositeSchedule({ evseId: 1, duration: 600, unit: 'A', start: T0 }, store.compositeContext([]));

describe('OCPP 2.1 model differences (issue #16)', () => {
  test('2.1 ChargingSchedulePeriodType.limit: optional only under CentralSetpoint/ExternalSetpoint/ExternalLimits/LocalFrequency/LocalLoadBalancing', () => {
    const noLimit = wire(1, [{ startPeriod: 0, operationMode: 'CentralSetpoint', setpoint: 5 }]);
    const p = profileFrom21(noLimit);
    expect(p.schedules[0]!.periods[0]).toMatchObject({ operationMode: 'CentralSetpoint', limitAbsent: true });
    // Written back without a limit, and the frame is valid against the official 2.1 schema.
    const back = profileToWire201(p, '2.1');
    // …with its setpoint (the 2.1 period fields are kept as received: Period.v2x).
    expect((back.chargingSchedule as Wire[])[0]!.chargingSchedulePeriod).toEqual([{ startPeriod: 0, operationMode: 'CentralSetpoint', setpoint: 5 }]);
    expect(getValidator('2.1').validate('SetChargingProfile', 'request', { evseId: 1, chargingProfile: back }).valid).toBe(true);
    // ChargingOnly (explicit or absent) still needs the limit; so does every 2.0.1 period.
    expect(() => profileFrom21(wire(2, [{ startPeriod: 0, operationMode: 'ChargingOnly' }]))).toThrow(ProfileFormatError);
    expect(() => profileFrom21(wire(3, [{ startPeriod: 0 }]))).toThrow(ProfileFormatError);
    expect(() => profileFrom201(wire(4, [{ startPeriod: 0, operationMode: 'CentralSetpoint' }]))).toThrow(ProfileFormatError);
  });

  test('2.1 ChargingProfilePurposeEnumType / ChargingProfileKindEnumType: PriorityCharging, LocalGeneration and Dynamic exist in 2.1 only', () => {
    for (const over of [{ chargingProfilePurpose: 'PriorityCharging' }, { chargingProfilePurpose: 'LocalGeneration' }]) {
      const w = wire(5, [{ startPeriod: 0, limit: 10 }], over);
      // PriorityCharging is covered by the composite model (test/smartcharging/v21-priority.test.ts).
      if (over.chargingProfilePurpose === 'PriorityCharging') expect(profileFrom21(w).outsideComposite).toBeUndefined();
      else expect(profileFrom21(w).outsideComposite).toMatch(/2\.1/);
      expect(() => profileFrom201(w)).toThrow(ProfileFormatError);
    }
    // A 2.0.1-equivalent 2.1 profile is read exactly as 2.0.1 reads it and is part of the composite.
    const plain = wire(6, [{ startPeriod: 0, limit: 10 }]);
    expect(profileFrom21(plain)).toEqual(profileFrom201(plain));
  });

  test('composite: an operationMode period is taken as it is where it is the sole source; where it meets other limits it is named (for the harness to WARN on)', () => {
    const store = installed('2.1', wire(7, [{ startPeriod: 0, limit: 10 }]));
    const setpoint = wire(8, [{ startPeriod: 0, limit: 4, operationMode: 'CentralSetpoint', setpoint: 3 }], { stackLevel: 1 });
    store.forceInstall(1, profileFrom21(setpoint), setpoint);
    // TxDefault stack 1 wins over stack 0: one source (v21-priority.test.ts has the worked example).
    expect(toPeriods(composite(store))).toEqual([{ startPeriod: 0, limit: 4, operationMode: 'CentralSetpoint', setpoint: 3 }]);
    const max = wire(11, [{ startPeriod: 0, limit: 10 }], { chargingProfilePurpose: 'ChargingStationMaxProfile' });
    store.forceInstall(0, profileFrom21(max), max);
    const r = composite(store);
    expect(toPeriods(r)).toEqual([{ startPeriod: 0, limit: 4 }]);
    expect(r.leftOut).toEqual([{ id: 8, evseId: 1, reason: expect.stringMatching(/operationMode CentralSetpoint/) }]);
    // A 2.0.1 composite over the same 2.0.1-shaped profile has nothing left out.
    expect(composite(installed('2.0.1', wire(7, [{ startPeriod: 0, limit: 10 }]))).leftOut).toBeUndefined();
  });

  test('rules §8: 2.0.1 composites carry one decimal, 2.1 composites up to six (Part 2 §2.1.4)', () => {
    const w = wire(9, [{ startPeriod: 0, limit: 6.123456 }]);
    expect(toPeriods(composite(installed('2.1', w)))).toEqual([{ startPeriod: 0, limit: 6.123456 }]);
    expect(toPeriods(composite(installed('2.0.1', w)))).toEqual([{ startPeriod: 0, limit: 6.1 }]);
  });

  test('2.1 chargingLimitSource is a string (≤ 20): any source is stored and selected as received', () => {
    const store = new ProfileStore('2.1', limits());
    const w = wire(10, [{ startPeriod: 0, limit: 10 }], { chargingProfilePurpose: 'ChargingStationExternalConstraints' });
    store.forceInstall(0, profileFrom21(w), w, 'GridOperator');
    const got = selectProfiles(store.list(), { chargingProfile: { chargingLimitSource: ['GridOperator'] } });
    expect(got.map((i) => [i.profile.id, i.source])).toEqual([[10, 'GridOperator']]);
    expect(selectProfiles(store.list(), { chargingProfile: { chargingLimitSource: ['CSO'] } })).toEqual([]);
  });

  test('K09 / K10 criteria: a 2.1-only purpose selects and clears only profiles of that purpose', () => {
    const store = new ProfileStore('2.1', limits({ additionalPurposes: ['PriorityCharging'] }));
    const prio = wire(13, [{ startPeriod: 0, limit: 10 }], { chargingProfilePurpose: 'PriorityCharging' });
    const txDefault = wire(14, [{ startPeriod: 0, limit: 8 }]);
    for (const w of [prio, txDefault]) expect(store.install(1, profileFrom21(w), w, [])).toEqual({ status: 'Accepted' });
    expect(selectProfiles(store.list(), { chargingProfile: { chargingProfilePurpose: 'PriorityCharging' } }).map((i) => i.profile.id)).toEqual([13]);
    expect(store.clear201({ chargingProfileCriteria: { chargingProfilePurpose: 'PriorityCharging' } })).toBe('Accepted');
    expect(store.list().map((i) => i.profile.id)).toEqual([14]);
  });

  test('install: 2.1-only purposes, Dynamic and other operationModes are taken only when the station advertises them', () => {
    const store = new ProfileStore('2.1', limits());
    const check = (over: Wire, periods: Wire[] = [{ startPeriod: 0, limit: 10 }]) => store.check(1, profileFrom21(wire(11, periods, over)), []);
    expect(check({ chargingProfilePurpose: 'PriorityCharging' })).toMatchObject({ status: 'Rejected', check: 'PurposeNotSupported' });
    expect(check({ chargingProfileKind: 'Dynamic' })).toMatchObject({ status: 'Rejected', check: 'KindNotSupported' });
    expect(check({}, [{ startPeriod: 0, operationMode: 'ExternalLimits' }])).toMatchObject({ status: 'Rejected', check: 'OperationModeNotSupported' });
    expect(check({})).toEqual({ status: 'Accepted' });
    const advertised = new ProfileStore('2.1', limits({ additionalPurposes: ['PriorityCharging'] }));
    expect(advertised.check(1, profileFrom21(wire(12, [{ startPeriod: 0, limit: 10 }], { chargingProfilePurpose: 'PriorityCharging' })), [])).toEqual({ status: 'Accepted' });
  });
});
