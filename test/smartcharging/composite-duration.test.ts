/**
 * Composite duration judgement (issue #11 items 4 and 10; rules §5.6, 1.6 §5.7): shorter than asked is
 * FAIL where the reference model has a validated limit in the missing part, WARN where it has none;
 * longer than asked is FAIL in 2.0.1 (rules §5.6) and WARN in 1.6 (open); an empty period list is one
 * finding. Driven through expectComposite/getComposite with a fake case context (no network).
 */
import { mergeConfig } from '../../src/runner/config';
import { Assertions } from '../../src/runner/assertions';
import type { CompositeComparison, Failure, Note } from '../../src/report/types';
import type { CaseContext } from '../../src/scenario';
import { judgeCompositeDuration, type CompositeResult } from '../../src/smartcharging';
import { SmartCharging, expectComposite, getComposite } from '../../suites/lib/smartcharging';

type Payload = Record<string, unknown>;

/** A case context that answers GetCompositeSchedule with `answer(scheduleStartIso)` and records findings. */
function fakeCase(ocpp: '1.6' | '2.0.1', answer: (startIso: string) => Payload) {
  const failures: Failure[] = [];
  const notes: Note[] = [];
  const composites: CompositeComparison[] = [];
  const config = mergeConfig({ ocpp });
  const t = {
    id: 'TEST',
    ocpp,
    as: 'csms',
    config,
    caps: { evses: 2, connectorsPerEvse: 1, rateUnits: ['A', 'W'], maxStackLevel: 8, maxProfiles: 40, periodsPerSchedule: 24, nominalVoltage: 230, features: {} },
    transactions: [],
    builtin: true,
    check: new Assertions((f) => failures.push(f), false, () => undefined),
    assert: new Assertions((f) => failures.push(f), true, () => undefined),
    note: {
      warn: (message: string, rule?: string) => notes.push({ level: 'warn', message, ...(rule ? { rule } : {}) }),
      info: (message: string, rule?: string) => notes.push({ level: 'info', message, ...(rule ? { rule } : {}) }),
    },
    evidence: { composite: (c: CompositeComparison) => composites.push(c) },
    now: () => new Date(Math.floor(Date.now() / 1000) * 1000),
    async tryCall(action: string, payload: Payload) {
      if (action === 'SetChargingProfile') return { ok: true, payload: { status: 'Accepted' }, frame: { seq: 1 } };
      if (action !== 'GetCompositeSchedule') throw new Error(`unexpected ${action} ${JSON.stringify(payload)}`);
      const startIso = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
      return { ok: true, payload: answer(startIso), frame: { seq: 2 } };
    },
  } as unknown as CaseContext;
  return { t, sc: new SmartCharging(t), failures, notes, composites };
}

const composite = (ocpp: '1.6' | '2.0.1', duration: number, periods: { startPeriod: number; limit: number }[]) => (startIso: string): Payload =>
  ocpp === '1.6'
    ? { status: 'Accepted', connectorId: 1, scheduleStart: startIso, chargingSchedule: { duration, chargingRateUnit: 'A', chargingSchedulePeriod: periods } }
    : { status: 'Accepted', schedule: { evseId: 1, duration, scheduleStart: startIso, chargingRateUnit: 'A', chargingSchedulePeriod: periods } };

/** Worked example B cut at the end of the stackLevel-1 profile (SAP: 350 s answered with 150 s). */
async function workedExampleBCut(ocpp: '1.6' | '2.0.1') {
  const c = fakeCase(ocpp, composite(ocpp, 150, [{ startPeriod: 0, limit: 7 }, { startPeriod: 100, limit: 9 }]));
  const t0 = c.sc.t.now();
  await c.sc.install(1, { id: 71, stackLevel: 0, purpose: 'TxDefault', periods: [[0, 6], [100, 8], [200, 10]], duration: 400, startSchedule: t0 });
  await c.sc.install(1, { id: 72, stackLevel: 1, purpose: 'TxDefault', periods: [[0, 7], [100, 9]], duration: 150, startSchedule: t0 });
  await expectComposite(c.sc, 1, 350, 'A');
  return c;
}

describe.each(['1.6', '2.0.1'] as const)('composite duration, OCPP %s (rules §5.6, 1.6 §5.7)', (ocpp) => {
  const shorterRule = ocpp === '1.6' ? '1.6 §5.7' : 'rules §5.6';

  test('shorter than asked where a profile applies in the missing part → FAIL naming the first missing interval and the profile', async () => {
    const { failures, notes } = await workedExampleBCut(ocpp);
    const f = failures.filter((x) => /missing/.test(x.message));
    expect(f).toHaveLength(1);
    expect(f[0]!.rule).toBe(shorterRule);
    expect(f[0]!.message).toMatch(/missing \[150, 200\) s where the model has 8 A from profile 71/);
    expect(f[0]!.message).toMatch(/duration 150 s.*requested 350 s/);
    expect(notes.filter((n) => /shorter/.test(n.message))).toEqual([]);
    expect(JSON.stringify(failures)).not.toMatch(/undefined/);
  });

  test('issue #15: the comparison is recorded for the HTML chart — model and reported step functions, evidence only', async () => {
    const { failures, composites } = await workedExampleBCut(ocpp);
    expect(composites).toHaveLength(1);
    expect(composites[0]).toMatchObject({ evseId: 1, requestedDuration: 350, expectedDuration: 350, reportedDuration: 150, unit: 'A', reported: [{ startPeriod: 0, limit: 7 }, { startPeriod: 100, limit: 9 }], frameSeq: 2 });
    expect(composites[0]!.expected).toEqual([
      { from: 0, to: 100, limit: 7 },
      { from: 100, to: 150, limit: 9 },
      { from: 150, to: 200, limit: 8 },
      { from: 200, to: 350, limit: 10 },
    ]);
    // The stack under the chart: both installed profiles laid over the window.
    expect(composites[0]!.profiles!.map((p) => [p.id, p.purpose, p.stackLevel])).toEqual([[71, 'TxDefaultProfile', 0], [72, 'TxDefaultProfile', 1]]);
    expect(composites[0]!.profiles![1]!.steps).toEqual([{ from: 0, to: 100, limit: 7 }, { from: 100, to: 150, limit: 9 }]);
    // The content over the reported 150 s matches (the missing tail is the duration finding, not this chart's).
    expect(composites[0]!.differences).toEqual([]);
    expect(failures.length).toBeGreaterThan(0);
  });

  test('shorter than asked where no profile applies in the missing part → WARN only', async () => {
    const { sc, failures, notes } = fakeCase(ocpp, composite(ocpp, 150, [{ startPeriod: 0, limit: 6 }]));
    await sc.install(1, { id: 73, purpose: 'TxDefault', periods: [[0, 6]], duration: 150, startSchedule: sc.t.now() });
    await expectComposite(sc, 1, 350, 'A');
    expect(failures).toEqual([]);
    const w = notes.filter((n) => n.level === 'warn' && /shorter/.test(n.message));
    expect(w).toHaveLength(1);
    expect(w[0]!.rule).toBe('rules §5.6');
    expect(w[0]!.message).toMatch(/no profile applies in the missing \[150, 350\) s/);
  });

  test(`longer than asked → ${ocpp === '1.6' ? 'WARN (1.6 does not settle it)' : 'FAIL (rules §5.6)'}, with a rule`, async () => {
    const { sc, failures, notes } = fakeCase(ocpp, composite(ocpp, 400, [{ startPeriod: 0, limit: 6 }]));
    await sc.install(1, { id: 74, purpose: 'TxDefault', periods: [[0, 6]], startSchedule: sc.t.now() });
    await expectComposite(sc, 1, 300, 'A');
    const about = [...failures, ...notes].filter((x) => /longer/.test(x.message));
    expect(about).toHaveLength(1);
    expect(about[0]!.rule).toBe(ocpp === '1.6' ? '1.6 §5.7' : 'rules §5.6');
    if (ocpp === '1.6') {
      expect(failures).toEqual([]);
      expect(notes.find((n) => /longer/.test(n.message))!.level).toBe('warn');
    } else {
      expect(failures).toHaveLength(1);
    }
  });

  test('an empty period list is one finding "no periods", not "first startPeriod is 0"', async () => {
    const { sc, failures } = fakeCase(ocpp, composite(ocpp, 300, []));
    await getComposite(sc, 1, 300, 'A');
    expect(failures.filter((f) => /startPeriod is 0/.test(f.message))).toEqual([]);
    const none = failures.filter((f) => /no periods/.test(f.message));
    expect(none).toHaveLength(1);
    expect(none[0]!.rule).toBeDefined();
    expect(JSON.stringify(failures)).not.toMatch(/undefined/);
  });

  test('every composite finding names a rule', async () => {
    const { sc, failures } = fakeCase(ocpp, composite(ocpp, 300, [{ startPeriod: 0, limit: 6 }, { startPeriod: 400, limit: 7 }]));
    await getComposite(sc, 1, 300, 'A');
    expect(failures.length).toBeGreaterThan(0);
    for (const f of failures) expect(f.rule).toBeDefined();
  });
});

describe('judgeCompositeDuration (model only)', () => {
  const B: CompositeResult = {
    unit: 'W',
    duration: 350,
    intervals: [
      { from: 0, to: 100, limit: null },
      { from: 100, to: 200, limit: 1800 },
      { from: 200, to: 350, limit: null },
    ],
  };
  test('equal duration → nothing', () => {
    expect(judgeCompositeDuration({ version: '2.0.1', requested: 350, reported: 350, expected: B })).toBeUndefined();
  });
  test('gap that starts unvalidated and reaches a validated interval → FAIL at the validated part, in the unit of the model', () => {
    const r = judgeCompositeDuration({ version: '2.0.1', requested: 350, reported: 50, expected: B, profilesAt: () => [9] });
    expect(r).toMatchObject({ level: 'fail', rule: 'rules §5.6', from: 100, to: 200 });
    expect(r!.message).toMatch(/missing \[100, 200\) s where the model has 1800 W from profile 9/);
  });
  test('gap entirely after the validated part → WARN', () => {
    expect(judgeCompositeDuration({ version: '1.6', requested: 350, reported: 200, expected: B })).toMatchObject({ level: 'warn', rule: 'rules §5.6' });
  });
  test('no model to compare with → WARN saying so', () => {
    const r = judgeCompositeDuration({ version: '1.6', requested: 350, reported: 200 });
    expect(r).toMatchObject({ level: 'warn', rule: 'rules §5.6' });
    expect(r!.message).toMatch(/not compared/);
  });
  test('absent duration (1.6 schema-optional) → WARN, the periods are judged over the requested window', () => {
    expect(judgeCompositeDuration({ version: '1.6', requested: 350, reported: undefined, expected: B })).toMatchObject({ level: 'warn' });
  });

  // SAP simulator 1.6 (session 5, SC-16-02): the TxProfile ends at 199.94 s, the station cuts the composite
  // at 199 s; after it only "TxDefault again after the TxProfile" applies, a reading rules §11 leaves open.
  const TX: CompositeResult = {
    unit: 'A',
    duration: 300,
    intervals: [
      { from: 0, to: 99.94, limit: 10 },
      { from: 99.94, to: 199.94, limit: 4 },
      { from: 199.94, to: 300, limit: 6 },
    ],
  };
  test('rules §10 ε: a limit reaching less than 1 s past the reported end is a floored boundary, not a dropped schedule', () => {
    const r = judgeCompositeDuration({ version: '1.6', requested: 300, reported: 199, expected: TX, tolerated: { from: 197.94, to: 302 } });
    expect(r).toMatchObject({ level: 'warn', rule: 'rules §5.6' });
    expect(r!.message).toMatch(/within ε of its end .* or where another reading is accepted \(rules §11\)/);
  });
  test('without the tolerated reading the TxDefault part after the TxProfile is still a FAIL; ε alone does not excuse it', () => {
    expect(judgeCompositeDuration({ version: '1.6', requested: 300, reported: 199, expected: TX })).toMatchObject({ level: 'fail', from: 199.94, to: 300 });
  });
  test('a cut more than ε before the TxProfile ends → FAIL naming the missing part from the cut', () => {
    expect(judgeCompositeDuration({ version: '1.6', requested: 300, reported: 150, expected: TX, tolerated: { from: 197.94, to: 302 } })).toMatchObject({ level: 'fail', from: 150, to: 199.94 });
  });
});
