/**
 * Issue #13 item 2 (isolation): before every CSMS-under-test case the harness station ends what an
 * earlier case left open, forgets the profiles it holds and reports Available, so a leftover can make no
 * case pass vacuously. SC-CSMS-01 (K01.FR.03, TxProfile for the case's own transaction) and SC-CSMS-08
 * (K05 remote start needs a free station) are run alone and after a case that leaves a transaction open.
 */
import { loadSuites } from '../../src/runner/loader';
import { defineCase, type CaseDefinition, type SuiteDefinition } from '../../src/scenario';
import { caller, station } from '../../suites/csms/lib';
import { csmsConfig, runCsms } from './helpers';

const csmsSuite = (): SuiteDefinition => loadSuites(['smartcharging-csms'])[0]!;

/**
 * A case that starts a transaction on EVSE/connector `evse` and ends without closing it: by a
 * case-level failure (FAILED) or by an exception (ERROR).
 */
function leaving(id: string, evse: number, end: 'fails' | 'errors'): CaseDefinition {
  return defineCase({
    id,
    title: `leaves a transaction open and ${end}`,
    ocpp: ['1.6', '2.0.1'],
    as: 'station',
    async run(t) {
      await station(t).startTransaction(caller(t), evse);
      if (end === 'errors') throw new Error('harness-side exception after starting a transaction');
      t.check.fail('case-level failure after starting a transaction', { rule: 'test' });
    },
  });
}
const leftover = leaving('T-LEFTOVER', 1, 'fails');
const leftoverError = leaving('T-LEFTOVER-ERROR', 2, 'errors');

function suiteWith(ids: string[], opts: { leftover: boolean; isolation?: boolean }): SuiteDefinition[] {
  const s = csmsSuite();
  const cases = [...(opts.leftover ? [leftover, leftoverError] : []), ...s.cases.filter((c) => ids.includes(c.id))];
  return [{ ...s, cases, beforeEach: opts.isolation === false ? undefined : s.beforeEach }];
}

const verdicts = (cases: { id: string; verdict: string }[]) => Object.fromEntries(cases.filter((c) => !c.id.startsWith('SC-X-')).map((c) => [c.id, c.verdict]));

describe.each(['2.0.1', '1.6'] as const)('isolation between CSMS cases, OCPP %s', (ocpp) => {
  test('SC-CSMS-01/08: transactions left open by a failed and an errored case do not change the next verdicts', async () => {
    const ids = ['SC-CSMS-01', 'SC-CSMS-08'];
    const [alone, after, staleAlone, staleAfter] = await Promise.all([
      runCsms(csmsConfig(ocpp), suiteWith(ids, { leftover: false })),
      runCsms(csmsConfig(ocpp), suiteWith(ids, { leftover: true })),
      runCsms(csmsConfig(ocpp, { builtinFaults: ['txprofile-stale-transaction'] }), suiteWith(ids, { leftover: false })),
      runCsms(csmsConfig(ocpp, { builtinFaults: ['txprofile-stale-transaction'] }), suiteWith(ids, { leftover: true })),
    ]);
    expect(verdicts(alone.result.cases)).toEqual({ 'SC-CSMS-01': 'passed', 'SC-CSMS-08': 'passed' });
    expect(verdicts(after.result.cases)).toEqual({ 'T-LEFTOVER': 'failed', 'T-LEFTOVER-ERROR': 'error', 'SC-CSMS-01': 'passed', 'SC-CSMS-08': 'passed' });
    // The precondition ended the leftover with a real StopTransaction / TransactionEvent Ended.
    const c01 = after.result.cases.find((c) => c.id === 'SC-CSMS-01')!;
    expect(c01.notes.some((n) => /ended transaction\(s\) left open/.test(n.message))).toBe(true);
    const ended = c01.frames.filter((f) => f.action === (ocpp === '1.6' ? 'StopTransaction' : 'TransactionEvent') && f.dir === 'out' && f.type === 'CALL');
    expect(ended.length).toBeGreaterThanOrEqual(2);
    // K01.FR.03: a TxProfile naming the station's previous transaction fails, leftover or not.
    const k0103 = ocpp === '1.6' ? '1.6 §3.13.1' : 'K01.FR.03';
    for (const run of [staleAlone, staleAfter]) {
      const c = run.result.cases.find((x) => x.id === 'SC-CSMS-01')!;
      expect({ verdict: c.verdict, names: c.failures.some((f) => (f.rule ?? f.message).includes(k0103)) }).toEqual({ verdict: 'failed', names: true });
    }
  }, 120_000);

  test('without the isolation precondition the leftover decides SC-CSMS-08 (the test can fail)', async () => {
    const { result } = await runCsms(csmsConfig(ocpp), suiteWith(['SC-CSMS-08'], { leftover: true, isolation: false }));
    expect(verdicts(result.cases)['SC-CSMS-08']).not.toBe('passed');
  }, 60_000);
});

test('SC-CSMS-02 (K01.FR.06): a profile an earlier case left in the station model is forgotten, not taken as a conflict', async () => {
  // The leftover holds TxDefault stackLevel 2 on EVSE 2 under another id than SC-CSMS-02's profiles.
  const holdsProfile = defineCase({
    id: 'T-LEFTOVER-PROFILE',
    title: 'leaves a profile in the station model',
    ocpp: ['2.0.1'],
    as: 'station',
    async run(t) {
      const wire = { id: 9999, stackLevel: 2, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Absolute', chargingSchedule: [{ id: 99, startSchedule: t.now().toISOString(), chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 6 }] }] };
      t.check.equal(station(t).answer('SetChargingProfile', { evseId: 2, chargingProfile: wire }), { status: 'Accepted' }, 'installed', { rule: 'test' });
    },
  });
  const s = csmsSuite();
  const cases = [holdsProfile, ...s.cases.filter((c) => c.id === 'SC-CSMS-02')];
  const [isolated, leaky] = await Promise.all([runCsms(csmsConfig('2.0.1'), [{ ...s, cases }]), runCsms(csmsConfig('2.0.1'), [{ ...s, cases, beforeEach: undefined }])]);
  expect(verdicts(isolated.result.cases)).toEqual({ 'T-LEFTOVER-PROFILE': 'passed', 'SC-CSMS-02': 'passed' });
  // Without isolation the leftover is (wrongly) a K01.FR.06 conflict of the CSMS: the test can fail.
  const c = leaky.result.cases.find((x) => x.id === 'SC-CSMS-02')!;
  expect({ verdict: c.verdict, k0106: c.failures.some((f) => f.rule === 'K01.FR.06') }).toEqual({ verdict: 'failed', k0106: true });
}, 60_000);
