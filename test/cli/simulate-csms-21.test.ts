/**
 * Issue #16 through the CLI processes: `simulate csms --ocpp 2.1` (trigger API) is the CSMS under test of
 * `run --as station --ocpp 2.1 --url … --trigger-url …`; the 2.1-only cases SC-CSMS-21-xx pass over the
 * socket (exit 0). The rest API models CitrineOS's 1.6 / 2.0.1 modules only: `--api rest --ocpp 2.1` exits 2.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BIN, childEnv, cli, ensureBuilt } from './helpers';

beforeAll(() => ensureBuilt(), 120_000);

test('simulate csms --ocpp 2.1 --api rest exits 2 naming the versions the rest API speaks', async () => {
  const r = await cli(['simulate', 'csms', '--ocpp', '2.1', '--api', 'rest', '--listen', '127.0.0.1:0']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('--api rest speaks OCPP 1.6 and 2.0.1; use --api trigger with --ocpp 2.1');
});

test('run --as station --ocpp 2.1 against simulate csms --ocpp 2.1 over a socket: SC-CSMS-21-01…05 pass, exit 0', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'csms21-'));
  const csms = spawn(process.execPath, [BIN, 'simulate', 'csms', '--ocpp', '2.1', '--listen', '127.0.0.1:0'], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => reject(new Error(`simulate csms did not listen: ${text}`)), 20_000);
      csms.stdout!.setEncoding('utf8').on('data', (d: string) => {
        text += d;
        const m = /listening on (ws:\/\/127\.0\.0\.1:\d+)/.exec(text);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    const r = await cli(['run', '--as', 'station', '--ocpp', '2.1', '--url', `${url}/ocpp`, '--trigger-url', url.replace(/^ws/, 'http'), '--grep', '^SC-CSMS-21-', '--grace', '300', '--reporter', 'json', '--out', out], { timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    const doc = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as { cases: { id: string; verdict: string }[] };
    expect(doc.cases.filter((c) => c.id.startsWith('SC-CSMS-21-')).map((c) => `${c.id} ${c.verdict}`)).toEqual(['01', '02', '03', '04', '05'].map((n) => `SC-CSMS-21-${n} passed`));
  } finally {
    const exited = new Promise((resolve) => csms.once('close', resolve));
    csms.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (csms.exitCode === null && csms.signalCode === null) csms.kill('SIGKILL');
    fs.rmSync(out, { recursive: true, force: true });
  }
}, 90_000);
