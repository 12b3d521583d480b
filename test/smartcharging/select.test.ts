import { ModelArgumentError, reportPages } from '../../src/smartcharging';
import type { Installed, ProfileStore, SelectRequest } from '../../src/smartcharging';
import { installed, mustInstall, newStore, profile, tx } from './fixtures';

/** SC-201-08 fixed set: Max evse 0 (1), TxDefault evse 0 sl0 (2), TxDefault evse 1 sl0 (3) and sl1 (4), TxDefault evse 2 sl1 (5), TxProfile evse 1 (6), External evse 0 from EMS (7). */
function set201(): ProfileStore {
  const s = newStore('2.0.1');
  mustInstall(s, 0, profile({ id: 1, purpose: 'ChargingStationMaxProfile', periods: [[0, 32]] }));
  mustInstall(s, 0, profile({ id: 2, purpose: 'TxDefaultProfile', stackLevel: 0, periods: [[0, 6]] }));
  mustInstall(s, 1, profile({ id: 3, purpose: 'TxDefaultProfile', stackLevel: 0, periods: [[0, 6]] }));
  mustInstall(s, 1, profile({ id: 4, purpose: 'TxDefaultProfile', stackLevel: 1, periods: [[0, 6]] }));
  mustInstall(s, 2, profile({ id: 5, purpose: 'TxDefaultProfile', stackLevel: 1, periods: [[0, 6]] }));
  mustInstall(s, 1, profile({ id: 6, purpose: 'TxProfile', transactionId: 'T1', periods: [[0, 6]] }), [tx(1, 'T1')]);
  s.install(0, profile({ id: 7, purpose: 'ChargingStationExternalConstraints', periods: [[0, 20]] }), {}, [], 'EMS');
  return s;
}

const sel = (req: SelectRequest): number[] => set201().select(req).map((i) => i.profile.id).sort((a, b) => a - b);

describe('2.0.1 GetChargingProfiles criteria (rules §6.1, K09)', () => {
  const matrix: [string, SelectRequest, number[]][] = [
    ['evseId absent, empty criterion → all', { chargingProfile: {} }, [1, 2, 3, 4, 5, 6, 7]],
    ['K09.FR.05: evseId 0 → station-level only', { evseId: 0, chargingProfile: {} }, [1, 2, 7]],
    ['K09.FR.06: evseId 1 → that EVSE only, no evse-0 profiles', { evseId: 1, chargingProfile: {} }, [3, 4, 6]],
    ['purpose TxDefaultProfile', { chargingProfile: { chargingProfilePurpose: 'TxDefaultProfile' } }, [2, 3, 4, 5]],
    ['stackLevel 0 (0 is a value)', { chargingProfile: { stackLevel: 0 } }, [1, 2, 3, 6, 7]],
    ['purpose + stackLevel ANDed', { chargingProfile: { chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 1 } }, [4, 5]],
    ['evseId 0 + purpose TxDefaultProfile', { evseId: 0, chargingProfile: { chargingProfilePurpose: 'TxDefaultProfile' } }, [2]],
    ['evseId 1 + stackLevel 1', { evseId: 1, chargingProfile: { stackLevel: 1 } }, [4]],
    ['source [CSO]', { chargingProfile: { chargingLimitSource: ['CSO'] } }, [1, 2, 3, 4, 5, 6]],
    ['source [EMS]', { chargingProfile: { chargingLimitSource: ['EMS'] } }, [7]],
    ['sources ORed [EMS, SO]', { chargingProfile: { chargingLimitSource: ['EMS', 'SO'] } }, [7]],
    ['sources ORed [CSO, EMS] with evseId 0', { evseId: 0, chargingProfile: { chargingLimitSource: ['CSO', 'EMS'] } }, [1, 2, 7]],
    ['source [SO] → nothing', { chargingProfile: { chargingLimitSource: ['SO'] } }, []],
    ['ids [one]', { chargingProfile: { chargingProfileId: [4] } }, [4]],
    ['ids ORed [several]', { chargingProfile: { chargingProfileId: [1, 5, 6] } }, [1, 5, 6]],
    ['ids [unknown] → nothing (NoProfiles)', { chargingProfile: { chargingProfileId: [999] } }, []],
    ['ids ANDed with evseId', { evseId: 1, chargingProfile: { chargingProfileId: [1, 3] } }, [3]],
    ['K09.FR.03 IMPL: ids given → other criterion fields ignored', { chargingProfile: { chargingProfileId: [1, 3], stackLevel: 5, chargingProfilePurpose: 'TxProfile' } }, [1, 3]],
  ];
  for (const [name, req, expected] of matrix) {
    test(`SC-201-08 ${name} → [${expected.join(',')}]`, () => {
      expect(sel(req)).toEqual(expected);
    });
  }
});

describe('ReportChargingProfiles grouping (rules §6.2)', () => {
  const raw = (i: Installed): Installed => ({ ...i, raw: { id: i.profile.id, marker: `p${i.profile.id}` } });
  const list: Installed[] = [
    raw(installed(1, profile({ id: 13, purpose: 'TxDefaultProfile', periods: [[0, 6]] }))),
    raw(installed(0, profile({ id: 7, purpose: 'ChargingStationExternalConstraints', periods: [[0, 6]] }), 'EMS')),
    raw(installed(1, profile({ id: 11, purpose: 'TxDefaultProfile', periods: [[0, 6]] }))),
    raw(installed(0, profile({ id: 2, purpose: 'TxDefaultProfile', periods: [[0, 6]] }))),
    raw(installed(1, profile({ id: 12, purpose: 'TxDefaultProfile', periods: [[0, 6]] }))),
    raw(installed(0, profile({ id: 1, purpose: 'ChargingStationMaxProfile', periods: [[0, 6]] }))),
  ];
  test('one page per (evseId, source) group, ordered evseId, source, id; raw objects as sent', () => {
    const pages = reportPages(list, 10);
    expect(pages.map((p) => [p.evseId, p.chargingLimitSource, p.chargingProfile.map((c) => c.id)])).toEqual([
      [0, 'CSO', [1, 2]],
      [0, 'EMS', [7]],
      [1, 'CSO', [11, 12, 13]],
    ]);
    expect(pages[0]!.chargingProfile[0]).toEqual({ id: 1, marker: 'p1' });
  });
  test('pages of at most pageSize within a group (never mixing groups)', () => {
    const pages = reportPages(list, 2);
    expect(pages.map((p) => [p.evseId, p.chargingLimitSource, p.chargingProfile.map((c) => c.id)])).toEqual([
      [0, 'CSO', [1, 2]],
      [0, 'EMS', [7]],
      [1, 'CSO', [11, 12]],
      [1, 'CSO', [13]],
    ]);
    expect(reportPages(list, 1)).toHaveLength(6);
  });
  test('union of pages equals the selection, no duplicates; raw objects are copies', () => {
    const pages = reportPages(list, 4);
    const all = pages.flatMap((p) => p.chargingProfile.map((c) => c.id as number)).sort((a, b) => a - b);
    expect(all).toEqual([1, 2, 7, 11, 12, 13]);
    pages[0]!.chargingProfile[0]!.marker = 'changed';
    expect(list[5]!.raw.marker).toBe('p1');
  });
  test('empty selection → no pages; pageSize < 1 → ModelArgumentError', () => {
    expect(reportPages([], 5)).toEqual([]);
    expect(() => reportPages(list, 0)).toThrow(ModelArgumentError);
  });
});
