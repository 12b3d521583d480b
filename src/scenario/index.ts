/**
 * The scenario API: the only module suites import. It declares cases and suites and re-exports the
 * SmartCharging reference model that computes what a conforming device must answer.
 */
import type { CaseDefinition, SuiteDefinition } from './types';

export * from './types';
export { Reply } from '../transport/session';
export { CallErrorReply } from '../ocppj/errors';
export { classOf, isValidCode, isOtherVersionSpelling, codeFor } from '../ocppj/errorCodes';
export { isoSeconds, resolveTimes } from '../runner/fixtures';
export { firstDifference } from '../runner/assertions';
export type { DeviceCapabilities, RateUnit, RunConfig } from '../runner/config';
export type { OfflineOptions, OfflineOutcome } from '../runner/offline';
/** 2.1 capability flag → SmartChargingCtrlr.SupportsFeature instance, as discovery reads them (caps.features). */
export { FEATURES_21 } from '../runner/discovery';
/** The SmartCharging reference model: what a conforming device must answer. */
export * as model from '../smartcharging';
export type { TransactionRecord, StationInfo } from '../csms';
export type { CompositeComparison, CompositeDifference, StepInterval } from '../report/types';

export function defineCase(def: CaseDefinition): CaseDefinition {
  // The display string follows the structured list unless a case keeps its own (golden JUnit names).
  if (def.octt?.length && def.octtId === undefined) return { ...def, octtId: def.octt.join('/') };
  return def;
}

export function defineSuite(suite: SuiteDefinition): SuiteDefinition {
  return suite;
}
