/**
 * The installed-profile set of one simulated/observed station, with the acceptance rules applied
 * atomically: a rejected Set changes nothing (SC-X-05: "a rejected request was not executed").
 */
import { clear16, clear201 } from './clear';
import type { CompositeContext } from './composite';
import type { Clear16Request, Clear201Request } from './clear';
import { checkInstall, replacedBy, transactionOn } from './install-rules';
import { applyScheduleUpdateTo, checkScheduleUpdate } from './dynamic';
import type { ScheduleUpdate, ScheduleUpdateOutcome } from './dynamic';
import { deepCopy } from './profile';
import type { ChargingLimitSource, ModelVersion, Profile } from './profile';
import { selectProfiles } from './select';
import type { SelectRequest } from './select';
import type { DeviceLimits, InstallOutcome, Installed, Transaction } from './types';

export class ProfileStore {
  readonly version: ModelVersion;
  readonly limits: DeviceLimits;
  private entries: Installed[] = [];

  constructor(version: ModelVersion, limits: DeviceLimits) {
    this.version = version;
    this.limits = deepCopy(limits);
  }

  /** Check only, no change. evseId = 1.6 connectorId or 2.0.1 evseId. */
  check(evseId: number, profile: Profile, transactions: readonly Transaction[], source: ChargingLimitSource = 'CSO'): InstallOutcome {
    return checkInstall(
      { version: this.version, limits: this.limits, installed: this.entries, transactions, source },
      evseId,
      profile,
    );
  }

  /**
   * Atomic: a rejected install changes nothing (SC-X-05). Same id replaces (K01.FR.05 — across
   * EVSEs/purposes in 2.0.1; 1.6 also same stackLevel+purpose on the same connector, 1.6 §3.13.2).
   * A 1.6 TxProfile without transactionId is bound to the transaction running on its connector, so that
   * it ends with that transaction (1.6 §3.13.1) and never applies to a later one (SC-16-29).
   */
  install(
    evseId: number,
    profile: Profile,
    raw: Record<string, unknown>,
    transactions: readonly Transaction[],
    source: ChargingLimitSource = 'CSO',
  ): InstallOutcome {
    const outcome = this.check(evseId, profile, transactions, source);
    if (outcome.status !== 'Accepted') return outcome;
    const stored = deepCopy(profile);
    if (stored.purpose === 'TxProfile' && stored.transactionId === undefined) {
      stored.transactionId = transactionOn(transactions, evseId)?.transactionId;
      if (stored.transactionId === undefined) delete stored.transactionId;
    }
    this.put(evseId, stored, raw, source);
    return outcome;
  }

  /**
   * Profile carried by RemoteStartTransaction (1.6 §5.11, errata 3.41) / RequestStartTransaction (2.0.1
   * K05): must be a TxProfile without transactionId; it is stored unbound until `startTransaction`
   * binds it to the transaction the request started (K05.FR.03; errata 3.42 for later replacement).
   */
  installRemoteStart(evseId: number, profile: Profile, raw: Record<string, unknown>): InstallOutcome {
    const outcome = checkInstall(
      { version: this.version, limits: this.limits, installed: this.entries, transactions: [], source: 'CSO', remoteStart: true },
      evseId,
      profile,
    );
    if (outcome.status === 'Accepted') this.put(evseId, deepCopy(profile), raw, 'CSO');
    return outcome;
  }

  /**
   * Install without any check. Only for fault injection in the reference station (mutation
   * self-test): a conforming station never does this.
   */
  forceInstall(evseId: number, profile: Profile, raw: Record<string, unknown>, source: ChargingLimitSource = 'CSO'): void {
    this.put(evseId, deepCopy(profile), raw, source);
  }

  /** Put entries back without any check or replacement. Only for fault injection (mutation self-test). */
  forceKeep(entries: readonly Installed[]): void {
    for (const e of entries) this.entries.push({ ...e, profile: deepCopy(e.profile), raw: deepCopy(e.raw) });
  }

  /** Bind unbound TxProfiles of the transaction's EVSE to it (the RemoteStart/RequestStart profile). Returns bound ids. */
  startTransaction(tx: Transaction): number[] {
    const bound: number[] = [];
    for (const e of this.entries) {
      if (e.evseId === tx.evseId && e.profile.purpose === 'TxProfile' && e.profile.transactionId === undefined) {
        e.profile.transactionId = tx.transactionId;
        bound.push(e.profile.id);
      }
    }
    return bound;
  }

  private put(evseId: number, profile: Profile, raw: Record<string, unknown>, source: ChargingLimitSource): void {
    const gone = new Set(replacedBy(this.version, this.entries, evseId, profile));
    this.entries = this.entries.filter((e) => !gone.has(e));
    this.entries.push({ evseId, source, profile, raw: deepCopy(raw) });
  }

  clear16(req: Clear16Request): 'Accepted' | 'Unknown' {
    const r = clear16(this.entries, req);
    this.entries = r.kept;
    return r.status;
  }

  clear201(req: Clear201Request): 'Accepted' | 'Unknown' {
    const r = clear201(this.entries, req);
    this.entries = r.kept;
    return r.status;
  }

  /** 2.0.1 GetChargingProfiles criteria (rules §6.1); see `selectProfiles`. Returns copies. */
  select(req: SelectRequest): Installed[] {
    return selectProfiles(this.entries, req);
  }

  /**
   * 2.1 UpdateDynamicSchedule / an answered PullDynamicScheduleUpdate (K28.FR.06 / .08): update the single
   * period of the installed Dynamic profile `id`. Atomic: a Rejected update (K28.FR.11, unknown or not
   * Dynamic) changes nothing. `at` (epoch s) stamps dynUpdateTime (K28.FR.09).
   */
  applyScheduleUpdate(id: number, update: ScheduleUpdate, at?: number): ScheduleUpdateOutcome {
    const outcome = checkScheduleUpdate(this.entries, id);
    if (outcome.status === 'Accepted') applyScheduleUpdateTo(this.entries.find((e) => e.profile.id === id)!, update, at);
    return outcome;
  }

  /** 2.1: stamp dynUpdateTime of the installed Dynamic profile `id` without changing a value (K28.FR.05 on install). */
  stampDynamicUpdate(id: number, at: number): void {
    const e = this.entries.find((x) => x.profile.id === id && x.profile.kind === 'Dynamic');
    if (e) applyScheduleUpdateTo(e, {}, at);
  }

  /** Remove TxProfiles of an ended transaction (K02.FR.05; 1.6 §3.13.1 SHOULD). Returns removed ids. */
  endTransaction(transactionId: string): number[] {
    const ended = (e: Installed): boolean => e.profile.purpose === 'TxProfile' && e.profile.transactionId === transactionId;
    const removed = this.entries.filter(ended).map((e) => e.profile.id);
    this.entries = this.entries.filter((e) => !ended(e));
    return removed;
  }

  /** Installed profiles in installation order (deep copies: callers cannot alter the store). */
  list(): Installed[] {
    return this.entries.map((e) => deepCopy(e));
  }

  /** Context for `compositeSchedule` from this store's profiles and advertised limits. */
  compositeContext(transactions: readonly Transaction[]): CompositeContext {
    return {
      version: this.version,
      installed: this.list(),
      transactions: [...transactions],
      evses: this.limits.evses,
      nominalVoltage: this.limits.nominalVoltage,
      rateUnits: [...this.limits.rateUnits],
    };
  }

  clone(): ProfileStore {
    const copy = new ProfileStore(this.version, this.limits);
    copy.entries = this.entries.map((e) => deepCopy(e));
    return copy;
  }
}
