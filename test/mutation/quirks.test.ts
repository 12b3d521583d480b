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

/** Issue #12 quirk modes: a 1.6 composite that still carries startSchedule is schema-valid; errata 3.57 → WARN. */
test('1.6: quirk composite-start-schedule-16 — the full suite passes with a WARN citing errata 3.57, never a failure', async () => {
  const r = await runBuiltin({ ocpp: '1.6', builtinQuirks: ['composite-start-schedule-16'] });
  expect(r.failed).toEqual([]);
  expect(r.errored).toEqual([]);
  expect(r.exitCode).toBe(0);
  const warned = r.result.cases.filter((c) => c.notes.some((n) => n.level === 'warn' && n.rule === '1.6 errata 3.57'));
  expect(warned.length).toBeGreaterThan(5);
}, 240_000);

/** 1.6 §7.14 gives numberPhases no range (MicroOcpp reports −1): WARN in 1.6, never a failure. */
test('1.6 §7.14: quirk composite-phases-unknown-16 — numberPhases −1 in composites is a WARN, the suite passes', async () => {
  const r = await runBuiltin({ ocpp: '1.6', builtinQuirks: ['composite-phases-unknown-16'] });
  expect(r.failed).toEqual([]);
  expect(r.errored).toEqual([]);
  expect(r.exitCode).toBe(0);
  const warned = r.result.cases.filter((c) => c.notes.some((n) => n.level === 'warn' && n.rule === '1.6 §7.14' && /numberPhases -1/.test(n.message)));
  expect(warned.length).toBeGreaterThan(3);
}, 240_000);

/** rules §5.1: 1.6 sets no SHALL for a composite in a unit the station does not take for profiles (MicroOcpp converts). */
test('1.6 rules §5.1: quirk composite-any-unit-16 on a W-only station — SC-16-18 (b) Accepted is a WARN, not a failure; Rejected stays silent', async () => {
  const r = await runBuiltin({ ocpp: '1.6', grep: 'SC-16-18', builtinQuirks: ['watt-only', 'composite-any-unit-16'] });
  const c = r.result.cases.find((x) => x.id === 'SC-16-18')!;
  expect({ verdict: c.verdict, failures: c.failures }).toEqual({ verdict: 'passed', failures: [] });
  expect(c.notes.some((n) => n.level === 'warn' && n.rule === 'rules §5.1' && /unit A: Accepted/.test(n.message))).toBe(true);
  const plain = await runBuiltin({ ocpp: '1.6', grep: 'SC-16-18', builtinQuirks: ['watt-only'] });
  const p = plain.result.cases.find((x) => x.id === 'SC-16-18')!;
  expect(p.verdict).toBe('passed');
  expect(p.notes.filter((n) => /Accepted/.test(n.message))).toEqual([]);
}, 60_000);
