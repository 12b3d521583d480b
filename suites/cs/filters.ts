/**
 * GetChargingProfiles criteria matrix (2.0.1, rules §6.1, K09) and the ClearChargingProfile clear
 * matrix (1.6 errata 3.25/3.26, 2.0.1 K10, rules §7). Every expectation comes from the reference model
 * (`sc.mirror`, rules §7.3): a clear's status is what the reference filter gives on the mirror, and the
 * remaining set is read back (2.0.1 GetChargingProfiles; 1.6 composites and Clear(id) probes).
 */
import { defineCase, type CaseDefinition } from '../../src/scenario';
import { V2X } from '../lib/version';
import { SmartCharging, expectComposite, type ProfileSpec } from '../lib/smartcharging';
import { ReportReader } from '../lib/reports';
import { startTransaction201 } from '../lib/transactions';
import { clearExpect, probes16 } from '../lib/clear';

type Payload = Record<string, unknown>;

const MAX16 = 'ChargePointMaxProfile';
const MAX201 = 'ChargingStationMaxProfile';
const TXD = 'TxDefaultProfile';
const TXP = 'TxProfile';
const EXT = 'ChargingStationExternalConstraints';

// ------------------------------------------------------------------------------------------------
// 2.0.1 fixed set (catalogue SC-201-08)

interface Set201 {
  M: number;
  D0: number;
  D0s1: number;
  D1a: number;
  D1b: number;
  D2?: number;
  T1?: number;
  S?: number;
}

async function installSet201(sc: SmartCharging, base: number, opts: { txId?: string; sentinel?: boolean } = {}): Promise<Set201> {
  const t = sc.t;
  const s: Set201 = { M: base + 1, D0: base + 2, D0s1: base + 3, D1a: base + 4, D1b: base + 5 };
  const specs: [number, ProfileSpec][] = [
    [0, { id: s.M, purpose: 'Max', stackLevel: 0, periods: [[0, 32]], duration: 86400 }],
    // EVSE-0 TxDefaults on levels the EVSE-level ones never use: an evse-0/evse-N pair on one level is
    // the FR.52/.53 conflict, whose handling the spec leaves open (rules §4.2).
    [0, { id: s.D0, purpose: 'TxDefault', stackLevel: 2, periods: [[0, 16]] }],
    [0, { id: s.D0s1, purpose: 'TxDefault', stackLevel: 3, periods: [[0, 14]], duration: 600 }],
    [1, { id: s.D1a, purpose: 'TxDefault', stackLevel: 0, periods: [[0, 10]] }],
    [1, { id: s.D1b, purpose: 'TxDefault', stackLevel: 1, periods: [[0, 8]], duration: 600 }],
  ];
  if (t.caps.evses >= 2) {
    s.D2 = base + 6;
    specs.push([2, { id: s.D2, purpose: 'TxDefault', stackLevel: 1, periods: [[0, 12]] }]);
  }
  if (opts.txId) {
    s.T1 = base + 7;
    specs.push([1, { id: s.T1, purpose: 'Tx', stackLevel: 1, kind: 'Relative', periods: [[0, 9]], transactionId: opts.txId }]);
  }
  if (opts.sentinel) {
    s.S = base + 8;
    specs.push([0, { id: s.S, purpose: 'Max', stackLevel: 1, periods: [[0, 40]], duration: 86400 }]);
  }
  for (const [evse, spec] of specs) await sc.install(evse, spec);
  return s;
}

// ------------------------------------------------------------------------------------------------

export const filterCases: CaseDefinition[] = [
  // ---------------------------------------------------------------- 2.0.1 GetChargingProfiles
  defineCase({
    id: 'SC-201-08',
    octtId: 'TC_K_29–36_CS',
    octt: ['TC_K_29_CS', 'TC_K_30_CS', 'TC_K_31_CS', 'TC_K_32_CS', 'TC_K_33_CS', 'TC_K_34_CS', 'TC_K_35_CS', 'TC_K_36_CS'],
    title: 'GetChargingProfiles criteria matrix: evseId × purpose, stackLevel, source, ids and their AND',
    ocpp: [...V2X],
    as: 'csms',
    requirements: ['K09.FR.01', 'K09.FR.02', 'K09.FR.04', 'K09.FR.05', 'K09.FR.06', 'rules §6.1', 'rules §6.2'],
    tags: ['filters', 'pagination'],
    needs: { maxProfiles: 7, maxStackLevel: 3 },
    async run(t) {
      const sc = new SmartCharging(t);
      const reader = new ReportReader(sc);
      const txId = await t.step('start a transaction on EVSE 1 (for a TxProfile)', () => startTransaction201(t, 1));
      const s = await t.step('install the fixed set', () => installSet201(sc, 3000, { txId }));
      const several = [s.M, s.D1a, s.D2 ?? s.D0s1, ...(s.T1 ? [s.T1] : [])];
      const criteria: [string, Payload][] = [
        ['purpose TxDefault', { chargingProfilePurpose: TXD }],
        ['purpose Max', { chargingProfilePurpose: MAX201 }],
        ['purpose TxProfile', { chargingProfilePurpose: TXP }],
        ['stackLevel 0', { stackLevel: 0 }],
        ['stackLevel 1', { stackLevel: 1 }],
        ['purpose TxDefault AND stackLevel 1', { chargingProfilePurpose: TXD, stackLevel: 1 }],
        ['purpose Max AND stackLevel 1 (nothing)', { chargingProfilePurpose: MAX201, stackLevel: 1 }],
        ['purpose TxDefault AND stackLevel 0 AND source CSO', { chargingProfilePurpose: TXD, stackLevel: 0, chargingLimitSource: ['CSO'] }],
        ['source CSO', { chargingLimitSource: ['CSO'] }],
        ['source EMS (nothing)', { chargingLimitSource: ['EMS'] }],
        ['source EMS or SO (nothing)', { chargingLimitSource: ['EMS', 'SO'] }],
        ['source CSO or EMS', { chargingLimitSource: ['EMS', 'CSO'] }],
        ['purpose TxDefault AND source EMS (nothing)', { chargingProfilePurpose: TXD, chargingLimitSource: ['EMS'] }],
        ['ids [one]', { chargingProfileId: [s.D1b] }],
        ['ids [several]', { chargingProfileId: several }],
        ['ids [unknown]', { chargingProfileId: [3999] }],
        ['ids [known, unknown]', { chargingProfileId: [s.D0, 3998] }],
      ];
      const evses: (number | undefined)[] = [undefined, 0, 1, ...(t.caps.evses >= 2 ? [2] : [])];
      for (const evseId of evses) {
        await t.step(`evseId ${evseId ?? 'absent'} × ${criteria.length} criteria`, async () => {
          for (const [name, chargingProfile] of criteria) {
            await reader.query({ evseId, chargingProfile, label: `evseId ${evseId ?? 'absent'} × ${name}` });
          }
        });
      }
      await t.step('grace period: no report after NoProfiles or after a terminal frame', () => reader.settle());
    },
  }),

  // ---------------------------------------------------------------- 2.0.1 ClearChargingProfile
  defineCase({
    id: 'SC-201-10',
    octtId: 'TC_K_05/06/07/08/24_CS',
    octt: ['TC_K_05_CS', 'TC_K_06_CS', 'TC_K_07_CS', 'TC_K_08_CS', 'TC_K_24_CS'],
    title: 'Clear matrix: by id, by criteria across EVSEs, 0-valued criteria, unknown, ExternalConstraints, empty station, id + criteria',
    ocpp: [...V2X],
    as: 'csms',
    requirements: ['K10.FR.01', 'K10.FR.03', 'K10.FR.04', 'K10.FR.06 (as cited by libocpp)', 'rules §7.2', 'rules §7.3'],
    tags: ['filters', 'clear'],
    needs: { maxProfiles: 8, maxStackLevel: 3 },
    async run(t) {
      const sc = new SmartCharging(t);
      const reader = new ReportReader(sc);
      // Profiles the station holds from other sources (e.g. a local EMS): ExternalConstraints ones must survive.
      const foreign = await t.step('profiles not set by the harness (observed)', async () => {
        const out = await reader.query({ label: 'ExternalConstraints before', chargingProfile: { chargingProfilePurpose: EXT }, observe: true });
        return out.reported.map((r) => r.profile.id as number);
      });
      const txId = await t.step('start a transaction on EVSE 1 (for a TxProfile)', () => startTransaction201(t, 1));
      const s = await t.step('install the fixed set and a sentinel (Max evse 0 stackLevel 1)', () => installSet201(sc, 3100, { txId, sentinel: true }));
      const step = async (label: string, req: Payload, rule: string, extra: { callErrorWarn?: boolean } = {}) =>
        t.step(label, async () => {
          await clearExpect(sc, req, { label, rule, ...extra });
          await reader.readBack(`${label} → read back`, rule);
        });
      await step('by id (TC_K_05_CS)', { chargingProfileId: s.D1b }, 'K10.FR.03');
      await step(`purpose TxDefault AND stackLevel 1${s.D2 ? ', spanning EVSEs 1 and 2 (TC_K_24_CS)' : ''}`, { chargingProfileCriteria: { chargingProfilePurpose: TXD, stackLevel: 1 } }, 'K10.FR.04');
      await step('evseId 0 AND purpose TxDefault (evseId 0 = station level only)', { chargingProfileCriteria: { evseId: 0, chargingProfilePurpose: TXD } }, 'K10.FR.04');
      await step('evseId 1 AND stackLevel 0', { chargingProfileCriteria: { evseId: 1, stackLevel: 0 } }, 'K10.FR.04');
      await step('unknown id → Unknown', { chargingProfileId: 3199 }, 'K10.FR.01');
      await step('purpose ExternalConstraints → never cleared, Unknown', { chargingProfileCriteria: { chargingProfilePurpose: EXT } }, 'K10.FR.06 (as cited by libocpp), rules §7.2', { callErrorWarn: true });
      await step('purpose Max AND stackLevel 2 → Unknown (AND)', { chargingProfileCriteria: { chargingProfilePurpose: MAX201, stackLevel: 2 } }, 'K10.FR.01');
      await step('stackLevel 0 alone (0 is a value, not "absent")', { chargingProfileCriteria: { stackLevel: 0 } }, 'K10.FR.04');
      await step('purpose Max AND stackLevel 0 with only stackLevel-1 profiles left (TC_K_07_CS)', { chargingProfileCriteria: { chargingProfilePurpose: MAX201, stackLevel: 0 } }, 'K10.FR.01');
      await step('evseId 0 alone', { chargingProfileCriteria: { evseId: 0 } }, 'K10.FR.04');
      await step('purpose TxProfile', { chargingProfileCriteria: { chargingProfilePurpose: TXP } }, s.T1 ? 'K10.FR.04' : 'K10.FR.01');
      await step('empty station: by id → Unknown (TC_K_08_CS)', { chargingProfileId: s.D1b }, 'K10.FR.01');
      await step('empty station: by criteria → Unknown (TC_K_08_CS)', { chargingProfileCriteria: { chargingProfilePurpose: TXD } }, 'K10.FR.01');

      await t.step('id + criteria (IMPL: which reading the station took)', async () => {
        const evseY = t.caps.evses >= 2 ? 2 : 0;
        const X = 3121;
        const Y = 3122;
        const Z = 3123;
        await sc.install(1, { id: X, purpose: 'TxDefault', stackLevel: 0, periods: [[0, 10]] });
        await sc.install(evseY, { id: Y, purpose: 'TxDefault', stackLevel: 1, periods: [[0, 12]] });
        await sc.install(0, { id: Z, purpose: 'Max', stackLevel: 0, periods: [[0, 32]], duration: 86400 });
        const req = { chargingProfileId: X, chargingProfileCriteria: { evseId: evseY, stackLevel: 1 } };
        const r = await t.call<{ status: string }>('ClearChargingProfile', req);
        const out = await reader.query({ label: 'id + criteria → read back', chargingProfile: { chargingLimitSource: ['CSO'] }, observe: true });
        const left = new Set(out.reported.map((x) => x.profile.id as number));
        const removed = [X, Y, Z].filter((id) => !left.has(id));
        const readings: [string, number[]][] = [
          ['the id wins, criteria ignored (libocpp; the reference model)', [X]],
          ['id OR criteria (ChargeLab OpenOCPP)', [X, Y]],
          ['id AND criteria', []],
          ['the criteria win, id ignored', [Y]],
        ];
        const reading = readings.find(([, ids]) => ids.length === removed.length && ids.every((id) => removed.includes(id)));
        if (reading) t.note.info(`Clear(${JSON.stringify(req)}) answered ${r.status}: ${reading[0]} (removed ${removed.join(', ') || 'nothing'})`, 'rules §7.2');
        else
          t.check.fail(`Clear(${JSON.stringify(req)}) removed ${removed.join(', ')}: profile ${Z} matches neither the id nor the criteria`, {
            rule: 'K10.FR.04, rules §7.2',
            expected: 'one of: [X], [X, Y], [], [Y]',
            actual: removed,
          });
        t.check.equal(r.status, removed.length ? 'Accepted' : 'Unknown', `Clear(id + criteria) status is consistent with what it removed (${removed.join(', ') || 'nothing'})`, { rule: 'K10.FR.01', pointer: '/status' });
        for (const id of removed) sc.mirror.clear201({ chargingProfileId: id });
        await reader.readBack('after id + criteria → read back', 'rules §7.2');
      });

      if (foreign.length) {
        await t.step('ExternalConstraints profiles survived every clear', async () => {
          const out = await reader.query({ label: 'ExternalConstraints after', chargingProfile: { chargingProfilePurpose: EXT }, observe: true });
          const now = new Set(out.reported.map((r) => r.profile.id as number));
          const gone = foreign.filter((id) => !now.has(id));
          if (gone.length) t.note.warn(`ExternalConstraints profile(s) ${gone.join(', ')} present before the clears are gone (never cleared by ClearChargingProfile; they may also have been withdrawn by their source)`, 'K10.FR.06 (as cited by libocpp)');
          else t.note.info(`ExternalConstraints profile(s) ${foreign.join(', ')} survived every clear`, 'rules §7.2');
        });
      }
      await t.step('grace period', () => reader.settle());
    },
  }),
  defineCase({
    id: 'SC-201-24',
    octtId: 'TC_K_06_CS',
    octt: ['TC_K_06_CS'],
    title: 'Clear matrix: each criterion alone and ANDed, reinstalled and read back per request',
    ocpp: [...V2X],
    as: 'csms',
    requirements: ['K10.FR.01', 'K10.FR.03', 'K10.FR.04', 'rules §7.2', 'rules §7.3'],
    tags: ['filters', 'clear'],
    needs: { maxProfiles: 6, maxStackLevel: 3 },
    async run(t) {
      const sc = new SmartCharging(t);
      const reader = new ReportReader(sc);
      const other = t.caps.evses >= 2 ? 2 : 1;
      const requests: [string, Payload, string][] = [
        ['evseId 0', { chargingProfileCriteria: { evseId: 0 } }, 'K10.FR.04'],
        ['evseId 1', { chargingProfileCriteria: { evseId: 1 } }, 'K10.FR.04'],
        ['purpose TxDefault', { chargingProfileCriteria: { chargingProfilePurpose: TXD } }, 'K10.FR.04'],
        ['purpose Max', { chargingProfileCriteria: { chargingProfilePurpose: MAX201 } }, 'K10.FR.04'],
        ['stackLevel 0', { chargingProfileCriteria: { stackLevel: 0 } }, 'K10.FR.04'],
        ['stackLevel 1', { chargingProfileCriteria: { stackLevel: 1 } }, 'K10.FR.04'],
        ['evseId 0 AND stackLevel 0', { chargingProfileCriteria: { evseId: 0, stackLevel: 0 } }, 'K10.FR.04'],
        ['evseId 1 AND purpose TxDefault', { chargingProfileCriteria: { evseId: 1, chargingProfilePurpose: TXD } }, 'K10.FR.04'],
        ['purpose TxDefault AND stackLevel 1', { chargingProfileCriteria: { chargingProfilePurpose: TXD, stackLevel: 1 } }, 'K10.FR.04'],
        ['evseId 0 AND purpose TxDefault AND stackLevel 3', { chargingProfileCriteria: { evseId: 0, chargingProfilePurpose: TXD, stackLevel: 3 } }, 'K10.FR.04'],
        [`evseId ${other} AND purpose Max (nothing)`, { chargingProfileCriteria: { evseId: other, chargingProfilePurpose: MAX201 } }, 'K10.FR.01'],
        ['purpose TxProfile (nothing)', { chargingProfileCriteria: { chargingProfilePurpose: TXP } }, 'K10.FR.01'],
        ['by id', { chargingProfileId: 3202 }, 'K10.FR.03'],
      ];
      for (const [label, req, rule] of requests) {
        await t.step(label, async () => {
          await installSet201(sc, 3200);
          await clearExpect(sc, req, { label, rule });
          await reader.readBack(`${label} → read back`, rule);
        });
      }
      await t.step('grace period', () => reader.settle());
    },
  }),

  // ---------------------------------------------------------------- 1.6 ClearChargingProfile
  defineCase({
    id: 'SC-16-11',
    octtId: 'TC_067_CS',
    octt: ['TC_067_CS'],
    title: 'Clear rounds: by id, by purpose + stackLevel 0, then everything',
    ocpp: ['1.6'],
    as: 'csms',
    requirements: ['1.6 errata 3.25', '1.6 errata 3.26'],
    tags: ['filters', 'clear'],
    needs: { maxProfiles: 3, maxStackLevel: 1, periodsPerSchedule: 3 },
    async run(t) {
      const sc = new SmartCharging(t);
      const t0 = t.now();
      const [A, B, C] = [1601, 1602, 1603];
      await t.step('install A (Max, connector 0), B (TxDefault sl1), C (TxDefault sl0)', async () => {
        await sc.install(0, { id: A, purpose: 'Max', stackLevel: 0, periods: [[0, 32]], duration: 86400, startSchedule: t0 });
        await sc.install(1, { id: B, purpose: 'TxDefault', stackLevel: 1, periods: [[0, 6], [60, 8], [200, 10]], duration: 300, startSchedule: t0 });
        await sc.install(1, { id: C, purpose: 'TxDefault', stackLevel: 0, periods: [[0, 16]], startSchedule: t0 });
        await expectComposite(sc, 1, 300, 'A', { rule: 'TC_067_CS' });
      });
      await t.step('round 1: Clear(id B)', async () => {
        await clearExpect(sc, { id: B }, { label: 'round 1', rule: '1.6 errata 3.26' });
        await expectComposite(sc, 1, 300, 'A', { rule: 'TC_067_CS round 1' });
      });
      await t.step('round 2: Clear(purpose TxDefault, stackLevel 0)', async () => {
        await clearExpect(sc, { chargingProfilePurpose: TXD, stackLevel: 0 }, { label: 'round 2', rule: '1.6 errata 3.25' });
        await expectComposite(sc, 1, 300, 'A', { rule: 'TC_067_CS round 2' });
      });
      await t.step('round 3: Clear() with no fields', async () => {
        await clearExpect(sc, {}, { label: 'round 3', rule: '1.6 errata 3.25' });
      });
      await t.step('Clear(id) probes: A, B, C all gone', () => probes16(sc, [A, B, C], 'after round 3', '1.6 errata 3.25'));
    },
  }),
  defineCase({
    id: 'SC-16-12',
    title: 'Clear: id wins over the other fields',
    ocpp: ['1.6'],
    as: 'csms',
    requirements: ['1.6 errata 3.26'],
    tags: ['filters', 'clear'],
    needs: { maxProfiles: 2, maxStackLevel: 1 },
    async run(t) {
      const sc = new SmartCharging(t);
      const X = 1611;
      const Y = 1612;
      const yConn = t.caps.evses >= 2 ? 2 : 0;
      const yLevel = Math.min(t.caps.maxStackLevel, 3);
      await t.step(`install X (TxDefault connector 1 sl0) and Y (TxDefault connector ${yConn} sl${yLevel})`, async () => {
        await sc.install(1, { id: X, purpose: 'TxDefault', stackLevel: 0, periods: [[0, 10]] });
        await sc.install(yConn, { id: Y, purpose: 'TxDefault', stackLevel: yLevel, periods: [[0, 12]] });
      });
      await t.step(`Clear(id X, connectorId ${yConn}, stackLevel ${yLevel}): fields that match Y, not X`, async () => {
        await clearExpect(sc, { id: X, connectorId: yConn, stackLevel: yLevel }, { label: 'id + other fields', rule: '1.6 errata 3.26' });
        await expectComposite(sc, 1, 300, 'A', { rule: '1.6 errata 3.26' });
      });
      await t.step('Clear(id) probes: X gone, Y kept', () => probes16(sc, [X, Y], 'after Clear(id + fields)', '1.6 errata 3.26'));
    },
  }),
  defineCase({
    id: 'SC-16-13',
    title: 'Clear: fields ANDed, connectorId 0 and stackLevel 0 honoured',
    ocpp: ['1.6'],
    as: 'csms',
    requirements: ['1.6 errata 3.25'],
    tags: ['filters', 'clear'],
    needs: { maxProfiles: 4, maxStackLevel: 1 },
    async run(t) {
      const sc = new SmartCharging(t);
      const [A, B, C, D] = [1621, 1622, 1623, 1624];
      // One thing per case (issue #11 item 8): no connector-0 TxDefault next to connector-1 TxDefaults
      // (which of them applies to connector 1 is open in 1.6, rules §3.1 / §11), and no stackLevel+purpose
      // pair on two connectors (cross-connector replacement is open, rules §4.1). D is a second
      // ChargePointMaxProfile (level 1, 12 A) instead: the read-backs below then mean the same under every
      // reading: 10 A while B runs, then min(Max, A) = 12 A while D is installed, 16 A once it is gone.
      await t.step('install A (connector 1 sl0 TxDefault), B (connector 1 sl1 TxDefault), C (connector 0 sl0 Max), D (connector 0 sl1 Max)', async () => {
        await sc.install(1, { id: A, purpose: 'TxDefault', stackLevel: 0, periods: [[0, 16]] });
        await sc.install(1, { id: B, purpose: 'TxDefault', stackLevel: 1, periods: [[0, 10]], duration: 200 });
        await sc.install(0, { id: C, purpose: 'Max', stackLevel: 0, periods: [[0, 32]], duration: 86400 });
        await sc.install(0, { id: D, purpose: 'Max', stackLevel: 1, periods: [[0, 12]] });
        await expectComposite(sc, 1, 300, 'A', { rule: '1.6 §3.13' });
      });
      await t.step('Clear(connectorId 1, stackLevel 0): only A', async () => {
        await clearExpect(sc, { connectorId: 1, stackLevel: 0 }, { label: 'connectorId 1 AND stackLevel 0', rule: '1.6 errata 3.25' });
        await expectComposite(sc, 1, 300, 'A', { rule: '1.6 errata 3.25' });
      });
      await t.step('Clear(stackLevel 0, purpose TxProfile): nothing → Unknown', () =>
        clearExpect(sc, { stackLevel: 0, chargingProfilePurpose: TXP }, { label: 'stackLevel 0 AND purpose TxProfile', rule: '1.6 errata 3.25' }),
      );
      await t.step('Clear(connectorId 0, stackLevel 1): only D (not B on connector 1, also level 1)', async () => {
        await clearExpect(sc, { connectorId: 0, stackLevel: 1 }, { label: 'connectorId 0 AND stackLevel 1', rule: '1.6 errata 3.25' });
        await expectComposite(sc, 1, 300, 'A', { rule: '1.6 errata 3.25' });
      });
      await t.step('Clear(connectorId 0, purpose ChargePointMaxProfile): only C', async () => {
        await clearExpect(sc, { connectorId: 0, chargingProfilePurpose: MAX16 }, { label: 'connectorId 0 AND purpose Max', rule: '1.6 errata 3.25' });
        await expectComposite(sc, 1, 300, 'A', { rule: '1.6 errata 3.25' });
      });
      await t.step('Clear(id) probes: B remains, A, C, D gone', () => probes16(sc, [A, B, C, D], 'after the AND clears', '1.6 errata 3.25'));
    },
  }),
  defineCase({
    id: 'SC-16-14',
    title: 'Clear on an empty Charge Point',
    ocpp: ['1.6'],
    as: 'csms',
    requirements: ['1.6 errata 3.25'],
    tags: ['filters', 'clear'],
    async run(t) {
      const sc = new SmartCharging(t);
      await t.step('Clear() with no fields: Unknown (Accepted → WARN)', () => clearExpect(sc, {}, { label: 'empty Clear()', rule: '1.6 errata 3.25', emptyAcceptedWarn: true }));
      await t.step('Clear(id never installed): Unknown', () => clearExpect(sc, { id: 1639 }, { label: 'unknown id', rule: '1.6 errata 3.25' }));
      await t.step('Clear(connectorId 1, TxDefault, stackLevel 0): Unknown', () =>
        clearExpect(sc, { connectorId: 1, chargingProfilePurpose: TXD, stackLevel: 0 }, { label: 'all fields, nothing installed', rule: '1.6 errata 3.25' }),
      );
      await t.step('Clear(connectorId 0): Unknown', () => clearExpect(sc, { connectorId: 0 }, { label: 'connectorId 0, nothing installed', rule: '1.6 errata 3.25' }));
    },
  }),
  defineCase({
    id: 'SC-16-30',
    title: 'Clear matrix: each field alone and ANDed, id with other fields, reinstalled and probed per request',
    ocpp: ['1.6'],
    as: 'csms',
    requirements: ['1.6 errata 3.25', '1.6 errata 3.26'],
    tags: ['filters', 'clear'],
    needs: { maxProfiles: 5, maxStackLevel: 1 },
    async run(t) {
      const sc = new SmartCharging(t);
      // Set-up relies on no open point (issue #11 item 8): the same stackLevel and purpose never appear on
      // two connectors (1.6 §3.13.2 replacement across connectors is open, rules §4.1), and there is no
      // connector-0 TxDefault next to connector-N ones (rules §3.1). The level-1 profile on connector 0 is
      // therefore a ChargePointMaxProfile, and connector 2's TxDefault sits on level 2 when the station has it.
      const two = t.caps.evses >= 2 && t.caps.maxStackLevel >= 2;
      const P = { c1s0: 1651, c1s1: 1652, c2s2: 1653, c0s1: 1654, max: 1655 };
      const install = async () => {
        await sc.install(1, { id: P.c1s0, purpose: 'TxDefault', stackLevel: 0, periods: [[0, 16]] });
        await sc.install(1, { id: P.c1s1, purpose: 'TxDefault', stackLevel: 1, periods: [[0, 10]], duration: 200 });
        if (two) await sc.install(2, { id: P.c2s2, purpose: 'TxDefault', stackLevel: 2, periods: [[0, 12]] });
        await sc.install(0, { id: P.c0s1, purpose: 'Max', stackLevel: 1, periods: [[0, 20]] });
        await sc.install(0, { id: P.max, purpose: 'Max', stackLevel: 0, periods: [[0, 32]], duration: 86400 });
      };
      const ids = Object.values(P).filter((id) => two || id !== P.c2s2);
      const requests: [string, Payload, string][] = [
        ['connectorId 1', { connectorId: 1 }, '1.6 errata 3.25'],
        ['connectorId 0', { connectorId: 0 }, '1.6 errata 3.25'],
        ['purpose TxDefault', { chargingProfilePurpose: TXD }, '1.6 errata 3.25'],
        ['purpose ChargePointMax', { chargingProfilePurpose: MAX16 }, '1.6 errata 3.25'],
        ['stackLevel 0', { stackLevel: 0 }, '1.6 errata 3.25'],
        ['stackLevel 1', { stackLevel: 1 }, '1.6 errata 3.25'],
        ['connectorId 1 AND purpose TxDefault', { connectorId: 1, chargingProfilePurpose: TXD }, '1.6 errata 3.25'],
        ['connectorId 0 AND stackLevel 0', { connectorId: 0, stackLevel: 0 }, '1.6 errata 3.25'],
        ['purpose TxDefault AND stackLevel 0', { chargingProfilePurpose: TXD, stackLevel: 0 }, '1.6 errata 3.25'],
        ['connectorId 1 AND purpose TxDefault AND stackLevel 1', { connectorId: 1, chargingProfilePurpose: TXD, stackLevel: 1 }, '1.6 errata 3.25'],
        ['connectorId 1 AND purpose ChargePointMax (nothing)', { connectorId: 1, chargingProfilePurpose: MAX16 }, '1.6 errata 3.25'],
        ['purpose TxProfile (nothing)', { chargingProfilePurpose: TXP }, '1.6 errata 3.25'],
        ['id with non-matching fields (id wins)', { id: P.c0s1, connectorId: 1, chargingProfilePurpose: TXP }, '1.6 errata 3.26'],
      ];
      for (const [label, req, rule] of requests) {
        await t.step(label, async () => {
          await install();
          await clearExpect(sc, req, { label, rule });
          await probes16(sc, ids, `${label} → probes`, rule);
        });
      }
    },
  }),
];

