/**
 * SmartCharging helpers for suites, built only on the scenario API: profile builders, a mirror of
 * what the device should hold (the reference model) and composite checks anchored on the reported
 * scheduleStart. Reports: ./reports.ts; clears and probes: ./clear.ts; transactions: ./transactions.ts;
 * the clean slate: ./cleanSlate.ts.
 */
import { model, type CaseContext, type CompositeComparison, type RunConfig } from '../../src/scenario';

// OCPP 2.1 adjustments (issue #16).
import { isV21, modelVersion, readProfile } from './version';

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
  /**
   * The unit of `periods` as sent, exactly as given (cross-unit steps, unit rejections). Absent: the limits
   * are the case's scenario figures in A, sent in `SmartCharging.unit` (converted to W on a W-only device).
   */
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

/** Profile ids this run may have left installed (1.6 clean-slate probes); the caller empties the set once verified. */
export function leftoverIds(config: RunConfig): Set<number> {
  return leftovers.get(config) ?? leftovers.set(config, new Set()).get(config)!;
}

export function wirePurpose(v: string, p: Purpose): string {
  if (p === 'Max') return v === '1.6' ? 'ChargePointMaxProfile' : 'ChargingStationMaxProfile';
  if (p === 'External') return 'ChargingStationExternalConstraints';
  return p === 'Tx' ? 'TxProfile' : 'TxDefaultProfile';
}

/**
 * The unit a case's profiles are sent in (issue #12 item 1): A when the device supports A (the scenarios are
 * written in A), else W. The rate units are the discovered ones (1.6 ChargingScheduleAllowedChargingRateUnit,
 * 2.0.1 SmartChargingCtrlr.RateUnit) or the declared `device.rateUnits`.
 */
export function profileUnit(rateUnits: readonly ('A' | 'W')[]): 'A' | 'W' {
  return rateUnits.includes('A') || !rateUnits.includes('W') ? 'A' : 'W';
}

/**
 * A scenario limit in A as sent in W: limit × nominal voltage × numberPhases (3 when absent), the very
 * conversion of rules §5.5 (1.6 §7.12, K01.FR.49/.50). Why this factor: it is the same physical limit, so
 * the scenario keeps its meaning even where a station converts; a W profile read in W is not converted by
 * the model at all, so the expected composites stay exact; and a limit with at most one decimal gives an
 * integer number of watts (0.1 A × 230 V = 23 W), so no rounding enters (rules §8). The product is
 * rounded to one decimal only to drop binary floating-point noise (8.1 × 690 = 5588.999…).
 */
export function scenarioLimitInW(limitA: number, numberPhases: number | undefined, nominalVoltage: number): number {
  return model.round1(model.convertLimit(limitA, 'A', 'W', numberPhases, nominalVoltage));
}

export class SmartCharging {
  /** What a conforming device holds after the accepted requests of this case. */
  readonly mirror: model.ProfileStore;
  /** The unit profiles are sent in and composites asked for when a case names no unit (`profileUnit`). */
  readonly unit: 'A' | 'W';

  constructor(readonly t: CaseContext) {
    this.unit = profileUnit(t.caps.rateUnits);
    // Said once per case, so the step titles (written in A) read right on a W-only device.
    if (this.unit === 'W') t.note.info(`the device supports only W: the case's limits in A are sent as W = A × ${t.caps.nominalVoltage} V × numberPhases (3 when absent)`, 'rules §5.5');
    this.mirror = new model.ProfileStore(modelVersion(t), {
      evses: t.caps.evses,
      maxStackLevel: t.caps.maxStackLevel,
      maxProfiles: t.caps.maxProfiles,
      maxPeriods: t.caps.periodsPerSchedule,
      rateUnits: t.caps.rateUnits,
      nominalVoltage: t.caps.nominalVoltage,
      // 2.1 K01.FR.121: Dynamic profiles only where advertised (SupportsFeature[DynamicProfiles]).
      ...(t.caps.features.dynamicProfiles ? { dynamicProfiles: true } : {}),
    });
  }

  get v16(): boolean {
    return this.t.ocpp === '1.6';
  }

  /** Transactions the station reported, in the model's shape. */
  transactions(): model.Transaction[] {
    return this.t.transactions.filter((x) => x.active).map((x) => ({ evseId: x.evseId, transactionId: x.transactionId, startedAt: x.startedAt }));
  }

  /** A scenario limit in A, in the unit this case's profiles are sent in (W on a W-only device). */
  limit(limitA: number, numberPhases?: number): number {
    return this.unit === 'W' ? scenarioLimitInW(limitA, numberPhases, this.t.caps.nominalVoltage) : limitA;
  }

  /** The wire ChargingProfile for this version. */
  profile(s: ProfileSpec): Payload {
    const kind = s.kind ?? 'Absolute';
    const schedule: Payload = {
      ...(this.v16 ? {} : { id: s.scheduleId ?? 1 }),
      ...(s.startSchedule !== undefined ? { startSchedule: iso(s.startSchedule) } : kind !== 'Relative' ? { startSchedule: iso(this.t.now()) } : {}),
      ...(s.duration !== undefined ? { duration: s.duration } : {}),
      chargingRateUnit: s.unit ?? this.unit,
      chargingSchedulePeriod: s.periods.map(([startPeriod, limit, numberPhases]) => ({
        startPeriod,
        limit: s.unit === undefined ? this.limit(limit, numberPhases) : limit,
        ...(numberPhases !== undefined ? { numberPhases } : {}),
      })),
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
      const parsed = readProfile(this.t, profile);
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

  nextRequestId(): number {
    return requestIds++;
  }
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
  /** The reference model over the requested window (when asked for with `model: true`). */
  expected?: model.CompositeResult;
  /** expectComposite: the periods differ from the model nowhere it FAILs (WARN-level differences allowed). */
  matchesModel?: boolean;
}

const LIMIT_RULE_21 = '2.1 schema ChargingSchedulePeriodType.limit';
/** 2.1 ChargingSchedulePeriodType is used in CompositeScheduleType; OperationModeEnumType: absent = ChargingOnly. */
const OPMODE_RULE_21 = '2.1 schema ChargingSchedulePeriodType.operationMode / setpoint (composite: sole source)';

/**
 * GetCompositeSchedule with the response audit of SC-X-06; returns what was reported. With `model: true`
 * the reference model is computed for the reported scheduleStart and the duration is judged against it
 * (rules §5.6, 1.6 §5.7: a shorter schedule fails where the model has a limit in the missing part);
 * without it a shorter duration is only a WARN, since nothing says what the missing part should hold.
 */
export async function getComposite(sc: SmartCharging, evseId: number, duration: number, askedUnit?: 'A' | 'W', opts: { model?: boolean; warnFrom?: number; warnTo?: number } = {}): Promise<CompositeOutcome> {
  const t = sc.t;
  // Cases write 'A' for their scenario unit: on a device without A the composite is asked for in the unit
  // its profiles were sent in (issue #12 item 1; an unsupported unit would only be Rejected, K08.FR.07).
  // A step that needs both units (W profile, A composite) lives in a case that `needs` both, so this
  // never turns a cross-unit step into a same-unit one.
  const unit = askedUnit === 'A' && !t.caps.rateUnits.includes('A') ? sc.unit : askedUnit;
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
    // 1.6 §5.7: the schedule is calculated for the connector asked for.
    if (payload.connectorId !== undefined) t.check.equal(payload.connectorId, evseId, 'composite connectorId echoes the request', { frameSeq, rule: '1.6 §5.7', pointer: '/connectorId' });
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
  // The request's chargingRateUnit forces the unit (1.6 §5.7 GetCompositeSchedule.req; 2.0.1 K08.FR.02): no 2.0.1 id in 1.6.
  if (unit) t.check.equal(reportedUnit, unit, 'composite unit equals the requested unit', { frameSeq, rule: sc.v16 ? '1.6 §5.7' : 'K08.FR.02', pointer: `${base}/chargingRateUnit` });
  else t.check.ok(t.caps.rateUnits.includes(reportedUnit), 'composite unit is a supported unit', { frameSeq, rule: 'rules §5.6', pointer: `${base}/chargingRateUnit`, actual: reportedUnit });
  // 2.1: `limit` is optional only under the operationModes that do not need it (2.1 schema field description
  // of ChargingSchedulePeriodType.limit); a ChargingOnly period without one FAILS, a setpoint/external/local
  // one is not judged (WARN). Either way the model comparison is left out: it needs every limit.
  const limitless = isV21(t) ? periods.flatMap((p, i) => (typeof p.limit === 'number' ? [] : [{ p, i }])) : [];
  let expected = opts.model ? modelComposite(sc, evseId, duration, unit ?? reportedUnit, start) : undefined;
  // Where the model itself has no limit (its sole source is a period without one, composite.ts
  // `soleSource`), a limitless period is judged with the operationMode comparison (expectComposite).
  const modelHasNone = (p: model.Period) => !!expected?.result.intervals.some((iv) => iv.v2x?.limitAbsent && iv.from <= p.startPeriod && p.startPeriod < iv.to);
  let unjudged = 0;
  for (const { p, i } of limitless) {
    const mode = p.operationMode ?? 'ChargingOnly';
    if (!model.LIMIT_OPTIONAL_MODES.includes(mode)) {
      t.check.fail(`composite period ${i} has no limit, which operationMode ${mode} requires`, { frameSeq, rule: LIMIT_RULE_21, pointer: `${base}/chargingSchedulePeriod/${i}/limit` });
      unjudged++;
    } else if (!modelHasNone(p)) {
      t.note.warn(`composite period ${i} has no limit under operationMode ${mode}: not judged`, LIMIT_RULE_21);
      unjudged++;
    }
  }
  if (unjudged > 0) expected = undefined;
  if (expected?.result.leftOut) {
    // 2.1: a profile the model does not cover (2.1-only purpose or kind, operationMode other than
    // ChargingOnly) is installed; the composite is then not judged against the model (issue #16: WARN).
    t.note.warn(`composite not compared with the model: ${expected.result.leftOut.map((l) => `profile ${l.id}: ${l.reason}`).join('; ')}`, 'rules §5.2');
    expected = undefined;
  }
  const verdict = model.judgeCompositeDuration({
    version: sc.v16 ? '1.6' : '2.0.1',
    requested: duration,
    reported: reportedDuration,
    ...(expected ? { expected: expected.result, profilesAt: (off: number) => model.profilesApplyingAt(expected.request, expected.ctx, off) } : {}),
    ...(opts.warnFrom !== undefined ? { tolerated: { from: opts.warnFrom, to: opts.warnTo ?? Infinity } } : {}),
  });
  if (verdict?.level === 'fail') t.check.fail(verdict.message, { frameSeq, rule: verdict.rule, pointer: `${base}/duration`, expected: duration, actual: reportedDuration });
  else if (verdict) t.note.warn(verdict.message, verdict.rule);
  // rules §5.2 step 8: periods start at 0, strictly increasing, inside the (reported) duration.
  const end = reportedDuration ?? duration;
  // 1.6 §7.13 gives chargingSchedulePeriod the cardinality 1..* although the 1.6 schema has no minItems
  // (2.0.1's schema has it, so there the schema check already fails an empty list).
  if (periods.length === 0) t.check.fail('no periods: an Accepted composite lists at least one chargingSchedulePeriod', { frameSeq, rule: sc.v16 ? '1.6 §7.13 (chargingSchedulePeriod 1..*)' : 'rules §5.2 step 8', pointer: `${base}/chargingSchedulePeriod` });
  else t.check.ok(periods[0]!.startPeriod === 0, 'first startPeriod is 0', { frameSeq, rule: 'rules §5.2 step 8', pointer: `${base}/chargingSchedulePeriod/0/startPeriod`, expected: 0, actual: periods[0]!.startPeriod });
  periods.forEach((p, i) => {
    const ptr = `${base}/chargingSchedulePeriod/${i}`;
    if (i > 0) t.check.ok(p.startPeriod > periods[i - 1]!.startPeriod, 'startPeriods strictly increasing', { frameSeq, rule: 'rules §5.2 step 8', pointer: `${ptr}/startPeriod`, actual: p.startPeriod });
    t.check.ok(p.startPeriod < end, `every period starts inside the duration (${end} s)`, { frameSeq, rule: 'rules §5.2 step 8', pointer: `${ptr}/startPeriod`, actual: p.startPeriod });
    if (p.limit < 0) t.note.warn(`negative limit ${p.limit} ${reportedUnit} at ${ptr}/limit`, 'rules §5.2 step 7');
    if (p.numberPhases !== undefined && !(p.numberPhases >= 1 && p.numberPhases <= 3)) {
      // 1.6 §7.14 gives numberPhases no range and no SHALL (MicroOcpp reports -1 for "unknown"): a WARN in
      // 1.6. 2.x: the team rule (rules §2, K01.FR.45: an AC EVSE supplies 1..3 phases) stays a FAIL.
      if (sc.v16) t.note.warn(`numberPhases ${p.numberPhases} at ${ptr}/numberPhases is outside 1..3 (1.6 sets no range)`, '1.6 §7.14');
      else t.check.ok(false, 'numberPhases in 1..3', { frameSeq, rule: 'rules §2', pointer: `${ptr}/numberPhases`, actual: p.numberPhases });
    }
    // rules §8: the 2.0.1 one-decimal rule; 2.1 drops it (station-reported values keep full resolution).
    if (!sc.v16 && !isV21(t) && !model.atMostOneDecimal(p.limit)) t.note.warn(`limit ${p.limit} ${reportedUnit} at ${ptr}/limit has more than one decimal`, 'rules §8');
  });
  return { status, payload, frameSeq, scheduleStart: start, periods, unit: reportedUnit, duration: reportedDuration, ...(expected ? { expected: expected.result } : {}) };
}

/** The reference model for a composite window starting at the reported scheduleStart (rules §5.2, §10). */
function modelComposite(sc: SmartCharging, evseId: number, duration: number, unit: 'A' | 'W', start: number) {
  const request: model.CompositeRequest = { evseId, duration, unit, start };
  // The model computes the expected composite in either unit whatever the device supports (issue #12 item
  // 1): which units the device accepts is judged by the device's answer, not by the model's arithmetic.
  const ctx: model.CompositeContext = { ...sc.mirror.compositeContext(sc.transactions()), installed: sc.mirror.list(), rateUnits: ['A', 'W'] };
  return { request, ctx, result: model.compositeSchedule(request, ctx) };
}

/**
 * Composite equal to the reference model, as step functions over the whole window, anchored on the
 * reported scheduleStart (rules §5.2, §10). Deviations only inside [warnFrom, warnTo) are WARN
 * (worked example A, 260−x…300−x).
 */
export async function expectComposite(sc: SmartCharging, evseId: number, duration: number, unit?: 'A' | 'W', opts: { rule?: string; warnFrom?: number; warnTo?: number } = {}): Promise<CompositeOutcome> {
  const t = sc.t;
  const out = await getComposite(sc, evseId, duration, unit, { model: true, ...(opts.warnFrom !== undefined ? { warnFrom: opts.warnFrom, warnTo: opts.warnTo } : {}) });
  t.assert.equal(out.status, 'Accepted', `GetCompositeSchedule for ${sc.v16 ? 'connector' : 'EVSE'} ${evseId}`, { pointer: '/status', rule: opts.rule ?? 'rules §5.2' });
  if (out.scheduleStart === undefined || !out.periods || !out.expected) return out;
  const expected = out.expected;
  const reportedDuration = out.duration ?? duration;
  // A shorter duration was judged by getComposite (FAIL where the model has a limit in the missing
  // part, else WARN, rules §5.6): the content is judged over the part that was reported.
  const cmpOpts = { truncateToReported: reportedDuration < duration, ...(out.unit ? { reportedUnit: out.unit } : {}) };
  // Every differing stretch, not only the first: a WARN-level one (inside the tolerated window, or a negative
  // limit where no profile applies) must never hide a FAIL after it (MicroOcpp: a -1 for the first fraction
  // of a second, before a profile's whole-second start, hid a schedule of -1 where profiles applied).
  const diffs = model.compositeDifferences(expected, out.periods, reportedDuration, cmpOpts);
  const describe = (c: model.CompareDifference) => c.message.replace('composite differs over', 'composite differs from the reference model over');
  const inWindow = (d: model.CompareDifference) => opts.warnFrom !== undefined && d.from >= opts.warnFrom && d.to <= (opts.warnTo ?? Infinity);
  const isWarn = (d: model.CompareDifference) => inWindow(d) || d.kind === 'negative-unvalidated';
  // Evidence for the HTML report's chart (issue #15); the verdict comes from the checks below alone.
  const differences: CompositeComparison['differences'] = diffs.map((d) => ({ from: d.from, to: d.to, expected: d.expected, actual: d.actual, kind: d.kind, message: describe(d), level: isWarn(d) ? 'warn' : 'fail' }));
  // A negative limit where no profile applies was noted as WARN by getComposite (rules §5.2 step 7); a
  // stretch inside the window is noted here.
  for (const d of diffs) if (inWindow(d)) t.note.warn(describe(d), opts.rule);
  const fails = diffs.filter((d) => !isWarn(d));
  const profiles = profileStack(sc, evseId, out.scheduleStart, expected.duration);
  t.evidence.composite({
    evseId,
    requestedDuration: duration,
    unit: expected.unit,
    ...(out.unit ? { reportedUnit: out.unit } : {}),
    scheduleStart: Number.isFinite(out.scheduleStart) ? new Date(out.scheduleStart * 1000).toISOString() : String(out.scheduleStart),
    expectedDuration: expected.duration,
    expected: expected.intervals.map((i) => ({ from: i.from, to: i.to, limit: i.limit })),
    ...(out.duration !== undefined ? { reportedDuration: out.duration } : {}),
    reported: out.periods.map((p) => ({ startPeriod: p.startPeriod, limit: p.limit })),
    differences,
    ...(profiles ? { profiles } : {}),
    rule: opts.rule ?? 'rules §5.2',
    ...(out.frameSeq !== undefined ? { frameSeq: out.frameSeq } : {}),
  });
  if (fails.length) {
    const more = fails.length > 1 ? ` (and ${fails.length - 1} more: ${fails.slice(1, 4).map((d) => `[${d.from}, ${d.to})`).join(', ')}${fails.length > 4 ? ', …' : ''})` : '';
    t.check.fail(describe(fails[0]!) + more, {
      rule: opts.rule ?? 'rules §5.2',
      pointer: sc.v16 ? '/chargingSchedule/chargingSchedulePeriod' : '/schedule/chargingSchedulePeriod',
      expected: model.toPeriods(expected),
      actual: out.periods,
      frameSeq: out.frameSeq,
    });
  }
  // 2.1: operationMode, setpoints and discharge limits where the model's interval has a sole source under
  // another operationMode (composite.ts `soleSource`): mode and required setpoint FAIL, other fields WARN.
  const modes = isV21(t) ? model.compareOperationModes(expected, out.periods, reportedDuration) : { ok: true as const };
  if (!modes.ok && modes.required) t.check.fail(modes.message, { rule: OPMODE_RULE_21, pointer: `/schedule/chargingSchedulePeriod`, expected: modes.expected, actual: modes.actual, frameSeq: out.frameSeq });
  else if (!modes.ok) t.note.warn(modes.message, OPMODE_RULE_21);
  return { ...out, matchesModel: fails.length === 0 };
}

/**
 * The installed profiles that can take part in a composite of `evseId` (those on it and on the station,
 * all EVSEs for 0), each laid out over the window (Relative ones from the transaction start on that EVSE,
 * else from the window start, rules §5.2 step 2): the stack the HTML report draws under the chart.
 */
function profileStack(sc: SmartCharging, evseId: number, start: number, duration: number): CompositeComparison['profiles'] {
  const txs = sc.transactions();
  const layOut = (i: model.Installed) => {
    const tx = txs.find((t) => t.evseId === (i.evseId === 0 ? evseId : i.evseId));
    const anchor = tx ? model.toEpochSeconds(tx.startedAt) : start;
    const pieces = model.expandProfile(i.profile, anchor, start, start + duration);
    return {
      id: i.profile.id,
      purpose: i.profile.purpose,
      stackLevel: i.profile.stackLevel,
      evseId: i.evseId,
      unit: pieces[0]?.unit ?? i.profile.schedules[0]?.chargingRateUnit ?? 'A',
      steps: pieces.map((p) => ({ from: p.from - start, to: p.to - start, limit: p.limit })),
    };
  };
  // Evidence must never change a verdict: a profile the layout cannot expand leaves the stack out.
  try {
    return sc.mirror.list().filter((i) => evseId === 0 || i.evseId === 0 || i.evseId === evseId).map(layOut);
  } catch {
    return undefined;
  }
}
