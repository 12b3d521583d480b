/**
 * SmartCharging helpers for suites, built only on the scenario API: profile builders, a mirror of
 * what the device should hold (the reference model), composite checks anchored on the reported
 * scheduleStart, and GetChargingProfiles report collection with every pagination check.
 */
import { model, type CaseContext, type RunConfig } from '../../src/scenario';

type Payload = Record<string, unknown>;
export type Purpose = 'Max' | 'TxDefault' | 'Tx' | 'External';

export interface ProfileSpec {
  id: number;
  stackLevel?: number;
  purpose: Purpose;
  kind?: 'Absolute' | 'Recurring' | 'Relative';
  recurrencyKind?: 'Daily' | 'Weekly';
  /** [startPeriod, limit] or [startPeriod, limit, numberPhases] */
  periods: (readonly [number, number] | readonly [number, number, number])[];
  unit?: 'A' | 'W';
  duration?: number;
  startSchedule?: Date | string;
  validFrom?: Date | string;
  validTo?: Date | string;
  transactionId?: string;
  /** 2.0.1 chargingSchedule.id (default 1). */
  scheduleId?: number;
}

const iso = (d: Date | string) => (typeof d === 'string' ? d : new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z'));

/** Run-level memory (per run config object): ids the harness may have left installed, for 1.6 clean-slate probes. */
const leftovers = new WeakMap<RunConfig, Set<number>>();
let requestIds = 1;

export function wirePurpose(v: string, p: Purpose): string {
  if (p === 'Max') return v === '1.6' ? 'ChargePointMaxProfile' : 'ChargingStationMaxProfile';
  if (p === 'External') return 'ChargingStationExternalConstraints';
  return p === 'Tx' ? 'TxProfile' : 'TxDefaultProfile';
}

export class SmartCharging {
  /** What a conforming device holds after the accepted requests of this case. */
  readonly mirror: model.ProfileStore;

  constructor(readonly t: CaseContext) {
    this.mirror = new model.ProfileStore(t.ocpp === '1.6' ? '1.6' : '2.0.1', {
      evses: t.caps.evses,
      maxStackLevel: t.caps.maxStackLevel,
      maxProfiles: t.caps.maxProfiles,
      maxPeriods: t.caps.periodsPerSchedule,
      rateUnits: t.caps.rateUnits,
      nominalVoltage: t.caps.nominalVoltage,
    });
  }

  get v16(): boolean {
    return this.t.ocpp === '1.6';
  }

  /** Transactions the station reported, in the model's shape. */
  transactions(): model.Transaction[] {
    return this.t.transactions.filter((x) => x.active).map((x) => ({ evseId: x.evseId, transactionId: x.transactionId, startedAt: x.startedAt }));
  }

  /** The wire ChargingProfile for this version. */
  profile(s: ProfileSpec): Payload {
    const kind = s.kind ?? 'Absolute';
    const schedule: Payload = {
      ...(this.v16 ? {} : { id: s.scheduleId ?? 1 }),
      ...(s.startSchedule !== undefined ? { startSchedule: iso(s.startSchedule) } : kind !== 'Relative' ? { startSchedule: iso(this.t.now()) } : {}),
      ...(s.duration !== undefined ? { duration: s.duration } : {}),
      chargingRateUnit: s.unit ?? 'A',
      chargingSchedulePeriod: s.periods.map(([startPeriod, limit, numberPhases]) => ({ startPeriod, limit, ...(numberPhases !== undefined ? { numberPhases } : {}) })),
    };
    const p: Payload = {
      [this.v16 ? 'chargingProfileId' : 'id']: s.id,
      stackLevel: s.stackLevel ?? 0,
      chargingProfilePurpose: wirePurpose(this.t.ocpp, s.purpose),
      chargingProfileKind: kind,
      ...(s.recurrencyKind ? { recurrencyKind: s.recurrencyKind } : {}),
      ...(s.validFrom !== undefined ? { validFrom: iso(s.validFrom) } : {}),
      ...(s.validTo !== undefined ? { validTo: iso(s.validTo) } : {}),
      ...(s.transactionId !== undefined ? { transactionId: this.v16 ? Number(s.transactionId) : s.transactionId } : {}),
      chargingSchedule: this.v16 ? schedule : [schedule],
    };
    return p;
  }

  setPayload(evseId: number, profile: Payload): Payload {
    return this.v16 ? { connectorId: evseId, csChargingProfiles: profile } : { evseId, chargingProfile: profile };
  }

  /** SetChargingProfile; the mirror follows an Accepted answer. Returns the status (or CALLERROR code). */
  async set(evseId: number, profile: Payload, opts: { intentionalInvalid?: boolean } = {}): Promise<{ status?: string; errorCode?: string; payload?: Payload }> {
    const id = (this.v16 ? profile.chargingProfileId : profile.id) as number;
    leftovers.get(this.t.config) ?? leftovers.set(this.t.config, new Set());
    leftovers.get(this.t.config)!.add(id);
    const r = await this.t.tryCall<Payload>('SetChargingProfile', this.setPayload(evseId, profile), opts);
    if (!r.ok) return { errorCode: r.errorCode };
    if (r.payload.status === 'Accepted') {
      const parsed = this.v16 ? model.profileFrom16(profile) : model.profileFrom201(profile);
      const m = this.mirror.install(evseId, parsed, profile, this.transactions());
      if (m.status !== 'Accepted') this.mirror.forceInstall(evseId, parsed, profile);
    }
    return { status: r.payload.status as string, payload: r.payload };
  }

  /** Install and require Accepted. */
  async install(evseId: number, spec: ProfileSpec | Payload): Promise<Payload> {
    const profile = 'periods' in spec ? this.profile(spec as ProfileSpec) : (spec as Payload);
    const r = await this.set(evseId, profile);
    const id = this.v16 ? profile.chargingProfileId : profile.id;
    this.t.assert.equal(r.status ?? `CALLERROR ${r.errorCode}`, 'Accepted', `SetChargingProfile id ${id} on ${this.v16 ? 'connector' : 'EVSE'} ${evseId}`, {
      rule: this.v16 ? '1.6 §5.16' : 'K01.FR.01',
      pointer: '/status',
    });
    return profile;
  }

  async clear(req: Payload): Promise<string> {
    const r = await this.t.call<{ status: string }>('ClearChargingProfile', req);
    if (this.v16) this.mirror.clear16(req);
    else this.mirror.clear201(req);
    return r.status;
  }

  /**
   * Clean slate (catalogue §1.4): stop the harness's transactions, clear every profile and verify.
   * 1.6: Clear{} then Clear(id) probes of every id this run may have left (all must be Unknown).
   * 2.0.1: Clear per purpose (K10.FR.02 rules out an empty request), then GetChargingProfiles for
   * source CSO must answer NoProfiles.
   */
  async cleanSlate(): Promise<void> {
    const t = this.t;
    for (const tx of t.transactions.filter((x) => x.active)) {
      if (this.v16) await t.call('RemoteStopTransaction', { transactionId: Number(tx.transactionId) });
      else await t.call('RequestStopTransaction', { transactionId: tx.transactionId });
      await t.expectCall(this.v16 ? 'StopTransaction' : 'TransactionEvent', {
        match: (p) => (this.v16 ? String(p.transactionId) === tx.transactionId : p.eventType === 'Ended' && (p.transactionInfo as Payload).transactionId === tx.transactionId),
      });
    }
    const left = leftovers.get(t.config) ?? new Set<number>();
    if (this.v16) {
      await t.call('ClearChargingProfile', {});
      for (const id of left) {
        const r = await t.call<{ status: string }>('ClearChargingProfile', { id });
        // A true survivor is removed by this probe, so a second probe says Unknown. Accepted again means the
        // station answers Accepted for profiles it does not hold: the clear cases judge that, not the clean slate.
        if (r.status !== 'Unknown' && (await t.call<{ status: string }>('ClearChargingProfile', { id })).status === 'Unknown') {
          throw new Error(`profile ${id} survived ClearChargingProfile with no fields (errata 3.25)`);
        }
      }
    } else {
      for (const purpose of ['TxProfile', 'TxDefaultProfile', 'ChargingStationMaxProfile']) {
        await t.call('ClearChargingProfile', { chargingProfileCriteria: { chargingProfilePurpose: purpose } });
      }
      const r = await t.call<{ status: string }>('GetChargingProfiles', { requestId: requestIds++, chargingProfile: { chargingLimitSource: ['CSO'] } });
      if (r.status !== 'NoProfiles') throw new Error(`GetChargingProfiles answered ${r.status} after clearing every purpose`);
    }
    left.clear();
  }

  nextRequestId(): number {
    return requestIds++;
  }
}

/** Suite-wide beforeEach for the station-under-test suites. */
export async function cleanSlate(t: CaseContext): Promise<void> {
  await new SmartCharging(t).cleanSlate();
}

/**
 * Send a CALL like `t.call` (a CALLERROR still ends the case) and also return the trace sequence of the
 * response frame, so findings can point at it.
 */
export async function callSeq<T = Payload>(t: CaseContext, action: string, payload: Payload): Promise<{ payload: T; seq: number }> {
  const r = await t.tryCall<T>(action, payload);
  if (!r.ok) throw r.error;
  return { payload: r.payload, seq: r.frame.seq };
}

export interface CompositeOutcome {
  status: string;
  /** Trace sequence number of the GetCompositeSchedule response. */
  frameSeq?: number;
  payload: Payload;
  scheduleStart?: number;
  periods?: model.Period[];
  unit?: 'A' | 'W';
  duration?: number;
}

/** GetCompositeSchedule with the response audit of SC-X-06; returns what was reported. */
export async function getComposite(sc: SmartCharging, evseId: number, duration: number, unit?: 'A' | 'W'): Promise<CompositeOutcome> {
  const t = sc.t;
  const sentAt = Date.now() / 1000;
  const req: Payload = sc.v16 ? { connectorId: evseId, duration } : { evseId, duration };
  if (unit) req.chargingRateUnit = unit;
  // The response frame every finding below points at.
  const { payload, seq: frameSeq } = await callSeq(t, 'GetCompositeSchedule', req);
  const status = payload.status as string;
  if (status !== 'Accepted') {
    if (!sc.v16) t.check.ok(payload.schedule === undefined, 'a Rejected composite carries no schedule', { frameSeq, rule: 'TC_K_42_CS', pointer: '/schedule' });
    return { status, payload, frameSeq };
  }
  let schedule: Payload | undefined;
  let scheduleStartIso: string | undefined;
  if (sc.v16) {
    // errata 3.51: an Accepted answer carries scheduleStart and chargingSchedule.
    t.check.ok(payload.scheduleStart !== undefined, 'Accepted 1.6 composite carries scheduleStart', { frameSeq, rule: '1.6 errata 3.51', pointer: '/scheduleStart' });
    t.check.ok(payload.chargingSchedule !== undefined, 'Accepted 1.6 composite carries chargingSchedule', { frameSeq, rule: '1.6 errata 3.51', pointer: '/chargingSchedule' });
    if (payload.connectorId !== undefined) t.check.equal(payload.connectorId, evseId, 'composite connectorId echoes the request', { frameSeq, rule: 'rules §5.6', pointer: '/connectorId' });
    schedule = payload.chargingSchedule as Payload | undefined;
    scheduleStartIso = payload.scheduleStart as string | undefined;
    if (schedule?.startSchedule !== undefined) t.note.warn('1.6 composite still carries chargingSchedule.startSchedule (errata 3.57: omit it)', '1.6 errata 3.57');
  } else {
    schedule = payload.schedule as Payload | undefined;
    t.check.ok(schedule !== undefined, 'Accepted composite carries schedule', { frameSeq, rule: 'K08.FR.02', pointer: '/schedule' });
    if (schedule) t.check.equal(schedule.evseId, evseId, 'schedule.evseId echoes the request', { frameSeq, rule: 'rules §5.6', pointer: '/schedule/evseId' });
    scheduleStartIso = schedule?.scheduleStart as string | undefined;
  }
  if (!schedule || !scheduleStartIso) return { status, payload, frameSeq };
  const base = sc.v16 ? '/chargingSchedule' : '/schedule';
  const periods = (schedule.chargingSchedulePeriod as model.Period[]) ?? [];
  const reportedDuration = schedule.duration as number | undefined;
  const reportedUnit = schedule.chargingRateUnit as 'A' | 'W';
  const start = model.toEpochSeconds(scheduleStartIso);
  const delta = t.config.timing.toleranceS;
  // rules §10 (convention 1): scheduleStart within Δ of the instant the request was sent (OCTT TC_066_CS).
  t.check.ok(Math.abs(start - sentAt) <= delta + 1, `scheduleStart within ${delta} s of the request`, {
    rule: 'rules §10', frameSeq, pointer: sc.v16 ? '/scheduleStart' : '/schedule/scheduleStart', expected: new Date(sentAt * 1000).toISOString(), actual: scheduleStartIso,
  });
  if (unit) t.check.equal(reportedUnit, unit, 'composite unit equals the requested unit', { frameSeq, rule: sc.v16 ? 'rules §5.6' : 'K08.FR.02', pointer: `${base}/chargingRateUnit` });
  else t.check.ok(t.caps.rateUnits.includes(reportedUnit), 'composite unit is a supported unit', { frameSeq, rule: 'rules §5.6', pointer: `${base}/chargingRateUnit`, actual: reportedUnit });
  if (reportedDuration === undefined || reportedDuration < duration) {
    t.note.warn(`composite duration ${reportedDuration ?? 'absent'} is shorter than the requested ${duration} s`, 'rules §5.6');
  } else t.check.equal(reportedDuration, duration, 'composite duration equals the requested duration', { frameSeq, rule: 'rules §5.6', pointer: `${base}/duration` });
  t.check.ok(periods[0]?.startPeriod === 0, 'first startPeriod is 0', { frameSeq, rule: 'rules §5.2 step 8', pointer: `${base}/chargingSchedulePeriod/0/startPeriod`, actual: periods[0]?.startPeriod });
  periods.forEach((p, i) => {
    const ptr = `${base}/chargingSchedulePeriod/${i}`;
    if (i > 0) t.check.ok(p.startPeriod > periods[i - 1]!.startPeriod, 'startPeriods strictly increasing', { frameSeq, rule: 'rules §5.2', pointer: `${ptr}/startPeriod`, actual: p.startPeriod });
    t.check.ok(p.startPeriod < duration, 'every period starts inside the duration', { frameSeq, rule: 'rules §5.2', pointer: `${ptr}/startPeriod`, actual: p.startPeriod });
    if (p.limit < 0) t.note.warn(`negative limit ${p.limit} at ${ptr}/limit`, 'rules §5.2 step 7');
    if (p.numberPhases !== undefined) t.check.ok(p.numberPhases >= 1 && p.numberPhases <= 3, 'numberPhases in 1..3', { frameSeq, rule: 'rules §2', pointer: `${ptr}/numberPhases`, actual: p.numberPhases });
    if (!sc.v16 && !model.atMostOneDecimal(p.limit)) t.note.warn(`limit ${p.limit} at ${ptr}/limit has more than one decimal`, 'rules §8');
  });
  return { status, payload, frameSeq, scheduleStart: start, periods, unit: reportedUnit, duration: reportedDuration };
}

/**
 * Composite equal to the reference model, as step functions over the whole window, anchored on the
 * reported scheduleStart (rules §5.2, §10). Deviations only inside [warnFrom, warnTo) are WARN
 * (worked example A, 260−x…300−x).
 */
export async function expectComposite(sc: SmartCharging, evseId: number, duration: number, unit?: 'A' | 'W', opts: { rule?: string; warnFrom?: number; warnTo?: number } = {}): Promise<CompositeOutcome> {
  const t = sc.t;
  const out = await getComposite(sc, evseId, duration, unit);
  t.assert.equal(out.status, 'Accepted', `GetCompositeSchedule for ${sc.v16 ? 'connector' : 'EVSE'} ${evseId}`, { pointer: '/status', rule: opts.rule ?? 'rules §5.2' });
  if (out.scheduleStart === undefined || !out.periods) return out;
  const expected = model.compositeSchedule(
    { evseId, duration, unit: unit ?? out.unit, start: out.scheduleStart },
    { ...sc.mirror.compositeContext(sc.transactions()), installed: sc.mirror.list() },
  );
  const reportedDuration = out.duration ?? duration;
  // A shorter duration is already a WARN (rules §5.6): judge the part that was reported.
  const cmpOpts = { truncateToReported: reportedDuration < duration };
  let cmp = model.compareComposite(expected, out.periods, reportedDuration, cmpOpts);
  const describe = (c: model.CompareOutcome & { ok: false }) =>
    `composite differs from the reference model over [${c.from}, ${c.to}) s: expected ${c.expected ?? 'no limit'}, reported ${c.actual ?? 'nothing'} (${c.message})`;
  // The WARN window must not hide a FAIL after it: when the first difference lies inside the window,
  // judge the rest of the schedule from the window's end on.
  if (!cmp.ok && opts.warnFrom !== undefined && cmp.from >= opts.warnFrom && cmp.to <= (opts.warnTo ?? Infinity)) {
    t.note.warn(describe(cmp), opts.rule);
    const off = opts.warnTo ?? reportedDuration;
    cmp = off < reportedDuration ? compareFrom(expected, out.periods, reportedDuration, off, cmpOpts) : { ok: true };
  }
  // A negative limit where no profile applies was noted as WARN by getComposite (rules §5.2 step 7).
  if (!cmp.ok && cmp.kind !== 'negative-unvalidated') {
    t.check.fail(describe(cmp), {
      rule: opts.rule ?? 'rules §5.2',
      pointer: sc.v16 ? '/chargingSchedule/chargingSchedulePeriod' : '/schedule/chargingSchedulePeriod',
      expected: model.toPeriods(expected),
      actual: out.periods,
      frameSeq: out.frameSeq,
    });
  }
  return out;
}

export interface ReportCollection {
  status: string;
  frames: Payload[];
  profiles: { evseId: number; source: string; profile: Payload }[];
}

/**
 * 2.0.1 GetChargingProfiles with every pagination check of rules §6.2 / K09: status matches the
 * model; no report before the response; each frame has the requestId, a homogeneous (evseId, source)
 * group and a non-empty list; exactly one terminal frame, last; nothing after it within the grace
 * period; reported set = selected set, no duplicates, each profile deep-equal to what was sent.
 */
export async function getProfiles(sc: SmartCharging, req: { evseId?: number; chargingProfile: Payload }): Promise<ReportCollection> {
  const t = sc.t;
  const requestId = sc.nextRequestId();
  const expected = sc.mirror.select(req as never);
  const before = t.received('ReportChargingProfiles').length;
  const { payload: res, seq: responseSeq } = await callSeq<{ status: string }>(t, 'GetChargingProfiles', {
    requestId,
    ...(req.evseId !== undefined ? { evseId: req.evseId } : {}),
    chargingProfile: req.chargingProfile,
  });
  // Order on the wire, by trace sequence: a report recorded before the CALLRESULT came before it.
  const early = t.received('ReportChargingProfiles').slice(before).filter((c) => c.frame.seq < responseSeq);
  t.check.ok(early.length === 0, 'no ReportChargingProfiles before the GetChargingProfiles response', { rule: 'rules §6.2', frameSeq: early[0]?.frame.seq });
  t.check.equal(res.status, expected.length ? 'Accepted' : 'NoProfiles', 'GetChargingProfiles status', { rule: 'K09.FR.01', pointer: '/status' });
  const grace = t.config.timing.graceMs;
  const out: ReportCollection = { status: res.status, frames: [], profiles: [] };
  if (res.status !== 'Accepted') {
    const late = await t.quietFor('ReportChargingProfiles', grace);
    t.check.ok(!late, `no ReportChargingProfiles after ${res.status}`, { rule: 'K09.FR.02', frameSeq: late?.frame.seq });
    return out;
  }
  // Consume the early ones too: they are still reports of this request.
  let terminal = false;
  let next = 0;
  const all = () => t.received('ReportChargingProfiles').slice(before);
  while (!terminal) {
    let frame: ReturnType<typeof all>[number] | undefined = all()[next];
    if (!frame) {
      // Once everything expected has arrived, a further frame gets only the grace period.
      const got = out.profiles.length;
      const wait = got >= expected.length ? grace : t.config.timing.callTimeoutMs;
      frame = await t.quietFor('ReportChargingProfiles', wait);
      if (!frame) {
        t.check.fail(
          got >= expected.length
            ? `the last ReportChargingProfiles had tbc=true but no further frame came within ${wait} ms`
            : `reports stopped after ${got} of ${expected.length} profiles`,
          { rule: 'K09.FR.01 / rules §6.2', kind: 'Timeout' },
        );
        break;
      }
    }
    next++;
    const p = frame.payload;
    out.frames.push(p);
    const seq = frame.frame.seq;
    t.check.equal(p.requestId, requestId, 'ReportChargingProfiles.requestId equals the request', { rule: 'K09.FR.01', pointer: '/requestId', frameSeq: seq });
    const list = (p.chargingProfile as Payload[]) ?? [];
    for (const prof of list) {
      const inst = expected.find((e) => e.profile.id === prof.id);
      out.profiles.push({ evseId: p.evseId as number, source: p.chargingLimitSource as string, profile: prof });
      if (inst) {
        t.check.ok(inst.evseId === p.evseId && inst.source === p.chargingLimitSource, `profile ${prof.id as number} reported in the frame of its own (evseId, source)`, {
          rule: 'rules §6.2', pointer: '/evseId', expected: { evseId: inst.evseId, source: inst.source }, actual: { evseId: p.evseId, source: p.chargingLimitSource }, frameSeq: seq,
        });
      }
    }
    terminal = p.tbc !== true;
    if (out.frames.length > expected.length + 2 && !terminal) {
      t.check.fail(`more report frames (${out.frames.length}) than profiles to report (${expected.length}) and tbc is still true`, { rule: 'rules §6.2' });
      break;
    }
  }
  if (terminal) {
    const after = await t.quietFor('ReportChargingProfiles', grace, (p) => p.requestId === requestId);
    t.check.ok(!after, 'nothing after the terminal ReportChargingProfiles (tbc false/absent)', { rule: 'rules §6.2', frameSeq: after?.frame.seq });
  }
  // Set equality, no duplicates, deep equality with what was sent.
  const ids = out.profiles.map((x) => x.profile.id as number);
  const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
  t.check.ok(dup.length === 0, 'no profile reported twice', { rule: 'rules §6.2', actual: dup });
  const want = expected.map((e) => e.profile.id).sort((a, b) => a - b);
  t.check.equal([...new Set(ids)].sort((a, b) => a - b), want, 'reported profile ids equal the installed profiles matching the request', { rule: 'K09.FR.01' });
  for (const r of out.profiles) {
    const inst = expected.find((e) => e.profile.id === r.profile.id);
    if (!inst) continue;
    const sent = { ...inst.raw, ...(inst.profile.transactionId !== undefined && inst.raw.transactionId === undefined ? { transactionId: inst.profile.transactionId } : {}) };
    t.check.equal(normaliseTimes(r.profile), normaliseTimes(sent), `reported profile ${r.profile.id as number} equals what was sent`, { rule: 'rules §6.2', pointer: '/chargingProfile' });
  }
  return out;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
/** Timestamps compare as instants at whole seconds (rules §6.2), whatever their notation. */
export function normaliseTimes(v: unknown): unknown {
  if (typeof v === 'string' && ISO.test(v)) return `@${Math.floor(Date.parse(v) / 1000)}`;
  if (Array.isArray(v)) return v.map(normaliseTimes);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normaliseTimes(x)]));
  return v;
}

/** compareComposite over [off, duration) only: both step functions rebased to start at `off`. */
function compareFrom(
  expected: model.CompositeResult,
  periods: readonly model.Period[],
  reportedDuration: number,
  off: number,
  opts: model.CompareOptions,
): model.CompareOutcome {
  const intervals = expected.intervals.filter((i) => i.to > off).map((i) => ({ ...i, from: Math.max(i.from, off) - off, to: i.to - off }));
  const atOff = [...periods].reverse().find((p) => p.startPeriod <= off);
  const rebased = [...(atOff ? [{ ...atOff, startPeriod: 0 }] : []), ...periods.filter((p) => p.startPeriod > off).map((p) => ({ ...p, startPeriod: p.startPeriod - off }))];
  const shifted = model.compareComposite({ ...expected, duration: expected.duration - off, intervals }, rebased, reportedDuration - off, opts);
  return shifted.ok ? shifted : { ...shifted, from: shifted.from + off, to: shifted.to + off };
}
