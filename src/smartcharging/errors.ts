/**
 * Typed errors of the SmartCharging reference model. The model never throws plain `Error`s, so callers
 * (the runner) can tell a malformed input the harness built (its own bug → ERROR verdict) from a
 * protocol outcome (which is returned as a value, never thrown: see `InstallOutcome`, `CompareOutcome`).
 */
export class SmartChargingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A wire object handed to an adapter does not have the shape of the OCA schema (rules §2). */
export class ProfileFormatError extends SmartChargingError {
  /** JSON pointer into the wire object, e.g. `/chargingSchedule/0/chargingSchedulePeriod/1/limit`. */
  readonly pointer: string;
  constructor(pointer: string, message: string) {
    super(`${pointer || '/'}: ${message}`);
    this.pointer = pointer;
  }
}

/**
 * A composite request the model cannot compute, mirroring what a station answers with `Rejected`
 * (unknown EVSE: 2.0.1 K08.FR.05; unsupported unit: K08.FR.07; 1.6 likewise, rules §5.1).
 */
export class CompositeRequestError extends SmartChargingError {
  readonly rule: string;
  constructor(rule: string, message: string) {
    super(`${rule}: ${message}`);
    this.rule = rule;
  }
}

/** Invalid argument to a model function (negative page size, non-integer window start, …). */
export class ModelArgumentError extends SmartChargingError {}
