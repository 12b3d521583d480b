/**
 * Issue #7 §2: device faults through runConformance (harness as CSMS, scripted in-test station). Every
 * case ends with a verdict and its reason, the run goes on (or stops with bail), the reports list every case.
 */
import type { CaseResult } from '../../src/report/types';
import { validateJUnit } from '../report/helpers';
import { GARBAGE, scriptedRun, type ScriptedRun } from './run-helpers';

function byId(r: ScriptedRun, id: string): CaseResult {
  const c = r.result.cases.find((x) => x.id === id);
  if (!c) throw new Error(`case ${id} missing from the results`);
  return c;
}

/** Reports parse, validate and list every case of the run: the n selected ones plus SC-X-01 and SC-X-99 (issue #11). */
async function expectReportsComplete(r: ScriptedRun, selected: number): Promise<void> {
  const n = selected + 2;
  expect(r.result.cases).toHaveLength(n);
  expect([r.result.cases[0]!.id, r.result.cases[n - 1]!.id]).toEqual(['SC-X-01', 'SC-X-99']);
  const json = JSON.parse(r.json);
  expect(json.cases).toHaveLength(n);
  expect(json.cases.map((c: { id: string }) => c.id)).toEqual(r.result.cases.map((c) => c.id));
  expect((r.junit.match(/<testcase /g) ?? []).length).toBe(n);
  const v = await validateJUnit(r.junit);
  expect(v.errors).toEqual([]);
}

describe('hostile peer through the runner', () => {
  test.each(['1.6', '2.0.1'] as const)('%s: garbage (incl. 10 000-deep nesting and a 200 kB frame) during case 1 fails case 1 with the raw frames in its trace; cases 2..n still run and pass', async (version) => {
    const r = await scriptedRun({ version, script: ['garbage'], cases: 4 });
    const c1 = byId(r, 'R-1');
    expect(c1.verdict).toBe('failed');
    const framing = c1.failures.filter((f) => f.kind === 'FramingViolation');
    expect(framing.map((f) => f.message).join('\n')).toMatch(/not valid JSON/);
    expect(framing.map((f) => f.message).join('\n')).toMatch(/FlyToTheMoon/);
    expect(framing.map((f) => f.message).join('\n')).toMatch(/unknown messageId nobody-asked/);
    expect(framing.map((f) => f.message).join('\n')).toMatch(/nested more than/);
    for (const f of c1.failures) expect(f.message).not.toMatch(/\n/);
    // Each violation links to its frame, which is in case 1's trace.
    for (const f of framing) expect(c1.frames.some((fr) => fr.seq === f.frameSeq)).toBe(true);
    expect(c1.frames.some((fr) => fr.raw === GARBAGE[0] && fr.framingError)).toBe(true);
    const big = c1.frames.find((fr) => fr.rawLength === GARBAGE[4]!.length)!;
    expect(big.raw.length).toBeLessThan(70_000);
    for (const id of ['R-2', 'R-3', 'R-4']) expect(byId(r, id).verdict).toBe('passed');
    expect(r.exitCode).toBe(1);
    await expectReportsComplete(r, 4);
    expect(r.junit).toContain('this is not an OCPP frame {');
  });
});

describe('device faults: every case ends with a verdict and the run goes on', () => {
  test('disconnect mid-case → ConnectionError for that case; the same identity reconnects and later cases pass', async () => {
    const r = await scriptedRun({ script: ['disconnect'], cases: 3 });
    expect(byId(r, 'R-1')).toMatchObject({ verdict: 'error', errorType: 'ConnectionError', reason: expect.stringMatching(/connection closed.*ClearChargingProfile/) });
    expect(byId(r, 'R-2').verdict).toBe('passed');
    expect(byId(r, 'R-3').verdict).toBe('passed');
    expect(r.notices.join('\n')).toMatch(/reconnected/);
    expect(r.exitCode).toBe(2);
    await expectReportsComplete(r, 3);
  });

  test('reconnect with a different identity is refused (1008, notice); the expected station is accepted again', async () => {
    const r = await scriptedRun({ script: ['disconnect-other-identity'], cases: 3 });
    expect(r.notices.join('\n')).toMatch(/refused station "CS-INTRUDER-9"/);
    expect(byId(r, 'R-1')).toMatchObject({ verdict: 'error', errorType: 'ConnectionError' });
    expect(byId(r, 'R-2').verdict).toBe('passed');
    expect(byId(r, 'R-3').verdict).toBe('passed');
    await expectReportsComplete(r, 3);
  });

  test('silent device → the CALL times out: case failed with a Timeout failure naming the action; next cases run', async () => {
    const r = await scriptedRun({ script: ['silent'], cases: 3 });
    const c1 = byId(r, 'R-1');
    expect(c1.verdict).toBe('failed');
    expect(c1.failures[0]).toMatchObject({ kind: 'Timeout', message: expect.stringMatching(/did not answer ClearChargingProfile \(messageId [^)]+\) within 2000 ms/) });
    expect(byId(r, 'R-2').verdict).toBe('passed');
    expect(byId(r, 'R-3').verdict).toBe('passed');
    expect(r.exitCode).toBe(1);
    await expectReportsComplete(r, 3);
  });

  test('answer after the timeout → case failed (Timeout); the late answer is a warning, never delivered to a later CALL', async () => {
    const r = await scriptedRun({ script: ['late'], cases: 3 });
    expect(byId(r, 'R-1').verdict).toBe('failed');
    const notes = r.result.cases.flatMap((c) => c.notes.map((n) => n.message)).join('\n');
    expect(notes).toMatch(/after its deadline/);
    expect(byId(r, 'R-2').verdict).toBe('passed');
    expect(byId(r, 'R-3').verdict).toBe('passed');
    await expectReportsComplete(r, 3);
  });

  test('answer given twice → case failed with "second CALLRESULT"; next cases pass', async () => {
    const r = await scriptedRun({ script: ['twice'], cases: 3 });
    const c1 = byId(r, 'R-1');
    expect(c1.verdict).toBe('failed');
    expect(c1.failures.map((f) => f.message).join('\n')).toMatch(/second CALLRESULT/);
    expect(byId(r, 'R-2').verdict).toBe('passed');
    await expectReportsComplete(r, 3);
  });

  test('device closes with 1000, 1001, 1008, 1011 and 4000 → each case errors with the code in its reason; the run goes on', async () => {
    const codes = [1000, 1001, 1008, 1011, 4000];
    const r = await scriptedRun({ script: codes.map((c) => ({ close: c })), cases: 6 });
    codes.forEach((code, i) => {
      expect(byId(r, `R-${i + 1}`)).toMatchObject({ verdict: 'error', errorType: 'ConnectionError', reason: expect.stringContaining(`code ${code}`) });
    });
    expect(byId(r, 'R-6').verdict).toBe('passed');
    expect(r.exitCode).toBe(2);
    await expectReportsComplete(r, 6);
  }, 30_000);

  test('TCP stall (the device stops reading) → the case fails on its CALL timeout; the run finishes and lists every case', async () => {
    const r = await scriptedRun({ script: ['stall'], cases: 5 });
    expect(byId(r, 'R-1')).toMatchObject({ verdict: 'failed' });
    expect(byId(r, 'R-1').failures[0]!.kind).toBe('Timeout');
    for (const c of r.result.cases) expect(['passed', 'failed', 'error']).toContain(c.verdict);
    expect(byId(r, 'R-5').verdict).toBe('passed');
    await expectReportsComplete(r, 5);
  });

  test('bail: the first failing case stops the run; the rest are listed as skipped with the reason', async () => {
    const r = await scriptedRun({ script: ['silent'], cases: 4, config: { bail: true } });
    expect(byId(r, 'R-1').verdict).toBe('failed');
    for (const id of ['R-2', 'R-3', 'R-4']) expect(byId(r, id)).toMatchObject({ verdict: 'skipped', reason: expect.stringMatching(/--bail after R-1 failed/) });
    expect(r.exitCode).toBe(1);
    await expectReportsComplete(r, 4);
  });

  test('without bail the same failure does not stop the run', async () => {
    const r = await scriptedRun({ script: ['silent'], cases: 4, config: { bail: false } });
    expect(r.result.cases.map((c) => c.verdict)).toEqual(['passed', 'failed', 'passed', 'passed', 'passed', 'passed']);
  });
});
