/**
 * Issue #7 §2: SIGINT / SIGTERM at different moments of a real CLI run leave valid junit.xml and
 * results.json with the interrupted case marked, and the process exits with 130.
 */
import { spawn, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateJUnit } from '../report/helpers';
import { tempDir } from './run-helpers';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'ocpp-conformance.js');
const SUITE = path.join(__dirname, 'fixtures', 'tiny-suite.ts');

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'main.js'))) execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'ignore' });
}, 120_000);

interface Child {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  dir: string;
}

/** Spawn the CLI, send `signals` once stderr matches `when` (plus `delayMs`), and wait for the exit (bounded). */
function runAndKill(args: string[], when: RegExp, signals: NodeJS.Signals[], delayMs = 0, second?: { signal: NodeJS.Signals; afterMs: number }): Promise<Child> {
  const dir = tempDir('ocpp-signal-');
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.JEST_WORKER_ID; // the CLI loads .ts suites through tsx only outside jest
  const child = spawn(process.execPath, [BIN, 'run', '--suite', SUITE, '--out', dir, '--reporter', 'console,junit,json', ...args], { cwd: ROOT, env });
  let stdout = '';
  let stderr = '';
  let sent = false;
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI did not exit in time; stderr: ${stderr}`));
    }, 30_000);
    const maybeKill = () => {
      if (sent || !when.test(stderr + stdout)) return;
      sent = true;
      setTimeout(() => {
        for (const s of signals) child.kill(s);
        if (second) setTimeout(() => child.kill(second.signal), second.afterMs);
      }, delayMs);
    };
    child.stdout.on('data', (d) => {
      stdout += d;
      maybeKill();
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      maybeKill();
    });
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      resolve({ stdout, stderr, code, signal, dir });
    });
  });
}

async function expectValidReports(dir: string) {
  const xml = fs.readFileSync(path.join(dir, 'junit.xml'), 'utf8');
  const v = await validateJUnit(xml);
  expect(v.errors).toEqual([]);
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'results.json'), 'utf8'));
  expect(json.run.interrupted).toBe(true);
  // No temporary files left behind by the atomic writer.
  expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  return { xml, json };
}

describe('interruptions of a real CLI run', () => {
  test('SIGINT mid-case: exit 130, the running case is marked Interrupted, earlier cases keep their verdict, reports valid', async () => {
    const c = await runAndKill(['--grep', 'R-1|R-SLOW'], /R-SLOW: waiting/, ['SIGINT']);
    expect(c.code).toBe(130);
    const { xml, json } = await expectValidReports(c.dir);
    expect(json.cases.map((x: { id: string; verdict: string }) => [x.id, x.verdict])).toEqual([
      ['SC-X-01', 'passed'],
      ['R-1', 'passed'],
      ['R-SLOW', 'error'],
      ['SC-X-99', 'error'], // issue #11: it could not watch the rest of the run
    ]);
    expect(json.cases[2]).toMatchObject({ errorType: 'Interrupted', reason: expect.stringMatching(/interrupted by SIGINT/) });
    expect(xml).toMatch(/<error [^>]*type="Interrupted"/);
    expect(c.stderr).toMatch(/SIGINT: stopping the current case and writing reports/);
  });

  test('SIGTERM mid-case: same guarantees', async () => {
    const c = await runAndKill(['--grep', 'R-SLOW'], /R-SLOW: waiting/, ['SIGTERM']);
    expect(c.code).toBe(130);
    const { json } = await expectValidReports(c.dir);
    expect(json.cases[1]).toMatchObject({ id: 'R-SLOW', verdict: 'error', errorType: 'Interrupted', reason: expect.stringMatching(/SIGTERM/) });
  });

  test('SIGTERM before the device connects (--listen, nobody comes): every selected case is listed as not run, exit 130', async () => {
    const c = await runAndKill(['--listen', '127.0.0.1:0', '--grep', 'R-1|R-2|R-SLOW'], /waiting for a Charging Station/, ['SIGTERM']);
    expect(c.code).toBe(130);
    const { json } = await expectValidReports(c.dir);
    expect(json.cases.map((x: { id: string }) => x.id)).toEqual(['SC-X-01', 'R-1', 'R-2', 'R-SLOW', 'SC-X-99']);
    for (const x of json.cases) expect(x).toMatchObject({ verdict: 'error', errorType: 'Interrupted', reason: expect.stringMatching(/interrupted/) });
  });

  test.each([0, 5, 20])(
    'a second signal %i ms after the first (possibly while reports are written) force-exits with 130 and never leaves a half-written report',
    async (gapMs) => {
      const c = await runAndKillTwice(['--grep', 'R-SLOW'], /R-SLOW: waiting/, gapMs);
      expect(c.code).toBe(130);
      // Atomic writes: each report is either absent or complete and valid; no temporary file is left.
      const xmlFile = path.join(c.dir, 'junit.xml');
      const jsonFile = path.join(c.dir, 'results.json');
      const complete = fs.existsSync(xmlFile) && fs.existsSync(jsonFile);
      // A missing report is only acceptable when the second signal forced the exit.
      if (!complete) expect(c.stderr).toMatch(/again: exiting without waiting for reports/);
      if (fs.existsSync(xmlFile)) expect((await validateJUnit(fs.readFileSync(xmlFile, 'utf8'))).errors).toEqual([]);
      if (fs.existsSync(jsonFile)) expect(JSON.parse(fs.readFileSync(jsonFile, 'utf8')).cases.find((x: { id: string }) => x.id === 'R-SLOW').errorType).toBe('Interrupted');
      expect(fs.readdirSync(c.dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    },
  );
});

function runAndKillTwice(args: string[], when: RegExp, gapMs: number): Promise<Child> {
  return runAndKill(args, when, ['SIGINT'], 0, { signal: 'SIGTERM', afterMs: gapMs });
}
