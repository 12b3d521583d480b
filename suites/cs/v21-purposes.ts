/**
 * OCPP 2.1 only (issue #16): priority charging (UsePriorityCharging, NotifyPriorityCharging, the
 * PriorityCharging purpose), the LocalGeneration purpose and operationMode setpoints, harness as CSMS.
 * What each check rests on, and what stays WARN for lack of normative text: README "Priority charging,
 * new purposes, operationMode". Applicability: the station's SmartChargingCtrlr.SupportedAdditionalPurposes
 * (features 'purpose:PriorityCharging' / 'purpose:LocalGeneration'), else the case is skipped with that reason.
 */
import { defineCase, model, type CaseContext, type CaseDefinition } from '../../src/scenario';
import { SmartCharging, expectComposite, getComposite } from '../lib/smartcharging';
import { getProfiles } from '../lib/reports';
import { startTx, stopTx } from '../lib/transactions';

type Payload = Record<string, unknown>;
const V21 = ['2.1'] as const;
const PRIORITY = { features: ['purpose:PriorityCharging', 'remoteStart'] };
const DURATION = 300;

/** 2.1 schema texts the priority checks rest on. */
const ACTIVATE_RULE = '2.1 UsePriorityChargingRequest.activate / NotifyPriorityChargingRequest.activated (schema)';
const DEACTIVATE_RULE = '2.1 UsePriorityChargingRequest.activate=false ("request stopping priority charging", schema)';
const STATUS_RULE = '2.1 PriorityChargingStatusEnumType (schema)';
const NOTIFY_RULE = '2.1 NotifyPriorityChargingRequest.transactionId (schema: "The transaction for which priority charging is requested")';

/** A profile of a 2.1 purpose, built like the case profiles (unit per device, start now). */
function purposeProfile(sc: SmartCharging, id: number, purpose: 'PriorityCharging' | 'LocalGeneration', limitA: number): Payload {
  return { ...sc.profile({ id, purpose: 'TxDefault', periods: [[0, limitA]] }), chargingProfilePurpose: purpose };
}

/** Set a 2.1-purpose profile; Accepted → true. A refusal is WARN: no 2.1 SHALL to accept an advertised purpose was established. */
async function setPurpose(sc: SmartCharging, evseId: number, profile: Payload): Promise<boolean> {
  const r = await sc.set(evseId, profile);
  if (r.status === 'Accepted') return true;
  sc.t.note.warn(`${profile.chargingProfilePurpose as string} profile ${profile.id as number} on EVSE ${evseId} answered ${r.status ?? `CALLERROR ${r.errorCode}`} although the purpose is advertised; the rest is not exercised`, '2.1 SmartChargingCtrlr.SupportedAdditionalPurposes');
  return false;
}

/**
 * Which transactions the harness believes run with priority charging: its own Accepted UsePriorityCharging
 * calls, and the station's NotifyPriorityCharging frames (in the order received).
 */
class PriorityState {
  private readonly requested = new Map<string, boolean>();
  private seen = 0;
  readonly active = new Set<string>();
  /** Transactions priority charging was ever active for in this case (the rule a FAIL names). */
  readonly ever = new Set<string>();
  constructor(private readonly t: CaseContext) {}

  set(transactionId: string, on: boolean): void {
    this.requested.set(transactionId, on);
    this.apply(transactionId, on);
  }

  /**
   * Take the NotifyPriorityCharging frames received since the last sync, judging the transaction each names.
   * One naming a transaction the station ran but has ended is a late notification (a station says it
   * "stopped using the priority charging profile" when the transaction ends, or a frame of an earlier case
   * arrives during this one): not a failure, and it moves nothing. Only a transaction the station never
   * reported FAILS.
   */
  sync(): void {
    const frames = this.t.received('NotifyPriorityCharging');
    for (const f of frames.slice(this.seen)) {
      const id = f.payload.transactionId as string;
      const known = this.t.transactions.find((x) => x.transactionId === id);
      const activated = f.payload.activated === true;
      if (known?.active) this.apply(id, activated);
      else if (known) {
        const msg = `NotifyPriorityCharging (activated=${String(activated)}, frame #${f.frame.seq}) names transaction ${id}, which has ended: a late notification, not applied`;
        if (activated) this.t.note.warn(msg, NOTIFY_RULE);
        else this.t.note.info(msg, NOTIFY_RULE);
      } else this.t.check.fail(`NotifyPriorityCharging names a transaction the station never reported (${id})`, { rule: NOTIFY_RULE, pointer: '/transactionId', frameSeq: f.frame.seq, actual: id });
    }
    this.seen = frames.length;
  }

  /**
   * End of a case in which priority charging was active: NotifyPriorityCharging frames may follow the
   * transaction's end; one quiet period lets them arrive so they are judged here, not left unjudged.
   */
  async settle(): Promise<void> {
    if (this.ever.size === 0) return;
    await this.t.quietFor('NotifyPriorityCharging', this.t.quietMs());
    this.sync();
  }

  private apply(id: string, on: boolean): void {
    if (!on) {
      this.active.delete(id);
      return;
    }
    this.active.add(id);
    this.ever.add(id);
  }
}

/** The model composite for the reported window with priority charging active for `priority`. */
function modelFor(sc: SmartCharging, evseId: number, start: number, unit: 'A' | 'W', priority: readonly string[]): model.CompositeResult {
  const ctx: model.CompositeContext = { ...sc.mirror.compositeContext(sc.transactions()), installed: sc.mirror.list(), rateUnits: ['A', 'W'], priority };
  return model.compositeSchedule({ evseId, duration: DURATION, unit, start }, ctx);
}

/**
 * Composite on `evseId` judged against both readings: priority active (the PriorityCharging profile in place
 * of TxProfile/TxDefault, Max/External still capping) and inactive (the 2.0.1 composite of the other profiles).
 * Expected active and equal to the inactive one → FAIL (priority not applied); expected inactive and equal
 * to the active one → FAIL (not stopped); matching neither: WARN while priority is active (how it combines
 * with Max/External is the model's reading), FAIL while inactive (rules §5.2, nothing 2.1 is involved).
 */
async function judgePriorityComposite(sc: SmartCharging, state: PriorityState, evseId: number, tx: model.Transaction, label: string): Promise<void> {
  const t = sc.t;
  const out = await getComposite(sc, evseId, DURATION, 'A');
  state.sync();
  t.assert.equal(out.status, 'Accepted', `${label}: GetCompositeSchedule`, { pointer: '/status', rule: 'K08.FR.02' });
  if (out.scheduleStart === undefined || !out.periods || !out.unit) return;
  const on = state.active.has(tx.transactionId);
  const withPriority = modelFor(sc, evseId, out.scheduleStart, out.unit, [tx.transactionId]);
  const without = modelFor(sc, evseId, out.scheduleStart, out.unit, []);
  const duration = out.duration ?? DURATION;
  const opts = { reportedUnit: out.unit, truncateToReported: duration < DURATION };
  const vsOn = model.compareComposite(withPriority, out.periods, duration, opts);
  const vsOff = model.compareComposite(without, out.periods, duration, opts);
  const readingsDiffer = !model.compareComposite(withPriority, model.toPeriods(without, 0), DURATION).ok;
  const frameSeq = out.frameSeq;
  const at = { pointer: '/schedule/chargingSchedulePeriod', frameSeq };
  type Finding = { fail: string; rule: string } | { warn: string } | undefined;
  const judge = (): Finding => {
    if (state.active.has(tx.transactionId)) {
      if (vsOn.ok) return undefined;
      if (vsOff.ok && readingsDiffer) return { fail: `${label}: priority charging is active for ${tx.transactionId} but the composite still follows the TxProfile/TxDefault limit (${vsOn.message})`, rule: ACTIVATE_RULE };
      return { warn: `${label}: composite differs from the model reading of priority charging (PriorityCharging in place of the Tx limit, Max/External still cap): ${vsOn.message}` };
    }
    if (vsOff.ok) return undefined;
    if (vsOn.ok && readingsDiffer) {
      const stopped = state.ever.has(tx.transactionId);
      return { fail: `${label}: priority charging is ${stopped ? 'stopped' : 'not active'} for ${tx.transactionId} but the composite follows the PriorityCharging profile (${vsOff.message})`, rule: stopped ? DEACTIVATE_RULE : ACTIVATE_RULE };
    }
    return { fail: `${label}: ${vsOff.message}`, rule: 'rules §5.2' };
  };
  let finding = judge();
  // The station may have switched priority charging on or off itself and its NotifyPriorityCharging be
  // still on its way (it is sent after the fact): one quiet period for it before a failure is recorded.
  if (finding && 'fail' in finding && (await t.quietFor('NotifyPriorityCharging', t.quietMs(), (p) => p.transactionId === tx.transactionId))) {
    state.sync();
    finding = judge();
  }
  if (finding && 'fail' in finding) t.check.fail(finding.fail, { rule: finding.rule, ...at });
  else if (finding) t.note.warn(finding.warn, ACTIVATE_RULE);
}

/**
 * UsePriorityCharging; returns the status, or "CALLERROR <code>": a station may offer priority charging on
 * local request only, and no SHALL to implement UsePriorityCharging with the purpose was established, so
 * the callers WARN on it rather than fail.
 */
async function usePriority(t: CaseContext, transactionId: string, activate: boolean): Promise<string> {
  const r = await t.tryCall<Payload>('UsePriorityCharging', { transactionId, activate });
  return r.ok ? (r.payload.status as string) : `CALLERROR ${r.errorCode}`;
}

/** Transaction on EVSE 1 with Max 32→20 A on 0 and a 10 A TxProfile: the stage of the priority cases. */
async function priorityStage(sc: SmartCharging, base: number): Promise<model.Transaction> {
  const t = sc.t;
  const tx = await t.step('start a transaction on EVSE 1', () => startTx(sc, 1));
  await t.step('Max on 0: 32 A, 20 A from 120 s', () => sc.install(0, { id: base, purpose: 'Max', periods: [[0, 32], [120, 20]] }));
  await t.step('TxProfile for the transaction: 10 A', () => sc.install(1, { id: base + 1, stackLevel: 1, purpose: 'Tx', transactionId: tx.transactionId, periods: [[0, 10]] }));
  return tx;
}

export const v21PurposeCases: CaseDefinition[] = [
  defineCase({
    id: 'SC-21-10',
    title: '2.1 priority charging: UsePriorityCharging activate → composite follows the PriorityCharging profile; deactivate → back',
    ocpp: [...V21],
    as: 'csms',
    requirements: [ACTIVATE_RULE, DEACTIVATE_RULE, 'K01.FR.70'],
    tags: ['2.1', 'priority'],
    needs: PRIORITY,
    async run(t) {
      const sc = new SmartCharging(t);
      const state = new PriorityState(t);
      const tx = await priorityStage(sc, 2110);
      const ok = await t.step('PriorityCharging on EVSE 1: 24 A, no duration (K01.FR.70)', () => setPurpose(sc, 1, purposeProfile(sc, 2112, 'PriorityCharging', 24)));
      if (!ok) return;
      await t.step('composite(1): 10 A (priority not active)', () => judgePriorityComposite(sc, state, 1, tx, 'before UsePriorityCharging'));
      const on = await t.step('UsePriorityCharging activate=true', () => usePriority(t, tx.transactionId, true));
      if (on !== 'Accepted') {
        t.note.warn(`UsePriorityCharging(activate) answered ${on} with a PriorityCharging profile installed for the transaction's EVSE; the composite is not judged`, STATUS_RULE);
        return;
      }
      state.set(tx.transactionId, true);
      await t.step('composite(1): 24 A, 20 A from 120 s (PriorityCharging under Max)', () => judgePriorityComposite(sc, state, 1, tx, 'priority active'));
      const off = await t.step('UsePriorityCharging activate=false', () => usePriority(t, tx.transactionId, false));
      if (off !== 'Accepted') {
        t.note.warn(`UsePriorityCharging(activate=false) answered ${off}; the composite after it is not judged`, STATUS_RULE);
        return;
      }
      state.set(tx.transactionId, false);
      await t.step('composite(1): 10 A again', () => judgePriorityComposite(sc, state, 1, tx, 'priority stopped'));
      await t.step('stop the transaction', () => stopTx(sc, tx));
      await t.step('NotifyPriorityCharging frames after the end are judged', () => state.settle());
    },
  }),
  defineCase({
    id: 'SC-21-11',
    title: '2.1 UsePriorityCharging without a PriorityCharging profile answers NoProfile and changes nothing',
    ocpp: [...V21],
    as: 'csms',
    requirements: [STATUS_RULE],
    tags: ['2.1', 'priority'],
    needs: PRIORITY,
    async run(t) {
      const sc = new SmartCharging(t);
      const state = new PriorityState(t);
      const tx = await priorityStage(sc, 2120);
      const status = await t.step('UsePriorityCharging activate=true (no PriorityCharging profile)', () => usePriority(t, tx.transactionId, true));
      // NoProfile exists for this situation (PriorityChargingStatusEnumType); no SHALL naming it was found,
      // so another answer is a WARN. Either way nothing has a priority profile: the composite keeps 10 A.
      if (status !== 'NoProfile') t.note.warn(`UsePriorityCharging without a PriorityCharging profile answered ${status}, expected NoProfile`, STATUS_RULE);
      await t.step('composite(1): 10 A (nothing to apply)', () => judgePriorityComposite(sc, state, 1, tx, 'after UsePriorityCharging without profile'));
      await t.step('stop the transaction', () => stopTx(sc, tx));
    },
  }),
  defineCase({
    id: 'SC-21-12',
    title: '2.1 LocalGeneration profile: accepted, reported unchanged; composite WARN (combination not established)',
    ocpp: [...V21],
    as: 'csms',
    requirements: ['K09.FR.01', 'rules §6.2'],
    tags: ['2.1', 'purposes'],
    needs: { features: ['purpose:LocalGeneration'] },
    async run(t) {
      const sc = new SmartCharging(t);
      await t.step('Max on 0: 32 A', () => sc.install(0, { id: 2130, purpose: 'Max', periods: [[0, 32]] }));
      await t.step('TxDefault on 1: 10 A', () => sc.install(1, { id: 2131, purpose: 'TxDefault', periods: [[0, 10]] }));
      const ok = await t.step('LocalGeneration on 0: 6 A', () => setPurpose(sc, 0, purposeProfile(sc, 2132, 'LocalGeneration', 6)));
      if (!ok) return;
      await t.step('GetChargingProfiles(purpose LocalGeneration): exactly 2132, as sent', () => getProfiles(sc, { chargingProfile: { chargingProfilePurpose: 'LocalGeneration' } }));
      await t.step('GetChargingProfiles(evseId 0): 2130 and 2132, as sent', () => getProfiles(sc, { evseId: 0, chargingProfile: {} }));
      await t.step('composite(1): reported, not judged', async () => {
        const out = await getComposite(sc, 1, DURATION, 'A');
        t.assert.equal(out.status, 'Accepted', 'GetCompositeSchedule for EVSE 1', { pointer: '/status', rule: 'K08.FR.02' });
        const without = out.scheduleStart !== undefined && out.unit ? model.toPeriods(modelFor(sc, 1, out.scheduleStart, out.unit, []), 0).map((p) => `${p.limit}@${p.startPeriod}`).join(' ') : '?';
        const got = (out.periods ?? []).map((p) => `${p.limit ?? '-'}@${p.startPeriod}`).join(' ');
        t.note.warn(`composite with a LocalGeneration profile not judged: how LocalGeneration combines with the other limits could not be established (reported ${got}; without LocalGeneration the model gives ${without})`, '2.1 ChargingProfilePurposeEnumType LocalGeneration');
      });
    },
  }),
  defineCase({
    id: 'SC-21-13',
    title: '2.1 operationMode CentralSetpoint with setpoint and dischargeLimit: Set per support, reported unchanged, composite carries them',
    ocpp: [...V21],
    as: 'csms',
    requirements: ['2.1 ChargingSchedulePeriodType', '2.1 OperationModeEnumType', 'rules §6.2'],
    tags: ['2.1', 'operationMode'],
    async run(t) {
      const sc = new SmartCharging(t);
      const profile = sc.profile({ id: 2140, purpose: 'TxDefault', periods: [[0, 16]] });
      const schedule = (profile.chargingSchedule as Payload[])[0]!;
      schedule.chargingSchedulePeriod = [
        { startPeriod: 0, limit: sc.limit(16), operationMode: 'CentralSetpoint', setpoint: sc.limit(8), dischargeLimit: -sc.limit(4) },
        { startPeriod: 120, operationMode: 'CentralSetpoint', setpoint: -sc.limit(2) },
      ];
      const r = await t.step('TxDefault on 1, CentralSetpoint: setpoint 8 / limit 16 / dischargeLimit −4, then setpoint −2 without limit', () => sc.set(1, profile));
      if (r.status !== 'Accepted') {
        // Which operationModes a station executes depends on its V2X capabilities; no 2.1 variable advertising
        // them was established, so a refusal is not judged — but the case's subject went unchecked: a WARN,
        // never a silent pass.
        t.note.warn(`could not check setpoints: CentralSetpoint profile answered ${r.status ?? `CALLERROR ${r.errorCode}`} (the station does not take operationMode CentralSetpoint; no 2.1 variable advertising operationModes was established)`, '2.1 OperationModeEnumType');
        return;
      }
      await t.step('GetChargingProfiles(evseId 1): 2140 with its setpoints and discharge limit, as sent', () => getProfiles(sc, { evseId: 1, chargingProfile: { chargingProfileId: [2140] } }));
      // The profile is the composite's only source: every reading gives its periods as they are — mode,
      // setpoint, dischargeLimit, no limit from 120 s (model composite.ts `soleSource`). Where it met other
      // limits the composite would be a WARN naming why (how setpoints combine was not established).
      await t.step('composite(1): CentralSetpoint setpoint 8 / limit 16 / dischargeLimit −4, then setpoint −2 without limit', () => expectComposite(sc, 1, DURATION, 'A', { rule: '2.1 ChargingSchedulePeriodType' }));
    },
  }),
  defineCase({
    id: 'SC-21-14',
    title: '2.1 NotifyPriorityCharging from the station names a running transaction and the composite follows it',
    ocpp: [...V21],
    as: 'csms',
    requirements: [NOTIFY_RULE, ACTIVATE_RULE],
    tags: ['2.1', 'priority'],
    needs: PRIORITY,
    async run(t) {
      const sc = new SmartCharging(t);
      const state = new PriorityState(t);
      const tx = await priorityStage(sc, 2150);
      const ok = await t.step('PriorityCharging on EVSE 1: 24 A', () => setPurpose(sc, 1, purposeProfile(sc, 2152, 'PriorityCharging', 24)));
      if (!ok) return;
      // A station may activate priority charging on a local request (e.g. a driver's button); the harness
      // cannot cause that, so it waits one quiet period for the station's own NotifyPriorityCharging.
      // A late frame naming an ended transaction (of an earlier case) is not a local activation; any other
      // is, and is judged (sync) like every notification: one naming an unknown transaction FAILS.
      const fresh = (p: Payload) => !t.transactions.some((x) => !x.active && x.transactionId === p.transactionId);
      const notify = await t.step('wait for NotifyPriorityCharging (a local activation)', () => t.received('NotifyPriorityCharging').find((f) => fresh(f.payload)) ?? t.quietFor('NotifyPriorityCharging', t.quietMs(), fresh));
      state.sync();
      if (!notify) {
        // Local activation is the station's choice (no text requires one): not a failure, but nothing was checked.
        t.note.warn('could not check NotifyPriorityCharging: the station did not activate priority charging by itself within the quiet period', NOTIFY_RULE);
        await t.step('stop the transaction', () => stopTx(sc, tx));
        return;
      }
      await t.step('composite(1) follows the notification', () => judgePriorityComposite(sc, state, 1, tx, 'after NotifyPriorityCharging'));
      if (state.active.has(tx.transactionId)) {
        const off = await t.step('UsePriorityCharging activate=false', () => usePriority(t, tx.transactionId, false));
        if (off === 'Accepted') {
          state.set(tx.transactionId, false);
          await t.step('composite(1): 10 A again', () => judgePriorityComposite(sc, state, 1, tx, 'priority stopped'));
        } else t.note.warn(`UsePriorityCharging(activate=false) answered ${off}; the composite after it is not judged`, STATUS_RULE);
      }
      await t.step('stop the transaction', () => stopTx(sc, tx));
      await t.step('NotifyPriorityCharging frames after the end are judged', () => state.settle());
    },
  }),
];
