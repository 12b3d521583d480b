/**
 * The reference CSMS on an OCPP 2.1 connection (issue #16): what it adds to its 2.0.1 behaviour, and the
 * faults of the 2.1-only CSMS-side cases SC-CSMS-21-xx (suites/csms/v21.ts), one per 2.1 feature, each
 * caught by test/csms-suite/v21.test.ts.
 * - PullDynamicScheduleUpdate: answered Accepted with the scheduleUpdate of the Dynamic profile this CSMS
 *   installed (the last UpdateDynamicSchedule it sent for it, else the profile's first period), Rejected
 *   for a profile it did not install (2.1 PullDynamicScheduleUpdateResponse).
 * - NotifyPriorityCharging: answered with the empty response, the priority state recorded.
 * - Its requests (UpdateDynamicSchedule, UsePriorityCharging, SetChargingProfile) pass as asked; the
 *   faults change exactly one of them each.
 */
import type { Payload } from '../ocppj/messages';
import { CallErrorReply } from '../ocppj/errors';
import type { RpcSession } from '../transport';
import type { CsmsStationState } from '../csms';
// The fields of a period that a ChargingScheduleUpdateType carries (2.1 schema): the model's list.
import { UPDATE_FIELDS } from '../smartcharging';

export const CSMS_FAULTS_21 = {
  'pull-dynamic-callerror': '2.1: PullDynamicScheduleUpdate is answered with CALLERROR InternalError (Part 4: every CALL answered; SC-CSMS-21-01)',
  'update-dynamic-unknown-profile': '2.1: UpdateDynamicSchedule names a chargingProfileId the station was never given (the id asked + 1000; 2.1 UpdateDynamicScheduleRequest.chargingProfileId; SC-CSMS-21-02)',
  'update-dynamic-float-noise': '2.1: UpdateDynamicSchedule values carry float noise (12.5 → 12.5000000001; 2.1 Part 2 §2.1.4: at most six decimal places towards the station; SC-CSMS-21-02)',
  'priority-notify-callerror': '2.1: NotifyPriorityCharging is answered with CALLERROR InternalError (Part 4: every CALL answered; SC-CSMS-21-03; NotImplemented is the quirk no-21-handlers, a WARN)',
  'use-priority-wrong-transaction': "2.1: UsePriorityCharging names another transaction than the one asked (2.1 UsePriorityChargingRequest.transactionId; SC-CSMS-21-04)",
  'operation-mode-limit-missing': '2.1: SetChargingProfile periods lose their limit whatever the operationMode, so a ChargingOnly period has none (2.1 ChargingSchedulePeriodType.limit; SC-CSMS-21-05)',
} as const;

export type CsmsFault21 = keyof typeof CSMS_FAULTS_21;

/** Legitimate 2.1 variations of the reference CSMS (registered in CSMS_QUIRKS, `--builtin-quirk`). */
export const CSMS_QUIRKS_21 = {
  'own-dynamic-push': '2.1: pushes UpdateDynamicSchedule of its own (the values it holds) as soon as the station accepted a Dynamic profile, and before one it is asked to send; the harness must judge both and take the asked one (askedCall)',
  'pull-no-new-values': '2.1: answers PullDynamicScheduleUpdate Accepted with an empty scheduleUpdate while it has sent no UpdateDynamicSchedule for the profile (no new values; every ChargingScheduleUpdateType field is optional)',
  'no-21-handlers': '2.1: a CSMS without Dynamic profiles / priority charging: PullDynamicScheduleUpdate and NotifyPriorityCharging answered CALLERROR NotImplemented (Part 4), its API still passes the profiles through (WARN, not FAIL)',
} as const;

type Faults = { has(name: string): boolean };

/** Dynamic profiles this CSMS installed on one station, and the priority state the station reported. */
export class CsmsV21 {
  /** Dynamic profile id → the schedule update the station pulls (ChargingScheduleUpdateType). */
  readonly dynamic = new Map<number, Payload>();
  readonly priority: { transactionId: string; activated: boolean }[] = [];
  /** Dynamic profiles this CSMS has sent an UpdateDynamicSchedule for (quirk pull-no-new-values). */
  private readonly pushed = new Set<number>();

  constructor(
    private readonly session: RpcSession,
    private readonly state: CsmsStationState,
    private readonly faults: Faults,
    private readonly quirks: Faults = new Set(),
  ) {}

  install(): void {
    if (this.session.version !== '2.1') return;
    this.session.handle('PullDynamicScheduleUpdate', (p) => {
      if (this.quirks.has('no-21-handlers')) throw new CallErrorReply('NotImplemented', 'PullDynamicScheduleUpdate is not implemented');
      if (this.faults.has('pull-dynamic-callerror')) throw new CallErrorReply('InternalError', 'dynamic schedules unavailable');
      const update = this.dynamic.get(p.chargingProfileId as number);
      if (update && this.quirks.has('pull-no-new-values') && !this.pushed.has(p.chargingProfileId as number)) return { status: 'Accepted', scheduleUpdate: {} };
      if (!update) return { status: 'Rejected', statusInfo: { reasonCode: 'UnknownProfile', additionalInfo: `no Dynamic profile ${String(p.chargingProfileId)} was installed by this CSMS` } };
      return { status: 'Accepted', scheduleUpdate: update };
    });
    this.session.handle('NotifyPriorityCharging', (p) => {
      if (this.quirks.has('no-21-handlers')) throw new CallErrorReply('NotImplemented', 'NotifyPriorityCharging is not implemented');
      if (this.faults.has('priority-notify-callerror')) throw new CallErrorReply('InternalError', 'priority charging state unavailable');
      this.priority.push({ transactionId: p.transactionId as string, activated: p.activated === true });
      return {};
    });
  }

  /** Faults that change a request before it is sent (the payload is the CSMS's own copy). */
  applyRequestFaults(action: string, payload: Payload): void {
    if (this.session.version !== '2.1') return;
    if (action === 'UpdateDynamicSchedule' && this.faults.has('update-dynamic-unknown-profile')) payload.chargingProfileId = (payload.chargingProfileId as number) + 1000;
    if (action === 'UpdateDynamicSchedule' && this.faults.has('update-dynamic-float-noise')) {
      const u = payload.scheduleUpdate as Payload | undefined;
      for (const [k, v] of Object.entries(u ?? {})) if (typeof v === 'number') u![k] = v + 1e-10;
    }
    if (action === 'UsePriorityCharging' && this.faults.has('use-priority-wrong-transaction')) {
      const other = this.state.transactions.filter((t) => t.transactionId !== payload.transactionId).pop()?.transactionId;
      payload.transactionId = other ?? `${String(payload.transactionId)}-other`.slice(0, 36);
    }
    if (action === 'SetChargingProfile' && this.faults.has('operation-mode-limit-missing')) {
      for (const s of schedules(payload)) for (const period of (s.chargingSchedulePeriod as Payload[] | undefined) ?? []) if (period.operationMode !== undefined) delete period.limit;
    }
  }

  /**
   * Quirk own-dynamic-push: the CSMS's own UpdateDynamicSchedule (the values it holds) before the asked
   * one, and right after the station accepted a Dynamic profile (the race with the station's Accepted).
   */
  async beforeRequest(action: string, payload: Payload): Promise<void> {
    if (action === 'UpdateDynamicSchedule') await this.pushOwn(payload.chargingProfileId as number);
  }

  async afterAccepted(action: string, payload: Payload): Promise<void> {
    const profile = payload.chargingProfile as Payload | undefined;
    if (action === 'SetChargingProfile' && profile?.chargingProfileKind === 'Dynamic') await this.pushOwn(profile.id as number);
  }

  private async pushOwn(id: number): Promise<void> {
    const held = this.dynamic.get(id);
    if (this.session.version !== '2.1' || !this.quirks.has('own-dynamic-push') || !held) return;
    const own = { chargingProfileId: id, scheduleUpdate: { ...held } };
    const res = await this.session.call('UpdateDynamicSchedule', own).catch(() => undefined);
    if (res?.status === 'Accepted') this.accepted('UpdateDynamicSchedule', own);
  }

  /** What the station accepted: a Dynamic profile is remembered; an update replaces what the station pulls. */
  accepted(action: string, payload: Payload): void {
    if (action === 'SetChargingProfile') {
      const profile = payload.chargingProfile as Payload | undefined;
      if (profile?.chargingProfileKind !== 'Dynamic') return;
      const first = (schedules(payload)[0]?.chargingSchedulePeriod as Payload[] | undefined)?.[0] ?? {};
      this.dynamic.set(profile.id as number, Object.fromEntries(Object.entries(first).filter(([k]) => (UPDATE_FIELDS as readonly string[]).includes(k))));
    }
    if (action === 'UpdateDynamicSchedule' && this.dynamic.has(payload.chargingProfileId as number)) {
      this.dynamic.set(payload.chargingProfileId as number, payload.scheduleUpdate as Payload);
      this.pushed.add(payload.chargingProfileId as number);
    }
  }
}

function schedules(setRequest: Payload): Payload[] {
  const s = (setRequest.chargingProfile as Payload | undefined)?.chargingSchedule;
  return Array.isArray(s) ? (s as Payload[]) : [];
}
