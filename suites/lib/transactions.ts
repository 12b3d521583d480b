/**
 * Transaction helpers of the station suites: start with RemoteStartTransaction (1.6) /
 * RequestStartTransaction (2.0.1), optionally carrying a charging profile, wait for the station to report
 * the start or end, and keep the mirror in step (1.6 §5.11, K05.FR.03, K02.FR.05).
 */
import { randomUUID } from 'node:crypto';
import { model, type CaseContext } from '../../src/scenario';
import type { SmartCharging } from './smartcharging';
import { PLUG_IN_HINT, plugInIfConfigured, unplugIfConfigured } from './stationActions';
import { readProfile } from './version';

type Payload = Record<string, unknown>;
export const ID_TAG = 'SCTEST0001';

let remoteStartIds = 7000;

/** Largest 1.6 transactionId: the schema's "integer", 32-bit signed in OCPP-J implementations. */
export const MAX_TRANSACTION_ID_16 = 2147483647;

/**
 * A transactionId that no transaction of this run has, schema-valid for the version (issue #12 item 1:
 * identifiers are opaque; never derived from the station's own id by string surgery, which can break the
 * schema, e.g. a 36-character UUID + "-X" exceeds 2.0.1 identifierString maxLength 36).
 * 1.6: an integer `near` + 1000 (or − 1000 when that passes 2^31−1), stepped past any known id.
 * 2.0.1: a fresh UUID (36 characters).
 */
export function unknownTransactionId(t: CaseContext, near?: string): string {
  const known = new Set(t.transactions.map((x) => x.transactionId));
  if (!v16Of(t)) {
    let id = randomUUID();
    while (known.has(id)) id = randomUUID();
    return id;
  }
  const base = near !== undefined && /^-?\d+$/.test(near) ? Number(near) : 0;
  const step = base + 1000 <= MAX_TRANSACTION_ID_16 ? 1000 : -1000;
  let id = base + step;
  while (known.has(String(id))) id += Math.sign(step);
  return String(id);
}

/** The transaction record a start produced, in the model's shape. */
export interface StartedTx extends model.Transaction {
  /** status of RemoteStartTransaction / RequestStartTransaction */
  status: string;
}

/** What identifies the transaction a remote start asked for (issue #12 item 2). */
export interface StartRequest {
  evseId: number;
  idTag: string;
  /** 2.0.1 RequestStartTransaction.remoteStartId. */
  remoteStartId?: number;
}

const v16Of = (t: CaseContext) => t.ocpp === '1.6';
/** Seconds elapsed since `t0` (whole seconds, harness clock). */
export const since = (t0: Date) => Math.floor(Date.now() / 1000) - Math.floor(t0.getTime() / 1000);

const where = (t: CaseContext, evseId: number) => `${v16Of(t) ? 'connector' : 'EVSE'} ${evseId}`;
/** The connector / EVSE a StatusNotification is about (1.6 connectorId, 2.0.1 evseId). */
const statusEvse = (t: CaseContext, p: Payload) => (v16Of(t) ? p.connectorId : p.evseId) as number;

/**
 * Whether a remote start on `evseId` can be expected to succeed now (issue #12 item 3). 1.6: the last
 * StatusNotification says Available or Preparing (1.6 §4.9: Finishing / Charging / Suspended* are in a
 * transaction or its end, a RemoteStart is then rightly Rejected). 2.0.1: Available, or no active transaction
 * on the EVSE (Occupied with a cable plugged in and no transaction is where a remote start is meant to go).
 * No status reported yet: nothing to wait for.
 */
export function connectorFree(t: CaseContext, evseId: number): boolean {
  const status = t.connectors.get(evseId)?.status;
  if (v16Of(t)) return status === undefined || status === 'Available' || status === 'Preparing';
  return status === undefined || status === 'Available' || !t.transactions.some((x) => x.active && x.evseId === evseId);
}

/** Statuses during or right after a transaction: a Rejected remote start is retried once they change. */
const BUSY = new Set(['Finishing', 'Charging', 'SuspendedEV', 'SuspendedEVSE', 'Occupied']);

/**
 * Wait, bounded by `ms`, until the connector is free (connectorFree). Each StatusNotification about it
 * ends one wait (protocol events, no fixed sleeps). Returns whether it is free.
 */
export async function awaitConnectorFree(t: CaseContext, evseId: number, ms: number, onBusy?: () => Promise<unknown>): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!connectorFree(t, evseId)) {
    // A status that arrived meanwhile (Finishing after the stop) may call for the bench (unplug).
    await onBusy?.();
    if (connectorFree(t, evseId)) break;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await t.quietFor('StatusNotification', left, (p) => statusEvse(t, p) === evseId);
  }
  return true;
}

/**
 * Start a transaction with RemoteStartTransaction (1.6) / RequestStartTransaction (2.0.1), optionally
 * carrying a charging profile. The mirror installs an accepted start profile and binds it to the
 * transaction (1.6 §5.11, K05.FR.03).
 */
export async function requestStart(sc: SmartCharging, evseId: number, profile?: Payload, opts: { intentionalInvalid?: boolean } = {}): Promise<string> {
  return (await sendStart(sc, evseId, profile, opts)).status;
}

async function sendStart(sc: SmartCharging, evseId: number, profile?: Payload, opts: { intentionalInvalid?: boolean } = {}): Promise<{ status: string; req: StartRequest }> {
  const t = sc.t;
  const req: StartRequest = { evseId, idTag: ID_TAG, ...(sc.v16 ? {} : { remoteStartId: remoteStartIds++ }) };
  const res = sc.v16
    ? await t.call<Payload>('RemoteStartTransaction', { connectorId: evseId, idTag: ID_TAG, ...(profile ? { chargingProfile: profile } : {}) }, opts)
    : await t.call<Payload>('RequestStartTransaction', { evseId, remoteStartId: req.remoteStartId, idToken: { idToken: ID_TAG, type: 'Central' }, ...(profile ? { chargingProfile: profile } : {}) }, opts);
  const status = res.status as string;
  if (status === 'Accepted' && profile) {
    const parsed = readProfile(sc.t, profile);
    const m = sc.mirror.installRemoteStart(evseId, parsed, profile);
    if (m.status !== 'Accepted') sc.mirror.forceInstall(evseId, parsed, profile);
  }
  return { status, req };
}

/** Transactions already reported as ignored (one INFO each, per case context). */
const noted = new WeakMap<CaseContext, Set<unknown>>();

/**
 * Note (INFO) every transaction start received in this case that is not the one the harness asked for
 * (issue #12 item 2: a station's own sessions are legal, and not the case's subject).
 */
function noteForeign(t: CaseContext, ours: unknown): void {
  const seen = noted.get(t) ?? new Set<unknown>();
  noted.set(t, seen);
  // The harness's own starts of this case are never foreign, whichever start asked later (MicroOcpp run,
  // session 5: the case's first transaction was noted as "not asked for" when it started a second one).
  seen.add(ours);
  const starts = v16Of(t) ? t.received('StartTransaction') : t.received('TransactionEvent').filter((c) => c.payload.eventType === 'Started');
  for (const c of starts) {
    if (seen.has(c)) continue;
    seen.add(c);
    const p = c.payload;
    const tag = v16Of(t) ? p.idTag : (p.idToken as Payload | undefined)?.idToken;
    const on = v16Of(t) ? p.connectorId : (p.evse as Payload | undefined)?.id;
    t.note.info(`ignored a transaction the harness did not ask for (${v16Of(t) ? 'connector' : 'EVSE'} ${String(on)}, ${v16Of(t) ? 'idTag' : 'idToken'} ${String(tag ?? 'none')})`);
  }
}

/**
 * Whether a transaction start is the one `req` asked for. 1.6: StartTransaction with the idTag and
 * connector (1.6 §5.11 / §6.46). 2.0.1: a TransactionEvent on the EVSE carrying the remoteStartId
 * (F01.FR.25: the first TransactionEvent after the start carries it; with an EV already charging it may be an
 * Updated event, E02) or, failing that, the Started event with the idToken.
 */
function isOurs(t: CaseContext, req: StartRequest, p: Payload): boolean {
  if (v16Of(t)) return p.connectorId === req.evseId && p.idTag === req.idTag;
  if (p.eventType === 'Ended') return false;
  const info = p.transactionInfo as Payload | undefined;
  const evse = (p.evse as Payload | undefined)?.id as number | undefined;
  const rec = t.transactions.find((x) => x.transactionId === info?.transactionId);
  const onEvse = evse === req.evseId || (evse === undefined && rec?.evseId === req.evseId);
  if (!onEvse) return false;
  if (req.remoteStartId !== undefined && info?.remoteStartId === req.remoteStartId) return true;
  return p.eventType === 'Started' && info?.remoteStartId === undefined && (p.idToken as Payload | undefined)?.idToken === req.idTag;
}

/** Wait for the station to report the transaction `req` asked for; binds start profiles in the mirror. */
export async function awaitStarted(sc: SmartCharging, reqOrEvse: StartRequest | number): Promise<model.Transaction> {
  const t = sc.t;
  const req: StartRequest = typeof reqOrEvse === 'number' ? { evseId: reqOrEvse, idTag: ID_TAG } : reqOrEvse;
  const evseId = req.evseId;
  // A station that accepted a remote start may still wait for an EV (1.6 §5.11 "will attempt to start";
  // 2.0.1 F01/F02): no transaction is a precondition this case could not reach, not a SmartCharging
  // nonconformance (issue #11 item 11).
  // A real station waits for an EV after an Accepted remote start: the configured plugIn station action
  // (issue #12 item 5) plugs one in. A start reported meanwhile stays in the case inbox for expectCall.
  await plugInIfConfigured(t, evseId);
  const got = await t.expectCall(sc.v16 ? 'StartTransaction' : 'TransactionEvent', {
    match: (p) => isOurs(t, req, p),
    unmet: `the station accepted the remote start on ${where(t, evseId)} but reported no transaction for idTag ${req.idTag}: ${PLUG_IN_HINT} (or declare device.features.remoteStart false to skip these cases)`,
  });
  noteForeign(t, got);
  // The station knows a 1.6 transactionId only from StartTransaction.conf, which the harness sends as
  // soon as the CALL is handled; the station still has to read it before the next request (no protocol
  // signal says when). A short pause keeps a following TxProfile from overtaking it at the station. 2.0.1
  // needs none: the station chose the transactionId itself (E01/E02 TransactionEvent Started).
  if (sc.v16) await new Promise((r) => setTimeout(r, 100));
  // Recorded synchronously by the harness's StartTransaction / TransactionEvent handler: the record of
  // this very start (1.6: idTag, connector and timestamp; 2.0.1: its transactionId).
  const p = got.payload;
  const rec = sc.v16
    ? [...t.transactions].reverse().find((x) => x.evseId === evseId && x.idTag === req.idTag && x.startedAt === p.timestamp)
    : t.transactions.find((x) => x.transactionId === (p.transactionInfo as Payload).transactionId);
  if (!rec) throw new Error(`transaction on ${where(t, evseId)} was reported but not recorded`);
  const tx = { evseId, transactionId: rec.transactionId, startedAt: rec.startedAt };
  sc.mirror.startTransaction(tx);
  return tx;
}

/**
 * Start a transaction (needs: features remoteStart); the start must be Accepted. Waits first, bounded, for
 * the connector to be free, and retries a start Rejected while the connector is still busy (Finishing /
 * Occupied after the previous transaction) each time its status changes, within the same window
 * (issue #12 item 3: 1.6 §5.11 lets the station refuse a start on a connector that is not available).
 */
export async function startTx(sc: SmartCharging, evseId: number, profile?: Payload): Promise<StartedTx> {
  const t = sc.t;
  const windowMs = t.config.timing.callTimeoutMs;
  const deadline = Date.now() + windowMs;
  const unplug = { tried: false };
  const onBusy = () => unplugIfIdle(t, evseId, unplug);
  let retriedFree = false;
  await awaitConnectorFree(t, evseId, windowMs, onBusy);
  for (;;) {
    const { status, req } = await sendStart(sc, evseId, profile);
    if (status === 'Accepted') return { ...(await awaitStarted(sc, req)), status };
    // 2.0.1 reports Occupied while the cable is in, which connectorFree cannot tell from a free connector.
    if (await unplugIfIdle(t, evseId, unplug)) continue;
    const last = t.connectors.get(evseId)?.status;
    const left = deadline - Date.now();
    // Refused although the connector just reported Available: a station may still be settling its own status
    // (SAP simulator: it takes a start only once our answer to that StatusNotification is processed). Once,
    // after a quiet period; a second refusal is the station's answer.
    const availableAt = last === 'Available' ? t.connectors.get(evseId)!.at : undefined;
    if (!retriedFree && availableAt !== undefined && Date.now() - availableAt <= t.quietMs() && left > 0) {
      retriedFree = true;
      t.note.info(`${sc.v16 ? 'RemoteStartTransaction' : 'RequestStartTransaction'} on ${where(t, evseId)} was answered ${status} right after the connector reported Available: asked once more after a quiet period`);
      await t.quietFor('StatusNotification', Math.min(left, t.quietMs()), (p) => statusEvse(t, p) === evseId);
      continue;
    }
    // Retry only where the refusal can be the connector's state: a status change ends each wait.
    const changed = last !== undefined && BUSY.has(last) && left > 0 ? await t.quietFor('StatusNotification', left, (p) => statusEvse(t, p) === evseId) : undefined;
    // A station may refuse a remote start (1.6 §5.11, 2.0.1 F01): the case cannot reach its subject (ERROR).
    if (!changed) {
      t.unmet(
        `${sc.v16 ? 'RemoteStartTransaction' : 'RequestStartTransaction'} on ${where(t, evseId)} was answered ${status}${last ? ` (last status ${last})` : ''}` +
          `; this case needs a transaction (${last !== undefined && BUSY.has(last) ? `the connector stayed ${last} for ${windowMs} ms: end the previous session, e.g. unplug the cable` : 'is the connector free and available?'})`,
      );
    }
    await awaitConnectorFree(t, evseId, Math.max(0, deadline - Date.now()));
  }
}

/**
 * A connector the previous session left Finishing (1.6) / Occupied (2.0.1), with no transaction running:
 * unplug the EV when the bench can (stationActions.unplug), once per start. Some stations stay Finishing
 * until the cable is pulled (MicroOcpp), so without it every later start waited the whole window and was
 * then refused. True when the action ran (the caller waits for the connector again). Noted (INFO): the HTTP
 * call itself is not in the trace.
 */
async function unplugIfIdle(t: CaseContext, evseId: number, state: { tried: boolean }): Promise<boolean> {
  if (state.tried) return false;
  const status = t.connectors.get(evseId)?.status;
  if (status !== 'Finishing' && status !== 'Occupied') return false;
  if (t.transactions.some((x) => x.active && x.evseId === evseId)) return false;
  // Only a cable left from a session that ended there: 2.0.1 Occupied is also an EV plugged in on purpose.
  if (!t.transactions.some((x) => !x.active && x.evseId === evseId)) return false;
  state.tried = true;
  if (!(await unplugIfConfigured(t, evseId))) return false;
  t.note.info(`unplugged the EV at ${where(t, evseId)} (stationActions.unplug): the connector was still ${status} after the last transaction there ended`);
  // 2.0.1 counts Occupied without a transaction as free: wait for the station's next status, not for "free"
  // (unless it already came while the action ran).
  const before = t.connectors.get(evseId);
  if (before?.status === status) await t.quietFor('StatusNotification', t.config.timing.callTimeoutMs, (p) => statusEvse(t, p) === evseId);
  return true;
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
  // A fresh remoteStartId identifies this start among the station's own sessions (issue #12 item 2).
  const req: StartRequest = { evseId, idTag: 'SCHARNESS01', remoteStartId: remoteStartIds++ };
  await awaitConnectorFree(t, evseId, t.config.timing.callTimeoutMs);
  const r = await t.tryCall<Payload>('RequestStartTransaction', { evseId, remoteStartId: req.remoteStartId, idToken: { idToken: req.idTag, type: 'Central' } });
  if (!r.ok || r.payload.status !== 'Accepted') {
    t.note.info(`RequestStartTransaction not accepted (${r.ok ? String(r.payload.status) : r.errorCode ?? 'error'}): the TxProfile part of this case is left out`);
    return undefined;
  }
  await plugInIfConfigured(t, evseId);
  const ev = await t.expectCall('TransactionEvent', {
    match: (p) => isOurs(t, req, p),
    unmet: `the station accepted RequestStartTransaction on EVSE ${evseId} but reported no transaction: ${PLUG_IN_HINT}`,
  });
  noteForeign(t, ev);
  // The harness's TransactionEvent handler has recorded the transaction before expectCall resolves.
  return (ev.payload.transactionInfo as Payload).transactionId as string;
}
