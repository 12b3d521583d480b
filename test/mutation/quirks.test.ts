import { runBuiltin } from './run';

/**
 * Issue #11 item 11: a station that accepts a remote start and then waits for an EV (nothing plugged in,
 * a bench without automation) has not broken a SmartCharging rule. Every case that needs a transaction
 * ends ERROR (precondition not reached) with what to do; none FAILS; the cases that need no transaction pass.
 */
describe.each(['1.6', '2.0.1'] as const)('OCPP %s: quirk no-ev (issue #11 item 11)', (ocpp) => {
  test(`${ocpp}: no StartTransaction after an Accepted remote start → ERROR PreconditionFailed naming the action, never FAIL`, async () => {
    const r = await runBuiltin({ ocpp, builtinQuirks: ['no-ev'] });
    expect(r.failed).toEqual([]);
    expect(r.errored.length).toBeGreaterThan(0);
    for (const id of r.errored) {
      const c = r.result.cases.find((x) => x.id === id)!;
      expect(c.errorType).toBe('PreconditionFailed');
      expect(c.reason).toMatch(/precondition not reached: .*plug in an EV/);
      expect(c.failures).toEqual([]);
    }
    expect(r.result.cases.filter((c) => c.verdict === 'passed').length).toBeGreaterThan(10);
    expect(r.exitCode).toBe(2);
  }, 240_000);
});
