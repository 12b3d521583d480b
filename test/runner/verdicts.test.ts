/**
 * Issue #11 "Verdicts that hold on real devices": the verdict policy (failure wins), SC-X-01 / SC-X-99
 * for what happens outside cases, set-up findings that block their suite, and malformed responses that
 * settle their CALL at once. Raw `ws` stations on 127.0.0.1 send the frames a real device sent.
 */
import * as path from 'node:path';
import { runConformance, type RunOutput } from '../../src/runner/runner';
import { mergeConfig, type PartialConfig } from '../../src/runner/config';
import { buildJUnitXml, ConsoleReporter, type CaseResult, type Reporter } from '../../src/report';
import { buildResultsJson } from '../../src/report/json';
import { MemoryStream } from '../report/helpers';
import { defineCase, defineSuite, type CaseContext, type CaseDefinition, type SuiteDefinition } from '../../src/scenario';
import { conformingAnswer, RawStation, type Answer } from './rawStation';

const FIXTURES = path.join(__dirname, 'fixtures');

const config = (extra: PartialConfig = {}) =>
  mergeConfig(
    {
      listen: '127.0.0.1:0',
      timing: { toleranceS: 4, callTimeoutMs: 5000, caseTimeoutMs: 10_000, graceMs: 200, connectTimeoutMs: 5000 },
      reporters: [],
    },
    extra,
  );

const getVariable = (t: CaseContext, component: string) =>
  t.call('GetVariables', { getVariableData: [{ component: { name: component }, variable: { name: 'Enabled' } }] });

const passing = (id: string): CaseDefinition =>
  defineCase({ id, title: `${id} passes`, ocpp: ['2.0.1'], as: 'csms', async run(t) { await getVariable(t, 'SmartChargingCtrlr'); } });

const suiteOf = (name: string, cases: CaseDefinition[], beforeEach?: SuiteDefinition['beforeEach']): SuiteDefinition =>
  defineSuite({ name, block: 'Mini', cases, ...(beforeEach ? { beforeEach } : {}) });

/** Run with a raw station that connects as soon as the runner listens. */
async function run(opts: { suites: SuiteDefinition[]; station?: RawStation; config?: PartialConfig; onCaseEnd?: (r: CaseResult, s: RawStation) => void }): Promise<{ out: RunOutput; ms: number; station: RawStation }> {
  const station = opts.station ?? new RawStation();
  const reporter: Reporter = { onRunEnd: () => undefined, onCaseEnd: (r) => opts.onCaseEnd?.(r, station) };
  const t0 = Date.now();
  try {
    const out = await runConformance({
      config: config(opts.config),
      suites: opts.suites,
      reporter,
      fixturesDir: FIXTURES,
      notice: (line) => {
        const m = /waiting for a Charging Station on (ws:\/\/\S+)\/<identity>/.exec(line);
        if (m) void station.connect(m[1]!).catch(() => undefined);
      },
    });
    return { out, ms: Date.now() - t0, station };
  } finally {
    station.stop();
  }
}

const caseOf = (out: RunOutput, id: string) => out.result.cases.find((c) => c.id === id)!;
const verdictsOf = (out: RunOutput) => out.result.cases.map((c) => [c.id, c.verdict]);

describe('issue #11 item 1: a recorded failure wins over whatever ended the case', () => {
  const recordThen = (id: string, then: (t: CaseContext) => Promise<unknown>, timeoutMs?: number) =>
    defineCase({
      id,
      title: `${id}: a failure, then something ends the case`,
      ocpp: ['2.0.1'],
      as: 'csms',
      ...(timeoutMs ? { timeoutMs } : {}),
      async run(t) {
        await getVariable(t, 'SmartChargingCtrlr');
        t.check.ok(false, 'the station accepted a TxProfile without a transaction', { rule: 'K01.FR.09' });
        await then(t);
      },
    });

  test('case timeout, harness error and a skip after test frames: FAILED with the cause as a note; exit 1, not 2', async () => {
    const { out } = await run({
      suites: [
        suiteOf('v', [
          recordThen('V-01', (t) => t.expectCall('NotifyEVChargingNeeds', { timeoutMs: 30_000 }), 300),
          recordThen('V-02', async () => {
            throw new TypeError('harness bug');
          }),
          recordThen('V-03', async (t) => t.skip('changed its mind')),
          passing('V-04'),
        ]),
      ],
    });
    expect(verdictsOf(out)).toEqual([
      ['SC-X-01', 'passed'],
      ['V-01', 'failed'],
      ['V-02', 'failed'],
      ['V-03', 'failed'],
      ['V-04', 'passed'],
      ['SC-X-99', 'passed'],
    ]);
    expect(out.exitCode).toBe(1);
    for (const id of ['V-01', 'V-02', 'V-03']) {
      const c = caseOf(out, id);
      expect(c.errorType).toBeUndefined();
      expect(c.failures).toEqual([expect.objectContaining({ rule: 'K01.FR.09' })]);
    }
    expect(caseOf(out, 'V-01').notes).toContainEqual({ level: 'warn', message: 'after the failure the case ended: case did not finish within 300 ms (Timeout)' });
    expect(caseOf(out, 'V-02').notes).toContainEqual({ level: 'warn', message: expect.stringMatching(/^after the failure the case ended: harness error: TypeError: harness bug/) });
    expect(caseOf(out, 'V-03').notes).toContainEqual({ level: 'warn', message: expect.stringMatching(/case asked to skip after sending test frames: changed its mind \(HarnessError\)/) });
  });

  test('a disconnect after the failure: FAILED, the disconnect is a note', async () => {
    const { out } = await run({
      suites: [suiteOf('v', [recordThen('V-05', async (t) => { t.session.terminate(); await t.session.closed; await getVariable(t, 'SmartChargingCtrlr'); })])],
    });
    expect(caseOf(out, 'V-05')).toMatchObject({ verdict: 'failed', notes: [expect.objectContaining({ message: expect.stringMatching(/ConnectionError/) })] });
    expect(out.exitCode).toBe(1);
  });
});

describe('issue #15 §4: a HarnessError reason shows the message, the stack is in results.json only', () => {
  test('an unexpected throw: ERROR "harness error: TypeError: …" without file paths; errorStack in the JSON report, not in console or JUnit', async () => {
    const { out } = await run({
      suites: [
        suiteOf('v', [
          defineCase({
            id: 'V-HE',
            title: 'a harness bug',
            ocpp: ['2.0.1'],
            as: 'csms',
            async run() {
              throw new TypeError('harness bug');
            },
          }),
        ]),
      ],
    });
    const c = caseOf(out, 'V-HE');
    expect(c).toMatchObject({ verdict: 'error', errorType: 'HarnessError', reason: 'harness error: TypeError: harness bug' });
    expect(c.errorStack).toMatch(/TypeError: harness bug\n\s+at /);
    const stream = new MemoryStream(false);
    new ConsoleReporter({ stream, env: {} }).onRunEnd(out.result);
    for (const text of [stream.text, buildJUnitXml(out.result)]) {
      expect(text).toContain('harness error: TypeError: harness bug');
      expect(text).not.toMatch(/verdicts\.test\.ts|\/dist\/|\bat .*:\d+:\d+/);
    }
    const json = JSON.parse(buildResultsJson(out.result));
    expect(json.cases.find((x: { id: string }) => x.id === 'V-HE').errorStack).toBe(c.errorStack);
  });
});

describe('issue #11 item 2: SC-X-01 judges connect, boot and discovery; SC-X-99 what comes after the cases', () => {
  test('a schema-invalid BootNotification (1.6-shaped over ocpp2.0.1) fails SC-X-01 with the schema rule, pointer and frame', async () => {
    const station = new RawStation({ boot: { chargePointVendor: 'X', chargePointModel: 'Y' } });
    const { out, ms } = await run({ suites: [suiteOf('v', [passing('V-10')])], station });
    const c = caseOf(out, 'SC-X-01');
    expect(c.verdict).toBe('failed');
    expect(c.failures[0]).toMatchObject({ kind: 'SchemaViolation', rule: 'BootNotificationRequest schema', frameSeq: expect.any(Number) });
    expect(c.frames.map((f) => f.seq)).toContain(c.failures[0]!.frameSeq);
    expect(c.frames.some((f) => f.action === 'BootNotification' && f.dir === 'in')).toBe(true);
    expect(caseOf(out, 'V-10').verdict).toBe('passed');
    expect(out.exitCode).toBe(1);
    expect(ms).toBeLessThan(5000); // the boot wait ends on the invalid BootNotification too
  });

  test('a non-JSON text frame right after the boot fails SC-X-01 (OCPP-J), never a "between cases" warning', async () => {
    const station = new RawStation({ afterBoot: (ws) => ws.send('garbage after boot') });
    const { out } = await run({ suites: [suiteOf('v', [passing('V-11')])], station });
    expect(caseOf(out, 'SC-X-01')).toMatchObject({ verdict: 'failed', failures: [expect.objectContaining({ kind: 'FramingViolation', rule: 'OCPP-J', message: expect.stringMatching(/not valid JSON/) })] });
    expect(caseOf(out, 'V-11')).toMatchObject({ verdict: 'passed', notes: [] });
    expect(out.exitCode).toBe(1);
  });

  test('the discovery answered with a wrong messageId: SC-X-01 FAILED (correlation, and the request unanswered)', async () => {
    let first = true;
    const answer: Answer = (action, payload, id) => {
      if (action === 'GetVariables' && first) {
        first = false;
        const f = conformingAnswer(action, payload, id);
        return [3, 'not-the-request', f[2]];
      }
      return conformingAnswer(action, payload, id);
    };
    const { out } = await run({ suites: [suiteOf('v', [passing('V-12')])], station: new RawStation({ answer }), config: { timing: { callTimeoutMs: 500 } } });
    const c = caseOf(out, 'SC-X-01');
    expect(c.verdict).toBe('failed');
    expect(c.failures.map((f) => f.rule)).toEqual(['OCPP-J correlation', 'OCPP-J CALL/CALLRESULT']);
    expect(c.failures[1]).toMatchObject({ kind: 'Timeout', step: 'capability discovery' });
    expect(out.exitCode).toBe(1);
  });

  test('declared vs discovered capabilities differ: WARN notes in SC-X-01, which passes', async () => {
    const { out } = await run({ suites: [suiteOf('v', [passing('V-13')])], config: { device: { maxStackLevel: 3 } } });
    expect(caseOf(out, 'SC-X-01')).toMatchObject({
      verdict: 'passed',
      notes: [{ level: 'warn', message: 'capability mismatch: maxStackLevel: declared 3, device reports 8 (SmartChargingCtrlr.ProfileStackLevel)', rule: 'rules §9.3' }],
    });
    expect(out.exitCode).toBe(0);
  });

  test('the discovery answered with a CALLERROR, also when asked one variable per request: a WARN note in SC-X-01 (the declared profile stands in), not a failure', async () => {
    const answer: Answer = (action, payload, id) => (action === 'GetVariables' ? [4, id, 'NotSupported', 'no', {}] : conformingAnswer(action, payload, id));
    // The case asks nothing of the device: every GetVariables is refused here.
    const quiet = defineCase({ id: 'V-15', title: 'V-15 passes', ocpp: ['2.0.1'], as: 'csms', async run(t) { await t.call('ClearChargingProfile', { chargingProfileCriteria: { chargingProfilePurpose: 'TxDefaultProfile' } }); } });
    const { out } = await run({ suites: [suiteOf('v', [quiet])], station: new RawStation({ answer }) });
    expect(caseOf(out, 'SC-X-01')).toMatchObject({ verdict: 'passed', notes: [expect.objectContaining({ level: 'warn', rule: 'rules §9', message: expect.stringMatching(/capability discovery failed .*CALLERROR NotSupported/) })] });
    expect(out.exitCode).toBe(0);
  });

  test('a frame after the last case fails SC-X-99 with the frame it points at', async () => {
    const { out } = await run({
      suites: [suiteOf('v', [passing('V-14')])],
      onCaseEnd: (r, s) => r.id === 'V-14' && s.send('[3,"nobody-asked",{}]'),
    });
    expect(caseOf(out, 'V-14').verdict).toBe('passed');
    const c = caseOf(out, 'SC-X-99');
    expect(c.verdict).toBe('failed');
    expect(c.failures).toEqual([expect.objectContaining({ kind: 'FramingViolation', rule: 'OCPP-J correlation', message: expect.stringMatching(/unknown messageId nobody-asked/) })]);
    expect(c.frames.map((f) => f.seq)).toEqual([c.failures[0]!.frameSeq]);
    expect(c.frames[0]!.raw).toBe('[3,"nobody-asked",{}]');
    expect(out.exitCode).toBe(1);
  });

  test('SC-X-99 lasts the time outside the cases: the case times and its own add up to the run (JUnit testcase times)', async () => {
    const waiting = defineCase({
      id: 'V-16',
      title: 'waits a quiet period of 400 ms',
      ocpp: ['2.0.1'],
      as: 'csms',
      async run(t) {
        await t.quietFor('NotifyEvent', 400);
      },
    });
    const { out } = await run({ suites: [suiteOf('v', [waiting, passing('V-17')])] });
    const x99 = caseOf(out, 'SC-X-99');
    const cases = caseOf(out, 'V-16').durationMs + caseOf(out, 'V-17').durationMs;
    expect(caseOf(out, 'V-16').durationMs).toBeGreaterThanOrEqual(400);
    expect(x99.durationMs).toBeLessThan(400);
    const all = out.result.cases.reduce((n, c) => n + c.durationMs, 0);
    expect(all).toBeLessThanOrEqual(out.result.durationMs + 5);
    expect(all).toBeGreaterThanOrEqual(cases);
  });
});

describe('issue #11 item 3: a device nonconformance in set-up FAILS once and blocks the rest of its suite', () => {
  const clearFirst = async (t: CaseContext) => {
    await t.call('ClearChargingProfile', { chargingProfileCriteria: { chargingProfilePurpose: 'TxDefaultProfile' } });
  };
  const notImplemented: Answer = (action, payload, id) => (action === 'ClearChargingProfile' ? [4, id, 'NotImplemented', 'no smart charging here', {}] : conformingAnswer(action, payload, id));

  test('CALLERROR to the clean-slate Clear: first case FAILED (rules §1.3), later cases of the suite skipped "blocked by"; other suites run', async () => {
    const { out } = await run({
      suites: [suiteOf('sc', [passing('B-01'), passing('B-02'), passing('B-03')], clearFirst), suiteOf('other', [passing('O-01')])],
      station: new RawStation({ answer: notImplemented }),
    });
    expect(out.result.cases.map((c) => [c.id, c.verdict, c.blockedBy])).toEqual([
      ['SC-X-01', 'passed', undefined],
      ['B-01', 'failed', undefined],
      ['B-02', 'skipped', 'B-01'],
      ['B-03', 'skipped', 'B-01'],
      ['O-01', 'passed', undefined],
      ['SC-X-99', 'passed', undefined],
    ]);
    const b1 = caseOf(out, 'B-01');
    expect(b1.failures).toEqual([
      expect.objectContaining({ rule: 'rules §1.3', step: 'precondition', actual: 'NotImplemented', frameSeq: expect.any(Number), message: 'ClearChargingProfile was answered with CALLERROR NotImplemented (no smart charging here)' }),
    ]);
    expect(caseOf(out, 'B-02').reason).toBe('blocked by B-01: ClearChargingProfile was answered with CALLERROR NotImplemented (no smart charging here)');
    expect(caseOf(out, 'B-02').frames).toEqual([]);
    expect(out.exitCode).toBe(1);
    const xml = buildJUnitXml(out.result);
    expect(xml).toContain('<property name="blockedBy" value="B-01"/>');
    const json = JSON.parse(buildResultsJson(out.result));
    expect(json.cases.find((c: { id: string }) => c.id === 'B-03').blockedBy).toBe('B-01');
    const stream = new MemoryStream(false);
    const console = new ConsoleReporter({ stream, env: { NO_COLOR: '1' } });
    console.onCaseEnd(caseOf(out, 'B-02'));
    expect(stream.text).toContain('skipped: blocked by B-01: ClearChargingProfile was answered with CALLERROR NotImplemented');
  });

  test('an unanswered set-up CALL is a failure with the OCPP-J rule; a set-up that throws with nothing recorded stays ERROR and blocks nothing', async () => {
    const silent: Answer = (action, payload, id) => (action === 'ClearChargingProfile' ? undefined : conformingAnswer(action, payload, id));
    const benchNotReady = async () => {
      throw new Error('bench not ready');
    };
    const { out, ms } = await run({
      suites: [suiteOf('sc', [passing('T-01'), passing('T-02')], clearFirst), suiteOf('bench', [passing('P-01'), passing('P-02')], benchNotReady)],
      station: new RawStation({ answer: silent }),
      config: { timing: { callTimeoutMs: 300 } },
    });
    expect(out.result.cases.map((c) => [c.id, c.verdict, c.errorType])).toEqual([
      ['SC-X-01', 'passed', undefined],
      ['T-01', 'failed', undefined],
      ['T-02', 'skipped', undefined],
      ['P-01', 'error', 'PreconditionFailed'],
      ['P-02', 'error', 'PreconditionFailed'],
      ['SC-X-99', 'passed', undefined],
    ]);
    expect(caseOf(out, 'T-01').failures).toEqual([expect.objectContaining({ kind: 'Timeout', rule: 'OCPP-J CALL/CALLRESULT', step: 'precondition' })]);
    expect(caseOf(out, 'T-02').blockedBy).toBe('T-01');
    expect(out.exitCode).toBe(1);
    expect(ms).toBeLessThan(5000);
  });
});

describe('issue #11 item 6: a malformed response settles its CALL at once', () => {
  test('CALL timeout 30 s, the peer answers with errorDetails "x": the case FAILS with the OCPP-J framing rule in < 2 s', async () => {
    const answer: Answer = (action, payload, id) => (action === 'ClearChargingProfile' ? `[4,"${id}","NotSupported","x","x"]` : conformingAnswer(action, payload, id));
    const c6 = defineCase({ id: 'M-01', title: 'Clear answered with a malformed CALLERROR', ocpp: ['2.0.1'], as: 'csms', async run(t) { await t.tryCall('ClearChargingProfile', { chargingProfileId: 1 }); } });
    const t0 = Date.now();
    let ended = 0;
    const { out } = await run({
      suites: [suiteOf('m', [c6])],
      station: new RawStation({ answer }),
      config: { timing: { callTimeoutMs: 30_000, caseTimeoutMs: 60_000 } },
      onCaseEnd: (r) => r.id === 'M-01' && (ended = Date.now()),
    });
    const c = caseOf(out, 'M-01');
    expect(c.verdict).toBe('failed');
    expect(ended - t0).toBeLessThan(2000);
    expect(c.durationMs).toBeLessThan(2000);
    expect(c.failures).toEqual([expect.objectContaining({ kind: 'FramingViolation', rule: 'OCPP-J', message: expect.stringMatching(/errorDetails must be an object/) })]);
    expect(c.frames.map((f) => f.seq)).toContain(c.failures[0]!.frameSeq);
    expect(out.exitCode).toBe(1);
  });
});
