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
import { advertised21, check21Request, checkProfile21, decimalPlaces, DECIMALS_RULE_21, smartChargingVariable21 } from '../../src/station';
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
    const { result, exitCode } = await runCsms(csmsConfig('2.1', { grep: `^${want.case}\n`, builtinFaults: [fault] }));
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
