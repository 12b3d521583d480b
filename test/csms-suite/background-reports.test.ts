/**
 * Issue #13 B/C/H (citrine-run3): a CSMS that sends its own GetChargingProfiles (CitrineOS re-reads the
 * profiles after every SetChargingProfile; the reference CSMS quirk refresh-profiles) makes the harness
 * station stream ReportChargingProfiles in the background.
 * - rules §6.2 / K09: the CSMS's answers to those reports are judged like any answer (fault
 *   refresh-report-callerror: CALLERROR RpcFrameworkError) and recorded in a case, never lost;
 * - request() takes the CALL the trigger asked for (requestId / EVSE + duration / EVSE + purpose +
 *   stackLevel / id or criteria), not the CSMS's own request of the same action.
 */
import { loadSuites } from '../../src/runner/loader';
import type { CaseResult, TraceFrame } from '../../src/report/types';
import { defineCase, type SuiteDefinition } from '../../src/scenario';
import { nextRequestId, profile, request, setPayload, station } from '../../suites/csms/lib';
import { csmsConfig, runCsms } from './helpers';

const IDS = ['SC-CSMS-01', 'SC-CSMS-03', 'SC-CSMS-05', 'SC-CSMS-20', 'SC-CSMS-25'];

function selected(): SuiteDefinition[] {
  const s = loadSuites(['smartcharging-csms'])[0]!;
  return [{ ...s, cases: s.cases.filter((c) => IDS.includes(c.id)) }];
}

const summary = (cases: CaseResult[]) => cases.map((c) => `${c.id} ${c.verdict}${c.reason ? ` (${c.reason})` : ''}${c.failures.length ? `: ${c.failures.map((f) => f.message).join(' | ')}` : ''}`).join('\n');

const requestIdOf = (f: TraceFrame) => (JSON.parse(f.raw)[3] as { requestId: number }).requestId;

/** requestIds of the GetChargingProfiles the CSMS sent on its own (the reference counts them from 1). */
const own = (cases: CaseResult[]) =>
  cases.flatMap((c) => c.frames).filter((f) => f.dir === 'in' && f.type === 'CALL' && f.action === 'GetChargingProfiles' && requestIdOf(f) < 1000);

describe('background reports and the CSMS\'s own requests (issue #13 B/C), OCPP 2.0.1', () => {
  test('K09 / rules §6.2: with the CSMS\'s own refresh GetChargingProfiles (quirk refresh-profiles) every case still judges the CALL it asked for; a CALLERROR to a background report is a FAIL', async () => {
    const [quirk, fault] = await Promise.all([
      runCsms(csmsConfig('2.0.1', { builtinQuirks: ['refresh-profiles'] }), selected()),
      runCsms(csmsConfig('2.0.1', { builtinFaults: ['refresh-report-callerror'] }), selected()),
    ]);
    // The quirk fired, and the station reported to it in the background.
    const refreshes = own(quirk.result.cases);
    expect(refreshes.length).toBeGreaterThan(3);
    const reportedTo = new Set(quirk.result.cases.flatMap((c) => c.frames).filter((f) => f.dir === 'out' && f.type === 'CALL' && f.action === 'ReportChargingProfiles').map(requestIdOf));
    expect(refreshes.some((f) => reportedTo.has(requestIdOf(f)))).toBe(true);
    // Correct CSMS: nothing is hijacked (SC-CSMS-20's criteria, SC-CSMS-03's union, SC-CSMS-25's composites).
    expect(summary(quirk.result.cases.filter((c) => c.verdict !== 'passed'))).toBe('');
    expect(quirk.exitCode).toBe(0);

    // Fault: the CALLERROR to a background report is recorded, naming the rule and the CSMS's error.
    const context = summary(fault.result.cases);
    const found = fault.result.cases.flatMap((c) => c.failures.map((f) => ({ id: c.id, f }))).filter(({ f }) => f.rule?.startsWith('rules §6.2') && /CALLERROR RpcFrameworkError/.test(f.message));
    expect({ context, found: found.length > 0 }).toEqual({ context, found: true });
    expect(found[0]!.f.message).toMatch(/ReportChargingProfiles frame 1\/\d+ of requestId \d+/);
    expect({ context, errors: fault.result.cases.filter((c) => c.verdict === 'error').map((c) => c.id) }).toEqual({ context, errors: [] });
    expect(fault.exitCode).toBe(1);
  }, 120_000);
});

/** Ends as soon as the CSMS's SetChargingProfile arrives: the CSMS's refresh and its reports come after the case. */
const setAndLeave = defineCase({
  id: 'T-SET-AND-LEAVE',
  title: 'a SetChargingProfile, then the case ends at once',
  ocpp: ['2.0.1'],
  as: 'station',
  async run(t) {
    await request(t, 'SetChargingProfile', setPayload(t, 1, profile(t, { purpose: 'TxDefault', stackLevel: 1, periods: [[0, 16]], startSchedule: t.now() }, 1)), { evseId: 1 });
  },
});

test('rules §6.2: an answer to a background report that arrives outside any case is recorded in SC-X-99, never lost', async () => {
  const s = loadSuites(['smartcharging-csms'])[0]!;
  const suites: SuiteDefinition[] = [{ ...s, beforeEach: undefined, cases: [setAndLeave] }];
  const { result, exitCode } = await runCsms(csmsConfig('2.0.1', { builtinFaults: ['refresh-report-callerror'] }), suites);
  const context = summary(result.cases);
  const byId = Object.fromEntries(result.cases.map((c) => [c.id, c]));
  expect({ context, own: byId['T-SET-AND-LEAVE']!.verdict }).toEqual({ context, own: 'passed' });
  const x99 = byId['SC-X-99']!;
  expect({ context, verdict: x99.verdict }).toEqual({ context, verdict: 'failed' });
  expect(x99.failures.some((f) => f.rule?.startsWith('rules §6.2') && /ReportChargingProfiles frame 1\/1 of requestId \d+.*CALLERROR RpcFrameworkError/.test(f.message))).toBe(true);
  expect(exitCode).toBe(1);
}, 30_000);

/** Installs four profiles, then has the CSMS ask for them (one report frame each) and ends on its CALL. */
const reportAndLeave = defineCase({
  id: 'T-REPORT-AND-LEAVE',
  title: 'GetChargingProfiles answered by the station in the background, then the case ends at once',
  ocpp: ['2.0.1'],
  as: 'station',
  async run(t) {
    for (const level of [1, 2, 3, 4]) {
      await request(t, 'SetChargingProfile', setPayload(t, 1, profile(t, { purpose: 'TxDefault', stackLevel: level, periods: [[0, 16]], startSchedule: t.now() }, 1)), { evseId: 1 });
    }
    station(t).pageSize = 1;
    await request(t, 'GetChargingProfiles', { requestId: nextRequestId(), chargingProfile: { chargingLimitSource: ['CSO'] } });
  },
});

const nextCase = defineCase({
  id: 'T-NEXT',
  title: 'the next case sends a Heartbeat first',
  ocpp: ['2.0.1'],
  as: 'station',
  async run(t) {
    await t.call('Heartbeat', {});
  },
});

test('issue #13 H: isolation waits for the report frames of an earlier request; none spills into the next case body', async () => {
  const s = loadSuites(['smartcharging-csms'])[0]!;
  const { result } = await runCsms(csmsConfig('2.0.1'), [{ ...s, cases: [reportAndLeave, nextCase] }]);
  const next = result.cases.find((c) => c.id === 'T-NEXT')!;
  expect(next.verdict).toBe('passed');
  const calls = next.frames.filter((f) => f.dir === 'out' && f.type === 'CALL').map((f) => f.action);
  const heartbeat = calls.indexOf('Heartbeat');
  expect({ calls, afterHeartbeat: calls.slice(heartbeat).filter((a) => a === 'ReportChargingProfiles').length }).toEqual({ calls, afterHeartbeat: 0 });
  expect(next.notes.some((n) => /isolation: waited for \d+ report frame\(s\)/.test(n.message))).toBe(true);
}, 30_000);
