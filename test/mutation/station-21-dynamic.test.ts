import { runBuiltin } from './run';
import { mergeConfig, type PartialConfig } from '../../src/runner/config';
import { runWithListeningStation } from '../helpers/listeningStation';
import { STATION_FAULTS_21 } from '../../src/reference/faults';

/**
 * Issue #16: OCPP 2.1 Dynamic profiles (SC-21-01…06) against the built-in reference station, which
 * advertises SupportsFeature[DynamicProfiles]. The correct station passes every case with the 2.1-only
 * messages really exchanged (UpdateDynamicSchedule, PullDynamicScheduleUpdate); each Dynamic fault of
 * STATION_FAULTS_21 is caught by the case that targets it.
 */
jest.setTimeout(120_000);

const DEVICE = { device: { features: { smartCharging: true, remoteStart: true, dynamicProfiles: true } } };
const GREP = 'SC-21-0[1-6]';
/** A shorter wait for the first pull (default 30 s) where a fault means none comes: the FAIL costs 10 s. */
const SHORT_PULL_WAIT: PartialConfig = { timing: { dynamicPullTimeoutMs: 10_000 } };

describe('OCPP 2.1 Dynamic profiles, station under test (K28, issue #16)', () => {
  test('SC-21-01…06: the correct reference station passes them all, exchanging UpdateDynamicSchedule and PullDynamicScheduleUpdate', async () => {
    const r = await runBuiltin({ ocpp: '2.1', grep: GREP, ...DEVICE });
    const bad = r.result.cases.filter((c) => c.verdict !== 'passed').map((c) => `${c.id} ${c.verdict}: ${c.reason ?? ''} ${c.failures.map((f) => f.message).join(' | ')}`);
    expect(bad).toEqual([]);
    // SC-X-01 (discovery) and SC-X-99 (outside cases) run with every selection.
    expect(r.result.cases.map((c) => c.id).filter((id) => id.startsWith('SC-21'))).toEqual(['SC-21-01', 'SC-21-02', 'SC-21-03', 'SC-21-04', 'SC-21-05', 'SC-21-06']);
    expect(r.exitCode).toBe(0);
    const frames = (id: string) => r.result.cases.find((c) => c.id === id)!.frames.map((f) => f.raw).join('\n');
    expect(frames('SC-21-02')).toMatch(/"UpdateDynamicSchedule"/);
    expect(frames('SC-21-04')).toMatch(/"PullDynamicScheduleUpdate"/);
    // No note but the ones a correct station may cause: SC-21-05 sees no late pull.
    expect(r.result.cases.find((c) => c.id === 'SC-21-05')!.notes.filter((n) => n.level === 'warn')).toEqual([]);
  });

  test('over a socket (run --listen, the reference station connecting): SC-21-01…06 pass, the pull crossing the socket', async () => {
    const { out } = await runWithListeningStation({
      ocpp: '2.1',
      config: () =>
        mergeConfig({
          ocpp: '2.1',
          listen: '127.0.0.1:0',
          grep: GREP,
          reporters: [],
          timing: { callTimeoutMs: 4000, graceMs: 300, caseTimeoutMs: 60_000, connectTimeoutMs: 10_000 },
          ...DEVICE,
        }),
      station: { identity: 'CS-21-DYN-SOCKET', callTimeoutMs: 4000 },
      answer: () => 404,
    });
    const bad = out.result.cases.filter((c) => c.verdict !== 'passed').map((c) => `${c.id} ${c.verdict}: ${c.reason ?? ''} ${c.failures.map((f) => f.message).join(' | ')}`);
    expect(bad).toEqual([]);
    expect(out.result.cases.filter((c) => c.id.startsWith('SC-21')).length).toBe(6);
    expect(out.result.cases.find((c) => c.id === 'SC-21-04')!.frames.some((f) => f.dir === 'in' && /"PullDynamicScheduleUpdate"/.test(f.raw))).toBe(true);
    expect(out.exitCode).toBe(0);
  });

  test('without the dynamicProfiles feature the cases are skipped with the reason (never a silent pass)', async () => {
    // The station advertises no 2.1 feature (quirk no-21-features): discovery reads SupportsFeature[DynamicProfiles] false.
    const r = await runBuiltin({ ocpp: '2.1', grep: 'SC-21-01', builtinQuirks: ['no-21-features'] });
    expect(r.result.cases.filter((c) => c.id.startsWith('SC-21')).map((c) => [c.id, c.verdict, c.reason])).toEqual([['SC-21-01', 'skipped', expect.stringMatching(/SupportsFeature\[DynamicProfiles\]/)]]);
  });

  test('2.1: fault dynamic-pull-after-clear is a WARN in SC-21-05 (no text read says a pull must stop), never a failure', async () => {
    const r = await runBuiltin({ ocpp: '2.1', grep: 'SC-21-05', builtinFaults: ['dynamic-pull-after-clear'], ...DEVICE });
    const c = r.result.cases.find((x) => x.id === 'SC-21-05')!;
    expect([c.verdict, c.failures]).toEqual(['passed', []]);
    expect(c.notes.filter((n) => n.level === 'warn').map((n) => [n.rule, n.message])).toEqual([['K28.FR.10', expect.stringMatching(/PullDynamicScheduleUpdate for profile 2808 after it was cleared/)]]);
    expect(r.exitCode).toBe(0);
  });

  test('2.1: quirk dynamic-min-interval-21 (dynUpdateInterval 2 s refused with CALLERROR) is a WARN in SC-21-04/05, not judged, exit 0 — never FAIL or ERROR', async () => {
    const r = await runBuiltin({ ocpp: '2.1', grep: 'SC-21-0[45]', builtinQuirks: ['dynamic-min-interval-21'], ...DEVICE });
    for (const id of ['SC-21-04', 'SC-21-05']) {
      const c = r.result.cases.find((x) => x.id === id)!;
      expect([id, c.verdict, c.failures]).toEqual([id, 'passed', []]);
      expect(c.notes.filter((n) => n.level === 'warn').map((n) => [n.rule, n.message])).toEqual([['K28.FR.10', expect.stringMatching(/CALLERROR PropertyConstraintViolation .*dynUpdateInterval 2 s.*not exercised/)]]);
    }
    expect(r.exitCode).toBe(0);
  });

  test('K28.FR.10: quirk slow-pull-21 (pulls 3 × dynUpdateInterval + 3 s = 9 s after the install, past the on-time 2 × 2 s + Δ) is a WARN naming the delay in SC-21-04, never a FAIL; SC-21-05 watches for as long', async () => {
    const r = await runBuiltin({ ocpp: '2.1', grep: 'SC-21-0[45]', builtinQuirks: ['slow-pull-21'], ...DEVICE });
    expect([r.failed, r.errored, r.exitCode]).toEqual([[], [], 0]);
    const c4 = r.result.cases.find((x) => x.id === 'SC-21-04')!;
    expect([c4.verdict, c4.failures]).toEqual(['passed', []]);
    expect(c4.notes.filter((n) => n.level === 'warn').map((n) => [n.rule, n.message])).toEqual([['K28.FR.10', expect.stringMatching(/first pull came (8\.[5-9]|9\.\d|1\d\.\d) s after the install, later than dynUpdateInterval 2 s .*sets no tolerance/)]]);
    // The pulled update was still applied and judged (K28.FR.08): the composite read after the late pull.
    expect(c4.frames.some((f) => f.dir === 'in' && /"PullDynamicScheduleUpdate"/.test(f.raw))).toBe(true);
    expect(c4.steps.some((s) => /composite on EVSE 1 follows the pulled update/.test(s))).toBe(true);
    const c5 = r.result.cases.find((x) => x.id === 'SC-21-05')!;
    expect([c5.verdict, c5.failures, c5.notes.filter((n) => n.level === 'warn')]).toEqual(['passed', [], []]);
  });

  test('K28.FR.10: quirk slow-pull-21 with fault dynamic-pull-after-clear: SC-21-05 still sees the late pull after the clear (it watches for the station\'s own period) — WARN', async () => {
    const r = await runBuiltin({ ocpp: '2.1', grep: 'SC-21-05', builtinQuirks: ['slow-pull-21'], builtinFaults: ['dynamic-pull-after-clear'], ...DEVICE });
    const c = r.result.cases.find((x) => x.id === 'SC-21-05')!;
    expect([c.verdict, c.failures]).toEqual(['passed', []]);
    expect(c.notes.filter((n) => n.level === 'warn').map((n) => n.message)).toEqual([expect.stringMatching(/PullDynamicScheduleUpdate for profile 2808 after it was cleared/)]);
  });

  test('2.1: fault dynamic-pull-never (caught by SC-21-04) is no second FAIL in SC-21-05: its pull is set-up, a WARN that it cannot observe', async () => {
    const r = await runBuiltin({ ocpp: '2.1', grep: 'SC-21-05', builtinFaults: ['dynamic-pull-never'], ...DEVICE, ...SHORT_PULL_WAIT });
    expect([r.failed, r.errored, r.exitCode]).toEqual([[], [], 0]);
    const c = r.result.cases.find((x) => x.id === 'SC-21-05')!;
    expect([c.verdict, c.failures]).toEqual(['passed', []]);
    expect(c.notes.filter((n) => n.level === 'warn').map((n) => n.message)).toEqual([expect.stringMatching(/no PullDynamicScheduleUpdate for 2808.*cannot be observed/)]);
  });

  test.each([
    ['dynamic-update-ignored', 'SC-21-02', /K28\.FR\.06/],
    ['dynamic-update-unknown-accepted', 'SC-21-03', /K28\.FR\.11/],
    ['dynamic-pull-never', 'SC-21-04', /K28\.FR\.10/],
    ['dynamic-pull-wrong-id', 'SC-21-04', /K28\.FR\.10/],
    ['dynamic-pull-ignored', 'SC-21-04', /K28\.FR\.08/],
    ['dynamic-shape-unchecked', 'SC-21-06', /K28\.FR\.01|K01\.FR\.122/],
  ])('2.1: fault %s is caught by %s', async (fault, caseId, rule) => {
    expect(Object.keys(STATION_FAULTS_21)).toContain(fault);
    const r = await runBuiltin({ ocpp: '2.1', grep: caseId, builtinFaults: [fault], ...DEVICE, ...SHORT_PULL_WAIT });
    expect(r.failed).toEqual([caseId]);
    expect(r.errored).toEqual([]);
    expect(r.exitCode).toBe(1);
    const failures = r.result.cases.find((c) => c.id === caseId)!.failures;
    expect(failures.some((f) => rule.test(f.rule ?? ''))).toBe(true);
  });
});
