import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connectStation } from '../../src/transport';
import { runConformance, exitCodeOf, type RunOutput } from '../../src/runner/runner';
import { ConfigError, DEFAULT_CONFIG, loadConfigFile, mergeConfig, parseListen, validateConfig, type PartialConfig } from '../../src/runner/config';
import { selectCases } from '../../src/runner/select';
import { loadSuites } from '../../src/runner/loader';
import { builtinPeers } from '../../src/reference';
import { createReporters, type CaseResult, type Reporter, type RunBeginInfo, type RunResult } from '../../src/report';
import { defineCase, defineSuite, type CaseDefinition, type SuiteDefinition } from '../../src/scenario';
import type { Payload } from '../../src/ocppj/messages';
import { MemoryStream, validateJUnit } from '../report/helpers';
import mini, { miniCases } from './fixtures/mini-suite';
import { TestStation } from './station';

const FIXTURES = path.join(__dirname, 'fixtures');

/** Keeps everything the runner hands to reporters. */
class Recorder implements Reporter {
  readonly name = 'recorder';
  info: RunBeginInfo | undefined;
  begun: string[] = [];
  ended: CaseResult[] = [];
  run: RunResult | undefined;
  onRunBegin(info: RunBeginInfo) {
    this.info = info;
  }
  onCaseBegin(c: { id: string }) {
    this.begun.push(c.id);
  }
  onCaseEnd(r: CaseResult) {
    this.ended.push(r);
  }
  onRunEnd(r: RunResult) {
    this.run = r;
  }
}

function config(extra: PartialConfig = {}) {
  return mergeConfig(
    {
      listen: '127.0.0.1:0',
      timing: { toleranceS: 4, callTimeoutMs: 5000, caseTimeoutMs: 10_000, graceMs: 200, connectTimeoutMs: 5000 },
      reporters: [],
    },
    extra,
  );
}

const features = (...f: string[]) => ({ features: { smartCharging: true, ...Object.fromEntries(f.map((x) => [x, true])) } });
const byId = (id: string) => miniCases.find((c) => c.id === id)!;
const suiteOf = (...cases: CaseDefinition[]): SuiteDefinition => defineSuite({ name: 'adhoc', block: 'Mini', cases });
/** The synthesised outside cases (issue #11): SC-X-01 first, SC-X-99 last, around any selection. */
const OUTSIDE = ['SC-X-01', 'SC-X-99'];
/** The selected cases without the synthesised ones. */
const inner = (out: RunOutput) => out.result.cases.filter((c) => !OUTSIDE.includes(c.id));
const verdicts = (out: RunOutput) => Object.fromEntries(inner(out).map((c) => [c.id, c.verdict]));
const caseOf = (out: RunOutput, id: string) => out.result.cases.find((c) => c.id === id)!;

interface Started {
  out: RunOutput;
  rec: Recorder;
  notices: string[];
  station: TestStation;
  url: string | undefined;
  ms: number;
}

/**
 * Run `suites` with the harness listening on an ephemeral loopback port; the in-test station connects
 * as soon as the runner announces where it listens (unless `connect` is false).
 */
async function runWithStation(opts: {
  suites: SuiteDefinition[];
  config?: PartialConfig;
  connect?: boolean;
  signal?: AbortSignal;
  reporter?: Reporter;
  station?: TestStation;
  onListening?: (url: string) => void;
}): Promise<Started> {
  const rec = new Recorder();
  const notices: string[] = [];
  const station = opts.station ?? new TestStation('CS-TEST-1');
  let url: string | undefined;
  const t0 = Date.now();
  try {
    const out = await runConformance({
      config: config(opts.config),
      suites: opts.suites,
      reporter: opts.reporter ?? rec,
      signal: opts.signal,
      fixturesDir: FIXTURES,
      notice: (line) => {
        notices.push(line);
        const m = /waiting for a Charging Station on (ws:\/\/\S+)\/<identity>/.exec(line);
        if (!m) return;
        url = m[1]!;
        opts.onListening?.(url);
        if (opts.connect !== false) void station.connect(url).catch(() => undefined);
      },
    });
    return { out, rec, notices, station, url, ms: Date.now() - t0 };
  } finally {
    await station.stop();
  }
}

describe('runConformance against an in-test station (harness as CSMS, --listen)', () => {
  test('mini suite: passed, failed (expected vs actual at a pointer), skipped with reason, error Timeout; later cases still run', async () => {
    const { out, rec, station } = await runWithStation({ suites: [mini], config: { device: features('miniTimeout') } });
    expect(verdicts(out)).toEqual({
      'MINI-01': 'passed',
      'MINI-02': 'failed',
      'MINI-03': 'skipped',
      'MINI-04': 'passed',
      'MINI-05': 'error',
      'MINI-06': 'passed',
      'MINI-07': 'passed',
      'MINI-08': 'skipped',
    });
    // A FAILED case makes it 1 even with an ERROR (the timeout) in the run (issue #11: failure wins).
    expect(out.exitCode).toBe(1);
    expect(out.result.cases.map((c) => c.id)).toEqual(['SC-X-01', ...mini.cases.map((c) => c.id), 'SC-X-99']);
    expect(caseOf(out, 'SC-X-01')).toMatchObject({ verdict: 'passed', title: 'Connection, boot and capability discovery', failures: [] });
    expect(caseOf(out, 'SC-X-99')).toMatchObject({ verdict: 'passed', title: 'Frames outside cases', failures: [] });

    const failed = caseOf(out, 'MINI-02');
    expect(failed.failures).toEqual([
      {
        kind: 'AssertionFailure',
        message: expect.stringContaining('MINI.FR.02: GetVariablesResponse: expected "Rejected" at /getVariableResult/0/attributeStatus, got "Accepted"'),
        rule: 'MINI.FR.02',
        pointer: '/getVariableResult/0/attributeStatus',
        expected: 'Rejected',
        actual: 'Accepted',
        step: 'compare',
      },
    ]);
    expect(failed.steps).toEqual(['GetVariables', 'compare']);
    expect(failed.frames.some((f) => f.dir === 'out' && f.type === 'CALL' && f.action === 'GetVariables')).toBe(true);
    expect(failed.frames.some((f) => f.dir === 'in' && f.type === 'CALLRESULT' && f.action === 'GetVariables')).toBe(true);

    expect(caseOf(out, 'MINI-03').reason).toBe('needs at least 99 EVSEs/connectors; device has 2');
    expect(caseOf(out, 'MINI-08').reason).toBe('needs feature "miniLongWait" (not enabled in the device profile)');
    // Inapplicable cases are judged before they begin: no onCaseBegin, no frames.
    expect(rec.begun).not.toContain('MINI-03');
    expect(caseOf(out, 'MINI-03').frames).toEqual([]);

    const timedOut = caseOf(out, 'MINI-05');
    expect(timedOut.errorType).toBe('Timeout');
    expect(timedOut.reason).toBe('case did not finish within 300 ms');
    expect(timedOut.durationMs).toBeGreaterThanOrEqual(250);
    expect(timedOut.durationMs).toBeLessThan(5000); // not the 30 s expectCall timeout

    const hb = caseOf(out, 'MINI-04');
    expect(hb.frames.some((f) => f.dir === 'in' && f.type === 'CALL' && f.action === 'Heartbeat')).toBe(true);

    const warned = caseOf(out, 'MINI-06');
    expect(warned.notes).toEqual([
      { level: 'warn', message: 'RateUnit reported as a list; OCTT accepts both spellings', rule: 'MINI.W.01' },
      { level: 'info', message: 'RateUnit = A,W' },
    ]);
    expect(caseOf(out, 'MINI-07').failures).toEqual([]);

    // Every case reported, in order; device data from BootNotification; discovery ran.
    expect(rec.ended.map((c) => c.id)).toEqual(['SC-X-01', ...mini.cases.map((c) => c.id), 'SC-X-99']);
    expect(rec.run).toBe(out.result);
    expect(rec.info).toMatchObject({ ocpp: '2.0.1', as: 'csms', total: 10 });
    expect(out.result.interrupted).toBe(false);
    expect(out.result.device).toMatchObject({ identity: 'CS-TEST-1', vendor: 'TestVendor', model: 'TestModel', firmware: '9.9', serial: 'SN-1', builtin: false, subprotocol: 'ocpp2.0.1' });
    expect(out.result.device.endpoint).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ocpp$/);
    expect(out.result.capabilities).toMatchObject({ discovered: { Enabled: 'true', RateUnit: 'A,W' }, mismatches: [] });
    expect(station.sessions).toBe(1);
  });

  test('--grep selects over id, title, requirement and tag; a passing selection exits 0', async () => {
    const { out, rec } = await runWithStation({ suites: [mini], config: { grep: 'b06\\.fr\\.01|^MINI-06|heartbeat' } });
    expect(verdicts(out)).toEqual({ 'MINI-01': 'passed', 'MINI-04': 'passed', 'MINI-06': 'passed' });
    expect(rec.info?.total).toBe(5); // SC-X-01 and SC-X-99 are never filtered out by --grep
    expect(out.result.cases.map((c) => c.id)).toEqual(['SC-X-01', 'MINI-01', 'MINI-04', 'MINI-06', 'SC-X-99']);
    expect(out.exitCode).toBe(0);
  });

  test('--bail: stops after the first failure; the remaining cases are listed as skipped "not run"', async () => {
    const getVariables: Payload[] = [];
    const station = new TestStation('CS-TEST-1');
    station.on('call', (action: string, p: Payload) => action === 'GetVariables' && getVariables.push(p));
    const { out, rec } = await runWithStation({ suites: [mini], station, config: { bail: true, device: features('miniTimeout', 'miniLongWait') } });
    expect(inner(out).map((c) => [c.id, c.verdict])).toEqual([
      ['MINI-01', 'passed'],
      ['MINI-02', 'failed'],
      ...['MINI-03', 'MINI-04', 'MINI-05', 'MINI-06', 'MINI-07', 'MINI-08'].map((id) => [id, 'skipped']),
    ]);
    for (const c of inner(out).slice(2)) {
      expect(c.reason).toBe('not run: --bail after MINI-02 failed');
      expect(c.frames).toEqual([]);
    }
    expect(rec.begun).toEqual(['SC-X-01', 'MINI-01', 'MINI-02', 'SC-X-99']);
    expect(rec.ended).toHaveLength(10);
    expect(getVariables).toHaveLength(3); // discovery, MINI-01, MINI-02: nothing after the bail
    expect(out.exitCode).toBe(1);
  });

  test('--bail also stops after an ERROR', async () => {
    const { out } = await runWithStation({ suites: [suiteOf(byId('MINI-05'), byId('MINI-01'))], config: { bail: true, device: features('miniTimeout') } });
    expect(inner(out).map((c) => [c.id, c.verdict, c.reason])).toEqual([
      ['MINI-05', 'error', 'case did not finish within 300 ms'],
      ['MINI-01', 'skipped', 'not run: --bail after MINI-05 error'],
    ]);
    expect(out.exitCode).toBe(2);
  });

  test('timing.caseTimeoutMs (--timeout) applies to cases without their own timeout', async () => {
    const { out } = await runWithStation({
      suites: [suiteOf(byId('MINI-08'), byId('MINI-01'))],
      config: { device: features('miniLongWait'), timing: { caseTimeoutMs: 300 } },
    });
    expect(inner(out).map((c) => [c.id, c.verdict, c.errorType, c.reason])).toEqual([
      ['MINI-08', 'error', 'Timeout', 'case did not finish within 300 ms'],
      ['MINI-01', 'passed', undefined, undefined],
    ]);
  });

  test('reconnect: the station drops the connection and comes back; the runner takes the new session of the same identity', async () => {
    let firstSession: unknown;
    let url = '';
    const suite = suiteOf(
      defineCase({
        id: 'R-01',
        title: 'Reset; the station drops the connection after answering',
        ocpp: ['2.0.1'],
        as: 'csms',
        async run(t) {
          const s = (firstSession = t.session);
          const res = await t.call<{ status: string }>('Reset', { type: 'Immediate' });
          t.assert.equal(res.status, 'Accepted', 'ResetResponse.status', { rule: 'test' });
          // Ends once the old connection is gone: the reconnect happens between cases.
          const closed = await s.closed;
          t.assert.equal(closed.code, 1000, 'close code', { rule: 'test' });
        },
      }),
      defineCase({
        id: 'R-02',
        title: 'The next case runs on the new connection',
        ocpp: ['2.0.1'],
        as: 'csms',
        async run(t) {
          t.assert.ok(t.session !== firstSession, 'a new session', { rule: 'test' });
          t.assert.ok(t.session.isOpen, 'the session is open', { rule: 'test' });
          // The runner hands the new session to this case at once; a rebooted station is addressed
          // once it has booted (a CALL racing the handshake would meet a station without handlers).
          const boot = await t.expectCall('BootNotification', { timeoutMs: 5000 });
          t.assert.equal(boot.payload.reason, 'RemoteReset', 'BootNotificationRequest.reason', { rule: 'test' });
          const r = await t.call<{ getVariableResult: Payload[] }>('GetVariables', { getVariableData: [{ component: { name: 'SmartChargingCtrlr' }, variable: { name: 'Enabled' } }] });
          t.assert.equal(r.getVariableResult[0]!.attributeValue, 'true', 'Enabled', { rule: 'test' });
        },
      }),
      defineCase({
        id: 'R-03',
        title: 'Reconnect inside a case: BootNotification of the new session reaches the case',
        ocpp: ['2.0.1'],
        as: 'csms',
        async run(t) {
          const before = t.session;
          await t.call('Reset', { type: 'Immediate' });
          const boot = await t.expectCall('BootNotification', { timeoutMs: 5000 });
          t.assert.equal(boot.payload.reason, 'RemoteReset', 'BootNotificationRequest.reason', { rule: 'test' });
          t.assert.ok(t.session !== before, 'the case follows the new session', { rule: 'test' });
          await t.call('GetVariables', { getVariableData: [{ component: { name: 'SmartChargingCtrlr' }, variable: { name: 'Available' } }] });
        },
      }),
      defineCase({
        id: 'R-04',
        title: 'Another identity is refused while the run tests CS-TEST-1',
        ocpp: ['2.0.1'],
        as: 'csms',
        async run(t) {
          const intruder = await connectStation({ url, identity: 'CS-INTRUDER', versions: ['2.0.1'] });
          const closed = await intruder.closed;
          t.assert.equal(closed.code, 1008, 'close code for a foreign identity', { rule: 'test' });
          t.assert.ok(t.session.identity === 'CS-TEST-1' && t.session.isOpen, 'the tested station keeps its session', { rule: 'test' });
        },
      }),
    );
    const { out, notices, station } = await runWithStation({ suites: [suite], onListening: (u) => (url = u) });
    expect(out.result.cases.map((c) => [c.id, c.verdict, c.reason, c.failures])).toEqual([
      ['SC-X-01', 'passed', undefined, []],
      ['R-01', 'passed', undefined, []],
      ['R-02', 'passed', undefined, []],
      ['R-03', 'passed', undefined, []],
      ['R-04', 'passed', undefined, []],
      ['SC-X-99', 'passed', undefined, []],
    ]);
    expect(out.exitCode).toBe(0);
    expect(station.sessions).toBe(3);
    expect(notices.filter((n) => n === 'station CS-TEST-1 reconnected')).toHaveLength(2);
    expect(notices).toContain('refused station "CS-INTRUDER": this run tests "CS-TEST-1"');
    expect(out.result.device.identity).toBe('CS-TEST-1');
  });

  test('a station that never connects: every case ERROR ConnectionError, exit code 2', async () => {
    const { out, rec, ms } = await runWithStation({ suites: [mini], connect: false, config: { timing: { connectTimeoutMs: 300 } } });
    expect(out.exitCode).toBe(2);
    expect(out.result.cases).toHaveLength(10);
    for (const c of inner(out).concat(caseOf(out, 'SC-X-99'))) {
      expect(c.verdict).toBe('error');
      expect(c.errorType).toBe('ConnectionError');
      expect(c.reason).toMatch(/^not run: no Charging Station connected to ws:\/\/127\.0\.0\.1:\d+\/ocpp within 300 ms$/);
    }
    // Unreachable device: SC-X-01 is the ERROR that says so.
    expect(caseOf(out, 'SC-X-01')).toMatchObject({ verdict: 'error', errorType: 'ConnectionError', reason: expect.stringMatching(/^peer unavailable: no Charging Station connected/) });
    expect(rec.ended).toHaveLength(10);
    expect(rec.begun).toEqual(['SC-X-01', 'SC-X-99']);
    expect(ms).toBeLessThan(5000);
  });

  describe('interrupted run', () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-runner-'))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    test('abort mid-case: that case ERROR Interrupted, the rest ERROR not run, exit 130, complete results.json and valid junit.xml', async () => {
      const ac = new AbortController();
      const station = new TestStation('CS-TEST-1');
      let abortedAt = 0;
      station.on('call', (action: string, p: Payload) => {
        const d = (p.getVariableData as Payload[] | undefined)?.[0];
        if (action === 'GetVariables' && (d?.component as Payload | undefined)?.name === 'MiniSuite') {
          setImmediate(() => {
            abortedAt = Date.now();
            ac.abort('SIGINT');
          });
        }
      });
      const stream = new MemoryStream(false);
      const reporter = createReporters(['console', 'junit', 'json'], { outDir: dir, stream, env: {} });
      const { out } = await runWithStation({
        suites: [suiteOf(byId('MINI-01'), byId('MINI-08'), byId('MINI-06'), byId('MINI-03'))],
        station,
        reporter,
        signal: ac.signal,
        config: { device: features('miniLongWait') },
      });
      expect(abortedAt).toBeGreaterThan(0);
      expect(Date.now() - abortedAt).toBeLessThan(5000);
      expect(reporter.lastError()).toBeUndefined();
      expect(out.result.interrupted).toBe(true);
      expect(out.exitCode).toBe(130);
      expect(out.result.cases.map((c) => [c.id, c.verdict, c.errorType, c.reason])).toEqual([
        ['SC-X-01', 'passed', undefined, undefined],
        ['MINI-01', 'passed', undefined, undefined],
        ['MINI-08', 'error', 'Interrupted', 'interrupted by SIGINT'],
        ['MINI-06', 'error', 'Interrupted', 'not run: run interrupted'],
        ['MINI-03', 'error', 'Interrupted', 'not run: run interrupted'],
        ['SC-X-99', 'error', 'Interrupted', 'run interrupted'],
      ]);
      // The interrupted case keeps its evidence.
      expect(caseOf(out, 'MINI-08').frames.some((f) => f.action === 'GetVariables')).toBe(true);

      const doc = JSON.parse(fs.readFileSync(path.join(dir, 'results.json'), 'utf8'));
      // Issue #15 §2: the two cases never started are not run, apart from the errors.
      expect(doc.summary).toEqual({ passed: 2, failed: 0, skipped: 0, errors: 2, warnings: 0, notRun: 2 });
      expect(doc.run.interrupted).toBe(true);
      expect(doc.cases.map((c: { id: string; verdict: string; errorType: string | null }) => [c.id, c.verdict, c.errorType])).toEqual([
        ['SC-X-01', 'passed', null],
        ['MINI-01', 'passed', null],
        ['MINI-08', 'error', 'Interrupted'],
        ['MINI-06', 'error', 'Interrupted'],
        ['MINI-03', 'error', 'Interrupted'],
        ['SC-X-99', 'error', 'Interrupted'],
      ]);
      const xml = fs.readFileSync(path.join(dir, 'junit.xml'), 'utf8');
      const v = await validateJUnit(xml);
      expect(v.errors).toEqual([]);
      expect(v.valid).toBe(true);
      expect(xml.match(/<testcase /g)).toHaveLength(6);
      expect(xml.match(/type="Interrupted"/g)).toHaveLength(4);
      expect(stream.text).toContain('2 passed, 0 failed, 0 skipped, 2 errors, 2 not run (interrupted)');
      expect(fs.readdirSync(dir).sort()).toEqual(['junit.xml', 'results.json', 'traces']); // no temp files left
    });

    test('abort while waiting for the station: every case ERROR Interrupted, exit 130, promptly', async () => {
      const ac = new AbortController();
      const { out, ms } = await runWithStation({
        suites: [mini],
        connect: false,
        signal: ac.signal,
        config: { timing: { connectTimeoutMs: 30_000 } },
        onListening: () => setImmediate(() => ac.abort('SIGTERM')),
      });
      expect(ms).toBeLessThan(5000);
      expect(out.exitCode).toBe(130);
      expect(out.result.interrupted).toBe(true);
      expect(out.result.cases.length).toBeGreaterThan(0);
      for (const c of inner(out)) expect([c.verdict, c.errorType, c.reason]).toEqual(['error', 'Interrupted', 'not run: run interrupted']);
      expect([caseOf(out, 'SC-X-01').verdict, caseOf(out, 'SC-X-01').errorType]).toEqual(['error', 'Interrupted']);
    });
  });
});

describe('runConformance against the built-in reference station', () => {
  test('mini suite, no --listen/--url: built-in peer, one FAILED case, exit 1', async () => {
    const rec = new Recorder();
    const notices: string[] = [];
    const out = await runConformance({
      config: mergeConfig({ timing: { toleranceS: 4, callTimeoutMs: 5000, caseTimeoutMs: 10_000, graceMs: 5000, connectTimeoutMs: 5000 } }),
      suites: [mini],
      reporter: rec,
      builtinPeers: builtinPeers(),
      fixturesDir: FIXTURES,
      notice: (l) => notices.push(l),
    });
    expect(verdicts(out)).toEqual({
      'MINI-01': 'passed',
      'MINI-02': 'failed',
      'MINI-03': 'skipped',
      'MINI-04': 'passed',
      'MINI-05': 'skipped',
      'MINI-06': 'passed',
      'MINI-07': 'passed',
      'MINI-08': 'skipped',
    });
    expect(out.exitCode).toBe(1);
    expect(out.result.device).toMatchObject({ builtin: true, identity: 'CS-BUILTIN-1', vendor: 'ocpp-conformance', model: 'ReferenceStation' });
    expect(notices.some((n) => n.startsWith('testing the built-in reference Charging Station'))).toBe(true);
  });

  test('no built-in peer factory: peer unavailable, exit 2', async () => {
    const out = await runConformance({ config: mergeConfig({}), suites: [mini], reporter: new Recorder(), fixturesDir: FIXTURES });
    expect(out.exitCode).toBe(2);
    expect(out.result.cases.length).toBeGreaterThan(0);
    for (const c of inner(out)) expect([c.verdict, c.errorType, c.reason]).toEqual(['error', 'ConnectionError', 'not run: no built-in reference station available']);
    expect(caseOf(out, 'SC-X-01')).toMatchObject({ verdict: 'error', errorType: 'ConnectionError', reason: 'peer unavailable: no built-in reference station available' });
  });
});

describe('runConformance as station against an unreachable CSMS (--url)', () => {
  test('connection refused: every case ERROR ConnectionError, exit 2', async () => {
    const net = await import('node:net');
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const notices: string[] = [];
    const stationCase = defineCase({ id: 'ST-01', title: 'station side', ocpp: ['2.0.1'], as: 'station', async run() {} });
    const out = await runConformance({
      config: mergeConfig({ as: 'station', url: `ws://127.0.0.1:${port}/ocpp`, timing: { toleranceS: 4, callTimeoutMs: 2000, caseTimeoutMs: 2000, graceMs: 100, connectTimeoutMs: 2000 } }),
      suites: [suiteOf(stationCase, { ...stationCase, id: 'ST-02' })],
      reporter: new Recorder(),
      fixturesDir: FIXTURES,
      notice: (l) => notices.push(l),
    });
    expect(out.exitCode).toBe(2);
    expect(out.result.cases.map((c) => [c.id, c.verdict, c.errorType])).toEqual([
      ['SC-X-01', 'error', 'ConnectionError'],
      ['ST-01', 'error', 'ConnectionError'],
      ['ST-02', 'error', 'ConnectionError'],
      ['SC-X-99', 'error', 'ConnectionError'],
    ]);
    expect(out.result.cases[1]!.reason).toMatch(new RegExp(`^not run: cannot connect to ws://127\\.0\\.0\\.1:${port}/ocpp/CS-CONFORMANCE-1`));
    expect(notices.some((n) => n.startsWith('peer unavailable: cannot connect'))).toBe(true);
  });
});

describe('exitCodeOf', () => {
  const result = (verdicts: CaseResult['verdict'][], interrupted = false) =>
    ({ interrupted, cases: verdicts.map((verdict, i) => ({ id: `C-${i}`, verdict })) }) as unknown as RunResult;
  test.each([
    [[], false, false, 0],
    [['passed', 'skipped'], false, false, 0],
    [['passed', 'failed', 'skipped'], false, false, 1],
    // issue #11: a failure wins over an ERROR and over an unreachable peer (1, not 2).
    [['passed', 'failed', 'error'], false, false, 1],
    [['failed'], false, true, 1],
    [['passed', 'error'], false, false, 2],
    [['passed'], false, true, 2],
    [['failed', 'error'], true, false, 130],
    [['passed'], true, true, 130],
  ] as const)('%j interrupted=%s peerUnavailable=%s → %i', (v, interrupted, unavailable, code) => {
    expect(exitCodeOf(result([...v], interrupted), unavailable)).toBe(code);
  });
});

describe('selection', () => {
  const ids = (grep?: string, extra: Partial<{ ocpp: '1.6' | '2.0.1'; as: 'csms' | 'station' }> = {}) =>
    selectCases([mini], { ocpp: '2.0.1', as: 'csms', grep, ...extra }).map((s) => s.def.id);
  test('grep is a case-insensitive regex over id, title, OCTT id, requirements and tags', () => {
    expect(ids()).toHaveLength(8);
    expect(ids('MINI-0[12]')).toEqual(['MINI-01', 'MINI-02']);
    expect(ids('triggered heartbeat')).toEqual(['MINI-04']);
    expect(ids('mini\\.fr\\.02')).toEqual(['MINI-02']);
    expect(ids('^long-wait$')).toEqual([]); // the haystack is one string: ^ anchors at the id
    expect(ids('long-wait')).toEqual(['MINI-08']);
  });
  test('only cases of the version and side of the run', () => {
    expect(ids(undefined, { ocpp: '1.6' })).toEqual([]);
    expect(ids(undefined, { as: 'station' })).toEqual([]);
  });
  test('duplicate ids are refused', () => {
    expect(() => selectCases([mini, mini], { ocpp: '2.0.1', as: 'csms' })).toThrow('duplicate case id MINI-01 in suite mini');
  });
  test('loadSuites loads the TypeScript suite file by path', () => {
    const [s] = loadSuites([path.join('test', 'runner', 'fixtures', 'mini-suite.ts')], path.join(__dirname, '..', '..'));
    expect(s!.name).toBe('mini');
    expect(s!.cases.map((c) => c.id)).toEqual(mini.cases.map((c) => c.id));
    expect(() => loadSuites(['no-such-suite'])).toThrow(/neither a built-in suite .* nor a file/);
  });
});

describe('config', () => {
  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-config-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: unknown) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
    return f;
  };

  test('validation errors name the field', () => {
    const f = file('bad.json', { device: { evses: 1.5, bogus: true }, timing: { callTimeoutMs: 'soon' } });
    let err: unknown;
    try {
      loadConfigFile(f);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg.startsWith(`${f}: `)).toBe(true);
    expect(msg).toContain('/device/evses must be integer');
    expect(msg).toContain('/device/bogus is not a known setting');
    expect(msg).toContain('/timing/callTimeoutMs must be integer');
  });

  test('unknown top-level keys, bad enums and patterns are named too', () => {
    expect(() => validateConfig({ colour: true }, 'x')).toThrow('x: /colour is not a known setting');
    // Issue #15 §4: the bad value and the allowed ones; the expected form instead of a regex; the nearest known key.
    expect(() => validateConfig({ ocpp: '2.0' }, 'x')).toThrow('x: /ocpp "2.0" is not one of the allowed values: "1.6", "2.0.1", "2.1"');
    expect(() => validateConfig({ listen: 'localhost' }, 'x')).toThrow('x: /listen "localhost": expected HOST:PORT or PORT (e.g. 0.0.0.0:9000, or 9000 for 127.0.0.1:9000)');
    expect(() => validateConfig({ reporters: ['junit', 'xml'] }, 'x')).toThrow(/\/reporters\/1 "xml" is not one of the allowed values: "console", "junit", "json", "html", "github"/);
    expect(() => validateConfig({ timing: { gracems: 1 } }, 'x')).toThrow('x: /timing/gracems is not a known setting (did you mean "graceMs"?)');
    expect(() => validateConfig({ stationActions: { plugin: { type: 'manual' } } }, 'x')).toThrow('(did you mean "plugIn"?)');
    expect(() => validateConfig({ colour: true }, 'x')).toThrow(/^x: \/colour is not a known setting$/);
    expect(validateConfig({ listen: '9000' }, 'x')).toEqual({ listen: '9000' });
  });

  test('parseListen: HOST:PORT, :PORT, or a bare PORT on loopback (issue #15 §4)', () => {
    expect(parseListen('0.0.0.0:9000')).toEqual({ host: '0.0.0.0', port: 9000 });
    expect(parseListen(':9000')).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(parseListen('9000')).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(() => parseListen('1.2.3.4:70000')).toThrow(/expected HOST:PORT or PORT/);
  });

  test('unreadable and non-JSON files are ConfigErrors', () => {
    expect(() => loadConfigFile(path.join(dir, 'missing.json'))).toThrow(/cannot read config file .*missing\.json: ENOENT/);
    expect(() => loadConfigFile(file('broken.json', '{ "ocpp": '))).toThrow(/broken\.json: not valid JSON/);
  });

  test('mergeConfig: defaults < file < CLI, nested objects merged one level deep', () => {
    const fromFile = loadConfigFile(
      file('good.json', { ocpp: '1.6', identity: 'CS-FILE', device: { evses: 4 }, timing: { callTimeoutMs: 1000, graceMs: 10 }, reporters: ['json'] }),
    );
    const fromCli: PartialConfig = { ocpp: '2.0.1', timing: { caseTimeoutMs: 5 }, bail: true, grep: undefined };
    const c = mergeConfig(fromFile, fromCli);
    expect(c.ocpp).toBe('2.0.1'); // CLI over file
    expect(c.identity).toBe('CS-FILE'); // file over default
    expect(c.bail).toBe(true);
    expect(c.reporters).toEqual(['json']);
    expect(c.device).toEqual({ ...DEFAULT_CONFIG.device, evses: 4 });
    expect(c.timing).toEqual({ ...DEFAULT_CONFIG.timing, callTimeoutMs: 1000, graceMs: 10, caseTimeoutMs: 5 });
    expect(c.as).toBe('csms');
    expect(c.out).toBe('reports');
    // The defaults themselves are never mutated.
    c.device.evses = 9;
    c.timing.graceMs = 1;
    expect(DEFAULT_CONFIG.device.evses).toBe(2);
    expect(mergeConfig().timing.graceMs).toBe(5000);
  });
});
