/**
 * The reference station's OCPP 2.1 Dynamic charging profiles (use case K28, issue #16): it advertises
 * SmartChargingCtrlr.SupportsFeature[DynamicProfiles], answers UpdateDynamicSchedule from the model
 * (K28.FR.06 applied / K28.FR.11 Rejected), stamps dynUpdateTime on install and on every update
 * (K28.FR.05 / .09) and sends PullDynamicScheduleUpdate `dynUpdateInterval` s after a profile's last
 * update (K28.FR.10), applying the CSMS's scheduleUpdate like a pushed one (K28.FR.08). K28 ids as open
 * 2.1 implementations cite them (the OCA text of K28 was not available to the project).
 */
import type { Payload } from '../ocppj/messages';
import type { RpcSession } from '../transport';
import { checkScheduleUpdate, type ProfileStore, type DeviceLimits } from '../smartcharging';
import type { StationFault21, StationQuirk } from './faults';
import { CallErrorReply } from '../ocppj/errors';

/** What the module needs from the station that hosts it. */
export interface DynamicHost {
  readonly store: ProfileStore;
  hasFault(f: StationFault21): boolean;
  hasQuirk(q: StationQuirk): boolean;
  /** The open session, if any: pulls are sent only while connected. */
  session(): RpcSession | undefined;
  log(line: string): void;
}

const nowS = () => Math.floor(Date.now() / 1000);

/** Quirk 'slow-pull-21': the delay (s) before a pull, on the station's own slower period. */
export function slowPullDelayS(intervalS: number): number {
  return 3 * intervalS + 3;
}

/** Quirk 'dynamic-min-interval-21': the station's minimum dynUpdateInterval (s). */
export const MIN_DYN_UPDATE_INTERVAL_S = 10;

/**
 * Quirk 'dynamic-min-interval-21': a Dynamic profile asking for a shorter non-zero dynUpdateInterval is
 * refused with this CALLERROR (a station choosing its own minimum; no 2.1 text sets one).
 */
export function refusedInterval(quirks: ReadonlySet<string>, wire: Payload): CallErrorReply | undefined {
  const interval = wire.dynUpdateInterval;
  if (!quirks.has('dynamic-min-interval-21') || wire.chargingProfileKind !== 'Dynamic' || typeof interval !== 'number') return undefined;
  if (interval <= 0 || interval >= MIN_DYN_UPDATE_INTERVAL_S) return undefined;
  return new CallErrorReply('PropertyConstraintViolation', `dynUpdateInterval below this station's minimum of ${MIN_DYN_UPDATE_INTERVAL_S} s`);
}

export class DynamicSchedules {
  /** One pull timer per Dynamic profile with a dynUpdateInterval. */
  private readonly timers = new Map<number, NodeJS.Timeout>();
  /** The last dynUpdateInterval seen per profile id (fault 'dynamic-pull-after-clear' keeps pulling with it). */
  private readonly known = new Map<number, number>();
  private running = false;

  constructor(private readonly host: DynamicHost) {}

  /** UpdateDynamicSchedule (CSMS → station). */
  onUpdate(p: Payload): Payload {
    const id = p.chargingProfileId as number;
    const { store } = this.host;
    const check = checkScheduleUpdate(store.list(), id);
    if (check.status === 'Rejected') {
      // Fault: an update for a profile the station does not hold is answered Accepted (K28.FR.11).
      if (check.check === 'UnknownProfile' && this.host.hasFault('dynamic-update-unknown-accepted')) return { status: 'Accepted' };
      return { status: 'Rejected', statusInfo: { reasonCode: check.reasonCode, additionalInfo: check.message } };
    }
    // Fault: Accepted, but the profile keeps its values (K28.FR.06).
    if (!this.host.hasFault('dynamic-update-ignored')) store.applyScheduleUpdate(id, p.scheduleUpdate as Payload, nowS());
    // K28.FR.10: the next pull is due dynUpdateInterval after this update.
    this.arm(id);
    return { status: 'Accepted' };
  }

  /** A SetChargingProfile was Accepted: stamp dynUpdateTime (K28.FR.05) and (re)arm its pull timer. */
  installed(id: number): void {
    this.host.store.stampDynamicUpdate(id, nowS());
    this.arm(id);
  }

  /** Connected (booted): arm a pull timer for every Dynamic profile with an interval. */
  start(): void {
    this.running = true;
    for (const e of this.host.store.list()) this.arm(e.profile.id);
  }

  /** Disconnected or stopping: no timer survives (they are re-armed by `start` after the next boot). */
  stop(): void {
    this.running = false;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private intervalOf(id: number): number | undefined {
    const e = this.host.store.list().find((x) => x.profile.id === id);
    // Fault: a cleared profile is still pulled for, with its last interval.
    if (!e) return this.host.hasFault('dynamic-pull-after-clear') ? this.known.get(id) : undefined;
    if (e.profile.kind !== 'Dynamic') return undefined;
    // 2.1 ChargingProfileType.dynUpdateInterval: "A value of 0 or no value means that no update interval applies."
    const interval = e.profile.dynUpdateInterval;
    if (interval === undefined || interval <= 0) return undefined;
    this.known.set(id, interval);
    return interval;
  }

  private arm(id: number): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    const interval = this.intervalOf(id);
    // Fault: the station never pulls (K28.FR.10).
    if (!this.running || interval === undefined || this.host.hasFault('dynamic-pull-never')) return;
    // Quirk: the station pulls on its own, slower period (late, yet it pulls: a WARN in SC-21-04).
    const delayS = this.host.hasQuirk('slow-pull-21') ? slowPullDelayS(interval) : interval;
    const timer = setTimeout(() => void this.pull(id), delayS * 1000);
    timer.unref();
    this.timers.set(id, timer);
  }

  private async pull(id: number): Promise<void> {
    this.timers.delete(id);
    // Cleared or replaced by a non-Dynamic profile meanwhile: nothing to pull for.
    const session = this.host.session();
    if (this.intervalOf(id) === undefined || !session?.isOpen) return;
    try {
      // Fault: the pull names another profile id (K28.FR.10 "chargingProfileId = chargingProfile.id").
      const named = this.host.hasFault('dynamic-pull-wrong-id') ? id + 1 : id;
      const res = await session.call<Payload>('PullDynamicScheduleUpdate', { chargingProfileId: named });
      // K28.FR.08: a pulled update applies like a pushed one (fault: the answer is ignored).
      if (res.status === 'Accepted' && res.scheduleUpdate && !this.host.hasFault('dynamic-pull-ignored') && this.intervalOf(id) !== undefined) {
        this.host.store.applyScheduleUpdate(id, res.scheduleUpdate as Payload, nowS());
      }
    } catch (e) {
      this.host.log(`PullDynamicScheduleUpdate failed: ${(e as Error).message}`);
    }
    // The next pull: a rejected or empty answer is no update, yet the reference station does not pull in a
    // loop; it asks again one interval later.
    if (!this.timers.has(id)) this.arm(id);
  }
}
