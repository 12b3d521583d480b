/**
 * OCPP 2.1 on the CSMS side (issue #16): the harness as a 2.1 Charging Station against the built-in CSMS.
 * The correct CSMS passes every case (carried-over SC-CSMS-xx and the 2.1-only SC-CSMS-21-xx) in-process,
 * every frame the harness sends is valid against the OCA 2.1 schemas, the 2.1-only messages are exchanged,
 * and each 2.1 fault of the reference CSMS (CSMS_FAULTS_21) fails the case that names its rule.
 */
import { CSMS_FAULTS_21, type CsmsFault21 } from '../../src/reference';
import type { CaseResult } from '../../src/report/types';
import { LIMIT_OPTIONAL_MODES } from '../../src/smartcharging';
import { deviceModel, notifyReportFrames } from '../../src/station/deviceModel';
import { getValidator } from '../../src/validation';
import { advertised21, check21Request, HarnessStation, checkProfile21, decimalPlaces, DECIMALS_RULE_21, smartChargingVariable21 } from '../../src/station';
import { askedCall } from '../../suites/csms/lib';
import { csmsConfig, runCsms } from './helpers';

const summary = (cases: CaseResult[]) => cases.map((c) => `${c.id} ${c.verdict}${c.reason ? ` (${c.reason})` : ''}${c.failures.length ? `: ${c.failures.map((f) => `[${f.rule}] ${f.message}`).join(' | ')}` : ''}`).join('\n');

/** Carried over from 2.0.1 (every SC-CSMS / OCTT-K CSMS case whose rule 2.1 keeps) and the 2.1-only cases. */
const CARRIED = ['SC-CSMS-01', 'SC-CSMS-02', 'SC-CSMS-03', 'SC-CSMS-04', 'SC-CSMS-05', 'SC-CSMS-06', 'SC-CSMS-07', 'SC-CSMS-08', 'SC-CSMS-09', 'SC-CSMS-20', 'SC-CSMS-21', 'SC-CSMS-22', 'SC-CSMS-23', 'SC-CSMS-24', 'SC-CSMS-25'];
const ONLY_21 = ['SC-CSMS-21-01', 'SC-CSMS-21-02', 'SC-CSMS-21-03', 'SC-CSMS-21-04', 'SC-CSMS-21-05'];

/** The case each fault fails and a text of the failure's rule. */
const EXPECT: Record<CsmsFault21, { case: string; rule: string }> = {
  'pull-dynamic-callerror': { case: 'SC-CSMS-21-01', rule: 'PullDynamicScheduleUpdate' },
  'update-dynamic-unknown-profile': { case: 'SC-CSMS-21-02', rule: 'UpdateDynamicScheduleRequest.chargingProfileId' },
  'update-dynamic-float-noise': { case: 'SC-CSMS-21-02', rule: 'Part 2 §2.1.4' },
  'priority-notify-callerror': { case: 'SC-CSMS-21-03', rule: 'NotifyPriorityCharging' },
  'use-priority-wrong-transaction': { case: 'SC-CSMS-21-04', rule: 'UsePriorityChargingRequest.transactionId' },
  'operation-mode-limit-missing': { case: 'SC-CSMS-21-05', rule: 'ChargingSchedulePeriodType.limit' },
};

describe('OCPP 2.1 CSMS-side suite against the built-in CSMS (issue #16)', () => {
  test('SC-CSMS-* and SC-CSMS-21-*: the correct CSMS passes every case on 2.1, exit 0; harness frames valid 2.1; 2.1 messages exchanged', async () => {
    const { result, exitCode } = await runCsms(csmsConfig('2.1'));
    const ids = result.cases.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining([...CARRIED, ...ONLY_21]));
    expect(summary(result.cases.filter((c) => c.verdict !== 'passed'))).toBe('');
    // A correct CSMS leaves nothing unjudged in the 2.1-only cases.
    expect(result.cases.filter((c) => ONLY_21.includes(c.id)).flatMap((c) => c.notes.filter((n) => n.level === 'warn').map((n) => `${c.id}: ${n.message}`))).toEqual([]);
    expect(exitCode).toBe(0);
    const frames = result.cases.flatMap((c) => c.frames);
    // Every frame the harness station sent was validated against the 2.1 schemas and is valid.
    const sent = frames.filter((f) => f.dir === 'out' && f.valid !== null);
    expect(sent.length).toBeGreaterThan(50);
    expect(sent.filter((f) => f.valid !== true).map((f) => f.raw)).toEqual([]);
    const actions = new Set(frames.filter((f) => f.type === 'CALL').map((f) => f.action));
    for (const a of ['PullDynamicScheduleUpdate', 'UpdateDynamicSchedule', 'NotifyPriorityCharging', 'UsePriorityCharging']) expect(actions).toContain(a);
    const raw = frames.filter((f) => f.type === 'CALL' && f.action === 'SetChargingProfile').map((f) => f.raw).join('\n');
    for (const w of ['"Dynamic"', '"PriorityCharging"', '"LocalGeneration"', '"CentralSetpoint"']) expect(raw).toContain(w);
  }, 120_000);

  test.each(Object.keys(CSMS_FAULTS_21) as CsmsFault21[])('2.1 fault %s fails the case naming its rule', async (fault) => {
    const want = EXPECT[fault];
    // Faults that alter the asked CALL are taken by request()'s fallback after the whole wait: keep it short.
    const { result, exitCode } = await runCsms(csmsConfig('2.1', { grep: `^${want.case}\n`, builtinFaults: [fault], timing: { callTimeoutMs: 1500 } }));
    const c = result.cases.find((x) => x.id === want.case)!;
    expect(c.verdict).toBe('failed');
    expect(c.failures.map((f) => `${f.rule} ${f.message}`).join('\n')).toContain(want.rule);
    expect(exitCode).toBe(1);
    process.stdout.write(`${fault}: ${summary([c])}\n`);
  }, 60_000);
});

// Carried-over rules keep their faults on 2.1: a sample of 2.0.1 reference-CSMS faults, one per area.
const CARRIED_FAULTS: [string, string, string][] = [
  ['relative-max-profile', 'SC-CSMS-01', 'K01.FR.38'],
  ['txprofile-stale-transaction', 'SC-CSMS-01', 'K01.FR.03'],
  ['report-answered-with-error', 'SC-CSMS-03', 'rules §6.2'],
  ['replace-with-new-id', 'SC-CSMS-21', 'K01.FR.05'],
  ['needs-reaction-missing', 'SC-CSMS-23', 'K15.FR.03'],
  // The CitrineOS-like refresh (its own GetChargingProfiles) also runs on 2.1; its reports' answers are judged.
  ['refresh-report-callerror', 'SC-CSMS-01', 'rules §6.2'],
];

describe('carried-over CSMS faults are caught on 2.1 (issue #16)', () => {
  test.each(CARRIED_FAULTS)('%s fails %s on 2.1 naming %s', async (fault, id, rule) => {
    const { result, exitCode } = await runCsms(csmsConfig('2.1', { grep: `^${id}\n`, builtinFaults: [fault] }));
    const c = result.cases.find((x) => x.id === id)!;
    expect(c.verdict).toBe('failed');
    expect(c.failures.map((f) => `${f.rule} ${f.message}`).join('\n')).toContain(rule);
    expect(exitCode).toBe(1);
  }, 60_000);
});

test('quirk refresh-profiles on 2.1: the CSMS own GetChargingProfiles is told apart and its reports answered; SC-CSMS-01/02 pass', async () => {
  const { result, exitCode } = await runCsms(csmsConfig('2.1', { grep: '^SC-CSMS-0[12]\\n', builtinQuirks: ['refresh-profiles'] }));
  expect(summary(result.cases.filter((c) => c.verdict !== 'passed'))).toBe('');
  expect(result.cases.filter((c) => /^SC-CSMS-0[12]$/.test(c.id))).toHaveLength(2);
  expect(exitCode).toBe(0);
}, 60_000);

describe('2.1 harness station: advertised features and request checks (issue #16)', () => {
  const base = { evses: 1, maxStackLevel: 3, maxProfiles: 10, maxPeriods: 5, rateUnits: ['A' as const], nominalVoltage: 230 };

  test('device.features false withdraws a 2.1 feature from SmartChargingCtrlr (SupportsFeature[DynamicProfiles], SupportedAdditionalPurposes)', () => {
    const all = { ...base, ...advertised21({}) };
    const some = { ...base, ...advertised21({ dynamicProfiles: false, 'purpose:LocalGeneration': false }) };
    expect(smartChargingVariable21(all, 'SupportedAdditionalPurposes', undefined, 'Actual')).toBe('PriorityCharging,LocalGeneration');
    expect(smartChargingVariable21(some, 'SupportedAdditionalPurposes', undefined, 'Actual')).toBe('PriorityCharging');
    expect(smartChargingVariable21(some, 'SupportsFeature', 'DynamicProfiles', 'Actual')).toBe('false');
    const dm = deviceModel(all, { profiles: 0, busyEvses: [], itemsPerMessage: 10 }).filter((v) => v.component.name === 'SmartChargingCtrlr').map((v) => `${v.variable.name}${v.variable.instance ? `[${v.variable.instance}]` : ''}=${v.value}`);
    expect(dm).toEqual(expect.arrayContaining(['SupportsFeature[DynamicProfiles]=true', 'SupportedAdditionalPurposes=PriorityCharging,LocalGeneration']));
    // The full report of the 2.1 model is valid NotifyReport 2.1 (B07 on a 2.1 connection).
    for (const frame of notifyReportFrames(deviceModel(all, { profiles: 0, busyEvses: [], itemsPerMessage: 10 }), 1, 10, '2026-01-01T00:00:00Z')) {
      expect(getValidator('2.1').validate('NotifyReport', 'request', frame)).toEqual({ valid: true, violations: [] });
    }
    // A 2.0.1 station's model has neither.
    expect(deviceModel(base, { profiles: 0, busyEvses: [], itemsPerMessage: 10 }).some((v) => v.variable.name === 'SupportedAdditionalPurposes')).toBe(false);
  });

  test('a purpose or kind the station did not advertise is a WARN (no normative text), a missing ChargingOnly limit a FAIL; decimals counted as written', () => {
    const limits = { ...base, ...advertised21({ dynamicProfiles: false, 'purpose:PriorityCharging': false }) };
    const wire = (purpose: string, kind: string, periods: Record<string, unknown>[]) => ({ id: 1, stackLevel: 0, chargingProfilePurpose: purpose, chargingProfileKind: kind, chargingSchedule: [{ id: 1, startSchedule: '2026-01-01T00:00:00Z', chargingRateUnit: 'A', chargingSchedulePeriod: periods }] });
    const sev = (w: Record<string, unknown>) => checkProfile21(w, limits, '/chargingProfile', LIMIT_OPTIONAL_MODES).map((f) => `${f.severity} ${f.rule}`);
    expect(sev(wire('PriorityCharging', 'Dynamic', [{ startPeriod: 0, limit: 16 }]))).toEqual(['warn 2.1 SmartChargingCtrlr.SupportedAdditionalPurposes', 'warn 2.1 SmartChargingCtrlr.SupportsFeature[DynamicProfiles]']);
    expect(sev(wire('TxDefaultProfile', 'Absolute', [{ startPeriod: 0, operationMode: 'ExternalLimits' }]))).toEqual([]);
    expect(sev(wire('TxDefaultProfile', 'Absolute', [{ startPeriod: 0, operationMode: 'ChargingOnly' }]))).toEqual([expect.stringMatching(/^fail 2.1 ChargingSchedulePeriodType.limit/)]);
    expect(sev(wire('TxDefaultProfile', 'Absolute', [{ startPeriod: 0, limit: 8.123456 }]))).toEqual([]);
    expect(sev(wire('TxDefaultProfile', 'Absolute', [{ startPeriod: 0, limit: 8.1234567 }]))).toEqual([`fail ${DECIMALS_RULE_21}`]);
    expect([decimalPlaces(8.100000000000001), decimalPlaces(1e-7), decimalPlaces(22000), decimalPlaces(0.1)]).toEqual([15, 7, 0, 1]);
  });

  test('UsePriorityCharging for a transaction the station just ended: WARN while the end is unanswered, FAIL once the CSMS knew', () => {
    const limits = { ...base, ...advertised21({}) };
    const tx = { evseId: 1, transactionId: 'tx-ended', startedAt: '2026-01-01T00:00:00Z' };
    const ctx = (toldAt?: number) => ({ installed: [], transactions: [], limits, ended: [{ transaction: tx, sentAt: Date.now() - 5, toldAt }] });
    const sev = (toldAt?: number) => check21Request('UsePriorityCharging', { transactionId: 'tx-ended', activate: true }, ctx(toldAt)).map((f) => f.severity);
    expect(sev(undefined)).toEqual(['warn']);
    expect(sev(Date.now())).toEqual(['fail']);
  });
});

// Issue #16 review (helper G): legitimate 2.1 CSMS variations must pass; each is a quirk of the reference CSMS.
describe('2.1 CSMS variations the verdicts must accept (issue #16 review)', () => {
  const warns = (c: CaseResult) => c.notes.filter((n) => n.level === 'warn').map((n) => n.message).join('\n');

  test('SC-CSMS-21-01/02 quirk own-dynamic-push: the CSMS own UpdateDynamicSchedule (right after the install, before the asked one) is judged and does not take the place of the asked one (askedCall)', async () => {
    const { result, exitCode } = await runCsms(csmsConfig('2.1', { grep: '^SC-CSMS-21-0[12]\n', builtinQuirks: ['own-dynamic-push'] }));
    const c = result.cases.find((x) => x.id === 'SC-CSMS-21-02')!;
    // The push right after the install (race with the station's Accepted) is no failure in SC-CSMS-21-01 either.
    expect(summary(result.cases.filter((x) => /^SC-CSMS-21-0[12]$/.test(x.id)))).toBe('SC-CSMS-21-01 passed\nSC-CSMS-21-02 passed');
    // Its pushes (after the install, before the asked one) and the asked one reached the station; all judged, none taken for the asked.
    expect(c.frames.filter((f) => f.type === 'CALL' && f.action === 'UpdateDynamicSchedule')).toHaveLength(3);
    expect(warns(c)).toBe('');
    expect(exitCode).toBe(0);
  }, 60_000);

  test('SC-CSMS-21-01/02/03 quirk no-21-handlers: PullDynamicScheduleUpdate / NotifyPriorityCharging answered NotImplemented is a WARN, not a FAIL', async () => {
    const { result, exitCode } = await runCsms(csmsConfig('2.1', { grep: '^SC-CSMS-21-0[123]\n', builtinQuirks: ['no-21-handlers'] }));
    expect(summary(result.cases.filter((c) => c.verdict !== 'passed'))).toBe('');
    for (const id of ['SC-CSMS-21-01', 'SC-CSMS-21-03']) expect(warns(result.cases.find((x) => x.id === id)!)).toMatch(/CALLERROR NotImplemented: it does not implement it/);
    expect(exitCode).toBe(0);
  }, 60_000);

  test('SC-CSMS-21-01 quirk pull-no-new-values: Accepted with an empty scheduleUpdate is a WARN (every ChargingScheduleUpdateType field is optional)', async () => {
    const { result, exitCode } = await runCsms(csmsConfig('2.1', { grep: '^SC-CSMS-21-01\n', builtinQuirks: ['pull-no-new-values'] }));
    const c = result.cases.find((x) => x.id === 'SC-CSMS-21-01')!;
    expect(summary([c])).toBe('SC-CSMS-21-01 passed');
    expect(warns(c)).toMatch(/empty scheduleUpdate/);
    expect(exitCode).toBe(0);
  }, 60_000);
});

describe('2.1 station-role checks: what the text does not settle is a WARN (issue #16 review)', () => {
  const base = { evses: 1, maxStackLevel: 3, maxProfiles: 10, maxPeriods: 5, rateUnits: ['A' as const], nominalVoltage: 230 };
  const limits = { ...base, ...advertised21({}) };
  const held = (kind: string, extra: Record<string, unknown> = {}) => [{ evseId: 1, profile: { id: 5, kind, purpose: 'TxDefaultProfile', stackLevel: 0, schedules: [], ...extra } }] as never;
  const uds = (ctx: Partial<Parameters<typeof check21Request>[2]>, update: Record<string, unknown> = { limit: 10 }) =>
    check21Request('UpdateDynamicSchedule', { chargingProfileId: 5, scheduleUpdate: update }, { installed: [], transactions: [], limits, ...ctx }).map((f) => `${f.severity} ${f.message}`);

  test('UpdateDynamicSchedule: an id never held FAILs; a non-Dynamic profile, one forgotten at reset, or the TxProfile of an end not yet answered WARN', () => {
    expect(uds({})).toEqual([expect.stringMatching(/^fail chargingProfileId 5 names no profile/)]);
    expect(uds({ installed: held('Dynamic') })).toEqual([]);
    // Schema: "Id of charging profile to update." — no text found forbidding a non-Dynamic one.
    expect(uds({ installed: held('Absolute') })).toEqual([expect.stringMatching(/^warn .*Absolute profile, not a Dynamic one/)]);
    expect(uds({ forgotten: new Map([[5, {}]]) })).toEqual([expect.stringMatching(/^warn .*forgot between cases/)]);
    const tx = { evseId: 1, transactionId: 'tx-1', startedAt: '2026-01-01T00:00:00Z' };
    const forgotten = new Map([[5, { transactionId: 'tx-1' }]]);
    expect(uds({ forgotten, ended: [{ transaction: tx, sentAt: Date.now() - 5 }] })).toEqual([expect.stringMatching(/^warn .*had not answered that end/)]);
    expect(uds({ forgotten, ended: [{ transaction: tx, sentAt: Date.now() - 5, toldAt: Date.now() }] })).toEqual([expect.stringMatching(/^fail .*K02.FR.05/)]);
    // Part 2 §2.1.4 stays a FAIL: float noise sent towards the station has more than six decimals on the wire.
    expect(uds({ installed: held('Dynamic') }, { limit: 0.1 + 0.2 })).toEqual([expect.stringMatching(/^fail limit 0.30000000000000004 has more than six decimal places \(0.3 to six\)/)]);
  });

  test('limit under Idle / CentralFrequency is a WARN (schema "as in …" does not list them), ChargingOnly still a FAIL; decimals judged in nested values', () => {
    const wire = (periods: Record<string, unknown>[], extra: Record<string, unknown> = {}) => ({ id: 1, stackLevel: 0, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Absolute', chargingSchedule: [{ id: 1, startSchedule: '2026-01-01T00:00:00Z', chargingRateUnit: 'A', chargingSchedulePeriod: periods, ...extra }] });
    const sev = (w: Record<string, unknown>) => checkProfile21(w, limits, '/chargingProfile', LIMIT_OPTIONAL_MODES).map((f) => `${f.severity} ${f.pointer}`);
    expect(sev(wire([{ startPeriod: 0, operationMode: 'Idle' }]))).toEqual(['warn /chargingProfile/chargingSchedule/0/chargingSchedulePeriod/0/limit']);
    expect(sev(wire([{ startPeriod: 0, operationMode: 'CentralFrequency', setpoint: 10 }]))).toEqual(['warn /chargingProfile/chargingSchedule/0/chargingSchedulePeriod/0/limit']);
    expect(sev(wire([{ startPeriod: 0, operationMode: 'ChargingOnly' }]))).toEqual(['fail /chargingProfile/chargingSchedule/0/chargingSchedulePeriod/0/limit']);
    // operationMode per purpose (2.1 table as libocpp encodes it): WARN, never FAIL.
    const purposeWire = (purpose: string, mode: string) => ({ ...wire([{ startPeriod: 0, limit: 16, operationMode: mode, setpoint: 8 }]), chargingProfilePurpose: purpose });
    expect(sev(purposeWire('LocalGeneration', 'CentralSetpoint'))).toEqual(['warn /chargingProfile/chargingSchedule/0/chargingSchedulePeriod/0/operationMode']);
    expect(sev(purposeWire('TxDefaultProfile', 'CentralSetpoint'))).toEqual([]);
    // §2.1.4 is about every decimal sent towards the station, not only limit / setpoint.
    expect(sev(wire([{ startPeriod: 0, limit: 16, v2xFreqWattCurve: [{ frequency: 50.0000001, power: 1 }] }]))).toEqual(['fail /chargingProfile/chargingSchedule/0/chargingSchedulePeriod/0/v2xFreqWattCurve/0/frequency']);
    expect(sev(wire([{ startPeriod: 0, limit: 16 }], { limitAtSoC: { soc: 80, limit: 6.1234567 } }))).toEqual(['fail /chargingProfile/chargingSchedule/0/limitAtSoC/limit']);
  });

  test('askedCall: UpdateDynamicSchedule is the asked profile and values (to six decimals), UsePriorityCharging the asked transaction and activate', () => {
    const asked = { chargingProfileId: 5, scheduleUpdate: { limit: 12.5, setpoint: 6.25 } };
    const m = askedCall(false, 'UpdateDynamicSchedule', asked)!;
    expect(m(asked)).toBe(true);
    expect(m({ chargingProfileId: 5, scheduleUpdate: { limit: 12.5000000001, setpoint: 6.25 } })).toBe(true);
    expect(m({ chargingProfileId: 5, scheduleUpdate: { limit: 16 } })).toBe(false);
    expect(m({ chargingProfileId: 6, scheduleUpdate: asked.scheduleUpdate })).toBe(false);
    const u = askedCall(false, 'UsePriorityCharging', { transactionId: 'a', activate: true })!;
    expect([u({ transactionId: 'a', activate: true }), u({ transactionId: 'a', activate: false }), u({ transactionId: 'b', activate: true })]).toEqual([true, false, false]);
  });
});

test('SC-CSMS-21-02 station role: a Dynamic profile the harness dropped at its reset between cases is a WARN target, re-installed it is judged again', async () => {
  const station = new HarnessStation(csmsConfig('2.1'));
  const set = { evseId: 1, chargingProfile: { id: 42, stackLevel: 1, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Dynamic', chargingSchedule: [{ id: 1, startSchedule: '2026-01-01T00:00:00Z', chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] }] } };
  const uds = () => station.inspect(undefined, 'UpdateDynamicSchedule', { chargingProfileId: 42, scheduleUpdate: { limit: 10 } }).map((f) => f.severity);
  expect(station.answer('SetChargingProfile', set)).toMatchObject({ status: 'Accepted' });
  expect(uds()).toEqual([]);
  await station.reset(async () => ({}) as never);
  expect(uds()).toEqual(['warn']);
  station.answer('SetChargingProfile', set);
  station.answer('ClearChargingProfile', { chargingProfileId: 42 });
  // Cleared by the CSMS itself: it knows, so an update for it names nothing (FAIL).
  expect(uds()).toEqual(['fail']);
});
