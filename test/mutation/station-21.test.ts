import { runBuiltin } from './run';

/**
 * Issue #16 (stage 1): the carried-over station suite on OCPP 2.1 against the built-in reference station
 * negotiating `ocpp2.1`. The correct station passes it (exit 0, no failure, no error, every frame valid
 * against the 2.1 schemas — a schema violation would fail SC-X-99 or the case), and faults are caught on
 * 2.1 by the same SC-201 / SC-X cases as on 2.0.1.
 */
jest.setTimeout(180_000);

describe('OCPP 2.1 station suite (issue #16)', () => {
  test('2.1: run selects the carried-over SC-201/SC-X cases and the correct reference station passes them all (exit 0)', async () => {
    const r = await runBuiltin({ ocpp: '2.1' });
    const bad = r.result.cases.filter((c) => c.verdict === 'failed' || c.verdict === 'error').map((c) => `${c.id} ${c.verdict}: ${c.reason ?? ''} ${c.failures.slice(0, 2).map((f) => f.message).join(' | ')}`);
    expect(bad).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.result.cases.every((c) => c.ocpp === '2.1')).toBe(true);
    expect(r.result.cases.filter((c) => c.verdict === 'passed').length).toBeGreaterThanOrEqual(30);
    // The connection really spoke 2.1: the profile frames carry the 2.1 ChargingSchedule ids and were validated as 2.1.
    expect(r.result.cases.find((c) => c.id === 'SC-201-12')?.frames.some((f) => f.dir === 'out' && /"SetChargingProfile"/.test(f.raw))).toBe(true);
  });

  // One fault per kind of check the 2.1 run inherits: the model composite, the clear criteria, and the
  // decimal rule that 2.1 changes (6.25 is legal in 2.1, so a station that accepts it must apply it).
  test.each([
    ['composite-ignores-max', 'SC-201-12'],
    ['clear-or-instead-of-and', 'SC-201-24'],
    ['decimal-accepted-not-applied', 'SC-X-03'],
    // 2.1 only (STATION_FAULTS_21): ChargingOnly composite periods without a limit.
    ['composite-limit-omitted-21', 'SC-201-12'],
  ])('2.1: fault %s is caught by %s', async (fault, caseId) => {
    const r = await runBuiltin({ ocpp: '2.1', builtinFaults: [fault], grep: caseId });
    expect(r.exitCode).toBe(1);
    expect(r.failed).toEqual([caseId]);
    expect(r.errored).toEqual([]);
    const failures = r.result.cases.find((c) => c.id === caseId)!.failures;
    expect(failures.length).toBeGreaterThan(0);
    // Each failure names its rule (an FR id, a rules §, an OCTT id), as station-faults.ts requires.
    expect(failures.every((f) => /[A-Z]\d{2}\.FR\.\d+|§|schema|errata|TC_/.test(f.rule ?? ''))).toBe(true);
  });
});
