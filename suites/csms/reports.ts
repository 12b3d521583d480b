/**
 * SC-CSMS-03 (report aggregation with tbc, pagination from the station side) and SC-CSMS-09
 * (station-initiated SmartCharging messages), 2.0.1.
 */
import { defineCase, type CaseContext, type CaseDefinition } from '../../src/scenario';
import { isV16, mustAnswer, nextRequestId, profile, readBack, request, startTransaction, station, caller, type Payload, V2X } from './lib';

interface Held {
  evseId: number;
  source: 'CSO' | 'EMS' | 'SO' | 'Other';
  profile: Payload;
}

/** 7 profiles in 4 (evseId, source) groups (catalogue SC-CSMS-03). Not installed: reported as held. */
function heldProfiles(t: CaseContext): Held[] {
  const now = t.now();
  const mk = (id: number, purpose: 'Max' | 'TxDefault' | 'External', stackLevel: number, limit: number) =>
    profile(t, { id, purpose, stackLevel, periods: [[0, limit]], startSchedule: now }, 0);
  return [
    { evseId: 0, source: 'CSO', profile: mk(9001, 'Max', 0, 32) },
    { evseId: 0, source: 'CSO', profile: mk(9002, 'TxDefault', 1, 16) },
    { evseId: 1, source: 'CSO', profile: mk(9003, 'TxDefault', 2, 10) },
    { evseId: 1, source: 'CSO', profile: mk(9004, 'TxDefault', 3, 15.2) },
    { evseId: 0, source: 'EMS', profile: mk(9005, 'External', 0, 25) },
    { evseId: 0, source: 'SO', profile: mk(9006, 'External', 1, 20) },
    { evseId: 0, source: 'SO', profile: mk(9007, 'External', 2, 0.1) },
  ];
}

type Split = { name: string; frames: (held: Held[]) => Held[][]; last: 'omitted' | 'false'; interleave?: number };

const SPLITS: Split[] = [
  { name: 'one profile per frame, last tbc omitted, StatusNotification interleaved', frames: (h) => h.map((x) => [x]), last: 'omitted', interleave: 3 },
  {
    name: 'one frame per (evseId, source) group with EVSE 1 split over two frames, last tbc false',
    frames: (h) => [h.slice(0, 2), [h[2]!], [h[3]!], [h[4]!], h.slice(5)],
    last: 'false',
    interleave: 1,
  },
];

const key = (evseId: unknown, source: unknown, id: unknown) => `${String(evseId)}/${String(source)}/${String(id)}`;

/** Profile keys in a read-back answer: the built-in AggregatedReport shape, a list, or {chargingProfile:[]}. */
function readBackKeys(body: unknown): { keys: string[]; complete?: boolean } | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Payload;
  const list = Array.isArray(body) ? (body as Payload[]) : Array.isArray(b.profiles) ? (b.profiles as Payload[]) : Array.isArray(b.chargingProfile) ? (b.chargingProfile as Payload[]) : undefined;
  if (!list) return undefined;
  const keys = list.map((e) => {
    const p = (e.chargingProfile ?? e) as Payload;
    return key(e.evseId ?? '?', e.chargingLimitSource ?? '?', p.id);
  });
  return { keys, complete: typeof b.complete === 'boolean' ? b.complete : undefined };
}

export const reportCases: CaseDefinition[] = [
  defineCase({
    id: 'SC-CSMS-03',
    // OCTT's TC_K_29..36_CSMS differ by the criteria of the request; this case's request (no evseId, tbc
    // reports for every group) is TC_K_31's. The criteria variants are SC-CSMS-20 (suites/csms/octt-k.ts).
    octt: ['TC_K_31_CSMS'],
    title: 'Report aggregation with tbc: the CSMS answers every ReportChargingProfiles and keeps the union',
    ocpp: [...V2X],
    as: 'station',
    requirements: ['K09.FR.01', 'K09.FR.03', 'rules §6.2', 'Part 4 §4.1.1'],
    tags: ['csms', 'pagination'],
    needs: { evses: 1 },
    async run(t) {
      const held = heldProfiles(t);
      for (const split of SPLITS) {
        await t.step(split.name, async () => {
          const asked = nextRequestId();
          const { call } = await request(t, 'GetChargingProfiles', { requestId: asked, chargingProfile: { chargingLimitSource: ['CSO', 'EMS', 'SO'] } }, { reply: { status: 'Accepted' } });
          // K09.FR.01: the reports carry the requestId of the CALL answered (a trigger may not pass the harness's).
          const requestId = call.payload.requestId as number;
          const frames = split.frames(held);
          for (const [i, group] of frames.entries()) {
            const last = i === frames.length - 1;
            const body: Payload = {
              requestId,
              chargingLimitSource: group[0]!.source,
              evseId: group[0]!.evseId,
              chargingProfile: group.map((g) => g.profile),
              ...(last ? (split.last === 'false' ? { tbc: false } : {}) : { tbc: true }),
            };
            const answered = await mustAnswer(t, 'ReportChargingProfiles', body, 'rules §6.2 (MUST-CSMS: answer every ReportChargingProfiles)');
            if (answered === undefined) return; // failure recorded; the station stops reporting
            t.check.equal(Object.keys(answered).filter((k) => k !== 'customData'), [], `ReportChargingProfiles frame ${i + 1} is answered with an empty CALLRESULT`, { rule: 'rules §6.2' });
            if (split.interleave === i) {
              await mustAnswer(t, 'StatusNotification', { timestamp: t.now().toISOString().replace('.000Z', 'Z'), connectorStatus: 'Available', evseId: 1, connectorId: 1 }, 'Part 4 (CSMS answers every CALL)');
            }
          }
          let back;
          try {
            back = await readBack(t, { what: 'reports', key: requestId, requestId });
          } catch (e) {
            // A hook that cannot read this (e.g. a database script for composites only) leaves the point unchecked: WARN, not ERROR.
            t.note.warn(`could not check that the CSMS holds the union of all frames: the read-back hook failed (${(e as Error).message}); it is called with {what}=reports and {key}/{requestId}=${requestId}`, 'rules §6.2');
            return;
          }
          if (!back) {
            // Could not check (issue #13 item 4): a WARN naming what would make it checkable, never a silent pass.
            t.note.warn(`could not check that the CSMS holds the union of all frames: configure triggers.readBack (placeholders {what}=reports, {requestId}) to read back the profiles it stored for request ${requestId}`, 'rules §6.2');
            return;
          }
          const got = readBackKeys(back.body);
          if (!got) {
            t.note.warn(`read-back answer not understood (expected a list of profiles or {profiles:[{evseId, chargingLimitSource, chargingProfile}]}): ${JSON.stringify(back.body)?.slice(0, 200)}`);
            return;
          }
          const expected = held.map((h) => key(h.evseId, h.source, h.profile.id)).sort();
          const actualSorted = [...got.keys].sort();
          const lenient = got.keys.every((k) => k.startsWith('?/'));
          const normal = lenient ? expected.map((k) => `?/?/${k.split('/')[2]}`).sort() : expected;
          t.check.equal(actualSorted, normal, `the CSMS holds the union of every frame of request ${requestId} (no frame overwritten)`, { rule: 'rules §6.2 / K09.FR.01' });
          if (got.complete !== undefined) t.check.ok(got.complete, `the CSMS took the last frame (tbc ${split.last}) as the end of request ${requestId}`, { rule: 'rules §6.2 (omitted tbc = false)' });
        });
      }
    },
  }),
  defineCase({
    id: 'SC-CSMS-09',
    title: 'The CSMS answers NotifyChargingLimit, ClearedChargingLimit and NotifyEVChargingNeeds validly',
    ocpp: [...V2X],
    as: 'station',
    requirements: ['K12', 'K13', 'K15', 'Part 4 (every CALL answered)'],
    tags: ['csms', 'station-initiated'],
    needs: { evses: 1 },
    async run(t) {
      if (isV16(t)) return;
      const now = t.now().toISOString().replace('.000Z', 'Z');
      await t.step('NotifyChargingLimit (EMS limit with schedule)', () =>
        mustAnswer(t, 'NotifyChargingLimit', {
          chargingLimit: { chargingLimitSource: 'EMS', isGridCritical: false },
          evseId: 1,
          chargingSchedule: [{ id: 1, startSchedule: now, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 15.2 }, { startPeriod: 600, limit: 0.1 }] }],
        }, 'K12 (NotifyChargingLimit answered)'),
      );
      await t.step('ClearedChargingLimit', () => mustAnswer(t, 'ClearedChargingLimit', { chargingLimitSource: 'EMS', evseId: 1 }, 'K13 (ClearedChargingLimit answered)'));
      const tx = await startTransaction(t, 1);
      const isTxProfile = (p: Payload) => p.evseId === 1 && (p.chargingProfile as Payload | undefined)?.chargingProfilePurpose === 'TxProfile';
      await t.step('NotifyEVChargingNeeds during the transaction', async () => {
        const since = t.received('SetChargingProfile').length;
        const asked = Date.now();
        const r = await mustAnswer<Payload>(t, 'NotifyEVChargingNeeds', {
          evseId: 1,
          chargingNeeds: { requestedEnergyTransfer: 'AC_three_phase', acChargingParameters: { energyAmount: 22000, evMinCurrent: 6, evMaxCurrent: 32, evMaxVoltage: 400 } },
        }, 'K15 (NotifyEVChargingNeeds answered)');
        if (!r) return;
        t.note.info(`NotifyEVChargingNeeds answered ${String(r.status)}`);
        if (r.status !== 'Accepted' && r.status !== 'Processing') return;
        // Issue #13 point 3: ending the transaction 7 ms after the needs made a legal reaction (its TxProfile,
        // 70 ms later) look like a K01.FR.03 failure. Wait for the reaction, bounded and event-driven, before
        // ending what it refers to; whether it must come at all is SC-CSMS-23's question (TC_K_53_CSMS).
        const waitMs = t.config.timing.callTimeoutMs;
        const reaction = t.received('SetChargingProfile').slice(since).find((c) => isTxProfile(c.payload)) ?? (await t.quietFor('SetChargingProfile', waitMs, isTxProfile));
        t.note.info(reaction ? `the CSMS reacted with a TxProfile ${reaction.at - asked} ms after NotifyEVChargingNeeds was sent` : `no TxProfile within ${waitMs} ms after NotifyEVChargingNeeds`);
      });
      await t.step('station ends the transaction', () => station(t).stopTransaction(caller(t), tx));
      // A reaction still on its way is judged by frame order (src/station/ended.ts): crossing our end is not
      // judged (WARN); sent after the CSMS answered the end, it is a K01.FR.03 failure of this case.
      await t.quietFor('SetChargingProfile', t.quietMs(), (p) => (p.chargingProfile as Payload | undefined)?.transactionId === tx.transactionId);
    },
  }),
];
