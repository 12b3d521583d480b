import type { Failure } from '../report/types';

/** A hard assertion failed: the case stops and is FAILED with this failure. */
export class AssertionFailed extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
    this.name = 'AssertionFailed';
  }
}

/** The case cannot apply (discovered at its start, before any test frame): SKIPPED. */
export class CaseSkipped extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'CaseSkipped';
  }
}

/** A precondition (clean slate, transaction start…) could not be established: ERROR. */
export class PreconditionFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreconditionFailed';
  }
}

/** An operator action was required but could not be asked (no TTY) or timed out: ERROR or SKIPPED. */
export class ManualActionUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManualActionUnavailable';
  }
}

/** The run was interrupted (SIGINT/SIGTERM) while the case ran. */
export class Interrupted extends Error {
  constructor(signal: string) {
    super(`interrupted by ${signal}`);
    this.name = 'Interrupted';
  }
}

/** The whole case exceeded its time budget. */
export class CaseTimeout extends Error {
  constructor(ms: number) {
    super(`case did not finish within ${ms} ms`);
    this.name = 'CaseTimeout';
  }
}

/** No peer to test: nothing connected in time, or the connection could not be opened. Exit code 2. */
export class PeerUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PeerUnavailable';
  }
}

/** A configuration problem: exit code 2, message names the field. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
