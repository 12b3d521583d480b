/**
 * SetChargingProfile acceptance rules (rules §3) and replacement rules (rules §4), as pure functions over
 * the installed set. The first failing check decides the outcome; the order follows libocpp's validation
 * order where it has one (EVSE, schedules, purpose placement, transaction), so a reasonCode comparison
 * with a libocpp-based station is meaningful (INFO only, rules §3.2).
 */
import { PURPOSES_21_ONLY, toEpochSeconds } from './profile';
import type { ChargingLimitSource, ModelVersion, Profile } from './profile';
import type { DeviceLimits, InstallOutcome, Installed, RejectionCheck, Transaction } from './types';

const RECURRENCY_REQUIRED_16 = '1.6 errata 3.56';

function reject(check: RejectionCheck, rule: string, reasonCode: string, message: string): InstallOutcome {
  return { status: 'Rejected', rule, reasonCode, message, check };
}

export interface InstallContext {
  version: ModelVersion;
  limits: DeviceLimits;
  installed: readonly Installed[];
  transactions: readonly Transaction[];
  /** Who sets the profile; `CSO` = the CSMS through SetChargingProfile. */
  source: ChargingLimitSource;
  /**
   * The profile arrives with RemoteStartTransaction (1.6 §5.11) / RequestStartTransaction (2.0.1 K05):
   * it must be a TxProfile without transactionId and is bound to the transaction that the request starts.
   */
  remoteStart?: boolean;
}

/** Running transaction on an EVSE/connector, if any. */
export function transactionOn(transactions: readonly Transaction[], evseId: number): Transaction | undefined {
  return transactions.find((t) => t.evseId === evseId);
}

/**
 * Profiles a Set of `profile` on `evseId` replaces.
 * - 2.0.1 K01.FR.05: same `id`, across EVSEs and purposes (libocpp tests). Stack-level/purpose clashes
 *   under a different id (K01.FR.06/.39) are CSMS obligations; the model keeps both (IMPL, rules §4.2).
 * - 1.6 §3.13.2 / §5.16: same `chargingProfileId` anywhere, or same stackLevel + purpose on the same
 *   connector (per connector, as libocpp and MicroOcpp key their stores; rules §4.1). This also covers
 *   errata 3.42: a Set with the stackLevel of a RemoteStart TxProfile replaces it.
 */
export function replacedBy(version: ModelVersion, installed: readonly Installed[], evseId: number, profile: Profile): Installed[] {
  return installed.filter(
    (i) =>
      i.profile.id === profile.id ||
      (version === '1.6' &&
        i.evseId === evseId &&
        i.profile.stackLevel === profile.stackLevel &&
        i.profile.purpose === profile.purpose),
  );
}

/**
 * 2.0.1 K01.FR.06 / K01.FR.39 conflicts a new profile would create (different id, same stackLevel and
 * purpose on the same EVSE with overlapping validity; TxProfile: same stackLevel and transactionId).
 * The model does not reject them (what a station does is IMPL, rules §4.2); cases use this to label
 * their intentional CSMS-rule breaches and to compute both readings.
 */
export function conflicts201(installed: readonly Installed[], evseId: number, profile: Profile): Installed[] {
  const from = (p: Profile): number => (p.validFrom ? toEpochSeconds(p.validFrom) : -Infinity);
  const to = (p: Profile): number => (p.validTo ? toEpochSeconds(p.validTo) : Infinity);
  return installed.filter((i) => {
    const o = i.profile;
    if (o.id === profile.id || o.stackLevel !== profile.stackLevel || o.purpose !== profile.purpose) return false;
    if (profile.purpose === 'TxProfile') return o.transactionId === profile.transactionId; // K01.FR.39
    return i.evseId === evseId && from(o) < to(profile) && from(profile) < to(o); // K01.FR.06
  });
}

/**
 * 2.1-only features a station takes only when it advertises them (rules §9: SmartChargingCtrlr
 * `SupportedAdditionalPurposes`, `SupportsFeature[DynamicProfiles]`; operationModes other than
 * ChargingOnly need V2X / setpoint control). A station that does not support one rejects the profile;
 * which FR requires the rejection could not be established from the 2.1 text available here, so these
 * outcomes are for the reference station only and no case judges them as a FAIL.
 */
function check21Features(limits: DeviceLimits, p: Profile): InstallOutcome | undefined {
  if (PURPOSES_21_ONLY.includes(p.purpose) && !(limits.additionalPurposes ?? []).includes(p.purpose)) {
    return reject('PurposeNotSupported', '2.1 SmartChargingCtrlr.SupportedAdditionalPurposes', 'UnsupportedPurpose', `purpose ${p.purpose} is not in SupportedAdditionalPurposes`);
  }
  // K01.FR.70 / K01.FR.71 (2.1, as libocpp cites and tests them): a PriorityCharging schedule has no
  // duration and only ChargingOnly periods (2.1 table of operationModes per purpose).
  if (p.purpose === 'PriorityCharging') {
    if (p.schedules.some((s) => s.duration !== undefined)) {
      return reject('PriorityChargingDuration', 'K01.FR.70', 'InvalidSchedule', 'a PriorityCharging schedule has no duration');
    }
    if (p.schedules.some((s) => s.periods.some((x) => (x.operationMode ?? 'ChargingOnly') !== 'ChargingOnly'))) {
      return reject('PriorityChargingNotChargingOnly', 'K01.FR.71', 'InvalidSchedule', 'PriorityCharging periods must be ChargingOnly');
    }
  }
  // K01.FR.121 (2.1, libocpp): Dynamic while SupportsFeature[DynamicProfiles] is not true → Rejected.
  if (p.kind === 'Dynamic' && !limits.dynamicProfiles) {
    return reject('KindNotSupported', 'K01.FR.121', 'UnsupportedKind', 'chargingProfileKind Dynamic while SmartChargingCtrlr.SupportsFeature[DynamicProfiles] is not true');
  }
  // K01.FR.122 (2.1, libocpp): dynUpdateInterval / dynUpdateTime only in a Dynamic profile.
  if (p.kind !== 'Dynamic' && (p.dynUpdateInterval !== undefined || p.dynUpdateTime !== undefined)) {
    return reject('DynUpdateOnNonDynamic', 'K01.FR.122', 'InvalidProfile', `dynUpdateInterval / dynUpdateTime in a ${p.kind} profile`);
  }
  // K28.FR.01 (as cited by open 2.1 implementations): a Dynamic profile has one schedule with one period.
  if (p.kind === 'Dynamic' && (p.schedules.length !== 1 || p.schedules[0]!.periods.length !== 1)) {
    return reject('DynamicNotSinglePeriod', 'K28.FR.01', 'InvalidSchedule', `Dynamic profile with ${p.schedules.length} schedule(s) and ${p.schedules.map((s) => s.periods.length).join('/')} period(s); one of each is allowed`);
  }
  const supported = limits.operationModes ?? ['ChargingOnly'];
  for (const s of p.schedules) {
    for (const [i, period] of s.periods.entries()) {
      const mode = period.operationMode ?? 'ChargingOnly';
      if (!supported.includes(mode)) {
        return reject('OperationModeNotSupported', '2.1 ChargingSchedulePeriodType.operationMode', 'UnsupportedOpMode', `period ${i}: operationMode ${mode} is not supported (${supported.join(', ')})`);
      }
    }
  }
  return undefined;
}

/** Check a Set without changing anything. */
export function checkInstall(ctx: InstallContext, evseId: number, profile: Profile): InstallOutcome {
  return ctx.version === '1.6' ? check16(ctx, evseId, profile) : check201(ctx, evseId, profile);
}

// ---------------------------------------------------------------------------------------------------
// OCPP 1.6 (rules §3.1)

function check16(ctx: InstallContext, connectorId: number, p: Profile): InstallOutcome {
  const { limits } = ctx;
  // errata 3.38: an invalid connectorId is a PropertyConstraintViolation; the model answers Rejected.
  if (!Number.isInteger(connectorId) || connectorId < 0 || connectorId > limits.evses) {
    return reject('UnknownEvse', '1.6 errata 3.38', 'InvalidValue', `connectorId ${connectorId} does not exist (NumberOfConnectors ${limits.evses})`);
  }
  if (p.purpose === 'ChargingStationExternalConstraints') {
    return reject('PurposeNotInVersion', '1.6 errata 3.38', 'InvalidValue', 'ChargingStationExternalConstraints is not a 1.6 purpose');
  }
  // 1.6 §3.13.1: ChargePointMaxProfile "can only be set at Charge Point ConnectorId 0".
  if (p.purpose === 'ChargingStationMaxProfile' && connectorId !== 0) {
    return reject('MaxProfileNotStationLevel', '1.6 §3.13.1', 'InvalidValue', `ChargePointMaxProfile on connector ${connectorId}; only connector 0 is allowed`);
  }
  if (p.purpose === 'TxProfile') {
    // 1.6 §3.13.1: "TxProfile SHALL only be set at Charge Point ConnectorId >0".
    if (connectorId === 0) {
      return reject('TxProfileOnStationLevel', '1.6 §3.13.1', 'InvalidValue', 'TxProfile on connector 0');
    }
    if (ctx.remoteStart) {
      // 1.6 §5.11, errata 3.41: the RemoteStart profile's transactionId "SHALL NOT be set".
      if (p.transactionId !== undefined) {
        return reject('RemoteStartWithTransactionId', '1.6 errata 3.41', 'InvalidValue', 'RemoteStartTransaction profile carries a transactionId');
      }
    } else {
      const tx = transactionOn(ctx.transactions, connectorId);
      // 1.6 §3.13.1: without an active transaction the station "SHALL discard it and return an error status" (TC_058_1_CS).
      if (!tx) {
        return reject('TxProfileNoTransaction', '1.6 §3.13.1', 'TxNotFound', `no transaction on connector ${connectorId}`);
      }
      // OCTT TC_058_2_CS: a transactionId that is not the running transaction → Rejected.
      if (p.transactionId !== undefined && p.transactionId !== tx.transactionId) {
        return reject('TxProfileUnknownTransaction', 'TC_058_2_CS', 'TxNotFound', `transactionId ${p.transactionId} is not the transaction running on connector ${connectorId} (${tx.transactionId})`);
      }
    }
  } else if (ctx.remoteStart) {
    // 1.6 §5.11: the RemoteStart profile's purpose "MUST be TxProfile".
    return reject('RemoteStartNotTxProfile', '1.6 §5.11', 'InvalidValue', `RemoteStartTransaction profile has purpose ${p.purpose}`);
  }
  if (p.kind === 'Recurring') {
    // errata 3.56 (and libocpp v16): a Recurring profile needs recurrencyKind and a startSchedule.
    if (p.recurrencyKind === undefined) {
      return reject('MissingRecurrencyKind', RECURRENCY_REQUIRED_16, 'MissingParam', 'Recurring profile without recurrencyKind');
    }
    if (p.schedules.some((s) => s.startSchedule === undefined)) {
      return reject('MissingStartSchedule', RECURRENCY_REQUIRED_16, 'InvalidSchedule', 'Recurring profile without startSchedule');
    }
  }
  const structural = checkSchedules(p, '1.6 §7.14', '1.6 §7.14');
  if (structural) return structural;
  for (const s of p.schedules) {
    if (!limits.rateUnits.includes(s.chargingRateUnit)) {
      return reject('UnsupportedRateUnit', '1.6 §9.4 ChargingScheduleAllowedChargingRateUnit', 'UnsupportedRateUnit', `unit ${s.chargingRateUnit} not in ${limits.rateUnits.join(',')}`);
    }
  }
  const bounds = checkBounds(ctx, p, {
    stackLevel: '1.6 §9.4 ChargeProfileMaxStackLevel',
    periods: '1.6 §9.4 ChargingScheduleMaxPeriods',
  });
  if (bounds) return bounds;
  return checkCapacity(ctx, connectorId, p, '1.6 §9.4 MaxChargingProfilesInstalled');
}

// ---------------------------------------------------------------------------------------------------
// OCPP 2.0.1 (rules §3.2)

function check201(ctx: InstallContext, evseId: number, p: Profile): InstallOutcome {
  const { limits } = ctx;
  // K01.FR.28: unknown evseId → Rejected (TC_K_14_CS uses #EVSE + 1). libocpp reasonCode InvalidValue.
  if (!Number.isInteger(evseId) || evseId < 0 || evseId > limits.evses) {
    return reject('UnknownEvse', 'K01.FR.28', 'InvalidValue', `evseId ${evseId} does not exist (${limits.evses} EVSEs)`);
  }
  if (ctx.version === '2.1') {
    const unsupported = check21Features(ctx.limits, p);
    if (unsupported) return unsupported;
  }
  // K01.FR.22: ExternalConstraints "cannot be set by the CSMS"; other sources (EMS, SO, Other) may install them.
  if (p.purpose === 'ChargingStationExternalConstraints' && ctx.source === 'CSO') {
    return reject('ExternalConstraintsFromCsms', 'K01.FR.22', 'InvalidValue', 'ChargingStationExternalConstraints cannot be set by the CSMS');
  }
  // K01.FR.05: an id held by an ExternalConstraints profile is not replaced (libocpp: DuplicateProfile).
  if (ctx.installed.some((i) => i.profile.id === p.id && i.profile.purpose === 'ChargingStationExternalConstraints')) {
    return reject('ExistingExternalConstraintsId', 'K01.FR.05', 'DuplicateProfile', `id ${p.id} belongs to a ChargingStationExternalConstraints profile`);
  }
  if (ctx.remoteStart && p.purpose !== 'TxProfile') {
    // K05.FR.02 (as cited by libocpp): the RequestStartTransaction profile must be a TxProfile.
    return reject('RemoteStartNotTxProfile', 'K05.FR.02', 'InvalidValue', `RequestStartTransaction profile has purpose ${p.purpose}`);
  }
  // Schedule structure first, as libocpp validates schedules before the purpose checks.
  for (const s of p.schedules) {
    // K01.FR.40 / .41: Absolute and Recurring carry startSchedule; Relative does not (2.1 Dynamic: neither rule).
    if ((p.kind === 'Absolute' || p.kind === 'Recurring') && s.startSchedule === undefined) {
      return reject('MissingStartSchedule', 'K01.FR.40', 'InvalidSchedule', `${p.kind} profile without startSchedule`);
    }
    if (p.kind === 'Relative' && s.startSchedule !== undefined) {
      return reject('ExtraneousStartSchedule', 'K01.FR.41', 'InvalidSchedule', 'Relative profile with startSchedule');
    }
  }
  // No FR states it, but a Recurring profile cannot be expanded without knowing its period (rules §5.2).
  if (p.kind === 'Recurring' && p.recurrencyKind === undefined) {
    return reject('MissingRecurrencyKind', 'ChargingProfile.recurrencyKind', 'MissingParam', 'Recurring profile without recurrencyKind');
  }
  const structural = checkSchedules(p, 'K01.FR.31', 'K01.FR.35');
  if (structural) return structural;
  for (const s of p.schedules) {
    for (const [i, period] of s.periods.entries()) {
      // K01.FR.45 (numberPhases not above what the EVSE supplies; AC supplies at most 3) and rules §2 (1..3).
      if (period.numberPhases !== undefined && (period.numberPhases < 1 || period.numberPhases > 3)) {
        return reject('InvalidNumberPhases', 'K01.FR.45', 'InvalidSchedule', `period ${i}: numberPhases ${period.numberPhases} outside 1..3`);
      }
      if (period.phaseToUse !== undefined) {
        // K01.FR.19: phaseToUse only with numberPhases = 1.
        if (period.numberPhases !== 1) {
          return reject('PhaseToUseWithoutSinglePhase', 'K01.FR.19', 'InvalidSchedule', `period ${i}: phaseToUse without numberPhases 1`);
        }
        // K01.FR.20: phaseToUse only when ACPhaseSwitchingSupported is true.
        if (!limits.acPhaseSwitchingSupported) {
          return reject('PhaseToUseNotSupported', 'K01.FR.20', 'InvalidSchedule', `period ${i}: phaseToUse while ACPhaseSwitchingSupported is not true`);
        }
      }
    }
    // K01.FR.26: chargingRateUnit not in SmartChargingCtrlr.RateUnit → Rejected.
    if (!limits.rateUnits.includes(s.chargingRateUnit)) {
      return reject('UnsupportedRateUnit', 'K01.FR.26', 'UnsupportedRateUnit', `unit ${s.chargingRateUnit} not in ${limits.rateUnits.join(',')}`);
    }
  }
  if (p.purpose === 'ChargingStationMaxProfile') {
    // K04.FR.03 (as cited by libocpp): ChargingStationMaxProfile only on evse 0.
    if (evseId !== 0) {
      return reject('MaxProfileNotStationLevel', 'K04.FR.03', 'InvalidValue', `ChargingStationMaxProfile on evse ${evseId}; only evse 0 is allowed`);
    }
    // K01.FR.38: "chargingProfileKind SHALL NOT be Relative" for ChargingStationMaxProfile.
    if (p.kind === 'Relative') {
      return reject('MaxProfileRelative', 'K01.FR.38', 'InvalidValue', 'ChargingStationMaxProfile with kind Relative');
    }
  }
  if (p.purpose === 'TxProfile') {
    // K01.FR.16: TxProfile only with evseId > 0 (TC_K_11_CS).
    if (evseId === 0) {
      return reject('TxProfileOnStationLevel', 'K01.FR.16', 'InvalidValue', 'TxProfile on evse 0');
    }
    if (ctx.remoteStart) {
      if (p.transactionId !== undefined) {
        // K05: the station binds the profile to the transaction it starts; a preset id cannot be honoured.
        return reject('RemoteStartWithTransactionId', 'K05.FR.03', 'InvalidValue', 'RequestStartTransaction profile carries a transactionId');
      }
    } else {
      // K01.FR.03: the CSMS SHALL include the transactionId for a TxProfile (libocpp: MissingParam).
      if (p.transactionId === undefined) {
        return reject('TxProfileWithoutTransactionId', 'K01.FR.03', 'MissingParam', 'TxProfile without transactionId');
      }
      const tx = transactionOn(ctx.transactions, evseId);
      // K01.FR.04 / .09: no active transaction on the EVSE → Rejected (TC_K_02_CS).
      if (!tx) {
        return reject('TxProfileNoTransaction', 'K01.FR.09', 'TxNotFound', `no transaction on evse ${evseId}`);
      }
      // K01.FR.33: transactionId unknown on the EVSE → Rejected (TC_K_16_CS).
      if (tx.transactionId !== p.transactionId) {
        return reject('TxProfileUnknownTransaction', 'K01.FR.33', 'TxNotFound', `transactionId ${p.transactionId} is not the transaction on evse ${evseId} (${tx.transactionId})`);
      }
    }
  }
  const bounds = checkBounds(ctx, p, {
    stackLevel: 'SmartChargingCtrlr.ProfileStackLevel',
    periods: 'SmartChargingCtrlr.PeriodsPerSchedule',
  });
  if (bounds) return bounds;
  return checkCapacity(ctx, evseId, p, 'SmartChargingCtrlr.Entries[ChargingProfiles]');
}

// ---------------------------------------------------------------------------------------------------
// Shared checks

/** Periods present, first startPeriod 0 (1.6 §7.14, K01.FR.31), strictly increasing (K01.FR.35). */
function checkSchedules(p: Profile, firstRule: string, orderRule: string): InstallOutcome | undefined {
  for (const s of p.schedules) {
    const first = s.periods[0];
    if (first === undefined) {
      return reject('EmptySchedule', firstRule, 'InvalidSchedule', 'chargingSchedulePeriod is empty');
    }
    if (first.startPeriod !== 0) {
      return reject('FirstPeriodNotZero', firstRule, 'InvalidSchedule', `first startPeriod is ${first.startPeriod}, not 0`);
    }
    for (let i = 1; i < s.periods.length; i++) {
      if (s.periods[i]!.startPeriod <= s.periods[i - 1]!.startPeriod) {
        return reject('PeriodsNotIncreasing', orderRule, 'InvalidSchedule', `startPeriod ${s.periods[i]!.startPeriod} at index ${i} does not exceed ${s.periods[i - 1]!.startPeriod}`);
      }
    }
  }
  return undefined;
}

/** stackLevel ≥ 0 (schema text "Lowest level is 0", rules §2) and ≤ the advertised maximum; period count. */
function checkBounds(ctx: InstallContext, p: Profile, rules: { stackLevel: string; periods: string }): InstallOutcome | undefined {
  const { limits } = ctx;
  if (p.stackLevel < 0) {
    return reject('NegativeStackLevel', 'ChargingProfile.stackLevel', 'InvalidStackLevel', `stackLevel ${p.stackLevel} < 0`);
  }
  if (p.stackLevel > limits.maxStackLevel) {
    return reject('StackLevelAboveMax', rules.stackLevel, 'InvalidStackLevel', `stackLevel ${p.stackLevel} > ${limits.maxStackLevel}`);
  }
  for (const s of p.schedules) {
    if (s.periods.length > limits.maxPeriods) {
      return reject('TooManyPeriods', rules.periods, 'TooManyElements', `${s.periods.length} periods > ${limits.maxPeriods}`);
    }
  }
  return undefined;
}

/**
 * Capacity counts the set *after* replacement: a replacement at capacity must still be accepted. libocpp
 * checks before removing (rules §4.1: a station rejecting it gets WARN, not FAIL); the model is the
 * lenient reading.
 */
function checkCapacity(ctx: InstallContext, evseId: number, p: Profile, rule: string): InstallOutcome {
  const after = ctx.installed.length - replacedBy(ctx.version, ctx.installed, evseId, p).length + 1;
  if (after > ctx.limits.maxProfiles) {
    return reject('CapacityExceeded', rule, 'OutOfStorage', `${after} profiles would exceed the capacity of ${ctx.limits.maxProfiles}`);
  }
  return { status: 'Accepted' };
}
