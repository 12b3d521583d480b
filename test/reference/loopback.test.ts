/**
 * Issue #4: the reference station against the reference CSMS over loopback, for OCPP 1.6 and 2.0.1.
 * Everything is driven through the CSMS trigger (`csms.trigger`, and the real HTTP endpoint with fetch);
 * every answer is checked against the SmartCharging reference model run on a mirror store.
 */
import type { Payload } from '../../src/ocppj/messages';
import { ReferenceCsms, ReferenceStation, UnknownFaultError, type AggregatedReport } from '../../src/reference';
import {
  ProfileStore,
  compareComposite,
  compositeSchedule,
  conflicts201,
  fromEpochSeconds,
  profileFrom16,
  profileFrom201,
  toEpochSeconds,
  toPeriods,
  type DeviceLimits,
  type Period,
  type Profile,
  type RateUnit,
} from '../../src/smartcharging';
import type { ProtocolViolation, RpcSession } from '../../src/transport';
import { getValidator } from '../../src/validation';
import { nextEvent, waitFor } from '../helpers/wait';

type Version = '1.6' | '2.0.1';

/** Station limits: 2 EVSEs (so evse/connector ids 0..2), capacity exactly 40, 13 stack levels. */
const LIMITS: Omit<DeviceLimits, 'evses'> = { maxStackLevel: 12, maxProfiles: 40, maxPeriods: 24, rateUnits: ['A', 'W'], nominalVoltage: 230 };
const EVSES = 2;
const N_PROFILES = 40;
const DURATION = 7200;

interface Spec {
  id: number;
  evseId: number;
  /** the wire profile (1.6 csChargingProfiles / 2.0.1 chargingProfile) */
  wire: Payload;
}

/**
 * 40 profiles over (evse 0, Max), (evse 0, TxDefault), (evse 1, TxDefault), (evse 2, TxDefault) with a
 * distinct stackLevel inside each (evse, purpose) — 1.6 §3.13.2 would otherwise replace one by the other,
 * and 2.0.1 K01.FR.06 forbids the CSMS such clashes. Max is Absolute on evse 0 only (1.6 §3.13.1,
 * K04.FR.03, K01.FR.38); TxDefault mixes Absolute, Relative and Recurring, A and W, with validity ends
 * and second periods inside the composite window so that stack levels fall through.
 */
function buildSpecs(version: Version, t0: number): Spec[] {
  const groups: [number, 'ChargingStationMaxProfile' | 'TxDefaultProfile'][] = [
    [0, 'ChargingStationMaxProfile'],
    [0, 'TxDefaultProfile'],
    [1, 'TxDefaultProfile'],
    [2, 'TxDefaultProfile'],
  ];
  const specs: Spec[] = [];
  for (let k = 0; k < N_PROFILES; k++) {
    const [evseId, purpose] = groups[k % groups.length]!;
    const stackLevel = Math.floor(k / groups.length);
    const id = 101 + k;
    const max = purpose === 'ChargingStationMaxProfile';
    const kind: Profile['kind'] = max ? 'Absolute' : (['Absolute', 'Relative', 'Recurring'] as const)[k % 3]!;
    const unit: RateUnit = !max && k % 5 === 0 ? 'W' : 'A';
    const base = unit === 'W' ? 4000 + 230 * k : max ? 16 + ((k * 5) % 25) : 6 + ((k * 7) % 27);
    const second = unit === 'W' ? 3000 + 100 * k : max ? 12 + ((k * 3) % 20) : 8 + ((k * 11) % 23);
    const periods: Period[] = [
      { startPeriod: 0, limit: base },
      { startPeriod: 600 + 240 * stackLevel, limit: second },
    ];
    if (unit === 'W') for (const p of periods) p.numberPhases = 3;
    const schedule: Profile['schedules'][number] = { id: 1, chargingRateUnit: unit, periods };
    if (kind === 'Absolute') schedule.startSchedule = fromEpochSeconds(t0 - 60 * (k + 1));
    if (kind === 'Recurring') schedule.startSchedule = fromEpochSeconds(t0 - 2 * 86400 + 300 * k);
    if (k % 7 === 3) schedule.duration = 1800 + 120 * k;
    const profile: Profile = { id, stackLevel, purpose, kind, schedules: [schedule] };
    if (kind === 'Recurring') profile.recurrencyKind = 'Daily';
    if (stackLevel % 2 === 1) profile.validTo = fromEpochSeconds(t0 + 900 * (1 + (k % 5)));
    if (k % 6 === 5) profile.validFrom = fromEpochSeconds(t0 - 3600);
    specs.push({ id, evseId, wire: version === '1.6' ? toWire16(profile) : toWire201(profile) });
  }
  return specs;
}

// Written out by hand (not with profileToWire*) so that the wire shape is what a CSMS sends.
function toWire16(p: Profile): Payload {
  const s = p.schedules[0]!;
  const w: Payload = {
    chargingProfileId: p.id,
    stackLevel: p.stackLevel,
    chargingProfilePurpose: p.purpose === 'ChargingStationMaxProfile' ? 'ChargePointMaxProfile' : p.purpose,
    chargingProfileKind: p.kind,
  };
  if (p.recurrencyKind) w.recurrencyKind = p.recurrencyKind;
  if (p.validFrom) w.validFrom = p.validFrom;
  if (p.validTo) w.validTo = p.validTo;
  const sched: Payload = { chargingRateUnit: s.chargingRateUnit, chargingSchedulePeriod: s.periods.map((x) => ({ ...x })) };
  if (s.duration !== undefined) sched.duration = s.duration;
  if (s.startSchedule !== undefined) sched.startSchedule = s.startSchedule;
  w.chargingSchedule = sched;
  return w;
}

function toWire201(p: Profile): Payload {
  const s = p.schedules[0]!;
  const w: Payload = { id: p.id, stackLevel: p.stackLevel, chargingProfilePurpose: p.purpose, chargingProfileKind: p.kind };
  if (p.recurrencyKind) w.recurrencyKind = p.recurrencyKind;
  if (p.validFrom) w.validFrom = p.validFrom;
  if (p.validTo) w.validTo = p.validTo;
  const sched: Payload = { id: s.id ?? 1, chargingRateUnit: s.chargingRateUnit, chargingSchedulePeriod: s.periods.map((x) => ({ ...x })) };
  if (s.duration !== undefined) sched.duration = s.duration;
  if (s.startSchedule !== undefined) sched.startSchedule = s.startSchedule;
  w.chargingSchedule = [sched];
  return w;
}

const ids = (list: { profile: { id: number } }[]): number[] => list.map((e) => e.profile.id).sort((a, b) => a - b);

describe.each<Version>(['1.6', '2.0.1'])('reference station ↔ reference CSMS over loopback, OCPP %s', (version) => {
  const v16 = version === '1.6';
  const ID = v16 ? 'LOOP-16' : 'LOOP-201';
  const validator = getValidator(version);
  let csms: ReferenceCsms;
  let station: ReferenceStation;
  let mirror: ProfileStore;
  let specs: Spec[];
  const sessions: { side: 'csms' | 'station'; session: RpcSession }[] = [];
  const violations: string[] = [];
  /** Completed reports: frame count when first seen complete (nothing may follow the terminal frame). */
  const completed = new Map<number, number>();
  const noProfilesRequestIds: number[] = [];
  let nextRequestId = 1;

  const parse = (wire: Payload): Profile => (v16 ? profileFrom16(wire) : profileFrom201(wire));
  const track = (side: 'csms' | 'station', session: RpcSession): void => {
    sessions.push({ side, session });
    session.on('violation', (v: ProtocolViolation) => violations.push(`${side} ${v.kind} ${v.rule}: ${v.message}`));
    session.on('harnessError', (e: Error) => violations.push(`${side} harnessError: ${e.message}`));
  };

  /** Send `action` through the CSMS trigger; the station's response, schema-checked. */
  async function call(action: string, payload: Payload): Promise<Payload> {
    const r = await csms.trigger(ID, action, payload);
    if (r.status !== 200) throw new Error(`trigger ${action} → HTTP ${r.status} ${JSON.stringify(r.body)}`);
    const response = (r.body as { response: Payload }).response;
    expect(validator.validate(action, 'response', response)).toEqual({ valid: true, violations: [] });
    return response;
  }

  async function waitReport(requestId: number): Promise<AggregatedReport> {
    const agg = await waitFor(() => {
      const a = csms.reports.get(ID)?.get(requestId);
      return a?.complete ? a : undefined;
    }, 10_000, `complete ReportChargingProfiles for requestId ${requestId}`);
    completed.set(requestId, agg.frames.length);
    return agg;
  }

  /** K09: GetChargingProfiles, then the aggregated report; checks every frame against the mirror. */
  async function readBack(criteria: { evseId?: number; chargingProfile: Payload }): Promise<{ status: string; ids: number[]; frames: Payload[] }> {
    const requestId = nextRequestId++;
    const res = await call('GetChargingProfiles', { requestId, ...criteria });
    const expected = mirror.select(criteria as never);
    if (res.status === 'NoProfiles') {
      noProfilesRequestIds.push(requestId);
      expect(expected).toEqual([]);
      return { status: 'NoProfiles', ids: [], frames: [] };
    }
    expect(res.status).toBe('Accepted');
    const agg = await waitReport(requestId);
    checkFrames(agg);
    const got = agg.profiles.map((p) => p.chargingProfile.id as number).sort((a, b) => a - b);
    expect(new Set(got).size).toBe(got.length); // no profile reported twice
    expect(got).toEqual(ids(expected));
    return { status: 'Accepted', ids: got, frames: agg.frames };
  }

  /** rules §6.2 per frame: requestId echoed, homogeneous (evseId, source), tbc on all but the last. */
  function checkFrames(agg: AggregatedReport): void {
    const installed = mirror.list();
    agg.frames.forEach((f, i) => {
      expect(f.requestId).toBe(agg.requestId);
      expect(f.chargingLimitSource).toBe('CSO');
      expect((f.chargingProfile as Payload[]).length).toBeGreaterThan(0);
      expect((f.chargingProfile as Payload[]).length).toBeLessThanOrEqual(2);
      if (i < agg.frames.length - 1) expect(f.tbc).toBe(true);
      else expect(f.tbc === undefined || f.tbc === false).toBe(true);
      for (const p of f.chargingProfile as Payload[]) {
        const inst = installed.find((e) => e.profile.id === p.id);
        expect(inst?.evseId).toBe(f.evseId);
        expect(p).toEqual(inst?.raw); // reported = installed, as sent
      }
    });
  }

  /** K08 / 1.6 §5.7: GetCompositeSchedule equals the model anchored at the reported scheduleStart. */
  async function checkComposite(evseId: number, unit?: RateUnit): Promise<void> {
    const req: Payload = v16 ? { connectorId: evseId, duration: DURATION } : { evseId, duration: DURATION };
    if (unit) req.chargingRateUnit = unit;
    const before = Math.floor(Date.now() / 1000);
    const res = await call('GetCompositeSchedule', req);
    const after = Math.ceil(Date.now() / 1000);
    expect(res.status).toBe('Accepted');
    const sched = (v16 ? res.chargingSchedule : res.schedule) as Payload;
    const scheduleStart = (v16 ? res.scheduleStart : sched.scheduleStart) as string;
    const start = toEpochSeconds(scheduleStart);
    expect(start).toBeGreaterThanOrEqual(before);
    expect(start).toBeLessThanOrEqual(after);
    if (v16) expect(res.connectorId).toBe(evseId);
    else expect(sched.evseId).toBe(evseId);
    const expected = compositeSchedule({ evseId, duration: DURATION, unit, start }, mirror.compositeContext([]));
    const periods = sched.chargingSchedulePeriod as Period[];
    expect(sched.chargingRateUnit).toBe(expected.unit);
    expect(sched.duration).toBe(DURATION);
    const outcome = compareComposite(expected, periods, sched.duration as number);
    expect(outcome).toEqual({ ok: true });
    expect(periods).toEqual(toPeriods(expected));
  }

  /**
   * rules §6.2: ReportChargingProfiles frames arrive only after the GetChargingProfiles CALLRESULT. From the
   * CSMS-side traces (sequence order): report CALLs whose requestId was not yet answered.
   */
  function reportsBeforeResponse(): string[] {
    const problems: string[] = [];
    for (const { side, session } of sessions) {
      if (side !== 'csms') continue;
      const asked = new Map<string, number>();
      const answered = new Set<number>();
      for (const f of session.trace.slice(0).frames) {
        const msg = JSON.parse(f.raw) as unknown[];
        if (f.dir === 'out' && f.type === 'CALL' && f.action === 'GetChargingProfiles') asked.set(f.messageId!, (msg[3] as Payload).requestId as number);
        else if (f.dir === 'in' && f.type === 'CALLRESULT' && asked.has(f.messageId!)) answered.add(asked.get(f.messageId!)!);
        else if (f.dir === 'in' && f.type === 'CALL' && f.action === 'ReportChargingProfiles') {
          const requestId = (msg[3] as Payload).requestId as number;
          if (!answered.has(requestId)) problems.push(`report frame seq ${f.seq} for requestId ${requestId} before the GetChargingProfiles CALLRESULT`);
        }
      }
    }
    return problems;
  }

  async function checkAllComposites(): Promise<void> {
    for (let e = 0; e <= EVSES; e++) await checkComposite(e);
    await checkComposite(1, 'W');
    await checkComposite(0, 'A');
  }

  function expectStationMatchesMirror(): void {
    expect(ids(station.store.list())).toEqual(ids(mirror.list()));
    // Same installation connector/EVSE and same stored wire object for each id.
    const byId = new Map(mirror.list().map((e) => [e.profile.id, e]));
    for (const e of station.store.list()) {
      expect(e.evseId).toBe(byId.get(e.profile.id)?.evseId);
      expect(e.raw).toEqual(byId.get(e.profile.id)?.raw);
    }
  }

  beforeAll(async () => {
    csms = new ReferenceCsms({ versions: [version], host: '127.0.0.1', port: 0, callTimeoutMs: 10_000 });
    csms.server.on('session', (s: RpcSession) => track('csms', s));
    const url = await csms.start();
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    station = new ReferenceStation({ version, url, identity: ID, evses: EVSES, pageSize: 2, limits: LIMITS, callTimeoutMs: 10_000 });
    station.on('session', (s: RpcSession) => track('station', s));
    const booted = nextEvent(station, 'booted', 10_000);
    await station.start();
    await booted;
    mirror = new ProfileStore(version, { evses: EVSES, ...LIMITS });
    specs = buildSpecs(version, Math.floor(Date.now() / 1000));
  });

  afterAll(async () => {
    await station?.stop();
    await csms?.stop();
  });

  it('boots: the CSMS holds an open session and the BootNotification for the station', async () => {
    expect(station.connected).toBe(true);
    expect(csms.sessions.get(ID)?.isOpen).toBe(true);
    expect(csms.states.get(ID)?.boot).toMatchObject({ vendor: 'ocpp-conformance', model: 'ReferenceStation' });
    const res = await fetch(`${csms.httpUrl}/stations`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { identity: string }[]).map((s) => s.identity)).toEqual([ID]);
  });

  it(`${v16 ? '1.6 §5.16' : 'K01.FR.01'} installs 40 profiles across EVSEs 0..2, purposes and stack levels: all Accepted`, async () => {
    expect(specs).toHaveLength(N_PROFILES);
    for (const [i, s] of specs.entries()) {
      const profile = parse(s.wire);
      expect(conflicts201(mirror.list(), s.evseId, profile)).toEqual([]);
      expect(mirror.install(s.evseId, profile, s.wire, []).status).toBe('Accepted');
      const payload: Payload = v16 ? { connectorId: s.evseId, csChargingProfiles: s.wire } : { evseId: s.evseId, chargingProfile: s.wire };
      let res: Payload;
      if (i === 0) {
        // The first one through the real HTTP trigger endpoint.
        const http = await fetch(`${csms.httpUrl}/trigger/${encodeURIComponent(ID)}/SetChargingProfile`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(payload),
        });
        expect(http.status).toBe(200);
        res = ((await http.json()) as { response: Payload }).response;
        expect(validator.validate('SetChargingProfile', 'response', res).valid).toBe(true);
      } else {
        res = await call('SetChargingProfile', payload);
      }
      expect({ id: s.id, status: res.status }).toEqual({ id: s.id, status: 'Accepted' });
    }
    expect(mirror.list()).toHaveLength(N_PROFILES);
    expectStationMatchesMirror();
    const evses = new Set(station.store.list().map((e) => e.evseId));
    expect([...evses].sort()).toEqual([0, 1, 2]);
  });

  it(`${v16 ? '1.6 §9.4 MaxChargingProfilesInstalled' : 'SmartChargingCtrlr.Entries'}: a 41st profile is Rejected and changes nothing`, async () => {
    const extra = v16
      ? { chargingProfileId: 999, stackLevel: 11, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Relative', chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 7 }] } }
      : { id: 999, stackLevel: 11, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Relative', chargingSchedule: [{ id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 7 }] }] };
    const model = mirror.check(1, parse(extra), []);
    expect(model.status).toBe('Rejected');
    const res = await call('SetChargingProfile', v16 ? { connectorId: 1, csChargingProfiles: extra } : { evseId: 1, chargingProfile: extra });
    expect(res.status).toBe('Rejected');
    expectStationMatchesMirror();
  });

  if (!v16) {
    it('K09.FR.01 GetChargingProfiles reads all 40 back paginated (page size 2, tbc on all but the last), via HTTP trigger and report endpoint', async () => {
      const requestId = nextRequestId++;
      const trig = await fetch(`${csms.httpUrl}/trigger/${ID}/GetChargingProfiles`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ requestId, chargingProfile: { chargingLimitSource: ['CSO'] } }),
      });
      expect(trig.status).toBe(200);
      const body = (await trig.json()) as { response: Payload };
      expect(body.response).toEqual({ status: 'Accepted' });
      // Bounded poll of GET /stations/<id>/reports/<requestId> until the terminal frame arrived.
      const deadline = Date.now() + 10_000;
      let agg: AggregatedReport | undefined;
      while (Date.now() < deadline) {
        const r = await fetch(`${csms.httpUrl}/stations/${ID}/reports/${requestId}`);
        if (r.status === 200) {
          const a = (await r.json()) as AggregatedReport;
          if (a.complete) {
            agg = a;
            break;
          }
        } else {
          expect(r.status).toBe(404);
          await r.text();
        }
      }
      if (!agg) throw new Error(`report ${requestId} not complete within 10 s`);
      completed.set(requestId, agg.frames.length);
      checkFrames(agg);
      const got = agg.profiles.map((p) => p.chargingProfile.id as number).sort((a, b) => a - b);
      expect(new Set(got)).toEqual(new Set(specs.map((s) => s.id)));
      expect(got).toHaveLength(N_PROFILES);
      // evse 0: 20 profiles, evse 1 and 2: 10 each → 10 + 5 + 5 frames of 2.
      expect(agg.frames).toHaveLength(20);
      expect(agg.frames.filter((f) => f.tbc === true)).toHaveLength(19);
    });

    it('K09.FR.04/.05/.06 GetChargingProfiles by evseId and criterion equals the reference filter', async () => {
      expect((await readBack({ evseId: 0, chargingProfile: { chargingProfilePurpose: 'ChargingStationMaxProfile' } })).ids).toHaveLength(10);
      expect((await readBack({ evseId: 2, chargingProfile: { chargingLimitSource: ['CSO'] } })).ids).toHaveLength(10);
      expect((await readBack({ chargingProfile: { stackLevel: 3 } })).ids).toHaveLength(4);
      expect((await readBack({ evseId: 1, chargingProfile: { chargingProfileId: [101, 103, 107, 999] } })).ids).toEqual([103, 107]);
      expect((await readBack({ evseId: 0, chargingProfile: { stackLevel: 12 } })).status).toBe('NoProfiles');
    });
  }

  it(`${v16 ? '1.6 §5.7' : 'K08.FR.02'} GetCompositeSchedule for every EVSE equals the model`, async () => {
    // The window must exercise the model: some validated interval and more than one limit per EVSE.
    const ctx = mirror.compositeContext([]);
    const start = Math.floor(Date.now() / 1000);
    for (let e = 0; e <= EVSES; e++) {
      const r = compositeSchedule({ evseId: e, duration: DURATION, start }, ctx);
      expect(r.intervals.some((iv) => iv.limit !== null)).toBe(true);
      expect(new Set(r.intervals.map((iv) => iv.limit)).size).toBeGreaterThan(1);
    }
    await checkAllComposites();
  });

  it('reconnect: after a dropped connection the station reconnects, boots again and keeps its profiles', async () => {
    const oldStation = station.currentSession;
    const oldCsms = csms.sessions.get(ID);
    const boots = () => sessions.filter((s) => s.side === 'csms').flatMap((s) => s.session.trace.slice(0).frames).filter((f) => f.dir === 'in' && f.type === 'CALL' && f.action === 'BootNotification').length;
    const bootsBefore = boots();
    const disconnected = nextEvent(station, 'disconnected', 5000);
    const booted = nextEvent(station, 'booted', 15_000);
    station.dropConnection();
    await disconnected;
    await booted;
    expect(station.connected).toBe(true);
    expect(station.currentSession).not.toBe(oldStation);
    await waitFor(() => {
      const s = csms.sessions.get(ID);
      return s !== undefined && s !== oldCsms && s.isOpen;
    }, 5000, 'the CSMS to hold the new session');
    expect(boots()).toBe(bootsBefore + 1);
    expectStationMatchesMirror();
    expect(station.store.list()).toHaveLength(N_PROFILES);
    if (!v16) expect((await readBack({ chargingProfile: { chargingLimitSource: ['CSO'] } })).ids).toEqual(specs.map((s) => s.id));
    await checkAllComposites();
  });

  describe(`${v16 ? '1.6 §5.5 / errata 3.25' : 'K10'} ClearChargingProfile by each filter kind leaves what the model leaves`, () => {
    const clears: [string, Payload][] = v16
      ? [
          ['by id (errata 3.25)', { id: 105 }],
          ['by id, other fields ignored (errata 3.25)', { id: 106, connectorId: 2, stackLevel: 7 }],
          ['by connectorId', { connectorId: 2 }],
          ['by purpose', { chargingProfilePurpose: 'ChargePointMaxProfile' }],
          ['by stackLevel 0 (0 is a value)', { stackLevel: 0 }],
          ['by connectorId + purpose + stackLevel (AND)', { connectorId: 1, chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 3 }],
          ['by connectorId 0 + stackLevel (AND)', { connectorId: 0, stackLevel: 5 }],
          ['nothing matches → Unknown', { connectorId: 1, chargingProfilePurpose: 'ChargePointMaxProfile' }],
          ['unknown id → Unknown', { id: 4242 }],
          ['no fields → all', {}],
          ['no fields on an empty station → Unknown', {}],
        ]
      : [
          ['K10.FR.03 by chargingProfileId', { chargingProfileId: 105 }],
          ['K10.FR.04 by evseId', { chargingProfileCriteria: { evseId: 2 } }],
          ['K10.FR.04 by purpose', { chargingProfileCriteria: { chargingProfilePurpose: 'ChargingStationMaxProfile' } }],
          ['K10.FR.04 by stackLevel 0 (0 is a value)', { chargingProfileCriteria: { stackLevel: 0 } }],
          ['K10.FR.04 by evseId + purpose + stackLevel (AND)', { chargingProfileCriteria: { evseId: 1, chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 3 } }],
          ['K10.FR.04 by evseId 0 + stackLevel (AND)', { chargingProfileCriteria: { evseId: 0, stackLevel: 5 } }],
          ['K10.FR.01 nothing matches → Unknown', { chargingProfileCriteria: { evseId: 1, chargingProfilePurpose: 'ChargingStationMaxProfile' } }],
          ['K10.FR.01 unknown id → Unknown', { chargingProfileId: 4242 }],
          ['K10.FR.04 by purpose TxDefault (the rest)', { chargingProfileCriteria: { chargingProfilePurpose: 'TxDefaultProfile' } }],
          ['K10.FR.01 on an empty station → Unknown', { chargingProfileCriteria: { chargingProfilePurpose: 'TxDefaultProfile' } }],
        ];

    it.each(clears)('%s', async (_name, req) => {
      const before = mirror.list().length;
      const expectedStatus = v16 ? mirror.clear16(req) : mirror.clear201(req);
      const res = await call('ClearChargingProfile', req);
      expect(res.status).toBe(expectedStatus);
      expectStationMatchesMirror();
      if (expectedStatus === 'Accepted') expect(mirror.list().length).toBeLessThan(before);
      else expect(mirror.list().length).toBe(before);
      if (!v16) {
        const rb = await readBack({ chargingProfile: { chargingLimitSource: ['CSO'] } });
        expect(rb.ids).toEqual(ids(mirror.list()));
        expect(rb.status).toBe(mirror.list().length ? 'Accepted' : 'NoProfiles');
      }
      await checkComposite(0);
      await checkComposite(1);
    });

    it('ends with no profile installed', () => {
      expect(station.store.list()).toEqual([]);
      expect(mirror.list()).toEqual([]);
    });
  });

  it('Part 4 / rules §6.2: every frame on both sides is schema-valid; reports only after the response, none after the terminal frame or after NoProfiles', () => {
    expect(violations).toEqual([]);
    expect(sessions.filter((s) => s.side === 'station').length).toBeGreaterThanOrEqual(2);
    expect(sessions.filter((s) => s.side === 'csms').length).toBeGreaterThanOrEqual(2);
    let frames = 0;
    for (const { side, session } of sessions) {
      const { frames: list, omitted } = session.trace.slice(0);
      expect(omitted).toBe(0);
      frames += list.length;
      const bad = list.filter((f) => f.valid === false || f.type === 'INVALID' || f.framingError !== undefined);
      expect(bad.map((f) => `${side} ${f.dir} ${f.action}: ${JSON.stringify(f.violations)}`)).toEqual([]);
    }
    expect(frames).toBeGreaterThan(4 * N_PROFILES);
    expect(reportsBeforeResponse()).toEqual([]);
    for (const [requestId, n] of completed) expect(csms.reports.get(ID)?.get(requestId)?.frames.length).toBe(n);
    for (const requestId of noProfilesRequestIds) expect(csms.reports.get(ID)?.get(requestId)).toBeUndefined();
    if (v16) expect(csms.reports.get(ID)).toBeUndefined();
    else expect(completed.size).toBeGreaterThan(5);
  });
});

describe('reference peers: faults and the trigger endpoint', () => {
  it('an unknown fault name is refused by the station and the CSMS (UnknownFaultError)', () => {
    for (const version of ['1.6', '2.0.1'] as const) {
      expect(() => new ReferenceStation({ version, url: 'ws://127.0.0.1:9', identity: 'X', faults: ['no-such-fault'] })).toThrow(UnknownFaultError);
      // a station fault is not a CSMS fault, and vice versa
      expect(() => new ReferenceCsms({ versions: [version], faults: ['silence'] })).toThrow(UnknownFaultError);
      expect(() => new ReferenceStation({ version, url: 'ws://127.0.0.1:9', identity: 'X', faults: ['bad-framing'] })).toThrow(/unknown fault "bad-framing"/);
    }
    expect(() => new ReferenceCsms({ versions: ['2.0.1'], faults: ['tbc-never-false'] })).toThrow(/unknown fault "tbc-never-false"; known: /);
  });

  describe('trigger endpoint', () => {
    let csms: ReferenceCsms;
    let station: ReferenceStation;
    beforeAll(async () => {
      csms = new ReferenceCsms({ versions: ['2.0.1'], host: '127.0.0.1', port: 0 });
      const url = await csms.start();
      station = new ReferenceStation({ version: '2.0.1', url, identity: 'EP-1' });
      const booted = nextEvent(station, 'booted', 10_000);
      await station.start();
      await booted;
    });
    afterAll(async () => {
      await station?.stop();
      await csms?.stop();
    });

    const post = (path: string, body: string) => fetch(`${csms.httpUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

    it('404 for a station that is not connected', async () => {
      const r = await post('/trigger/NO-SUCH-STATION/GetCompositeSchedule', JSON.stringify({ evseId: 1, duration: 60 }));
      expect(r.status).toBe(404);
      expect(((await r.json()) as { error: string }).error).toMatch(/NO-SUCH-STATION is not connected/);
    });

    it('400 for a body that is not JSON, or not a JSON object', async () => {
      const r = await post('/trigger/EP-1/GetCompositeSchedule', '{"evseId": 1, duration');
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: string }).error).toMatch(/not valid JSON/);
      const a = await post('/trigger/EP-1/GetCompositeSchedule', '[1, 2]');
      expect(a.status).toBe(400);
      await a.text();
    });

    it('the same endpoint answers a valid request from the connected station (200)', async () => {
      const r = await post('/trigger/EP-1/GetCompositeSchedule', JSON.stringify({ evseId: 1, duration: 60 }));
      expect(r.status).toBe(200);
      const { response } = (await r.json()) as { response: Payload };
      expect(getValidator('2.0.1').validate('GetCompositeSchedule', 'response', response).valid).toBe(true);
      expect(response.status).toBe('Accepted');
      const unknown = await fetch(`${csms.httpUrl}/stations/EP-1/reports/77`);
      expect(unknown.status).toBe(404);
      await unknown.text();
    });
  });
});
