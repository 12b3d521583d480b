/**
 * Transaction-bound profiles (rules §3, §4, §5.1): TxProfile inside a transaction, wrong/unknown/absent
 * transaction ids, RemoteStartTransaction / RequestStartTransaction carrying a profile, and the TxProfile
 * lifetime after the transaction ends. Transactions are started with RemoteStart/RequestStart.
 */
import { defineCase, type CaseDefinition } from '../../src/scenario';
import { V2X } from '../lib/version';
import { SmartCharging, expectComposite } from '../lib/smartcharging';
import { getProfiles } from '../lib/reports';
import { ID_TAG, since, startTx, stopTx, unknownTransactionId } from '../lib/transactions';
import { verifyIds } from '../lib/clear';
import { expectRejected, judgeCallError, valid } from './rejections';
import { compositeUnchanged } from '../lib/readback16';

type Payload = Record<string, unknown>;
const REMOTE = { features: ['remoteStart'] };

export const transactionCases: CaseDefinition[] = [
  defineCase({
    id: 'SC-16-02',
    octtId: 'TC_057_CS',
    octt: ['TC_057_CS'],
    title: 'TxProfile in a transaction replaces TxDefault',
    ocpp: ['1.6'],
    as: 'csms',
    requirements: ['1.6 §3.13.3'],
    needs: { ...REMOTE, maxProfiles: 2, periodsPerSchedule: 2 },
    async run(t) {
      const sc = new SmartCharging(t);
      const tx = await t.step('start a transaction on connector 1', () => startTx(sc, 1));
      const t0 = t.now();
      await t.step('TxDefault 0 → 6 A (300 s)', () => sc.install(1, { id: 2101, purpose: 'TxDefault', periods: [[0, 6]], duration: 300, startSchedule: t0 }));
      await t.step('TxProfile txId T: 0 → 10 A, 100 → 4 A (200 s)', () =>
        sc.install(1, { id: 2102, purpose: 'Tx', transactionId: tx.transactionId, periods: [[0, 10], [100, 4]], duration: 200, startSchedule: t0 }));
      // After the TxProfile ends (200 − x) TxDefault applying again is one reading of two (rules §11, §5.3):
      // WARN there, like worked example A; the subject — TxProfile replaces TxDefault — is judged before it.
      // The model is anchored on the station's scheduleStart, which may run up to Δ + 1 s ahead of the harness
      // clock that measured x: the window opens that much earlier.
      const x = since(t0);
      const margin = t.config.timing.toleranceS + 2;
      await t.step('composite: 10, 4 @100, 6 @200 (TxProfile replaces TxDefault, not min-combined)', () => expectComposite(sc, 1, 300, 'A', { rule: 'TC_057_CS', warnFrom: 200 - x - margin, warnTo: 300 + 2 }));
    },
  }),
  defineCase({
    id: 'SC-16-03',
    octtId: 'TC_058_1_CS',
    octt: ['TC_058_1_CS'],
    title: 'TxProfile without a transaction is rejected',
    ocpp: ['1.6'],
    as: 'csms',
    requirements: ['1.6 §3.13.1'],
    async run(t) {
      const sc = new SmartCharging(t);
      await t.step('TxProfile on connector 1, transactionId 1, no transaction', () =>
        expectRejected(sc, 1, valid(sc, { id: 2111, purpose: 'Tx', transactionId: '1' }), { rule: '1.6 §3.13.1', label: 'TxProfile without a transaction' }));
      await t.step('composite unchanged', () => compositeUnchanged(sc));
      await verifyIds(sc, [2111], 'nothing installed');
    },
  }),
  defineCase({
    id: 'SC-16-04',
    octtId: 'TC_058_2_CS',
    octt: ['TC_058_2_CS'],
    title: 'TxProfile with a wrong transactionId is rejected',
    ocpp: ['1.6'],
    as: 'csms',
    requirements: ['1.6 §3.13.1', 'TC_058_2_CS'],
    needs: REMOTE,
    async run(t) {
      const sc = new SmartCharging(t);
      const tx = await t.step('start a transaction on connector 1', () => startTx(sc, 1));
      await t.step('TxProfile with another transactionId (T ± 1000, none of this run)', () =>
        expectRejected(sc, 1, valid(sc, { id: 2121, purpose: 'Tx', transactionId: unknownTransactionId(t, tx.transactionId) }), { rule: 'TC_058_2_CS', label: 'TxProfile with a wrong transactionId' }));
      await t.step('composite unchanged', () => compositeUnchanged(sc));
      await verifyIds(sc, [2121], 'nothing installed');
    },
  }),
  defineCase({
    id: 'SC-16-16',
    octtId: 'TC_059_CS',
    octt: ['TC_059_CS'],
    title: 'RemoteStart with TxProfile; same stackLevel replaces it, a higher one stacks',
    ocpp: ['1.6'],
    as: 'csms',
    requirements: ['1.6 §5.11', '1.6 errata 3.41', '1.6 errata 3.42'],
    needs: { ...REMOTE, maxStackLevel: 3 },
    async run(t) {
      const sc = new SmartCharging(t);
      const p = sc.profile({ id: 2131, stackLevel: 2, purpose: 'Tx', kind: 'Relative', periods: [[0, 16]] });
      const tx = await t.step('RemoteStartTransaction(connector 1, TxProfile sl2 without transactionId, 16 A)', () => startTx(sc, 1, p));
      await t.step('composite: 16 A', () => expectComposite(sc, 1, 300, 'A', { rule: '1.6 §5.11' }));
      await t.step('TxProfile sl2 txId T 10 A replaces the RemoteStart profile', () =>
        sc.install(1, { id: 2132, stackLevel: 2, purpose: 'Tx', transactionId: tx.transactionId, periods: [[0, 10]] }));
      await t.step('composite: 10 A', () => expectComposite(sc, 1, 300, 'A', { rule: '1.6 errata 3.42' }));
      await t.step('TxProfile sl3 txId T 6 A for 120 s stacks on it', () =>
        sc.install(1, { id: 2133, stackLevel: 3, purpose: 'Tx', transactionId: tx.transactionId, periods: [[0, 6]], duration: 120 }));
      await t.step('composite: 6 until 120 − x, then 10', () => expectComposite(sc, 1, 300, 'A', { rule: '1.6 errata 3.42' }));
      await verifyIds(sc, [2131, 2132, 2133], 'RemoteStart profile replaced, sl2 and sl3 installed');
    },
  }),
  defineCase({
    id: 'SC-16-17',
    octtId: 'TC_060_CS',
    octt: ['TC_060_CS'],
    title: 'RemoteStart with an invalid profile (TxDefault; TxProfile with transactionId) is rejected',
    ocpp: ['1.6'],
    as: 'csms',
    requirements: ['1.6 §5.11', '1.6 errata 3.41'],
    needs: REMOTE,
    async run(t) {
      const sc = new SmartCharging(t);
      const bad: [string, string, Payload][] = [
        ['(a) RemoteStart with a TxDefaultProfile', '1.6 §5.11', valid(sc, { id: 2141, purpose: 'TxDefault', kind: 'Relative' })],
        ['(b) RemoteStart with a TxProfile carrying a transactionId', '1.6 errata 3.41', valid(sc, { id: 2142, purpose: 'Tx', kind: 'Relative', transactionId: '4242' })],
      ];
      for (const [label, rule, profile] of bad) {
        await t.step(label, async () => {
          const r = await t.tryCall<Payload>('RemoteStartTransaction', { connectorId: 1, idTag: ID_TAG, chargingProfile: profile });
          if (!r.ok) return judgeCallError(t, r.errorCode ?? '', { label, rule });
          t.check.equal(r.payload.status, 'Rejected', `${label}: RemoteStartTransaction status`, { rule, pointer: '/status' });
        });
      }
      await t.step('no StartTransaction within the grace period', async () => {
        // Only a start for the harness's idTag answers the rejected requests: the station's own sessions are
        // legal and not this case's subject (issue #12 item 2).
        const ours = (p: Payload) => p.idTag === ID_TAG && p.connectorId === 1;
        // A start would be the station's reaction to our CALL: the quiet period follows its latency (issue #14).
        await t.quietFor('StartTransaction', t.quietMs(), ours);
        t.check.equal(t.received('StartTransaction').filter((c) => ours(c.payload)).length, 0, 'no transaction was started for the rejected remote starts', { rule: '1.6 §5.11' });
      });
      await verifyIds(sc, [2141, 2142], 'nothing installed');
    },
  }),
  defineCase({
    id: 'SC-16-29',
    title: 'TxProfile after its transaction ended: removed, never applied to the next transaction',
    ocpp: ['1.6'],
    as: 'csms',
    requirements: ['1.6 §3.13.1'],
    needs: REMOTE,
    async run(t) {
      const sc = new SmartCharging(t);
      await t.step('TxDefault 16 A on connector 1', () => sc.install(1, { id: 2151, purpose: 'TxDefault', periods: [[0, 16]] }));
      const tx = await t.step('transaction T on connector 1', () => startTx(sc, 1));
      await t.step('TxProfile P (txId T) 8 A', () => sc.install(1, { id: 2152, stackLevel: 1, purpose: 'Tx', transactionId: tx.transactionId, periods: [[0, 8]] }));
      await t.step('composite in T: 8 A', () => expectComposite(sc, 1, 300, 'A'));
      await t.step('stop T', () => stopTx(sc, tx));
      await t.step('new transaction T2', () => startTx(sc, 1));
      await t.step('composite in T2 follows TxDefault (16 A), not P', () => expectComposite(sc, 1, 300, 'A', { rule: '1.6 §3.13.1' }));
      await t.step('Clear(id P)', async () => {
        const r = await t.call<Payload>('ClearChargingProfile', { id: 2152 });
        if (r.status === 'Accepted') t.note.warn('TxProfile P was still installed after its transaction ended (SHOULD be removed)', '1.6 §3.13.1');
        else t.check.equal(r.status, 'Unknown', 'Clear(id P) after the transaction ended', { pointer: '/status', rule: '1.6 errata 3.25' });
      });
    },
  }),
  defineCase({
    id: 'SC-201-02',
    octtId: 'TC_K_02_CS',
    octt: ['TC_K_02_CS', 'TC_K_11_CS', 'TC_K_16_CS'],
    title: 'TxProfile rejections: no transaction, evse 0, unknown transactionId, no transactionId',
    ocpp: [...V2X],
    as: 'csms',
    requirements: ['K01.FR.03', 'K01.FR.04', 'K01.FR.09', 'K01.FR.16', 'K01.FR.33'],
    needs: REMOTE,
    async run(t) {
      const sc = new SmartCharging(t);
      await t.step('(a) no transaction, a fresh transactionId', () =>
        expectRejected(sc, 1, valid(sc, { id: 2201, purpose: 'Tx', transactionId: unknownTransactionId(t) }), { rule: 'K01.FR.09', label: 'TxProfile without a transaction' }));
      const tx = await t.step('start a transaction on evse 1', () => startTx(sc, 1));
      await t.step('(b) evseId 0 with the running transaction id', () =>
        expectRejected(sc, 0, valid(sc, { id: 2202, purpose: 'Tx', transactionId: tx.transactionId }), { rule: 'K01.FR.16', label: 'TxProfile on evse 0' }));
      await t.step('(c) unknown transactionId on evse 1', () =>
        expectRejected(sc, 1, valid(sc, { id: 2203, purpose: 'Tx', transactionId: unknownTransactionId(t) }), { rule: 'K01.FR.33', label: 'TxProfile with an unknown transactionId' }));
      await t.step('(d) TxProfile without transactionId (intentional K01.FR.03 breach)', () =>
        expectRejected(sc, 1, valid(sc, { id: 2204, purpose: 'Tx' }), { rule: 'K01.FR.03', label: 'TxProfile without transactionId', accepted: 'warn' }));
      await verifyIds(sc, [2201, 2202, 2203, 2204], 'nothing installed');
    },
  }),
  defineCase({
    id: 'SC-201-16',
    title: 'TxProfile lifetime: gone after the transaction ends',
    ocpp: [...V2X],
    as: 'csms',
    // Persistence over a reboot (K01.FR.27, TC_K_13_CS) is not checked yet: no reboot step exists.
    requirements: ['K02.FR.05'],
    needs: REMOTE,
    async run(t) {
      const sc = new SmartCharging(t);
      const tx = await t.step('start a transaction on evse 1', () => startTx(sc, 1));
      await t.step('TxProfile P (txId T)', () => sc.install(1, { id: 2211, purpose: 'Tx', transactionId: tx.transactionId, periods: [[0, 12]] }));
      await t.step('Get(id P) reports P', () => getProfiles(sc, { chargingProfile: { chargingProfileId: [2211] } }));
      await t.step('stop the transaction', () => stopTx(sc, tx));
      await t.step('Get(id P) → NoProfiles (TxProfile removed with its transaction)', () => getProfiles(sc, { chargingProfile: { chargingProfileId: [2211] } }));
    },
  }),
  defineCase({
    id: 'SC-201-18',
    octtId: 'TC_K_37_CS',
    octt: ['TC_K_37_CS'],
    title: 'RequestStartTransaction with a TxProfile: bound to the new transaction, replaceable by id',
    ocpp: [...V2X],
    as: 'csms',
    requirements: ['K05.FR.03', 'E01.FR.02', 'F01.FR.10', 'F01.FR.13', 'K01.FR.05'],
    needs: REMOTE,
    async run(t) {
      const sc = new SmartCharging(t);
      const p = sc.profile({ id: 2221, purpose: 'Tx', kind: 'Relative', periods: [[0, 14]] });
      const tx = await t.step('RequestStartTransaction(evse 1, TxProfile P without transactionId)', () => startTx(sc, 1, p));
      await t.step('Get(id P): P carries transactionId T', () => getProfiles(sc, { chargingProfile: { chargingProfileId: [2221] } }));
      await t.step('composite: 14 A', () => expectComposite(sc, 1, 300, 'A', { rule: 'K05.FR.03' }));
      await t.step('Set P again with txId T and 9 A (replaces it)', () =>
        sc.install(1, { id: 2221, purpose: 'Tx', kind: 'Relative', transactionId: tx.transactionId, periods: [[0, 9]] }));
      await t.step('Get(id P): the replacement', () => getProfiles(sc, { chargingProfile: { chargingProfileId: [2221] } }));
      await t.step('composite: 9 A', () => expectComposite(sc, 1, 300, 'A', { rule: 'K01.FR.05' }));
    },
  }),
  defineCase({
    id: 'SC-201-19',
    title: 'RequestStartTransaction with a TxDefaultProfile',
    ocpp: [...V2X],
    as: 'csms',
    requirements: ['K05.FR.02'],
    needs: REMOTE,
    async run(t) {
      const sc = new SmartCharging(t);
      const p = valid(sc, { id: 2231, purpose: 'TxDefault', kind: 'Relative' });
      const r = await t.step('RequestStartTransaction carrying a TxDefaultProfile', () =>
        t.tryCall<Payload>('RequestStartTransaction', { evseId: 1, remoteStartId: 9231, idToken: { idToken: ID_TAG, type: 'Central' }, chargingProfile: p }));
      if (!r.ok) judgeCallError(t, r.errorCode ?? '', { label: 'RequestStart with TxDefault', rule: 'K05.FR.02' });
      else if (r.payload.status === 'Accepted') t.note.warn('RequestStartTransaction with a TxDefaultProfile was Accepted (profile must be a TxProfile)', 'K05.FR.02');
      else t.check.equal(r.payload.status, 'Rejected', 'RequestStartTransaction status', { rule: 'K05.FR.02', pointer: '/status' });
      // Accepted and installed as TxDefault → FAIL: the mirror does not hold it, so a report mismatches.
      await verifyIds(sc, [2231], 'the TxDefault was not installed');
    },
  }),
  defineCase({
    id: 'SC-201-21',
    octtId: 'TC_K_28_CS',
    octt: ['TC_K_28_CS'],
    title: 'TxDefault set during an ongoing transaction applies at once',
    ocpp: [...V2X],
    as: 'csms',
    requirements: ['K01.FR.32'],
    needs: REMOTE,
    async run(t) {
      const sc = new SmartCharging(t);
      await t.step('start a transaction on evse 1', () => startTx(sc, 1));
      await t.step('TxDefault evse 1 6 A', () => sc.install(1, { id: 2241, purpose: 'TxDefault', periods: [[0, 6]] }));
      await t.step('composite: 6 A', () => expectComposite(sc, 1, 300, 'A', { rule: 'K01.FR.32' }));
    },
  }),
  defineCase({
    id: 'SC-201-28',
    title: 'RequestStartTransaction with a TxProfile that already carries a transactionId',
    ocpp: [...V2X],
    as: 'csms',
    requirements: ['K05.FR.03', 'K01.FR.03'],
    needs: REMOTE,
    async run(t) {
      const sc = new SmartCharging(t);
      const p = valid(sc, { id: 2251, purpose: 'Tx', kind: 'Relative', transactionId: 'PRESET-TRANSACTION-ID' });
      const r = await t.step('RequestStartTransaction(evse 1, TxProfile with transactionId)', () =>
        t.tryCall<Payload>('RequestStartTransaction', { evseId: 1, remoteStartId: 9251, idToken: { idToken: ID_TAG, type: 'Central' }, chargingProfile: p }));
      if (!r.ok) judgeCallError(t, r.errorCode ?? '', { label: 'RequestStart with a preset transactionId', rule: 'K05.FR.03' });
      else if (r.payload.status === 'Accepted') {
        t.note.warn('RequestStartTransaction with a TxProfile carrying a transactionId was Accepted (the station binds the profile to the transaction it starts)', 'K05.FR.03');
        const rep = await t.step('what was installed', async () => {
          const g = await t.call<Payload>('GetChargingProfiles', { requestId: sc.nextRequestId(), chargingProfile: { chargingProfileId: [2251] } });
          return g.status;
        });
        t.note.info(`GetChargingProfiles for the start profile after the lenient Accept: ${String(rep)}`);
        await t.quietFor('ReportChargingProfiles', t.quietMs());
        return;
      } else t.check.equal(r.payload.status, 'Rejected', 'RequestStartTransaction status', { rule: 'K05.FR.03', pointer: '/status' });
      await verifyIds(sc, [2251], 'nothing installed');
    },
  }),
  defineCase({
    id: 'SC-201-11',
    octt: ['TC_K_09_CS'],
    title: 'Clear TxDefault during a transaction: the composite leaves 6 A for the model (Max)',
    ocpp: [...V2X],
    as: 'csms',
    requirements: ['K10.FR.07', 'K01.FR.32', 'K10.FR.03'],
    needs: { ...REMOTE, maxProfiles: 2 },
    async run(t) {
      const sc = new SmartCharging(t);
      // OCTT TC_K_09_CS sets LimitChangeSignificance 1.0 so the change is notified; the notification traffic
      // is tolerated here and an answer other than Accepted only noted (a configuration variable, no SHALL).
      const sv = await t.step('SetVariables SmartChargingCtrlr.LimitChangeSignificance = 1.0', () =>
        t.tryCall<Payload>('SetVariables', {
          setVariableData: [{ attributeValue: '1.0', component: { name: 'SmartChargingCtrlr' }, variable: { name: 'LimitChangeSignificance' } }],
        }));
      const status = sv.ok ? String(((sv.payload.setVariableResult as Payload[] | undefined)?.[0] as Payload | undefined)?.attributeStatus) : `CALLERROR ${sv.errorCode}`;
      if (status !== 'Accepted') t.note.info(`LimitChangeSignificance not set (${status}); the case does not depend on it`, 'K10.FR.07');
      // A Max on evse 0 gives the composite a defined limit once the TxDefault is gone, so "≠ 6" is exact.
      await t.step('Max on evse 0, 32 A', () => sc.install(0, { id: 2261, purpose: 'Max', periods: [[0, 32]], duration: 86400 }));
      await t.step('start a transaction on evse 1', () => startTx(sc, 1));
      await t.step('TxDefault on evse 1, 6 A', () => sc.install(1, { id: 2262, purpose: 'TxDefault', periods: [[0, 6]] }));
      await t.step('composite on evse 1: 6 A (applies to the running transaction)', () => expectComposite(sc, 1, 300, undefined, { rule: 'K01.FR.32' }));
      await t.step('Clear(id of the TxDefault) → Accepted', async () => {
        const r = await sc.clear({ chargingProfileId: 2262 });
        t.check.equal(r, 'Accepted', 'ClearChargingProfile of the installed TxDefault', { rule: 'K10.FR.03', pointer: '/status' });
      });
      await t.step('composite on evse 1 no longer 6 A: the Max (32 A) applies', () => expectComposite(sc, 1, 300, undefined, { rule: 'K10.FR.07' }));
    },
  }),
];
