/**
 * Issue #13 item 4: "could not check" is visible. SC-CSMS-05 (rules §8, composite decimals kept) and
 * SC-CSMS-03 (rules §6.2, union of all report frames) judge what the CSMS stored through the read-back
 * hook; without one the case carries a WARN naming triggers.readBack, never a silent pass. The built-in
 * CSMS's read-back makes them checked (PASS), and its faults that lose or round the composite FAIL.
 */
import type { CaseResult } from '../../src/report/types';
import { csmsConfig, runCsms } from './helpers';

const noReadBack = { triggers: { readBack: { type: 'manual' as const } } };
const one = (cases: CaseResult[], id: string) => cases.find((c) => c.id === id)!;
const warns = (c: CaseResult) => c.notes.filter((n) => n.level === 'warn').map((n) => n.message);

describe.each(['2.0.1', '1.6'] as const)('could not check, OCPP %s', (ocpp) => {
  test('SC-CSMS-05 (rules §8): read back → PASS; lost without read-back → WARN; lost or rounded with read-back → FAIL', async () => {
    const grep = { grep: 'SC-CSMS-05' };
    const [ok, lostNoHook, lost, rounded] = await Promise.all([
      runCsms(csmsConfig(ocpp, grep)),
      runCsms(csmsConfig(ocpp, { ...grep, ...noReadBack, builtinFaults: ['composite-discarded'] })),
      runCsms(csmsConfig(ocpp, { ...grep, builtinFaults: ['composite-discarded'] })),
      runCsms(csmsConfig(ocpp, { ...grep, builtinFaults: ['composite-altered'] })),
    ]);
    const c = one(ok.result.cases, 'SC-CSMS-05');
    expect({ verdict: c.verdict, warns: warns(c) }).toEqual({ verdict: 'passed', warns: [] });

    const w = one(lostNoHook.result.cases, 'SC-CSMS-05');
    expect(w.verdict).toBe('passed');
    expect(warns(w).some((m) => /could not check/.test(m) && m.includes('triggers.readBack'))).toBe(true);

    for (const run of [lost, rounded]) {
      const f = one(run.result.cases, 'SC-CSMS-05');
      expect(f.verdict).toBe('failed');
      expect(f.failures.every((x) => x.rule === 'rules §8 (mobilityhouse #217 class)')).toBe(true);
    }
    expect(one(lost.result.cases, 'SC-CSMS-05').failures[0]!.message).toMatch(/holds no composite/);
    expect(one(rounded.result.cases, 'SC-CSMS-05').failures.map((f) => f.message).join(' ')).toMatch(/15\.2|0\.1/);
  }, 90_000);
});

test('SC-CSMS-03 (rules §6.2): without read-back the union is a WARN naming triggers.readBack; with it, checked', async () => {
  const [hook, none] = await Promise.all([runCsms(csmsConfig('2.0.1', { grep: 'SC-CSMS-03' })), runCsms(csmsConfig('2.0.1', { grep: 'SC-CSMS-03', ...noReadBack }))]);
  const c = one(hook.result.cases, 'SC-CSMS-03');
  expect({ verdict: c.verdict, warns: warns(c) }).toEqual({ verdict: 'passed', warns: [] });
  const w = one(none.result.cases, 'SC-CSMS-03');
  expect(w.verdict).toBe('passed');
  expect(warns(w).filter((m) => /could not check/.test(m) && m.includes('triggers.readBack'))).toHaveLength(2);
}, 60_000);

// CitrineOS run 4: a database read-back script for composites only fails for {what}=reports.
test('SC-CSMS-03 (rules §6.2): a read-back hook that fails is a WARN with its message, never an ERROR', async () => {
  const failing = { triggers: { readBack: { type: 'command' as const, command: 'echo "no read-back for {what}" >&2; exit 1' } } };
  const { result } = await runCsms(csmsConfig('2.0.1', { grep: 'SC-CSMS-03', ...failing }));
  const c = one(result.cases, 'SC-CSMS-03');
  expect(c.verdict).toBe('passed');
  expect(warns(c).filter((m) => /could not check .*the read-back hook failed .*no read-back for '?reports/.test(m)).length).toBeGreaterThan(0);
}, 60_000);

describe.each([
  ['2.0.1', 'SC-CSMS-05'],
  ['1.6', 'SC-CSMS-16-07'],
] as const)('citrine-run3 D: a callback that never comes, OCPP %s', (ocpp, id) => {
  test(`${id}: the CSMS that never calls back the composite result is a WARN "could not check … did not call back within N ms", not "its trigger answer does not show them"`, async () => {
    const config = csmsConfig(ocpp, { grep: id, ...noReadBack, timing: { callTimeoutMs: 2000 }, builtinQuirks: ['rest-api'], builtinFaults: ['composite-callback-dropped'] });
    const { result } = await runCsms(config);
    const c = one(result.cases, id);
    expect(c.verdict).toBe('passed');
    const missing = warns(c).filter((m) => /^could not check/.test(m));
    expect(missing.length).toBeGreaterThan(0);
    for (const m of missing) {
      expect(m).toContain(`the CSMS did not call back within ${config.timing.callTimeoutMs} ms`);
      expect(m).not.toMatch(/trigger answer does not show/);
    }
  }, 60_000);
});
