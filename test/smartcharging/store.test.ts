import { ProfileStore, compositeSchedule, profileFrom16, profileFrom201 } from '../../src/smartcharging';
import type { InstallOutcome, Profile, Transaction } from '../../src/smartcharging';
import { T0, at, limits, mustInstall, newStore, profile, steps, tx } from './fixtures';

const txDefault = (id: number, over: Partial<Parameters<typeof profile>[0]> = {}): Profile =>
  profile({ id, purpose: 'TxDefaultProfile', periods: [[0, 6]], ...over });

function rejected(o: InstallOutcome): { rule: string; reasonCode: string; check: string } {
  if (o.status !== 'Rejected') throw new Error('expected Rejected, got Accepted');
  return { rule: o.rule, reasonCode: o.reasonCode, check: o.check };
}

/** Each rejection must leave the store exactly as it was (SC-X-05). */
function expectRejectedUnchanged(store: ProfileStore, evseId: number, p: Profile, txs: Transaction[], rule: string, reasonCode: string): void {
  const before = store.list();
  const o = store.install(evseId, p, { id: p.id, marker: 'new' }, txs);
  expect(rejected(o)).toMatchObject({ rule, reasonCode });
  expect(store.list()).toEqual(before);
}

describe('1.6 SetChargingProfile rules (rules §3.1)', () => {
  const txs = [tx(1, '100')];
  const cases: [string, number, Profile, Transaction[], string, string][] = [
    ['SC-16-05 (b) 1.6 §3.13.1: ChargePointMaxProfile on connector 1', 1, profile({ id: 50, purpose: 'ChargingStationMaxProfile', periods: [[0, 6]] }), [], '1.6 §3.13.1', 'InvalidValue'],
    ['SC-16-05 (a) 1.6 §3.13.1: TxProfile on connector 0', 0, profile({ id: 50, purpose: 'TxProfile', periods: [[0, 6]] }), txs, '1.6 §3.13.1', 'InvalidValue'],
    ['SC-16-03 (TC_058_1_CS) 1.6 §3.13.1: TxProfile without transaction', 1, profile({ id: 50, purpose: 'TxProfile', transactionId: '1', periods: [[0, 6]] }), [], '1.6 §3.13.1', 'TxNotFound'],
    ['SC-16-04 (TC_058_2_CS): TxProfile with a wrong transactionId', 1, profile({ id: 50, purpose: 'TxProfile', transactionId: '1100', periods: [[0, 6]] }), txs, 'TC_058_2_CS', 'TxNotFound'],
    ['SC-16-05 (c) errata 3.38: connector beyond NumberOfConnectors', 3, txDefault(50), [], '1.6 errata 3.38', 'InvalidValue'],
    ['1.6 §7.14: first startPeriod not 0', 1, txDefault(50, { periods: [[5, 6]] }), [], '1.6 §7.14', 'InvalidSchedule'],
    ['1.6 §7.14: decreasing startPeriods', 1, txDefault(50, { periods: [[0, 6], [100, 8], [50, 7]] }), [], '1.6 §7.14', 'InvalidSchedule'],
    ['1.6 §7.14: equal startPeriods (not increasing)', 1, txDefault(50, { periods: [[0, 6], [0, 8]] }), [], '1.6 §7.14', 'InvalidSchedule'],
    ['SC-16-20 errata 3.56: Recurring without recurrencyKind', 1, txDefault(50, { kind: 'Recurring' }), [], '1.6 errata 3.56', 'MissingParam'],
    ['errata 3.56: Recurring without startSchedule', 1, txDefault(50, { kind: 'Recurring', recurrencyKind: 'Daily', startSchedule: null }), [], '1.6 errata 3.56', 'InvalidSchedule'],
    ['SC-16-24 1.6 §9.4: stackLevel above ChargeProfileMaxStackLevel', 1, txDefault(50, { stackLevel: 11 }), [], '1.6 §9.4 ChargeProfileMaxStackLevel', 'InvalidStackLevel'],
    ['rules §2: negative stackLevel', 1, txDefault(50, { stackLevel: -1 }), [], 'ChargingProfile.stackLevel', 'InvalidStackLevel'],
    ['SC-16-24 1.6 §9.4: more periods than ChargingScheduleMaxPeriods', 1, txDefault(50, { periods: Array.from({ length: 11 }, (_, i) => [i * 10, 6] as [number, number]) }), [], '1.6 §9.4 ChargingScheduleMaxPeriods', 'TooManyElements'],
  ];
  for (const [name, evseId, p, t, rule, reason] of cases) {
    test(`${name} → Rejected (${rule}), store unchanged`, () => {
      const store = newStore('1.6');
      mustInstall(store, 1, txDefault(50, { periods: [[0, 16]] })); // same id: a rejected replacement must not remove it
      expectRejectedUnchanged(store, evseId, p, t, rule, reason);
    });
  }

  test('SC-16-19 1.6 §9.4: unit not in ChargingScheduleAllowedChargingRateUnit → Rejected', () => {
    const store = newStore('1.6', { rateUnits: ['A'] });
    expectRejectedUnchanged(store, 1, txDefault(50, { unit: 'W' }), [], '1.6 §9.4 ChargingScheduleAllowedChargingRateUnit', 'UnsupportedRateUnit');
  });

  test('SC-16-24: boundary values (stackLevel = max, periods = max) are Accepted', () => {
    const store = newStore('1.6');
    const p = txDefault(51, { stackLevel: 10, periods: Array.from({ length: 10 }, (_, i) => [i * 10, 6] as [number, number]) });
    expect(store.install(1, p, {}, [])).toEqual({ status: 'Accepted' });
  });

  test('1.6 §3.13.1: TxProfile without transactionId during a transaction is Accepted and bound to it', () => {
    const store = newStore('1.6');
    mustInstall(store, 1, profile({ id: 60, purpose: 'TxProfile', periods: [[0, 6]] }), [tx(1, '100')]);
    expect(store.list()[0]!.profile.transactionId).toBe('100');
    expect(store.endTransaction('100')).toEqual([60]);
    expect(store.list()).toEqual([]);
  });

  test('SC-16-27 (IMPL): ChargePointMaxProfile Relative on connector 0 is Accepted by the model', () => {
    expect(newStore('1.6').install(0, profile({ id: 61, purpose: 'ChargingStationMaxProfile', kind: 'Relative', periods: [[0, 16]] }), {}, [])).toEqual({ status: 'Accepted' });
  });

  test('SC-16-08 1.6 §5.16: same id replaces (new stackLevel), leaving one profile', () => {
    const store = newStore('1.6');
    mustInstall(store, 1, txDefault(10, { stackLevel: 0, periods: [[0, 16]] }));
    mustInstall(store, 1, txDefault(10, { stackLevel: 1, periods: [[0, 10]], duration: 120 }));
    const list = store.list();
    expect(list).toHaveLength(1);
    expect(list[0]!.profile.stackLevel).toBe(1);
  });

  test('SC-16-09 1.6 §3.13.2: same stackLevel + purpose on the same connector replaces (different id)', () => {
    const store = newStore('1.6');
    mustInstall(store, 1, txDefault(11, { stackLevel: 3, periods: [[0, 20]] }));
    mustInstall(store, 1, txDefault(12, { stackLevel: 3, periods: [[0, 30]] }));
    expect(store.list().map((i) => i.profile.id)).toEqual([12]);
    expect(store.clear16({ id: 11 })).toBe('Unknown');
  });

  test('1.6 (IMPL rules §4.1): same stackLevel + purpose on another connector does not replace', () => {
    const store = newStore('1.6');
    mustInstall(store, 0, txDefault(11, { stackLevel: 3 }));
    mustInstall(store, 1, txDefault(12, { stackLevel: 3 }));
    expect(store.list().map((i) => i.profile.id)).toEqual([11, 12]);
  });

  test('SC-16-23 1.6 §9.4: capacity — (N+1)th Rejected; replacement by id and by stackLevel+purpose at capacity Accepted', () => {
    const store = newStore('1.6', { maxProfiles: 3 });
    mustInstall(store, 1, txDefault(1, { stackLevel: 0 }));
    mustInstall(store, 1, txDefault(2, { stackLevel: 1 }));
    mustInstall(store, 2, txDefault(3, { stackLevel: 0 }));
    expectRejectedUnchanged(store, 2, txDefault(4, { stackLevel: 1 }), [], '1.6 §9.4 MaxChargingProfilesInstalled', 'OutOfStorage');
    expect(store.install(1, txDefault(1, { stackLevel: 5 }), {}, [])).toEqual({ status: 'Accepted' });
    expect(store.install(2, txDefault(9, { stackLevel: 0 }), {}, [])).toEqual({ status: 'Accepted' });
    expect(store.list().map((i) => i.profile.id).sort()).toEqual([1, 2, 9]);
  });

  test('errata 3.41/3.42 (SC-16-16): RemoteStart TxProfile stored unbound, bound at start, replaced by a Set with the same stackLevel', () => {
    const store = newStore('1.6');
    const rs = profile({ id: 70, purpose: 'TxProfile', stackLevel: 2, kind: 'Relative', periods: [[0, 16]] });
    expect(store.installRemoteStart(1, rs, {})).toEqual({ status: 'Accepted' });
    expect(store.startTransaction(tx(1, '555'))).toEqual([70]);
    const t = [tx(1, '555')];
    mustInstall(store, 1, profile({ id: 71, purpose: 'TxProfile', stackLevel: 2, transactionId: '555', kind: 'Relative', periods: [[0, 10]] }), t);
    expect(store.list().map((i) => i.profile.id)).toEqual([71]);
    mustInstall(store, 1, profile({ id: 72, purpose: 'TxProfile', stackLevel: 3, transactionId: '555', kind: 'Relative', periods: [[0, 6]] }), t);
    expect(store.list().map((i) => i.profile.id)).toEqual([71, 72]);
  });

  test('SC-16-17 (TC_060_CS) errata 3.41: RemoteStart with a TxDefault or with a transactionId → Rejected', () => {
    const store = newStore('1.6');
    expect(rejected(store.installRemoteStart(1, txDefault(80), {})).check).toBe('RemoteStartNotTxProfile');
    expect(rejected(store.installRemoteStart(1, profile({ id: 81, purpose: 'TxProfile', transactionId: '1', periods: [[0, 6]] }), {})).rule).toBe('1.6 errata 3.41');
    expect(store.list()).toEqual([]);
  });
});

describe('2.0.1 SetChargingProfile rules (rules §3.2)', () => {
  const txs = [tx(1, 'TX-1')];
  const maxP = (over: Partial<Parameters<typeof profile>[0]> = {}): Profile => profile({ id: 50, purpose: 'ChargingStationMaxProfile', periods: [[0, 32]], ...over });
  const txP = (over: Partial<Parameters<typeof profile>[0]> = {}): Profile => profile({ id: 50, purpose: 'TxProfile', transactionId: 'TX-1', periods: [[0, 6]], ...over });
  const cases: [string, number, Profile, Transaction[], string, string][] = [
    ['SC-201-02 (a) K01.FR.09 (TC_K_02_CS): TxProfile without a transaction on the EVSE', 1, txP({ transactionId: 'UNKNOWN-TRANSACTION-ID' }), [], 'K01.FR.09', 'TxNotFound'],
    ['SC-201-02 (b) K01.FR.16 (TC_K_11_CS): TxProfile on evse 0', 0, txP(), txs, 'K01.FR.16', 'InvalidValue'],
    ['SC-201-02 (c) K01.FR.33 (TC_K_16_CS): unknown transactionId on the EVSE', 1, txP({ transactionId: 'OTHER' }), txs, 'K01.FR.33', 'TxNotFound'],
    ['K01.FR.33: transactionId of a transaction running on another EVSE', 2, txP(), txs.concat(tx(2, 'TX-2')), 'K01.FR.33', 'TxNotFound'],
    ['SC-201-02 (d) K01.FR.03: TxProfile without transactionId', 1, profile({ id: 50, purpose: 'TxProfile', periods: [[0, 6]] }), txs, 'K01.FR.03', 'MissingParam'],
    ['SC-201-03 K01.FR.28 (TC_K_14_CS): evseId = #EVSE + 1', 3, txDefault(50), [], 'K01.FR.28', 'InvalidValue'],
    ['SC-201-03 K04.FR.03: ChargingStationMaxProfile on evse 1', 1, maxP(), [], 'K04.FR.03', 'InvalidValue'],
    ['SC-201-03 K01.FR.38: ChargingStationMaxProfile Relative', 0, maxP({ kind: 'Relative' }), [], 'K01.FR.38', 'InvalidValue'],
    ['SC-201-03 K01.FR.40: Absolute without startSchedule', 1, txDefault(50, { startSchedule: null }), [], 'K01.FR.40', 'InvalidSchedule'],
    ['SC-201-22 K01.FR.40: Recurring without startSchedule', 1, txDefault(50, { kind: 'Recurring', recurrencyKind: 'Daily', startSchedule: null }), [], 'K01.FR.40', 'InvalidSchedule'],
    ['SC-201-03 K01.FR.41: Relative with startSchedule', 1, txDefault(50, { kind: 'Relative', startSchedule: at(0) }), [], 'K01.FR.41', 'InvalidSchedule'],
    ['Recurring without recurrencyKind', 1, txDefault(50, { kind: 'Recurring' }), [], 'ChargingProfile.recurrencyKind', 'MissingParam'],
    ['SC-201-03 K01.FR.31: first startPeriod 5', 1, txDefault(50, { periods: [[5, 6]] }), [], 'K01.FR.31', 'InvalidSchedule'],
    ['SC-201-03 K01.FR.35: decreasing startPeriods', 1, txDefault(50, { periods: [[0, 6], [60, 8], [30, 7]] }), [], 'K01.FR.35', 'InvalidSchedule'],
    ['SC-201-03 K01.FR.22: ChargingStationExternalConstraints from the CSMS', 0, profile({ id: 50, purpose: 'ChargingStationExternalConstraints', periods: [[0, 6]] }), [], 'K01.FR.22', 'InvalidValue'],
    ['SC-201-03 rules §2: stackLevel −1', 1, txDefault(50, { stackLevel: -1 }), [], 'ChargingProfile.stackLevel', 'InvalidStackLevel'],
    ['SmartChargingCtrlr.ProfileStackLevel: stackLevel above the maximum', 1, txDefault(50, { stackLevel: 11 }), [], 'SmartChargingCtrlr.ProfileStackLevel', 'InvalidStackLevel'],
    ['SmartChargingCtrlr.PeriodsPerSchedule: too many periods', 1, txDefault(50, { periods: Array.from({ length: 11 }, (_, i) => [i * 10, 6] as [number, number]) }), [], 'SmartChargingCtrlr.PeriodsPerSchedule', 'TooManyElements'],
    ['SC-201-15 (c) K01.FR.19: phaseToUse with numberPhases 3', 1, withPhaseToUse(txDefault(50), 3), [], 'K01.FR.19', 'InvalidSchedule'],
    ['SC-201-15 (d) K01.FR.20: phaseToUse without ACPhaseSwitchingSupported', 1, withPhaseToUse(txDefault(50), 1), [], 'K01.FR.20', 'InvalidSchedule'],
    ['SC-201-15 (f) K01.FR.45: numberPhases 4', 1, txDefault(50, { periods: [[0, 6, 4]] }), [], 'K01.FR.45', 'InvalidSchedule'],
  ];
  for (const [name, evseId, p, t, rule, reason] of cases) {
    test(`${name} → Rejected (${rule}), store unchanged`, () => {
      const store = newStore('2.0.1');
      mustInstall(store, 1, txDefault(50, { periods: [[0, 16]] }));
      expectRejectedUnchanged(store, evseId, p, t, rule, reason);
    });
  }

  test('SC-201-04 K01.FR.26 (TC_K_12_CS): unsupported rate unit → Rejected', () => {
    expectRejectedUnchanged(newStore('2.0.1', { rateUnits: ['W'] }), 1, txDefault(50, { unit: 'A' }), [], 'K01.FR.26', 'UnsupportedRateUnit');
  });

  test('SmartChargingCtrlr.Entries[ChargingProfiles]: capacity exceeded → Rejected; replacement at capacity Accepted', () => {
    const store = newStore('2.0.1', { maxProfiles: 2 });
    mustInstall(store, 1, txDefault(1));
    mustInstall(store, 2, txDefault(2));
    expectRejectedUnchanged(store, 1, txDefault(3, { stackLevel: 1 }), [], 'SmartChargingCtrlr.Entries[ChargingProfiles]', 'OutOfStorage');
    expect(store.install(2, txDefault(1, { stackLevel: 4 }), {}, [])).toEqual({ status: 'Accepted' });
  });

  test('K01.FR.20: phaseToUse with numberPhases 1 is Accepted when ACPhaseSwitchingSupported', () => {
    const store = new ProfileStore('2.0.1', limits({ acPhaseSwitchingSupported: true }));
    expect(store.install(1, withPhaseToUse(txDefault(50), 1), {}, [])).toEqual({ status: 'Accepted' });
  });

  test('K01.FR.22: ExternalConstraints from an EMS is installed with its source', () => {
    const store = newStore('2.0.1');
    const ext = profile({ id: 90, purpose: 'ChargingStationExternalConstraints', periods: [[0, 6]] });
    expect(store.install(0, ext, {}, [], 'EMS')).toEqual({ status: 'Accepted' });
    expect(store.list()[0]!.source).toBe('EMS');
    // K01.FR.05: its id cannot be taken over by a CSMS profile.
    expect(rejected(store.install(1, txDefault(90), {}, []))).toMatchObject({ rule: 'K01.FR.05', reasonCode: 'DuplicateProfile' });
  });

  test('SC-201-05 K01.FR.05 (TC_K_04_CS): same id replaces across EVSE and purpose', () => {
    const store = newStore('2.0.1');
    mustInstall(store, 1, txDefault(20));
    mustInstall(store, 1, txDefault(20, { periods: [[0, 10]] }));
    mustInstall(store, 2, txDefault(20));
    mustInstall(store, 0, profile({ id: 20, purpose: 'ChargingStationMaxProfile', periods: [[0, 32]] }));
    const list = store.list();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ evseId: 0, profile: { purpose: 'ChargingStationMaxProfile' } });
  });

  test('rules §4.2 (IMPL): 2.0.1 keeps both profiles of a K01.FR.06 stackLevel/purpose clash under different ids', () => {
    const store = newStore('2.0.1');
    mustInstall(store, 1, txDefault(30, { stackLevel: 1 }));
    mustInstall(store, 1, txDefault(31, { stackLevel: 1 }));
    expect(store.list().map((i) => i.profile.id)).toEqual([30, 31]);
  });

  test('SC-201-16 K02.FR.05: TxProfiles of an ended transaction are removed, others stay', () => {
    const store = newStore('2.0.1');
    const t = [tx(1, 'TX-1'), tx(2, 'TX-2')];
    mustInstall(store, 1, txP({ id: 1 }), t);
    mustInstall(store, 1, txP({ id: 2, stackLevel: 1 }), t);
    mustInstall(store, 2, txP({ id: 3, transactionId: 'TX-2' }), t);
    mustInstall(store, 1, txDefault(4));
    expect(store.endTransaction('TX-1')).toEqual([1, 2]);
    expect(store.list().map((i) => i.profile.id)).toEqual([3, 4]);
    expect(store.endTransaction('TX-1')).toEqual([]);
  });

  test('SC-201-18 K05.FR.03: RequestStart TxProfile bound to the new transaction, then replaced by id', () => {
    const store = newStore('2.0.1');
    expect(store.installRemoteStart(1, profile({ id: 77, purpose: 'TxProfile', kind: 'Relative', periods: [[0, 16]] }), { id: 77 })).toEqual({ status: 'Accepted' });
    store.startTransaction(tx(1, 'T-9'));
    expect(store.list()[0]!.profile.transactionId).toBe('T-9');
    mustInstall(store, 1, profile({ id: 77, purpose: 'TxProfile', kind: 'Relative', transactionId: 'T-9', periods: [[0, 10]] }), [tx(1, 'T-9')]);
    expect(store.list()).toHaveLength(1);
    expect(store.list()[0]!.profile.schedules[0]!.periods[0]!.limit).toBe(10);
  });

  test('SC-201-19 K05.FR.02: RequestStart with a TxDefault → Rejected', () => {
    expect(rejected(newStore('2.0.1').installRemoteStart(1, txDefault(78), {}))).toMatchObject({ rule: 'K05.FR.02' });
  });

  test('check() never changes the store', () => {
    const store = newStore('2.0.1');
    expect(store.check(1, txDefault(1), [])).toEqual({ status: 'Accepted' });
    expect(store.list()).toEqual([]);
  });
});

describe('store isolation', () => {
  test('raw is stored as a deep copy exactly as sent; list() and clone() are independent copies', () => {
    const store = newStore('2.0.1');
    const raw = { id: 1, chargingSchedule: [{ id: 1, chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 }] }] };
    mustInstall(store, 1, txDefault(1));
    store.install(1, txDefault(1), raw, []);
    (raw.chargingSchedule[0]!.chargingSchedulePeriod[0] as { limit: number }).limit = 99;
    expect(store.list()[0]!.raw).toEqual({ id: 1, chargingSchedule: [{ id: 1, chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 }] }] });
    const listed = store.list();
    listed[0]!.profile.stackLevel = 9;
    expect(store.list()[0]!.profile.stackLevel).toBe(0);
    const copy = store.clone();
    copy.clear201({});
    expect(copy.list()).toEqual([]);
    expect(store.list()).toHaveLength(1);
  });

  test('adapters feed the store: a 1.6 wire profile with integer transactionId matches the running transaction', () => {
    const store = newStore('1.6');
    const wire = {
      chargingProfileId: 5,
      transactionId: 100,
      stackLevel: 0,
      chargingProfilePurpose: 'TxProfile',
      chargingProfileKind: 'Relative',
      chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 }] },
    };
    expect(store.install(1, profileFrom16(wire), wire, [tx(1, '100')])).toEqual({ status: 'Accepted' });
    expect(rejected(newStore('1.6').install(1, profileFrom16({ ...wire, transactionId: 101 }), wire, [tx(1, '100')])).rule).toBe('TC_058_2_CS');
  });

  test('profileFrom201 + store: 2.0.1 TxProfile round trip', () => {
    const wire = {
      id: 6,
      stackLevel: 0,
      chargingProfilePurpose: 'TxProfile',
      chargingProfileKind: 'Relative',
      transactionId: 'abc',
      chargingSchedule: [{ id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 }] }],
    };
    const store = newStore('2.0.1');
    expect(store.install(1, profileFrom201(wire), wire, [tx(1, 'abc')])).toEqual({ status: 'Accepted' });
    expect(store.list()[0]!.raw).toEqual(wire);
  });
});

function withPhaseToUse(p: Profile, numberPhases: number): Profile {
  p.schedules[0]!.periods[0] = { startPeriod: 0, limit: 6, numberPhases, phaseToUse: 1 };
  return p;
}

test('SC-16-09: after same stackLevel+purpose replacement and Clear(id 12), the composite is Max only (32), not the replaced 20', () => {
  const store = newStore('1.6');
  mustInstall(store, 0, profile({ id: 1, purpose: 'ChargingStationMaxProfile', periods: [[0, 32]] }));
  mustInstall(store, 1, profile({ id: 11, purpose: 'TxDefaultProfile', stackLevel: 3, periods: [[0, 20]] }));
  mustInstall(store, 1, profile({ id: 12, purpose: 'TxDefaultProfile', stackLevel: 3, periods: [[0, 30]] }));
  const run = (): string => steps(compositeSchedule({ evseId: 1, duration: 60, start: T0 }, store.compositeContext([])));
  expect(run()).toBe('30@0');
  expect(store.clear16({ id: 12 })).toBe('Accepted');
  expect(run()).toBe('32@0');
});
