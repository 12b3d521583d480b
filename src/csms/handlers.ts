import type { OcppVersion } from '../ocpp/version';
import type { Payload } from '../ocppj/messages';
import type { RpcSession, CallHandler } from '../transport';

/** A transaction as the CSMS saw it start (1.6 StartTransaction / 2.0.1 TransactionEvent Started). */
export interface TransactionRecord {
  transactionId: string;
  evseId: number;
  startedAt: string;
  active: boolean;
  idTag?: string;
  remoteStartId?: number;
}

/** The harness's own idTags / idTokens: always Accepted whatever the policy (issue #12 item 6). */
export const HARNESS_TOKENS: readonly string[] = ['SCTEST0001', 'SCHARNESS01'];

/** The idTag policy of the CSMS answers (run config `csms.authorize`). */
export interface AuthorizePolicy {
  default?: string;
  tokens?: Record<string, string>;
}

/** The status the CSMS answers for `idTag` (Accepted when no policy applies). */
export function authorizationStatus(policy: AuthorizePolicy | undefined, idTag: string | undefined): string {
  if (idTag === undefined || HARNESS_TOKENS.includes(idTag)) return 'Accepted';
  return policy?.tokens?.[idTag] ?? policy?.default ?? 'Accepted';
}

/** First 1.6 transactionId under the built-in 'large-transaction-ids' quirk: ids run up to 2^31-1 within a suite. */
export const LARGE_TRANSACTION_ID = 2147483647 - 200;

/** Connector status as the station last reported it (1.6 status / 2.0.1 connectorStatus). */
export interface ConnectorState {
  status: string;
  /** ms since epoch when the harness received it. */
  at: number;
}

export interface StationInfo {
  vendor?: string;
  model?: string;
  firmware?: string;
  serial?: string;
  bootedAt?: string;
}

/**
 * What a CSMS must remember about one station to answer it: boot data and transactions. Shared by the
 * harness playing the CSMS and by the reference CSMS.
 */
export class CsmsStationState {
  boot: StationInfo | undefined;
  readonly transactions: TransactionRecord[] = [];
  /** Last StatusNotification per connector (1.6) / EVSE (2.0.1), so a remote start can wait for it to be free. */
  readonly connectors = new Map<number, ConnectorState>();
  private nextTxId: number;
  heartbeatIntervalS = 300;

  /** `firstTransactionId`: the first 1.6 transactionId assigned (any integer up to 2^31-1, 1.6 §6.46). */
  constructor(opts: { firstTransactionId?: number; authorize?: AuthorizePolicy } = {}) {
    this.nextTxId = opts.firstTransactionId ?? 1;
    this.authorize = opts.authorize;
  }

  readonly authorize: AuthorizePolicy | undefined;

  activeTransaction(evseId: number): TransactionRecord | undefined {
    return this.transactions.find((t) => t.active && t.evseId === evseId);
  }

  /** 1.6: the CSMS assigns the integer transactionId (1.6 §6.46 StartTransaction.conf). */
  allocate16(): number {
    // The schema's integer is 32-bit in practice (OCPP-J implementations): wrap rather than overflow.
    if (this.nextTxId > 2147483647) this.nextTxId = 1;
    return this.nextTxId++;
  }
}

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Default answers to every station-initiated message of the CSMS role: schema-valid, Accepted, and
 * recorded (engineering notes §5 "Unsolicited traffic": legal at any time, never a failure).
 */
export function csmsDefaultHandlers(version: OcppVersion, state: CsmsStationState): Record<string, CallHandler> {
  const empty: CallHandler = () => ({});
  if (version === '1.6') {
    return {
      BootNotification: (p) => {
        state.boot = {
          vendor: p.chargePointVendor as string,
          model: p.chargePointModel as string,
          firmware: p.firmwareVersion as string | undefined,
          serial: (p.chargePointSerialNumber ?? p.chargeBoxSerialNumber) as string | undefined,
          bootedAt: now(),
        };
        return { status: 'Accepted', currentTime: now(), interval: state.heartbeatIntervalS };
      },
      Heartbeat: () => ({ currentTime: now() }),
      StatusNotification: (p) => {
        state.connectors.set(p.connectorId as number, { status: p.status as string, at: Date.now() });
        return {};
      },
      MeterValues: empty,
      Authorize: (p) => ({ idTagInfo: { status: authorizationStatus(state.authorize, p.idTag as string) } }),
      StartTransaction: (p) => {
        const id = state.allocate16();
        state.transactions.push({
          transactionId: String(id),
          evseId: p.connectorId as number,
          startedAt: p.timestamp as string,
          active: true,
          idTag: p.idTag as string,
        });
        return { transactionId: id, idTagInfo: { status: authorizationStatus(state.authorize, p.idTag as string) } };
      },
      StopTransaction: (p) => {
        const t = state.transactions.find((x) => x.transactionId === String(p.transactionId));
        if (t) t.active = false;
        return {};
      },
      DataTransfer: () => ({ status: 'UnknownVendorId' }),
      DiagnosticsStatusNotification: empty,
      FirmwareStatusNotification: empty,
      SecurityEventNotification: empty,
      LogStatusNotification: empty,
      SignedFirmwareStatusNotification: empty,
    };
  }
  return {
    BootNotification: (p) => {
      const cs = p.chargingStation as Payload;
      state.boot = {
        vendor: cs.vendorName as string,
        model: cs.model as string,
        firmware: cs.firmwareVersion as string | undefined,
        serial: cs.serialNumber as string | undefined,
        bootedAt: now(),
      };
      return { status: 'Accepted', currentTime: now(), interval: state.heartbeatIntervalS };
    },
    Heartbeat: () => ({ currentTime: now() }),
    StatusNotification: (p) => {
      // Keyed by EVSE: one connector per EVSE is what the suites drive (device.connectorsPerEvse).
      state.connectors.set(p.evseId as number, { status: p.connectorStatus as string, at: Date.now() });
      return {};
    },
    MeterValues: empty,
    Authorize: (p) => ({ idTokenInfo: { status: authorizationStatus(state.authorize, (p.idToken as Payload | undefined)?.idToken as string | undefined) } }),
    TransactionEvent: (p) => {
      const info = p.transactionInfo as Payload;
      const id = info.transactionId as string;
      const idToken = (p.idToken as Payload | undefined)?.idToken as string | undefined;
      const known = state.transactions.find((x) => x.transactionId === id);
      if (p.eventType === 'Started' && !known) {
        state.transactions.push({
          transactionId: id,
          evseId: ((p.evse as Payload | undefined)?.id as number | undefined) ?? 0,
          startedAt: p.timestamp as string,
          active: true,
          idTag: idToken,
          remoteStartId: info.remoteStartId as number | undefined,
        });
      } else if (known) {
        // E02: a transaction started by the EV may be authorized later (idToken, remoteStartId in an Updated event).
        known.idTag ??= idToken;
        known.remoteStartId ??= info.remoteStartId as number | undefined;
        if (p.eventType === 'Ended') known.active = false;
      }
      return p.idToken ? { idTokenInfo: { status: authorizationStatus(state.authorize, idToken) } } : {};
    },
    NotifyChargingLimit: empty,
    ClearedChargingLimit: empty,
    NotifyEVChargingNeeds: () => ({ status: 'Accepted' }),
    NotifyEVChargingSchedule: () => ({ status: 'Accepted' }),
    ReportChargingProfiles: empty,
    NotifyReport: empty,
    NotifyEvent: empty,
    NotifyMonitoringReport: empty,
    NotifyCustomerInformation: empty,
    NotifyDisplayMessages: empty,
    SecurityEventNotification: empty,
    FirmwareStatusNotification: empty,
    LogStatusNotification: empty,
    PublishFirmwareStatusNotification: empty,
    ReservationStatusUpdate: empty,
    DataTransfer: () => ({ status: 'UnknownVendorId' }),
    // 2.1 (issue #16): the response carries nothing; what the station says is judged by the cases (SC-21-14).
    ...(version === '2.1' ? { NotifyPriorityCharging: empty } : {}),
  };
}

/** Install the defaults on a session (the reference CSMS uses this directly). */
export function installCsmsDefaults(session: RpcSession, state: CsmsStationState): void {
  for (const [action, h] of Object.entries(csmsDefaultHandlers(session.version, state))) session.handle(action, h);
}
