/**
 * Step helpers of the CSMS-under-test cases (issue #13): checks that a CSMS acts on the transaction the
 * case itself started, and opt-in slow steps (those that must wait out the CSMS's own call timeout).
 */
import type { CaseContext, ReceivedCall } from '../../src/scenario';
import type { Transaction } from '../../src/smartcharging';
import { isV16, type Payload } from './lib';

/** The reason a slow step gives when it is not run. */
export const SLOW_REASON = 'slow: run with --include-slow';

/**
 * A step that waits for something the CSMS decides the timing of (its own call timeout). It runs only
 * with `includeSlow` (--include-slow); otherwise it is recorded as skipped with SLOW_REASON, so a
 * default run never waits for a CSMS timeout (issue #13 item 7). Cases holding one carry the tag
 * `slow-step` (shown by --list).
 */
export async function slowStep(t: CaseContext, name: string, fn: () => Promise<unknown>): Promise<void> {
  if (!t.config.includeSlow) {
    await t.step(`${name} (skipped: ${SLOW_REASON})`, () => t.note.info(`step "${name}" skipped: ${SLOW_REASON}`));
    return;
  }
  await t.step(name, fn);
}

/**
 * K01.FR.03 / 1.6 §3.13.1 for this case: the TxProfile the CSMS sent names the transaction the case
 * started, not any other the CSMS may remember (a leftover or an earlier one of this station).
 */
export function checkOwnTransaction(t: CaseContext, call: ReceivedCall, tx: Transaction): void {
  const wire = (isV16(t) ? call.payload.csChargingProfiles : call.payload.chargingProfile) as Payload | undefined;
  const got = wire?.transactionId;
  if (got === undefined) return; // a missing transactionId is already a finding of the station role
  t.check.ok(String(got) === tx.transactionId, `the TxProfile targets the transaction this case started (${tx.transactionId})${String(got) === tx.transactionId ? '' : `, not ${String(got)}`}`, {
    rule: isV16(t) ? '1.6 §3.13.1 / TC_057_CSMS' : 'K01.FR.03',
    frameSeq: call.frame.seq,
    pointer: isV16(t) ? '/csChargingProfiles/transactionId' : '/chargingProfile/transactionId',
    actual: got,
    expected: tx.transactionId,
  });
}
