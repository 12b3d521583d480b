import type { ErrorType } from '../../report/types';
import { ManualActionUnavailable } from '../errors';

/** A trigger could not be run or reported failure: the case is ERROR (catalogue §1.7), never FAIL. */
export class TriggerFailed extends ManualActionUnavailable {
  /** How the verdict classifies the ERROR. */
  readonly errorType: ErrorType = 'HarnessError';
  constructor(message: string) {
    super(message);
    this.name = 'TriggerFailed';
  }
}

/**
 * The CSMS's API understood the command and refused it (a 2xx answer that breaks the success rule, or
 * an HTTP 4xx/5xx answer, issue #13): the case cannot reach its subject. ERROR with the CSMS's own text, recorded at once —
 * not a FAIL (no OCPP message was exchanged) and not a CALL timeout.
 */
export class CommandRefused extends TriggerFailed {
  override readonly errorType: ErrorType = 'PreconditionFailed';
  constructor(message: string) {
    super(message);
    this.name = 'CommandRefused';
  }
}
