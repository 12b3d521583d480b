/**
 * SC-CSMS-01, -02, -08: what the CSMS puts into charging profiles (catalogue section D). Every request
 * is checked by the station role as it arrives (src/station/checks.ts); its findings fail the case.
 */
import { defineCase, type CaseDefinition } from '../../src/scenario';
import { ALL_VERSIONS, isV16, pid, profile, request, setPayload, startTransaction, station, caller, sleep, V2X } from './lib';
import { checkOwnTransaction } from './steps';

export const profileCases: CaseDefinition[] = [
  defineCase({
    id: 'SC-CSMS-01',
    octt: ['TC_K_01_CSMS', 'TC_K_03_CSMS', 'TC_K_10_CSMS', 'TC_K_19_CSMS', 'TC_K_60_CSMS', 'TC_K_70_CSMS', 'TC_056_CSMS', 'TC_057_CSMS'],
    title: 'Profile content rules: TxDefault, Max and TxProfile (Absolute, Relative, Recurring)',
    ocpp: [...ALL_VERSIONS],
    as: 'station',
    requirements: ['rules §8'],
    versionRequirements: { '1.6': ['1.6 §3.13'], '2.0.1': ['K01.FR.03', 'K01.FR.31', 'K01.FR.35', 'K01.FR.38', 'K01.FR.40', 'K01.FR.41', 'Part 6 §3.1'] },
    tags: ['csms', 'profiles'],
    needs: { evses: 1, maxStackLevel: 1, periodsPerSchedule: 2 },
    async run(t) {
      const now = t.now();
      const midnight = new Date(Math.floor(now.getTime() / 86_400_000) * 86_400_000);
      const items: { what: string; evse: number; p: Record<string, unknown> }[] = [
        { what: 'TxDefault Absolute on 0', evse: 0, p: profile(t, { purpose: 'TxDefault', stackLevel: 0, periods: [[0, 16], [1800, 10]], startSchedule: now, duration: 3600 }, 0) },
        // TC_K_70: Max and TxDefault have distinct ids; Max is Absolute with startSchedule.
        { what: 'Max Absolute on 0', evse: 0, p: profile(t, { purpose: 'Max', stackLevel: 0, periods: [[0, 32]], startSchedule: now }, 0) },
        { what: 'TxDefault Recurring Daily on 1', evse: 1, p: profile(t, { purpose: 'TxDefault', stackLevel: 1, kind: 'Recurring', recurrencyKind: 'Daily', periods: [[0, 10], [21600, 16]], startSchedule: midnight, duration: 86400 }, 1) },
      ];
      for (const it of items) {
        await t.step(`CSMS sends ${it.what}`, async () => {
          const { call } = await request(t, 'SetChargingProfile', setPayload(t, it.evse, it.p), { evseId: it.evse });
          t.check.ok(call.payload !== undefined, `SetChargingProfile for ${it.what} received`, { rule: t.ocpp === '1.6' ? 'rules §3.1' : 'rules §3.2' });
        });
      }
      const tx = await startTransaction(t, 1);
      await t.step('CSMS sends a Relative TxProfile for the running transaction', async () => {
        const p = profile(t, { purpose: 'Tx', stackLevel: 0, kind: 'Relative', periods: [[0, 8.1], [600, 6]], transactionId: tx.transactionId }, 1);
        const { call } = await request(t, 'SetChargingProfile', setPayload(t, 1, p), { evseId: 1 });
        checkOwnTransaction(t, call, tx);
      });
      await t.step('station ends the transaction', () => station(t).stopTransaction(caller(t), tx));
    },
  }),
  defineCase({
    id: 'SC-CSMS-02',
    title: 'Conflict avoidance: successive limit changes never duplicate stackLevel/purpose/EVSE under another id',
    ocpp: [...V2X],
    as: 'station',
    requirements: ['K01.FR.06', 'K01.FR.39', 'K01.FR.05'],
    tags: ['csms', 'profiles'],
    needs: { evses: 2, maxStackLevel: 2 },
    async run(t) {
      const now = t.now();
      const hour = 3600_000;
      for (const limit of [16, 10, 13.5]) {
        await t.step(`limit change on EVSE 2: TxDefault ${limit} A`, async () => {
          const p = profile(t, { purpose: 'TxDefault', stackLevel: 2, periods: [[0, limit]], startSchedule: now, validFrom: now, validTo: new Date(now.getTime() + hour) }, 2);
          await request(t, 'SetChargingProfile', setPayload(t, 2, p), { evseId: 2 });
        });
      }
      await t.step('a later, non-overlapping validity window at the same stackLevel', async () => {
        const from = new Date(now.getTime() + hour);
        const p = profile(t, { id: pid('TxDefault', 2, 2) + 50, purpose: 'TxDefault', stackLevel: 2, periods: [[0, 20]], startSchedule: from, validFrom: from, validTo: new Date(from.getTime() + hour) }, 2);
        await request(t, 'SetChargingProfile', setPayload(t, 2, p), { evseId: 2 });
      });
      const tx = await startTransaction(t, 2);
      for (const limit of [12, 9]) {
        await t.step(`limit change for the transaction: TxProfile ${limit} A`, async () => {
          const p = profile(t, { purpose: 'Tx', stackLevel: 1, periods: [[0, limit]], startSchedule: t.now(), transactionId: tx.transactionId }, 2);
          const { call } = await request(t, 'SetChargingProfile', setPayload(t, 2, p), { evseId: 2 });
          checkOwnTransaction(t, call, tx);
        });
      }
      await t.step('station ends the transaction', () => station(t).stopTransaction(caller(t), tx));
      await t.step('clean up EVSE 2', async () => {
        await request(t, 'ClearChargingProfile', { chargingProfileCriteria: { evseId: 2, chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 2 } }, { evseId: 2 });
      });
    },
  }),
  defineCase({
    id: 'SC-CSMS-08',
    octt: ['TC_K_37_CSMS', 'TC_059_CSMS'],
    title: 'Remote start with a charging profile',
    ocpp: [...ALL_VERSIONS],
    as: 'station',
    versionRequirements: { '1.6': ['1.6 §5.11', '1.6 errata 3.41'], '2.0.1': ['K05.FR.02', 'K05.FR.03'] },
    tags: ['csms', 'profiles'],
    needs: { evses: 1 },
    async run(t) {
      const v16 = isV16(t);
      const st = station(t);
      // Isolation (issue #13): the suite's precondition ended every transaction, so the station is free
      // and a refusal can only come from the request itself — never from a leftover of an earlier case.
      t.assert.ok(!st.transactions.some((x) => x.evseId === 1), `${v16 ? 'connector' : 'EVSE'} 1 is free before the remote start`, { rule: 'isolation (issue #13)' });
      const before = new Set(st.transactions);
      const p = profile(t, { purpose: 'Tx', stackLevel: 0, kind: 'Relative', periods: [[0, 11], [900, 7.5]] }, 1);
      const payload = v16
        ? { connectorId: 1, idTag: 'CONFORMANCE', chargingProfile: p }
        : { evseId: 1, remoteStartId: 4242, idToken: { idToken: 'CONFORMANCE', type: 'Central' }, chargingProfile: p };
      const action = v16 ? 'RemoteStartTransaction' : 'RequestStartTransaction';
      await t.step(`CSMS sends ${action} with a TxProfile`, () => request(t, action, payload, { evseId: 1 }));
      await t.step('station ends the transaction it started', async () => {
        const deadline = Date.now() + t.config.timing.callTimeoutMs;
        let tx = st.transactions.find((x) => !before.has(x));
        while (!tx && Date.now() < deadline && !t.signal.aborted) {
          await sleep(t, 50);
          tx = st.transactions.find((x) => !before.has(x));
        }
        // The free station refuses only a request it cannot take (its profile findings are recorded).
        if (!tx) return t.unmet(`the station did not start a transaction after ${action} (it refused the request's profile)`);
        await st.stopTransaction(caller(t), tx, 'Remote');
      });
    },
  }),
];
