import type { ProfileStore } from '../../src/smartcharging';
import { mustInstall, newStore, profile, tx } from './fixtures';

const ids = (s: ProfileStore): number[] => s.list().map((i) => i.profile.id).sort((a, b) => a - b);

describe('1.6 ClearChargingProfile (errata 3.25 / 3.26, rules §7.1)', () => {
  /** SC-16-13 set: A (connector 1, sl0, TxDefault), B (connector 1, sl1, TxDefault), C (connector 0, sl0, Max), D (connector 2, sl0, TxDefault). */
  function set16(): ProfileStore {
    const s = newStore('1.6');
    mustInstall(s, 1, profile({ id: 1, purpose: 'TxDefaultProfile', stackLevel: 0, periods: [[0, 6]] }));
    mustInstall(s, 1, profile({ id: 2, purpose: 'TxDefaultProfile', stackLevel: 1, periods: [[0, 6]] }));
    mustInstall(s, 0, profile({ id: 3, purpose: 'ChargingStationMaxProfile', stackLevel: 0, periods: [[0, 32]] }));
    mustInstall(s, 2, profile({ id: 4, purpose: 'TxDefaultProfile', stackLevel: 0, periods: [[0, 6]] }));
    return s;
  }

  test('SC-16-11 round 1: Clear(id B) → Accepted, only B removed; again → Unknown', () => {
    const s = set16();
    expect(s.clear16({ id: 2 })).toBe('Accepted');
    expect(ids(s)).toEqual([1, 3, 4]);
    expect(s.clear16({ id: 2 })).toBe('Unknown');
  });
  test('SC-16-12 errata 3.26: id given → other fields ignored (Clear(id A, connectorId 2, stackLevel 9) removes A)', () => {
    const s = set16();
    expect(s.clear16({ id: 1, connectorId: 2, stackLevel: 9 })).toBe('Accepted');
    expect(ids(s)).toEqual([2, 3, 4]);
  });
  test('errata 3.26: unknown id with matching other fields → Unknown, nothing removed', () => {
    const s = set16();
    expect(s.clear16({ id: 99, connectorId: 1 })).toBe('Unknown');
    expect(ids(s)).toEqual([1, 2, 3, 4]);
  });
  test('SC-16-13 errata 3.25: Clear(connectorId 1, stackLevel 0) → AND: only A removed', () => {
    const s = set16();
    expect(s.clear16({ connectorId: 1, stackLevel: 0 })).toBe('Accepted');
    expect(ids(s)).toEqual([2, 3, 4]);
  });
  test('SC-16-13: Clear(stackLevel 0, purpose TxProfile) → Unknown (AND, not OR)', () => {
    const s = set16();
    expect(s.clear16({ stackLevel: 0, chargingProfilePurpose: 'TxProfile' })).toBe('Unknown');
    expect(ids(s)).toEqual([1, 2, 3, 4]);
  });
  test('SC-16-13: Clear(connectorId 0, purpose ChargePointMaxProfile) → Accepted, only C removed (0 is a real value)', () => {
    const s = set16();
    expect(s.clear16({ connectorId: 0, chargingProfilePurpose: 'ChargePointMaxProfile' })).toBe('Accepted');
    expect(ids(s)).toEqual([1, 2, 4]);
  });
  test('go-e #187: Clear(connectorId 0) alone removes only connector-0 profiles, not everything', () => {
    const s = set16();
    expect(s.clear16({ connectorId: 0 })).toBe('Accepted');
    expect(ids(s)).toEqual([1, 2, 4]);
  });
  test('each filter alone: stackLevel 0 → A, C, D; purpose TxDefaultProfile → A, B, D; connectorId 2 → D', () => {
    let s = set16();
    expect(s.clear16({ stackLevel: 0 })).toBe('Accepted');
    expect(ids(s)).toEqual([2]);
    s = set16();
    expect(s.clear16({ chargingProfilePurpose: 'TxDefaultProfile' })).toBe('Accepted');
    expect(ids(s)).toEqual([3]);
    s = set16();
    expect(s.clear16({ connectorId: 2 })).toBe('Accepted');
    expect(ids(s)).toEqual([1, 2, 3]);
  });
  test('1.6: the 2.0.1 purpose name is not a 1.6 value and matches nothing', () => {
    const s = set16();
    expect(s.clear16({ chargingProfilePurpose: 'ChargingStationMaxProfile' })).toBe('Unknown');
    expect(ids(s)).toEqual([1, 2, 3, 4]);
  });
  test('SC-16-11 round 3: Clear() → all removed, Accepted', () => {
    const s = set16();
    expect(s.clear16({})).toBe('Accepted');
    expect(ids(s)).toEqual([]);
  });
  test('SC-16-14 errata 3.25: Clear() with nothing installed → Unknown', () => {
    expect(newStore('1.6').clear16({})).toBe('Unknown');
  });
});

describe('2.0.1 ClearChargingProfile (K10, rules §7.2)', () => {
  /** SC-201-08 set: Max evse 0 (1), TxDefault evse 0 sl0 (2), TxDefault evse 1 sl0 (3) and sl1 (4), TxDefault evse 2 sl1 (5), TxProfile evse 1 (6), External evse 0 from EMS (7). */
  function set201(): ProfileStore {
    const s = newStore('2.0.1');
    const t = [tx(1, 'T1')];
    mustInstall(s, 0, profile({ id: 1, purpose: 'ChargingStationMaxProfile', periods: [[0, 32]] }));
    mustInstall(s, 0, profile({ id: 2, purpose: 'TxDefaultProfile', stackLevel: 0, periods: [[0, 6]] }));
    mustInstall(s, 1, profile({ id: 3, purpose: 'TxDefaultProfile', stackLevel: 0, periods: [[0, 6]] }));
    mustInstall(s, 1, profile({ id: 4, purpose: 'TxDefaultProfile', stackLevel: 1, periods: [[0, 6]] }));
    mustInstall(s, 2, profile({ id: 5, purpose: 'TxDefaultProfile', stackLevel: 1, periods: [[0, 6]] }));
    mustInstall(s, 1, profile({ id: 6, purpose: 'TxProfile', stackLevel: 0, transactionId: 'T1', periods: [[0, 6]] }), t);
    expect(s.install(0, profile({ id: 7, purpose: 'ChargingStationExternalConstraints', periods: [[0, 20]] }), {}, [], 'EMS').status).toBe('Accepted');
    return s;
  }

  test('K10.FR.03 (TC_K_05_CS): Clear(chargingProfileId) removes that id; repeat → Unknown', () => {
    const s = set201();
    expect(s.clear201({ chargingProfileId: 4 })).toBe('Accepted');
    expect(ids(s)).toEqual([1, 2, 3, 5, 6, 7]);
    expect(s.clear201({ chargingProfileId: 4 })).toBe('Unknown');
  });
  test('K10.FR.04 (TC_K_24_CS): criteria purpose + stackLevel span EVSEs when evseId is absent', () => {
    const s = set201();
    expect(s.clear201({ chargingProfileCriteria: { chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 1 } })).toBe('Accepted');
    expect(ids(s)).toEqual([1, 2, 3, 6, 7]);
  });
  test('K10: criteria evseId 0 → station-level profiles only (External kept)', () => {
    const s = set201();
    expect(s.clear201({ chargingProfileCriteria: { evseId: 0 } })).toBe('Accepted');
    expect(ids(s)).toEqual([3, 4, 5, 6, 7]);
  });
  test('K10: criteria stackLevel 0 is a real value (not "absent")', () => {
    const s = set201();
    expect(s.clear201({ chargingProfileCriteria: { stackLevel: 0 } })).toBe('Accepted');
    expect(ids(s)).toEqual([4, 5, 7]);
  });
  test('K10: criteria evseId 1 + purpose TxDefaultProfile → AND: only 3 and 4', () => {
    const s = set201();
    expect(s.clear201({ chargingProfileCriteria: { evseId: 1, chargingProfilePurpose: 'TxDefaultProfile' } })).toBe('Accepted');
    expect(ids(s)).toEqual([1, 2, 5, 6, 7]);
  });
  test('K10.FR.01: Clear(unknown id) → Unknown, nothing removed', () => {
    const s = set201();
    expect(s.clear201({ chargingProfileId: 999 })).toBe('Unknown');
    expect(ids(s)).toHaveLength(7);
  });
  test('K10.FR.01 (TC_K_07_CS): Max sl0 criteria with only TxDefault sl1 installed → Unknown', () => {
    const s = newStore('2.0.1');
    mustInstall(s, 1, profile({ id: 1, purpose: 'TxDefaultProfile', stackLevel: 1, periods: [[0, 6]] }));
    expect(s.clear201({ chargingProfileCriteria: { chargingProfilePurpose: 'ChargingStationMaxProfile', stackLevel: 0 } })).toBe('Unknown');
    expect(ids(s)).toEqual([1]);
  });
  test('K10.FR.01 (TC_K_08_CS): Clear on an empty station → Unknown', () => {
    expect(newStore('2.0.1').clear201({ chargingProfileCriteria: { chargingProfilePurpose: 'TxDefaultProfile' } })).toBe('Unknown');
    expect(newStore('2.0.1').clear201({})).toBe('Unknown');
  });
  test('rules §7.2 IMPL: id + criteria → the id wins, criteria ignored', () => {
    const s = set201();
    expect(s.clear201({ chargingProfileId: 3, chargingProfileCriteria: { evseId: 2, stackLevel: 7 } })).toBe('Accepted');
    expect(ids(s)).toEqual([1, 2, 4, 5, 6, 7]);
  });
  test('K10.FR.06 (as cited by libocpp): ExternalConstraints never cleared — by id, by purpose, or by clear-all', () => {
    const s = set201();
    expect(s.clear201({ chargingProfileId: 7 })).toBe('Unknown');
    expect(s.clear201({ chargingProfileCriteria: { chargingProfilePurpose: 'ChargingStationExternalConstraints' } })).toBe('Unknown');
    expect(s.clear201({})).toBe('Accepted');
    expect(ids(s)).toEqual([7]);
  });
});
