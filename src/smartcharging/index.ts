/**
 * SmartCharging reference model (OCPP 1.6, 2.0.1 and what 2.1 shares with 2.0.1): pure TypeScript, no I/O. The only public face of
 * src/smartcharging; everything else in the folder is internal.
 */
export type {
  ChargingLimitSource,
  ModelVersion,
  OperationMode,
  Period,
  Profile,
  ProfileKind,
  Purpose,
  RateUnit,
  RecurrencyKind,
  Schedule,
} from './profile';
export {
  CHARGING_LIMIT_SOURCES,
  LIMIT_OPTIONAL_MODES,
  OPERATION_MODES,
  PURPOSES,
  PURPOSES_21_ONLY,
  deepCopy,
  fromEpochSeconds,
  normalisePurpose,
  profileFrom16,
  profileFrom201,
  profileFrom21,
  profileToWire16,
  profileToWire201,
  toEpochSeconds,
  wirePurpose,
} from './profile';
export type { DeviceLimits, InstallOutcome, Installed, RejectionCheck, Transaction } from './types';
export { ProfileStore } from './store';
export { applyScheduleUpdateTo, checkScheduleUpdate, UPDATE_FIELDS } from './dynamic';
export type { ScheduleUpdate, ScheduleUpdateOutcome } from './dynamic';
export { checkInstall, conflicts201, replacedBy } from './install-rules';
export type { InstallContext } from './install-rules';
export { clear16, clear201 } from './clear';
export type { Clear16Request, Clear201Request, ClearResult } from './clear';
export { reportPages, selectProfiles } from './select';
export type { ReportPage, SelectRequest } from './select';
export { DAILY_S, WEEKLY_S, compositeRequestProblem, compositeSchedule, expandProfile, hasPriorityProfile, mergeIntervals } from './composite';
export type { CompositeContext, CompositeRequest, CompositeResult, Interval, V2xPart } from './composite';
export { toPeriods } from './periods';
export { compareComposite, compareOperationModes, compositeDifferences } from './compare';
export type { CompareDifference, CompareFailureKind, CompareOptions, CompareOutcome, OperationModeOutcome } from './compare';
export { judgeCompositeDuration, profilesApplyingAt } from './duration';
export type { DurationFinding, DurationInput } from './duration';
export { DEFAULT_LIMIT, DEFAULT_NOMINAL_VOLTAGE, DEFAULT_NUMBER_PHASES, atMostDecimals, atMostOneDecimal, convertLimit, round1, roundTo } from './units';
export { CompositeRequestError, ModelArgumentError, ProfileFormatError, SmartChargingError } from './errors';
