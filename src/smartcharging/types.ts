/** Model-wide types that are not wire-profile shapes (those live in profile.ts). */
import type { ChargingLimitSource, OperationMode, Profile, Purpose, RateUnit } from './profile';

/** One installed profile as the station holds it. */
export interface Installed {
  /** 1.6 connectorId or 2.0.1 evseId the profile was installed on (0 = station level). */
  evseId: number;
  /** Who set it; everything the CSMS sends is `CSO` (rules §6.2). */
  source: ChargingLimitSource;
  profile: Profile;
  /** The wire object exactly as sent, deep-copied: what a GetChargingProfiles report must echo (rules §6.2). */
  raw: Record<string, unknown>;
}

/** What the station advertises (1.6 §9.4 keys; 2.0.1 SmartChargingCtrlr variables, rules §9). */
export interface DeviceLimits {
  /** NumberOfConnectors (1.6) / number of EVSEs (2.0.1). */
  evses: number;
  /** ChargeProfileMaxStackLevel / ProfileStackLevel. */
  maxStackLevel: number;
  /** MaxChargingProfilesInstalled / Entries[ChargingProfiles].maxLimit. */
  maxProfiles: number;
  /** ChargingScheduleMaxPeriods / PeriodsPerSchedule. */
  maxPeriods: number;
  /** ChargingScheduleAllowedChargingRateUnit / RateUnit; the first entry is the composite default unit. */
  rateUnits: RateUnit[];
  /** Nominal line voltage for A↔W (rules §5.5); 230 unless the PICS says otherwise. */
  nominalVoltage: number;
  /** 2.0.1 ACPhaseSwitchingSupported (K01.FR.20); absent = false. */
  acPhaseSwitchingSupported?: boolean;
  /** 2.1 SupportedAdditionalPurposes (PriorityCharging, LocalGeneration); absent = none. */
  additionalPurposes?: readonly Purpose[];
  /** 2.1 SupportsFeature[DynamicProfiles]; absent = false. */
  dynamicProfiles?: boolean;
  /** 2.1 operationModes the station executes; absent = ChargingOnly only. */
  operationModes?: readonly OperationMode[];
}

/** A running transaction. 1.6 integer transaction ids are carried as decimal strings. */
export interface Transaction {
  evseId: number;
  transactionId: string;
  /** ISO date-time: 1.6 StartTransaction timestamp, 2.0.1 TransactionEvent(Started) timestamp. */
  startedAt: string;
}

export type InstallOutcome =
  | { status: 'Accepted' }
  | {
      status: 'Rejected';
      /** Requirement the rejection rests on, e.g. 'K01.FR.16', '1.6 §3.13.1'. Stable, used in reports. */
      rule: string;
      /** statusInfo.reasonCode a libocpp-like station would give (InvalidValue, TxNotFound, …); INFO only. */
      reasonCode: string;
      message: string;
      /** Stable machine name of the failed check (unique, unlike `rule`: several checks cite 1.6 §3.13.1). */
      check: RejectionCheck;
    };

export type RejectionCheck =
  | 'UnknownEvse'
  | 'PurposeNotInVersion'
  | 'ExternalConstraintsFromCsms'
  | 'ExistingExternalConstraintsId'
  | 'MaxProfileNotStationLevel'
  | 'MaxProfileRelative'
  | 'TxProfileOnStationLevel'
  | 'TxProfileWithoutTransactionId'
  | 'TxProfileNoTransaction'
  | 'TxProfileUnknownTransaction'
  | 'RemoteStartNotTxProfile'
  | 'RemoteStartWithTransactionId'
  | 'MissingRecurrencyKind'
  | 'MissingStartSchedule'
  | 'ExtraneousStartSchedule'
  | 'EmptySchedule'
  | 'FirstPeriodNotZero'
  | 'PeriodsNotIncreasing'
  | 'InvalidNumberPhases'
  | 'PhaseToUseWithoutSinglePhase'
  | 'PhaseToUseNotSupported'
  | 'UnsupportedRateUnit'
  | 'NegativeStackLevel'
  | 'StackLevelAboveMax'
  | 'TooManyPeriods'
  | 'CapacityExceeded'
  | 'PurposeNotSupported'
  | 'KindNotSupported'
  | 'DynUpdateOnNonDynamic'
  | 'DynamicNotSinglePeriod'
  | 'OperationModeNotSupported'
  | 'PriorityChargingDuration'
  | 'PriorityChargingNotChargingOnly';
