/**
 * Transactions the harness station has ended, with when the CSMS was told (issue #13 point 3 "timing
 * artefacts"). A CSMS request that names a finished transaction is only the CSMS's fault when it was
 * sent after the CSMS had been told the transaction ended: frames cross on the wire, so a reaction that
 * arrives between our TransactionEvent(Ended) / StopTransaction and the CSMS's answer to it may have
 * been sent before the CSMS knew (K01.FR.03 cannot be judged; WARN), while one that arrives after that
 * answer was sent by a CSMS that knew (FAIL). Frame order on one WebSocket is the clock here.
 */
import type { Transaction } from '../smartcharging';

export interface EndedTransaction {
  transaction: Transaction;
  /** ms since epoch: the Ended event / StopTransaction was handed to the socket. */
  sentAt: number;
  /** ms since epoch: the CSMS's answer to it arrived; unset while unanswered (or answered with an error). */
  toldAt?: number;
}

export class EndedTransactions {
  private readonly list: EndedTransaction[] = [];

  /** Record that the station is about to tell the CSMS that `tx` ended. */
  begin(tx: Transaction): EndedTransaction {
    const e: EndedTransaction = { transaction: tx, sentAt: Date.now() };
    this.list.push(e);
    // Bounded memory over a long run: only the recent ends matter for crossing frames.
    if (this.list.length > 64) this.list.shift();
    return e;
  }

  /** The CSMS answered the Ended event: from now on it knows. */
  told(e: EndedTransaction): void {
    e.toldAt = Date.now();
  }

  all(): readonly EndedTransaction[] {
    return this.list;
  }
}
