/**
 * OCPP 2.1-only CSMS-side cases (issue #16, SC-CSMS-21-xx): the harness is a 2.1 Charging Station that
 * advertises Dynamic profiles, the PriorityCharging / LocalGeneration purposes and every operationMode
 * (src/station/v21.ts), and drives the CSMS to the messages 2.1 adds. What each check rests on is the
 * field definition of the OCA 2.1 schemas (schemas/ocpp2.1) unless named otherwise; where no normative
 * text was found the check is a WARN saying so. The station role checks every CSMS request as it arrives
 * (UpdateDynamicSchedule / UsePriorityCharging targets, limit by operationMode, six decimals).
 */
import { isDeepStrictEqual } from 'node:util';
import { defineCase, type CaseContext, type CaseDefinition } from '../../src/scenario';
import type { Transaction } from '../../src/smartcharging';
import { checkDecimals21 } from '../../src/station';
import { mustAnswer, request, setPayload, settled, startTransaction, station, type Payload } from './lib';

const V21 = ['2.1'] as const;
/** Part 4: the CSMS answers every CALL the station sends with a CALLRESULT (a CALLERROR is a failure here). */
const ANSWERED = 'Part 4 §4.2 (every CALL answered)';
/** Why a NotImplemented answer to a 2.1 station message is a WARN (mustAnswer `optional`). */
const OPTIONAL_21 = 'no 2.1 text found that makes a CSMS implement Dynamic profiles or priority charging';

const iso = (t: CaseContext, offsetS = 0) => new Date(Math.floor(t.now().getTime() / 1000) * 1000 + offsetS * 1000).toISOString().replace('.000Z', 'Z');

/** A limit in the device's first unit: `amps` A, or its three-phase equivalent in W (230 V). */
function limitIn(t: CaseContext, amps: number): { unit: 'A' | 'W'; limit: number } {
  const unit = station(t).limits.rateUnits[0] ?? 'A';
  return { unit, limit: unit === 'A' ? amps : Math.round(amps * 230 * 3) };
}

/** A 2.1 wire charging profile (one schedule, a fresh schedule id; issue #13 item 5). */
function profile21(t: CaseContext, p: { id: number; purpose: string; kind?: string; stackLevel?: number; periods: Payload[]; unit: 'A' | 'W'; transactionId?: string; extra?: Payload }): Payload {
  return {
    id: p.id,
    stackLevel: p.stackLevel ?? 0,
    chargingProfilePurpose: p.purpose,
    chargingProfileKind: p.kind ?? 'Absolute',
    ...(p.transactionId ? { transactionId: p.transactionId } : {}),
    ...(p.extra ?? {}),
    chargingSchedule: [{ id: station(t).nextScheduleId(), startSchedule: iso(t), chargingRateUnit: p.unit, chargingSchedulePeriod: p.periods }],
  };
}

/**
 * Trigger a SetChargingProfile (its content is judged by the station role as it arrives) and return the id
 * of the profile the station now holds: the id the CSMS sent, which may differ from the one asked for (a
 * CSMS may number profiles itself). undefined when the station did not take it (the role's findings say
 * why, or the station's limits did not allow it): the steps that need it cannot be judged (WARN).
 */
async function install(t: CaseContext, evseId: number, wire: Payload, what: string): Promise<number | undefined> {
  let id: number | undefined;
  await t.step(`the CSMS installs ${what} (SetChargingProfile, trigger)`, async () => {
    const { call, done } = await request(t, 'SetChargingProfile', setPayload(t, evseId, wire), { evseId });
    await settled(t, done, t.config.timing.callTimeoutMs);
    const sent = (call.payload.chargingProfile as Payload | undefined)?.id;
    if (station(t).store.list().some((i) => i.profile.id === sent)) id = sent as number;
    else t.note.warn(`the station does not hold ${what} the CSMS sent (id ${String(sent)}); the steps that need it are not judged`, '2.1 SetChargingProfileRequest');
  });
  return id;
}

const DYNAMIC_ID = 7810;
const PRIORITY_ID = 7820;

function dynamicProfile(t: CaseContext, amps: number): Payload {
  const { unit, limit } = limitIn(t, amps);
  // 2.1 ChargingProfileType.dynUpdateInterval: seconds between the station's PullDynamicScheduleUpdate requests.
  return profile21(t, { id: DYNAMIC_ID, purpose: 'TxDefaultProfile', kind: 'Dynamic', stackLevel: 1, unit, periods: [{ startPeriod: 0, limit }], extra: { dynUpdateInterval: 60 } });
}

async function priorityProfile(t: CaseContext, evseId: number): Promise<void> {
  const { unit, limit } = limitIn(t, 32);
  await install(t, evseId, profile21(t, { id: PRIORITY_ID, purpose: 'PriorityCharging', stackLevel: 0, unit, periods: [{ startPeriod: 0, limit }] }), 'a PriorityCharging profile');
}

export const v21Cases: CaseDefinition[] = [
  defineCase({
    id: 'SC-CSMS-21-01',
    title: 'Dynamic profile: the station pulls its schedule update (PullDynamicScheduleUpdate answered Accepted with scheduleUpdate)',
    ocpp: [...V21],
    as: 'station',
    requirements: ['2.1 PullDynamicScheduleUpdateResponse', '2.1 ChargingProfileType.dynUpdateInterval', '2.1 Part 2 §2.1.4', ANSWERED],
    tags: ['csms', 'v21', 'dynamic'],
    needs: { evses: 1 },
    async run(t) {
      const id = await install(t, 1, dynamicProfile(t, 16), 'a Dynamic TxDefaultProfile');
      if (id === undefined) return;
      await t.step('the station sends PullDynamicScheduleUpdate for it', async () => {
        const res = await mustAnswer<Payload>(t, 'PullDynamicScheduleUpdate', { chargingProfileId: id }, `${ANSWERED}; 2.1 PullDynamicScheduleUpdate`, { optional: OPTIONAL_21 });
        if (!res) return;
        // No FR text was found that makes Accepted mandatory for a profile the CSMS installed: WARN otherwise.
        if (res.status !== 'Accepted') {
          t.note.warn(`the CSMS answered PullDynamicScheduleUpdate for its own Dynamic profile ${id} with ${String(res.status)}; no normative text found requiring Accepted (not judged)`, '2.1 PullDynamicScheduleUpdateResponse.status');
          return;
        }
        const update = res.scheduleUpdate as Payload | undefined;
        if (!update) {
          t.note.warn('Accepted without scheduleUpdate: the station has nothing to apply (the schema leaves scheduleUpdate optional; not judged)', '2.1 PullDynamicScheduleUpdateResponse.scheduleUpdate');
          return;
        }
        const decimals = checkDecimals21(update, '/scheduleUpdate');
        for (const f of decimals) t.check.fail(f.message, { rule: f.rule, pointer: f.pointer, actual: f.actual });
        // Every ChargingScheduleUpdateType field is optional (2.1 schema): an empty update breaks no text found.
        if (!Object.keys(update).some((k) => k !== 'customData')) t.note.warn('Accepted with an empty scheduleUpdate: no values for the station to apply (every field is optional in the 2.1 schema; not judged)', '2.1 ChargingScheduleUpdateType');
        else t.note.info(`the scheduleUpdate carries ${Object.keys(update).join(', ')}`);
      });
    },
  }),
  defineCase({
    id: 'SC-CSMS-21-02',
    title: 'Dynamic profile: the CSMS updates it (UpdateDynamicSchedule names the Dynamic profile it installed)',
    ocpp: [...V21],
    as: 'station',
    requirements: ['2.1 UpdateDynamicScheduleRequest.chargingProfileId', '2.1 Part 2 §2.1.4'],
    tags: ['csms', 'v21', 'dynamic'],
    needs: { evses: 1 },
    async run(t) {
      const id = await install(t, 1, dynamicProfile(t, 16), 'a Dynamic TxDefaultProfile');
      if (id === undefined) return;
      const { limit } = limitIn(t, 12.5);
      let sent: Payload | undefined;
      await t.step('the CSMS sends UpdateDynamicSchedule (trigger)', async () => {
        // The request is judged by the station role as it arrives (profile held and Dynamic; six decimals).
        // Only `limit`: the profile's period is ChargingOnly, for which the 2.1 table of limits and setpoints
        // per operationMode (as libocpp encodes it) allows no setpoint; asking for one could make a CSMS refuse.
        const { call, done } = await request(t, 'UpdateDynamicSchedule', { chargingProfileId: id, scheduleUpdate: { limit } });
        await settled(t, done, t.config.timing.callTimeoutMs);
        // Judged on the CALL the case asked for, not on any update the CSMS pushed on its own meanwhile.
        const taken = station(t).dynamicUpdates.find((u) => u.chargingProfileId === call.payload.chargingProfileId && isDeepStrictEqual(u.scheduleUpdate, call.payload.scheduleUpdate));
        // Whether the CALL was right is the station role's verdict (its findings); here only whether there is
        // an update to compare the next pull with.
        if (taken) sent = taken.scheduleUpdate;
        else t.note.warn(`the station did not take the UpdateDynamicSchedule for profile ${String(call.payload.chargingProfileId)} (the findings above say why); the pull that follows is not compared`, '2.1 UpdateDynamicScheduleResponse');
      });
      await t.step('the station pulls the schedule again: the CSMS answers with what it last sent', async () => {
        const res = await mustAnswer<Payload>(t, 'PullDynamicScheduleUpdate', { chargingProfileId: id }, `${ANSWERED}; 2.1 PullDynamicScheduleUpdate`, { optional: OPTIONAL_21 });
        const got = res?.scheduleUpdate as Payload | undefined;
        // The answer's values are judged whatever happened to the update (Part 2 §2.1.4 binds every decimal sent).
        if (got) for (const f of checkDecimals21(got, '/scheduleUpdate')) t.check.fail(f.message, { rule: f.rule, pointer: f.pointer, actual: f.actual });
        if (!res || !sent) return;
        // One schedule, two ways to deliver it: no text found that ties the pull answer to the last push.
        if (res.status !== 'Accepted' || !isDeepStrictEqual(got, sent)) {
          t.note.warn(`the pull after UpdateDynamicSchedule answered ${String(res.status)} ${JSON.stringify(got ?? null)}, not the update just sent ${JSON.stringify(sent)}; no normative text found (not judged)`, '2.1 PullDynamicScheduleUpdateResponse.scheduleUpdate');
        } else {
          t.note.info('the pull after UpdateDynamicSchedule returned the update just sent');
        }
      });
    },
  }),
  defineCase({
    id: 'SC-CSMS-21-03',
    title: 'Priority charging: the station reports it for an ongoing transaction (NotifyPriorityCharging answered)',
    ocpp: [...V21],
    as: 'station',
    requirements: ['2.1 NotifyPriorityChargingRequest', ANSWERED],
    tags: ['csms', 'v21', 'priority'],
    needs: { evses: 1 },
    async run(t) {
      const tx = await startTransaction(t, 1);
      await priorityProfile(t, tx.evseId);
      for (const activated of [true, false]) {
        await t.step(`the station sends NotifyPriorityCharging activated=${activated}`, async () => {
          // A CALLERROR or no answer is the failure; the empty response's schema is checked by the session.
          await mustAnswer(t, 'NotifyPriorityCharging', { transactionId: tx.transactionId, activated }, `${ANSWERED}; 2.1 NotifyPriorityCharging`, { optional: OPTIONAL_21 });
        });
      }
    },
  }),
  defineCase({
    id: 'SC-CSMS-21-04',
    title: 'Priority charging: the CSMS requests it (UsePriorityCharging names the ongoing transaction)',
    ocpp: [...V21],
    as: 'station',
    requirements: ['2.1 UsePriorityChargingRequest.transactionId'],
    tags: ['csms', 'v21', 'priority'],
    needs: { evses: 1 },
    async run(t) {
      const tx: Transaction = await startTransaction(t, 1);
      await priorityProfile(t, tx.evseId);
      for (const activate of [true, false]) {
        await t.step(`the CSMS sends UsePriorityCharging activate=${activate} (trigger)`, async () => {
          // The station role judges the transactionId against the running transactions as the CALL arrives.
          const { done } = await request(t, 'UsePriorityCharging', { transactionId: tx.transactionId, activate }, { evseId: tx.evseId });
          await settled(t, done, t.config.timing.callTimeoutMs);
        });
      }
    },
  }),
  defineCase({
    id: 'SC-CSMS-21-05',
    title: 'operationMode and setpoints in SetChargingProfile: limit where the mode needs it, at most six decimals; a LocalGeneration profile',
    ocpp: [...V21],
    as: 'station',
    requirements: ['2.1 ChargingSchedulePeriodType.limit', '2.1 ChargingSchedulePeriodType.operationMode', '2.1 Part 2 §2.1.4', '2.1 SmartChargingCtrlr.SupportedAdditionalPurposes'],
    tags: ['csms', 'v21', 'operation-mode'],
    needs: { evses: 1 },
    async run(t) {
      const a16 = limitIn(t, 16);
      const a10 = limitIn(t, 10.25);
      const setpoint = a16.unit === 'A' ? 7.123456 : 4915.123456;
      // CentralSetpoint with a limit (overshoot bound), ChargingOnly (needs a limit), ExternalLimits (limit optional).
      const periods: Payload[] = [
        { startPeriod: 0, operationMode: 'CentralSetpoint', setpoint, limit: a16.limit },
        { startPeriod: 900, operationMode: 'ChargingOnly', limit: a10.limit },
        { startPeriod: 1800, operationMode: 'ExternalLimits' },
      ];
      await install(t, 1, profile21(t, { id: 7830, purpose: 'TxDefaultProfile', stackLevel: 2, unit: a16.unit, periods }), 'a TxDefaultProfile with CentralSetpoint / ChargingOnly / ExternalLimits periods');
      // The station role has judged the request: a period whose mode needs a limit and has none is a FAIL.
      await install(t, 0, profile21(t, { id: 7840, purpose: 'LocalGeneration', stackLevel: 0, unit: a16.unit, periods: [{ startPeriod: 0, limit: a16.limit }] }), 'a LocalGeneration profile (an advertised 2.1 purpose)');
    },
  }),
];
