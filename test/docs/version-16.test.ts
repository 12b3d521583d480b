/**
 * Issue #11 item 9 (1.6 judged by 1.6 text) and item 10 (no failure without a rule), checked twice:
 * statically over the case definitions, and dynamically over runs against the built-in station, correct
 * and with faults, in both versions.
 */
import { loadSuites } from '../../src/runner/loader';
import { requirementsOf } from '../../src/scenario/types';
import { runBuiltin } from '../mutation/run';
import { ID_201 } from './citations';

jest.setTimeout(300_000);

const cases = loadSuites(['smartcharging']).flatMap((s) => s.cases);
const cases16 = cases.filter((c) => c.ocpp.includes('1.6'));

/** Faults whose 1.6 runs produce failures from several kinds of checks (placement, clear, composite, schema). */
const FAULTS_16 = ['accept-max-on-evse', 'accept-txprofile-without-transaction', 'clear-or-instead-of-and', 'composite-ignores-max', 'wrong-type', 'decimal-accepted-not-applied'];
const FAULTS_201 = ['accept-max-on-evse', 'report-drops-profile'];

describe('1.6 judged by 1.6 text', () => {
  test('static: no 1.6 case lists a 2.0.1 requirement id', () => {
    expect(cases16.length).toBeGreaterThan(20);
    const bad = cases16.flatMap((c) => requirementsOf(c, '1.6').filter((r) => ID_201.test(r)).map((r) => `${c.id}: ${r}`));
    expect(bad).toEqual([]);
  });

  test('the 2.0.1 id pattern recognises 2.0.1 citations and leaves 1.6 ones alone', () => {
    for (const id of ['K01.FR.31', 'K08.FR.02', 'TC_K_42_CS', 'Part 4 §4.1.1', 'K08']) expect(ID_201.test(id)).toBe(true);
    for (const id of ['1.6 §3.13.1', '1.6 errata 3.25', 'TC_058_2_CS', 'OCPP-J 1.6 §4.2.2', 'rules §5.2', 'schema']) expect(ID_201.test(id)).toBe(false);
  });

  test.each(['none', ...FAULTS_16])('dynamic 1.6 run (fault %s): every failure names a 1.6 rule, no note cites 2.0.1', async (fault) => {
    const r = await runBuiltin({ ocpp: '1.6', ...(fault !== 'none' ? { builtinFaults: [fault] } : {}) });
    const failures = r.result.cases.flatMap((c) => c.failures.map((f) => ({ id: c.id, rule: f.rule, message: f.message })));
    if (fault !== 'none') expect(failures.length).toBeGreaterThan(0);
    else expect(r.exitCode).toBe(0);
    expect(failures.filter((f) => !f.rule || f.rule.trim() === '')).toEqual([]);
    expect(failures.filter((f) => ID_201.test(f.rule!) || ID_201.test(f.message))).toEqual([]);
    const notes = r.result.cases.flatMap((c) => c.notes.map((n) => ({ id: c.id, rule: n.rule, message: n.message })));
    expect(notes.filter((n) => (n.rule && ID_201.test(n.rule)) || ID_201.test(n.message))).toEqual([]);
    expect(r.result.cases.flatMap((c) => c.requirements.filter((q) => ID_201.test(q)).map((q) => `${c.id}: ${q}`))).toEqual([]);
    // Issue #11 item 10: no "undefined" in what a user reads.
    expect([...failures, ...notes].filter((f) => /undefined/.test(f.message))).toEqual([]);
  });
});

describe('1.6: WARN where 1.6 has no SHALL for the Charge Point', () => {
  test('a first startPeriod other than 0 / decreasing startPeriods accepted: WARN citing 1.6 §7.14, exit 0 (2.0.1 keeps FAIL, K01.FR.31)', async () => {
    const r = await runBuiltin({ ocpp: '1.6', builtinFaults: ['accept-first-period-nonzero'] });
    expect(r.failed).toEqual([]);
    expect(r.exitCode).toBe(0);
    for (const id of ['SC-16-31', 'SC-X-05']) {
      const c = r.result.cases.find((x) => x.id === id)!;
      expect(c.verdict).toBe('passed');
      expect(c.notes).toEqual(expect.arrayContaining([expect.objectContaining({ level: 'warn', rule: '1.6 §7.14', message: expect.stringContaining('1.6 has no SHALL') })]));
    }
    const r201 = await runBuiltin({ ocpp: '2.0.1', builtinFaults: ['accept-first-period-nonzero'], grep: 'SC-201-03' } as never);
    expect(r201.failed).toEqual(['SC-201-03']);
    expect(r201.result.cases.find((c) => c.id === 'SC-201-03')!.failures.map((f) => f.rule)).toContain('K01.FR.31');
  });
});

describe('1.6: a Rejected composite with no profile installed', () => {
  test('SC-16-03/-04/-05/-31 pass with a WARN (1.6 does not define the answer; rules §5.1); 2.0.1 SC-201-12 fails (TC_K_39_CS)', async () => {
    const r = await runBuiltin({ ocpp: '1.6', builtinFaults: ['composite-rejected-when-empty'] });
    expect(r.failed).toEqual([]);
    expect(r.exitCode).toBe(0);
    for (const id of ['SC-16-03', 'SC-16-04', 'SC-16-05', 'SC-16-31']) {
      const c = r.result.cases.find((x) => x.id === id)!;
      expect(c.verdict).toBe('passed');
      expect(c.notes).toEqual(expect.arrayContaining([expect.objectContaining({ level: 'warn', rule: 'rules §5.1' })]));
    }
  });
});

describe('no failure without a rule (2.0.1 runs)', () => {
  test.each(['none', ...FAULTS_201])('dynamic 2.0.1 run (fault %s): every failure names its rule', async (fault) => {
    const r = await runBuiltin({ ocpp: '2.0.1', ...(fault !== 'none' ? { builtinFaults: [fault] } : {}) });
    const failures = r.result.cases.flatMap((c) => c.failures.map((f) => ({ id: c.id, rule: f.rule, message: f.message })));
    if (fault !== 'none') expect(failures.length).toBeGreaterThan(0);
    else expect(r.exitCode).toBe(0);
    expect(failures.filter((f) => !f.rule || f.rule.trim() === '')).toEqual([]);
    const notes = r.result.cases.flatMap((c) => c.notes.map((n) => ({ id: c.id, message: n.message })));
    expect([...failures, ...notes].filter((f) => /undefined/.test(f.message))).toEqual([]);
  });
});
