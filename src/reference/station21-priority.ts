/**
 * OCPP 2.1 priority charging and the new purposes on the reference Charging Station (issue #16):
 * SmartChargingCtrlr.SupportedAdditionalPurposes, UsePriorityCharging, NotifyPriorityCharging, and the
 * faults/quirk that break or vary them. The composite follows the model (`CompositeContext.priority`).
 *
 * What each answer rests on (README "Priority charging, new purposes, operationMode"):
 * - UsePriorityChargingResponse.status Accepted / Rejected / NoProfile (2.1 PriorityChargingStatusEnumType):
 *   NoProfile when no PriorityCharging profile applies to the transaction's EVSE; Rejected for a
 *   transaction the station does not run (reasonCode TxNotFound, as for TxProfiles, K01.FR.09 style).
 * - NotifyPriorityChargingRequest.activated: "True if priority charging was activated. False if it has
 *   stopped using the priority charging profile" — sent when the station itself activates it.
 */
import type { Payload } from '../ocppj/messages';
import type { RpcSession } from '../transport';
import { hasPriorityProfile, UPDATE_FIELDS, type Installed, type ProfileStore, type Purpose, type Transaction } from '../smartcharging';

/** Quirk 'priority-notify-late-21': how long after the fact the station's NotifyPriorityCharging leaves. */
export const LATE_NOTIFY_MS = 150;

/** 2.1 period fields that carry setpoints and discharge limits: the updatable fields but the charging limits. */
const SETPOINT_FIELDS: readonly string[] = UPDATE_FIELDS.filter((f) => !f.startsWith('limit'));

export class PriorityCharging21 {
  /** Transactions with priority charging active. */
  private readonly active = new Set<string>();
  /** Transactions priority charging was ever active in (quirk 'priority-notify-late-21' notifies their end). */
  private readonly ever = new Set<string>();

  constructor(
    private readonly store: ProfileStore,
    private readonly transactions: readonly Transaction[],
    private readonly faults: ReadonlySet<string>,
    private readonly quirks: ReadonlySet<string>,
    private readonly log: (line: string) => void,
  ) {}

  /** UsePriorityCharging (2.1): Accepted / NoProfile / Rejected as described above. */
  onUsePriorityCharging(p: Payload): Payload {
    const transactionId = p.transactionId as string;
    const tx = this.transactions.find((x) => x.transactionId === transactionId);
    if (!tx) return { status: 'Rejected', statusInfo: { reasonCode: 'TxNotFound', additionalInfo: `no transaction ${transactionId}` } };
    if (p.activate !== true) {
      this.active.delete(transactionId);
      return { status: 'Accepted' };
    }
    if (!hasPriorityProfile(this.store.list(), tx.evseId)) {
      // Quirk 'priority-no-profile-rejected-21': Rejected instead of NoProfile (both schema-valid; a WARN).
      if (this.quirks.has('priority-no-profile-rejected-21')) return { status: 'Rejected', statusInfo: { reasonCode: 'NoProfile' } };
      return { status: 'NoProfile' };
    }
    this.active.add(transactionId);
    this.ever.add(transactionId);
    return { status: 'Accepted' };
  }

  /** Transactions the composite treats as priority charging (fault 'priority-not-applied': none). */
  activeTransactions(): string[] {
    if (this.faults.has('priority-not-applied')) return [];
    return [...this.active].filter((id) => this.transactions.some((x) => x.transactionId === id));
  }

  /**
   * Quirk 'priority-on-local-request-21': a driver asks for priority charging at the station. When a
   * PriorityCharging profile is installed on an EVSE with a running transaction, the station activates
   * priority charging itself and tells the CSMS with NotifyPriorityCharging (activated=true). Fault
   * 'notify-priority-unknown-tx': the notification names a transaction the station never ran.
   */
  afterInstall(session: RpcSession | undefined, evseId: number, installedPurpose: Purpose): void {
    const late = this.quirks.has('priority-notify-late-21');
    if (!(late || this.quirks.has('priority-on-local-request-21')) || installedPurpose !== 'PriorityCharging' || !session) return;
    const txs = this.transactions.filter((x) => evseId === 0 || x.evseId === evseId).filter((x) => !this.active.has(x.transactionId));
    for (const tx of txs) {
      this.active.add(tx.transactionId);
      this.ever.add(tx.transactionId);
      const transactionId = this.faults.has('notify-priority-unknown-tx') ? `${tx.transactionId}-x`.slice(-36) : tx.transactionId;
      // Quirk 'priority-notify-late-21': applied at once, announced LATE_NOTIFY_MS later.
      this.notifyLater(session, { transactionId, activated: true }, late);
    }
  }

  /**
   * A transaction ended (after its TransactionEvent Ended). Quirk 'priority-notify-late-21': if priority
   * charging was ever active in it, the station says it stopped using the profile (activated=false),
   * LATE_NOTIFY_MS after the end — a notification naming a transaction that has ended.
   */
  transactionEnded(session: RpcSession | undefined, transactionId: string): void {
    this.active.delete(transactionId);
    if (!this.ever.delete(transactionId) || !session || !this.quirks.has('priority-notify-late-21')) return;
    this.notifyLater(session, { transactionId, activated: false }, true);
  }

  private notifyLater(session: RpcSession, payload: Payload, late: boolean): void {
    const send = () => void session.call('NotifyPriorityCharging', payload).catch((e) => this.log(`NotifyPriorityCharging failed: ${(e as Error).message}`));
    if (late) setTimeout(send, LATE_NOTIFY_MS).unref();
    else setImmediate(send);
  }

  /**
   * What GetChargingProfiles reports, after the 2.1 faults: 'local-generation-not-reported' leaves
   * LocalGeneration profiles out; 'setpoint-dropped-in-report' strips setpoints and discharge limits.
   */
  reportView(selected: Installed[]): Installed[] {
    let out = selected;
    if (this.faults.has('local-generation-not-reported')) out = out.filter((i) => i.profile.purpose !== 'LocalGeneration');
    if (this.faults.has('setpoint-dropped-in-report')) out = out.map((i) => ({ ...i, raw: withoutSetpoints(i.raw) }));
    return out;
  }
}

/**
 * GetCompositeSchedule answer after the 2.1 faults: 'setpoint-dropped-in-composite' leaves operationMode
 * and the setpoint fields out of every composite period that has a limit (as if only the limit counted).
 */
export function compositeView21(payload: Payload, faults: ReadonlySet<string>): Payload {
  if (!faults.has('setpoint-dropped-in-composite') || payload.status !== 'Accepted') return payload;
  const schedule = payload.schedule as Payload;
  const periods = (schedule.chargingSchedulePeriod as Payload[]).map((p) =>
    p.limit === undefined ? p : Object.fromEntries(Object.entries(p).filter(([k]) => k !== 'operationMode' && !SETPOINT_FIELDS.includes(k))),
  );
  return { ...payload, schedule: { ...schedule, chargingSchedulePeriod: periods } };
}

function withoutSetpoints(raw: Record<string, unknown>): Record<string, unknown> {
  const schedules = (raw.chargingSchedule as Payload[] | undefined) ?? [];
  return {
    ...raw,
    chargingSchedule: schedules.map((s) => ({
      ...s,
      chargingSchedulePeriod: ((s.chargingSchedulePeriod as Payload[]) ?? []).map((p) => Object.fromEntries(Object.entries(p).filter(([k]) => !SETPOINT_FIELDS.includes(k)))),
    })),
  };
}
