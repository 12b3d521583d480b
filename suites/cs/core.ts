import { defineCase, type CaseDefinition } from '../../src/scenario';
import { ALL_VERSIONS, V2X } from '../lib/version';
import { SmartCharging, expectComposite } from '../lib/smartcharging';
import { getProfiles } from '../lib/reports';
import { startTx } from '../lib/transactions';
import { workedExampleB } from './composite';


export const coreCases: CaseDefinition[] = [
  defineCase({
    id: 'SC-X-02',
    title: 'Decimal-safe validation: one-decimal limits accepted',
    ocpp: [...ALL_VERSIONS],
    as: 'csms',
    requirements: ['1.6 §7.14', 'rules §8'],
    tags: ['decimals'],
    needs: { periodsPerSchedule: 4 },
    async run(t) {
      const sc = new SmartCharging(t);
      // One profile, one period per value, so every value shows in the composite and is compared.
      const limits = [0.3, 8.1, 16.7, 6];
      const periods = limits.map((limit, i) => [i * 60, limit] as const);
      await t.step(`Set TxDefault with limits ${limits.join(', ')}`, () => sc.install(1, { id: 1100, purpose: 'TxDefault', periods, duration: 600 }));
      await t.step('composite reports the values unchanged', () => expectComposite(sc, 1, 300, 'A', { rule: 'rules §8' }));
    },
  }),
  defineCase({
    id: 'SC-16-07',
    octtId: 'TC_072_CS',
    octt: ['TC_072_CS'],
    title: 'Stacking: stackLevel 1 over 0 with fall-back (worked example B)',
    ocpp: ['1.6'],
    as: 'csms',
    requirements: ['1.6 §3.13.2'],
    needs: { maxStackLevel: 1, maxProfiles: 2, periodsPerSchedule: 3 },
    async run(t) {
      await workedExampleB(new SmartCharging(t), 1201, 'TC_072_CS');
    },
  }),
  defineCase({
    id: 'SC-201-01',
    octt: ['TC_K_01_CS', 'TC_K_03_CS', 'TC_K_10_CS', 'TC_K_60_CS'],
    title: 'Set + Get round trip per purpose: TxDefault evse 1 and 0, Max evse 0, TxProfile in a transaction',
    ocpp: [...V2X],
    as: 'csms',
    requirements: ['K01.FR.01', 'K01.FR.07', 'K01.FR.14', 'K01.FR.15', 'K09.FR.01', 'K09.FR.02'],
    tags: ['roundtrip'],
    // Four profiles at once; the evse-0 TxDefault sits on level 1 so it never meets the evse-1 one on a
    // level (the FR.52/.53 conflict the spec leaves open, rules §4.2).
    needs: { features: ['remoteStart'], maxProfiles: 4, maxStackLevel: 1 },
    async run(t) {
      const sc = new SmartCharging(t);
      // Every Get asks by id only: the reported profile must equal what was sent, on its evseId, with the
      // request's requestId and a terminal (tbc false/absent) frame — getProfiles checks all of it (K09.FR.01/.02).
      const roundTrip = async (label: string, evseId: number, spec: Parameters<SmartCharging['install']>[1], id: number) => {
        await t.step(`${label}: Set`, () => sc.install(evseId, spec));
        await t.step(`${label}: Get(chargingProfileId [${id}]) reports it unchanged`, () =>
          getProfiles(sc, { chargingProfile: { chargingProfileId: [id] }, rule: 'K09.FR.02' }));
      };
      // TC_K_03_CS: TxDefaultProfile on an EVSE and on the station (evse 0).
      await roundTrip('TxDefault on evse 1', 1, { id: 2101, purpose: 'TxDefault', stackLevel: 0, periods: [[0, 10]] }, 2101);
      await roundTrip('TxDefault on evse 0', 0, { id: 2102, purpose: 'TxDefault', stackLevel: 1, periods: [[0, 12]] }, 2102);
      // TC_K_01_CS: ChargingStationMaxProfile, Absolute, on evse 0 only (K01.FR.14/.15 placement).
      await roundTrip('Max on evse 0 (Absolute)', 0, { id: 2103, purpose: 'Max', kind: 'Absolute', periods: [[0, 32]], duration: 86400 }, 2103);
      // TC_K_10_CS / TC_K_60_CS: a Relative TxProfile bound to the running transaction (K01.FR.07 evse > 0).
      const tx = await t.step('start a transaction on evse 1', () => startTx(sc, 1));
      await roundTrip('TxProfile (Relative) in the transaction', 1, { id: 2104, purpose: 'Tx', kind: 'Relative', transactionId: tx.transactionId, periods: [[0, 14]] }, 2104);
      await t.step('composite on evse 1 follows the TxProfile under the Max', () => expectComposite(sc, 1, 300, undefined, { rule: 'K08.FR.02' }));
    },
  }),
  defineCase({
    id: 'SC-201-07',
    octtId: 'TC_K_29_CS',
    octt: ['TC_K_29_CS', 'TC_K_30_CS', 'TC_K_31_CS'],
    title: 'Bulk install and GetChargingProfiles pagination with tbc',
    ocpp: [...V2X],
    as: 'csms',
    requirements: ['K09.FR.01', 'rules §6.2', 'K01.FR.01'],
    tags: ['pagination'],
    async run(t) {
      const sc = new SmartCharging(t);
      // One profile per (EVSE, stack level): station-max on EVSE 0, TxDefault on each EVSE, so no two
      // profiles share stackLevel/purpose/EVSE (K01.FR.06) and no evse-0/evse-N TxDefault pair shares a
      // level (FR.52/.53: how a station treats those is open).
      const perLevel = t.caps.evses + 1;
      const n = Math.min(t.caps.maxProfiles, 12, perLevel * (t.caps.maxStackLevel + 1));
      for (let i = 0; i < n; i++) {
        const evse = i % perLevel;
        await sc.install(evse, { id: 2000 + i, stackLevel: Math.floor(i / perLevel), purpose: evse === 0 ? 'Max' : 'TxDefault', periods: [[0, 6 + (i % 10)]], duration: 3600 + i });
      }
      await t.step('all profiles, no evseId', () => getProfiles(sc, { chargingProfile: { chargingLimitSource: ['CSO'] } }));
      // K09.FR.03 binds the harness too: a criterion in every request.
      await t.step('EVSE 1 only', () => getProfiles(sc, { evseId: 1, chargingProfile: { chargingLimitSource: ['CSO'] } }));
      await t.step('nothing matches → NoProfiles', () => getProfiles(sc, { chargingProfile: { chargingProfileId: [999999] } }));
    },
  }),
];
