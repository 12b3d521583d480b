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
  private nextTxId = 1;
  heartbeatIntervalS = 300;

  activeTransaction(evseId: number): TransactionRecord | undefined {
    return this.transactions.find((t) => t.active && t.evseId === evseId);
  }

  /** 1.6: the CSMS assigns the integer transactionId (1.6 §6.46 StartTransaction.conf). */
  allocate16(): number {
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
      StatusNotification: empty,
      MeterValues: empty,
      Authorize: () => ({ idTagInfo: { status: 'Accepted' } }),
      StartTransaction: (p) => {
        const id = state.allocate16();
        state.transactions.push({
          transactionId: String(id),
          evseId: p.connectorId as number,
          startedAt: p.timestamp as string,
          active: true,
          idTag: p.idTag as string,
        });
        return { transactionId: id, idTagInfo: { status: 'Accepted' } };
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
    StatusNotification: empty,
    MeterValues: empty,
    Authorize: () => ({ idTokenInfo: { status: 'Accepted' } }),
    TransactionEvent: (p) => {
      const info = p.transactionInfo as Payload;
      const id = info.transactionId as string;
      if (p.eventType === 'Started') {
        state.transactions.push({
          transactionId: id,
          evseId: ((p.evse as Payload | undefined)?.id as number | undefined) ?? 0,
          startedAt: p.timestamp as string,
          active: true,
          remoteStartId: info.remoteStartId as number | undefined,
        });
      } else if (p.eventType === 'Ended') {
        const t = state.transactions.find((x) => x.transactionId === id);
        if (t) t.active = false;
      }
      return p.idToken ? { idTokenInfo: { status: 'Accepted' } } : {};
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
  };
}

/** Install the defaults on a session (the reference CSMS uses this directly). */
export function installCsmsDefaults(session: RpcSession, state: CsmsStationState): void {
  for (const [action, h] of Object.entries(csmsDefaultHandlers(session.version, state))) session.handle(action, h);
}
