import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { OcppVersion } from '../ocpp/version';
import type { Payload } from '../ocppj/messages';
import { CallErrorReply, CallErrorResponse, CallTimeoutError, OutboundSchemaError, PayloadSchemaError } from '../ocppj/errors';
import { CsmsServer, Reply, type RpcSession, type TlsFiles } from '../transport';
import { CsmsStationState, installCsmsDefaults } from '../csms';
import { checkFaults, CSMS_FAULTS, type CsmsFault } from './faults';
import { CSMS_API_FAULTS, CSMS_QUIRKS, restCommand, type CsmsApiFault, type CsmsApiStyle, type CsmsQuirk } from './csmsRest';
import { applyRequestFaults16, closesAfter16, responseFault16 } from './csms-v16-faults';
import { CsmsReactions } from './csms-reactions';
import { CSMS_FAULTS_21, CsmsV21, type CsmsFault21 } from './csms-v21';

export interface ReferenceCsmsOptions {
  versions: OcppVersion[];
  host?: string;
  port?: number;
  password?: string;
  tls?: TlsFiles;
  faults?: readonly string[];
  /** Legitimate variations (CSMS_QUIRKS), e.g. a late reaction to NotifyEVChargingNeeds. */
  quirks?: readonly string[];
  callTimeoutMs?: number;
  log?: (line: string) => void;
  /**
   * The command API (issue #13): `trigger` (default) `POST /trigger/<identity>/<Action>` answering with the
   * station's response; `rest` the CitrineOS-like `POST /ocpp/<version>/<module>/<action>?identifier=…`
   * answering `[{"success":…}]` at once and posting the station's answer to `callbackUrl`.
   */
  api?: CsmsApiStyle;
  /** rest API: require `authorization: Bearer <apiToken>`. */
  apiToken?: string;
}

/** ReportChargingProfiles frames of one GetChargingProfiles request, aggregated until the last one. */
export interface AggregatedReport {
  requestId: number;
  frames: Payload[];
  /** Union of every frame's profiles, keyed "evseId/source/id"; never overwritten by a later frame. */
  profiles: { evseId: number; chargingLimitSource: string; chargingProfile: Payload }[];
  complete: boolean;
}

const MAX_BODY = 1024 * 1024;

/**
 * The built-in reference CSMS: accepts stations, answers their CALLs, aggregates ReportChargingProfiles
 * by requestId until the frame without tbc (an omitted tbc means false, rules §6.2), and exposes the
 * trigger endpoint `POST /trigger/<identity>/<Action>` that makes it send a request to a station and
 * answers with the station's response. Read-back: `GET /stations/<identity>/reports/<requestId>` (the
 * aggregated report) and `GET /stations/<identity>/composite/<evseId>` (the last Accepted composite).
 */
export class ReferenceCsms {
  readonly server: CsmsServer;
  readonly states = new Map<string, CsmsStationState>();
  readonly sessions = new Map<string, RpcSession>();
  readonly reports = new Map<string, Map<number, AggregatedReport>>();
  /** Last Accepted GetCompositeSchedule response per station and EVSE/connector (read back by SC-CSMS-05). */
  readonly composites = new Map<string, Map<number, Payload>>();
  readonly faults: Set<CsmsFault | CsmsApiFault | CsmsFault21>;
  readonly quirks: Set<CsmsQuirk>;
  /** SmartCharging reactions per station (NotifyEVChargingNeeds, NotifyEVChargingSchedule, external limits). */
  readonly reactions = new Map<string, CsmsReactions>();
  /** 2.1 state per station (Dynamic profiles installed, priority charging reported; issue #16). */
  readonly v21 = new Map<string, CsmsV21>();
  private nextProfileId = 50_000;
  /** requestIds of the GetChargingProfiles this CSMS sent on its own (refresh), per station. */
  private readonly ownRequests = new Map<string, Set<number>>();
  private nextOwnRequestId = 1;

  constructor(private readonly opts: ReferenceCsmsOptions) {
    this.faults = checkFaults(opts.faults ?? [], { ...CSMS_FAULTS, ...CSMS_API_FAULTS, ...CSMS_FAULTS_21 });
    this.quirks = checkFaults(opts.quirks ?? [], CSMS_QUIRKS);
    this.server = new CsmsServer({
      host: opts.host,
      port: opts.port,
      versions: opts.versions,
      password: opts.password,
      tls: opts.tls,
      callTimeoutMs: opts.callTimeoutMs ?? 30_000,
    });
    this.server.on('session', (s: RpcSession) => this.onSession(s));
    this.server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.onHttp(req, res));
    this.server.on('refused', (r: { identity?: string; status: number; reason: string }) => this.log(`refused ${r.identity ?? '?'}: ${r.status} ${r.reason}`));
  }

  /** Listen; resolves with the ws(s) base URL. */
  async start(): Promise<string> {
    await this.server.listen();
    return this.server.url;
  }

  get url(): string {
    return this.server.url;
  }

  /** Base URL of the trigger endpoint. */
  get httpUrl(): string {
    return this.server.url.replace(/^ws/, 'http');
  }

  stop(): Promise<void> {
    return this.server.close();
  }

  private log(s: string): void {
    this.opts.log?.(`[csms] ${s}`);
  }

  private onSession(session: RpcSession): void {
    const id = session.identity;
    const state = this.states.get(id) ?? new CsmsStationState(this.quirks.has('unknown-tokens') ? { authorize: { default: session.version === '1.6' ? 'Invalid' : 'Unknown' } } : {});
    this.states.set(id, state);
    this.sessions.get(id)?.close(1000, 'replaced by a new connection');
    this.sessions.set(id, session);
    installCsmsDefaults(session, state);
    session.handle('ReportChargingProfiles', (p) => this.onReport(id, p));
    const reactions = new CsmsReactions(session, state, this.faults, this.quirks, (l) => this.log(l));
    reactions.install();
    this.reactions.set(id, reactions);
    // 2.1 only: nothing of it applies to a 1.6 or 2.0.1 session.
    if (session.version === '2.1') {
      const v21 = new CsmsV21(session, state, this.faults as Set<string>, this.quirks as Set<string>);
      v21.install();
      this.v21.set(id, v21);
    } else this.v21.delete(id);
    session.on('violation', (v: { message: string }) => this.log(`${id}: ${v.message}`));
    session.once('close', () => {
      if (this.sessions.get(id) === session) this.sessions.delete(id);
    });
    this.log(`${id} connected (${session.version})`);
  }

  private onReport(identity: string, p: Payload): Payload | Reply {
    if (this.faults.has('report-not-answered')) return Reply.none();
    if (this.faults.has('refresh-report-callerror') && this.ownRequests.get(identity)?.has(p.requestId as number)) {
      throw new CallErrorReply('RpcFrameworkError', 'Call already in progress');
    }
    if (this.faults.has('report-answered-with-error')) throw new CallErrorReply('InternalError', 'report store unavailable');
    const byId = this.reports.get(identity) ?? new Map<number, AggregatedReport>();
    this.reports.set(identity, byId);
    const requestId = p.requestId as number;
    const agg = byId.get(requestId) ?? { requestId, frames: [], profiles: [], complete: false };
    byId.set(requestId, agg);
    agg.frames.push(p);
    for (const prof of p.chargingProfile as Payload[]) {
      agg.profiles.push({ evseId: p.evseId as number, chargingLimitSource: p.chargingLimitSource as string, chargingProfile: prof });
    }
    if (p.tbc !== true) agg.complete = true;
    return {};
  }

  /** Make the CSMS send `action` to a station and return the station's response (the trigger convention). */
  async trigger(identity: string, action: string, payload: Payload): Promise<{ status: number; body: unknown }> {
    const session = this.sessions.get(identity);
    if (!session?.isOpen) return { status: 404, body: { error: `station ${identity} is not connected` } };
    const v21 = this.v21.get(identity);
    v21?.applyRequestFaults(action, payload);
    await v21?.beforeRequest(action, payload);
    const sent = this.applyFaults(session, action, payload);
    if (sent) return sent;
    try {
      // The limit this CSMS gives a transaction is what it judges the EV's schedule against (K15.FR.11/.12).
      if (action === 'SetChargingProfile') this.reactions.get(identity)?.sent(payload);
      if (action === 'GetChargingProfiles' || action === 'GetCompositeSchedule') await this.refresh(session);
      const response = await session.call(action, payload, { intentionalInvalid: this.faults.has('invalid-payload') });
      if (action === 'SetChargingProfile' && response.status === 'Accepted') void this.refresh(session);
      if (response.status === 'Accepted') {
        v21?.accepted(action, payload);
        await v21?.afterAccepted(action, payload);
      }
      const refused = responseFault16(this.faults, session.version, action, response);
      if (refused) return refused;
      if (closesAfter16(this.faults, session.version, action, response)) session.close(1011, 'unexpected GetCompositeSchedule answer');
      if (action === 'GetCompositeSchedule') return this.keepComposite(identity, payload, response);
      return { status: 200, body: { response } };
    } catch (e) {
      if (e instanceof CallErrorResponse) return { status: 502, body: { error: 'CALLERROR', errorCode: e.errorCode, errorDescription: e.errorDescription } };
      if (e instanceof CallTimeoutError) return { status: 504, body: { error: e.message } };
      if (e instanceof OutboundSchemaError) return { status: 422, body: { error: e.message } };
      if (e instanceof PayloadSchemaError) return { status: 502, body: { error: e.message } };
      return { status: 502, body: { error: (e as Error).message } };
    }
  }

  /**
   * Quirk refresh-profiles (and fault refresh-report-callerror): like CitrineOS 1.8, which re-reads a
   * station's profiles after installing one, this CSMS sends a GetChargingProfiles of its own (its own
   * requestId, CSO profiles). The harness must tell it from the request it asked for (issue #13 C) and
   * judge the answers to the station's reports of it (issue #13 B). Resolves once the station answered.
   */
  private async refresh(session: RpcSession): Promise<void> {
    if (session.version === '1.6' || !(this.quirks.has('refresh-profiles') || this.faults.has('refresh-report-callerror'))) return;
    const requestId = this.nextOwnRequestId++;
    const own = this.ownRequests.get(session.identity) ?? new Set<number>();
    this.ownRequests.set(session.identity, own);
    own.add(requestId);
    await session.call('GetChargingProfiles', { requestId, chargingProfile: { chargingLimitSource: ['CSO'] } }).catch((e: Error) => this.log(`${session.identity}: refresh failed: ${e.message}`));
  }

  /** Faults that change what the CSMS puts on the wire. Returns a response when the fault sent raw frames. */
  private applyFaults(session: RpcSession, action: string, payload: Payload): { status: number; body: unknown } | undefined {
    const f = this.faults;
    applyRequestFaults16(f, session.version, action, payload);
    const profile = (session.version === '1.6' ? payload.csChargingProfiles : payload.chargingProfile) as Payload | undefined;
    if (action === 'SetChargingProfile' && profile) {
      const purpose = profile.chargingProfilePurpose as string;
      if (f.has('relative-max-profile') && /MaxProfile$/.test(purpose)) {
        profile.chargingProfileKind = 'Relative';
        const sched = profile.chargingSchedule as Payload | Payload[];
        for (const s of Array.isArray(sched) ? sched : [sched]) delete s.startSchedule;
      }
      if (f.has('txprofile-without-transaction') && purpose === 'TxProfile') delete profile.transactionId;
      if (f.has('txprofile-stale-transaction') && purpose === 'TxProfile' && profile.transactionId !== undefined) {
        profile.transactionId = this.staleTransactionId(session, profile.transactionId);
      }
      if (f.has('invalid-payload')) profile.vendorNote = 'not in the schema';
      if (f.has('replace-with-new-id')) {
        profile.id = this.nextProfileId++;
        for (const s of Array.isArray(profile.chargingSchedule) ? (profile.chargingSchedule as Payload[]) : []) s.id = profile.id;
      }
    }
    if (f.has('criteria-drop-evse')) {
      if (action === 'GetChargingProfiles') delete payload.evseId;
      if (action === 'ClearChargingProfile') delete (payload.chargingProfileCriteria as Payload | undefined)?.evseId;
    }
    if (action === 'GetCompositeSchedule' && f.has('fixed-composite-duration')) payload.duration = 86_400;
    const raw = (id: unknown, p: Payload) => JSON.stringify([2, id, action, p]);
    if (f.has('bad-framing')) {
      session.sendRaw(raw(Date.now(), payload));
      return { status: 202, body: { sent: 'raw frame with a numeric messageId' } };
    }
    if (f.has('second-call-while-outstanding')) {
      session.sendRaw(raw(randomUUID(), payload));
      session.sendRaw(raw(randomUUID(), payload));
      return { status: 202, body: { sent: 'two CALLs without waiting' } };
    }
    if (f.has('reused-message-id')) {
      session.sendRaw(raw('reused-id-1', payload));
      return { status: 202, body: { sent: 'CALL with messageId reused-id-1' } };
    }
    return undefined;
  }

  /** Keep an Accepted composite (as a CSMS that plans with it does) and relay it; faults lose or round it. */
  private keepComposite(identity: string, request: Payload, response: Payload): { status: number; body: unknown } {
    if (this.faults.has('composite-discarded')) return { status: 200, body: { status: 'sent' } };
    let kept = response;
    if (this.faults.has('composite-altered')) {
      kept = structuredClone(response);
      const sched = (kept.schedule ?? kept.chargingSchedule) as Payload | undefined;
      for (const p of (sched?.chargingSchedulePeriod as Payload[] | undefined) ?? []) p.limit = Math.round(p.limit as number);
    }
    if (response.status === 'Accepted') {
      const byEvse = this.composites.get(identity) ?? new Map<number, Payload>();
      this.composites.set(identity, byEvse);
      byEvse.set(Number(request.evseId ?? request.connectorId), kept);
    }
    return { status: 200, body: { response: kept } };
  }

  /** Fault txprofile-stale-transaction: the latest other transaction of the station, else a made-up earlier one. */
  private staleTransactionId(session: RpcSession, current: unknown): unknown {
    const others = (this.states.get(session.identity)?.transactions ?? []).filter((t) => t.transactionId !== String(current));
    const prev = others[others.length - 1]?.transactionId;
    if (session.version === '1.6') return prev !== undefined ? Number(prev) : Number(current) + 1000;
    return prev ?? `${String(current)}-previous`;
  }

  /** The command API style in use. */
  get api(): CsmsApiStyle {
    return this.opts.api ?? 'trigger';
  }

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      if (this.api === 'rest' && req.method === 'POST' && parts[0] === 'ocpp') {
        const answer = restCommand(req, url, parts, await readBody(req), {
          faults: this.faults,
          versionOf: (id) => (this.sessions.get(id)?.isOpen ? this.sessions.get(id)!.version : undefined),
          trigger: (id, action, payload) => this.trigger(id, action, payload),
          log: (s) => this.log(s),
        }, this.opts.apiToken);
        if (answer) {
          send(answer.status, answer.body);
          void answer.after?.().catch((e: Error) => this.log(`rest command failed: ${e.message}`));
          return;
        }
      }
      if (this.api === 'trigger' && req.method === 'POST' && parts[0] === 'trigger' && parts.length === 3) {
        const text = await readBody(req);
        let payload: Payload;
        try {
          payload = text.trim() ? JSON.parse(text) : {};
        } catch {
          return send(400, { error: 'body is not valid JSON' });
        }
        if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return send(400, { error: 'body must be a JSON object' });
        const r = await this.trigger(parts[1]!, parts[2]!, payload);
        return send(r.status, r.body);
      }
      if (req.method === 'GET' && parts[0] === 'stations' && parts.length === 4 && parts[2] === 'reports') {
        const agg = this.reports.get(parts[1]!)?.get(Number(parts[3]));
        return agg ? send(200, agg) : send(404, { error: 'no such report' });
      }
      if (req.method === 'GET' && parts[0] === 'stations' && parts.length === 4 && parts[2] === 'composite') {
        // Read-back of the kept composite; null when none is held.
        return send(200, { evseId: Number(parts[3]), response: this.composites.get(parts[1]!)?.get(Number(parts[3])) ?? null });
      }
      if (req.method === 'GET' && parts[0] === 'stations' && parts.length === 1) {
        return send(200, [...this.sessions.keys()].map((id) => ({ identity: id, boot: this.states.get(id)?.boot })));
      }
      send(404, { error: this.api === 'rest' ? 'unknown endpoint; POST /ocpp/<version>/<module>/<action>?identifier=<identity> with a JSON body' : 'unknown endpoint; POST /trigger/<identity>/<Action> with a JSON body' });
    } catch (e) {
      send(500, { error: (e as Error).message });
    }
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
