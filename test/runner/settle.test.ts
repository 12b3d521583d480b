import { join } from 'node:path';
import { mergeConfig } from '../../src/runner/config';
import { runConformance } from '../../src/runner/runner';
import { AssertionFailed } from '../../src/runner/errors';
import { builtinPeers, stationRole } from '../../src/reference';
import { defineCase, defineSuite } from '../../src/scenario';
import { cleanSlate } from '../../suites/lib/cleanSlate';
import { getProfiles, settleReports } from '../../suites/lib/reports';
import { SmartCharging } from '../../suites/lib/smartcharging';

/**
 * The suite's settle step (the quiet period after a case's last report read, rules §6.2) runs however the
 * case body ended: a report that arrives after the terminal frame of a case that stopped on a hard
 * assertion is judged in that case, never blamed on the next one (a FAILED case stays FAILED, and nothing
 * the device sends goes unjudged or to the wrong case).
 */
function suite(bodyEnd: 'throws' | 'returns') {
  return defineSuite({
    name: 'settle-after-throw',
    block: 'SmartCharging',
    beforeEach: cleanSlate,
    afterEach: settleReports,
    cases: [
      defineCase({
        id: 'T-SETTLE-1',
        title: 'reads profiles, then stops on a hard assertion',
        ocpp: ['2.0.1'],
        as: 'csms',
        async run(t) {
          const sc = new SmartCharging(t);
          await sc.install(1, { id: 4101, stackLevel: 0, purpose: 'TxDefault', periods: [[0, 10]], duration: 3600 });
          await getProfiles(sc, { chargingProfile: { chargingLimitSource: ['CSO'] } });
          if (bodyEnd === 'throws') throw new AssertionFailed({ kind: 'AssertionFailure', rule: 'test', message: 'stop here (test)' });
        },
      }),
      defineCase({
        id: 'T-SETTLE-2',
        title: 'the next case reads nothing',
        ocpp: ['2.0.1'],
        as: 'csms',
        async run(t) {
          await t.call('GetVariables', { getVariableData: [{ component: { name: 'SmartChargingCtrlr' }, variable: { name: 'Enabled' } }] });
        },
      }),
    ],
  });
}

async function run(bodyEnd: 'throws' | 'returns', faults: string[]) {
  const config = mergeConfig({ timing: { callTimeoutMs: 4000, graceMs: 500, caseTimeoutMs: 30_000, connectTimeoutMs: 10_000 } }, { ocpp: '2.0.1', builtinFaults: faults } as never);
  const { result } = await runConformance({ config, suites: [suite(bodyEnd)], reporter: { onRunEnd: () => undefined }, builtinPeers: builtinPeers(), stationRole, fixturesDir: join(__dirname, '..', '..', 'fixtures') });
  const byId = (id: string) => result.cases.find((c) => c.id === id)!;
  return { one: byId('T-SETTLE-1'), two: byId('T-SETTLE-2') };
}

const late = (messages: string[]) => messages.filter((m) => /arrived after the terminal frame/.test(m));

describe('settle step after a case body that throws (rules §6.2 late report, verdict attribution)', () => {
  test('late-extra-report after a case that stopped on an assertion: judged in that case, the next case is clean', async () => {
    const { one, two } = await run('throws', ['late-extra-report']);
    expect(one.verdict).toBe('failed');
    expect(late(one.failures.map((f) => f.message))).toHaveLength(1);
    expect(one.failures.some((f) => f.message === 'stop here (test)')).toBe(true);
    expect(one.steps).toContain('settle');
    expect([two.verdict, two.failures]).toEqual(['passed', []]);
  }, 60_000);

  test('correct station, body throws: only the assertion is recorded; settle finds nothing', async () => {
    const { one, two } = await run('throws', []);
    expect(one.failures.map((f) => f.message)).toEqual(['stop here (test)']);
    expect(two.verdict).toBe('passed');
  }, 60_000);

  test('late-extra-report after a case that returns normally: still judged in it (unchanged)', async () => {
    const { one, two } = await run('returns', ['late-extra-report']);
    expect(late(one.failures.map((f) => f.message))).toHaveLength(1);
    expect(two.verdict).toBe('passed');
  }, 60_000);
});
