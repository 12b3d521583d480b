/**
 * CSMS mutation self-test (issue #6): the SmartCharging CSMS suite runs in-process against the built-in
 * reference CSMS. The correct CSMS passes every case for 1.6 and 2.0.1; each CSMS fault fails the cases
 * that target its rule, with a failure that names the rule, and the run exits 1.
 */
import { CSMS_FAULTS, type CsmsV16Fault } from '../../src/reference';
import type { CaseResult } from '../../src/report/types';
import { csmsConfig, runCsms } from './helpers';

type Version = '1.6' | '2.0.1';

interface Expectation {
  versions: Version[];
  /** Cases that must fail, and a text the failure message must contain (the rule). */
  cases: string[];
  rule: Record<Version, string>;
  /** The fault breaks a point the text leaves open: its cases pass with a WARN naming the rule (never FAIL). */
  warnOnly?: true;
}

// The 1.6 CSMS-side faults of the SC-CSMS-16-xx cases are checked case by case in v16.test.ts.
const EXPECT: Record<Exclude<keyof typeof CSMS_FAULTS, CsmsV16Fault>, Expectation> = {
  'invalid-payload': { versions: ['1.6', '2.0.1'], cases: ['SC-CSMS-01', 'SC-CSMS-06', 'SC-CSMS-07'], rule: { '1.6': 'SetChargingProfileRequest schema', '2.0.1': 'SetChargingProfileRequest schema' } },
  'bad-framing': { versions: ['1.6', '2.0.1'], cases: ['SC-CSMS-01', 'SC-CSMS-05', 'SC-CSMS-07'], rule: { '1.6': 'OCPP-J', '2.0.1': 'OCPP-J' } },
  // Part 4 §4.1.1 is a SHALL in 2.0.1 (FAIL) and a SHOULD in OCPP-J 1.6 (WARN, rules §1.2): checked separately below.
  'second-call-while-outstanding': { versions: ['2.0.1'], cases: ['SC-CSMS-06'], rule: { '1.6': '', '2.0.1': 'Part 4 §4.1.1' } },
  'reused-message-id': { versions: ['1.6', '2.0.1'], cases: ['SC-CSMS-07'], rule: { '1.6': 'OCPP-J messageId', '2.0.1': 'OCPP-J messageId' } },
  // ReportChargingProfiles exists in 2.0.1 only.
  'report-not-answered': { versions: ['2.0.1'], cases: ['SC-CSMS-03'], rule: { '1.6': '', '2.0.1': 'rules §6.2' } },
  'report-answered-with-error': { versions: ['2.0.1'], cases: ['SC-CSMS-03'], rule: { '1.6': '', '2.0.1': 'rules §6.2' } },
  'relative-max-profile': { versions: ['1.6', '2.0.1'], cases: ['SC-CSMS-01'], rule: { '1.6': 'K01.FR.38', '2.0.1': 'K01.FR.38' } },
  'txprofile-without-transaction': { versions: ['1.6', '2.0.1'], cases: ['SC-CSMS-01'], rule: { '1.6': '1.6 §3.13.1', '2.0.1': 'K01.FR.03' } },
  // Issue #13: a TxProfile for another (earlier) transaction of the station; SC-CSMS-02 is 2.0.1 only.
  'txprofile-stale-transaction': { versions: ['1.6', '2.0.1'], cases: ['SC-CSMS-01'], rule: { '1.6': '1.6 §3.13.1', '2.0.1': 'K01.FR.03' } },
  // Issue #13 item 4: what the CSMS kept of a composite, judged through the built-in read-back hook.
  'composite-discarded': { versions: ['1.6', '2.0.1'], cases: ['SC-CSMS-05'], rule: { '1.6': 'holds no composite', '2.0.1': 'holds no composite' } },
  'composite-altered': { versions: ['1.6', '2.0.1'], cases: ['SC-CSMS-05'], rule: { '1.6': 'unchanged', '2.0.1': 'unchanged' } },
  // OCTT TC_K_*_CSMS coverage and the reactions of K12/K13/K15-K17 (issue #13).
  'replace-with-new-id': { versions: ['2.0.1'], cases: ['SC-CSMS-21'], rule: { '1.6': '', '2.0.1': 'K01.FR.05' } },
  'criteria-drop-evse': { versions: ['2.0.1'], cases: ['SC-CSMS-20', 'SC-CSMS-25'], rule: { '1.6': '', '2.0.1': 'TC_K_' } },
  'fixed-composite-duration': { versions: ['2.0.1'], cases: ['SC-CSMS-25'], rule: { '1.6': '', '2.0.1': 'TC_K_43_CSMS' } },
  'charging-limit-callerror': { versions: ['2.0.1'], cases: ['SC-CSMS-09', 'SC-CSMS-22'], rule: { '1.6': '', '2.0.1': 'K12' } },
  'transaction-updated-callerror': { versions: ['2.0.1'], cases: ['SC-CSMS-22'], rule: { '1.6': '', '2.0.1': 'TC_K_51_CSMS steps 3-4' } },
  'needs-reaction-missing': { versions: ['2.0.1'], cases: ['SC-CSMS-23', 'SC-CSMS-24'], rule: { '1.6': '', '2.0.1': 'K15.FR.03' } },
  'needs-reaction-wrong-transaction': { versions: ['2.0.1'], cases: ['SC-CSMS-23', 'SC-CSMS-24'], rule: { '1.6': '', '2.0.1': 'K01.FR.03' } },
  'needs-reaction-after-ended': { versions: ['2.0.1'], cases: ['SC-CSMS-09', 'SC-CSMS-23'], rule: { '1.6': '', '2.0.1': 'K01.FR.03' } },
  // K15.FR.12 says Rejected, the response schema says the status implies no approval: a WARN.
  'ev-schedule-always-accepted': { versions: ['2.0.1'], cases: ['SC-CSMS-23'], rule: { '1.6': '', '2.0.1': 'K15.FR.12' }, warnOnly: true },
  'no-renegotiation': { versions: ['2.0.1'], cases: ['SC-CSMS-23'], rule: { '1.6': '', '2.0.1': 'K15.FR.13' } },
  // citrine-run3 B: the answers to the station's background reports (the CSMS's own refresh) are judged.
  'refresh-report-callerror': { versions: ['2.0.1'], cases: ['SC-CSMS-01', 'SC-CSMS-02'], rule: { '1.6': '', '2.0.1': 'rules §6.2' } },
};

const EXPECTED_IDS: Record<Version, string[]> = {
  // SC-X-01 / SC-X-99 (issue #11) judge the connection and boot and the frames outside cases, as station too.
  '1.6': ['SC-X-01', 'SC-CSMS-01', 'SC-CSMS-04', 'SC-CSMS-05', 'SC-CSMS-06', 'SC-CSMS-07', 'SC-CSMS-08', ...Array.from({ length: 11 }, (_, i) => `SC-CSMS-16-${String(i + 1).padStart(2, '0')}`), 'SC-X-99'],
  '2.0.1': ['SC-X-01', 'SC-CSMS-01', 'SC-CSMS-02', 'SC-CSMS-03', 'SC-CSMS-04', 'SC-CSMS-05', 'SC-CSMS-06', 'SC-CSMS-07', 'SC-CSMS-08', 'SC-CSMS-09', 'SC-CSMS-20', 'SC-CSMS-21', 'SC-CSMS-22', 'SC-CSMS-23', 'SC-CSMS-24', 'SC-CSMS-25', 'SC-X-99'],
};

const summary = (cases: CaseResult[]) => cases.map((c) => `${c.id} ${c.verdict}${c.reason ? ` (${c.reason})` : ''}${c.failures.length ? `: ${c.failures.map((f) => f.message).join(' | ')}` : ''}`).join('\n');

describe.each(['2.0.1', '1.6'] as const)('SmartCharging CSMS suite, OCPP %s', (ocpp) => {
  test('the correct built-in CSMS passes every case', async () => {
    const { result, exitCode } = await runCsms(csmsConfig(ocpp));
    expect(result.cases.map((c) => c.id)).toEqual(EXPECTED_IDS[ocpp]);
    expect(summary(result.cases.filter((c) => c.verdict !== 'passed'))).toBe('');
    expect(exitCode).toBe(0);
  }, 120_000);

  const faults = (Object.keys(EXPECT) as (keyof typeof EXPECT)[]).filter((f) => EXPECT[f].versions.includes(ocpp) && !EXPECT[f].warnOnly);
  const warnFaults = (Object.keys(EXPECT) as (keyof typeof EXPECT)[]).filter((f) => EXPECT[f].versions.includes(ocpp) && EXPECT[f].warnOnly);
  if (warnFaults.length) {
    test(`each WARN-only CSMS fault: its cases pass with a WARN naming the rule (${warnFaults.join(', ')})`, async () => {
      for (const fault of warnFaults) {
        const e = EXPECT[fault];
        const out = await runCsms(csmsConfig(ocpp, { builtinFaults: [fault], grep: e.cases.join('|') }));
        const context = `${fault} (${ocpp}):\n${summary(out.result.cases)}`;
        for (const id of e.cases) {
          const c = out.result.cases.find((x) => x.id === id)!;
          expect({ context, id, verdict: c.verdict, warned: c.notes.some((n) => n.level === 'warn' && (n.rule ?? '').includes(e.rule[ocpp])) }).toEqual({ context, id, verdict: 'passed', warned: true });
        }
      }
    }, 120_000);
  }
  test(`each CSMS fault fails its cases (${faults.join(', ')})`, async () => {
    const runs = await Promise.all(faults.map(async (fault) => ({ fault, out: await runCsms(csmsConfig(ocpp, { builtinFaults: [fault] })) })));
    for (const { fault, out } of runs) {
      const e = EXPECT[fault];
      const failed = out.result.cases.filter((c) => c.verdict === 'failed');
      const context = `${fault} (${ocpp}):\n${summary(out.result.cases)}`;
      expect({ fault, errors: out.result.cases.filter((c) => c.verdict === 'error').map((c) => `${c.id}: ${c.reason}`) }).toEqual({ fault, errors: [] });
      expect({ context, exitCode: out.exitCode }).toEqual({ context, exitCode: 1 });
      for (const id of e.cases) {
        const c = failed.find((x) => x.id === id);
        expect({ context, id, failed: !!c }).toEqual({ context, id, failed: true });
        expect({ context, id, namesRule: c!.failures.some((f) => f.message.includes(e.rule[ocpp])) }).toEqual({ context, id, namesRule: true });
      }
    }
  }, 180_000);
});

test('1.6: a second CALL while one is outstanding is a WARN (OCPP-J 1.6 SHOULD NOT, rules §1.2)', async () => {
  const { result } = await runCsms(csmsConfig('1.6', { builtinFaults: ['second-call-while-outstanding'], grep: 'SC-CSMS-06' }));
  const c = result.cases.find((x) => x.id === 'SC-CSMS-06')!;
  expect(c.verdict).toBe('passed');
  expect(c.notes.some((n) => n.level === 'warn' && n.rule === 'OCPP-J 1.6 §4.1.1')).toBe(true);
}, 60_000);
