import { checkCsmsRequest, type CheckContext } from '../../src/station';
import { ProfileStore, profileFrom201 } from '../../src/smartcharging';

const limits = { evses: 2, maxStackLevel: 3, maxProfiles: 5, maxPeriods: 2, rateUnits: ['A' as const], nominalVoltage: 230 };
const ctx = (over: Partial<CheckContext> = {}): CheckContext => ({ version: '2.0.1', limits, transactions: [{ evseId: 1, transactionId: 'tx-1', startedAt: '2025-01-01T00:00:00Z' }], installed: [], ...over });
const prof = (o: Record<string, unknown> = {}, sched: Record<string, unknown> = {}) => ({
  id: 1, stackLevel: 0, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Absolute',
  chargingSchedule: [{ id: 1, startSchedule: '2025-01-01T00:00:00Z', chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }], ...sched }],
  ...o,
});
const rules = (action: string, p: Record<string, unknown>, c = ctx()) => checkCsmsRequest(action, p, c).map((f) => f.rule);

test('a conforming profile has no findings', () => {
  expect(rules('SetChargingProfile', { evseId: 1, chargingProfile: prof() })).toEqual([]);
  expect(rules('SetChargingProfile', { evseId: 1, chargingProfile: prof({ chargingProfilePurpose: 'TxProfile', transactionId: 'tx-1', chargingProfileKind: 'Relative' }, { startSchedule: undefined }) })).toEqual([]);
});

test('profile rules: periods, kinds, transactions, advertised bounds, decimals', () => {
  expect(rules('SetChargingProfile', { evseId: 1, chargingProfile: prof({}, { chargingSchedulePeriod: [{ startPeriod: 5, limit: 6 }] }) })).toEqual(['K01.FR.31']);
  expect(rules('SetChargingProfile', { evseId: 1, chargingProfile: prof({}, { chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 }, { startPeriod: 0, limit: 7 }] }) })).toEqual(['K01.FR.35']);
  expect(rules('SetChargingProfile', { evseId: 0, chargingProfile: prof({ chargingProfilePurpose: 'ChargingStationMaxProfile', chargingProfileKind: 'Relative' }, { startSchedule: undefined }) })).toEqual(['K01.FR.38']);
  expect(rules('SetChargingProfile', { evseId: 1, chargingProfile: prof({ chargingProfileKind: 'Relative' }) })).toEqual(['K01.FR.41']);
  expect(rules('SetChargingProfile', { evseId: 1, chargingProfile: prof({ chargingProfilePurpose: 'TxProfile' }) })).toEqual(['K01.FR.03']);
  expect(rules('SetChargingProfile', { evseId: 1, chargingProfile: prof({ chargingProfilePurpose: 'TxProfile', transactionId: 'other' }) })).toEqual(['K01.FR.03']);
  expect(rules('SetChargingProfile', { evseId: 1, chargingProfile: prof({ stackLevel: 4 }, { chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 6.25 }, { startPeriod: 1, limit: 6 }, { startPeriod: 2, limit: 6 }] }) })).toEqual([
    'SmartChargingCtrlr.ProfileStackLevel',
    'SmartChargingCtrlr.PeriodsPerSchedule',
    'K01.FR.26',
    'rules §8 (2.0.1 ChargingSchedulePeriod.limit)',
  ]);
  // 1.6: the schema carries the decimal rule; 8.1 and 15.2 are fine everywhere.
  expect(rules('SetChargingProfile', { evseId: 1, chargingProfile: prof({}, { chargingSchedulePeriod: [{ startPeriod: 0, limit: 8.1 }, { startPeriod: 60, limit: 15.2 }] }) })).toEqual([]);
});

test('K01.FR.06: another id with the same stackLevel/purpose/EVSE and overlapping validity', () => {
  const store = new ProfileStore('2.0.1', limits);
  store.install(1, profileFrom201(prof({ id: 1 })), prof({ id: 1 }), []);
  const c = ctx({ installed: store.list() });
  expect(rules('SetChargingProfile', { evseId: 1, chargingProfile: prof({ id: 2 }) }, c)).toEqual(['K01.FR.06']);
  expect(rules('SetChargingProfile', { evseId: 1, chargingProfile: prof({ id: 1 }) }, c)).toEqual([]);
  expect(rules('SetChargingProfile', { evseId: 2, chargingProfile: prof({ id: 2 }) }, c)).toEqual([]);
});

test('K10.FR.02 and K09.FR.03 criteria', () => {
  expect(rules('ClearChargingProfile', {})).toEqual(['K10.FR.02']);
  expect(rules('ClearChargingProfile', { chargingProfileCriteria: {} })).toEqual(['K10.FR.02']);
  expect(rules('ClearChargingProfile', { chargingProfileCriteria: { stackLevel: 0 } })).toEqual([]);
  expect(rules('ClearChargingProfile', {}, ctx({ version: '1.6' }))).toEqual([]);
  expect(rules('GetChargingProfiles', { requestId: 1, chargingProfile: {} })).toEqual(['K09.FR.03']);
  expect(rules('GetChargingProfiles', { requestId: 1, chargingProfile: { chargingLimitSource: ['CSO'] } })).toEqual([]);
});

test('K01.FR.03 against a finished transaction: WARN while the end was unanswered, FAIL once the CSMS knew (issue #13 point 3)', () => {
  const txProfile = { evseId: 1, chargingProfile: prof({ chargingProfilePurpose: 'TxProfile', transactionId: 'tx-9' }) };
  const finding = (toldAt?: number) =>
    checkCsmsRequest('SetChargingProfile', txProfile, ctx({ transactions: [], ended: [{ transaction: { evseId: 1, transactionId: 'tx-9', startedAt: '2025-01-01T00:00:00Z' }, sentAt: Date.now() - 5, toldAt }] }));
  const crossing = finding(undefined);
  expect(crossing.map((f) => [f.rule, f.severity])).toEqual([['K01.FR.03', 'warn']]);
  expect(crossing[0]!.message).toMatch(/before the CSMS answered that end/);
  const late = finding(Date.now() - 2);
  expect(late.map((f) => [f.rule, f.severity])).toEqual([['K01.FR.03', 'fail']]);
  expect(late[0]!.message).toMatch(/the CSMS had answered the end of that transaction/);
  // Another transaction's end does not excuse a TxProfile for an unknown one.
  expect(rules('SetChargingProfile', { evseId: 1, chargingProfile: prof({ chargingProfilePurpose: 'TxProfile', transactionId: 'never' }) }, ctx({ transactions: [], ended: [] }))).toEqual(['K01.FR.03']);
});
