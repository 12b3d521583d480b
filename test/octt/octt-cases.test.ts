import { runBuiltin } from '../mutation/run';

/**
 * Issue #12 "coverage toward OCTT": the new station cases SC-201-01 (TC_K_01/03/10/60_CS) and SC-201-05
 * (TC_K_04_CS) pass a correct station and fail a faulty one.
 */
const GREP = 'SC-201-0[15]';

describe('OCTT cases SC-201-01 / SC-201-05 against the built-in station', () => {
  test('TC_K_01/03/10/60_CS, TC_K_04_CS: a correct station passes both, exit 0', async () => {
    const r = await runBuiltin({ ocpp: '2.0.1', grep: GREP });
    const verdicts = Object.fromEntries(r.result.cases.map((c) => [c.id, c.verdict]));
    expect(verdicts['SC-201-01']).toBe('passed');
    expect(verdicts['SC-201-05']).toBe('passed');
    expect(r.failed).toEqual([]);
    expect(r.errored).toEqual([]);
    expect(r.exitCode).toBe(0);
  }, 120_000);

  test('K09.FR.01: a station whose reports carry another requestId fails both round trips', async () => {
    const r = await runBuiltin({ ocpp: '2.0.1', grep: GREP, builtinFaults: ['wrong-request-id'] });
    expect(r.failed).toEqual(expect.arrayContaining(['SC-201-01', 'SC-201-05']));
  }, 120_000);
});

test('K01.FR.05 (TC_K_04_CS): a station that replaces by id only on the same EVSE and purpose fails SC-201-05', async () => {
  const r = await runBuiltin({ ocpp: '2.0.1', grep: GREP, builtinFaults: ['replace-by-id-same-evse-only'] });
  expect(r.failed).toEqual(['SC-201-05']);
  const c = r.result.cases.find((x) => x.id === 'SC-201-05')!;
  expect(c.failures.some((f) => f.rule === 'K01.FR.05')).toBe(true);
}, 120_000);

describe('SC-201-11 (TC_K_09_CS) against the built-in station', () => {
  test('K10.FR.07: a correct station passes, exit 0', async () => {
    const r = await runBuiltin({ ocpp: '2.0.1', grep: 'SC-201-11' });
    expect(r.result.cases.find((c) => c.id === 'SC-201-11')?.verdict).toBe('passed');
    expect(r.failed).toEqual([]);
    expect(r.errored).toEqual([]);
    expect(r.exitCode).toBe(0);
  }, 120_000);

  test('a station whose composite ignores the Max fails it once the TxDefault is cleared', async () => {
    const r = await runBuiltin({ ocpp: '2.0.1', grep: 'SC-201-11', builtinFaults: ['composite-ignores-max'] });
    expect(r.failed).toEqual(['SC-201-11']);
    const c = r.result.cases.find((x) => x.id === 'SC-201-11')!;
    expect(c.failures.map((f) => f.rule)).toEqual(['K10.FR.07']);
  }, 120_000);
});
