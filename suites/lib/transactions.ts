/**
 * Transaction helpers of the station suites: start with RemoteStartTransaction (1.6) /
 * RequestStartTransaction (2.0.1), optionally carrying a charging profile, wait for the station to report
 * the start or end, and keep the mirror in step (1.6 §5.11, K05.FR.03, K02.FR.05).
 */
import { model, type CaseContext } from '../../src/scenario';
import type { SmartCharging } from './smartcharging';

type Payload = Record<string, unknown>;
export const ID_TAG = 'SCTEST0001';

let remoteStartIds = 7000;

/** The transaction record a start produced, in the model's shape. */
export interface StartedTx extends model.Transaction {
  /** status of RemoteStartTransaction / RequestStartTransaction */
  status: string;
}

/**
 * Start a transaction with RemoteStartTransaction (1.6) / RequestStartTransaction (2.0.1), optionally
 * carrying a charging profile, and wait for StartTransaction / TransactionEvent(Started). The mirror
 * installs an accepted start profile and binds it to the transaction (1.6 §5.11, K05.FR.03).
 */
export async function requestStart(sc: SmartCharging, evseId: number, profile?: Payload, opts: { intentionalInvalid?: boolean } = {}): Promise<string> {
  const t = sc.t;
  const res = sc.v16
    ? await t.call<Payload>('RemoteStartTransaction', { connectorId: evseId, idTag: ID_TAG, ...(profile ? { chargingProfile: profile } : {}) }, opts)
    : await t.call<Payload>('RequestStartTransaction', { evseId, remoteStartId: remoteStartIds++, idToken: { idToken: ID_TAG, type: 'Central' }, ...(profile ? { chargingProfile: profile } : {}) }, opts);
  const status = res.status as string;
  if (status === 'Accepted' && profile) {
    const parsed = sc.v16 ? model.profileFrom16(profile) : model.profileFrom201(profile);
    const m = sc.mirror.installRemoteStart(evseId, parsed, profile);
    if (m.status !== 'Accepted') sc.mirror.forceInstall(evseId, parsed, profile);
  }
  return status;
}

/** Wait for the station to report the started transaction on `evseId`; binds start profiles in the mirror. */
export async function awaitStarted(sc: SmartCharging, evseId: number): Promise<model.Transaction> {
  const t = sc.t;
  // A station that accepted a remote start may still wait for an EV (1.6 §5.11 "will attempt to start";
  // 2.0.1 F01/F02): no transaction is a precondition this case could not reach, not a SmartCharging
  // nonconformance (issue #11 item 11).
  await t.expectCall(sc.v16 ? 'StartTransaction' : 'TransactionEvent', {
    match: (p) => (sc.v16 ? p.connectorId === evseId : p.eventType === 'Started' && (p.evse as Payload | undefined)?.id === evseId),
    unmet: `the station accepted the remote start on ${sc.v16 ? 'connector' : 'EVSE'} ${evseId} but reported no transaction: plug in an EV (or let the bench do it) when the case starts a transaction, or declare device.features.remoteStart false to skip these cases`,
  });
  // The station knows a 1.6 transactionId only from StartTransaction.conf, which the harness sends as
  // soon as the CALL is handled; the station still has to read it before the next request (no protocol
  // signal says when). A short pause keeps a following TxProfile from overtaking it at the station.
  await new Promise((r) => setTimeout(r, 100));
  // Recorded synchronously by the harness's StartTransaction / TransactionEvent handler.
  const rec = t.transactions.find((x) => x.active && x.evseId === evseId);
  if (!rec) throw new Error(`transaction on ${sc.v16 ? 'connector' : 'EVSE'} ${evseId} was reported but not recorded`);
  const tx = { evseId, transactionId: rec.transactionId, startedAt: rec.startedAt };
  sc.mirror.startTransaction(tx);
  return tx;
}

/** Start a transaction (needs: features remoteStart); the start must be Accepted. */
export async function startTx(sc: SmartCharging, evseId: number, profile?: Payload): Promise<StartedTx> {
  const status = await requestStart(sc, evseId, profile);
  // A station may refuse a remote start (1.6 §5.11, 2.0.1 F01): the case cannot reach its subject (ERROR).
  if (status !== 'Accepted') {
    sc.t.unmet(`${sc.v16 ? 'RemoteStartTransaction' : 'RequestStartTransaction'} on ${sc.v16 ? 'connector' : 'EVSE'} ${evseId} was answered ${status}; this case needs a transaction (is the connector free and available?)`);
  }
  return { ...(await awaitStarted(sc, evseId)), status };
}

/** Stop a transaction and wait for StopTransaction / TransactionEvent(Ended); the mirror drops its TxProfiles. */
export async function stopTx(sc: SmartCharging, tx: model.Transaction): Promise<void> {
  // 1.6 §5.12: a RemoteStop for an ongoing transaction is accepted and the transaction SHALL be stopped;
  // 2.0.1 F03 likewise for RequestStopTransaction.
  await stopAndAwait(sc.t, tx.transactionId, (s) => sc.t.assert.equal(s, 'Accepted', 'stop request accepted', { pointer: '/status', rule: sc.v16 ? '1.6 §5.12' : 'F03 (RequestStopTransaction)' }));
  sc.mirror.endTransaction(tx.transactionId);
}

/**
 * RemoteStopTransaction (1.6) / RequestStopTransaction (2.0.1) and wait for the station to report the end
 * (StopTransaction / TransactionEvent Ended). `judge` sees the stop status before the wait (clean slate and
 * stopTx share this).
 */
export async function stopAndAwait(t: CaseContext, transactionId: string, judge: (status: string) => void = () => undefined): Promise<string> {
  const v16 = t.ocpp === '1.6';
  const res = v16
    ? await t.call<Payload>('RemoteStopTransaction', { transactionId: Number(transactionId) })
    : await t.call<Payload>('RequestStopTransaction', { transactionId });
  judge(res.status as string);
  await t.expectCall(v16 ? 'StopTransaction' : 'TransactionEvent', {
    match: (p) => (v16 ? String(p.transactionId) === transactionId : p.eventType === 'Ended' && (p.transactionInfo as Payload).transactionId === transactionId),
    rule: v16 ? '1.6 §5.12' : 'F03 (RequestStopTransaction)',
  });
  return res.status as string;
}

/** Start a 2.0.1 transaction with RequestStartTransaction; undefined (INFO) when the station will not. */
export async function startTransaction201(t: CaseContext, evseId: number): Promise<string | undefined> {
  if (t.caps.features.remoteStart === false) {
    t.note.info('remote start not available (PICS): the TxProfile part of this case is left out');
    return undefined;
  }
  const remoteStartId = 4000 + evseId;
  const r = await t.tryCall<Payload>('RequestStartTransaction', { evseId, remoteStartId, idToken: { idToken: 'SCHARNESS01', type: 'Central' } });
  if (!r.ok || r.payload.status !== 'Accepted') {
    t.note.info(`RequestStartTransaction not accepted (${r.ok ? String(r.payload.status) : r.errorCode ?? 'error'}): the TxProfile part of this case is left out`);
    return undefined;
  }
  const ev = await t.expectCall('TransactionEvent', {
    match: (p) => p.eventType === 'Started' && ((p.evse as Payload | undefined)?.id === evseId || (p.transactionInfo as Payload | undefined)?.remoteStartId === remoteStartId),
    unmet: `the station accepted RequestStartTransaction on EVSE ${evseId} but reported no transaction: plug in an EV when the case starts a transaction`,
  });
  // The harness's TransactionEvent handler has recorded the transaction before expectCall resolves.
  return (ev.payload.transactionInfo as Payload).transactionId as string;
}
