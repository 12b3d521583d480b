/**
 * The harness as Charging Station (issue #6): answers the CSMS like a conforming station, with the
 * SmartCharging model deciding every answer (ProfileStore, composite, filters), advertises its
 * capabilities from `config.device`, boots on connect, and checks every SmartCharging request the CSMS
 * sends (src/station/checks.ts). Findings reach the running case as protocol violations of the peer
 * (the runner attaches them to the case, like schema and framing violations) and are kept in
 * `findings` for inspection.
 */
import { randomUUID } from 'node:crypto';
import type { Payload } from '../ocppj/messages';
import { CallErrorReply, CallErrorResponse, CallTimeoutError } from '../ocppj/errors';
import type { CallHandler, ProtocolViolation, Reply, RpcSession } from '../transport';
import type { RunConfig } from '../runner/config';
import type { TraceFrame } from '../report/types';
import { ProfileStore, fromEpochSeconds, type DeviceLimits, type Transaction } from '../smartcharging';
import { advertised21, answer21, smartChargingVariable21, V21_ACTIONS, type DynamicUpdate, type ForgottenProfile } from './v21';
import {
  answerCompositeSchedule,
  answerSetChargingProfile,
  configurationKeys,
  getConfigurationAnswer,
  getVariablesAnswer,
  parseProfile,
  reportFrames,
  setChargingProfileRequest,
  smartChargingVariable,
  SMART_CHARGING_CTRLR,
  type ConfigurationKey,
  sendSequentially,
} from './answers';
import { checkCsmsRequest, type Finding, type StationVersion } from './checks';
import { baseReportSelection, deviceModel, notifyReportFrames, reportSelection, type ModelVariable } from './deviceModel';
import { EndedTransactions } from './ended';

const nowS = () => Math.floor(Date.now() / 1000);
const iso = (s: number) => fromEpochSeconds(s);

export interface RecordedFinding extends Finding {
  action: string;
  frameSeq?: number;
}

/** Sends a CALL as the station (a case's `t.call`, or the session directly). */
/** chargingSchedule ids the station reports step by this, leaving room for a CSMS's own "highest + 1" ids. */
const SCHEDULE_ID_STRIDE = 10;

export type StationCall = <T = Payload>(action: string, payload: Payload) => Promise<T>;

export class HarnessStation {
  readonly version: StationVersion;
  readonly limits: DeviceLimits;
  /** What the station holds; replaced (not mutated) by `reset` so no case sees another case's profiles. */
  store: ProfileStore;
  readonly transactions: Transaction[] = [];
  readonly findings: RecordedFinding[] = [];
  /** Ended transactions and when the CSMS was told (a late reaction is judged by frame order, issue #13). */
  readonly ended = new EndedTransactions();
  /** Profiles per ReportChargingProfiles frame in the default GetChargingProfiles answer. */
  pageSize = 2;
  /** reportData entries per NotifyReport frame (DeviceDataCtrlr.ItemsPerMessage[GetReport]). */
  itemsPerMessage = 10;
  private session: RpcSession | undefined;
  private txCounter = 0;
  /** Transactions accepted by a remote start but not yet announced (the Started event is in flight). */
  private readonly pendingStarts = new Set<Promise<unknown>>();
  /** Report frames (ReportChargingProfiles, NotifyReport) being sent after their request's answer. */
  private reporting: Promise<void> = Promise.resolve();
  /** Report frames queued and not yet answered (isolation waits for them, issue #13 H). */
  private reportsPending = 0;
  /** Transactions whose start (event + StatusNotification) is still being sent: a stop waits for it. */
  private readonly starting = new Map<Transaction, Promise<void>>();
  /**
   * chargingSchedule ids of what the station reports (issue #13 item 5): distinct within and across runs,
   * never a fixed 1, so a CSMS storing schedules by (station, id) keeps them apart.
   */
  private scheduleIds = (Math.floor(Date.now() / 1000) % 100_000) * 1000;
  /** 2.1: UpdateDynamicSchedule updates the station accepted, newest last (what a case reads back). */
  readonly dynamicUpdates: DynamicUpdate[] = [];
  /** 2.1: profile ids dropped without the CSMS asking (reset between cases, end of their transaction). */
  readonly forgotten = new Map<number, ForgottenProfile>();
  /** 1.6 configuration values changed by ChangeConfiguration. */
  private readonly configValues = new Map<string, string>();

  constructor(readonly config: RunConfig) {
    this.version = config.ocpp;
    const d = config.device;
    this.limits = {
      evses: d.evses,
      maxStackLevel: d.maxStackLevel,
      maxProfiles: d.maxProfiles,
      maxPeriods: d.periodsPerSchedule,
      rateUnits: [...d.rateUnits],
      nominalVoltage: d.nominalVoltage,
      // 2.1 (issue #16): what the station advertises of Dynamic profiles, the new purposes and operationModes.
      ...(config.ocpp === '2.1' ? advertised21(d.features) : {}),
    };
    this.store = new ProfileStore(this.version, this.limits);
  }

  /**
   * A fresh chargingSchedule id for a schedule the station reports. Ids go in steps of SCHEDULE_ID_STRIDE
   * and skip past every id the CSMS used (noteScheduleIds): a CSMS that numbers its own schedules "highest
   * stored + 1" (CitrineOS, unique per station) would otherwise hand out the id the station reports next
   * (seen as InternalError / HTTP 500 on a valid report, issue #13 run 4).
   */
  nextScheduleId(): number {
    this.scheduleIds += SCHEDULE_ID_STRIDE;
    return this.scheduleIds;
  }

  /** Keep the station's next schedule ids above every chargingSchedule id found in a CSMS request. */
  private noteScheduleIds(payload: Payload): void {
    const profile = (payload.chargingProfile ?? payload.csChargingProfiles) as Payload | undefined;
    const schedules = profile?.chargingSchedule;
    for (const s of Array.isArray(schedules) ? schedules : schedules ? [schedules] : []) {
      const id = (s as Payload).id;
      if (typeof id === 'number' && Number.isSafeInteger(id) && id >= this.scheduleIds) this.scheduleIds = id - (id % SCHEDULE_ID_STRIDE);
    }
  }

  /** Resolves when the report frames queued so far were sent (or their sending failed). */
  reportsSent(): Promise<void> {
    return this.reporting;
  }

  /** Report frames queued or in flight (not yet answered). */
  get pendingReports(): number {
    return this.reportsPending;
  }

  /**
   * Send `frames` one at a time after the current CALLRESULT is written (rules §1.2; B07/B08, K09). These
   * CALLs run in the background (no case step awaits them, and the request may be the CSMS's own, e.g.
   * CitrineOS's refresh GetChargingProfiles), so the CSMS's answers are judged here: a CALLERROR or no
   * answer becomes a violation of the peer, which the runner records in the case running when it is
   * seen, else in SC-X-99 (issue #13 B) — never lost.
   */
  private queueReports(action: string, frames: readonly Payload[], requestId: number): void {
    const session = this.session;
    if (!session || !frames.length) return;
    this.reportsPending += frames.length;
    const send = () => this.sendJudged(session, action, frames, requestId).finally(() => (this.reportsPending -= frames.length));
    this.reporting = this.reporting.then(() => new Promise<void>((r) => setImmediate(r))).then(send);
  }

  /** Frames of one report, each after the previous was answered; stops at the first failure, judging it. */
  private async sendJudged(session: RpcSession, action: string, frames: readonly Payload[], requestId: number): Promise<void> {
    // rules §6.2 MUST-CSMS: the CSMS answers every ReportChargingProfiles (K09); NotifyReport (B07/B08) is
    // a CALL like any other the CSMS must answer (Part 4).
    const rule = action === 'ReportChargingProfiles' ? 'rules §6.2 (MUST-CSMS: answer every ReportChargingProfiles; K09)' : 'B07/B08, Part 4 (CSMS answers every CALL)';
    await sendSequentially(session, action, frames, (e, i) => {
      const which = `${action} frame ${i + 1}/${frames.length} of requestId ${requestId} (sent by the station after answering the CSMS's request)`;
      if (e instanceof CallErrorResponse) {
        const desc = e.errorDescription ? ` (${e.errorDescription})` : '';
        this.violation(session, { rule, message: `${which}: the CSMS answered with CALLERROR ${e.errorCode}${desc}`, frameSeq: e.frameSeq, actual: e.errorCode });
      } else if (e instanceof CallTimeoutError) {
        this.violation(session, { rule, message: `${which}: the CSMS did not answer within ${e.timeoutMs} ms` });
      }
      // Schema violations of the answer are the session's own findings; a closed connection is judged by the runner.
    });
  }

  /**
   * The CSMS did not accept the token the harness started a transaction with. The harness station keeps the
   * transaction, as a station whose TxStopPoint lacks Authorized and with StopTxOnInvalidId false may (2.0.1
   * E05, E06.FR.04; 1.6 StopTransactionOnInvalidId): conforming either way, so not a finding. But a CSMS may
   * then treat the transaction as unauthorised (no TxProfile, for one), so the case says so (CitrineOS answers
   * Unknown for a token it has not been given).
   */
  private tokenNotAccepted(status: string | undefined, token: string): void {
    if (status === undefined || status === 'Accepted' || !this.session) return;
    this.session.emit('violation', {
      severity: 'warn',
      kind: 'AssertionFailure',
      rule: this.v16 ? '1.6 StartTransaction.conf idTagInfo' : 'E05 / E06.FR.04 (TransactionEventResponse idTokenInfo)',
      message: `the CSMS answered the harness's ${token} with status ${status}: the harness station keeps the transaction (as with StopTxOnInvalidId false), but what the CSMS sends for it may follow from the refusal; make the CSMS accept this token to test an authorised transaction`,
      actual: status,
    } satisfies ProtocolViolation);
  }

  private violation(session: RpcSession, v: Pick<ProtocolViolation, 'rule' | 'message' | 'frameSeq' | 'actual'>): void {
    session.emit('violation', { severity: 'fail', kind: 'AssertionFailure', ...v } satisfies ProtocolViolation);
  }

  get v16(): boolean {
    return this.version === '1.6';
  }

  get currentSession(): RpcSession | undefined {
    return this.session;
  }

  /** Default answers to every CSMS-initiated CALL of the role. */
  handlers(): Record<string, CallHandler> {
    const h: Record<string, CallHandler> = {};
    for (const action of this.actions()) h[action] = (p) => this.answer(action, p);
    return h;
  }

  private actions(): string[] {
    const common = ['SetChargingProfile', 'ClearChargingProfile', 'GetCompositeSchedule', 'TriggerMessage', 'DataTransfer'];
    return this.v16
      ? [...common, 'GetConfiguration', 'ChangeConfiguration', 'RemoteStartTransaction', 'RemoteStopTransaction']
      : [...common, 'GetChargingProfiles', 'GetVariables', 'SetVariables', 'GetBaseReport', 'GetReport', 'RequestStartTransaction', 'RequestStopTransaction', ...(this.version === '2.1' ? V21_ACTIONS : [])];
  }

  /** A new connection to the CSMS: check every inbound CALL, then boot. */
  async attach(session: RpcSession): Promise<void> {
    this.session = session;
    session.on('call', (action: string, payload: Payload, frame: TraceFrame) => this.inspect(session, action, payload, frame));
    await this.boot(session);
  }

  /** Run the checks on one CSMS request; findings become violations of the peer (→ the running case). */
  inspect(session: RpcSession | undefined, action: string, payload: Payload, frame?: TraceFrame): RecordedFinding[] {
    if (typeof payload !== 'object' || payload === null) return [];
    this.noteScheduleIds(payload);
    const found = checkCsmsRequest(action, payload, {
      version: this.version,
      limits: this.limits,
      transactions: this.transactions,
      installed: this.store.list(),
      ended: this.ended.all(),
      forgotten: this.forgotten,
    }).map((f) => ({ ...f, action, frameSeq: frame?.seq }));
    for (const f of found) {
      this.findings.push(f);
      const v: ProtocolViolation = {
        severity: f.severity,
        // Semantic rule of the CSMS, not schema/framing: reported as an assertion failure of the case.
        kind: 'AssertionFailure',
        rule: f.rule,
        message: `${action}: ${f.message}`,
        frameSeq: f.frameSeq,
        pointer: f.pointer,
        actual: f.actual,
      };
      session?.emit('violation', v);
    }
    return found;
  }

  private async boot(session: RpcSession): Promise<void> {
    const identity = session.identity;
    const res = this.v16
      ? await session.call<{ status: string }>('BootNotification', {
          chargePointVendor: 'ocpp-conformance',
          chargePointModel: 'HarnessStation',
          firmwareVersion: '1.0.0',
          chargePointSerialNumber: identity.slice(0, 25),
        })
      : await session.call<{ status: string }>('BootNotification', {
          chargingStation: { vendorName: 'ocpp-conformance', model: 'HarnessStation', firmwareVersion: '1.0.0', serialNumber: identity.slice(0, 25) },
          reason: 'PowerUp',
        });
    if (res.status !== 'Accepted') return;
    for (let e = this.v16 ? 0 : 1; e <= this.limits.evses; e++) await this.sendStatus((a, p) => session.call(a, p), e, 'Available');
  }

  /** StatusNotification for one connector/EVSE. */
  sendStatus(call: StationCall, evseId: number, status: 'Available' | 'Charging'): Promise<unknown> {
    return this.v16
      ? call('StatusNotification', { connectorId: evseId, errorCode: 'NoError', status })
      : call('StatusNotification', { timestamp: iso(nowS()), connectorStatus: status === 'Charging' ? 'Occupied' : status, evseId, connectorId: 1 });
  }

  // --- isolation (issue #13 item 2) -----------------------------------------------------------------

  /**
   * Back to a fresh station before a case: let accepted remote starts finish, end every open
   * transaction as a station does (StopTransaction / TransactionEvent Ended, K02.FR.05 drops its
   * TxProfiles), forget every profile it holds, and report Available on every connector/EVSE. A
   * transaction or profile left by an earlier case (a fault, a failed step) can then neither make a
   * later case pass vacuously (a busy EVSE refusing a remote start) nor satisfy a check meant for the
   * case's own transaction (K01.FR.03).
   */
  async reset(call: StationCall): Promise<{ ended: string[]; reports: number }> {
    // Report frames of an earlier request (a case's, or the CSMS's own) finish first, so their answers are
    // judged here, named as such, and never interleave with this case's frames (issue #13 H).
    const reports = this.reportsPending;
    await this.reporting;
    while (this.pendingStarts.size) await Promise.allSettled([...this.pendingStarts]);
    const ended: string[] = [];
    for (const tx of [...this.transactions]) {
      ended.push(tx.transactionId);
      await this.stopTransaction(call, tx, 'Local', { status: false });
    }
    // The CSMS is not told of this (no message for it): an UpdateDynamicSchedule for one is not judged.
    for (const i of this.store.list()) this.forgotten.set(i.profile.id, {});
    this.store = new ProfileStore(this.version, this.limits);
    for (let e = this.v16 ? 0 : 1; e <= this.limits.evses; e++) await this.sendStatus(call, e, 'Available');
    return { ended, reports };
  }

  // --- answers ------------------------------------------------------------------------------------

  /** The answer of a conforming station (the model decides). Cases use it to answer late or wrap it. */
  answer(action: string, p: Payload): Payload | Reply | Promise<Payload | Reply> {
    switch (action) {
      case 'SetChargingProfile':
        return this.onSet(p);
      case 'ClearChargingProfile':
        return { status: this.v16 ? this.store.clear16(p) : this.store.clear201(p) };
      case 'GetCompositeSchedule':
        return this.onComposite(p);
      case 'GetChargingProfiles':
        return this.onGetProfiles(p);
      case 'GetConfiguration':
        return this.onGetConfiguration(p);
      case 'ChangeConfiguration':
        return this.onChangeConfiguration(p);
      case 'GetBaseReport':
        return this.onReport(p.requestId as number, baseReportSelection(this.model(), p.reportBase as string));
      case 'GetReport':
        return this.onReport(p.requestId as number, reportSelection(this.model(), p));
      case 'GetVariables':
        return this.onGetVariables(p);
      case 'SetVariables':
        return {
          setVariableResult: (p.setVariableData as Payload[]).map((d) => ({
            attributeStatus: (d.component as Payload).name === SMART_CHARGING_CTRLR ? 'Rejected' : 'UnknownComponent',
            component: d.component,
            variable: d.variable,
          })),
        };
      case 'RemoteStartTransaction':
      case 'RequestStartTransaction':
        return this.onRemoteStart(p);
      case 'RemoteStopTransaction':
      case 'RequestStopTransaction':
        return this.onRemoteStop(p);
      case 'TriggerMessage':
        return this.onTriggerMessage(p);
      case 'DataTransfer':
        return { status: 'UnknownVendorId' };
      case 'UpdateDynamicSchedule':
      case 'UsePriorityCharging':
        if (this.version === '2.1') return answer21(action, p, { installed: this.store.list(), transactions: this.transactions, updates: this.dynamicUpdates });
        throw new CallErrorReply('NotImplemented', `${action} is an OCPP 2.1 message`);
      default:
        throw new CallErrorReply('NotSupported', `${action} is not supported by the harness station`);
    }
  }

  private onSet(p: Payload): Payload {
    const { evseId, wire } = setChargingProfileRequest(this.version, p);
    const answer = answerSetChargingProfile(this.version, this.store, evseId, wire, this.transactions).payload;
    // Held again: from now on the CSMS is answerable for what it does with this id.
    if (answer.status === 'Accepted') this.forgotten.delete((wire as Payload).id as number);
    return answer;
  }

  private onComposite(p: Payload): Payload {
    return answerCompositeSchedule(this.store.compositeContext(this.transactions), p, nowS());
  }

  private onGetProfiles(p: Payload): Payload {
    const selected = this.store.select({ evseId: p.evseId as number | undefined, chargingProfile: p.chargingProfile as never });
    if (!selected.length) return { status: 'NoProfiles' };
    // The CALLRESULT is written when this handler returns; the reports follow, one at a time (rules §1.2).
    this.queueReports('ReportChargingProfiles', reportFrames(selected, this.pageSize, p.requestId as number), p.requestId as number);
    return { status: 'Accepted' };
  }

  /** B07/B08: Accepted, then the selection in NotifyReport frames; nothing selected is EmptyResultSet. */
  private onReport(requestId: number, selected: ModelVariable[]): Payload {
    if (!selected.length) return { status: 'EmptyResultSet' };
    this.queueReports('NotifyReport', notifyReportFrames(selected, requestId, this.itemsPerMessage, iso(nowS())), requestId);
    return { status: 'Accepted' };
  }

  /** The 2.0.1 device model as it stands (EVSEs, connectors, SmartChargingCtrlr, DeviceDataCtrlr). */
  model(): ModelVariable[] {
    return deviceModel(this.limits, { profiles: this.store.list().length, busyEvses: this.transactions.map((t) => t.evseId), itemsPerMessage: this.itemsPerMessage });
  }

  // --- advertised capabilities (catalogue §1.7) -----------------------------------------------------

  configKeys(): ConfigurationKey[] {
    // 1.6 §9.1: core keys a CSMS reads at boot, besides the SmartCharging ones (§9.4).
    const core: ConfigurationKey[] = [
      { key: 'GetConfigurationMaxKeys', readonly: true, value: '50' },
      { key: 'HeartbeatInterval', readonly: false, value: '300' },
      { key: 'MeterValueSampleInterval', readonly: false, value: '60' },
      { key: 'ConnectionTimeOut', readonly: false, value: '60' },
    ];
    return configurationKeys(this.limits, core).map((k) => (this.configValues.has(k.key) ? { ...k, value: this.configValues.get(k.key)! } : k));
  }

  private onGetConfiguration(p: Payload): Payload {
    return getConfigurationAnswer(this.configKeys(), p.key as string[] | undefined);
  }

  /** 1.6 §5.3: a writable key takes a non-negative integer value; read-only keys are Rejected. */
  private onChangeConfiguration(p: Payload): Payload {
    const k = this.configKeys().find((c) => c.key === p.key);
    if (!k) return { status: 'NotSupported' };
    if (k.readonly || !/^\d{1,9}$/.test(String(p.value))) return { status: 'Rejected' };
    this.configValues.set(k.key, String(p.value));
    return { status: 'Accepted' };
  }

  /** SmartChargingCtrlr variables (rules §9.2), then the rest of the device model. */
  variable(component: string, name: string, instance?: string, attributeType = 'Actual'): string | undefined {
    if (component === SMART_CHARGING_CTRLR) {
      const v21 = this.version === '2.1' ? smartChargingVariable21(this.limits, name, instance, attributeType) : undefined;
      return v21 ?? smartChargingVariable(this.limits, this.store.list().length, name, instance, attributeType);
    }
    if (attributeType !== 'Actual') return undefined;
    const same = (a: string | undefined, b: string | undefined) => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();
    return this.model().find((v) => same(v.component.name, component) && same(v.variable.name, name) && same(v.variable.instance, instance))?.value;
  }

  private onGetVariables(p: Payload): Payload {
    const answer = getVariablesAnswer(p, (component, name, instance, type) => this.variable(component, name, instance, type));
    // B06 (GetVariables): a component the device model has, with a variable it lacks, is UnknownVariable.
    const known = new Set(this.model().map((v) => v.component.name.toLowerCase()));
    for (const r of answer.getVariableResult as Payload[]) {
      if (r.attributeStatus === 'UnknownComponent' && known.has(String((r.component as Payload).name).toLowerCase())) r.attributeStatus = 'UnknownVariable';
    }
    return answer;
  }

  // --- transactions ---------------------------------------------------------------------------------

  /**
   * 2.0.1/2.1 TransactionEventRequest.seqNo: "incremental sequence number, helps with determining if all
   * messages of a transaction have been received" — Started 0, then one more per event of the transaction.
   */
  private readonly seqNos = new WeakMap<Transaction, number>();
  private nextSeqNo(tx: Transaction): number {
    const n = this.seqNos.get(tx) ?? 0;
    this.seqNos.set(tx, n + 1);
    return n;
  }

  /**
   * A TransactionEvent Updated of a running transaction (2.0.1/2.1), e.g. triggerReason ChargingRateChanged
   * after an external limit was released (K13, OCTT TC_K_51_CSMS steps 3-4). Returns the payload for the
   * caller to send (cases judge the CSMS's answer).
   */
  transactionUpdated(tx: Transaction, triggerReason: string): Payload {
    return {
      eventType: 'Updated',
      timestamp: iso(nowS()),
      triggerReason,
      seqNo: this.nextSeqNo(tx),
      transactionInfo: { transactionId: tx.transactionId, chargingState: 'Charging' },
      evse: { id: tx.evseId, connectorId: 1 },
    };
  }

  private newTransactionId(): string {
    return `tx-${++this.txCounter}-${randomUUID().slice(0, 8)}`;
  }

  private freeEvse(requested: number | undefined): number | undefined {
    const busy = (e: number) => this.transactions.some((t) => t.evseId === e);
    if (requested !== undefined) return requested >= 1 && requested <= this.limits.evses && !busy(requested) ? requested : undefined;
    for (let e = 1; e <= this.limits.evses; e++) if (!busy(e)) return e;
    return undefined;
  }

  /** Start a transaction from the station side (1.6 StartTransaction; 2.0.1 TransactionEvent Started). */
  async startTransaction(call: StationCall, evseId: number, opts: { idTag?: string; remoteStartId?: number; idToken?: Payload; transactionId?: string } = {}): Promise<Transaction> {
    const startedAt = iso(nowS());
    let tx: Transaction;
    if (this.v16) {
      const idTag = opts.idTag ?? 'CONFORMANCE';
      const res = await call<{ transactionId: number; idTagInfo?: { status?: string } }>('StartTransaction', { connectorId: evseId, idTag, meterStart: 0, timestamp: startedAt });
      this.tokenNotAccepted(res.idTagInfo?.status, `idTag ${idTag}`);
      tx = { evseId, transactionId: String(res.transactionId), startedAt };
      this.transactions.push(tx);
      this.store.startTransaction(tx);
      await this.sendStatus(call, evseId, 'Charging');
      return tx;
    }
    const transactionId = opts.transactionId ?? this.newTransactionId();
    tx = { evseId, transactionId, startedAt };
    // Known before the event is answered: a CSMS may react to the event with a TxProfile at once. A stop
    // of it meanwhile waits for `starting`, so the station never reports the EVSE Occupied after the
    // transaction's Ended event (citrine-run3 SC-CSMS-08 #159).
    this.transactions.push(tx);
    const idToken = opts.idToken ?? { idToken: 'CONFORMANCE', type: 'Central' };
    const started = (async () => {
      const res = await call<{ idTokenInfo?: { status?: string } }>('TransactionEvent', {
        eventType: 'Started',
        timestamp: startedAt,
        triggerReason: opts.remoteStartId !== undefined ? 'RemoteStart' : 'Authorized',
        seqNo: this.nextSeqNo(tx),
        transactionInfo: { transactionId, chargingState: 'Charging', ...(opts.remoteStartId !== undefined ? { remoteStartId: opts.remoteStartId } : {}) },
        evse: { id: evseId, connectorId: 1 },
        idToken,
      });
      this.tokenNotAccepted(res.idTokenInfo?.status, `idToken ${String(idToken.idToken)} (type ${String(idToken.type)})`);
      this.store.startTransaction(tx);
      await this.sendStatus(call, evseId, 'Charging');
    })();
    this.starting.set(tx, started.catch(() => undefined));
    try {
      await started;
    } finally {
      this.starting.delete(tx);
    }
    return tx;
  }

  /** End a transaction from the station side; its TxProfiles go with it (K02.FR.05). */
  async stopTransaction(call: StationCall, tx: Transaction, reason = 'Local', opts: { status?: boolean } = {}): Promise<void> {
    await this.starting.get(tx);
    const i = this.transactions.indexOf(tx);
    if (i < 0) return;
    this.transactions.splice(i, 1);
    for (const held of this.store.list()) if (held.profile.purpose === 'TxProfile' && held.profile.transactionId === tx.transactionId) this.forgotten.set(held.profile.id, { transactionId: tx.transactionId });
    this.store.endTransaction(tx.transactionId);
    const ended = this.ended.begin(tx);
    if (this.v16) {
      await call('StopTransaction', { transactionId: Number(tx.transactionId), meterStop: 0, timestamp: iso(nowS()), reason });
      this.ended.told(ended);
    } else {
      await call('TransactionEvent', {
        eventType: 'Ended',
        timestamp: iso(nowS()),
        triggerReason: reason === 'Remote' ? 'RemoteStop' : 'StopAuthorized',
        seqNo: this.nextSeqNo(tx),
        transactionInfo: { transactionId: tx.transactionId, stoppedReason: reason },
        evse: { id: tx.evseId, connectorId: 1 },
      });
      this.ended.told(ended);
    }
    if (opts.status !== false) await this.sendStatus(call, tx.evseId, 'Available');
  }

  private onRemoteStart(p: Payload): Payload {
    const evseId = this.freeEvse((this.v16 ? p.connectorId : p.evseId) as number | undefined);
    const wire = p.chargingProfile as Payload | undefined;
    if (evseId === undefined) return { status: 'Rejected' };
    if (wire && this.store.installRemoteStart(evseId, parseProfile(this.version, wire), wire).status !== 'Accepted') return { status: 'Rejected' };
    const session = this.session!;
    const call: StationCall = (a, q) => session.call(a, q);
    const transactionId = this.v16 ? undefined : this.newTransactionId();
    const opts = this.v16 ? { idTag: p.idTag as string } : { remoteStartId: p.remoteStartId as number, idToken: p.idToken as Payload, transactionId };
    // The start follows the CALLRESULT (written when this handler returns); `reset` waits for it.
    const started = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.startTransaction(call, evseId, opts))
      .catch(() => undefined)
      .finally(() => this.pendingStarts.delete(started));
    this.pendingStarts.add(started);
    return this.v16 ? { status: 'Accepted' } : { status: 'Accepted', transactionId };
  }

  private onRemoteStop(p: Payload): Payload {
    const tx = this.transactions.find((t) => t.transactionId === String(p.transactionId));
    if (!tx) return { status: 'Rejected' };
    const session = this.session!;
    setImmediate(() => void this.stopTransaction((a, q) => session.call(a, q), tx, 'Remote').catch(() => undefined));
    return { status: 'Accepted' };
  }

  private onTriggerMessage(p: Payload): Payload {
    const session = this.session!;
    const call: StationCall = (a, q) => session.call(a, q);
    const what = p.requestedMessage as string;
    let send: (() => Promise<unknown>) | undefined;
    if (what === 'Heartbeat') send = () => call('Heartbeat', {});
    else if (what === 'StatusNotification') {
      send = async () => {
        for (let e = this.v16 ? 0 : 1; e <= this.limits.evses; e++) await this.sendStatus(call, e, this.transactions.some((t) => t.evseId === e) ? 'Charging' : 'Available');
      };
    } else if (what === 'BootNotification') send = () => this.boot(session);
    if (!send) return { status: 'NotImplemented' };
    setImmediate(() => void send!().catch(() => undefined));
    return { status: 'Accepted' };
  }
}
