/**
 * Issue #15 §2 (CI gates, tested line), §3 (run --coverage) and §4 (CLI polish as a new user meets it),
 * through the built CLI.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BIN, MINI, ROOT, childEnv, cli, ensureBuilt, killChildren } from './helpers';

let tmp: string;

beforeAll(ensureBuilt, 320_000);
beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-ci-'))));
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));
afterAll(killChildren);

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

describe('CI gates (issue #15 §2)', () => {
  test('--fail-on-skip / --max-skipped N: a skipped case makes exit 2 with the reason; the tested line says how much ran', async () => {
    const args = ['run', '--suite', MINI, '--grep', 'MINI-0[13]', '--reporter', 'console', '--out', tmp];
    const plain = await cli(args, { cwd: tmp });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('tested: 1 of 2 cases; 1 skipped (1: needs at least 99 EVSEs/connectors; device has 2)\n');
    const gated = await cli([...args, '--fail-on-skip'], { cwd: tmp });
    expect(gated.code).toBe(2);
    expect(gated.stderr).toContain('1 case skipped, more than the 0 allowed (--fail-on-skip): exit 2');
    const allowed = await cli([...args, '--max-skipped', '1'], { cwd: tmp });
    expect(allowed.code).toBe(0);
    const bad = await cli([...args, '--max-skipped', 'some'], { cwd: tmp });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-skipped some: expected a whole number');
  });

  test('a failure still exits 1 under the gate (a failure wins)', async () => {
    const r = await cli(['run', '--suite', MINI, '--grep', 'MINI-0[23]', '--reporter', 'console', '--out', tmp, '--fail-on-skip'], { cwd: tmp });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('more than the 0 allowed');
  });
});

describe('--reporter github in a real run (issue #15 §2)', () => {
  test('annotations on stdout and the job summary appended to $GITHUB_STEP_SUMMARY', async () => {
    const summary = path.join(tmp, 'summary.md');
    const r = await cli(['run', '--suite', MINI, '--grep', 'MINI-0[236]', '--reporter', 'github', '--out', tmp], { cwd: tmp, env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('::error title=FAIL MINI-02 '))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('::warning title=WARN MINI-06 '))).toHaveLength(1);
    expect(lines.at(-1)).toMatch(/^::notice title=ocpp-conformance OCPP 2\.0\.1 as csms::tested: 2 of 3 cases; 1 skipped/);
    const md = fs.readFileSync(summary, 'utf8');
    expect(md).toContain('## OCPP conformance: OCPP 2.0.1, harness as csms');
    expect(md).toMatch(/\| MINI-02 [^|]+ \| FAIL \|/);
  });
});

describe('run --coverage (issue #15 §3)', () => {
  test('every OCTT SmartCharging id of 2.0.1 / station under test with its status; results.json carries the same', async () => {
    const r = await cli(['run', '--grep', '^SC-201-01\\n', '--coverage', '--reporter', 'console,json', '--out', tmp], { cwd: tmp, timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('OCTT SmartCharging coverage, OCPP 2.0.1, Charging Station under test (38 OCTT test cases):');
    expect(r.stdout).toMatch(/\n {2}TC_K_01_CS {2}pass {12}SC-201-01 passed\n/);
    expect(r.stdout).toMatch(/\n {2}TC_K_02_CS {2}not run {9}SC-201-02: not selected in this run\n/);
    expect(r.stdout).toMatch(/\n {2}TC_K_15_CS {2}not covered {5}no case of this harness performs its checks\n/);
    const doc = readJson(path.join(tmp, 'results.json'));
    expect(doc.octtCoverage).toHaveLength(38);
    expect(doc.octtCoverage[0]).toEqual({ octt: 'TC_K_01_CS', status: 'pass', cases: [{ id: 'SC-201-01', verdict: 'passed' }] });
  }, 70_000);

  test('--list --coverage prints the mapping without connecting', async () => {
    const r = await cli(['run', '--list', '--coverage', '--ocpp', '1.6'], { cwd: tmp });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('OCTT SmartCharging coverage, OCPP 1.6, Charging Station under test (10 OCTT test cases):');
    expect(r.stdout).toMatch(/\n {2}TC_056_CS {4}not run {9}SC-16-01: listed, not run\n/);
    expect(fs.readdirSync(tmp)).toEqual([]);
    // Applicability from the declared profile: a device declaring only A makes SC-201-04 (TC_K_12_CS) applicable.
    const both = await cli(['run', '--list', '--coverage'], { cwd: tmp });
    expect(both.stdout).toContain('\n  TC_K_12_CS  not applicable  SC-201-04 skipped: declared profile: PICS: the station supports both units (RateUnit A,W)\n');
    const cfg = path.join(tmp, 'a-only.json');
    fs.writeFileSync(cfg, JSON.stringify({ device: { rateUnits: ['A'] } }));
    const aOnly = await cli(['run', '--list', '--coverage', '--config', cfg], { cwd: tmp });
    expect(aOnly.stdout).toContain('\n  TC_K_12_CS  not run         SC-201-04: listed, not run\n');
  });
});

describe('CLI polish (issue #15 §4)', () => {
  test('the README "Writing a suite" example is this fixture; it resolves ocpp-conformance/scenario through the exports map and passes', async () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const block = /## Writing a suite\n[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    const fixture = path.join(__dirname, 'fixtures', 'readme-suite.ts');
    expect(block).toBe(fs.readFileSync(fixture, 'utf8'));
    expect(block).toContain("from 'ocpp-conformance/scenario'");
    // The exports map, resolved by Node itself: the public subpaths resolve to the build, deep dist/ paths do not.
    const resolve = (id: string) =>
      execFileSync(process.execPath, ['-e', `try { console.log(require.resolve(${JSON.stringify(id)})) } catch (e) { console.log(e.code) }`], { cwd: path.dirname(fixture), encoding: 'utf8' }).trim();
    expect(resolve('ocpp-conformance/scenario')).toBe(path.join(ROOT, 'dist', 'src', 'scenario', 'index.js'));
    expect(resolve('ocpp-conformance/model')).toBe(path.join(ROOT, 'dist', 'src', 'smartcharging', 'index.js'));
    expect(resolve('ocpp-conformance')).toBe(path.join(ROOT, 'dist', 'src', 'index.js'));
    expect(resolve('ocpp-conformance/package.json')).toBe(path.join(ROOT, 'package.json'));
    expect(resolve('ocpp-conformance/dist/src/scenario')).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
    // A user's TypeScript (node16 resolution honours the exports map) gets the types: the example type-checks strictly.
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '--module', 'node16', '--moduleResolution', 'node16', '--strict', '--skipLibCheck', '--target', 'es2022', '--types', 'node', fixture], {
      cwd: ROOT,
      stdio: 'pipe',
    });
    const r = await cli(['run', '--suite', fixture, '--reporter', 'console', '--out', tmp], { cwd: tmp });
    expect(r.stdout).toMatch(/✓ passed {2}MY-01 TxDefault on EVSE 1/);
    expect(r.code).toBe(0);
  }, 60_000);

  test('--listen: a bare port binds loopback; the banner names the real path with --identity and how long it waits; bad values say HOST:PORT', async () => {
    const cfg = path.join(tmp, 'cfg.json');
    fs.writeFileSync(cfg, JSON.stringify({ timing: { connectTimeoutMs: 300 } }));
    const r = await cli(['run', '--config', cfg, '--listen', '0', '--identity', 'CS-042', '--suite', MINI, '--grep', 'MINI-01', '--reporter', 'json', '--out', tmp], { cwd: tmp });
    expect(r.stderr).toMatch(/waiting for a Charging Station on ws:\/\/127\.0\.0\.1:\d+\/ocpp\/CS-042 \(OCPP 2\.0\.1; up to 300 ms, timing\.connectTimeoutMs\)/);
    expect(r.code).toBe(2); // nobody connected
    for (const bad of ['localhost', 'host:port', '1.2.3.4:99999']) {
      const b = await cli(['run', '--listen', bad, '--list'], { cwd: tmp });
      expect(b.code).toBe(2);
      expect(b.stderr).toMatch(/expected HOST:PORT or PORT \(e\.g\. 0\.0\.0\.0:9000, or 9000 for 127\.0\.0\.1:9000\)/);
      expect(b.stderr).not.toMatch(/must match pattern/);
    }
  });

  test('--reporter junit,xml names the bad value and the allowed ones; an unknown config key suggests the nearest known key', async () => {
    const r = await cli(['run', '--reporter', 'junit,xml', '--list'], { cwd: tmp });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\/reporters\/1 "xml" is not one of the allowed values: "console", "junit", "json"(, "\w+")*\n/);
    expect(r.stderr).toContain('"github"');
    const cfg = path.join(tmp, 'cfg.json');
    fs.writeFileSync(cfg, JSON.stringify({ timming: { graceMs: 1 }, device: { evse: 2 }, zzzzzz: 1 }));
    const c = await cli(['run', '--config', cfg, '--list'], { cwd: tmp });
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('/timming is not a known setting (did you mean "timing"?)');
    expect(c.stderr).toContain('/device/evse is not a known setting (did you mean "evses"?)');
    expect(c.stderr).toMatch(/\/zzzzzz is not a known setting(;|\n)/); // nothing near: no guess
  });

  // Issue #16: 2.1 has cases on both sides; the CSMS side (harness as station) lists the carried-over
  // SC-CSMS cases and the 2.1-only SC-CSMS-21-xx. --coverage on 2.1 lists nothing: there is no 2.1 OCTT catalogue.
  test('--as station --ocpp 2.1 --list selects the carried-over and the 2.1-only CSMS cases; --coverage says no 2.1 OCTT catalogue', async () => {
    const r = await cli(['run', '--as', 'station', '--ocpp', '2.1', '--list', '--coverage'], { cwd: tmp });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('SC-CSMS-01');
    expect(r.stdout).toContain('SC-CSMS-21-05');
    expect(r.stdout).not.toContain('SC-CSMS-16-');
    expect((r.stdout.match(/SC-CSMS-21-0\d/g) ?? []).length).toBeGreaterThanOrEqual(5);
    expect(r.stdout).toContain('OCTT SmartCharging coverage: no OCTT catalogue for OCPP 2.1');
  });

  test('--grep matching nothing: exit 2 with the same message on run and --list; a case id of the other version gets a hint', async () => {
    const list = await cli(['run', '--grep', 'NO-SUCH-CASE', '--list'], { cwd: tmp });
    const run = await cli(['run', '--grep', 'NO-SUCH-CASE', '--reporter', 'json', '--out', tmp], { cwd: tmp });
    expect([list.code, run.code]).toEqual([2, 2]);
    expect(list.stderr).toBe('ocpp-conformance: no case selected for OCPP 2.0.1 as csms with --grep NO-SUCH-CASE\n');
    expect(run.stderr).toBe(list.stderr);
    const other = await cli(['run', '--grep', '^SC-16-01\\n', '--list'], { cwd: tmp });
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('no case selected for OCPP 2.0.1 as csms with --grep ^SC-16-01\\n; it matches cases of --ocpp 1.6 (SC-16-01)');
    const side = await cli(['run', '--grep', 'SC-CSMS-03', '--list', '--ocpp', '1.6'], { cwd: tmp });
    expect(side.stderr).toContain('it matches cases of --ocpp 2.0.1 --as station (SC-CSMS-03)');
  });

  test('killing the wrapper (as npx is killed) stops the harness like SIGTERM: the process exits, reports written, interrupted', async () => {
    const out = path.join(tmp, 'r');
    // A wrapper process that spawns the CLI with piped output, like `npx ocpp-conformance`.
    const wrapper = spawn(
      process.execPath,
      [
        '-e',
        `const c = require('child_process').spawn(process.execPath, ${JSON.stringify([BIN, 'run', '--listen', '127.0.0.1:0', '--suite', MINI, '--grep', 'MINI-01', '--reporter', 'console,json', '--out', out])}, { stdio: ['ignore', 'pipe', 'pipe'] });
         process.stdout.write('pid ' + c.pid + '\\n');
         c.stdout.pipe(process.stdout); c.stderr.pipe(process.stderr);`,
      ],
      { cwd: tmp, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let text = '';
    const harnessPid = await new Promise<number>((resolve, reject) => {
      const guard = setTimeout(() => reject(new Error(`no banner: ${text}`)), 15_000);
      const onData = (d: Buffer) => {
        text += d.toString();
        const m = /pid (\d+)/.exec(text);
        if (m && /waiting for a Charging Station/.test(text)) {
          clearTimeout(guard);
          resolve(Number(m[1]));
        }
      };
      wrapper.stdout!.on('data', onData);
      wrapper.stderr!.on('data', onData);
    });
    const t0 = Date.now();
    wrapper.kill('SIGKILL'); // the parent goes away without passing anything on
    const gone = (pid: number) => {
      try {
        process.kill(pid, 0);
        return /\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')); // a zombie has exited
      } catch {
        return true;
      }
    };
    while (!gone(harnessPid) && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 100));
    const stillRunning = !gone(harnessPid);
    if (stillRunning) process.kill(harnessPid, 'SIGKILL');
    expect(stillRunning).toBe(false);
    const doc = readJson(path.join(out, 'results.json'));
    expect(doc.run.interrupted).toBe(true);
    expect(doc.cases.map((c: { errorType: string }) => c.errorType)).toEqual(['Interrupted', 'Interrupted', 'Interrupted']);
  }, 30_000);

  // nohup / a bench script that outlives its shell: OCPP_CONFORMANCE_DETACHED=1 keeps the run going on SIGHUP.
  test('SIGHUP stops a run (exit 130, reports written) unless OCPP_CONFORMANCE_DETACHED=1 (then the run ends on its own terms)', async () => {
    const run = (env: NodeJS.ProcessEnv, out: string) =>
      cli(['run', '--listen', '127.0.0.1:0', '--connect-timeout', '2000', '--suite', MINI, '--grep', 'MINI-01', '--reporter', 'json', '--out', out], {
        cwd: tmp,
        env,
        onStderr: (text, child) => {
          if (/waiting for a Charging Station/.test(text) && !(child as { hupSent?: boolean }).hupSent) {
            (child as { hupSent?: boolean }).hupSent = true;
            child.kill('SIGHUP');
          }
        },
      });
    const [hup, kept] = await Promise.all([run({}, path.join(tmp, 'hup')), run({ OCPP_CONFORMANCE_DETACHED: '1' }, path.join(tmp, 'kept'))]);
    expect(hup.code).toBe(130);
    expect(readJson(path.join(tmp, 'hup', 'results.json')).run.interrupted).toBe(true);
    // Detached: the hangup is ignored; nobody connects, so the run ends after --connect-timeout (exit 2).
    expect(kept.code).toBe(2);
    expect(readJson(path.join(tmp, 'kept', 'results.json')).run.interrupted).toBeFalsy();
  }, 30_000);

  test('process exit while a report is being written leaves no .tmp file (second Ctrl-C)', async () => {
    const dir = path.join(tmp, 'out');
    const script = `
      const fs = require('fs');
      const { writeFileAtomic } = require(${JSON.stringify(path.join(ROOT, 'dist', 'src', 'report', 'atomic.js'))});
      writeFileAtomic(${JSON.stringify(path.join(dir, 'junit.xml'))}, 'x'.repeat(64 * 1024 * 1024));
      const poll = () => (fs.existsSync(${JSON.stringify(dir)}) && fs.readdirSync(${JSON.stringify(dir)}).some((f) => f.endsWith('.tmp')) ? process.exit(130) : setImmediate(poll));
      poll();`;
    const code = await new Promise<number | null>((resolve) => spawn(process.execPath, ['-e', script], { stdio: 'ignore' }).on('exit', resolve));
    expect(code).toBe(130); // it exited while the temporary file existed
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
