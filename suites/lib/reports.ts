/**
 * The one GetChargingProfiles / ReportChargingProfiles collector (rules §6, K09) of the station suites:
 * every pagination check, many requests per case, one grace period at the end (`settle`), and
 * `getProfiles` for a single request with its own grace period.
 *
 * Frames are attributed to a request by their position on the wire (trace sequence numbers) and, when
 * their requestId names an earlier request, to that request, so a late frame is reported against the
 * request it belongs to.
 *
 * Bounded waits (issue #11): the first report that does not come within its wait (the first frame after
 * Accepted, the rest of a tbc=true stream, the terminal frame) is recorded as a failure and the case stops
 * (ReportsStopped): the requests after it depend on reports that a silent device will not send.
 */
import type { CaseContext, ReceivedCall } from '../../src/scenario';
import type { SmartCharging } from './smartcharging';
import { ReportsStopped } from './errors';

type Payload = Record<string, unknown>;

export interface ProfileQuery {
  evseId?: number;
  chargingProfile: Payload;
  /** Shown in every finding of this request. Default: the request itself. */
  label?: string;
  /** Rule named when the reported set differs from the expected one (default K09.FR.02, rules §6.1). */
  rule?: string;
  /**
   * Observe only: collect and check the frames, but do not compare the reported set with the mirror
   * (IMPL readings, e.g. a clear with id + criteria).
   */
  observe?: boolean;
  /** A read-back after a clear: differences are worded as "removed although kept" / "kept although removed". */
  readBack?: boolean;
}

export interface ReportedProfile {
  evseId: number;
  source: string;
  profile: Payload;
  seq: number;
}

export interface QueryOutcome {
  label: string;
  requestId: number;
  status: string;
  frames: ReceivedCall[];
  reported: ReportedProfile[];
  /** Installed profile ids the reference filter selects. */
  expectedIds: number[];
}

interface QueryRecord {
  label: string;
  requestId: number;
  status: string;
  reqSeq: number;
}

const EVSE_RULE = 'K09.FR.04/.05/.06';

/** Frames attributed so far in a case, shared by its readers (a case may read with several). */
const caseConsumed = new WeakMap<CaseContext, Set<ReceivedCall>>();

/** What the reference filter selects from the mirror for this request. */
function selectedFor(sc: SmartCharging, q: ProfileQuery) {
  return sc.mirror.select({ evseId: q.evseId, chargingProfile: q.chargingProfile } as never);
}

function describe(q: ProfileQuery): string {
  return `Get(${q.evseId === undefined ? 'no evseId' : `evseId ${q.evseId}`}, ${JSON.stringify(q.chargingProfile)})`;
}

/**
 * GetChargingProfiles with every check of rules §6.2 / K09, many requests per case, one grace period at
 * the end (`settle`).
 */
export class ReportReader {
  readonly t: CaseContext;
  private readonly start: number;
  /** Shared by every reader of the case: a frame is attributed (or flagged) once. */
  private readonly consumed: Set<ReceivedCall>;
  private readonly queries: QueryRecord[] = [];

  constructor(readonly sc: SmartCharging) {
    this.t = sc.t;
    this.start = this.t.received('ReportChargingProfiles').length;
    let consumed = caseConsumed.get(this.t);
    if (!consumed) caseConsumed.set(this.t, (consumed = new Set()));
    this.consumed = consumed;
  }

  private pending(): ReceivedCall[] {
    return this.t.received('ReportChargingProfiles').slice(this.start).filter((c) => !this.consumed.has(c));
  }

  /** The request a stray frame belongs to: by requestId when it names one, else the last request before it. */
  private ownerOf(c: ReceivedCall): QueryRecord | undefined {
    const byId = this.queries.find((q) => q.requestId === c.payload.requestId);
    if (byId) return byId;
    return [...this.queries].reverse().find((q) => q.reqSeq < c.frame.seq);
  }

  private flagLate(c: ReceivedCall): void {
    this.consumed.add(c);
    const owner = this.ownerOf(c);
    const where = owner
      ? owner.status === 'Accepted'
        ? `after the terminal frame of [${owner.label}] (requestId ${owner.requestId})`
        : `after [${owner.label}] (requestId ${owner.requestId}) was answered ${owner.status}`
      : 'without any GetChargingProfiles request';
    this.t.check.fail(`ReportChargingProfiles (requestId ${String(c.payload.requestId)}, evseId ${String(c.payload.evseId)}, tbc ${String(c.payload.tbc)}) arrived ${where}`, {
      rule: owner && owner.status !== 'Accepted' ? 'K09.FR.02' : 'rules §6.2',
      pointer: '/tbc',
      frameSeq: c.frame.seq,
    });
  }

  /** Flag every frame not attributed to a request so far. */
  private sweep(): void {
    for (const c of this.pending()) this.flagLate(c);
  }

  /** Next frame for `requestId`; frames whose requestId names an earlier request are flagged late. */
  private next(requestId: number): ReceivedCall | undefined {
    for (const c of this.pending()) {
      if (c.payload.requestId !== requestId && this.queries.some((q) => q.requestId === c.payload.requestId)) {
        this.flagLate(c);
        continue;
      }
      this.consumed.add(c);
      return c;
    }
    return undefined;
  }

  async query(q: ProfileQuery): Promise<QueryOutcome> {
    const { t, sc } = this;
    const label = q.label ?? describe(q);
    const tag = `[${label}]`;
    const requestId = 10 * sc.nextRequestId() + 3; // never requestId ± 1 of another request of the run
    this.sweep();
    const seqBefore = t.session.trace.lastSeq;
    const answer = await t.tryCall<{ status: string }>('GetChargingProfiles', {
      requestId,
      ...(q.evseId !== undefined ? { evseId: q.evseId } : {}),
      chargingProfile: q.chargingProfile,
    });
    if (!answer.ok) {
      // A valid GetChargingProfiles is answered Accepted or NoProfiles (K09.FR.02; rules §6.2). NotImplemented /
      // NotSupported is the answer of a station without smart charging, which is not what it advertised.
      const advertised = t.caps.features.smartCharging !== false ? ' although SmartCharging is advertised (SmartChargingCtrlr.Available)' : '';
      t.check.fail(`${tag} GetChargingProfiles answered CALLERROR ${answer.errorCode}${advertised}; a station answers Accepted or NoProfiles`, {
        rule: 'K09.FR.02',
        expected: selectedFor(sc, q).length ? 'Accepted' : 'NoProfiles',
        actual: `CALLERROR ${answer.errorCode}`,
        frameSeq: answer.frameSeq,
      });
      // Every later request of the case reads reports this device does not send.
      throw new ReportsStopped(`${tag} GetChargingProfiles answered CALLERROR ${answer.errorCode}`);
    }
    const res = answer.payload;
    const trace = t.session.trace.slice(seqBefore).frames;
    const reqFrame = trace.find((f) => f.dir === 'out' && f.type === 'CALL' && f.action === 'GetChargingProfiles');
    const resFrame = answer.frame;
    const reqSeq = reqFrame?.seq ?? seqBefore;
    const resSeq = resFrame.seq;

    const expected = selectedFor(sc, q);
    const expectedIds = expected.map((e) => e.profile.id).sort((a, b) => a - b);
    const installed = sc.mirror.list();
    // rules §6.1: station-level (evse 0) profiles reported for evseId N are WARN, not FAIL.
    const lenient = q.evseId !== undefined && q.evseId > 0 ? sc.mirror.select({ chargingProfile: q.chargingProfile } as never).filter((i) => i.evseId === 0) : [];
    const out: QueryOutcome = { label, requestId, status: res.status, frames: [], reported: [], expectedIds };
    const record: QueryRecord = { label, requestId, status: res.status, reqSeq };

    if (!q.observe && expected.length > 0) {
      t.check.equal(res.status, 'Accepted', `${tag} GetChargingProfiles status (installed and matching: ${expectedIds.join(', ')})`, { rule: q.rule ?? 'K09.FR.02', pointer: '/status', frameSeq: resFrame.seq });
    }
    if (res.status !== 'Accepted') {
      this.queries.push(record);
      return out;
    }

    // An owed frame, not a quiet period: the wait ends when the frame arrives, so only a device that never
    // sends it pays the whole upper bound (timing.graceMs).
    const grace = t.config.timing.graceMs;
    // Per-frame defects are reported once per request, naming every frame that has them.
    const perFrame = new Map<string, { message: string; rule: string; pointer?: string; expected?: unknown; actual?: unknown; seqs: number[] }>();
    const frameDefect = (key: string, bad: boolean, seq: number, d: { message: string; rule: string; pointer?: string; expected?: unknown; actual?: unknown }): void => {
      if (!bad) return;
      const e = perFrame.get(key);
      if (e) e.seqs.push(seq);
      else perFrame.set(key, { ...d, seqs: [seq] });
    };
    let terminal = false;
    let stopped: string | undefined;
    while (!terminal) {
      let c = this.next(requestId);
      if (!c) {
        const seen = new Set(out.reported.map((r) => r.profile.id));
        const complete = q.observe ? out.frames.length > 0 : expectedIds.every((id) => seen.has(id));
        const last = out.frames[out.frames.length - 1];
        // The first report after Accepted, and the rest of an incomplete stream, are owed by the station:
        // the CALL timeout. Only a missing terminal frame after everything arrived gets the grace period.
        const wait = complete && last ? grace : t.config.timing.callTimeoutMs;
        const got = await t.quietFor('ReportChargingProfiles', wait);
        if (!got) {
          const nothingMatches = !q.observe && expectedIds.length === 0;
          const message = last
            ? `${tag} the last ReportChargingProfiles said tbc=true but no further frame came within ${wait} ms (exactly one terminal frame, tbc false/absent, must end the report)`
            : nothingMatches
              ? `${tag} GetChargingProfiles was answered Accepted although no installed profile matches (NoProfiles), and no ReportChargingProfiles came within ${wait} ms`
              : `${tag} GetChargingProfiles was Accepted but no ReportChargingProfiles came within ${wait} ms`;
          t.check.fail(message, {
            rule: last ? 'K09.FR.01 (rules §6.2)' : nothingMatches ? 'K09.FR.02' : 'K09.FR.01',
            pointer: last ? '/tbc' : '/status',
            frameSeq: last?.frame.seq ?? resFrame.seq,
            kind: 'Timeout',
          });
          stopped = message;
          break;
        }
        continue;
      }
      out.frames.push(c);
      const p = c.payload;
      const seq = c.frame.seq;
      frameDefect('early', seq < resSeq, seq, { message: 'ReportChargingProfiles sent before the Accepted GetChargingProfiles response', rule: 'rules §6.2' });
      frameDefect('requestId', p.requestId !== requestId, seq, {
        message: 'ReportChargingProfiles.requestId does not echo the request',
        rule: 'K09.FR.01',
        pointer: '/requestId',
        expected: requestId,
        actual: p.requestId,
      });
      const list = Array.isArray(p.chargingProfile) ? (p.chargingProfile as Payload[]) : [];
      frameDefect('empty', list.length === 0, seq, { message: 'ReportChargingProfiles.chargingProfile is empty (at least one element)', rule: 'rules §6.2', pointer: '/chargingProfile' });
      list.forEach((prof, i) => {
        const id = prof.id as number;
        const ptr = `/chargingProfile/${i}`;
        if (out.reported.some((r) => r.profile.id === id)) {
          t.check.fail(`${tag} profile ${id} reported twice`, { rule: 'rules §6.2', pointer: `${ptr}/id`, frameSeq: seq });
        }
        out.reported.push({ evseId: p.evseId as number, source: p.chargingLimitSource as string, profile: prof, seq });
        const inst = installed.find((e) => e.profile.id === id);
        if (!inst) return;
        // Homogeneous frame: every profile belongs to the frame's (evseId, source).
        t.check.ok(inst.evseId === p.evseId && inst.source === p.chargingLimitSource, `${tag} profile ${id} reported in the frame of its own (evseId, source)`, {
          rule: 'rules §6.2',
          pointer: '/evseId',
          expected: { evseId: inst.evseId, chargingLimitSource: inst.source },
          actual: { evseId: p.evseId, chargingLimitSource: p.chargingLimitSource },
          frameSeq: seq,
        });
        const sent = { ...inst.raw, ...(inst.profile.transactionId !== undefined && inst.raw.transactionId === undefined ? { transactionId: inst.profile.transactionId } : {}) };
        // 2.1 Dynamic: dynUpdateTime is the station's own stamp of its last update (K28.FR.05 / .09), not echoed.
        const mine = (o: Payload) => (inst.profile.kind === 'Dynamic' ? { ...o, dynUpdateTime: undefined } : o);
        t.check.equal(normaliseTimes(mine(prof)), normaliseTimes(mine(sent)), `${tag} reported profile ${id} equals what was sent`, { rule: 'rules §6.2', pointer: ptr, frameSeq: seq });
      });
      frameDefect('tbcType', p.tbc !== undefined && typeof p.tbc !== 'boolean', seq, { message: 'tbc is not a boolean', rule: 'rules §6.2', pointer: '/tbc', actual: p.tbc });
      terminal = p.tbc !== true;
      if (!terminal && out.frames.length > Math.max(expectedIds.length, out.reported.length) + 3) {
        t.check.fail(`${tag} ${out.frames.length} report frames for ${expectedIds.length} matching profiles and tbc is still true`, { rule: 'K09.FR.01 (rules §6.2)', pointer: '/tbc', frameSeq: seq });
        break;
      }
    }
    this.queries.push(record);
    for (const d of perFrame.values()) {
      const frames = d.seqs.length === 1 ? `frame #${d.seqs[0]}` : `${d.seqs.length} frames (#${d.seqs.join(', #')})`;
      t.check.fail(`${tag} ${d.message}: ${frames}`, { rule: d.rule, pointer: d.pointer, expected: d.expected, actual: d.actual, frameSeq: d.seqs[0] });
    }
    // Bounded waits: the requests after this one depend on reports this device does not send.
    if (stopped) throw new ReportsStopped(stopped);
    if (q.observe) return out;

    // Reported set == reference filter result (rules §6.1/§6.2).
    const reportedIds = [...new Set(out.reported.map((r) => r.profile.id as number))];
    const sources = q.chargingProfile.chargingLimitSource as string[] | undefined;
    const ids = q.chargingProfile.chargingProfileId as number[] | undefined;
    const extras: { id: number; why: string; evse: boolean; seq: number }[] = [];
    for (const id of reportedIds) {
      if (expectedIds.includes(id)) continue;
      const r = out.reported.find((x) => x.profile.id === id)!;
      const inst = installed.find((e) => e.profile.id === id);
      if (lenient.some((l) => l.profile.id === id)) {
        t.note.warn(`${tag} profile ${id}, installed on the station itself (evse 0), was reported for evseId ${q.evseId} (rules §6.1: the schema speaks of profiles installed for that EVSE)`, 'rules §6.1');
      } else if (!inst && r.source !== 'CSO' && (!sources || sources.includes(r.source)) && (!ids || ids.includes(id))) {
        t.note.info(`${tag} profile ${id} with source ${r.source} (not set by the harness) reported`, 'rules §6.1');
      } else {
        const evse = !!inst && q.evseId !== undefined && inst.evseId !== q.evseId;
        const why = inst
          ? evse
            ? `installed on evse ${inst.evseId}, not on evse ${q.evseId}`
            : `does not match the criteria (purpose ${inst.profile.purpose}, stackLevel ${inst.profile.stackLevel}, source ${inst.source}; fields are ANDed)`
          : 'not installed by the harness, or should have been cleared';
        extras.push({ id, why, evse, seq: r.seq });
      }
    }
    if (extras.length) {
      const head = q.readBack ? 'profile(s) still installed although the reference filter removes them' : 'reported profile(s) that do not match the request';
      t.check.fail(`${tag} ${head}: ${extras.map((x) => (q.readBack ? String(x.id) : `${x.id} ${x.why}`)).join('; ')}`, {
        rule: q.rule ?? (extras.some((x) => x.evse) ? EVSE_RULE : 'K09.FR.02 (rules §6.1)'),
        pointer: '/chargingProfile',
        expected: expectedIds,
        actual: reportedIds,
        frameSeq: extras[0]!.seq,
      });
    }
    const missing = expectedIds.filter((id) => !reportedIds.includes(id));
    if (missing.length) {
      const head = q.readBack ? 'gone although the reference filter keeps them (the clear removed profiles that do not match every field)' : 'not reported';
      t.check.fail(`${tag} installed and matching profile(s) ${missing.join(', ')} ${head}`, {
        rule: q.rule ?? 'K09.FR.01 (rules §6.2)',
        pointer: '/chargingProfile',
        expected: expectedIds,
        actual: reportedIds,
        frameSeq: out.frames[out.frames.length - 1]?.frame.seq ?? resFrame.seq,
      });
    }
    return out;
  }

  /** Read back everything the harness set (source CSO) and compare with the mirror. */
  readBack(label: string, rule: string): Promise<QueryOutcome> {
    return this.query({ chargingProfile: { chargingLimitSource: ['CSO'] }, label, rule, readBack: true });
  }

  /**
   * One quiet period for the whole case (issue #14: one settle window for all its requests): nothing may
   * follow a terminal frame or a NoProfiles answer. Its length follows the device's measured latency.
   */
  async settle(): Promise<void> {
    await this.t.quietFor('ReportChargingProfiles', this.t.quietMs());
    // Let a burst that started within the grace period land before it is attributed.
    await new Promise((r) => setTimeout(r, 50));
    this.sweep();
  }
}

/** The case's shared reader (issue #14: one quiet period per case, not one per read). */
const caseReaders = new WeakMap<CaseContext, ReportReader>();

/**
 * One GetChargingProfiles with every check of rules §6.2 / K09. The reads of a case share one reader: a
 * frame that names an earlier read is flagged when the next read starts, and the case's single quiet
 * period (`settleReports`, the suite's afterEach) catches what follows the last one.
 */
export async function getProfiles(sc: SmartCharging, q: ProfileQuery): Promise<QueryOutcome> {
  let reader = caseReaders.get(sc.t);
  if (!reader) {
    reader = new ReportReader(sc);
    caseReaders.set(sc.t, reader);
  }
  return reader.query(q);
}

/** The quiet period after the case's last getProfiles (suite afterEach); nothing when the case read none. */
export async function settleReports(t: CaseContext): Promise<void> {
  const reader = caseReaders.get(t);
  if (!reader) return;
  caseReaders.delete(t);
  await reader.settle();
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
/** Timestamps compare as instants at whole seconds (rules §6.2), whatever their notation. */
export function normaliseTimes(v: unknown): unknown {
  if (typeof v === 'string' && ISO.test(v)) return `@${Math.floor(Date.parse(v) / 1000)}`;
  if (Array.isArray(v)) return v.map(normaliseTimes);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normaliseTimes(x)]));
  return v;
}
