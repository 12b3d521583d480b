/**
 * The verdict policy, in one place (issue #11, README "Verdicts and exit codes"):
 * - a case with at least one recorded failure is FAILED, whatever ended it afterwards (time limit,
 *   disconnect, interruption, harness refusal, a skip after test frames, a failed precondition); what
 *   ended it is attached as a note;
 * - ERROR only when no failure was recorded and no verdict could be reached;
 * - exit code 130 interrupted, else 1 when any case FAILED, else 2 when any ERROR or the device was
 *   unreachable, else 0.
 */
import { CallErrorResponse, CallTimeoutError, ConnectionClosedError, MalformedResponseError, OutboundSchemaError, PayloadSchemaError } from '../ocppj/errors';
import { MissingSchemaError } from '../validation';
import type { ErrorType, Failure, Note, RunResult, Verdict } from '../report/types';
import { AssertionFailed, CaseSkipped, CaseTimeout, Interrupted, ManualActionUnavailable, PeerUnavailable, PreconditionFailed } from './errors';

/** OCPP-J 1.6 §4.1.3 / Part 4 §4.1.3: every CALL is answered by a CALLRESULT or CALLERROR with its messageId. */
export const RULE_CALL_ANSWERED = 'OCPP-J CALL/CALLRESULT';
/** OCPP-J framing (message shapes), rules §1.1. */
export const RULE_FRAMING = 'OCPP-J';
/** A CALLERROR where the message is supported and valid (rules §1.3). */
export const RULE_CALLERROR = 'rules §1.3';

export interface Judged {
  verdict: Verdict;
  reason?: string;
  errorType?: ErrorType;
  /** Stack of an unexpected harness error: for the JSON report only, never in the reason (issue #15 §4). */
  stack?: string;
}

/** What a case recorded: its failures and a way to attach notes. */
export interface Recorded {
  failures: Failure[];
  notes: Note[];
  sentTestFrame: boolean;
}

/**
 * The failure a device error stands for, when the error is the device's doing (a CALL not answered,
 * answered with CALLERROR, with a schema-invalid or malformed response). Undefined for anything else.
 */
export function deviceFailureOf(e: unknown, step?: string): Failure | undefined {
  const at = step ? { step } : {};
  if (e instanceof AssertionFailed) return e.failure;
  if (e instanceof CallTimeoutError) {
    return { kind: 'Timeout', rule: RULE_CALL_ANSWERED, message: `OCPP-J: the device did not answer ${e.action} (messageId ${e.messageId}) within ${e.timeoutMs} ms`, ...at };
  }
  if (e instanceof CallErrorResponse) {
    return {
      kind: 'AssertionFailure',
      rule: RULE_CALLERROR,
      message: `${e.action} was answered with CALLERROR ${e.errorCode}${e.errorDescription ? ` (${e.errorDescription})` : ''}`,
      actual: e.errorCode,
      ...(e.frameSeq !== undefined ? { frameSeq: e.frameSeq } : {}),
      ...at,
    };
  }
  if (e instanceof PayloadSchemaError) return { kind: 'SchemaViolation', rule: `${e.action}Response schema`, message: e.message, ...at };
  if (e instanceof MalformedResponseError) {
    return { kind: 'FramingViolation', rule: RULE_FRAMING, message: `${RULE_FRAMING}: ${e.message}`, frameSeq: e.frameSeq, ...at };
  }
  return undefined;
}

/**
 * Record the failure a device error stands for, unless the violation behind it is already recorded
 * (schema and framing violations reach the case through the session as they happen).
 */
export function recordDeviceFailure(e: unknown, rec: Pick<Recorded, 'failures'>, step?: string): boolean {
  const f = deviceFailureOf(e, step);
  if (!f) return false;
  if (e instanceof PayloadSchemaError && rec.failures.some((x) => x.kind === 'SchemaViolation')) return true;
  if (e instanceof MalformedResponseError && rec.failures.some((x) => x.frameSeq === e.frameSeq)) return true;
  rec.failures.push(f);
  return true;
}

/** Why the case ended without a verdict of its own (ERROR or SKIPPED), or undefined when it ran to an end. */
function endedBy(thrown: unknown, rec: Recorded, harnessErrors: readonly Error[]): Judged | undefined {
  const err = (reason: string, errorType: ErrorType): Judged => ({ verdict: 'error', reason, errorType });
  if (thrown instanceof CaseSkipped) {
    if (!rec.sentTestFrame) return { verdict: 'skipped', reason: thrown.reason };
    return err(`case asked to skip after sending test frames: ${thrown.reason}`, 'HarnessError');
  }
  if (thrown instanceof Interrupted) return err(thrown.message, 'Interrupted');
  if (harnessErrors.length) return { ...err(`harness error: ${harnessErrors[0]!.message}`, 'HarnessError'), ...stackOf(harnessErrors[0]) };
  if (thrown instanceof CaseTimeout) return err(thrown.message, 'Timeout');
  if (thrown instanceof PreconditionFailed) return err(thrown.message, 'PreconditionFailed');
  if (thrown instanceof ConnectionClosedError || thrown instanceof PeerUnavailable) return err(thrown.message, 'ConnectionError');
  // A trigger the CSMS refused is a PreconditionFailed ERROR (issue #13); other unavailable actions a HarnessError.
  if (thrown instanceof ManualActionUnavailable) return err(thrown.message, (thrown as { errorType?: ErrorType }).errorType ?? 'HarnessError');
  if (thrown instanceof MissingSchemaError) return err(thrown.message, 'MissingSchema');
  if (thrown instanceof OutboundSchemaError) return err(thrown.message, 'HarnessError');
  if (deviceFailureOf(thrown) || !thrown || (thrown as { recorded?: boolean }).recorded) return undefined;
  // The reason names the error, not where in dist/ it was thrown: the stack goes to results.json only.
  return { ...err(`harness error: ${thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown)}`, 'HarnessError'), ...stackOf(thrown) };
}

function stackOf(e: unknown): { stack?: string } {
  return e instanceof Error && e.stack ? { stack: e.stack } : {};
}

/** Turn what a case threw and recorded into its verdict. Records the device failure the throw stands for. */
export function judge(thrown: unknown, rec: Recorded, harnessErrors: readonly Error[] = []): Judged {
  recordDeviceFailure(thrown, rec);
  const ended = endedBy(thrown, rec, harnessErrors);
  if (rec.failures.length) {
    // Failure wins: repeating the run cannot change a nonconformance already seen (issue #11 item 1).
    if (ended) rec.notes.push({ level: ended.verdict === 'skipped' ? 'info' : 'warn', message: `after the failure the case ended: ${ended.reason}${ended.errorType ? ` (${ended.errorType})` : ''}` });
    return { verdict: 'failed', ...(ended?.stack ? { stack: ended.stack } : {}) };
  }
  return ended ?? { verdict: 'passed' };
}

/**
 * Exit codes: 130 interrupted; 1 any FAILED; 2 any ERROR, the device unreachable, or more skipped cases
 * than `maxSkipped` (the CI gate --fail-on-skip / --max-skipped N, issue #15 §2: a run of skips is a run
 * that tested nothing, to be repeated with the missing triggers / actions / profile); 0 otherwise.
 */
export function exitCodeOf(result: RunResult, peerUnavailable = false, maxSkipped?: number): number {
  if (result.interrupted) return 130;
  if (result.cases.some((c) => c.verdict === 'failed')) return 1;
  if (peerUnavailable || result.cases.some((c) => c.verdict === 'error')) return 2;
  if (maxSkipped !== undefined && skippedCount(result) > maxSkipped) return 2;
  return 0;
}

/** Selected cases skipped (SC-X-01 / SC-X-99 always run and are not counted): what the skip gate compares. */
export function skippedCount(result: RunResult): number {
  return result.cases.filter((c) => c.verdict === 'skipped' && c.id !== 'SC-X-01' && c.id !== 'SC-X-99').length;
}
