/**
 * Typed stops for suite helpers (issue #11). Each carries `recorded = true` when the helper has already
 * recorded the failure with its rule: the runner then judges the case by that failure (FAILED), never as a
 * harness error. One class per kind.
 */

/**
 * A report or answer the case depends on did not come within its bounded wait (K09.FR.01, rules §6.2).
 * The failure is recorded; the case stops issuing the requests that depend on it, so a silent device costs
 * one wait per case, not one per remaining request.
 */
export class ReportsStopped extends Error {
  readonly recorded = true;
  constructor(message: string) {
    super(message);
    this.name = 'ReportsStopped';
  }
}

/**
 * The clean slate met a device nonconformance (a CALLERROR to a valid SmartCharging request while
 * SmartCharging is advertised, profiles that survive a clear, an Accepted GetChargingProfiles without
 * reports). The failure is recorded with its rule; the case cannot run and the runner blocks the rest.
 */
export class SetUpNonconformance extends Error {
  readonly recorded = true;
  constructor(message: string) {
    super(message);
    this.name = 'SetUpNonconformance';
  }
}

/** The clean slate could not be established and no rule was broken (e.g. SmartCharging not advertised): ERROR. */
export class CleanSlateUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CleanSlateUnavailable';
  }
}
