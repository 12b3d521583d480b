/**
 * The built-in CSMS's SmartCharging reactions to station-initiated messages (2.0.1, issue #13):
 * - NotifyEVChargingNeeds: answered Accepted (K15.FR.02/.03), then a TxProfile for the transaction
 *   running on that EVSE (the SetChargingProfile of K15 / TC_K_53_CSMS step 3), sent after the answer.
 * - NotifyEVChargingSchedule: Accepted when the EV schedule stays within the CSMS's limits for that
 *   EVSE (K15.FR.11, K16.FR.06, K17.FR.11); Rejected otherwise (K15.FR.12) followed by a renegotiation,
 *   a new SetChargingProfile for the transaction (K15.FR.13, K16.FR.08).
 * - NotifyChargingLimit / ClearedChargingLimit: answered (K12, K13); the limit is recorded.
 * Faults (CSMS_FAULTS) and the late-reaction quirk change exactly one of these behaviours each.
 */
import type { Payload } from '../ocppj/messages';
import { CallErrorReply } from '../ocppj/errors';
import type { RpcSession } from '../transport';
import { csmsDefaultHandlers, type CsmsStationState } from '../csms';
import type { CsmsFault } from './faults';
import type { CsmsQuirk } from './csmsRest';

/** The TxProfile limit the CSMS last gave an EVSE's transaction: what an EV schedule is judged against. */
interface GivenLimit {
  transactionId: string;
  profileId: number;
  stackLevel: number;
  unit: string;
  maxLimit: number;
}

const LATE_MS = 500;
const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export class CsmsReactions {
  private readonly given = new Map<number, GivenLimit>();
  /** needs-reaction-after-ended: reactions held back until the transaction's Ended event is answered. */
  private readonly heldUntilEnded = new Map<string, number>();
  readonly externalLimits: Payload[] = [];

  constructor(
    private readonly session: RpcSession,
    private readonly state: CsmsStationState,
    /** CSMS_FAULTS (and the rest API's, which do not concern reactions). */
    private readonly faults: { has(name: CsmsFault): boolean },
    private readonly quirks: ReadonlySet<CsmsQuirk>,
    private readonly log: (line: string) => void,
  ) {}

  install(): void {
    // 2.1 keeps K12/K13/K15-K17 as in 2.0.1 (issue #16): the same reactions on a 2.1 connection.
    if (this.session.version === '1.6') return;
    const base = csmsDefaultHandlers(this.session.version, this.state);
    const limitAnswer = (p: Payload) => {
      if (this.faults.has('charging-limit-callerror')) throw new CallErrorReply('InternalError', 'external limits not supported');
      this.externalLimits.push(p);
      return {};
    };
    this.session.handle('NotifyChargingLimit', limitAnswer);
    this.session.handle('ClearedChargingLimit', limitAnswer);
    this.session.handle('NotifyEVChargingNeeds', (p) => this.onNeeds(p));
    this.session.handle('NotifyEVChargingSchedule', (p) => this.onEvSchedule(p));
    this.session.handle('TransactionEvent', (p, ctx) => {
      if (p.eventType === 'Updated' && this.faults.has('transaction-updated-callerror')) throw new CallErrorReply('InternalError', 'only Started and Ended are handled');
      const answer = base.TransactionEvent!(p, ctx);
      const id = (p.transactionInfo as Payload).transactionId as string;
      const evseId = this.heldUntilEnded.get(id);
      if (p.eventType === 'Ended' && evseId !== undefined) {
        this.heldUntilEnded.delete(id);
        // After the answer is on the wire: this CSMS acts on a transaction it knows has ended.
        setTimeout(() => this.sendTxProfile(evseId, id, 'late reaction'), 20);
      }
      return answer;
    });
  }

  /** A SetChargingProfile the CSMS sends (trigger or reaction): the limit it gives that EVSE's transaction. */
  sent(payload: Payload): void {
    const p = payload.chargingProfile as Payload | undefined;
    if (!p || p.chargingProfilePurpose !== 'TxProfile' || typeof payload.evseId !== 'number') return;
    const sched = (p.chargingSchedule as Payload[])[0]!;
    const limits = (sched.chargingSchedulePeriod as Payload[]).map((x) => x.limit as number);
    this.given.set(payload.evseId, {
      transactionId: String(p.transactionId),
      profileId: p.id as number,
      stackLevel: p.stackLevel as number,
      unit: sched.chargingRateUnit as string,
      maxLimit: Math.max(...limits),
    });
  }

  private onNeeds(p: Payload): Payload {
    const evseId = p.evseId as number;
    const tx = this.state.activeTransaction(evseId);
    if (!tx) return { status: 'Rejected', statusInfo: { reasonCode: 'NoTransaction', additionalInfo: `no transaction on EVSE ${evseId}` } };
    if (this.faults.has('needs-reaction-missing')) return { status: 'Accepted' };
    if (this.faults.has('needs-reaction-after-ended')) {
      this.heldUntilEnded.set(tx.transactionId, evseId);
      return { status: 'Accepted' };
    }
    const transactionId = this.faults.has('needs-reaction-wrong-transaction') ? `${tx.transactionId}-other` : tx.transactionId;
    // Sent after the answer (the CSMS has no CALL of its own in flight meanwhile: the session queues).
    setTimeout(() => this.sendTxProfile(evseId, transactionId, 'reaction to NotifyEVChargingNeeds'), this.quirks.has('late-reaction') ? LATE_MS : 0);
    return { status: 'Accepted' };
  }

  private onEvSchedule(p: Payload): Payload {
    const evseId = p.evseId as number;
    const given = this.given.get(evseId);
    const sched = p.chargingSchedule as Payload;
    const within =
      !given ||
      sched.chargingRateUnit !== given.unit ||
      (sched.chargingSchedulePeriod as Payload[]).every((x) => (x.limit as number) <= given.maxLimit);
    if (within || this.faults.has('ev-schedule-always-accepted')) return { status: 'Accepted' };
    if (!this.faults.has('no-renegotiation')) {
      // K15.FR.13 / K16: a new schedule for the same transaction, replacing the first by id.
      setTimeout(() => this.sendTxProfile(evseId, given!.transactionId, 'renegotiation'), 0);
    }
    return { status: 'Rejected', statusInfo: { reasonCode: 'LimitExceeded', additionalInfo: `EV schedule exceeds ${given!.maxLimit} ${given!.unit}` } };
  }

  private sendTxProfile(evseId: number, transactionId: string, why: string): void {
    if (!this.session.isOpen) return;
    const prior = this.given.get(evseId);
    const id = prior?.transactionId === transactionId ? prior.profileId : 9600 + evseId;
    const stackLevel = prior?.transactionId === transactionId ? prior.stackLevel : 0;
    const payload: Payload = {
      evseId,
      chargingProfile: {
        id,
        stackLevel,
        chargingProfilePurpose: 'TxProfile',
        chargingProfileKind: 'Absolute',
        transactionId,
        chargingSchedule: [{ id, startSchedule: now(), chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] }],
      },
    };
    this.log(`${this.session.identity}: ${why}: TxProfile ${id} for ${transactionId} on EVSE ${evseId}`);
    this.sent(payload);
    this.session.call('SetChargingProfile', payload).catch((e: Error) => this.log(`${this.session.identity}: ${why} failed: ${e.message}`));
  }
}
