import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { validateJUnit } from '../report/helpers';
import { LONG_WAIT_MARKER } from '../runner/fixtures/mini-suite';
import { MINI, PKG, cli, ensureBuilt, killChildren } from './helpers';

let tmp: string;

beforeAll(ensureBuilt, 320_000);
beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-cli-'))));
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));
afterAll(killChildren);

describe('ocpp-conformance CLI', () => {
  test('--help and --version exit 0', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: ocpp-conformance');
    expect(help.stdout).toContain('run [options]');
    const runHelp = await cli(['run', '--help']);
    expect(runHelp.code).toBe(0);
    for (const flag of ['--config', '--ocpp', '--as', '--listen', '--url', '--identity', '--password', '--suite', '--grep', '--list', '--reporter', '--out', '--timeout', '--bail']) {
      expect(runHelp.stdout).toContain(flag);
    }
    const version = await cli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(PKG.version);
  });

  test('usage errors exit 2', async () => {
    const unknown = await cli(['run', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--bogus'");
    const badChoice = await cli(['run', '--ocpp', '3.0', '--list']);
    expect(badChoice.code).toBe(2);
    expect(badChoice.stderr).toMatch(/--ocpp <version>.*3\.0.*invalid/s);
    const badTimeout = await cli(['run', '--timeout', '-5', '--list']);
    expect(badTimeout.code).toBe(2);
    expect(badTimeout.stderr).toContain('--timeout -5: expected a positive integer (ms)');
    const listenAsStation = await cli(['run', '--as', 'station', '--listen', '127.0.0.1:0']);
    expect(listenAsStation.code).toBe(2);
    expect(listenAsStation.stderr).toContain('--listen is for --as csms');
    const noSuite = await cli(['run', '--suite', 'nope', '--list']);
    expect(noSuite.code).toBe(2);
    expect(noSuite.stderr).toContain('suite "nope" is neither a built-in suite');
    const badReporter = await cli(['run', '--suite', MINI, '--reporter', 'xml', '--out', tmp], { cwd: tmp });
    expect(badReporter.code).toBe(2);
    expect(badReporter.stderr).toMatch(/\/reporters\/0 "xml" is not one of the allowed values: "console", "junit", "json"/);
  });

  test('run --list prints the built-in SmartCharging cases without connecting, exit 0', async () => {
    const r = await cli(['run', '--list'], { cwd: tmp });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^SC-201-07\tBulk install and GetChargingProfiles pagination with tbc \[TC_K_29_CS\]\t/m);
    expect(r.stdout).toMatch(/^SC-X-02\t/m);
    expect(r.stdout).toMatch(/^\d+ case\(s\) for OCPP 2\.0\.1, harness as csms$/m);
    // issue #12: the list ends with the OCTT coverage of the station suite.
    expect(r.stdout).toMatch(/\nOCTT TC_K_\*_CS covered: \d+ \(TC_K_01_CS, .*TC_K_13_CS, .*\)\n$/);
    expect(r.stderr).not.toMatch(/built-in reference|waiting for/);
    expect(fs.readdirSync(tmp)).toEqual([]); // no reports written
    expect(r.ms).toBeLessThan(10_000);
  });

  test('run --list --grep SC-201-07 prints exactly that case', async () => {
    const r = await cli(['run', '--list', '--grep', 'SC-201-07'], { cwd: tmp });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    // issue #11: SC-X-01 and SC-X-99 judge what happens outside the cases; --grep never filters them out.
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe('SC-X-01\tConnection, boot and capability discovery\t');
    expect(lines[1]).toMatch(/^SC-201-07\t/);
    expect(lines[2]).toBe('SC-X-99\tFrames outside cases\t');
    expect(lines[3]).toBe('3 case(s) for OCPP 2.0.1, harness as csms');
    // issue #12: the OCTT coverage of what is listed.
    expect(lines[4]).toBe('OCTT TC_K_*_CS covered: 3 (TC_K_29_CS, TC_K_30_CS, TC_K_31_CS)');
  });

  test('run --suite <file.ts> --list loads a TypeScript suite without a build step', async () => {
    const r = await cli(['run', '--suite', 'test/runner/fixtures/mini-suite.ts', '--list']);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^MINI-0\d\t/gm)).toHaveLength(8);
    expect(r.stdout).toContain('MINI-01\tGetVariables SmartChargingCtrlr.Enabled is answered\tB06.FR.01\n');
    expect(r.stdout).toContain('10 case(s) for OCPP 2.0.1, harness as csms');
    const grep = await cli(['run', '--suite', MINI, '--suite', 'smartcharging', '--list', '--grep', '^(MINI-04|SC-201-07)\\n'], { cwd: tmp });
    expect(grep.code).toBe(0);
    expect(grep.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[0])).toEqual(['SC-X-01', 'MINI-04', 'SC-201-07', 'SC-X-99', '4 case(s) for OCPP 2.0.1, harness as csms', 'OCTT TC_K_*_CS covered: 3 (TC_K_29_CS, TC_K_30_CS, TC_K_31_CS)']);
  });

  test('a bad --config file exits 2 and names the field', async () => {
    const cfg = path.join(tmp, 'device.json');
    fs.writeFileSync(cfg, JSON.stringify({ device: { evses: 'two', colour: 'red' } }));
    const r = await cli(['run', '--config', cfg, '--list'], { cwd: tmp });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/device/evses must be integer');
    expect(r.stderr).toContain('/device/colour is not a known setting');
    const missing = await cli(['run', '--config', path.join(tmp, 'nope.json'), '--list'], { cwd: tmp });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read config file .*nope\.json: ENOENT/);
  });

  test('run --suite <mini> --out DIR against the built-in station: console, XSD-valid junit.xml, results.json, exit 1', async () => {
    const out = path.join(tmp, 'reports');
    const r = await cli(['run', '--as', 'csms', '--suite', MINI, '--out', out], { cwd: tmp });
    expect(r.stderr).toContain('testing the built-in reference Charging Station (OCPP 2.0.1)');
    expect(r.code).toBe(1);
    // Console
    expect(r.stdout).toContain('Running 10 cases · OCPP 2.0.1 · harness as csms · built-in reference peer');
    expect(r.stdout).toMatch(/✓ passed {2}MINI-01 /);
    expect(r.stdout).toMatch(/✗ failed {2}MINI-02 /);
    expect(r.stdout).toContain('expected: "Rejected"');
    expect(r.stdout).toContain('actual:   "Accepted"');
    expect(r.stdout).toContain('skipped: needs at least 99 EVSEs/connectors; device has 2');
    expect(r.stdout).toContain('warn: RateUnit reported as a list; OCTT accepts both spellings (MINI.W.01)');
    expect(r.stdout).toMatch(/\ntested: 4 of 8 cases; 4 skipped \(1: needs at least 99 EVSEs[^\n]*; 1 more reason\)\n5 passed \(1 with warnings\), 1 failed, 4 skipped\n$/);
    expect(r.stdout).not.toMatch(/\u001b\[/); // NO_COLOR
    // results.json
    expect(fs.readdirSync(out).sort()).toEqual(['junit.xml', 'report.html', 'results.json', 'traces']);
    const doc = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'));
    expect(doc.summary).toEqual({ passed: 5, failed: 1, skipped: 4, errors: 0, warnings: 1, notRun: 0 });
    expect(doc.run).toMatchObject({ ocpp: '2.0.1', as: 'csms', interrupted: false });
    expect(doc.device).toMatchObject({ builtin: true, identity: 'CS-BUILTIN-1', vendor: 'ocpp-conformance' });
    expect(doc.cases.map((c: { id: string; verdict: string }) => `${c.id}:${c.verdict}`)).toEqual([
      'SC-X-01:passed',
      'MINI-01:passed',
      'MINI-02:failed',
      'MINI-03:skipped',
      'MINI-04:passed',
      'MINI-05:skipped',
      'MINI-06:passed',
      'MINI-07:skipped',
      'MINI-08:skipped',
      'SC-X-99:passed',
    ]);
    expect(doc.cases[2].failures[0]).toMatchObject({ pointer: '/getVariableResult/0/attributeStatus', expected: 'Rejected', actual: 'Accepted' });
    // junit.xml
    const xml = fs.readFileSync(path.join(out, 'junit.xml'), 'utf8');
    const v = await validateJUnit(xml);
    expect(v.errors).toEqual([]);
    expect(v.valid).toBe(true);
    expect(xml.match(/<testcase /g)).toHaveLength(10);
    expect(xml.match(/<failure /g)).toHaveLength(1);
    expect(xml.match(/<skipped\/>/g)).toHaveLength(4);
    expect(xml).toContain('classname="ocpp2.0.1.csms.Mini"');
  });

  test('--reporter json --grep --bail: only results.json, the bail is reported, exit 1', async () => {
    const out = path.join(tmp, 'r');
    const r = await cli(['run', '--suite', MINI, '--reporter', 'json', '--out', out, '--grep', 'MINI-0[1-4]', '--bail'], { cwd: tmp });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(fs.readdirSync(out).sort()).toEqual(['results.json', 'traces']);
    const doc = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'));
    expect(doc.cases.map((c: { id: string; verdict: string; reason: string | null }) => [c.id, c.verdict, c.reason])).toEqual([
      ['SC-X-01', 'passed', null],
      ['MINI-01', 'passed', null],
      ['MINI-02', 'failed', null],
      ['MINI-03', 'skipped', 'not run: --bail after MINI-02 failed'],
      ['MINI-04', 'skipped', 'not run: --bail after MINI-02 failed'],
      ['SC-X-99', 'passed', null],
    ]);
  });

  test('--listen: no station connects within the connect timeout → every case ERROR, exit 2', async () => {
    const cfg = path.join(tmp, 'cfg.json');
    fs.writeFileSync(cfg, JSON.stringify({ timing: { connectTimeoutMs: 300 } }));
    const out = path.join(tmp, 'r');
    const r = await cli(['run', '--config', cfg, '--listen', '127.0.0.1:0', '--suite', MINI, '--grep', 'MINI-0[12]', '--reporter', 'json', '--out', out], { cwd: tmp });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/waiting for a Charging Station on ws:\/\/127\.0\.0\.1:\d+\/ocpp\/<identity>/);
    expect(r.stderr).toMatch(/peer unavailable: no Charging Station connected to ws:\/\/127\.0\.0\.1:\d+\/ocpp within 300 ms/);
    const doc = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'));
    // SC-X-01 (peer unavailable), the two cases and SC-X-99 (not run).
    // Issue #15 §2: the cases never started are counted as not run, apart from the errors.
    expect(doc.summary).toEqual({ passed: 0, failed: 0, skipped: 0, errors: 1, warnings: 0, notRun: 3 });
  });

  test('--timeout MS bounds a case without its own timeout: ERROR Timeout, exit 2', async () => {
    const cfg = path.join(tmp, 'long.json');
    fs.writeFileSync(cfg, JSON.stringify({ device: { features: { smartCharging: true, miniLongWait: true } } }));
    const out = path.join(tmp, 'r');
    const r = await cli(['run', '--config', cfg, '--suite', MINI, '--grep', 'MINI-0[18]', '--timeout', '400', '--reporter', 'console,json', '--out', out], { cwd: tmp });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('Timeout: case did not finish within 400 ms');
    const doc = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'));
    expect(doc.cases.map((c: { id: string; verdict: string; errorType: string | null }) => [c.id, c.verdict, c.errorType])).toEqual([
      ['SC-X-01', 'passed', null],
      ['MINI-01', 'passed', null],
      ['MINI-08', 'error', 'Timeout'],
      ['SC-X-99', 'passed', null],
    ]);
  });

  describe.each(['SIGINT', 'SIGTERM'] as const)('%s mid-case', (sig) => {
    test('exit 130, the case ERROR Interrupted, complete results.json and XSD-valid junit.xml', async () => {
      const cfg = path.join(tmp, 'long.json');
      fs.writeFileSync(cfg, JSON.stringify({ device: { features: { smartCharging: true, miniLongWait: true } } }));
      const out = path.join(tmp, 'reports');
      let sentAt = 0;
      let reportBeforeSignal: boolean | undefined;
      const r = await cli(['run', '--config', cfg, '--suite', MINI, '--grep', 'MINI-0[168]', '--out', out], {
        cwd: tmp,
        onStderr: (text, child) => {
          if (!sentAt && text.includes(LONG_WAIT_MARKER)) {
            // The case is under way and no report exists yet.
            reportBeforeSignal = fs.existsSync(path.join(out, 'results.json'));
            sentAt = Date.now();
            child.kill(sig);
          }
        },
      });
      expect(sentAt).toBeGreaterThan(0);
      expect(reportBeforeSignal).toBe(false);
      expect(r.signal).toBeNull();
      expect(r.code).toBe(130);
      expect(Date.now() - sentAt).toBeLessThan(10_000);
      expect(r.stderr).toContain(`${sig}: stopping the current case and writing reports`);
      expect(r.stdout).toContain(`Interrupted: interrupted by ${sig}`);
      expect(r.stdout).toMatch(/\ntested: 2 of 3 cases; 1 errored\n3 passed \(1 with warnings\), 0 failed, 0 skipped, 2 errors \(interrupted\)\n$/);

      expect(fs.readdirSync(out).sort()).toEqual(['junit.xml', 'report.html', 'results.json', 'traces']);
      const doc = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'));
      expect(doc.summary).toEqual({ passed: 3, failed: 0, skipped: 0, errors: 2, warnings: 1, notRun: 0 });
      expect(doc.run.interrupted).toBe(true);
      expect(doc.cases.map((c: { id: string; verdict: string; errorType: string | null; reason: string | null }) => [c.id, c.verdict, c.errorType, c.reason])).toEqual([
        ['SC-X-01', 'passed', null, null],
        ['MINI-01', 'passed', null, null],
        ['MINI-06', 'passed', null, null],
        ['MINI-08', 'error', 'Interrupted', `interrupted by ${sig}`],
        // SC-X-99 could not watch the rest of the run.
        ['SC-X-99', 'error', 'Interrupted', 'run interrupted'],
      ]);
      const xml = fs.readFileSync(path.join(out, 'junit.xml'), 'utf8');
      const v = await validateJUnit(xml);
      expect(v.errors).toEqual([]);
      expect(v.valid).toBe(true);
      expect(xml).toMatch(/<error message="interrupted by SIG(INT|TERM)[^"]*" type="Interrupted"/);
    });
  });
});
