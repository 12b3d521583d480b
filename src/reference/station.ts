import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { OcppVersion } from '../ocpp/version';
import type { Payload } from '../ocppj/messages';
import { connectStation, Reply, type HandlerContext, type RpcSession, type TlsFiles, type CallHandler } from '../transport';
import { ProfileStore, atMostOneDecimal, fromEpochSeconds, profileFrom21, type CompositeContext, type DeviceLimits, type Installed, type Profile, type Transaction } from '../smartcharging';
import {
  answerCompositeSchedule,
  answerSetChargingProfile,
  configurationKeys,
  getConfigurationAnswer,
  getVariablesAnswer,
  parseProfile,
  reportFrames,
  sendReportsSequentially,
  setChargingProfilePayload,
  setChargingProfileRequest,
  smartChargingVariable,
  SMART_CHARGING_CTRLR,
  type ConfigurationKey,
} from '../station/answers';
import { InstallClock } from './relative-anchor-fault';
import { CallErrorReply } from '../ocppj/errors';
import { checkFaults, STATION_FAULTS, STATION_FAULTS_21, STATION_QUIRKS, type StationFault, type StationFault21, type StationQuirk } from './faults';
import { notRebased, truncated } from './composite-faults';
import { DynamicSchedules, refusedInterval } from './station21-dynamic';
import { withRandomizedDelay } from './randomized-delay';
import { advertised21, limits21, variable21, type Advertised21 } from './features21';
import { OfflineValidity } from './offline-profiles';
import { ITEMS_PER_REQUEST, firstKeys, limitVariable, refuseMany } from './discovery-limits';
import { dropped21Fields } from './round-trip-faults';
import { PriorityCharging21, compositeView21 } from './station21-priority';

/** Quirk 'short-message-timeout': the station's CALL timeout, reported as OCPPCommCtrlr.MessageTimeout. */
const SHORT_MESSAGE_TIMEOUT_S = 2;

/** 'late-extra-report': delay after the terminal frame's answer. */
export const LATE_EXTRA_REPORT_MS = 80;

export interface ReferenceStationOptions {
  /** 2.1: the 2.0.1 behaviour plus what 2.1 changes on the wire (profileFrom21; six-decimal composites). */
  version: OcppVersion;
  url: string;
  identity: string;
  password?: string;
  tls?: TlsFiles;
  /** EVSEs (2.0.1) / connectors (1.6). Default 2. */
  evses?: number;
  /** Profiles per ReportChargingProfiles frame. Default 2, so reports paginate. */
  pageSize?: number;
  /** Heartbeat interval in s; default: what BootNotification returns. */
  heartbeatS?: number;
  limits?: Partial<Omit<DeviceLimits, 'evses'>>;
  faults?: readonly string[];
  /** Legitimate variations (STATION_QUIRKS). */
  quirks?: readonly string[];
  /** Reconnect when dropped (default true). */
  reconnect?: boolean;
  callTimeoutMs?: number;
  log?: (line: string) => void;
}

/** Quirk 'settles-after-available': how long after its Available StatusNotification was answered a start is still refused. */
const SETTLE_MS = 100;
/** Quirk 'finishing-after-stop': how long the connector stays Finishing after a transaction. */
const FINISHING_MS = 2500;

const nowS = () => Math.floor(Date.now() / 1000);
const iso = (s: number) => fromEpochSeconds(s);

/**
 * The built-in reference Charging Station: a conforming station (the model decides every answer)
 * that boots, keeps its profiles across reconnects, runs transactions, and can inject one or more
 * faults for the mutation self-test.
 *
 * Events: 'session' (RpcSession), 'booted', 'disconnected'.
 */
export class ReferenceStation extends EventEmitter {
  readonly version: OcppVersion;
  readonly store: ProfileStore;
  private readonly installClock = new InstallClock();
  readonly transactions: Transaction[] = [];
  readonly faults: Set<StationFault | StationFault21>;
  readonly quirks: Set<StationQuirk>;
  private session: RpcSession | undefined;
  private stopped = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private backoffMs = 100;
  private readonly evses: number;
  private readonly pageSize: number;
  private txCounter = 0;
  /** Quirk 'finishing-after-stop': connectors still Finishing (1.6) / Occupied (2.0.1), with their timers. */
  private readonly finishing = new Map<number, NodeJS.Timeout | undefined>();
  /** Quirk 'own-transactions': remote starts seen, so the station's own session comes every other one. */
  private remoteStarts = 0;
  private heartbeatS: number | undefined;
  /** 2.1: SupportsFeature / SupportedAdditionalPurposes advertised (and taken), maxOfflineDuration rule. */
  private readonly adv21: Advertised21;
  private readonly offline: OfflineValidity;
  /** 2.1 priority charging and the new purposes (station21-priority.ts); undefined before 2.1. */
  private readonly priority21: PriorityCharging21 | undefined;

  constructor(private readonly opts: ReferenceStationOptions) {
    super();
    this.version = opts.version;
    this.evses = opts.evses ?? 2;
    this.pageSize = opts.pageSize ?? 2;
    // 2.1-only faults are unknown on 1.6 / 2.0.1 (they would be inert there, a silently passing self-test).
    const known: Record<string, string> = opts.version === '2.1' ? { ...STATION_FAULTS, ...STATION_FAULTS_21 } : STATION_FAULTS;
    this.faults = checkFaults(opts.faults ?? [], known) as Set<StationFault | StationFault21>;
    this.quirks = checkFaults(opts.quirks ?? [], STATION_QUIRKS);
    this.heartbeatS = opts.heartbeatS;
    this.adv21 = advertised21(this.quirks);
    this.offline = new OfflineValidity(this.faults);
    this.store = new ProfileStore(opts.version, {
      evses: this.evses,
      maxStackLevel: opts.limits?.maxStackLevel ?? 8,
      maxProfiles: opts.limits?.maxProfiles ?? 40,
      maxPeriods: opts.limits?.maxPeriods ?? 24,
      // Quirks watt-only / amp-only (issue #12 item 1) override the configured units.
      rateUnits: this.quirks.has('watt-only') ? ['W'] : this.quirks.has('amp-only') ? ['A'] : (opts.limits?.rateUnits ?? ['A', 'W']),
      nominalVoltage: opts.limits?.nominalVoltage ?? 230,
      // Quirk 'operation-modes-21' (issue #16): setpoint/external operationModes are taken (2.1 only on the wire).
      ...(this.quirks.has('operation-modes-21') ? { operationModes: ['ChargingOnly', 'CentralSetpoint', 'ExternalSetpoint', 'ExternalLimits'] as const } : {}),
      // 2.1: what it advertises it takes (features21); limits.additionalPurposes overrides the purposes.
      ...(opts.version === '2.1' ? { ...limits21(this.adv21), ...(opts.limits?.additionalPurposes ? { additionalPurposes: opts.limits.additionalPurposes } : {}) } : {}),
    });
    this.dynamic = new DynamicSchedules({ store: this.store, hasFault: (f) => this.faults.has(f), hasQuirk: (q) => this.quirks.has(q), session: () => this.session, log: (l) => this.log(l) });
    this.priority21 = opts.version === '2.1' ? new PriorityCharging21(this.store, this.transactions, this.faults, this.quirks, (l) => this.log(l)) : undefined;
  }

  /** 2.1 Dynamic profiles: UpdateDynamicSchedule and the PullDynamicScheduleUpdate timers (station21-dynamic.ts). */
  private readonly dynamic: DynamicSchedules;

  get connected(): boolean {
    return !!this.session?.isOpen;
  }

  get currentSession(): RpcSession | undefined {
    return this.session;
  }

  /** Connect and boot; resolves once BootNotification was accepted. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    for (const timer of this.finishing.values()) clearTimeout(timer);
    this.finishing.clear();
    clearInterval(this.heartbeat);
    this.dynamic.stop();
    await this.session?.close(1000, 'station stopping');
  }

  /** Drop the TCP connection (tests of reconnect behaviour); the station reconnects by itself. */
  dropConnection(): void {
    this.session?.terminate();
  }

  private log(s: string): void {
    this.opts.log?.(`[station ${this.opts.identity}] ${s}`);
  }

  private async connect(): Promise<void> {
    const session = await connectStation({
      url: this.opts.url,
      identity: this.opts.identity,
      versions: [this.version],
      password: this.opts.password,
      tls: this.opts.tls,
      callTimeoutMs: this.opts.callTimeoutMs ?? 30_000,
      // Handlers before the first frame: the CSMS may send a CALL right with the handshake.
      onSession: (s) => {
        this.offline.cameOnline(this.store.list());
        if (this.faults.has('decimal-accepted-not-applied')) lenientDecimals(s);
        for (const [action, h] of Object.entries(this.handlers())) s.handle(action, this.withResponseFaults(action, h));
      },
    });
    this.session = session;
    // Quirk 'slow-reconnect': a fleet device's first retry after a lost connection comes 2 s later.
    this.backoffMs = this.quirks.has('slow-reconnect') ? 2000 : 100;
    session.on('harnessError', (e: Error) => this.log(`internal error: ${e.message}`));
    session.once('close', () => {
      this.offline.wentOffline();
      clearInterval(this.heartbeat);
      this.dynamic.stop();
      this.emit('disconnected');
      if (!this.stopped && this.opts.reconnect !== false) this.scheduleReconnect();
    });
    this.emit('session', session);
    await this.boot(session);
  }

  private scheduleReconnect(): void {
    // One pending reconnect: a connection closed during the boot both fires 'close' and fails connect()
    // (t.offline can close it then), which would otherwise start two reconnect chains and two connections.
    clearTimeout(this.reconnectTimer);
    // Exponential backoff with a low cap: this is a loopback reference peer, not a fleet device.
    this.reconnectTimer = setTimeout(() => {
      this.connect().catch((e) => {
        this.log(`reconnect failed: ${(e as Error).message}`);
        if (!this.stopped) this.scheduleReconnect();
      });
    }, this.backoffMs);
    this.backoffMs = Math.min(this.backoffMs * 2, 5000);
  }

  private async boot(session: RpcSession): Promise<void> {
    const res =
      this.version === '1.6'
        ? await session.call<{ status: string; interval: number }>('BootNotification', {
            chargePointVendor: 'ocpp-conformance',
            chargePointModel: 'ReferenceStation',
            firmwareVersion: '1.0.0',
            chargePointSerialNumber: this.opts.identity.slice(0, 25),
          })
        : await session.call<{ status: string; interval: number }>('BootNotification', {
            chargingStation: { vendorName: 'ocpp-conformance', model: 'ReferenceStation', firmwareVersion: '1.0.0', serialNumber: this.opts.identity.slice(0, 25) },
            reason: this.bootReason,
          });
    this.bootReason = 'PowerUp';
    if (this.faults.has('garbage-after-boot')) session.sendRaw('boot done, not an OCPP frame {');
    for (let e = this.version === '1.6' ? 0 : 1; e <= this.evses; e++) await this.sendStatus(session, e, 'Available');
    const interval = this.heartbeatS ?? res.interval;
    clearInterval(this.heartbeat);
    if (interval > 0) {
      this.heartbeat = setInterval(() => void session.call('Heartbeat', {}).catch(() => undefined), interval * 1000);
      this.heartbeat.unref();
    }
    if (this.version === '2.1') this.dynamic.start();
    this.emit('booted');
  }

  private sendStatus(session: RpcSession, evseId: number, status: string): Promise<unknown> {
    return this.version === '1.6'
      ? session.call('StatusNotification', { connectorId: evseId, errorCode: 'NoError', status })
      : session.call('StatusNotification', { timestamp: iso(nowS()), connectorStatus: status === 'Charging' ? 'Occupied' : status, evseId, connectorId: 1 });
  }

  // ------------------------------------------------------------------------------------------

  /** Faults on the response frame itself (issue #11): a wrong messageId on the first answer, a malformed CALLERROR. */
  private withResponseFaults(action: string, h: CallHandler): CallHandler {
    return async (p, ctx) => {
      if (this.faults.has('callerror-details-string') && action === 'ClearChargingProfile' && hasStackLevel(p)) {
        return Reply.raw(JSON.stringify([4, ctx.messageId, 'InternalError', 'not now', '{"reason":"details as a string"}']));
      }
      const answer = await h(p, ctx);
      if (this.faults.has('wrong-message-id-first-answer') && !this.firstAnswerSent) {
        this.firstAnswerSent = true;
        if (!(answer instanceof Reply)) return Reply.raw(JSON.stringify([3, `x${ctx.messageId}`.slice(0, 36), answer]));
      }
      return answer;
    };
  }
  private firstAnswerSent = false;

  private handlers(): Record<string, CallHandler> {
    const common: Record<string, CallHandler> = {
      SetChargingProfile: (p, ctx) => this.onSetChargingProfile(p, ctx),
      ClearChargingProfile: (p) => this.onClearChargingProfile(p),
      GetCompositeSchedule: (p) => this.onGetCompositeSchedule(p),
      TriggerMessage: (p) => this.onTriggerMessage(p),
      Reset: () => this.onReset(),
    };
    if (this.version === '1.6') {
      return {
        ...common,
        GetConfiguration: (p) => this.onGetConfiguration(p),
        ChangeConfiguration: (p) => this.onChangeConfiguration(p),
        RemoteStartTransaction: (p) => this.onRemoteStart16(p),
        RemoteStopTransaction: (p) => this.onRemoteStop16(p),
      };
    }
    return {
      ...common,
      GetChargingProfiles: (p) => this.onGetChargingProfiles(p),
      GetVariables: (p) => this.onGetVariables(p),
      SetVariables: (p) => this.onSetVariables(p),
      RequestStartTransaction: (p) => this.onRequestStart(p),
      RequestStopTransaction: (p) => this.onRequestStop(p),
      ...(this.version === '2.1' ? { UpdateDynamicSchedule: (p: Payload) => this.dynamic.onUpdate(p) } : {}),
      ...(this.priority21 ? { UsePriorityCharging: (p: Payload) => this.priority21!.onUsePriorityCharging(p) } : {}),
    };
  }

  private onSetChargingProfile(p: Payload, ctx: HandlerContext): Payload | Reply {
    const { evseId, wire } = setChargingProfileRequest(this.version, p);
    const before = this.faults.has('replace-by-id-same-evse-only') && this.version !== '1.6' ? this.store.list() : [];
    const answer = this.version === '2.1' ? this.answerSet21(evseId, wire) : answerSetChargingProfile(this.version, this.store, evseId, wire, this.transactions);
    const { outcome, profile } = answer;
    if (outcome.status === 'Accepted') this.priority21?.afterInstall(this.session, evseId, profile.purpose);
    if (outcome.status === 'Accepted') this.installClock.note(profile.id, nowS()); // fault 'relative-anchored-at-install'
    if (outcome.status === 'Accepted' && before.length) {
      // Fault: K01.FR.05 replacement applied only within one EVSE and purpose; same-id profiles elsewhere stay.
      this.store.forceKeep(before.filter((e) => e.profile.id === profile.id && (e.evseId !== evseId || e.profile.purpose !== profile.purpose)));
    }
    let payload = answer.payload;
    if (outcome.status === 'Accepted') this.offline.installed(profile.id);
    if (outcome.status === 'Rejected') {
      const forced =
        (this.faults.has('accept-txprofile-without-transaction') && ['TxProfileNoTransaction', 'TxProfileWithoutTransactionId', 'TxProfileUnknownTransaction'].includes(outcome.check)) ||
        (this.faults.has('accept-max-on-evse') && outcome.check === 'MaxProfileNotStationLevel') ||
        (this.faults.has('accept-first-period-nonzero') && outcome.check === 'FirstPeriodNotZero') ||
        (this.faults.has('decimal-accepted-not-applied') && overPrecise(profile)) ||
        (this.faults.has('dynamic-shape-unchecked') && ['DynamicNotSinglePeriod', 'DynUpdateOnNonDynamic'].includes(outcome.check));
      if (forced) {
        this.store.forceInstall(evseId, profile, wire);
        payload = setChargingProfilePayload(this.version, { status: 'Accepted' });
      }
    }
    if (this.faults.has('extra-property')) return Reply.invalid({ ...payload, note: 'vendor extension' });
    if (this.faults.has('wrong-message-id')) return Reply.raw(JSON.stringify([3, `x${ctx.messageId}`.slice(0, 36), payload]));
    return payload;
  }

  /**
   * 2.1 SetChargingProfile: as `answerSetChargingProfile` (src/station/answers.ts, shared with the
   * harness-as-station role, which speaks 1.6 and 2.0.1), with the 2.1 profile reader.
   */
  private answerSet21(evseId: number, wire: Payload): ReturnType<typeof answerSetChargingProfile> {
    const tooShort = refusedInterval(this.quirks, wire);
    if (tooShort) throw tooShort;
    const profile = this.parse(wire);
    const outcome = this.store.install(evseId, profile, wire, this.transactions);
    if (outcome.status === 'Accepted' && profile.kind === 'Dynamic') this.dynamic.installed(profile.id);
    return { payload: setChargingProfilePayload(this.version, outcome), outcome, profile };
  }

  /** A wire profile as the model's Profile for this station's version (2.1: profileFrom21). */
  private parse(wire: Payload): Profile {
    if (this.version !== '2.1') return parseProfile(this.version, wire);
    try {
      return profileFrom21(wire);
    } catch (e) {
      // As parseProfile: a profile the model cannot read is a PropertyConstraintViolation (errata 3.38).
      throw new CallErrorReply('PropertyConstraintViolation', (e as Error).message);
    }
  }

  private onClearChargingProfile(p: Payload): Payload | Reply {
    if (this.faults.has('garbage-frame')) return Reply.raw('this is not an OCPP frame {');
    let req = p;
    if (this.faults.has('clear-ignores-stacklevel')) {
      req = structuredClone(p);
      delete req.stackLevel;
      if (req.chargingProfileCriteria) delete (req.chargingProfileCriteria as Payload).stackLevel;
    }
    let status: string;
    if (this.faults.has('clear-or-instead-of-and')) status = this.clearOr(req);
    else status = this.version === '1.6' ? this.store.clear16(req) : this.store.clear201(req);
    if (this.faults.has('clear-unknown-as-accepted')) status = 'Accepted';
    if (this.faults.has('wrong-enum')) return Reply.invalid({ status: 'Ok' });
    return { status };
  }

  /** Fault: remove profiles matching ANY given criterion (the OpenOCPP defect, rules §7.3). */
  private clearOr(req: Payload): string {
    const id = (this.version === '1.6' ? req.id : req.chargingProfileId) as number | undefined;
    const crit = (this.version === '1.6' ? req : (req.chargingProfileCriteria ?? {})) as Payload;
    const evse = (this.version === '1.6' ? crit.connectorId : crit.evseId) as number | undefined;
    const purpose = crit.chargingProfilePurpose as string | undefined;
    const level = crit.stackLevel as number | undefined;
    const norm = (s: string | undefined) => (s === 'ChargePointMaxProfile' ? 'ChargingStationMaxProfile' : s);
    const hits = this.store.list().filter(
      (e) =>
        e.profile.id === id ||
        (evse !== undefined && e.evseId === evse) ||
        (purpose !== undefined && e.profile.purpose === norm(purpose)) ||
        (level !== undefined && e.profile.stackLevel === level),
    );
    if (id === undefined && evse === undefined && purpose === undefined && level === undefined) {
      return this.version === '1.6' ? this.store.clear16({}) : this.store.clear201({});
    }
    for (const h of hits) (this.version === '1.6' ? this.store.clear16({ id: h.profile.id }) : this.store.clear201({ chargingProfileId: h.profile.id }));
    return hits.length ? 'Accepted' : 'Unknown';
  }

  private onGetCompositeSchedule(p: Payload): Payload | Reply {
    if (this.faults.has('silence')) return Reply.none();
    if (this.faults.has('composite-rejected-when-empty') && this.store.list().length === 0) return { status: 'Rejected' };
    const start = nowS();
    let installed: Installed[] = this.store.list().filter((i) => this.offline.applies(i));
    if (this.faults.has('composite-ignores-max')) installed = installed.filter((i) => i.profile.purpose !== 'ChargingStationMaxProfile');
    if (this.faults.has('composite-txdefault-over-txprofile')) installed = installed.filter((i) => i.profile.purpose !== 'TxProfile');
    if (this.faults.has('decimal-accepted-not-applied')) installed = installed.filter((i) => !overPrecise(i.profile));
    let ctx: CompositeContext = { ...this.store.compositeContext(this.transactions), installed, ...(this.priority21 ? { priority: this.priority21.activeTransactions() } : {}) };
    // Quirk 'composite-any-unit-16' (MicroOcpp 1.6): the unit of a composite is not limited to the profile units.
    if (this.quirks.has('composite-any-unit-16') && this.version === '1.6') ctx = { ...ctx, rateUnits: ['A', 'W'] };
    if (this.faults.has('composite-offsets-not-rebased')) ctx = notRebased(ctx, start);
    if (this.faults.has('relative-anchored-at-install')) ctx = this.installClock.anchoredAtInstall(ctx);
    if (this.quirks.has('randomized-delay-21')) ctx = withRandomizedDelay(ctx);
    let payload = answerCompositeSchedule(ctx, p, start, { computeStart: this.faults.has('composite-wrong-anchor') ? start - 30 : undefined });
    if (this.faults.has('composite-truncated')) payload = truncated(payload, ctx, (this.version === '1.6' ? p.connectorId : p.evseId) as number, start);
    // Quirk 'composite-start-schedule-16': many 1.6 stations still put startSchedule into the composite's
    // chargingSchedule (errata 3.57 says omit it; schema-valid, so a WARN, never a failure).
    if (this.quirks.has('composite-start-schedule-16') && this.version === '1.6' && payload.status === 'Accepted') {
      payload = { ...payload, chargingSchedule: { ...(payload.chargingSchedule as Payload), startSchedule: payload.scheduleStart } };
    }
    // Quirk 'composite-phases-unknown-16': MicroOcpp 1.6 reports numberPhases −1 in composite periods; 1.6
    // §7.14 gives the field no range, so the harness WARNs (2.x keeps rules §2's 1..3 as a failure).
    if (this.quirks.has('composite-phases-unknown-16') && this.version === '1.6' && payload.status === 'Accepted') {
      const schedule = payload.chargingSchedule as Payload;
      const periods = (schedule.chargingSchedulePeriod as Payload[]).map((pp) => ({ ...pp, numberPhases: -1 }));
      payload = { ...payload, chargingSchedule: { ...schedule, chargingSchedulePeriod: periods } };
    }
    if (this.faults.has('composite-no-limit-lagging') && payload.status === 'Accepted') payload = noLimitLagging(payload);
    if (this.version === '2.1') payload = compositeView21(payload, this.faults);
    if (this.faults.has('composite-limit-omitted-21') && this.version === '2.1' && payload.status === 'Accepted') {
      // Schema-valid in 2.1 (limit is optional there), wrong for ChargingOnly periods (issue #16).
      const schedule = payload.schedule as Payload;
      const periods = (schedule.chargingSchedulePeriod as Payload[]).map(({ limit: _limit, ...rest }) => rest);
      payload = { ...payload, schedule: { ...schedule, chargingSchedulePeriod: periods } };
    }
    if (!this.faults.has('wrong-type') || payload.status !== 'Accepted') return payload;
    if (this.version === '1.6') return Reply.invalid({ ...payload, connectorId: String(payload.connectorId) });
    const schedule = payload.schedule as Payload;
    return Reply.invalid({ ...payload, schedule: { ...schedule, duration: String(schedule.duration) } });
  }

  private onGetChargingProfiles(p: Payload): Payload | Promise<Payload> {
    // Set-up faults (issue #11): stations that advertise SmartCharging but cannot report (K09.FR.01/.02).
    if (this.faults.has('get-profiles-not-implemented')) throw new CallErrorReply('NotImplemented', 'GetChargingProfiles is not implemented');
    if (this.faults.has('reports-never-sent')) return { status: 'Accepted' };
    const requestId = p.requestId as number;
    const req = { evseId: this.faults.has('get-ignores-evse') ? undefined : (p.evseId as number | undefined), chargingProfile: p.chargingProfile as Payload };
    let selected = this.store.select(req as never);
    if (this.priority21) selected = this.priority21.reportView(selected);
    if (this.faults.has('drops-21-profile-fields')) selected = dropped21Fields(selected);
    if (!selected.length) return { status: 'NoProfiles' };
    if (this.faults.has('report-drops-profile') && selected.length > 1) selected = selected.slice(1);
    let frames = reportFrames(selected, this.pageSize, this.faults.has('wrong-request-id') ? requestId + 1 : requestId);
    if (this.faults.has('tbc-never-false')) frames = frames.map((f) => ({ ...f, tbc: true }));
    // Fault: the first frame says more follows, and nothing ever does (K09.FR.01).
    if (this.faults.has('report-stream-stops')) frames = [{ ...frames[0]!, tbc: true }];
    const session = this.session!;
    if (this.faults.has('report-before-response')) {
      return this.sendReports(session, frames).then(() => ({ status: 'Accepted' }));
    }
    // The CALLRESULT is written when this handler returns; reports follow on the next turn.
    setImmediate(() => void this.sendReports(session, frames));
    return { status: 'Accepted' };
  }

  private async sendReports(session: RpcSession, frames: Payload[]): Promise<void> {
    if (this.faults.has('interleaved-reports')) {
      // Fault: every report at once, none waiting for its CALLRESULT (breaks Part 4 §4.1.1).
      for (const f of frames) session.sendRaw(JSON.stringify([2, randomUUID(), 'ReportChargingProfiles', f]));
      return;
    }
    // Quirk: a short CALL timeout of its own (OCPPCommCtrlr.MessageTimeout), applied to the reports.
    const timeoutMs = this.quirks.has('short-message-timeout') ? SHORT_MESSAGE_TIMEOUT_S * 1000 : undefined;
    const caller = timeoutMs ? { call: <T>(a: string, p: Payload) => session.call<T>(a, p, { timeoutMs }) } : session;
    await sendReportsSequentially(caller, frames, (line) => this.log(line));
    if (this.faults.has('late-extra-report') && frames.length) {
      // Fault: one more frame after the terminal one. 80 ms is below the quiet period's constant term
      // (src/runner/quiet.ts), so it must be caught whatever latency the harness measured (issue #14).
      await new Promise((r) => setTimeout(r, LATE_EXTRA_REPORT_MS));
      await session.call('ReportChargingProfiles', frames[frames.length - 1]!).catch(() => undefined);
    }
  }

  // --- configuration ----------------------------------------------------------------------------

  private configKeys(): ConfigurationKey[] {
    const maxKeys = this.quirks.has('items-per-message-3') || this.quirks.has('max-keys-3-16') ? [{ key: 'GetConfigurationMaxKeys', readonly: true, value: String(ITEMS_PER_REQUEST) }] : [];
    return configurationKeys(this.store.limits, [{ key: 'HeartbeatInterval', readonly: false, value: String(this.heartbeatS ?? 300) }, ...maxKeys]);
  }

  private onGetConfiguration(p: Payload): Payload | Reply {
    const wanted = firstKeys(this.quirks, p.key as string[] | undefined);
    const refused = refuseMany(this.faults, this.quirks, 'GetConfiguration', p);
    if (refused) return refused;
    if (this.quirks.has('unreported-limits')) {
      // Quirk: the SmartCharging keys are unknown to this station (SAP simulator).
      const hidden = new Set(['ChargeProfileMaxStackLevel', 'ChargingScheduleAllowedChargingRateUnit', 'ChargingScheduleMaxPeriods', 'MaxChargingProfilesInstalled']);
      return getConfigurationAnswer(this.configKeys().filter((k) => !hidden.has(k.key)), wanted);
    }
    return getConfigurationAnswer(this.configKeys(), wanted);
  }

  private onChangeConfiguration(p: Payload): Payload {
    const k = this.configKeys().find((c) => c.key === p.key);
    if (!k) return { status: 'NotSupported' };
    if (k.readonly) return { status: 'Rejected' };
    const n = Number(p.value);
    if (!Number.isInteger(n) || n < 0) return { status: 'Rejected' };
    this.heartbeatS = n;
    return { status: 'Accepted' };
  }

  /** Actual values only: this station answers every GetVariables attributeType with the Actual value. */
  private variable(component: string, name: string, instance?: string): string | undefined {
    if (this.quirks.has('short-message-timeout') && component === 'OCPPCommCtrlr' && name === 'MessageTimeout' && (instance ?? 'Default') === 'Default') return String(SHORT_MESSAGE_TIMEOUT_S);
    if (component !== SMART_CHARGING_CTRLR) return limitVariable(this.quirks, component, name, instance);
    // SupportsFeature[...] as advertised; SupportedAdditionalPurposes as the store takes them (limits.additionalPurposes may override).
    if (this.version === '2.1' && ['SupportsFeature', 'SupportedAdditionalPurposes'].includes(name)) {
      return variable21({ ...this.adv21, purposes: this.store.limits.additionalPurposes ?? [] }, name, instance, this.quirks);
    }
    if (this.quirks.has('variables-21-loose') && name === 'Available') return '1'; // quirk: a boolean spelled 1
    // Quirk: the limit variables are unknown (MicroOcpp 2.0.1 / VCP); Available/Enabled are still there.
    if (this.quirks.has('unreported-limits') && ['ProfileStackLevel', 'RateUnit', 'PeriodsPerSchedule'].includes(name)) return undefined;
    return smartChargingVariable(this.store.limits, this.store.list().length, name, instance, 'Actual');
  }

  private onGetVariables(p: Payload): Payload | Reply {
    const refused = refuseMany(this.faults, this.quirks, 'GetVariables', p);
    if (refused) return refused;
    return getVariablesAnswer(p, (component, name, instance) => this.variable(component, name, instance), { attributeTypes: false });
  }

  private onSetVariables(p: Payload): Payload {
    return {
      setVariableResult: (p.setVariableData as Payload[]).map((d) => {
        const component = d.component as Payload;
        const variable = d.variable as Payload;
        const known = this.variable(component.name as string, variable.name as string, variable.instance as string | undefined) !== undefined;
        return { attributeStatus: known ? 'Rejected' : component.name === SMART_CHARGING_CTRLR ? 'UnknownVariable' : 'UnknownComponent', component, variable };
      }),
    };
  }

  // --- transactions -----------------------------------------------------------------------------

  private freeEvse(requested: number | undefined): number | undefined {
    const busy = (e: number) => this.transactions.some((t) => t.evseId === e) || this.finishing.has(e);
    if (requested !== undefined) return requested >= 1 && requested <= this.evses && !busy(requested) ? requested : undefined;
    for (let e = 1; e <= this.evses; e++) if (!busy(e)) return e;
    return undefined;
  }

  private remoteStartProfile(evseId: number, wire: Payload | undefined): boolean {
    if (!wire) return true;
    const profile = this.parse(wire);
    return this.store.installRemoteStart(evseId, profile, wire).status === 'Accepted';
  }

  private onRemoteStart16(p: Payload): Payload {
    const evseId = this.freeEvse(p.connectorId as number | undefined);
    // 1.6 §5.11 / errata 3.41: profile must be a TxProfile without transactionId, else Rejected.
    if (evseId === undefined || !this.remoteStartProfile(evseId, p.chargingProfile as Payload | undefined)) return { status: 'Rejected' };
    if (this.quirks.has('no-ev')) return { status: 'Accepted' };
    const own = this.ownSessionNow();
    const begin = () => setImmediate(() => void this.withOwnSession(own, evseId, () => this.startTransaction16(evseId, p.idTag as string)));
    if (!this.deferUntilPlugIn(evseId, begin)) begin();
    return { status: 'Accepted' };
  }

  private async startTransaction16(evseId: number, idTag: string): Promise<void> {
    const session = this.session!;
    const startedAt = iso(nowS());
    try {
      const res = await session.call<{ transactionId: number }>('StartTransaction', { connectorId: evseId, idTag, meterStart: 0, timestamp: startedAt });
      const tx = { evseId, transactionId: String(res.transactionId), startedAt };
      this.transactions.push(tx);
      this.store.startTransaction(tx);
      await this.sendStatus(session, evseId, 'Charging');
    } catch (e) {
      this.log(`StartTransaction failed: ${(e as Error).message}`);
    }
  }

  private onRemoteStop16(p: Payload): Payload {
    const tx = this.transactions.find((t) => t.transactionId === String(p.transactionId));
    if (!tx) return { status: 'Rejected' };
    setImmediate(() => void this.stopTransaction(tx, 'Remote'));
    return { status: 'Accepted' };
  }

  private onRequestStart(p: Payload): Payload {
    const evseId = this.freeEvse(p.evseId as number | undefined);
    if (evseId === undefined || !this.remoteStartProfile(evseId, p.chargingProfile as Payload | undefined)) return { status: 'Rejected' };
    if (this.quirks.has('no-ev')) return { status: 'Accepted' };
    if (this.deferUntilPlugIn(evseId, () => this.beginRequestedStart(p, evseId))) return { status: 'Accepted' };
    return { status: 'Accepted', transactionId: this.beginRequestedStart(p, evseId) };
  }

  /**
   * Quirk 'needs-plugin': an Accepted remote start waits for an EV, like a real station; `plugIn(evseId)`
   * (the bench's station action) starts it. True when the start was deferred.
   */
  private deferUntilPlugIn(evseId: number, begin: () => void): boolean {
    if (!this.quirks.has('needs-plugin')) return false;
    this.awaitingEv.set(evseId, begin);
    return true;
  }

  private readonly awaitingEv = new Map<number, () => void>();

  /** An EV is plugged in at `evseId` (quirk 'needs-plugin'): a remote start waiting for it begins. */
  plugIn(evseId: number): boolean {
    const begin = this.awaitingEv.get(evseId);
    this.awaitingEv.delete(evseId);
    begin?.();
    return begin !== undefined;
  }

  private beginRequestedStart(p: Payload, evseId: number): string {
    const transactionId = this.newTransactionId201();
    const tx = { evseId, transactionId, startedAt: iso(nowS()) };
    this.transactions.push(tx);
    this.store.startTransaction(tx);
    const session = this.session!;
    const own = this.ownSessionNow();
    setImmediate(() => {
      void this.withOwnSession(own, evseId, () => session.call('TransactionEvent', txStarted201({ transactionId, evseId, at: tx.startedAt, triggerReason: 'RemoteStart', idToken: p.idToken, remoteStartId: p.remoteStartId })))
        .catch((e) => this.log(`TransactionEvent failed: ${(e as Error).message}`));
    });
    return transactionId;
  }

  /**
   * 2.0.1 transactionIds: identifierString up to 36 characters. Quirk 'uuid-transaction-ids': a UUID (36
   * characters, common on real stations); 'large-transaction-ids': decimal strings near 2^31−1.
   */
  private newTransactionId201(): string {
    const n = ++this.txCounter;
    if (this.quirks.has('uuid-transaction-ids')) return randomUUID();
    if (this.quirks.has('large-transaction-ids')) return String(2147483647 - 200 + n);
    return `tx-${n}-${randomUUID().slice(0, 8)}`;
  }

  /** Quirk 'own-transactions': every other remote start is preceded by a session of the station's own. */
  private ownSessionNow(): boolean {
    return this.quirks.has('own-transactions') && this.remoteStarts++ % 2 === 0;
  }

  /**
   * Quirk 'own-transactions': the station starts a transaction of its own (another idTag, no remoteStartId)
   * on the connector just before the one the CSMS asked for, and ends it locally just after — like a station
   * whose local loop starts sessions (issue #12 item 2). Nothing is bound to it in the profile store.
   */
  private async withOwnSession(own: boolean, evseId: number, start: () => Promise<unknown>): Promise<void> {
    const stop = own ? await this.ownTransaction(evseId) : undefined;
    await start();
    await stop?.();
  }

  /** Start the station's own transaction; resolves with the function that ends it. */
  private async ownTransaction(evseId: number): Promise<(() => Promise<unknown>) | undefined> {
    const session = this.session;
    if (!session?.isOpen) return undefined;
    const ownTag = 'OWNTAG0001';
    const failed = (e: unknown) => this.log(`own transaction failed: ${(e as Error).message}`);
    try {
      if (this.version === '1.6') {
        const res = await session.call<{ transactionId: number }>('StartTransaction', { connectorId: evseId, idTag: ownTag, meterStart: 0, timestamp: iso(nowS()) });
        return () => session.call('StopTransaction', { transactionId: res.transactionId, meterStop: 0, timestamp: iso(nowS()), reason: 'Local' }).catch(failed);
      } else {
        const transactionId = this.newTransactionId201();
        await session.call('TransactionEvent', txStarted201({ transactionId, evseId, at: iso(nowS()), triggerReason: 'Authorized', idToken: { idToken: ownTag, type: 'ISO14443' } }));
        return () =>
session.call('TransactionEvent', txEnded201({ transactionId, evseId, triggerReason: 'StopAuthorized', stoppedReason: 'Local' })).catch(failed);
      }
    } catch (e) {
      failed(e);
      return undefined;
    }
  }

  private onRequestStop(p: Payload): Payload {
    const tx = this.transactions.find((t) => t.transactionId === p.transactionId);
    if (!tx) return { status: 'Rejected' };
    setImmediate(() => void this.stopTransaction(tx, 'Remote'));
    return { status: 'Accepted' };
  }

  /** End a transaction: its TxProfiles go with it (K02.FR.05; 1.6 §3.13.1 SHOULD). */
  async stopTransaction(tx: Transaction, reason: string): Promise<void> {
    const i = this.transactions.indexOf(tx);
    if (i < 0) return;
    this.transactions.splice(i, 1);
    this.store.endTransaction(tx.transactionId);
    const session = this.session;
    if (!session?.isOpen) return;
    try {
      if (this.version === '1.6') {
        await session.call('StopTransaction', { transactionId: Number(tx.transactionId), meterStop: 0, timestamp: iso(nowS()), reason });
      } else {
        await session.call('TransactionEvent', txEnded201({ transactionId: tx.transactionId, evseId: tx.evseId, triggerReason: 'RemoteStop', stoppedReason: reason }));
        this.priority21?.transactionEnded(session, tx.transactionId);
      }
      if (this.quirks.has('finishing-after-stop') || this.quirks.has('finishing-until-unplug')) this.finish(session, tx.evseId);
      else await this.sendStatus(session, tx.evseId, 'Available');
    } catch (e) {
      this.log(`stopping transaction failed: ${(e as Error).message}`);
    }
  }

  /**
   * Quirk 'finishing-after-stop': the connector stays Finishing (1.6 §4.9; 2.0.1 Occupied, cable still in)
   * for FINISHING_MS after a transaction and refuses remote starts meanwhile (1.6 §5.11 / F01: a station may
   * reject a start on a connector that is not available), then reports Available.
   */
  private finish(session: RpcSession, evseId: number): void {
    void this.sendStatus(session, evseId, this.version === '1.6' ? 'Finishing' : 'Occupied').catch(() => undefined);
    clearTimeout(this.finishing.get(evseId));
    // Quirk 'finishing-until-unplug' (MicroOcpp): no timer — the connector is free only after `unplug`.
    const timer = this.quirks.has('finishing-until-unplug')
      ? undefined
      : setTimeout(() => {
          if (!this.quirks.has('settles-after-available')) {
            this.finishing.delete(evseId);
            if (session.isOpen) void this.sendStatus(session, evseId, 'Available').catch(() => undefined);
            return;
          }
          // Quirk 'settles-after-available' (SAP simulator): the connector takes a start only a moment after
          // the CSMS answered its Available StatusNotification; a start right on its heels is Rejected.
          const release = () => setTimeout(() => this.finishing.delete(evseId), SETTLE_MS).unref();
          if (session.isOpen) void this.sendStatus(session, evseId, 'Available').then(release, release);
          else this.finishing.delete(evseId);
        }, FINISHING_MS);
    timer?.unref();
    this.finishing.set(evseId, timer);
  }

  /** The EV is unplugged at `evseId` (the bench's station action): a Finishing connector becomes Available. */
  unplug(evseId: number): boolean {
    if (!this.finishing.has(evseId)) return false;
    clearTimeout(this.finishing.get(evseId));
    this.finishing.delete(evseId);
    const session = this.session;
    if (session?.isOpen) void this.sendStatus(session, evseId, 'Available').catch(() => undefined);
    return true;
  }

  /**
   * Reset (1.6 §5.14, 2.0.1 B11/B12): accept, then reboot — drop the connection, reconnect and boot again
   * (2.0.1 reason RemoteReset). Running transactions end with the reboot; installed profiles are KEPT
   * (1.6 errata 3.37 "persistent across reboots", K01.FR.27) unless fault 'profiles-lost-on-reboot'.
   */
  private onReset(): Payload {
    const session = this.session!;
    this.bootReason = 'RemoteReset';
    setImmediate(() => {
      for (const tx of [...this.transactions]) {
        this.transactions.splice(this.transactions.indexOf(tx), 1);
        this.store.endTransaction(tx.transactionId);
      }
      if (this.faults.has('profiles-lost-on-reboot')) void (this.version === '1.6' ? this.store.clear16({}) : this.store.clear201({}));
      this.backoffMs = 100;
      // Closed like a reboot would: the reconnect logic brings the station back (reconnect !== false).
      void session.close(1012, 'reset');
    });
    return { status: 'Accepted' };
  }
  private bootReason = 'PowerUp';

  private onTriggerMessage(p: Payload): Payload {
    const session = this.session!;
    const what = p.requestedMessage as string;
    const evse = (this.version === '1.6' ? p.connectorId : (p.evse as Payload | undefined)?.id) as number | undefined;
    let send: (() => Promise<unknown>) | undefined;
    if (what === 'Heartbeat') send = () => session.call('Heartbeat', {});
    else if (what === 'StatusNotification') {
      send = async () => {
        for (let e = evse ?? (this.version === '1.6' ? 0 : 1); e <= (evse ?? this.evses); e++) {
          await this.sendStatus(session, e, this.transactions.some((t) => t.evseId === e) ? 'Charging' : 'Available');
        }
      };
    } else if (what === 'BootNotification') send = () => this.boot(session);
    if (!send) return { status: 'NotImplemented' };
    setImmediate(() => void send!().catch(() => undefined));
    return { status: 'Accepted' };
  }
}

/** A ClearChargingProfile request with a stackLevel criterion (1.6 top level, 2.0.1 in chargingProfileCriteria). */
function hasStackLevel(p: Payload): boolean {
  return p.stackLevel !== undefined || (p.chargingProfileCriteria as Payload | undefined)?.stackLevel !== undefined;
}

/** Fault 'decimal-accepted-not-applied': a limit with more than one decimal somewhere in the profile. */
function overPrecise(profile: Profile | undefined): boolean {
  return !!profile?.schedules.some((s) => s.periods.some((p) => !atMostOneDecimal(p.limit)));
}

/**
 * Fault 'decimal-accepted-not-applied' in 1.6: the session of this station lets a SetChargingProfile request
 * through although its limit breaks `multipleOf: 0.1`, like a station with a lax validator. The validator
 * is shared by every session in the process, so this session gets its own object delegating to it.
 */
function lenientDecimals(session: RpcSession): void {
  const shared = session.validator;
  const lenient = Object.create(shared) as typeof shared;
  lenient.validate = (action, direction, payload) => {
    const r = shared.validate(action, direction, payload);
    if (action !== 'SetChargingProfile' || direction !== 'request' || r.valid) return r;
    const violations = r.violations.filter((v) => v.keyword !== 'multipleOf');
    return { ...r, valid: violations.length === 0, violations };
  };
  Object.defineProperty(session, 'validator', { value: lenient });
}

/**
 * 2.0.1 TransactionEvent Started (E01/E02): seqNo 0, connector 1 of the EVSE, charging at once (the reference
 * station has its EV ready unless a quirk says otherwise).
 */
function txStarted201(o: { transactionId: string; evseId: number; at: string; triggerReason: string; idToken: unknown; remoteStartId?: unknown }): Payload {
  return {
    eventType: 'Started',
    timestamp: o.at,
    triggerReason: o.triggerReason,
    seqNo: 0,
    transactionInfo: { transactionId: o.transactionId, chargingState: 'Charging', ...(o.remoteStartId !== undefined ? { remoteStartId: o.remoteStartId } : {}) },
    evse: { id: o.evseId, connectorId: 1 },
    idToken: o.idToken,
  };
}

/** 2.0.1 TransactionEvent Ended (E06): the reference station sends no Updated events, so seqNo is 1. */
function txEnded201(o: { transactionId: string; evseId: number; triggerReason: string; stoppedReason: string }): Payload {
  return {
    eventType: 'Ended',
    timestamp: iso(nowS()),
    triggerReason: o.triggerReason,
    seqNo: 1,
    transactionInfo: { transactionId: o.transactionId, stoppedReason: o.stoppedReason },
    evse: { id: o.evseId, connectorId: 1 },
  };
}

/**
 * Fault 'composite-no-limit-lagging': one period of -1 over the whole window, from a scheduleStart 0.6 s
 * early (MicroOcpp 1.6: TxDefault ignored outside a transaction; its clock set from a whole-second time).
 */
function noLimitLagging(payload: Payload): Payload {
  const early = (s: unknown) => new Date(Date.parse(s as string) - 600).toISOString();
  if (payload.schedule) {
    const schedule = payload.schedule as Payload;
    return { ...payload, schedule: { ...schedule, scheduleStart: early(schedule.scheduleStart), chargingSchedulePeriod: [{ startPeriod: 0, limit: -1 }] } };
  }
  const schedule = payload.chargingSchedule as Payload;
  return { ...payload, scheduleStart: early(payload.scheduleStart), chargingSchedule: { ...schedule, chargingSchedulePeriod: [{ startPeriod: 0, limit: -1 }] } };
}
