import {
  ProfileFormatError,
  convertLimit,
  profileFrom16,
  profileFrom201,
  profileToWire16,
  profileToWire201,
  round1,
  toEpochSeconds,
} from '../../src/smartcharging';

const wire16 = {
  chargingProfileId: 7,
  transactionId: 42,
  stackLevel: 2,
  chargingProfilePurpose: 'ChargePointMaxProfile',
  chargingProfileKind: 'Absolute',
  validFrom: '2024-03-10T12:00:00Z',
  chargingSchedule: {
    duration: 300,
    startSchedule: '2024-03-10T12:00:00Z',
    chargingRateUnit: 'A',
    chargingSchedulePeriod: [{ startPeriod: 0, limit: 8.1, numberPhases: 1 }, { startPeriod: 60, limit: 10 }],
    minChargingRate: 6,
  },
};
const wire201 = {
  id: 8,
  stackLevel: 0,
  chargingProfilePurpose: 'TxProfile',
  chargingProfileKind: 'Relative',
  transactionId: 'tx-1',
  validTo: '2024-03-11T00:00:00+01:00',
  chargingSchedule: [
    { id: 3, chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000, numberPhases: 1, phaseToUse: 2 }] },
  ],
};

describe('adapters (rules §2)', () => {
  test('profileFrom16: ChargePointMaxProfile → ChargingStationMaxProfile, integer transactionId → string, single schedule', () => {
    expect(profileFrom16(wire16)).toEqual({
      id: 7,
      stackLevel: 2,
      purpose: 'ChargingStationMaxProfile',
      kind: 'Absolute',
      validFrom: '2024-03-10T12:00:00Z',
      transactionId: '42',
      schedules: [
        {
          startSchedule: '2024-03-10T12:00:00Z',
          duration: 300,
          chargingRateUnit: 'A',
          periods: [{ startPeriod: 0, limit: 8.1, numberPhases: 1 }, { startPeriod: 60, limit: 10 }],
          minChargingRate: 6,
        },
      ],
    });
  });
  test('profileFrom201: schedules array with id and phaseToUse', () => {
    const p = profileFrom201(wire201);
    expect(p).toMatchObject({ id: 8, purpose: 'TxProfile', kind: 'Relative', transactionId: 'tx-1', validTo: '2024-03-11T00:00:00+01:00' });
    expect(p.schedules).toEqual([{ id: 3, chargingRateUnit: 'W', periods: [{ startPeriod: 0, limit: 11000, numberPhases: 1, phaseToUse: 2 }] }]);
  });
  test('round trip: wire → Profile → wire is identical for both versions', () => {
    expect(profileToWire16(profileFrom16(wire16))).toEqual(wire16);
    expect(profileToWire201(profileFrom201(wire201))).toEqual(wire201);
  });
  test('purpose names are per version: 1.6 rejects ChargingStationMaxProfile, 2.0.1 rejects ChargePointMaxProfile', () => {
    expect(() => profileFrom16({ ...wire16, chargingProfilePurpose: 'ChargingStationMaxProfile' })).toThrow(ProfileFormatError);
    expect(() => profileFrom201({ ...wire201, chargingProfilePurpose: 'ChargePointMaxProfile' })).toThrow(ProfileFormatError);
  });
  test('shape errors carry a JSON pointer', () => {
    const bad = { ...wire16, chargingSchedule: { ...wire16.chargingSchedule, chargingSchedulePeriod: [{ startPeriod: 0, limit: '6' }] } };
    expect(() => profileFrom16(bad)).toThrow(/\/chargingSchedule\/chargingSchedulePeriod\/0\/limit/);
    expect(() => profileFrom201({ ...wire201, chargingSchedule: [] })).toThrow(ProfileFormatError);
    expect(() => profileFrom201({ ...wire201, transactionId: 5 })).toThrow(/transactionId/);
    expect(() => profileFrom16({ ...wire16, validFrom: 'yesterday' })).toThrow(/validFrom/);
  });
});

describe('time and units', () => {
  test('toEpochSeconds floors to whole seconds and honours offsets; no offset is read as UTC', () => {
    expect(toEpochSeconds('2024-03-10T12:00:00.900Z')).toBe(toEpochSeconds('2024-03-10T12:00:00Z'));
    expect(toEpochSeconds('2024-03-10T13:00:00+01:00')).toBe(toEpochSeconds('2024-03-10T12:00:00Z'));
    expect(toEpochSeconds('2024-03-10T12:00:00')).toBe(toEpochSeconds('2024-03-10T12:00:00Z'));
  });
  test('rules §5.5: P = V × I × phases; 6900 W / (230 × 3) = 10 A, phases 1 → 30 A; 16 A → 11040 W', () => {
    expect(convertLimit(6900, 'W', 'A', 3)).toBeCloseTo(10, 12);
    expect(convertLimit(6900, 'W', 'A', 1)).toBeCloseTo(30, 12);
    expect(convertLimit(16, 'A', 'W', undefined)).toBe(11040);
    expect(convertLimit(16, 'A', 'W', 1, 240)).toBe(3840);
    expect(convertLimit(7, 'A', 'A', 1)).toBe(7);
  });
  test('rules §8: round1 gives the nearest one-decimal double', () => {
    expect(round1(8.1 + 1e-12)).toBe(8.1);
    expect(round1(10.14)).toBe(10.1);
    expect(round1(10.15)).toBe(10.2);
    expect(round1(16.666)).toBe(16.7);
  });
});
