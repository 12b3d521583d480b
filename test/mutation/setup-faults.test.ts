/**
 * Issue #11 items 3 and "bounded waits": set-up nonconformance is a finding, and a silent report stream
 * costs one bounded wait per case. Runs the 2.0.1 station suite in-process against the reference station
 * with one set-up fault each.
 *
 * Contract with the runner (verdict policy, issue #11): a case whose clean slate recorded a failure is
 * FAILED, and every later case of the suite is reported as skipped "blocked by <id>".
 */
import type { CaseResult } from '../../src/report';
import { runBuiltin } from './run';

jest.setTimeout(330_000);

const FIRST = 'SC-X-02';

function firstCase(cases: CaseResult[]): CaseResult {
  const c = cases.find((x) => x.id === FIRST);
  expect(c).toBeDefined();
  return c!;
}

describe('2.0.1 clean slate meets a set-up fault (issue #11 item 3)', () => {
  test.concurrent.each([
    ['get-profiles-not-implemented', /K09\.FR\.02/, /CALLERROR NotImplemented although SmartCharging is advertised/],
    ['reports-never-sent', /K09\.FR\.02/, /Accepted although no installed profile matches .* no ReportChargingProfiles came within 4000 ms/],
  ])('K09: fault %s fails the first case with the rule; the rest are blocked', async (fault, rule, message) => {
    const r = await runBuiltin({ ocpp: '2.0.1', builtinFaults: [fault] });
    const first = firstCase(r.result.cases);
    // The finding is recorded in the clean slate of the first case, with the rule and the frame it judged.
    const named = first.failures.filter((f) => f.rule !== undefined && rule.test(f.rule) && message.test(f.message));
    expect(named).toHaveLength(1);
    expect(named[0]!.step).toBe('precondition');
    expect(named[0]!.frameSeq).toBeGreaterThan(0);
    // FAILED, not ERROR; the rest of the suite blocked by it; exit 1. SC-X-99 (frames outside cases) is
    // the runner's own last case, not part of the suite: it runs and passes.
    expect(r.errored).toEqual([]);
    expect(r.failed).toEqual([FIRST]);
    expect(r.exitCode).toBe(1);
    const after = r.result.cases.slice(r.result.cases.indexOf(first) + 1).filter((c) => c.reason?.startsWith('PICS') !== true && c.id !== 'SC-X-99');
    expect(after.length).toBeGreaterThan(20);
    for (const c of after) {
      expect(c.verdict).toBe('skipped');
      expect(c.reason).toMatch(new RegExp(`blocked by ${FIRST}`));
    }
  });
});

describe('2.0.1 bounded waits against a silent report stream (issue #11)', () => {
  test('K09.FR.01: report-stream-stops — each case that reads reports fails after ONE bounded wait, no ERROR', async () => {
    const t0 = Date.now();
    const r = await runBuiltin({ ocpp: '2.0.1', builtinFaults: ['report-stream-stops'] });
    expect(r.errored).toEqual([]);
    expect(r.exitCode).toBe(1);
    expect(r.failed).toEqual(expect.arrayContaining(['SC-201-07', 'SC-201-08', 'SC-201-10', 'SC-201-23', 'SC-201-24']));
    for (const id of r.failed) {
      const c = r.result.cases.find((x) => x.id === id)!;
      const waits = c.failures.filter((f) => f.kind === 'Timeout');
      // One wait per case: the case stops issuing the requests that depend on the missing reports.
      expect(waits).toHaveLength(1);
      expect(waits[0]!.rule).toMatch(/K09\.FR\.01/);
      expect(waits[0]!.message).toMatch(/tbc=true but no further frame came within \d+ ms/);
      expect(c.durationMs).toBeLessThan(20_000);
    }
    expect(Date.now() - t0).toBeLessThan(180_000);
  });

  // With device timings (30 s CALL timeout, 5 s grace) a station that never sends reports is
  // judged in the first clean slate; the other cases are blocked, so the run ends well within 5 minutes.
  test('K09.FR.01: a run against a station that never sends reports ends within 5 minutes at device timings', async () => {
    const t0 = Date.now();
    const r = await runBuiltin({ ocpp: '2.0.1', builtinFaults: ['reports-never-sent'], timing: { callTimeoutMs: 30_000, graceMs: 5_000, caseTimeoutMs: 120_000 } });
    expect(r.exitCode).toBe(1);
    expect(r.errored).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(300_000);
  });
});
